//! The README's Rules section lists every code the parser can report, so a new rule cannot ship
//! undocumented.

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
