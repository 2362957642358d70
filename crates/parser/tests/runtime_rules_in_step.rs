//! The parser and the runtime's `defineContainer` enforce one rule table. The runtime publishes
//! its table as `packages/container/rules.json` (written by its build); this test fails when the
//! two disagree, so a rule cannot change on one side only.

use lunora_parser::{codes, rules, CONFIG_KEYS};
use serde_json::Value;

fn runtime_rules() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../packages/container/rules.json"
    );
    let text = std::fs::read_to_string(path).expect("packages/container/rules.json exists");
    serde_json::from_str(&text).expect("rules.json is JSON")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_string())
        .collect()
}

#[test]
fn config_keys_match() {
    let r = runtime_rules();
    assert_eq!(
        strings(&r["configKeys"]),
        CONFIG_KEYS
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
}

#[test]
fn instance_types_and_limits_match() {
    let r = runtime_rules();
    assert_eq!(
        strings(&r["instanceTypes"]),
        rules::NAMED_INSTANCE_TYPES
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
    let l = &r["customInstanceLimits"];
    assert_eq!(l["maxVcpu"].as_f64(), Some(rules::MAX_VCPU));
    assert_eq!(l["maxMemoryMib"].as_f64(), Some(rules::MAX_MEMORY_MIB));
    assert_eq!(l["maxDiskMb"].as_f64(), Some(rules::MAX_DISK_MB));
    assert_eq!(
        l["minMemoryMibPerVcpu"].as_f64(),
        Some(rules::MIN_MEMORY_MIB_PER_VCPU)
    );
    assert_eq!(
        l["maxDiskMbPerMemoryGib"].as_f64(),
        Some(rules::MAX_DISK_MB_PER_MEMORY_GIB)
    );
}

#[test]
fn rollout_steps_match() {
    let r = runtime_rules();
    let steps: Vec<u64> = r["rolloutStepPercentages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(
        steps,
        rules::ROLLOUT_STEPS
            .iter()
            .map(|&s| s as u64)
            .collect::<Vec<_>>()
    );
    assert_eq!(r["rolloutStepList"]["min"], 10);
    assert_eq!(r["rolloutStepList"]["last"], 100);
}

#[test]
fn every_runtime_code_is_a_parser_code() {
    let parser_codes = [
        codes::INVALID_PORT,
        codes::INVALID_DURATION,
        codes::UNKNOWN_INSTANCE_TYPE,
        codes::CUSTOM_INSTANCE_LIMITS,
        codes::INVALID_MAX_INSTANCES,
        codes::INVALID_ROLLOUT_STEP,
        codes::INVALID_GRACE_PERIOD,
        codes::REGISTRY_MISSING_TAG,
        codes::INVALID_READY_STATUS,
        codes::INVALID_ENV_NAME,
        codes::ENV_SECRET_COLLISION,
        codes::SECRETS_STORE_COLLISION,
        codes::EMPTY_ENTRYPOINT,
        codes::EMPTY_REQUIRED_PORTS,
        codes::REGISTRY_STRING_IMAGE,
        codes::UNKNOWN_KEY,
        codes::MISSING_IMAGE,
        codes::WRONG_TYPE,
    ];
    for code in strings(&runtime_rules()["codes"]) {
        assert!(
            parser_codes.contains(&code.as_str()),
            "the runtime raises {code}, which the parser never reports"
        );
    }
}

#[test]
fn duration_and_port_rules_match() {
    let r = runtime_rules();
    assert_eq!(r["durationPattern"], "^\\d+[smh]$");
    assert_eq!(r["port"]["min"], 1);
    assert_eq!(r["port"]["max"], 65535);
    assert_eq!(r["readyStatus"]["min"], 100);
    assert_eq!(r["readyStatus"]["max"], 599);
    assert_eq!(r["envNamePattern"], "^[A-Za-z_][A-Za-z0-9_]*$");
}
