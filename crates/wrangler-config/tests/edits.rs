//! Before/after fixtures for the typed edits of data-safe migrations:
//! `tests/fixtures/edits/<case>/input.jsonc` (or `.json`) + `edits.json` (a list of edits applied
//! in turn) must produce exactly `expected.jsonc` (or `.json`) and `report.txt` (the changes of
//! each edit, or the errors). Applying the same edits to the output changes no byte and reports
//! nothing but `Unchanged`. Every comment of the input outside a removed entry survives.
//! `LUNORA_BLESS=1 cargo test -p lunora-wrangler-config --test edits` rewrites the expected files.

use lunora_diagnostic::{Diagnostic, SourceText};
use lunora_wrangler_config::{
    append_delete, append_rename, detect_format, move_binding, move_container_entry, remove_wiring,
    Change, ChangeKind, ClassRename, EditOutput, Rename, Wiring, WranglerConfig,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edits")
}

fn s(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` in {v}"))
        .to_string()
}

/// Applies one edit described in `edits.json`.
fn apply(op: &Value, text: &str, file: &str) -> Result<EditOutput, Vec<Diagnostic>> {
    let format = detect_format(file);
    match op["op"].as_str().unwrap() {
        "append_rename" => {
            let renames: Vec<Rename> = class_renames(op)
                .into_iter()
                .map(|r| Rename {
                    from: r.from,
                    to: r.to,
                })
                .collect();
            append_rename(text, format, file, &renames)
        }
        "append_delete" => {
            let classes: Vec<String> = op["classes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect();
            append_delete(text, format, file, &classes)
        }
        "move_binding" => {
            let rename = op.get("rename_name").map(|p| {
                (
                    p[0].as_str().unwrap().to_string(),
                    p[1].as_str().unwrap().to_string(),
                )
            });
            move_binding(
                text,
                format,
                file,
                &s(op, "from"),
                &s(op, "to"),
                rename.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
            )
        }
        "move_container_entry" => {
            move_container_entry(text, format, file, &s(op, "from"), &s(op, "to"))
        }
        "remove_container_entry" => {
            remove_wiring(text, format, file, &s(op, "class"), Wiring::ContainerEntry)
        }
        "remove_binding" => remove_wiring(text, format, file, &s(op, "class"), Wiring::Binding),
        // The whole-class methods: one CST edit each, the same text as their parts in turn.
        "rename_classes" => {
            let renames = class_renames(op);
            whole_class(text, file, |config| config.rename_classes(&renames))
        }
        "delete_class" => whole_class(text, file, |config| config.delete_class(&s(op, "class"))),
        other => panic!("unknown op {other}"),
    }
}

/// `op["renames"]`: `[from, to]` pairs, or `[from, to, old binding, new binding]`.
fn class_renames(op: &Value) -> Vec<ClassRename> {
    let name = |v: &Value| v.as_str().unwrap().to_string();
    op["renames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| ClassRename {
            from: name(&p[0]),
            to: name(&p[1]),
            binding: p.get(2).map(|old| (name(old), name(&p[3]))),
        })
        .collect()
}

/// Runs a whole-class method of [`WranglerConfig`] on `text`.
fn whole_class(
    text: &str,
    file: &str,
    method: impl FnOnce(&mut WranglerConfig) -> Result<Vec<Change>, Vec<Diagnostic>>,
) -> Result<EditOutput, Vec<Diagnostic>> {
    let mut config = WranglerConfig::parse(file, text)?;
    let changes = method(&mut config)?;
    Ok(EditOutput {
        text: config.into_text(),
        changes,
    })
}

/// Comments in `text` (`// …` to the end of the line, `/* … */`), outside strings.
pub fn comments(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find(['\n', '\r']).map_or(b.len(), |n| i + n);
                out.push(text[i..end].to_string());
                i = end;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
                out.push(text[i..end].to_string());
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn check(expected: &Path, actual: &str, failures: &mut Vec<String>, case: &str) {
    if std::env::var_os("LUNORA_BLESS").is_some() {
        std::fs::write(expected, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_default();
    if want != actual {
        failures.push(format!(
            "{case}: {} differs\n--- expected\n{want}\n--- actual\n{actual}",
            expected.file_name().unwrap().to_string_lossy()
        ));
    }
}

#[test]
fn edit_fixtures() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 6, "edit fixtures are missing");
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let file = ["input.jsonc", "input.json"]
            .into_iter()
            .find(|f| case.join(f).exists())
            .unwrap_or_else(|| panic!("{name}: no input"));
        let input = std::fs::read_to_string(case.join(file)).unwrap();
        let spec: Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("edits.json")).unwrap())
                .unwrap();
        let ops = spec["edits"].as_array().unwrap();
        // Comments the fixture says go with a removed entry.
        let removed: Vec<&str> = spec["removed_comments"]
            .as_array()
            .map(|a| a.iter().map(|c| c.as_str().unwrap()).collect())
            .unwrap_or_default();
        let mut text = input.clone();
        let mut report = String::new();
        let mut failed = false;
        for op in ops {
            report.push_str(&format!("# {}\n", op["op"].as_str().unwrap()));
            match apply(op, &text, file) {
                Ok(out) => {
                    for c in &out.changes {
                        report.push_str(&format!("{:?}: {}\n", c.kind, c.what));
                    }
                    text = out.text;
                }
                Err(errors) => {
                    let source = SourceText::new(&text);
                    for d in &errors {
                        assert!(d.is_error(), "{name}: Err holds a non-error");
                        let at = source.line_col(d.primary_label().unwrap().span.start);
                        report.push_str(&format!(
                            "{} {} at {}:{}: {}\n  help: {}\n",
                            d.severity,
                            d.code,
                            at.line,
                            at.column,
                            d.message,
                            d.help.as_deref().unwrap_or("")
                        ));
                    }
                    failed = true;
                    break;
                }
            }
        }
        check(&case.join("report.txt"), &report, &mut failures, &name);
        let ext = Path::new(file).extension().unwrap().to_str().unwrap();
        let expected = case.join(format!("expected.{ext}"));
        if failed {
            assert!(
                !expected.exists(),
                "{name}: an error case has an expected file"
            );
            continue;
        }
        check(&expected, &text, &mut failures, &name);
        let bare = text.strip_prefix('\u{feff}').unwrap_or(&text);
        jsonc_parser::parse_to_serde_value::<Value>(bare, &Default::default())
            .unwrap_or_else(|e| panic!("{name}: the result does not parse: {e}"));
        if ext == "json" {
            serde_json::from_str::<Value>(&text)
                .unwrap_or_else(|e| panic!("{name}: a .json file stays strict JSON: {e}"));
        }
        for c in comments(&input) {
            if !removed.contains(&c.as_str()) && !text.contains(&c) {
                failures.push(format!("{name}: lost the comment `{c}`"));
            }
        }
        // The same edits again: no byte changes, nothing but `Unchanged`.
        let mut again = text.clone();
        for op in ops {
            let out = apply(op, &again, file)
                .unwrap_or_else(|e| panic!("{name}: second pass failed: {e:?}"));
            for c in &out.changes {
                if c.kind != ChangeKind::Unchanged {
                    failures.push(format!("{name}: second pass {:?}: {}", c.kind, c.what));
                }
            }
            again = out.text;
        }
        if again != text {
            failures.push(format!("{name}: second pass changed the text:\n{again}"));
        }
    }
    if !failures.is_empty() {
        panic!(
            "{} mismatch(es):\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
}
