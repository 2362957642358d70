//! The advisor's code registry (`src/codes.rs`) is the only place a code is written, and the
//! README documents every code in it.

#[path = "../../parser/tests/support/code_literals.rs"]
mod code_literals;

#[test]
fn readme_lists_every_advisor_code() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md at the repository root");
    let missing: Vec<&str> = lunora_advisor::codes::ALL
        .iter()
        .copied()
        .filter(|code| !readme.contains(&format!("`{code}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "README.md does not document these codes (add them to the Rules or Lints table): {missing:?}"
    );
}

#[test]
fn codes_are_written_only_in_the_registry() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    code_literals::assert_none_outside(src, &["codes.rs"]);
}

#[test]
fn every_code_constant_is_in_all() {
    code_literals::assert_all_lists_every_constant(
        include_str!("../src/codes.rs"),
        lunora_advisor::codes::ALL,
    );
}
