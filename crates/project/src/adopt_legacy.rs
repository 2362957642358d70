//! wrangler's legacy spellings of a `containers[]` entry, read the way wrangler 4.86 reads them,
//! for `lunora adopt`: `instance_type: "dev"` and `"standard"` (renamed `"lite"` and
//! `"standard-1"`; wrangler deploys them with a deprecation warning), and the deprecated
//! `configuration` object (`configuration.image` is the image when `image` is absent;
//! `configuration.vcpu`, `memory_mib` and `disk.size_mb` are a custom size, each missing one at
//! wrangler's default). adopt writes the current form into the definition and says so.

use serde_json::{Map, Value};

/// wrangler's defaults for a custom size given only in part through `configuration`.
const DEFAULT_VCPU: f64 = 0.0625;
const DEFAULT_MEMORY_MIB: u64 = 256;
const DEFAULT_DISK_MB: u64 = 2000;

/// The entry's fields in their current form, and one sentence per legacy value that was
/// rewritten (naming the current form). `Err` says why the entry cannot be read as wrangler
/// would (wrangler rejects it too, or it holds a legacy key lunora has no setting for).
pub fn current_form(
    fields: &Map<String, Value>,
) -> Result<(Map<String, Value>, Vec<String>), String> {
    let mut out = fields.clone();
    let mut notes = Vec::new();
    if let Some(Value::String(old)) = fields.get("instance_type") {
        let current = match old.as_str() {
            "dev" => Some("lite"),
            "standard" => Some("standard-1"),
            _ => None,
        };
        if let Some(current) = current {
            out.insert("instance_type".into(), Value::String(current.into()));
            notes.push(format!(
                "`instance_type: \"{old}\"` is wrangler's old name for \"{current}\" (wrangler 4.86 deploys it with a deprecation warning); the definition says `instanceType: \"{current}\"`, which codegen writes into the config"
            ));
        }
    }
    let Some(configuration) = fields.get("configuration") else {
        return Ok((out, notes));
    };
    let Value::Object(configuration) = configuration else {
        return Err("its `configuration` is not an object (wrangler rejects it too)".into());
    };
    out.remove("configuration");
    let mut carried = Vec::new();
    for (key, value) in configuration {
        match key.as_str() {
            "image" => {
                if fields.contains_key("image") {
                    // wrangler reads `image` first; `configuration.image` is ignored.
                    continue;
                }
                let Value::String(_) = value else {
                    return Err("its `configuration.image` is not a string".into());
                };
                out.insert("image".into(), value.clone());
                carried.push("`configuration.image` is `image`".to_string());
            }
            "vcpu" | "memory_mib" | "disk" => {}
            other => {
                return Err(format!(
                    "its deprecated `configuration` holds `{other}`, which lunora has no setting for; move it to the entry's current fields (or drop it) first"
                ))
            }
        }
    }
    let vcpu = configuration.get("vcpu");
    let memory = configuration.get("memory_mib");
    let disk = configuration.get("disk").map(|d| d.get("size_mb"));
    if vcpu.is_some() || memory.is_some() || disk.is_some() {
        if fields.contains_key("instance_type") {
            return Err("it sets a size both in `configuration` and in `instance_type`, which wrangler rejects; keep one".into());
        }
        let number = |v: Option<&Value>, name: &str, default: Value| match v {
            None => Ok(default),
            Some(v) if v.is_number() => Ok(v.clone()),
            Some(_) => Err(format!("its `configuration.{name}` is not a number")),
        };
        let mut size = Map::new();
        size.insert(
            "vcpu".into(),
            number(vcpu, "vcpu", Value::from(DEFAULT_VCPU))?,
        );
        size.insert(
            "memory_mib".into(),
            number(memory, "memory_mib", Value::from(DEFAULT_MEMORY_MIB))?,
        );
        size.insert(
            "disk_mb".into(),
            number(disk.flatten(), "disk.size_mb", Value::from(DEFAULT_DISK_MB))?,
        );
        let described = format!(
            "{{ vcpu: {}, memoryMib: {}, diskMb: {} }}",
            size["vcpu"], size["memory_mib"], size["disk_mb"]
        );
        out.insert("instance_type".into(), Value::Object(size));
        carried.push(format!(
            "its size is `instanceType: {described}` (wrangler's defaults for what it leaves out)"
        ));
    }
    notes.push(format!(
        "`configuration` is deprecated by wrangler (\"use top level containers fields\"): {}; adopt removes `configuration` from the entry, and codegen writes the current fields",
        if carried.is_empty() {
            "nothing in it is read".to_string()
        } else {
            carried.join(", ")
        }
    ));
    Ok((out, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn legacy_instance_types_become_their_current_names() {
        for (old, new) in [("standard", "standard-1"), ("dev", "lite")] {
            let (out, notes) = current_form(&fields(&format!(
                "{{\"image\": \"./Dockerfile\", \"instance_type\": \"{old}\"}}"
            )))
            .unwrap();
            assert_eq!(out["instance_type"], new);
            assert_eq!(notes.len(), 1);
            assert!(
                notes[0].contains(&format!("`instanceType: \"{new}\"`")),
                "{notes:?}"
            );
        }
        let (out, notes) = current_form(&fields("{\"instance_type\": \"basic\"}")).unwrap();
        assert_eq!(out["instance_type"], "basic");
        assert!(notes.is_empty());
    }

    #[test]
    fn configuration_image_and_size_become_current_fields() {
        let (out, notes) = current_form(&fields(
            "{\"configuration\": {\"image\": \"./Dockerfile\", \"vcpu\": 1, \"disk\": {\"size_mb\": 4000}}}",
        ))
        .unwrap();
        assert_eq!(out["image"], "./Dockerfile");
        assert_eq!(
            out["instance_type"],
            serde_json::json!({"vcpu": 1, "memory_mib": 256, "disk_mb": 4000})
        );
        assert!(!out.contains_key("configuration"));
        assert!(
            notes[0].contains("`configuration.image` is `image`"),
            "{notes:?}"
        );
        // `image` wins over `configuration.image`, as in wrangler.
        let (out, _) = current_form(&fields(
            "{\"image\": \"./A\", \"configuration\": {\"image\": \"./B\"}}",
        ))
        .unwrap();
        assert_eq!(out["image"], "./A");
    }

    #[test]
    fn what_wrangler_rejects_or_lunora_cannot_carry_is_refused() {
        for (json, why) in [
            (
                "{\"instance_type\": \"lite\", \"configuration\": {\"vcpu\": 1}}",
                "both",
            ),
            ("{\"configuration\": {\"labels\": []}}", "`labels`"),
            ("{\"configuration\": []}", "not an object"),
        ] {
            let err = current_form(&fields(json)).unwrap_err();
            assert!(err.contains(why), "{json}: {err}");
        }
    }
}
