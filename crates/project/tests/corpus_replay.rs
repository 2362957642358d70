//! Replays the `ownership` fuzz corpus (`fuzz/corpus/ownership/`) through the fuzz target's own
//! oracle (`fuzz/checks/ownership.rs`), so the seeds keep meaning something in a plain
//! `cargo test`, and a crash the fuzzer found stays fixed once its input is in the corpus.

#[path = "../../../fuzz/checks/ownership.rs"]
mod checks_ownership;

use std::path::Path;

#[test]
fn ownership_corpus_replays_without_contract_violations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/ownership");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for path in &files {
        let data = std::fs::read(path).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| checks_ownership::check(&data)) {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {msg}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} seed(s) broke a contract:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(files.len() >= 7, "{} seeds", files.len());
}
