//! The diagnostic crate defines no codes: callers pass theirs from their crate's registry. No
//! code literal may appear in its sources (the tests use codes of their own, `c/x`).

#[path = "../../parser/tests/support/code_literals.rs"]
mod code_literals;

#[test]
fn no_code_is_written_in_the_diagnostic_crate() {
    code_literals::assert_none_outside(concat!(env!("CARGO_MANIFEST_DIR"), "/src"), &[]);
}
