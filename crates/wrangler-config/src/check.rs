//! What a reconciliation targets and the errors found before any edit (the file is then left untouched).

#[allow(unused_imports)]
use super::*;

/// The scopes this run wires: the top level and every environment block (wrangler inherits
/// neither `containers` nor `durable_objects` into one), except a block that says it runs
/// without containers with its own explicit `"containers": []`. `--env` must name a block.
pub(crate) fn targets<'a>(
    input: &ReconcileInput<'_>,
    analysis: &'a Analysis,
) -> Result<Vec<&'a Scope>, Vec<Diagnostic>> {
    if let Some(name) = input.env {
        if analysis.env(name).is_none() {
            let file = input.file;
            let names: Vec<String> = analysis
                .envs
                .iter()
                .filter_map(|s| s.env.as_ref().map(|n| format!("`{n}`")))
                .collect();
            let found = if names.is_empty() {
                format!("{file} defines no environments")
            } else {
                format!("the environments in {file} are {}", names.join(", "))
            };
            return Err(vec![Diagnostic::error(
                crate::codes::MISSING_ENV,
                format!("{file} has no `env.{name}` block ({found})"),
            )
            .with_primary(file, analysis.env_anchor, format!("`env.{name}` is not defined here"))
            .with_help(format!(
                "check the name, or add `\"env\": {{ \"{name}\": {{}} }}` to {file}; lunora fills in its containers, Durable Object bindings and migrations (wrangler does not inherit them into environments)"
            ))]);
        }
    }
    Ok(std::iter::once(&analysis.top)
        .chain(analysis.envs.iter().filter(|s| !s.without_containers))
        .collect())
}

/// Errors that depend on the desired containers, found before any edit. Returns the binding
/// each desired class is wired under (its existing one, else the default).
pub(crate) fn check<'a>(
    input: &'a ReconcileInput<'_>,
    analysis: &Analysis,
    targets: &[&Scope],
) -> Result<HashMap<&'a str, String>, Vec<Diagnostic>> {
    let file = input.file;
    let mut errors = Vec::new();
    let mut chosen: HashMap<&str, String> = HashMap::new();
    for desired in input.containers {
        let class = desired.class_name.as_str();
        // The first scope (top level first) that binds the class decides its name: the
        // default name when it is among them, else the first one written.
        let existing = targets
            .iter()
            .find_map(|s| s.bindings_by_class.get(class).map(|ix| (s, ix)));
        let name = match existing {
            Some((scope, ix)) => ix
                .iter()
                .map(|&i| &scope.bindings[i].name)
                .find(|n| **n == desired.binding)
                .unwrap_or(&scope.bindings[ix[0]].name)
                .clone(),
            None => desired.binding.clone(),
        };
        for scope in targets {
            if let Some(ix) = scope.bindings_by_class.get(class) {
                if !ix.iter().any(|&i| scope.bindings[i].name == name) {
                    let b = &scope.bindings[ix[0]];
                    errors.push(
                        Diagnostic::error(
                            crate::codes::BINDING_MISMATCH,
                            format!(
                                "`{}durable_objects.bindings` binds `{class}` as `{}`, but elsewhere it is `{name}`; the generated handles read one binding name",
                                scope.prefix, b.name
                            ),
                        )
                        .with_primary(file, b.span, format!("expected `{name}`"))
                        .with_help(format!("use one binding name for `{class}` at the top level and in every environment block")),
                    );
                }
            }
            // A binding with `script_name` is another worker's class: never this container's
            // binding. wrangler refuses a container on a class bound that way, and a binding
            // name it holds cannot be lunora's.
            if let Some(foreign) = scope
                .foreign_bindings
                .iter()
                .find(|b| b.class_name == class || b.name == name)
            {
                let message = if foreign.class_name == class {
                    format!(
                        "`{}durable_objects.bindings` {} binds `{class}` of the worker `script_name` names, so wrangler cannot give this worker's `{class}` a container",
                        scope.prefix, foreign.name
                    )
                } else {
                    format!(
                        "`{}durable_objects.bindings` {name} binds `{}` of another worker (`script_name`), but lunora needs {name} for this worker's `{class}`",
                        scope.prefix, foreign.class_name
                    )
                };
                errors.push(
                    Diagnostic::error(crate::codes::BINDING_CONFLICT, message)
                        .with_primary(file, foreign.span, "another worker's class (`script_name`)")
                        .with_help(format!("a binding with `script_name` is never used for a container of this worker: rename the container (its class) in lunora/containers.ts, or remove this binding if `{}` is meant to be this worker's", foreign.class_name)),
                );
                continue;
            }
            if let Some(&i) = scope.binding_by_name.get(&name) {
                let existing = &scope.bindings[i];
                if existing.class_name != class {
                    errors.push(
                        Diagnostic::error(
                            crate::codes::BINDING_CONFLICT,
                            format!(
                                "`{}durable_objects.bindings` {name} points at `{}`, but lunora needs it for `{class}`",
                                scope.prefix, existing.class_name
                            ),
                        )
                        .with_primary(file, existing.class_span, format!("expected `{class}`"))
                        .with_help(format!(
                            "rename this binding, or set its `class_name` to `{class}`; lunora does not overwrite a binding it did not write"
                        )),
                    );
                }
            }
        }
        chosen.insert(class, name);
    }
    // The migrations each target scope reads (its own, else the top level's): a class they
    // declare key-value backed cannot serve a container.
    let mut seen: HashSet<*const Migrations> = HashSet::new();
    for scope in targets {
        let migrations = analysis.migrations_of(scope);
        if !seen.insert(migrations as *const Migrations) {
            continue;
        }
        for desired in input.containers {
            let Some(declared) = migrations.declared.get(&desired.class_name) else {
                continue;
            };
            if declared.storage != Storage::KeyValue {
                continue;
            }
            let tag = declared.tag_note("migration ");
            errors.push(kv_backed(
                file,
                declared.span,
                format!(
                    "`{}` is declared as a key-value backed Durable Object{tag}, but containers need SQLite-backed Durable Objects",
                    desired.class_name
                ),
                format!(
                    "a class cannot switch storage: a migration with `\"deleted_classes\": [\"{0}\"]` deletes the class and all of its stored data, after which lunora can declare `{0}` in `new_sqlite_classes`; renaming it away keeps the data under the other name. Which one is your call",
                    desired.class_name
                ),
            ));
        }
    }
    kept_values_wrangler_rejects(input, targets, &mut errors);
    if errors.is_empty() {
        Ok(chosen)
    } else {
        errors.sort_by_key(|d| d.primary_label().map(|l| l.span.start));
        errors.dedup_by(|a, b| a.message == b.message);
        Err(errors)
    }
}

/// wrangler 4.86's allowed `instance_type` names (`ALLOWED_INSTANCE_TYPES` in its config
/// validation; `dev` and `standard` are its legacy names).
const WRANGLER_INSTANCE_TYPES: &[&str] = &[
    "lite",
    "basic",
    "standard-1",
    "standard-2",
    "standard-3",
    "standard-4",
    "dev",
    "standard",
];
/// The single `rollout_step_percentage` values wrangler 4.86 accepts.
const WRANGLER_ROLLOUT_STEPS: &[f64] = &[5.0, 10.0, 20.0, 25.0, 50.0, 100.0];

/// Why wrangler 4.86 would reject `value` as the `key` of a `containers[]` entry whose
/// `max_instances` is `max_instances`, with the values it accepts; `None` when it accepts it.
/// The rules are wrangler's own config validation (types are checked when reading).
pub(crate) fn wrangler_rejects(
    key: &str,
    value: &Value,
    max_instances: Option<f64>,
) -> Option<String> {
    match (key, value) {
        ("instance_type", Value::String(s)) if !WRANGLER_INSTANCE_TYPES.contains(&s.as_str()) => {
            Some(format!(
                "`instance_type` \"{s}\" is not an instance type wrangler knows; use one of {}, or an object `{{ \"vcpu\": …, \"memory_mib\": …, \"disk_mb\": … }}`",
                WRANGLER_INSTANCE_TYPES[..6].iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
            ))
        }
        ("max_instances", Value::Number(n)) if n.as_f64().is_some_and(|n| n < 0.0) => Some(format!(
            "`max_instances` {n} is negative; wrangler needs a number of instances, 0 or more"
        )),
        ("rollout_active_grace_period", Value::Number(n)) if n.as_f64().is_some_and(|n| n < 0.0) => Some(format!(
            "`rollout_active_grace_period` {n} is negative; wrangler needs seconds, 0 or more"
        )),
        ("rollout_step_percentage", Value::Number(n)) => {
            let v = n.as_f64().unwrap_or(f64::NAN);
            (!WRANGLER_ROLLOUT_STEPS.contains(&v)).then(|| format!(
                "`rollout_step_percentage` {n} is not a step wrangler accepts; use one of 5, 10, 20, 25, 50, 100, or an ascending array of steps between 10 and 100 ending with 100"
            ))
        }
        ("rollout_step_percentage", Value::Array(steps)) => {
            let nums: Vec<Option<f64>> = steps.iter().map(Value::as_f64).collect();
            let why = if nums.iter().any(Option::is_none) {
                Some("has an element that is not a number")
            } else if nums.iter().flatten().any(|&s| !(10.0..=100.0).contains(&s)) {
                Some("has a step outside 10 to 100")
            } else if nums.windows(2).any(|w| w[1] < w[0]) {
                Some("is not in ascending order")
            } else if nums.last().copied().flatten() != Some(100.0) {
                Some("does not end with 100")
            } else if max_instances.is_some_and(|m| steps.len() as f64 > m) {
                Some("has more steps than `max_instances`")
            } else {
                None
            };
            why.map(|why| format!(
                "`rollout_step_percentage` {} {why}; wrangler needs an ascending array of steps between 10 and 100 ending with 100, no longer than `max_instances` (or one of 5, 10, 20, 25, 50, 100)",
                values::show(value)
            ))
        }
        _ => None,
    }
}

/// A value lunora keeps in a `containers[]` entry of a class it wires (set by hand: a top-level
/// field the definition does not set, or an env block's own value) that wrangler 4.86 would
/// reject is an error at its place, before anything is written: the deploy would fail later.
fn kept_values_wrangler_rejects(
    input: &ReconcileInput<'_>,
    targets: &[&Scope],
    errors: &mut Vec<Diagnostic>,
) {
    for scope in targets {
        for desired in input.containers {
            let Some(&i) = scope.container_by_class.get(&desired.class_name) else {
                continue;
            };
            let entry = &scope.containers[i];
            let record = scope
                .env
                .as_ref()
                .and_then(|env| input.env_written.get(env))
                .and_then(|r| r.get(&desired.class_name));
            let owned = values::owned_fields(desired);
            let after = |key: &str| -> Option<Value> {
                let want = owned
                    .iter()
                    .find(|(k, _)| *k == key)
                    .and_then(|(_, w)| w.clone());
                let have = entry.fields.get(key).cloned();
                let follows = match &have {
                    None => true,
                    Some(h) => {
                        scope.env.is_none()
                            || record
                                .and_then(|r| r.get(key))
                                .is_some_and(|r| values::same(r, h))
                    }
                };
                if follows && want.is_some() {
                    want
                } else {
                    have
                }
            };
            let max_instances = after("max_instances").and_then(|v| v.as_f64());
            for (key, want) in &owned {
                let Some(have) = entry.fields.get(key) else {
                    continue;
                };
                let kept = after(key).is_some_and(|v| values::same(&v, have))
                    && want.as_ref().is_none_or(|w| !values::same(w, have));
                if !kept {
                    continue;
                }
                let Some(why) = wrangler_rejects(key, have, max_instances) else {
                    continue;
                };
                let mut d = Diagnostic::error(
                    crate::codes::INVALID_KEPT_VALUE,
                    format!(
                        "the {}containers[] entry for `{}` keeps a value wrangler rejects: {why}",
                        scope.prefix, desired.class_name
                    ),
                );
                d = match entry.field_spans.get(key) {
                    Some(at) => d.with_primary(input.file, *at, "wrangler rejects this value"),
                    None => d.with_file(input.file),
                };
                errors.push(d.with_help(format!(
                    "fix the value in {}, or delete it and set `{}` in lunora/containers.ts",
                    input.file,
                    definition_key(key)
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// wrangler 4.86's config validation, rule by rule: what it rejects, and what it accepts.
    #[test]
    fn kept_values_are_checked_as_wrangler_checks_them() {
        let rejects = |k: &str, v: Value, m: Option<f64>| wrangler_rejects(k, &v, m);
        assert!(rejects("instance_type", json!("mega"), None).is_some());
        for t in [
            "lite",
            "basic",
            "standard-1",
            "standard-4",
            "dev",
            "standard",
        ] {
            assert_eq!(rejects("instance_type", json!(t), None), None, "{t}");
        }
        assert_eq!(rejects("instance_type", json!({ "vcpu": 1 }), None), None);
        assert!(rejects("max_instances", json!(-1), None).is_some());
        assert_eq!(rejects("max_instances", json!(0), None), None);
        assert!(rejects("rollout_active_grace_period", json!(-5), None).is_some());
        assert_eq!(rejects("rollout_active_grace_period", json!(0), None), None);
        assert!(rejects("rollout_step_percentage", json!(15), None).is_some());
        for s in [5, 10, 20, 25, 50, 100] {
            assert_eq!(
                rejects("rollout_step_percentage", json!(s), None),
                None,
                "{s}"
            );
        }
        for bad in [
            json!([5, 100]),
            json!([50, 20, 100]),
            json!([20, 50]),
            json!(["x", 100]),
        ] {
            assert!(
                rejects("rollout_step_percentage", bad.clone(), None).is_some(),
                "{bad}"
            );
        }
        assert_eq!(
            rejects("rollout_step_percentage", json!([10, 50, 100]), Some(3.0)),
            None
        );
        assert!(rejects("rollout_step_percentage", json!([10, 50, 100]), Some(2.0)).is_some());
    }
}

/// `wrangler/kv-backed-container`: a class a container needs is declared key-value backed at
/// `span` (containers need SQLite-backed Durable Objects).
pub(crate) fn kv_backed(
    file: &str,
    span: Span,
    message: String,
    help: impl Into<String>,
) -> Diagnostic {
    Diagnostic::error(crate::codes::KV_BACKED_CONTAINER, message)
        .with_primary(file, span, "declared through `new_classes`")
        .with_help(help)
}
