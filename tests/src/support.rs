//! Helpers shared by the test files: the conformance vectors.
