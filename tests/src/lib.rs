//! Integration, conformance and compile-fail tests for `twilio-token`; the
//! tests live in `tests/`, their shared helpers in [`support`].

pub mod support;
