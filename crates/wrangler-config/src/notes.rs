//! The warnings and infos a reconciliation reports about what it kept or found (leftovers, reused bindings, values kept).

#[allow(unused_imports)]
use super::*;
use crate::read::ExistingContainer;

/// Wrangler names a container application after the worker; without a worker `name` each entry
/// needs its own `name`, or wrangler rejects the config.
pub(crate) fn missing_worker_name(
    file: &str,
    scope: &Scope,
    desired: &HashSet<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if scope.has_worker_name {
        return;
    }
    let block = if scope.env.is_some() {
        format!(
            "`\"name\"` to the `{}` block",
            scope.prefix.trim_end_matches('.')
        )
    } else {
        "a top-level `\"name\": \"my-worker\"` to the config".to_string()
    };
    for entry in &scope.containers {
        if entry.fields.contains_key("name") || !desired.contains(entry.class_name.as_str()) {
            continue;
        }
        diagnostics.push(
            Diagnostic::warning(
                crate::codes::MISSING_NAME,
                format!(
                    "wrangler needs a worker `name` to name the container application of `{}`",
                    entry.class_name
                ),
            )
            .with_primary(
                file,
                entry.span,
                format!("{}containers[] entry without `name`", scope.prefix),
            )
            .with_help(format!(
                "add {block}, or give the container a `name` in lunora/containers.ts"
            )),
        );
    }
}

/// Says once, as info, when a class keeps a binding it already had under another name.
pub(crate) fn binding_reused(
    file: &str,
    scopes: &[&Scope],
    desired: &[DesiredContainer],
    chosen: &HashMap<&str, String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for c in desired {
        let name = &chosen[c.class_name.as_str()];
        if *name == c.binding {
            continue;
        }
        let at = scopes
            .iter()
            .find_map(|s| s.binding_by_name.get(name).map(|&i| s.bindings[i].span));
        let d = Diagnostic::info(
            crate::codes::BINDING_REUSED,
            format!(
                "`{}` is already bound as `{name}`; lunora keeps that binding and the generated handles use it",
                c.class_name
            ),
        );
        let d = match at {
            Some(at) => d.with_primary(file, at, format!("`{name}` kept")),
            None => d.with_file(file),
        };
        diagnostics.push(d.with_help(format!(
            "nothing to do; `ctx.containers` reads `env.{name}` (lunora's default name would be `{}`)",
            c.binding
        )));
    }
}

/// Says once per entry, as info, where an environment block's own `containers[]` entry differs
/// from the definition: those values are the user's and are kept.
pub(crate) fn env_values_kept(
    file: &str,
    scope: &Scope,
    desired: &[DesiredContainer],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for c in desired {
        let Some(&i) = scope.container_by_class.get(&c.class_name) else {
            continue;
        };
        let entry = &scope.containers[i];
        let mut differs = Vec::new();
        // A build context goes with its image: when the block pins another image, the
        // definition's context says nothing about it.
        let own_image = entry
            .fields
            .get("image")
            .is_some_and(|i| !i.as_str().is_some_and(|i| values::same_path(i, &c.image)));
        for (key, want) in values::owned_fields(c) {
            if own_image && key == "image_build_context" {
                continue;
            }
            let have = entry.fields.get(key);
            // Values that mean the same to wrangler are the same: another spelling of the
            // path, or no build context where the definition's is wrangler's default one.
            let same = match (key, have, &want) {
                (
                    "image" | "image_build_context",
                    Some(Value::String(h)),
                    Some(Value::String(w)),
                ) => values::same_path(h, w),
                ("image_build_context", None, Some(Value::String(w))) => entry
                    .fields
                    .get("image")
                    .and_then(Value::as_str)
                    .is_some_and(|i| values::same_path(&values::default_build_context(i), w)),
                (_, Some(h), Some(w)) => values::same(h, w),
                (_, None, None) => true,
                _ => false,
            };
            if !same {
                let have = have.map(values::show).unwrap_or_else(|| "not set".into());
                let want = want
                    .as_ref()
                    .map(values::show)
                    .unwrap_or_else(|| "not set".into());
                differs.push((key, format!("{key} {have} (definition: {want})")));
            }
        }
        if differs.is_empty() {
            continue;
        }
        let mut d = Diagnostic::info(
            crate::codes::ENV_VALUES_KEPT,
            format!(
                "`{}containers[]` entry for `{}` keeps its own values: {}",
                scope.prefix,
                c.class_name,
                differs
                    .iter()
                    .map(|(_, s)| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        d = label_kept(d, file, entry, differs.iter().map(|(k, _)| *k));
        diagnostics.push(d.with_help(format!(
            "values set inside `{}` are yours and lunora never overwrites them; to follow lunora/containers.ts there, delete them (or the whole entry) and run lunora again",
            scope.prefix.trim_end_matches('.')
        )));
    }
}

/// The definition key that sets a `containers[]` field, for the help of
/// [`hand_set_values_kept`].
pub(crate) fn definition_key(field: &str) -> &'static str {
    match field {
        "image" | "image_build_context" => "image",
        "image_vars" => "buildArgs",
        "instance_type" => "instanceType",
        "max_instances" => "maxInstances",
        "name" => "name",
        "rollout_step_percentage" => "rollout.stepPercentage",
        "rollout_active_grace_period" => "rollout.gracePeriodSeconds",
        _ => "the matching key",
    }
}

/// Says, once per class and as info, which top-level fields set by hand (before lunora took the
/// class over) were kept although the definition does not set them: lunora removes only the
/// fields it wrote, so adopting a hand-wired class never drops its `max_instances` or
/// `instance_type` on the quiet.
pub(crate) fn hand_set_values_kept(
    file: &str,
    top: &Scope,
    kept: &[(String, String)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut by_class: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (class, key) in kept {
        by_class.entry(class).or_default().push(key);
    }
    for (class, keys) in by_class {
        let Some(&i) = top.container_by_class.get(class) else {
            continue;
        };
        let entry = &top.containers[i];
        let shown: Vec<String> = keys
            .iter()
            .map(|k| match entry.fields.get(k) {
                Some(v) => format!("`{k}` {}", values::show(v)),
                None => format!("`{k}`"),
            })
            .collect();
        let mut d = Diagnostic::info(
            crate::codes::HAND_SET_KEPT,
            format!(
                "the containers[] entry for `{class}` keeps {} set by hand: lunora/containers.ts does not set {}, and lunora removes only what it wrote",
                shown.join(", "),
                if keys.len() == 1 { "it" } else { "them" }
            ),
        );
        d = label_kept(d, file, entry, keys.iter().copied());
        let mut def_keys: Vec<&str> = keys.iter().map(|k| definition_key(k)).collect();
        def_keys.dedup();
        let def_keys: Vec<String> = def_keys.iter().map(|k| format!("`{k}`")).collect();
        diagnostics.push(d.with_help(format!(
            "to have lunora keep {} in step, set {} in the definition; to drop {}, delete {} from {file}",
            if keys.len() == 1 { "it" } else { "them" },
            def_keys.join(", "),
            if keys.len() == 1 { "it" } else { "them" },
            if keys.len() == 1 { "it" } else { "them" },
        )));
    }
}

/// Warns about entries of classes lunora generated before (`owned`) whose container is no longer
/// declared; deletes nothing. Classes lunora never generated are not its business.
pub(crate) fn leftovers(
    file: &str,
    scope: &Scope,
    owned: &HashSet<&str>,
    keep: &HashSet<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if owned.is_empty() {
        return;
    }
    let gone = |class: &str| owned.contains(class) && !keep.contains(class);
    let mut by_class: BTreeMap<&str, Vec<(Span, String)>> = BTreeMap::new();
    for entry in &scope.containers {
        if gone(&entry.class_name) {
            by_class
                .entry(&entry.class_name)
                .or_default()
                .push((entry.span, format!("{}containers[] entry", scope.prefix)));
        }
    }
    for binding in &scope.bindings {
        if gone(&binding.class_name) {
            by_class.entry(&binding.class_name).or_default().push((
                binding.span,
                format!("{}durable_objects.bindings {}", scope.prefix, binding.name),
            ));
        }
    }
    for (class, entries) in by_class {
        let names = entries
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut diagnostic = Diagnostic::warning(
            crate::codes::LEFTOVER_CONTAINER,
            format!("`{class}` is no longer declared in lunora/containers.ts, but {names} remain"),
        );
        for (i, (at, label)) in entries.iter().enumerate() {
            diagnostic = if i == 0 {
                diagnostic.with_primary(file, *at, label.clone())
            } else {
                diagnostic.with_secondary(file, *at, label.clone())
            };
        }
        let name = export_name_of(class);
        diagnostics.push(diagnostic.with_help(format!(
            "lunora keeps these entries, because removing a Durable Object class deletes its data. To keep `{class}`, declare the container again (or `lunora rename` another export to `{name}`). To remove it for good, run `lunora remove {name} --delete-data`: it removes these entries and appends a `deleted_classes` migration, and `--delete-data` deletes the stored data of every `{class}` instance at the next deploy"
        )));
    }
}

/// `d` labelled at every kept field of `entry` that has a span (the first as primary), or at
/// the whole entry when none has.
fn label_kept<'k>(
    mut d: Diagnostic,
    file: &str,
    entry: &ExistingContainer,
    keys: impl Iterator<Item = &'k str>,
) -> Diagnostic {
    let mut located = false;
    for key in keys {
        if let Some(at) = entry.field_spans.get(key) {
            d = if located {
                d.with_secondary(file, *at, format!("{key} kept"))
            } else {
                d.with_primary(file, *at, format!("{key} kept"))
            };
            located = true;
        }
    }
    if located {
        d
    } else {
        d.with_primary(file, entry.span, "kept as written")
    }
}
