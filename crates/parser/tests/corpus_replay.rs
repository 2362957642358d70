//! Replays the `entry` and `generate` fuzz corpora (`fuzz/corpus/{entry,generate}/`) through the
//! fuzz targets' own oracles (`fuzz/checks/{entry,generate}.rs`), so the seeds keep meaning
//! something in a plain `cargo test`, and a crash the fuzzer found stays fixed once its input is
//! added to the corpus. (The `parser` corpus is replayed by `crates/codegen`, which it renders.)

#[path = "../../../fuzz/checks/entry.rs"]
mod checks_entry;
#[path = "../../../fuzz/checks/generate.rs"]
mod checks_generate;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for path in &files {
        let data = std::fs::read(path).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| check(&data)) {
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
    files.len()
}

#[test]
fn entry_corpus_replays_without_contract_violations() {
    assert!(replay("entry", checks_entry::check) >= 8);
}

#[test]
fn generate_corpus_replays_without_contract_violations() {
    assert!(replay("generate", checks_generate::check) >= 10);
}

#[test]
fn the_subsequence_check_sees_changed_text() {
    assert!(checks_entry::is_subsequence(b"abc", b"xaybzc"));
    assert!(!checks_entry::is_subsequence(b"abc", b"acb"));
    assert!(!checks_entry::is_subsequence(b"abc", b"ab"));
}
