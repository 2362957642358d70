//! The parser's code registry (`src/codes.rs`) is the only place a code is written, and the
//! README's Rules section lists every code in it, so a new rule cannot ship undocumented.

#[path = "support/code_literals.rs"]
mod code_literals;

#[test]
fn readme_lists_every_parser_code() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md at the repository root");
    let missing: Vec<&str> = lunora_parser::codes::ALL
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
    code_literals::assert_none_outside(concat!(env!("CARGO_MANIFEST_DIR"), "/src"), &["codes.rs"]);
}

#[test]
fn every_code_constant_is_in_all() {
    code_literals::assert_all_lists_every_constant(
        include_str!("../src/codes.rs"),
        lunora_parser::codes::ALL,
    );
}
