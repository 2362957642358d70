//! Desired values as JSON, and their conversion to jsonc-parser's CST input.

use crate::{DesiredContainer, InstanceTypeValue, RolloutStep};
use jsonc_parser::cst::CstInputValue;
use serde_json::Value;

/// Converts a `serde_json::Value` into a value the CST can insert, keeping object key order.
/// Integral numbers are written without a fractional part (`5`, never `5.0`).
pub fn value_to_cst(value: &Value) -> CstInputValue {
    match value {
        Value::Null => CstInputValue::Null,
        Value::Bool(b) => CstInputValue::Bool(*b),
        Value::Number(n) => CstInputValue::Number(number_text(n)),
        Value::String(s) => CstInputValue::String(s.clone()),
        Value::Array(items) => CstInputValue::Array(items.iter().map(value_to_cst).collect()),
        Value::Object(map) => CstInputValue::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), value_to_cst(v)))
                .collect(),
        ),
    }
}

fn number_text(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", f as i64),
        Some(f) => format!("{f}"),
        None => n.to_string(),
    }
}

/// A JSON number for `f`, integral when `f` is.
pub(crate) fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// Compares two JSON values as wrangler reads them: numbers by value (`5` equals `5.0`).
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Whether two spellings of a local path name the same file for wrangler (`Dockerfile`,
/// `./Dockerfile`, `a/../Dockerfile`); other strings (registry references) only when equal.
pub(crate) fn same_path(a: &str, b: &str) -> bool {
    fn parts(p: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for part in p.split('/') {
            match part {
                "" | "." => {}
                ".." if out.last().is_some_and(|l| *l != "..") => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        out
    }
    a == b || (!a.starts_with('/') && !b.starts_with('/') && parts(a) == parts(b))
}

/// The build context wrangler uses for a Dockerfile `image` without `image_build_context`:
/// the Dockerfile's directory.
pub(crate) fn default_build_context(image: &str) -> String {
    match image.rsplit_once('/') {
        Some(("", _)) => "/".into(),
        Some((dir, _)) => dir.into(),
        None => ".".into(),
    }
}

/// Fields of a `containers[]` entry that lunora owns, in the order a new entry is written
/// (after `class_name`). A field the definition does not set is `None` and is removed on update.
pub(crate) fn owned_fields(c: &DesiredContainer) -> Vec<(&'static str, Option<Value>)> {
    vec![
        ("image", Some(Value::String(c.image.clone()))),
        (
            "image_build_context",
            c.image_build_context.clone().map(Value::String),
        ),
        (
            "image_vars",
            c.image_vars.as_ref().map(|vars| {
                Value::Object(
                    vars.iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect(),
                )
            }),
        ),
        (
            "instance_type",
            c.instance_type.as_ref().map(|t| match t {
                InstanceTypeValue::Named(name) => Value::String(name.clone()),
                InstanceTypeValue::Custom {
                    vcpu,
                    memory_mib,
                    disk_mb,
                } => {
                    let mut map = serde_json::Map::new();
                    map.insert("vcpu".into(), number(*vcpu));
                    map.insert("memory_mib".into(), Value::from(*memory_mib));
                    map.insert("disk_mb".into(), Value::from(*disk_mb));
                    Value::Object(map)
                }
            }),
        ),
        ("max_instances", c.max_instances.map(Value::from)),
        ("name", c.name.clone().map(Value::String)),
        (
            "rollout_step_percentage",
            c.rollout_step_percentage.as_ref().map(|r| match r {
                RolloutStep::One(p) => Value::from(*p),
                RolloutStep::Steps(steps) => {
                    Value::Array(steps.iter().map(|s| Value::from(*s)).collect())
                }
            }),
        ),
        (
            "rollout_active_grace_period",
            c.rollout_active_grace_period.map(Value::from),
        ),
    ]
}

/// Compact one-line rendering of a value for change descriptions.
pub(crate) fn show(value: &Value) -> String {
    match value {
        Value::Number(n) => number_text(n),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => {
            let inner = map
                .iter()
                .map(|(k, v)| format!("{k}: {}", show(v)))
                .collect::<Vec<_>>()
                .join(", ");
            format!("{{ {inner} }}")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn spellings_of_one_path_are_the_same_path() {
        for (a, b) in [
            ("Dockerfile", "./Dockerfile"),
            ("./a/../Dockerfile", "Dockerfile"),
            (".", "./"),
            ("./containers/x/", "containers/x"),
        ] {
            assert!(same_path(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("Dockerfile", "/Dockerfile"),
            ("../Dockerfile", "Dockerfile"),
            ("docker.io/a:1", "docker.io/a:2"),
        ] {
            assert!(!same_path(a, b), "{a} {b}");
        }
        assert_eq!(
            default_build_context("./containers/x/Dockerfile"),
            "./containers/x"
        );
        assert_eq!(default_build_context("Dockerfile"), ".");
    }
}
