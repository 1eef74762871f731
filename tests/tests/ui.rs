//! Compile-fail tests: each file in `ui/` is one mistake, and its `.stderr`
//! is the message a user sees. Bless new output with `TRYBUILD=overwrite`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
    t.pass("ui/pass/*.rs");
}
