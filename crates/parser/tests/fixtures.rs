//! Runs every `tests/fixtures/*.ts` through `parse_containers` and snapshots the rendered
//! diagnostics plus a compact dump of the model (`tests/fixtures/snapshots/<case>.snap`).
//!
//! Naming contract: `ok_*` and `spec_*` fixtures must produce no errors; `spec_*` fixtures (the
//! spec's own examples) no warnings either, except the codes their `// expect-warning: <code>`
//! lines name; `err_*` fixtures must produce at least one error; `warn_*` fixtures at least one
//! warning and no errors.

use lunora_diagnostic::{render_human, HumanOptions, Severity, Sources};
use lunora_parser::parse_containers;
use std::path::Path;

fn strip_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

fn render_case(file: &str, source: &str) -> (String, Vec<(Severity, String)>) {
    // With the advisor's lints over the model, as `lunora codegen` shows them.
    let out = lunora_advisor::with_model_lints(parse_containers(source, file), file);
    let mut text = String::from("== containers\n");
    for spec in &out.containers {
        let mut value = serde_json::to_value(spec).expect("model serialises");
        strip_nulls(&mut value);
        text.push_str(&serde_json::to_string(&value).expect("json"));
        text.push('\n');
    }
    text.push_str("== diagnostics\n");
    let mut sources = Sources::new();
    sources.insert(file, source);
    text.push_str(&render_human(
        &out.diagnostics,
        &sources,
        HumanOptions { color: false },
    ));
    (
        text,
        out.diagnostics
            .iter()
            .map(|d| (d.severity, d.code.clone()))
            .collect(),
    )
}

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .collect();
    cases.sort();
    assert!(cases.len() > 20, "fixtures missing");
    let mut contract_failures = Vec::new();
    for path in cases {
        let case = path.file_stem().unwrap().to_string_lossy().to_string();
        let source = std::fs::read_to_string(&path).unwrap();
        let file = format!("lunora/{case}.ts");
        let (text, severities) = render_case(&file, &source);
        let errors = severities
            .iter()
            .filter(|(s, _)| *s == Severity::Error)
            .count();
        let mut warning_codes: Vec<&str> = severities
            .iter()
            .filter(|(s, _)| *s == Severity::Warning)
            .map(|(_, code)| code.as_str())
            .collect();
        warning_codes.sort();
        let warnings = warning_codes.len();
        let mut expected_warnings: Vec<&str> = source
            .lines()
            .filter_map(|l| l.trim().strip_prefix("// expect-warning:"))
            .map(str::trim)
            .collect();
        expected_warnings.sort();
        let ok = match case.split('_').next().unwrap() {
            "ok" => errors == 0,
            "spec" => errors == 0 && warning_codes == expected_warnings,
            "err" => errors > 0,
            "warn" => errors == 0 && warnings > 0,
            other => panic!("fixture {case}: unknown prefix {other}"),
        };
        if !ok {
            contract_failures.push(format!(
                "{case}: {errors} errors, {warnings} warnings\n{text}"
            ));
        }
        insta::with_settings!({
            snapshot_path => dir.join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            input_file => &path,
        }, {
            insta::assert_snapshot!(case, text);
        });
    }
    assert!(
        contract_failures.is_empty(),
        "{}",
        contract_failures.join("\n")
    );
}
