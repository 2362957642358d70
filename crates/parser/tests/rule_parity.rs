//! One rule table, two validators. `tests/rule_cases.json` lists configs with the error (or
//! warnings) both the parser and the runtime's `defineContainer` must report; this test runs
//! them through the parser, `packages/container/test/rule-parity.test.mjs` through the runtime.
//! Either side failing a case is a divergence. (It replaces a check that the runtime's codes
//! were a subset of a list, which stayed green while `instanceType: "dev"` and `image: ""` got
//! different codes on the two sides.)
//!
//! The rule data itself (keys, instance types and sizes, limits, wrangler defaults, registry
//! hosts) is generated into the parser from `packages/container/rules.json` by `build.rs`, so it
//! cannot differ; these cases check the behaviour built on it.

use lunora_diagnostic::Severity;
use lunora_parser::{codes, parse_containers, rules};
use serde_json::Value;

const FILE: &str = "lunora/containers.ts";

fn cases() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rule_cases.json");
    let text = std::fs::read_to_string(path).expect("tests/rule_cases.json exists");
    let doc: Value = serde_json::from_str(&text).expect("rule_cases.json is JSON");
    doc["cases"].as_array().expect("cases").clone()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().expect("string").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// What the parser reports for one case, or why it disagrees with the case.
fn check(case: &Value) -> Result<(), String> {
    let config = case["config"].as_str().expect("config");
    let prelude = case["prelude"].as_str().unwrap_or("");
    let after = case["after"].as_str().unwrap_or("");
    let source = format!(
        "import {{ defineContainer }} from \"@lunora/container\";\n{prelude}\nexport const app = defineContainer({config});\n{after}\n"
    );
    let out = parse_containers(&source, FILE);
    let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
    let mut warnings: Vec<&str> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.code.as_str())
        .collect();
    warnings.sort();
    let describe = || {
        out.diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{:?} {}: {} (help: {:?})",
                    d.severity, d.code, d.message, d.help
                )
            })
            .collect::<Vec<_>>()
            .join("\n    ")
    };
    match case["error"].as_str() {
        Some(code) => {
            if errors.len() != 1 || errors[0].code != code {
                return Err(format!(
                    "expected exactly one error {code}, got:\n    {}",
                    describe()
                ));
            }
            let text = format!(
                "{}\n{}",
                errors[0].message,
                errors[0].help.as_deref().unwrap_or("")
            );
            for gist in strings(&case["gist"]) {
                if !text.contains(&gist) {
                    return Err(format!(
                        "the {code} message does not mention {gist:?}:\n    {text}"
                    ));
                }
            }
            if !out.containers.is_empty() {
                return Err("a container with an error was still generated".into());
            }
        }
        None => {
            if !errors.is_empty() {
                return Err(format!("expected no error, got:\n    {}", describe()));
            }
            let mut expected = strings(&case["warnings"]);
            expected.sort();
            if warnings != expected {
                return Err(format!(
                    "expected warnings {expected:?}, got:\n    {}",
                    describe()
                ));
            }
            if out.containers.len() != 1 {
                return Err("the valid container was not generated".into());
            }
            if let Some(expected) = case["value"].as_object() {
                let spec = &out.containers[0];
                for (field, want) in expected {
                    let got = match field.as_str() {
                        "maxInstances" => serde_json::json!(spec.max_instances),
                        "name" => serde_json::json!(spec.name),
                        "buildArgs" => serde_json::json!(spec.build_args),
                        "env" => serde_json::json!(spec.env),
                        "requiredPorts" => serde_json::json!(spec.required_ports),
                        other => {
                            return Err(format!(
                                "the case checks `{other}`, which this test cannot read"
                            ))
                        }
                    };
                    if &got != want {
                        return Err(format!(
                            "`{field}` read as {got}, the case (and the runtime) says {want}"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

#[test]
fn the_parser_reports_what_every_shared_case_expects() {
    let cases = cases();
    assert!(cases.len() > 100, "rule_cases.json lost its cases");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(case)
                .err()
                .map(|why| format!("{}: {why}", case["name"].as_str().unwrap_or("?")))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases diverge:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_runtime_code_is_a_parser_code_and_has_a_case() {
    let cases = cases();
    let used: Vec<String> = cases
        .iter()
        .flat_map(|c| {
            let mut codes = strings(&c["warnings"]);
            codes.extend(c["error"].as_str().map(str::to_string));
            codes
        })
        .collect();
    for code in &used {
        assert!(
            codes::ALL.contains(&code.as_str()),
            "case code {code} is not in codes.rs"
        );
    }
    for code in rules::RUNTIME_ERROR_CODES
        .iter()
        .chain(rules::RUNTIME_WARNING_CODES)
    {
        assert!(
            codes::ALL.contains(code),
            "the runtime raises {code}, which codes.rs does not define"
        );
        assert!(
            used.iter().any(|u| u == code),
            "no shared case covers {code}"
        );
    }
}

/// The generated constants are the table's values (a spot check that `build.rs` read the file
/// the runtime publishes, not a copy).
#[test]
fn generated_constants_come_from_the_runtime_table() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../packages/container/rules.json"
    );
    let table: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(strings(&table["configKeys"]), lunora_parser::CONFIG_KEYS);
    assert_eq!(
        strings(&table["instanceTypes"]),
        rules::NAMED_INSTANCE_TYPES
    );
    assert_eq!(
        table["customInstanceDefaults"]["diskMb"].as_f64(),
        Some(rules::DEFAULT_DISK_MB)
    );
    assert_eq!(
        table["registries"]["dockerHub"].as_str(),
        Some(rules::DOCKER_HUB_REGISTRY)
    );
}

/// `codes::ALL` lists every code `codes.rs` defines (so the coverage checks above see them all).
#[test]
fn codes_all_lists_every_code() {
    let source = include_str!("../src/codes.rs");
    let mut defined: Vec<&str> = source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub const "))
        .filter(|l| l.contains(": &str = \""))
        .filter_map(|l| l.split('"').nth(1))
        .collect();
    defined.sort();
    let mut all = codes::ALL.to_vec();
    all.sort();
    assert_eq!(all, defined);
}
