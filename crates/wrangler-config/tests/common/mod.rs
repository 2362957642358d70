//! Fixture loading shared by the fixture test and the wrangler acceptance test.
#![allow(dead_code)]

use lunora_wrangler_config::{DesiredContainer, InstanceTypeValue, RolloutStep};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One case under `tests/fixtures/<case>/`.
pub struct Fixture {
    pub name: String,
    pub dir: PathBuf,
    pub input_file: String,
    pub input: String,
    pub containers: Vec<DesiredContainer>,
    pub env: Option<String>,
    pub declared_unwired: Vec<String>,
    pub owned: Vec<String>,
    /// `written_fields`: for owned classes, the fields lunora wrote last run (absent: all).
    pub written_fields: BTreeMap<String, BTreeSet<String>>,
    /// `env_written`: env → class → field → value lunora wrote there last run (absent: none).
    pub env_written: lunora_wrangler_config::EnvRecord,
}

impl Fixture {
    /// `expected.jsonc` / `expected.json`, matching the input's extension.
    pub fn expected_path(&self) -> PathBuf {
        let ext = Path::new(&self.input_file)
            .extension()
            .unwrap()
            .to_str()
            .unwrap();
        self.dir.join(format!("expected.{ext}"))
    }
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn load_all() -> Vec<Fixture> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        // `edits/` holds the typed-edit fixtures (tests/edits.rs), not reconciliation cases.
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "edits"))
        .collect();
    dirs.sort();
    dirs.into_iter().map(|d| load(&d)).collect()
}

pub fn load(dir: &Path) -> Fixture {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let input_file = ["input.jsonc", "input.json"]
        .into_iter()
        .find(|f| dir.join(f).exists())
        .unwrap_or_else(|| panic!("{name}: no input.jsonc or input.json"))
        .to_string();
    let input = std::fs::read_to_string(dir.join(&input_file)).unwrap();
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("containers.json")).unwrap())
            .unwrap_or_else(|e| panic!("{name}/containers.json: {e}"));
    let containers = spec["containers"]
        .as_array()
        .map(|a| a.iter().map(desired).collect())
        .unwrap_or_default();
    let env = spec.get("env").and_then(Value::as_str).map(str::to_string);
    let strings = |key: &str| -> Vec<String> {
        spec.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let declared_unwired = strings("declared_unwired");
    let owned = strings("owned");
    let written_fields = spec
        .get("written_fields")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(class, keys)| {
                    let keys = keys
                        .as_array()
                        .expect("written_fields: class → [field]")
                        .iter()
                        .map(|k| k.as_str().unwrap().to_string())
                        .collect();
                    (class.clone(), keys)
                })
                .collect()
        })
        .unwrap_or_default();
    let env_written = spec
        .get("env_written")
        .map(|v| {
            serde_json::from_value(v.clone()).expect("env_written: env → class → field → value")
        })
        .unwrap_or_default();
    Fixture {
        env_written,
        name,
        dir: dir.to_path_buf(),
        input_file,
        input,
        containers,
        env,
        declared_unwired,
        owned,
        written_fields,
    }
}

fn desired(v: &Value) -> DesiredContainer {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    DesiredContainer {
        class_name: s("class_name").expect("class_name"),
        binding: s("binding").expect("binding"),
        image: s("image").expect("image"),
        image_build_context: s("image_build_context"),
        image_vars: v.get("image_vars").and_then(Value::as_object).map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        }),
        instance_type: v.get("instance_type").map(|t| match t {
            Value::String(n) => InstanceTypeValue::Named(n.clone()),
            Value::Object(o) => InstanceTypeValue::Custom {
                vcpu: o["vcpu"].as_f64().unwrap(),
                memory_mib: o["memory_mib"].as_u64().unwrap() as u32,
                disk_mb: o["disk_mb"].as_u64().unwrap() as u32,
            },
            other => panic!("instance_type {other}"),
        }),
        max_instances: v
            .get("max_instances")
            .and_then(Value::as_u64)
            .map(|n| n as u32),
        name: s("name"),
        rollout_step_percentage: v.get("rollout_step_percentage").map(|r| match r {
            Value::Number(n) => RolloutStep::One(n.as_u64().unwrap() as u8),
            Value::Array(a) => {
                RolloutStep::Steps(a.iter().map(|n| n.as_u64().unwrap() as u8).collect())
            }
            other => panic!("rollout_step_percentage {other}"),
        }),
        rollout_active_grace_period: v.get("rollout_active_grace_period").and_then(Value::as_u64),
    }
}
