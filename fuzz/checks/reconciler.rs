//! The reconciler fuzz target's oracle, shared with the corpus replay test
//! (`crates/wrangler-config/tests/corpus_replay.rs`).
//!
//! Input layout: the first byte selects the scenario (which containers are desired, `.json` or
//! `.jsonc`, whether `--env staging` is reconciled, whether one class is declared but not
//! exported); the rest is the config text (lossy UTF-8).
//!
//! Contract checked: `reconcile` returns (no panic); `Err` carries at least one diagnostic; on
//! `Ok` the output parses as JSONC (as strict JSON when the input was strict JSON and the file is
//! `.json`), and reconciling the output again returns the identical text with only unchanged
//! changes.

use lunora_wrangler_config::{
    reconcile, ChangeKind, ConfigFormat, DesiredContainer, InstanceTypeValue, ReconcileInput,
    RolloutStep,
};
use std::collections::BTreeMap;

/// The desired containers for selector bits 0–1: none, one Dockerfile container, a registry
/// container with every optional field, or both plus a custom instance type.
pub fn desired(selector: u8) -> Vec<DesiredContainer> {
    let transcoder = DesiredContainer {
        class_name: "TranscoderContainer".into(),
        binding: "CONTAINER_TRANSCODER".into(),
        image: "./containers/transcoder/Dockerfile".into(),
        image_build_context: Some("./containers/transcoder".into()),
        image_vars: Some(BTreeMap::from([(
            "NODE_VERSION".to_string(),
            "22".to_string(),
        )])),
        instance_type: Some(InstanceTypeValue::Named("standard-1".into())),
        max_instances: Some(5),
        name: None,
        rollout_step_percentage: None,
        rollout_active_grace_period: None,
    };
    let api = DesiredContainer {
        class_name: "ApiContainer".into(),
        binding: "CONTAINER_API".into(),
        image: "docker.io/acme/api:1.4".into(),
        image_build_context: None,
        image_vars: None,
        instance_type: Some(InstanceTypeValue::Named("lite".into())),
        max_instances: Some(2),
        name: Some("acme-api".into()),
        rollout_step_percentage: Some(RolloutStep::Steps(vec![10, 50, 100])),
        rollout_active_grace_period: Some(300),
    };
    match selector & 0b11 {
        0 => vec![],
        1 => vec![transcoder],
        2 => vec![api],
        _ => {
            let custom = DesiredContainer {
                instance_type: Some(InstanceTypeValue::Custom {
                    vcpu: 0.5,
                    memory_mib: 2048,
                    disk_mb: 4000,
                }),
                rollout_step_percentage: Some(RolloutStep::One(25)),
                ..transcoder
            };
            vec![api, custom]
        }
    }
}

/// Runs the checks on one input; panics (with the texts) when a contract is broken.
pub fn check(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let containers = desired(selector);
    let format = if selector & 0b100 != 0 {
        ConfigFormat::Json
    } else {
        ConfigFormat::Jsonc
    };
    let file = if format == ConfigFormat::Json {
        "wrangler.json"
    } else {
        "wrangler.jsonc"
    };
    let env = (selector & 0b1000 != 0).then_some("staging");
    let unexported = if selector & 0b1_0000 != 0 {
        vec!["GoneContainer".to_string()]
    } else {
        vec![]
    };
    // Classes lunora generated before, so leftover reporting is exercised too.
    let owned = vec!["GoneContainer".to_string(), "OldContainer".to_string()];
    // OldContainer's record names the fields lunora wrote (the rest are the user's and kept);
    // GoneContainer's has none (a record from before fields were kept: nothing is removed).
    let written: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::from([(
            "OldContainer".to_string(),
            ["image", "max_instances"].map(String::from).into(),
        )]);
    let input = ReconcileInput {
        text: &text,
        format,
        file,
        containers: &containers,
        env,
        declared_unwired: &unexported,
        owned: &owned,
        env_written: &BTreeMap::new(),
        written_fields: &written,
    };
    let out = match reconcile(&input) {
        Ok(out) => out,
        Err(errors) => {
            assert!(!errors.is_empty(), "reconcile failed without a diagnostic");
            return;
        }
    };
    // A byte order mark is kept (wrangler reads a config with one), and only there: the rest of
    // the output must parse as JSONC.
    assert_eq!(
        text.starts_with('\u{feff}'),
        out.text.starts_with('\u{feff}'),
        "a byte order mark was added or dropped\n--- input\n{text}\n--- output\n{}",
        out.text
    );
    let body = out.text.strip_prefix('\u{feff}').unwrap_or(&out.text);
    let input_body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let jsonc = jsonc_parser::ParseOptions::default();
    if let Err(e) = jsonc_parser::parse_to_serde_value::<serde_json::Value>(body, &jsonc) {
        panic!(
            "output does not parse as JSONC: {e}\n--- input\n{text}\n--- output\n{}",
            out.text
        );
    }
    if format == ConfigFormat::Json && serde_json::from_str::<serde_json::Value>(input_body).is_ok()
    {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(body) {
            panic!(
                "strict JSON input gave non-JSON output: {e}\n--- input\n{text}\n--- output\n{}",
                out.text
            );
        }
    }
    let second = ReconcileInput {
        text: &out.text,
        ..input
    };
    match reconcile(&second) {
        Ok(again) => {
            assert!(
                again.text == out.text,
                "second pass changed the text\n--- input\n{text}\n--- first\n{}\n--- second\n{}",
                out.text,
                again.text
            );
            let changed: Vec<_> = again
                .changes
                .iter()
                .filter(|c| c.kind != ChangeKind::Unchanged)
                .collect();
            assert!(
                changed.is_empty(),
                "second pass reported changes {changed:?}\n--- text\n{}",
                out.text
            );
        }
        Err(errors) => panic!(
            "second pass failed: {errors:?}\n--- input\n{text}\n--- first\n{}",
            out.text
        ),
    }
}
