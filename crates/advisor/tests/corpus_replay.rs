//! Replays the `dockerfile` fuzz target's seeds (`fuzz/corpus/dockerfile/`) through its
//! oracle, without libFuzzer, so the normal test run keeps them fixed.

#[path = "../../../fuzz/checks/dockerfile.rs"]
mod checks;

#[test]
fn dockerfile_corpus_replays() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus/dockerfile");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("the corpus") {
        let path = entry.unwrap().path();
        checks::check(&std::fs::read(&path).unwrap());
        seen += 1;
    }
    assert!(seen >= 30, "only {seen} seeds in {dir}");
}
