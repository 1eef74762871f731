//! The library's behaviour, and the command line's, in one test binary:
//! one link instead of one per file. The allocation counter
//! (`allocations.rs`, a global allocator), the environment test
//! (`credentials.rs`, which sets variables) and the compile-fail tests
//! (`ui.rs`) keep binaries of their own.

mod builder;
mod capability;
mod cli;
mod conformance;
mod derive;
mod docs;
mod main_pattern;
mod messages;
mod no_side_effects;
mod oracle;
mod reader;
mod token_server;
mod validation;
mod verify;
