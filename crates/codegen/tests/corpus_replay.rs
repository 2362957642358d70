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
        let outcome = std::panic::catch_unwind(|| {
            checks::check(&data);
            lunora_parser::parse_containers(&String::from_utf8_lossy(&data), "lunora/containers.ts")
                .containers
                .len()
        });
        match outcome {
            Ok(containers) => rendered += usize::from(containers > 0),
            Err(panic) => {
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: {msg}", path.display()));
            }
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
