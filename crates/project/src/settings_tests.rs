use super::*;
use crate::fs::MemoryFs;
use lunora_advisor::codes as lints;
use lunora_diagnostic::SourceText;
use std::path::PathBuf;
use std::sync::Arc;

const FILE: &str = "lunora.jsonc";

fn lint(code: &str, severity: Severity) -> Diagnostic {
    Diagnostic::new(severity, code, "finding").with_file("lunora/containers.ts")
}

/// The codes and severities left after applying `settings` to one finding of each lint at its
/// default severity, plus one diagnostic that is not a lint.
fn after(settings: &Settings) -> Vec<(String, Severity)> {
    let mut ds = vec![
        lint(lints::ACCOUNT_LIMITS, Severity::Warning),
        lint(lints::PUBLIC_INTERNET, Severity::Info),
        lint(lints::PORT_NOT_EXPOSED, Severity::Warning),
        lint("wrangler/missing-main", Severity::Warning),
    ];
    settings.apply(&mut ds);
    ds.into_iter().map(|d| (d.code, d.severity)).collect()
}

fn parse_ok(text: &str) -> Settings {
    let (settings, found) = parse_settings(FILE, text);
    assert!(found.is_empty(), "{found:?}");
    settings
}

/// `(code, line, column, help)` of each problem found in `text`.
fn problems(text: &str) -> Vec<(String, u32, u32, String)> {
    let (_, found) = parse_settings(FILE, text);
    assert!(found.iter().all(|d| d.is_error()));
    found
        .iter()
        .map(|d| {
            let label = d.primary_label().unwrap();
            assert_eq!(label.file, FILE);
            let pos = SourceText::new(text).line_col(label.span.start);
            (
                d.code.clone(),
                pos.line,
                pos.column,
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn without_settings_every_lint_keeps_its_own_severity() {
    let s = Settings::default();
    assert_eq!(s.account_limits, AccountLimits::default());
    assert_eq!(
        after(&s),
        [
            (lints::ACCOUNT_LIMITS.to_string(), Severity::Warning),
            (lints::PUBLIC_INTERNET.to_string(), Severity::Info),
            (lints::PORT_NOT_EXPOSED.to_string(), Severity::Warning),
            ("wrangler/missing-main".to_string(), Severity::Warning),
        ]
    );
}

#[test]
fn level_off_drops_a_lint() {
    let s = parse_ok(r#"{ "lints": { "container_public_internet": "off" } }"#);
    let codes: Vec<String> = after(&s).into_iter().map(|(c, _)| c).collect();
    assert!(!codes.contains(&lints::PUBLIC_INTERNET.to_string()));
    assert_eq!(codes.len(), 3);
}

#[test]
fn level_info_lowers_a_warning() {
    let s = parse_ok(r#"{ "lints": { "container_port_not_exposed": "info" } }"#);
    assert!(after(&s).contains(&(lints::PORT_NOT_EXPOSED.to_string(), Severity::Info)));
}

#[test]
fn level_warn_raises_an_info() {
    let s = parse_ok(r#"{ "lints": { "container_public_internet": "warn" } }"#);
    assert!(after(&s).contains(&(lints::PUBLIC_INTERNET.to_string(), Severity::Warning)));
}

#[test]
fn level_error_makes_a_lint_stop_the_run_and_leaves_other_codes_alone() {
    let s = parse_ok(
        "// comments and trailing commas are fine\n{\n  \"lints\": {\n    \"container_account_limits\": \"error\",\n  },\n}\n",
    );
    let out = after(&s);
    assert!(out.contains(&(lints::ACCOUNT_LIMITS.to_string(), Severity::Error)));
    assert!(out.contains(&("wrangler/missing-main".to_string(), Severity::Warning)));
}

#[test]
fn account_limits_are_read_and_name_their_file() {
    let s = parse_ok(
        "\u{feff}{ \"$schema\": \"./node_modules/@lunora/cli/lunora.schema.json\", \"account\": { \"limits\": { \"vcpu\": 1500, \"diskGb\": 30000 } } }",
    );
    assert_eq!(s.account_limits.size.vcpu, 1500.0);
    assert_eq!(s.account_limits.size.disk_gb, 30000.0);
    // Left out: the default.
    assert_eq!(
        s.account_limits.size.memory_gib,
        platform::ACCOUNT_LIMITS.memory_gib
    );
    assert_eq!(s.account_limits.configured_in.as_deref(), Some(FILE));
    // An empty `limits` keeps the defaults and names none.
    let s = parse_ok(r#"{ "account": { "limits": {} } }"#);
    assert_eq!(s.account_limits, AccountLimits::default());
}

#[test]
fn a_typo_in_a_key_is_located_with_did_you_mean() {
    let text = "{\n  \"acount\": {},\n  \"lints\": { \"container_public_internet\": \"off\" }\n}";
    assert_eq!(
        problems(text),
        [(
            codes::SETTINGS_UNKNOWN_KEY.to_string(),
            2,
            3,
            "did you mean `account`?".to_string()
        )]
    );
    // What is valid still applies.
    let (settings, _) = parse_settings(FILE, text);
    assert_eq!(
        settings.levels.get(lints::PUBLIC_INTERNET),
        Some(&Level::Off)
    );
    let p = problems(r#"{ "account": { "limits": { "vcpus": 1 } } }"#);
    assert_eq!(p[0].0, codes::SETTINGS_UNKNOWN_KEY);
    assert_eq!(p[0].3, "did you mean `vcpu`?");
    let p = problems(r#"{ "rules": {} }"#);
    assert_eq!(
        p[0].3,
        "the settings accept `\"$schema\"`, `\"account\"` or `\"lints\"`"
    );
}

#[test]
fn an_unknown_lint_code_is_located_with_did_you_mean() {
    let p = problems("{ \"lints\": {\n  \"container_public_internt\": \"off\" } }");
    assert_eq!(
        p,
        [(
            codes::SETTINGS_UNKNOWN_LINT.to_string(),
            2,
            3,
            "did you mean `container_public_internet`?".to_string()
        )]
    );
    let p = problems(r#"{ "lints": { "no-console": "off" } }"#);
    assert!(
        p[0].3
            .starts_with("the lints are `\"container_account_limits\"`"),
        "{}",
        p[0].3
    );
    // The cost record is not a lint.
    assert_eq!(
        problems(r#"{ "lints": { "lunora/cost": "off" } }"#)[0].0,
        codes::SETTINGS_UNKNOWN_LINT
    );
}

#[test]
fn bad_values_are_located_with_the_fix() {
    let p = problems(r#"{ "lints": { "container_account_limits": "warning" } }"#);
    assert_eq!(p[0].0, codes::SETTINGS_INVALID_VALUE);
    assert_eq!((p[0].1, p[0].2), (1, 42));
    assert_eq!(p[0].3, "did you mean `\"warn\"`?");
    assert_eq!(
        problems(r#"{ "lints": { "container_account_limits": "eror" } }"#)[0].3,
        "did you mean `\"error\"`?"
    );
    for (written, meant) in [("Warnings", "warn"), ("none", "off"), ("Info", "info")] {
        let text = format!(r#"{{ "lints": {{ "container_account_limits": "{written}" }} }}"#);
        assert_eq!(problems(&text)[0].3, format!("did you mean `\"{meant}\"`?"));
    }
    assert_eq!(
        problems(r#"{ "lints": { "container_account_limits": 2 } }"#)[0].3,
        "write one of `\"off\"`, `\"info\"`, `\"warn\"` or `\"error\"`"
    );
    let p = problems(r#"{ "account": { "limits": { "vcpu": 0, "memoryGib": "4000" } } }"#);
    assert_eq!(p.len(), 2);
    assert!(p.iter().all(|x| x.0 == codes::SETTINGS_INVALID_VALUE));
    assert_eq!(
        p[0].3,
        "write the limit Cloudflare gave your account, e.g. `\"vcpu\": 1000` (the default is 100)"
    );
    assert_eq!(
        problems(r#"{ "lints": [] }"#)[0].0,
        codes::SETTINGS_INVALID_VALUE
    );
    assert_eq!(problems("[]")[0].0, codes::SETTINGS_INVALID_VALUE);
    assert_eq!(
        problems(r#"{ "lints": {}, "lints": {} }"#)[0].0,
        codes::SETTINGS_DUPLICATE_KEY
    );
}

#[test]
fn a_syntax_error_is_located_and_a_missing_comma_is_not_repaired() {
    let p = problems(
        "{\n  \"lints\": { \"container_public_internet\": \"off\" }\n  \"account\": {}\n}",
    );
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, codes::SETTINGS_PARSE_ERROR);
    // Where the comma is missing: after the `lints` object on line 2.
    assert_eq!(p[0].1, 2);
}

#[test]
fn the_project_reads_one_settings_file() {
    let project = |files: &[(&str, &str)]| {
        let mut fs = MemoryFs::new();
        for (rel, text) in files {
            fs = fs.file(format!("/app/{rel}"), *text);
        }
        Project::new(Arc::new(fs), PathBuf::from("/app"))
    };
    let read = |p: &Project| {
        let mut ds = Vec::new();
        let mut sources = Sources::new();
        let s = read_settings(p, &mut ds, &mut sources);
        (s, ds)
    };
    let (s, ds) = read(&project(&[]));
    assert!(ds.is_empty() && s == Settings::default());
    let (s, ds) = read(&project(&[(
        "lunora.json",
        r#"{ "lints": { "container_shell_entrypoint": "off" } }"#,
    )]));
    assert!(ds.is_empty());
    assert_eq!(s.levels.len(), 1);
    let (_, ds) = read(&project(&[("lunora.json", "{}"), ("lunora.jsonc", "{}")]));
    assert_eq!(ds[0].code, codes::SETTINGS_TWO_FILES);
    assert!(ds[0].is_error());
}

/// The JSON schema shipped with the CLI package describes exactly these settings.
#[test]
fn the_schema_lists_every_lint_level_and_limit() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../../packages/cli/lunora.schema.json")).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let mut want: Vec<String> = lints::LINTS.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(keys(&schema["properties"]["lints"]["properties"]), want);
    let mut tops: Vec<&str> = TOP_KEYS.to_vec();
    tops.sort();
    assert_eq!(keys(&schema["properties"]), tops);
    let mut limits: Vec<&str> = LIMIT_KEYS.to_vec();
    limits.sort();
    assert_eq!(
        keys(&schema["properties"]["account"]["properties"]["limits"]["properties"]),
        limits
    );
    assert_eq!(schema["$defs"]["level"]["enum"], serde_json::json!(LEVELS));
}

/// The README's Rules table documents every settings code.
#[test]
fn readme_lists_every_settings_code() {
    let readme = include_str!("../../../README.md");
    for code in [
        codes::SETTINGS_DUPLICATE_KEY,
        codes::SETTINGS_INVALID_VALUE,
        codes::SETTINGS_PARSE_ERROR,
        codes::SETTINGS_TWO_FILES,
        codes::SETTINGS_UNKNOWN_KEY,
        codes::SETTINGS_UNKNOWN_LINT,
    ] {
        assert!(
            readme.contains(&format!("`{code}`")),
            "README.md does not document {code}"
        );
    }
}

#[test]
fn doctor_describes_the_settings_in_use() {
    let at = |text: &str| {
        let fs = MemoryFs::new().file("/app/lunora.jsonc", text);
        describe(&Project::new(Arc::new(fs), PathBuf::from("/app")))
    };
    assert_eq!(
        at(r#"{ "account": { "limits": { "vcpu": 1000 } }, "lints": { "container_public_internet": "off", "container_account_limits": "error" } }"#).as_deref(),
        Some("lunora.jsonc: account limits 1000 vCPU, 400 GiB memory, 2 TB disk; lints: container_account_limits error, container_public_internet off")
    );
    assert_eq!(at("{}").as_deref(), Some("lunora.jsonc: the defaults"));
    assert_eq!(at("{ \"lint\": {} }"), None);
    let none = Project::new(Arc::new(MemoryFs::new()), PathBuf::from("/app"));
    assert_eq!(describe(&none), None);
}
