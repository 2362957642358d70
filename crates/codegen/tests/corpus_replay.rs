//! Replays the parser fuzz corpus (`fuzz/corpus/parser/`) through the fuzz target's own oracle
//! (`fuzz/checks/parser.rs`), so the seeds keep meaning something in a plain `cargo test` and a
//! crash the fuzzer found stays fixed once its input is added to the corpus.

#[path = "../../../fuzz/checks/parser.rs"]
mod checks;

use std::path::Path;

#[test]
fn parser_corpus_replays_without_contract_violations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/parser");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fuzz/corpus/parser")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the parser seed corpus is nearly empty");
    let mut failures = Vec::new();
    let mut rendered = 0;
    for path in &files {
        let data = std::fs::read(path).unwrap();
        if !lunora_parser::parse_containers(&String::from_utf8_lossy(&data), "lunora/containers.ts")
            .containers
            .is_empty()
        {
            rendered += 1;
        }
        if let Err(panic) = std::panic::catch_unwind(|| checks::check(&data)) {
            let msg = panic.downcast_ref::<String>().cloned().unwrap_or_default();
            failures.push(format!("{}: {msg}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} seed(s) broke a contract:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        rendered >= 5,
        "only {rendered} seeds yield containers; the render check is barely exercised"
    );
}
