//! Robustness: mutated fixture sources and arbitrary strings never make `parse_containers` or
//! `entry_exports` panic, and every reported span lies inside the source.
//!
//! The case count defaults to a few hundred so `cargo test` stays fast; set `PROPTEST_CASES`
//! for a long run (e.g. `PROPTEST_CASES=20000 cargo test --release -p lunora-parser --test fuzz`).

use lunora_diagnostic::{Diagnostic, SourceText};
use lunora_parser::{entry_exports, parse_containers};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

fn fixtures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, char),
    Truncate(usize),
    Swap(usize, usize),
    Duplicate(usize, usize),
}

fn interesting_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(
            "{}[]()\"'`,:;.\\$/*!?<>=+-_ \n\t0123456789azAZ@#é✓\u{feff}\u{2028}"
                .chars()
                .collect::<Vec<_>>()
        ),
        any::<char>(),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => any::<usize>().prop_map(Edit::Delete),
        4 => (any::<usize>(), interesting_char()).prop_map(|(p, c)| Edit::Insert(p, c)),
        1 => any::<usize>().prop_map(Edit::Truncate),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        1 => (any::<usize>(), 0usize..40).prop_map(|(a, n)| Edit::Duplicate(a, n)),
    ]
}

fn apply(source: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = source.chars().collect();
    for e in edits {
        let len = chars.len();
        match *e {
            Edit::Delete(p) if len > 0 => {
                chars.remove(p % len);
            }
            Edit::Insert(p, c) => chars.insert(p % (len + 1), c),
            Edit::Truncate(p) => chars.truncate(p % (len + 1)),
            Edit::Swap(a, b) if len > 0 => chars.swap(a % len, b % len),
            Edit::Duplicate(a, n) if len > 0 => {
                let start = a % len;
                let piece: Vec<char> = chars[start..(start + n).min(len)].to_vec();
                let at = (start + n).min(len);
                chars.splice(at..at, piece);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn check_spans(source: &str, diagnostics: &[Diagnostic]) {
    let text = SourceText::new(source);
    for d in diagnostics {
        assert!(!d.code.is_empty() && !d.message.is_empty());
        for label in &d.labels {
            assert!(label.span.start <= label.span.end, "{d:?}");
            assert!(
                label.span.end as usize <= source.len(),
                "span past the end: {d:?}"
            );
            let _ = text.line_col(label.span.start);
        }
    }
}

/// Returns true when the input parsed (no syntax error), i.e. it reached static evaluation.
fn exercise(source: &str) -> bool {
    let out = parse_containers(source, "lunora/containers.ts");
    check_spans(source, &out.diagnostics);
    let parsed = !out
        .diagnostics
        .iter()
        .any(|d| d.code == "containers/syntax-error");
    match entry_exports(source, "src/index.ts") {
        Ok(_) => {}
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            check_spans(source, &diagnostics);
        }
    }
    parsed
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

#[test]
fn mutated_fixtures_never_panic() {
    let sources = fixtures();
    let ran = AtomicUsize::new(0);
    let parsed = AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (0..sources.len(), prop::collection::vec(edit(), 1..5));
    runner
        .run(&strategy, |(index, edits)| {
            let mutated = apply(&sources[index], &edits);
            if exercise(&mutated) {
                parsed.fetch_add(1, Ordering::Relaxed);
            }
            ran.fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
        .unwrap();
    eprintln!(
        "mutated fixtures: {} inputs, {} without syntax errors",
        ran.load(Ordering::Relaxed),
        parsed.load(Ordering::Relaxed)
    );
}

#[test]
fn arbitrary_strings_never_panic() {
    let ran = AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    // Half free-form text, half text built from the tokens of a containers file.
    let tokens = prop::sample::select(vec![
        "import",
        "{",
        "}",
        "defineContainer",
        "as",
        "dc",
        "from",
        "\"@lunora/container\"",
        ";",
        "export",
        "const",
        "let",
        "x",
        "=",
        "(",
        ")",
        "...",
        ",",
        ":",
        "image",
        "\"./c\"",
        "8080",
        "-",
        "[",
        "]",
        "`",
        "${",
        "as const",
        "satisfies",
        "<number>",
        "!",
        "delete",
        ".",
        "Object.assign",
        "type",
        "*",
        "\n",
        "/*",
        "*/",
        "//",
        "'",
        "0x1F",
        "1e400",
        "NaN",
        "undefined",
        "null",
        "true",
        "[\"k\"]",
    ]);
    let strategy = prop_oneof![
        any::<String>(),
        prop::collection::vec(tokens, 0..60).prop_map(|t| t.join(" "))
    ];
    runner
        .run(&strategy, |source| {
            let _ = exercise(&source);
            ran.fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
        .unwrap();
    eprintln!("arbitrary strings: {} inputs", ran.load(Ordering::Relaxed));
}
