//! One reconciliation: read, check, then edit the CST scope by scope (see the crate docs).

#[allow(unused_imports)]
use super::*;

pub(crate) fn reconcile_text(
    input: &ReconcileInput<'_>,
) -> Result<ReconcileOutput, Vec<Diagnostic>> {
    let analysis = read::analyze(input.text, input.file)?;
    let targets = targets(input, &analysis)?;
    let chosen = check(input, &analysis, &targets)?;
    crate::application::check_one_application_per_name(input.file, &targets, input.containers)?;

    let root = CstRootNode::parse(input.text, &read::parse_options()).map_err(|e| {
        vec![Diagnostic::error(
            crate::codes::PARSE_ERROR,
            format!("{} does not parse: {e}", input.file),
        )
        .with_file(input.file)]
    })?;
    let Some(root_obj) = root.object_value() else {
        return Err(vec![internal(
            input.file,
            "the root object disappeared between two parses",
        )]);
    };

    // Trailing commas in what we write follow the file (never in strict JSON).
    let trailing = if input.format == ConfigFormat::Json || !root.uses_trailing_commas() {
        TrailingCommaMode::Never
    } else {
        TrailingCommaMode::IfMultiline
    };
    let mut ed = Edits {
        authorship: Authorship {
            owned: input.owned.iter().map(String::as_str).collect(),
            fields: Some(input.written_fields),
            env: Some(input.env_written),
        },
        ..Edits::default()
    };
    if !input.containers.is_empty() {
        for scope in &targets {
            let obj = match &scope.env {
                None => Some(root_obj.clone()),
                Some(name) => root_obj
                    .object_value("env")
                    .and_then(|e| e.object_value(name)),
            };
            let Some(obj) = obj else {
                return Err(vec![internal(
                    input.file,
                    "an environment block disappeared between two parses",
                )]);
            };
            reconcile_scope(&obj, scope, &analysis, input.containers, &chosen, &mut ed);
        }
        ensure_observability(&root_obj, &analysis.observability, &mut ed);
    }
    for node in &ed.written {
        match node {
            CstNode::Container(CstContainerNode::Object(o)) => o.set_trailing_commas(trailing),
            CstNode::Container(CstContainerNode::Array(a)) => a.set_trailing_commas(trailing),
            _ => {}
        }
    }
    let Edits {
        changes,
        written,
        kept_commented,
        hand_set_kept,
        ..
    } = ed;
    let target_envs: Vec<String> = targets.iter().filter_map(|t| t.env.clone()).collect();
    drop(targets);

    // Every edit of the tree is reported as added or updated, so when all changes are
    // `Unchanged` the tree still prints as the input: skip printing and re-reading it (on a
    // 1,000-container config that was ~40% of a no-op run).
    let untouched = written.is_empty() && changes.iter().all(|c| c.kind == ChangeKind::Unchanged);
    // The tree is done with: every handle into it goes before the text is re-read, so a large
    // config is not held twice (less memory, and on 20,000 containers measurably less time).
    drop(written);
    drop(root_obj);
    let (text, after) = if untouched {
        debug_assert_eq!(
            root.to_string(),
            input.text,
            "an edit was not reported as a change"
        );
        (input.text.to_string(), analysis)
    } else {
        let text = root.to_string();
        drop(root);
        drop(analysis);
        let after = read::analyze(&text, input.file).map_err(|mut errors| {
            errors.insert(
                0,
                internal(input.file, "the reconciled text no longer parses"),
            );
            errors
        })?;
        (text, after)
    };

    let mut diagnostics = Vec::new();
    let file = input.file;
    let after_targets: Vec<&Scope> = std::iter::once(&after.top)
        .chain(
            after
                .envs
                .iter()
                .filter(|s| s.env.as_ref().is_some_and(|e| target_envs.contains(e))),
        )
        .collect();
    if !input.containers.is_empty() {
        if let Observability::Disabled(at) = after.observability {
            diagnostics.push(
                Diagnostic::warning(
                    crate::codes::OBSERVABILITY_DISABLED,
                    "observability is disabled: container logs will not be captured",
                )
                .with_primary(file, at, "disabled here")
                .with_help("set `\"enabled\": true` to see container logs in the Cloudflare dashboard and `wrangler tail`"),
            );
        }
        binding_reused(
            file,
            &after_targets,
            input.containers,
            &chosen,
            &mut diagnostics,
        );
    }
    for scope in std::iter::once(&after.top).chain(&after.envs) {
        let Some(migrations) = &scope.migrations else {
            continue;
        };
        if migrations.nulls.is_empty() {
            continue;
        }
        let mut diagnostic = Diagnostic::warning(
            crate::codes::NULL_MIGRATION,
            format!(
                "`{}migrations` contains `null`, which wrangler cannot read",
                scope.prefix
            ),
        );
        for (i, at) in migrations.nulls.iter().enumerate() {
            diagnostic = if i == 0 {
                diagnostic.with_primary(file, *at, "remove this entry")
            } else {
                diagnostic.with_secondary(file, *at, "and this one")
            };
        }
        diagnostics.push(diagnostic.with_help("delete the `null` entries; wrangler stops with \"Cannot destructure property 'tag'\" on them"));
    }
    let desired: HashSet<&str> = input
        .containers
        .iter()
        .map(|c| c.class_name.as_str())
        .collect();
    for scope in &after_targets {
        missing_worker_name(file, scope, &desired, &mut diagnostics);
    }
    for (prefix, class, key) in &kept_commented {
        let scope = after_targets.iter().find(|s| &s.prefix == prefix);
        let at = scope
            .and_then(|s| s.container_by_class.get(class).map(|&i| &s.containers[i]))
            .and_then(|entry| entry.field_spans.get(key));
        let mut d = Diagnostic::warning(
            crate::codes::STALE_FIELD_KEPT,
            format!("`{key}` in the {prefix}containers[] entry for {class} is no longer set in lunora/containers.ts, but a comment shares its line, so it was kept"),
        );
        d = match at {
            Some(at) => d.with_primary(file, *at, "no longer set by the definition"),
            None => d.with_file(file),
        };
        diagnostics.push(d.with_help(format!(
            "delete `{key}` (and its comment) from {file} by hand, or set it again in the definition"
        )));
    }
    hand_set_values_kept(file, &after.top, &hand_set_kept, &mut diagnostics);
    for scope in after_targets.iter().filter(|s| s.env.is_some()) {
        env_values_kept(file, scope, input.containers, &mut diagnostics);
    }
    let keep: HashSet<&str> = desired
        .iter()
        .copied()
        .chain(input.declared_unwired.iter().map(String::as_str))
        .collect();
    let owned: HashSet<&str> = input.owned.iter().map(String::as_str).collect();
    for scope in std::iter::once(&after.top).chain(&after.envs) {
        leftovers(file, scope, &owned, &keep, &mut diagnostics);
    }

    let mut wired_classes = BTreeSet::new();
    for scope in std::iter::once(&after.top).chain(&after.envs) {
        wired_classes.extend(scope.bindings.iter().map(|b| b.class_name.clone()));
        wired_classes.extend(scope.containers.iter().map(|c| c.class_name.clone()));
    }
    let bindings = input
        .containers
        .iter()
        .map(|c| (c.class_name.clone(), chosen[c.class_name.as_str()].clone()))
        .collect();
    let written_fields = input
        .containers
        .iter()
        .map(|c| {
            let fields = values::owned_fields(c)
                .into_iter()
                .filter(|(_, v)| v.is_some())
                .map(|(k, _)| k.to_string())
                .collect();
            (c.class_name.clone(), fields)
        })
        .collect();
    let mut env_written = EnvRecord::new();
    for scope in after_targets.iter().filter(|s| s.env.is_some()) {
        let env = env_written
            .entry(scope.env.clone().unwrap_or_default())
            .or_default();
        for c in input.containers {
            let Some(&i) = scope.container_by_class.get(&c.class_name) else {
                continue;
            };
            let entry = &scope.containers[i];
            let fields = values::owned_fields(c)
                .into_iter()
                .filter_map(|(k, want)| {
                    let want = want?;
                    let have = entry.fields.get(k)?;
                    values::same(have, &want).then(|| (k.to_string(), want))
                })
                .collect();
            env.insert(c.class_name.clone(), fields);
        }
    }
    Ok(ReconcileOutput {
        env_written,
        text,
        changes,
        diagnostics,
        bindings,
        wired_classes,
        written_fields,
    })
}

pub(crate) fn internal(file: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        crate::codes::INTERNAL,
        format!("lunora bug while editing {file}: {what}"),
    )
    .with_file(file)
    .with_help("please report this with the config file attached; the file was left untouched")
}

pub(crate) fn string_prop(obj: &CstObject, name: &str) -> Option<String> {
    obj.get(name)?
        .value()?
        .as_string_lit()?
        .decoded_value()
        .ok()
}

pub(crate) fn objects(array: &CstArray) -> impl Iterator<Item = CstObject> {
    array.elements().into_iter().filter_map(|e| e.as_object())
}

pub(crate) fn object_input(fields: Vec<(&str, Value)>) -> CstInputValue {
    CstInputValue::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), value_to_cst(&v)))
            .collect(),
    )
}

/// What one reconciliation did: the changes to report, and the nodes it wrote, whose trailing
/// commas must follow the file's style (jsonc-parser decides from the local subtree only).
#[derive(Default)]
pub(crate) struct Edits<'a> {
    pub(crate) changes: Vec<Change>,
    pub(crate) written: Vec<CstNode>,
    /// Owned fields the definition dropped but that were kept because a comment shares their
    /// line (removing them would lose the comment): `(scope prefix, class, key)`.
    pub(crate) kept_commented: Vec<(String, String, String)>,
    /// Top-level fields the definition does not set that lunora did not write either (set by
    /// hand before the class was declared): kept, `(class, key)`.
    pub(crate) hand_set_kept: Vec<(String, String)>,
    pub(crate) authorship: Authorship<'a>,
}

/// Which top-level `containers[]` fields lunora wrote last run, and so may remove.
#[derive(Default)]
pub(crate) struct Authorship<'a> {
    pub(crate) owned: HashSet<&'a str>,
    pub(crate) fields: Option<&'a BTreeMap<String, BTreeSet<String>>>,
    /// What lunora wrote in each environment block last run (see [`ReconcileInput::env_written`]).
    pub(crate) env: Option<&'a EnvRecord>,
}

impl Authorship<'_> {
    /// Whether lunora wrote `key` of `class`'s entry: the class is in the record, and the
    /// record's fields name the key. Without fields for the class (no record, a record from
    /// before fields were kept, or one that does not read) nothing counts as lunora's: a field
    /// is left in place and reported rather than removed on a guess.
    pub(crate) fn wrote(&self, class: &str, key: &str) -> bool {
        self.owned.contains(class)
            && self
                .fields
                .and_then(|f| f.get(class))
                .is_some_and(|f| f.contains(key))
    }
}

impl Edits<'_> {
    pub(crate) fn push(&mut self, kind: ChangeKind, what: String) {
        self.changes.push(Change { kind, what });
    }
}

/// Appends `values` to the array at `path` under `obj` (e.g. `["durable_objects", "bindings"]`),
/// creating what is missing. Contract: linear in the array's length plus the values, however many
/// values there are: a missing or empty array is written in one piece, since each single append
/// of jsonc-parser's CST walks the whole array (appending 20,000 entries one by one was
/// quadratic, ~2 minutes).
pub(crate) fn append_all(
    obj: &CstObject,
    path: &[&str],
    values: Vec<CstInputValue>,
    ed: &mut Edits,
) {
    if values.is_empty() {
        return;
    }
    let mut current = obj.clone();
    let mut depth = 0;
    // Down to the deepest object on `path` that exists.
    while depth + 1 < path.len() {
        match current.get(path[depth]) {
            Some(_) => match current.object_value(path[depth]) {
                Some(next) => current = next,
                None => return,
            },
            None => break,
        }
        depth += 1;
    }
    let key = path[depth];
    let Some(prop) = current.get(key) else {
        mark_if_one_line(&current, ed);
        let mut value = CstInputValue::Array(values);
        for inner in path[depth + 1..].iter().rev() {
            value = CstInputValue::Object(vec![(inner.to_string(), value)]);
        }
        let prop = current.append(key, value);
        ed.written.extend(prop.value());
        return;
    };
    let Some(array) = current.array_value(key) else {
        return;
    };
    let bare = array
        .children()
        .iter()
        .all(|c| c.is_whitespace() || c.is_newline() || c.is_token());
    if array.elements().is_empty() && bare {
        prop.set_value(CstInputValue::Array(values));
        ed.written.extend(prop.value());
    } else {
        for value in values {
            append_object(&array, value, ed);
        }
    }
}

/// Notes `obj` among the written nodes when it is on one line, before lunora adds a property to
/// it: adding spreads it over lines, and its trailing commas must then follow the file. (Its
/// contents, all on one line, keep theirs: trailing commas only go into multi-line containers.)
pub(crate) fn mark_if_one_line(obj: &CstObject, ed: &mut Edits) {
    if !obj.children().iter().any(|c| c.is_newline()) {
        ed.written.push(obj.clone().into());
    }
}

/// Appends an object to `array`. A one-line array (`[{ … }]`) is first spread over lines, since a
/// multi-line object inside a one-line array reads badly.
pub(crate) fn append_object(array: &CstArray, value: CstInputValue, ed: &mut Edits) {
    let children = array.children();
    let one_line = !children.iter().any(|c| c.is_newline());
    if one_line {
        // The space before `]` of `[ /* … */ ]` would end up in front of the new closing line.
        if let Some(space) = children.iter().rev().nth(1).filter(|c| c.is_whitespace()) {
            space.clone().remove();
        }
    }
    if array.elements().is_empty() {
        // An empty array says nothing about trailing commas; the file's style applies.
        ed.written.push(array.clone().into());
    } else if one_line {
        array.ensure_multiline();
        ed.written.push(array.clone().into());
    }
    let node = array.append(value);
    ed.written.push(node);
}
