//! Replays the reconciler fuzz corpus (`fuzz/corpus/reconciler/`) through the fuzz target's own
//! oracle (`fuzz/checks/reconciler.rs`): no panic, output parses, a second pass is a no-op.

#[path = "../../../fuzz/checks/reconciler.rs"]
mod checks;

use std::path::Path;

#[test]
fn reconciler_corpus_replays_without_contract_violations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/reconciler");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fuzz/corpus/reconciler")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "the reconciler seed corpus is nearly empty"
    );
    let mut failures = Vec::new();
    for path in &files {
        let data = std::fs::read(path).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| checks::check(&data)) {
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
}
