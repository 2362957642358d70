//! A scope written on one line that reconciliation adds keys to spreads over lines, and its
//! trailing commas then follow the file; a multi-line object keeps its own last-comma style.
//! (Written against the surviving `mark_if_one_line` mutant; jsonc-parser gives these inputs the
//! same output with or without the mark, so the mutant is listed in docs/mutants.md.)

use lunora_wrangler_config::{reconcile, ConfigFormat, DesiredContainer, ReconcileInput};
use std::collections::BTreeMap;

fn container() -> DesiredContainer {
    DesiredContainer {
        class_name: "ApiContainer".into(),
        binding: "CONTAINER_API".into(),
        image: "docker.io/acme/api:1".into(),
        image_build_context: None,
        image_vars: None,
        instance_type: None,
        max_instances: None,
        name: None,
        rollout_step_percentage: None,
        rollout_active_grace_period: None,
    }
}

fn run(text: &str, env: Option<&str>) -> String {
    let containers = [container()];
    let input = ReconcileInput {
        text,
        format: ConfigFormat::Jsonc,
        file: "wrangler.jsonc",
        containers: &containers,
        env,
        declared_unwired: &[],
        owned: &[],
        written_fields: &BTreeMap::new(),
        env_written: &BTreeMap::new(),
    };
    reconcile(&input).unwrap_or_else(|e| panic!("{e:#?}")).text
}

#[test]
fn a_one_line_env_block_that_gains_keys_takes_the_files_trailing_commas() {
    let text = "{\n  \"name\": \"app\",\n  \"main\": \"src/index.ts\",\n  \"observability\": {\n    \"enabled\": true,\n  },\n  \"env\": {\n    \"staging\": { \"name\": \"app-staging\" },\n  },\n}\n";
    let out = run(text, Some("staging"));
    let staging = &out[out.find("\"staging\": {").unwrap()..];
    let staging = &staging[..staging.find("\n    },").unwrap_or_else(|| panic!("{out}"))];
    assert!(staging.contains("\"name\": \"app-staging\",\n"), "{out}");
    // Its new arrays are multi-line and end with the file's trailing comma too.
    assert!(staging.trim_end().ends_with(','), "{out}");
}

#[test]
fn a_multi_line_object_keeps_its_own_style_when_a_key_is_added() {
    // The root is multi-line and has no trailing commas while a nested object has one: the
    // keys lunora appends to the root do not change its last property's comma style.
    let text = "{\n  \"name\": \"app\",\n  \"main\": \"src/index.ts\",\n  \"vars\": {\n    \"A\": \"1\",\n  }\n}\n";
    let out = run(text, None);
    assert!(out.ends_with("}\n}\n") || out.ends_with("]\n}\n"), "{out}");
}

#[test]
fn a_missing_owned_field_goes_right_after_class_name() {
    // The entry was written by hand with the class name only: `image` is added after it, not
    // in front of it (the anchor starts past `class_name`).
    let text = "{\n  \"name\": \"app\",\n  \"main\": \"src/index.ts\",\n  \"containers\": [\n    {\n      \"class_name\": \"ApiContainer\",\n      \"max_instances\": 2\n    }\n  ]\n}\n";
    let out = run(text, None);
    let entry = &out[out.find("\"containers\"").unwrap()..];
    let class = entry.find("\"class_name\"").unwrap();
    let image = entry.find("\"image\"").unwrap();
    let max = entry.find("\"max_instances\"").unwrap();
    assert!(class < image && image < max, "{out}");
}

#[test]
fn a_missing_owned_field_of_an_env_entry_goes_right_after_class_name() {
    let text = "{\n  \"name\": \"app\",\n  \"main\": \"src/index.ts\",\n  \"env\": {\n    \"staging\": {\n      \"containers\": [\n        {\n          \"class_name\": \"ApiContainer\",\n          \"max_instances\": 2\n        }\n      ]\n    }\n  }\n}\n";
    let out = run(text, Some("staging"));
    let entry = &out[out.find("\"staging\"").unwrap()..];
    let class = entry.find("\"class_name\"").unwrap();
    let image = entry.find("\"image\"").unwrap();
    let max = entry.find("\"max_instances\"").unwrap();
    assert!(class < image && image < max, "{out}");
}

#[test]
fn a_comment_beside_another_field_on_the_line_does_not_keep_a_dropped_field() {
    // lunora wrote `max_instances`, and the definition no longer sets it. The comment on the
    // line belongs to `image`, past another property: the field goes, the comment stays.
    let text = "{\n  \"name\": \"app\",\n  \"main\": \"src/index.ts\",\n  \"containers\": [\n    { \"class_name\": \"ApiContainer\", \"max_instances\": 2, \"image\": \"docker.io/acme/api:1\" /* pinned */ }\n  ]\n}\n";
    let containers = [container()];
    let owned = ["ApiContainer".to_string()];
    let written = BTreeMap::from([(
        "ApiContainer".to_string(),
        std::collections::BTreeSet::from(["max_instances".to_string(), "image".to_string()]),
    )]);
    let input = ReconcileInput {
        text,
        format: ConfigFormat::Jsonc,
        file: "wrangler.jsonc",
        containers: &containers,
        env: None,
        declared_unwired: &[],
        owned: &owned,
        written_fields: &written,
        env_written: &BTreeMap::new(),
    };
    let out = reconcile(&input).unwrap();
    assert!(!out.text.contains("max_instances"), "{}", out.text);
    assert!(out.text.contains("/* pinned */"), "{}", out.text);
    assert!(
        out.diagnostics
            .iter()
            .all(|d| d.code != "wrangler/stale-field-kept"),
        "{:#?}",
        out.diagnostics
    );
}
