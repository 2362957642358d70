//! The `entry` fuzz target's oracle (also replayed by `crates/parser/tests/corpus_replay.rs`).
//!
//! Contract, for arbitrary text as a worker entry (`.ts` and `.tsx`): `entry_exports` returns
//! (no panic, no stack overflow); a refusal has located diagnostics inside the text, and they
//! render. When the entry parses, `insert_statement` — what `lunora generate` uses to add the
//! re-export of the generated classes — only inserts (the old text is a subsequence of the new
//! one, and the new text is the old plus one line), the result still parses, the new `export *`
//! is seen, and every export the entry had is still there.

use lunora_diagnostic::{Diagnostic, Sources};

pub const SPECIFIER: &str = "../../lunora/_generated/containers";

pub fn check(data: &[u8]) {
    let source = String::from_utf8_lossy(data);
    for file in ["src/server/index.ts", "src/server/index.tsx"] {
        match lunora_parser::entry_exports(&source, file) {
            Err(diagnostics) => {
                assert!(!diagnostics.is_empty(), "a refusal without a diagnostic");
                located_and_renderable(&source, file, &diagnostics);
            }
            Ok(before) => check_insertion(&source, file, &before),
        }
    }
}

fn check_insertion(source: &str, file: &str, before: &lunora_parser::EntryExports) {
    let line = format!("export * from \"{SPECIFIER}\";");
    let edited = lunora_parser::insert_statement(source, file, &line)
        .unwrap_or_else(|d| panic!("{file} parses, but inserting into it failed: {d:?}"));
    assert!(
        is_subsequence(source.as_bytes(), edited.as_bytes()),
        "the insertion changed existing text\n--- before\n{source}\n--- after\n{edited}"
    );
    let added = edited.len() - source.len();
    assert!(
        (line.len() + 1..=line.len() + 4).contains(&added) && edited.contains(&line),
        "inserted {added} bytes for a {}-byte line\n--- after\n{edited}",
        line.len()
    );
    let after = lunora_parser::entry_exports(&edited, file).unwrap_or_else(|d| {
        panic!("no longer parses after the insertion: {d:?}\n--- before\n{source}\n--- after\n{edited}")
    });
    assert_eq!(
        after
            .star_reexports
            .iter()
            .filter(|s| *s == SPECIFIER)
            .count(),
        before
            .star_reexports
            .iter()
            .filter(|s| *s == SPECIFIER)
            .count()
            + 1,
        "the re-export is not seen\n--- after\n{edited}"
    );
    for name in &before.value_names {
        assert!(
            after.value_names.contains(name),
            "`{name}` is no longer exported\n--- after\n{edited}"
        );
    }
}

/// Whether `small` can be obtained from `big` by deleting bytes.
pub fn is_subsequence(small: &[u8], big: &[u8]) -> bool {
    let mut it = big.iter();
    small.iter().all(|b| it.any(|c| c == b))
}

/// Every label lies inside `source`, and the three renderings do not panic.
pub fn located_and_renderable(source: &str, file: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        for label in &d.labels {
            assert!(
                label.span.start <= label.span.end && label.span.end as usize <= source.len(),
                "diagnostic {} has span {:?} outside the {}-byte source",
                d.code,
                label.span,
                source.len()
            );
        }
    }
    let mut sources = Sources::new();
    sources.insert(file, source.to_string());
    let options = lunora_diagnostic::HumanOptions { color: true };
    let human = lunora_diagnostic::render_human(diagnostics, &sources, options);
    let github = lunora_diagnostic::render_github(diagnostics, &sources);
    let json = lunora_diagnostic::render_json(diagnostics, &sources);
    // Output never carries a control character of the input (the renderer's SGR aside).
    for (name, out) in [("github", &github), ("json", &json)] {
        assert!(
            out.chars().all(|c| c == '\n' || !c.is_control()),
            "raw control character in {name} output: {out:?}"
        );
        assert_eq!(out.lines().count(), diagnostics.len(), "{name}: {out}");
    }
    let plain = lunora_diagnostic::render_human(
        diagnostics,
        &sources,
        lunora_diagnostic::HumanOptions { color: false },
    );
    assert!(
        plain.chars().all(|c| c == '\n' || !c.is_control()),
        "raw control character in human output: {plain:?}"
    );
    let _ = human;
}
