//! What a reconciliation targets and the errors found before any edit (the file is then left untouched).

#[allow(unused_imports)]
use super::*;

/// The scopes this run wires: the top level, every environment block that wires containers
/// itself, and the `--env` one (which must exist).
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
        .chain(
            analysis
                .envs
                .iter()
                .filter(|s| s.wires || s.env.as_deref() == input.env),
        )
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
    if errors.is_empty() {
        Ok(chosen)
    } else {
        errors.sort_by_key(|d| d.primary_label().map(|l| l.span.start));
        errors.dedup_by(|a, b| a.message == b.message);
        Err(errors)
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
