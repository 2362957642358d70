//! Ownership: the record of the classes lunora generated (`lunora/_generated/classes.json`).

mod evidence;

pub(crate) use evidence::confirmed;

use crate::project::Project;
use lunora_codegen::{is_generated, GENERATED_MARKER, MANIFEST_FILE};
use std::collections::{BTreeMap, BTreeSet};

/// The record of the classes lunora generated, beside the generated modules.
///
/// Why a manifest and not just the generated `containers.ts`: that module is removed when the
/// last container goes, but the classes it held may still be wired in the config (lunora never
/// deletes a Durable Object class by itself). The manifest keeps those classes until their
/// wiring is gone, so the leftover warning does not vanish after one run. When it is missing
/// (a fresh clone of a project that ignores `lunora/_generated`), the classes of a generated
/// `containers.ts` with lunora's header are the record; with neither, lunora owns nothing and
/// calls nothing a leftover.
/// The manifest as JSON, when it carries lunora's header and parses.
fn manifest_value(manifest: Option<&str>) -> Option<serde_json::Value> {
    let text = manifest.filter(|t| is_generated(t))?;
    serde_json::from_str(text).ok()
}

/// The classes lunora generated on its last run, read from the manifest or, without one, from
/// the generated classes module. Empty when neither carries lunora's header.
pub(crate) fn owned_classes(manifest: Option<&str>, generated: Option<&str>) -> Vec<String> {
    if let Some(value) = manifest_value(manifest) {
        return value["classes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect();
    }
    let Some(text) = generated.filter(|t| is_generated(t)) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| l.strip_prefix("export class "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// Class → the export it was generated for, read from the last generated classes module (each
/// generated constructor names its definition: `super(ctx, env, definitions.<export>, …)`).
/// Empty without a module carrying lunora's header. A class fixed by `className` has no other
/// record of its export.
pub(crate) fn generated_exports(generated: Option<&str>) -> BTreeMap<String, String> {
    let Some(text) = generated.filter(|t| is_generated(t)) else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    let mut class: Option<&str> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("export class ") {
            class = rest.split_whitespace().next();
        } else if let (Some(c), Some(rest)) = (
            class,
            line.trim().strip_prefix("super(ctx, env, definitions."),
        ) {
            if let Some(export) = rest.split(',').next() {
                out.insert(c.to_string(), export.to_string());
            }
            class = None;
        }
    }
    out
}

/// The record's `fields`: for each class, the top-level `containers[]` fields lunora wrote last
/// run. Empty without a manifest, or for a manifest from before fields were recorded.
pub(crate) fn recorded_fields(manifest: Option<&str>) -> BTreeMap<String, BTreeSet<String>> {
    let Some(value) = manifest_value(manifest) else {
        return BTreeMap::new();
    };
    value["fields"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(class, keys)| {
            let keys = keys
                .as_array()?
                .iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            Some((class.clone(), keys))
        })
        .collect()
}

/// The record's `envs`: per environment block, per class, the `containers[]` fields lunora
/// wrote there last run with their values. Empty without a manifest, or for one from before
/// environments were recorded (then nothing in an environment block counts as lunora's).
pub(crate) fn recorded_env_fields(manifest: Option<&str>) -> lunora_wrangler_config::EnvRecord {
    let Some(value) = manifest_value(manifest) else {
        return Default::default();
    };
    let Some(envs) = value["envs"].as_object() else {
        return Default::default();
    };
    envs.iter()
        .filter_map(|(env, classes)| {
            let classes = classes
                .as_object()?
                .iter()
                .filter_map(|(class, fields)| {
                    let fields = fields
                        .as_object()?
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    Some((class.clone(), fields))
                })
                .collect();
            Some((env.clone(), classes))
        })
        .collect()
}

/// The classes lunora generated before in `project`: those of its record (empty without one)
/// that the worker does not write by hand (see [`evidence`]).
pub fn recorded_classes(project: &Project) -> Vec<String> {
    let manifest = project.read(MANIFEST_FILE).ok().flatten();
    let generated = lunora_codegen::OWNED_FILES
        .first()
        .and_then(|rel| project.read(rel).ok().flatten());
    evidence::confirmed_in(
        project,
        owned_classes(manifest.as_deref(), generated.as_deref()),
    )
}

pub(crate) fn render_manifest(
    classes: &BTreeSet<String>,
    fields: &BTreeMap<String, BTreeSet<String>>,
    envs: &lunora_wrangler_config::EnvRecord,
) -> Option<String> {
    if classes.is_empty() {
        return None;
    }
    let fields: BTreeMap<&String, &BTreeSet<String>> = fields
        .iter()
        .filter(|(class, _)| classes.contains(*class))
        .collect();
    let value = serde_json::json!({
        "//": format!("{GENERATED_MARKER} {}. Do not edit: the Durable Object classes lunora generated, so that it never takes a hand-wired class for its own, and the containers[] fields it wrote for each (with their values in each env block), so that it never removes or overwrites one set by hand. Regenerate with `lunora codegen`.", env!("CARGO_PKG_VERSION")),
        "classes": classes,
        "fields": fields,
    });
    let mut value = value;
    let envs: BTreeMap<&String, BTreeMap<&String, _>> = envs
        .iter()
        .map(|(env, record)| {
            let record = record
                .iter()
                .filter(|(class, _)| classes.contains(*class))
                .collect::<BTreeMap<_, _>>();
            (env, record)
        })
        .filter(|(_, record)| !record.is_empty())
        .collect();
    if !envs.is_empty() {
        value["envs"] = serde_json::json!(envs);
    }
    Some(serde_json::to_string_pretty(&value).expect("a manifest serialises") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_the_manifest_then_a_generated_module_then_nothing() {
        let fields = BTreeMap::from([
            (
                "AContainer".to_string(),
                BTreeSet::from(["image".to_string()]),
            ),
            (
                "GoneContainer".to_string(),
                BTreeSet::from(["name".to_string()]),
            ),
        ]);
        let manifest = render_manifest(
            &BTreeSet::from(["AContainer".to_string()]),
            &fields,
            &Default::default(),
        )
        .unwrap();
        let generated = "// Generated by lunora 0.1.0. Do not edit: changes are overwritten.\n\
                         export class BContainer extends LunoraContainer {\n";
        assert_eq!(
            owned_classes(Some(&manifest), Some(generated)),
            vec!["AContainer"]
        );
        assert_eq!(owned_classes(None, Some(generated)), vec!["BContainer"]);
        // Files without lunora's header say nothing about what lunora owns.
        let foreign = "export class CContainer extends LunoraContainer {\n";
        assert!(owned_classes(Some("{\"classes\": [\"X\"]}"), Some(foreign)).is_empty());
        assert!(owned_classes(None, None).is_empty());
        assert_eq!(
            render_manifest(&BTreeSet::new(), &fields, &Default::default()),
            None
        );
        // Fields are recorded for the classes of the record only.
        assert_eq!(
            recorded_fields(Some(&manifest)),
            BTreeMap::from([fields.into_iter().next().unwrap()])
        );
        assert!(recorded_fields(Some("{\"fields\": {\"X\": [\"image\"]}}")).is_empty());
        // Fields that do not read give none, so nothing counts as lunora's to remove.
        let odd = format!("{{\"//\": \"{GENERATED_MARKER}\", \"classes\": [\"BContainer\"], \"fields\": {{\"BContainer\": \"oops\", \"CContainer\": [1, \"name\"]}}}}");
        let odd = recorded_fields(Some(&odd));
        assert_eq!(odd.get("BContainer"), None);
        assert_eq!(odd["CContainer"], BTreeSet::from(["name".to_string()]));
    }

    #[test]
    fn the_export_of_each_generated_class_is_read_from_its_constructor() {
        let generated = "// Generated by lunora 0.1.0. Do not edit: changes are overwritten.\n\
                         export class Sandbox extends LunoraContainer {\n\
                         \x20 constructor(ctx: DurableObjectState, env: Cloudflare.Env) {\n\
                         \x20   super(ctx, env, definitions.box, \"box\");\n";
        assert_eq!(
            generated_exports(Some(generated)),
            BTreeMap::from([("Sandbox".to_string(), "box".to_string())])
        );
        assert!(generated_exports(Some(
            "export class A {\n super(ctx, env, definitions.a, \"a\");\n"
        ))
        .is_empty());
    }

    #[test]
    fn env_values_lunora_wrote_are_recorded_per_block_and_read_back() {
        let classes = BTreeSet::from(["AContainer".to_string()]);
        let envs = lunora_wrangler_config::EnvRecord::from([(
            "staging".to_string(),
            BTreeMap::from([
                (
                    "AContainer".to_string(),
                    BTreeMap::from([("max_instances".to_string(), serde_json::json!(3))]),
                ),
                // A class no longer in the record is not kept for the block.
                ("GoneContainer".to_string(), BTreeMap::new()),
            ]),
        )]);
        let manifest = render_manifest(&classes, &BTreeMap::new(), &envs).unwrap();
        let back = recorded_env_fields(Some(&manifest));
        assert_eq!(back["staging"].len(), 1);
        assert_eq!(back["staging"]["AContainer"]["max_instances"], 3);
        // A manifest from before environments were recorded reads as no record at all.
        let old = render_manifest(&classes, &BTreeMap::new(), &Default::default()).unwrap();
        assert!(!old.contains("\"envs\""));
        assert!(recorded_env_fields(Some(&old)).is_empty());
        assert!(recorded_env_fields(None).is_empty());
    }
}
