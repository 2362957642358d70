//! Before/after fixtures: `tests/fixtures/<case>/input.jsonc` (or `.json`) + `containers.json`
//! must produce exactly `expected.jsonc` (or `.json`) and `report.txt` (changes and diagnostics,
//! or the errors). A second pass over the output must change nothing.
//! `LUNORA_BLESS=1 cargo test -p lunora-wrangler-config --test fixtures` rewrites the expected files.

mod common;

use lunora_diagnostic::{Diagnostic, SourceText};
use lunora_wrangler_config::{detect_format, reconcile, ChangeKind, ReconcileInput};

fn describe(diagnostics: &[Diagnostic], text: &str) -> String {
    let source = SourceText::new(text);
    let mut out = String::new();
    for d in diagnostics {
        let label = d.primary_label().unwrap();
        let pos = source.line_col(label.span.start);
        let snippet = &text[label.span.start as usize..label.span.end as usize];
        let snippet: String = snippet
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(60)
            .collect();
        out.push_str(&format!(
            "{} {} at {}:{} `{}`: {}\n",
            d.severity, d.code, pos.line, pos.column, snippet, d.message
        ));
        for secondary in d.labels.iter().filter(|l| !l.primary) {
            let pos = source.line_col(secondary.span.start);
            out.push_str(&format!(
                "  also at {}:{} ({})\n",
                pos.line, pos.column, secondary.message
            ));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("  help: {help}\n"));
        }
    }
    out
}

fn check(expected_path: &std::path::Path, actual: &str, failures: &mut Vec<String>, case: &str) {
    if std::env::var_os("LUNORA_BLESS").is_some() {
        std::fs::write(expected_path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(expected_path).unwrap_or_default();
    if expected != actual {
        failures.push(format!(
            "{case}: {} differs\n--- expected\n{expected}\n--- actual\n{actual}",
            expected_path.file_name().unwrap().to_string_lossy()
        ));
    }
}

#[test]
fn fixtures() {
    let mut failures = Vec::new();
    let all = common::load_all();
    assert!(!all.is_empty());
    for f in &all {
        let input = ReconcileInput {
            text: &f.input,
            format: detect_format(&f.input_file),
            file: &f.input_file,
            containers: &f.containers,
            env: f.env.as_deref(),
            declared_unwired: &f.declared_unwired,
            owned: &f.owned,
            written_fields: &f.written_fields,
            env_written: &f.env_written,
        };
        match reconcile(&input) {
            Ok(out) => {
                let mut report = String::new();
                for c in &out.changes {
                    report.push_str(&format!("{:?}: {}\n", c.kind, c.what));
                }
                report.push_str(&describe(&out.diagnostics, &out.text));
                check(&f.expected_path(), &out.text, &mut failures, &f.name);
                check(&f.dir.join("report.txt"), &report, &mut failures, &f.name);

                let again = reconcile(&ReconcileInput {
                    text: &out.text,
                    ..input.clone()
                })
                .unwrap();
                if again.text != out.text {
                    failures.push(format!(
                        "{}: second pass changed the text:\n{}",
                        f.name, again.text
                    ));
                }
                if let Some(c) = again
                    .changes
                    .iter()
                    .find(|c| c.kind != ChangeKind::Unchanged)
                {
                    failures.push(format!(
                        "{}: second pass reported {:?}: {}",
                        f.name, c.kind, c.what
                    ));
                }
                if again.diagnostics != out.diagnostics {
                    failures.push(format!(
                        "{}: second pass reported other diagnostics",
                        f.name
                    ));
                }
            }
            Err(errors) => {
                assert!(
                    errors.iter().all(Diagnostic::is_error),
                    "{}: Err holds a non-error",
                    f.name
                );
                let report = describe(&errors, &f.input);
                check(&f.dir.join("report.txt"), &report, &mut failures, &f.name);
                assert!(
                    !f.expected_path().exists(),
                    "{}: an error case must not have an expected file",
                    f.name
                );
            }
        }
    }
    if !failures.is_empty() {
        panic!(
            "{} fixture mismatch(es):\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
}
