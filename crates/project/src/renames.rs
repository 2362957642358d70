//! Accidental renames: a class lunora generated that is gone, next to a new one.

use crate::codes;
use crate::project::CONTAINERS_TS;
use lunora_diagnostic::Diagnostic;
use lunora_parser::ContainerSpec;
use lunora_wrangler_config::{self as wc, DesiredContainer};
use std::collections::{BTreeMap, HashSet};

/// A class lunora generated before that is no longer declared, next to new ones, in one run.
pub struct PossibleRename {
    pub gone_classes: Vec<String>,
    pub new_classes: Vec<String>,
    pub diagnostic: Diagnostic,
}

/// Accidental renames: a class of the record (`owned`) that is no longer declared but still
/// wired, while a declared container's class is new (neither wired nor declared by any
/// migration). Wiring the new class now would write a migration that creates it, and Cloudflare
/// refuses to rename a class onto one that exists: the rename would be impossible afterwards and
/// the old data orphaned. So the new class is held back (not wired) until the user says what they
/// meant: `lunora rename OLD NEW`, `lunora remove OLD --delete-data`, or declaring OLD again. A
/// held-back class keeps its generated code; only its wiring waits. Pairs are told apart by the
/// image: a gone class whose `containers[]` entry has the new container's image is its pair; when
/// nothing tells them apart, every pair is named.
pub(crate) fn possible_renames(
    config: &wc::WranglerConfig,
    owned: &[String],
    declared: &HashSet<String>,
    desired: &[DesiredContainer],
    specs: &[ContainerSpec],
    previous: &BTreeMap<String, String>,
) -> Vec<PossibleRename> {
    // Cheap checks first: reading the wiring means parsing the whole config again.
    if desired.is_empty() || owned.iter().all(|c| declared.contains(c)) {
        return Vec::new();
    }
    let gone: Vec<&String> = owned
        .iter()
        .filter(|c| !declared.contains(*c) && config.wires(c))
        .collect();
    if gone.is_empty() {
        return Vec::new();
    }
    let Ok(facts) = config.facts() else {
        return Vec::new();
    };
    let fresh: Vec<&DesiredContainer> = desired
        .iter()
        .filter(|d| {
            !owned.contains(&d.class_name)
                && !config.wires(&d.class_name)
                && !facts.has_storage(&d.class_name)
        })
        .collect();
    if fresh.is_empty() {
        return Vec::new();
    }
    let image_of = |class: &str| {
        facts.scopes[0]
            .containers
            .iter()
            .find(|c| c.class_name == class)
            .and_then(|c| {
                c.fields
                    .get("image")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            })
    };
    // The export a gone class was generated for: recorded in the last generated module (a class
    // fixed by `className` has no other record), else the one its name gives.
    let export_of = |class: &str| {
        previous
            .get(class)
            .cloned()
            .unwrap_or_else(|| wc::export_name_of(class))
    };
    let mut out = Vec::new();
    for d in &fresh {
        let Some(spec) = specs.iter().find(|s| s.class_name == d.class_name) else {
            continue;
        };
        let same_image: Vec<&String> = gone
            .iter()
            .copied()
            .filter(|g| image_of(g).as_deref() == Some(d.image.as_str()))
            .collect();
        let candidates: Vec<&String> = if same_image.len() == 1 {
            same_image
        } else {
            gone.clone()
        };
        // The same export with another class: its `className` was added, changed or removed.
        // Storage does not follow a class name, and `lunora rename` renames exports.
        if let [first] = candidates.as_slice() {
            if export_of(first) == spec.export_name {
                let message = format!(
                    "the class of `{}` changed from {first} to {} (its `className`), and the data of every {first} instance stays with {first}",
                    spec.export_name, d.class_name
                );
                let help = format!(
                    "give `{}` its class back (`className: \"{first}\"`{}); until then codegen does not wire {}, since a migration that creates it would orphan {first}'s data",
                    spec.export_name,
                    if lunora_parser::class_name_for(&spec.export_name) == **first { ", or no `className`" } else { "" },
                    d.class_name
                );
                out.push(PossibleRename {
                    gone_classes: vec![first.to_string()],
                    new_classes: vec![d.class_name.clone()],
                    diagnostic: Diagnostic::warning(codes::POSSIBLE_RENAME, message)
                        .with_primary(CONTAINERS_TS, spec.span, "class changed here")
                        .with_help(help),
                });
                continue;
            }
        }
        let commands: Vec<String> = candidates
            .iter()
            .map(|g| format!("`lunora rename {} {}`", export_of(g), spec.export_name))
            .collect();
        let olds: Vec<String> = candidates
            .iter()
            .map(|g| format!("`{}` ({g})", export_of(g)))
            .collect();
        let first = &candidates[0];
        let message = if candidates.len() == 1 {
            format!(
                "`{}` is new and {} is no longer declared: if you renamed it, run {} — otherwise the data of every {first} instance is orphaned",
                spec.export_name, olds[0], commands[0]
            )
        } else {
            format!(
                "`{}` is new and {} are no longer declared: if it is one of them renamed, run {} — otherwise their data is orphaned",
                spec.export_name,
                olds.join(" and "),
                commands.join(" or ")
            )
        };
        let help = format!(
            "{} moves the stored data to {} (a `renamed_classes` migration). To keep `{}` as well, declare it again; to delete its data, run `lunora remove {} --delete-data` (that deletes the stored data of every {first} instance at the next deploy). Until one of these, codegen does not wire `{}`: a migration that creates {} now would make the rename impossible later (Cloudflare does not rename a class onto one that exists)",
            commands[0],
            d.class_name,
            export_of(first),
            export_of(first),
            spec.export_name,
            d.class_name,
        );
        out.push(PossibleRename {
            gone_classes: candidates.iter().map(|g| g.to_string()).collect(),
            new_classes: vec![d.class_name.clone()],
            diagnostic: Diagnostic::warning(codes::POSSIBLE_RENAME, message)
                .with_primary(CONTAINERS_TS, spec.span, "new here")
                .with_help(help),
        });
    }
    out
}
