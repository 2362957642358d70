//! Reconciles a `wrangler.jsonc` / `wrangler.json` text with the containers a project declares.
//! Pure: strings in, string out. Edits go through jsonc-parser's CST so everything outside the
//! edited spots (comments, trailing commas, key order, indentation, line endings) survives.
//!
//! Accepted input: JSON plus comments and trailing commas (in `.json` files too, as wrangler reads
//! them); anything looser (missing commas, unquoted keys, single quotes) is a parse error.
//! What is written follows the file: its indentation, line endings, and trailing commas (never
//! in a `.json` file).
//!
//! Diagnostic codes. Errors (the file must be left untouched): `wrangler/parse-error`,
//! `wrangler/invalid-root`, `wrangler/invalid-type`, `wrangler/missing-env`,
//! `wrangler/binding-conflict`, `wrangler/kv-backed-container`, `wrangler/duplicate-key`,
//! `wrangler/internal`.
//! Warnings: `wrangler/observability-disabled`, `wrangler/leftover-container`,
//! `wrangler/null-migration`, `wrangler/missing-name`.
//!
//! A comment on the same line as an owned field that the definition no longer sets is removed
//! together with that field; every other comment survives.

mod read;
mod values;

use jsonc_parser::cst::{
    CstArray, CstContainerNode, CstInputValue, CstNode, CstObject, CstRootNode, TrailingCommaMode,
};
use lunora_diagnostic::Diagnostic;
use read::{Analysis, Observability, Scope, Storage};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub use values::value_to_cst;

/// Which file flavour is being edited: a `.json` file must stay strict JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigFormat {
    Jsonc,
    Json,
}

/// A container as wrangler should see it; built by the CLI from the validated model.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredContainer {
    /// `TranscoderContainer`.
    pub class_name: String,
    /// `CONTAINER_TRANSCODER`.
    pub binding: String,
    /// `containers[].image`: a Dockerfile path (`./containers/x/Dockerfile`) or a registry reference.
    pub image: String,
    pub image_build_context: Option<String>,
    pub image_vars: Option<BTreeMap<String, String>>,
    pub instance_type: Option<InstanceTypeValue>,
    pub max_instances: Option<u32>,
    pub name: Option<String>,
    pub rollout_step_percentage: Option<RolloutStep>,
    pub rollout_active_grace_period: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InstanceTypeValue {
    Named(String),
    /// Written as `{ "vcpu": …, "memory_mib": …, "disk_mb": … }`.
    Custom {
        vcpu: f64,
        memory_mib: u32,
        disk_mb: u32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum RolloutStep {
    One(u8),
    Steps(Vec<u8>),
}

/// Input of one reconciliation.
#[derive(Debug, Clone)]
pub struct ReconcileInput<'a> {
    pub text: &'a str,
    pub format: ConfigFormat,
    /// Name used in diagnostics, e.g. `wrangler.jsonc`.
    pub file: &'a str,
    /// Containers whose classes the worker entry exports, in a stable order.
    pub containers: &'a [DesiredContainer],
    /// `--env NAME`: also reconcile `env.<NAME>` (durable_objects and containers are not inherited).
    pub env: Option<&'a str>,
    /// Class names of containers that are declared but not exported by the worker entry. Their
    /// entries are neither written nor reported as leftovers (the CLI warns about them itself).
    pub declared_unexported: &'a [String],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Updated,
    Unchanged,
}

/// One thing the reconciler did (or found already right), for the CLI to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Human description, e.g. `containers[] entry for TranscoderContainer` or
    /// `durable_objects.bindings CONTAINER_TRANSCODER`.
    pub what: String,
}

#[derive(Debug, Clone)]
pub struct ReconcileOutput {
    /// The new text; equal to the input when nothing changed.
    pub text: String,
    pub changes: Vec<Change>,
    /// Warnings (observability disabled, leftover entries of removed containers, …).
    pub diagnostics: Vec<Diagnostic>,
}

/// The format of a config file by its name: `.json` is strict JSON, anything else (`.jsonc`) JSONC.
pub fn detect_format(file_name: &str) -> ConfigFormat {
    if file_name.to_ascii_lowercase().ends_with(".json") {
        ConfigFormat::Json
    } else {
        ConfigFormat::Jsonc
    }
}

/// Reconciles `input`. `Err` carries located errors (the file does not parse, a container class
/// is declared key-value backed, …); the caller must then leave the file untouched.
///
/// Contract: only the spots named in the returned changes are edited; reconciling the returned
/// text again yields the same text and only `Unchanged` changes. Error spans point into the input
/// text; warning spans point into the returned text (where the user will find them).
/// Nothing is added when `containers` is empty; leftover entries are still reported.
pub fn reconcile(input: &ReconcileInput<'_>) -> Result<ReconcileOutput, Vec<Diagnostic>> {
    let analysis = read::analyze(input.text, input.file, input.env)?;
    check(input, &analysis)?;

    let root = CstRootNode::parse(input.text, &read::parse_options()).map_err(|e| {
        vec![Diagnostic::error(
            "wrangler/parse-error",
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
        changes: Vec::new(),
        written: Vec::new(),
        kept_commented: Vec::new(),
    };
    if !input.containers.is_empty() {
        reconcile_scope(&root_obj, &analysis.top, input.containers, &mut ed);
        append_migration(&root_obj, &analysis, input.containers, &mut ed);
        if let (Some(name), Some(scope)) = (input.env, &analysis.env) {
            if let Some(env_obj) = root_obj
                .object_value("env")
                .and_then(|e| e.object_value(name))
            {
                reconcile_scope(&env_obj, scope, input.containers, &mut ed);
            }
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
    let changes = ed.changes;
    let kept_commented = ed.kept_commented;

    // Every edit of the tree is reported as added or updated, so when all changes are
    // `Unchanged` the tree still prints as the input: skip printing and re-reading it (on a
    // 1,000-container config that was ~40% of a no-op run).
    let untouched =
        ed.written.is_empty() && changes.iter().all(|c| c.kind == ChangeKind::Unchanged);
    let (text, after) = if untouched {
        debug_assert_eq!(
            root.to_string(),
            input.text,
            "an edit was not reported as a change"
        );
        (input.text.to_string(), analysis)
    } else {
        let text = root.to_string();
        let after = read::analyze(&text, input.file, input.env).map_err(|mut errors| {
            errors.insert(
                0,
                internal(input.file, "the reconciled text no longer parses"),
            );
            errors
        })?;
        (text, after)
    };
    let mut diagnostics = Vec::new();
    if !input.containers.is_empty() {
        if let Observability::Disabled(at) = after.observability {
            diagnostics.push(
                Diagnostic::warning(
                    "wrangler/observability-disabled",
                    "observability is disabled: container logs will not be captured",
                )
                .with_primary(input.file, at, "disabled here")
                .with_help("set `\"enabled\": true` to see container logs in the Cloudflare dashboard and `wrangler tail`"),
            );
        }
    }
    let keep: BTreeSet<&str> = input
        .containers
        .iter()
        .map(|c| c.class_name.as_str())
        .chain(input.declared_unexported.iter().map(String::as_str))
        .collect();
    if !after.null_migrations.is_empty() {
        let mut diagnostic = Diagnostic::warning(
            "wrangler/null-migration",
            "`migrations` contains `null`, which wrangler cannot read",
        );
        for (i, at) in after.null_migrations.iter().enumerate() {
            diagnostic = if i == 0 {
                diagnostic.with_primary(input.file, *at, "remove this entry")
            } else {
                diagnostic.with_secondary(input.file, *at, "and this one")
            };
        }
        diagnostics.push(diagnostic.with_help("delete the `null` entries; wrangler stops with \"Cannot destructure property 'tag'\" on them"));
    }
    for scope in std::iter::once(&after.top).chain(after.env.as_ref()) {
        missing_worker_name(input.file, scope, input.containers, &mut diagnostics);
    }
    leftovers(input.file, &after.top, &keep, &mut diagnostics);
    if let Some(scope) = &after.env {
        leftovers(input.file, scope, &keep, &mut diagnostics);
    }

    for (entry, key) in &kept_commented {
        diagnostics.push(
            Diagnostic::warning(
                "wrangler/stale-field-kept",
                format!("`{key}` in the {entry} is no longer set in lunora/containers.ts, but a comment shares its line, so it was kept"),
            )
            .with_file(input.file)
            .with_help(format!("delete `{key}` (and its comment) from {} by hand, or set it again in the definition", input.file)),
        );
    }

    Ok(ReconcileOutput {
        text,
        changes,
        diagnostics,
    })
}

fn internal(file: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        "wrangler/internal",
        format!("lunora bug while editing {file}: {what}"),
    )
    .with_file(file)
    .with_help("please report this with the config file attached; the file was left untouched")
}

/// Errors that depend on the desired containers: found before any edit.
fn check(input: &ReconcileInput<'_>, analysis: &Analysis) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    for scope in std::iter::once(&analysis.top).chain(analysis.env.as_ref()) {
        for desired in input.containers {
            let Some(existing) = scope
                .bindings
                .iter()
                .find(|b| b.name.as_deref() == Some(desired.binding.as_str()))
            else {
                continue;
            };
            if existing.class_name.as_deref() == Some(desired.class_name.as_str()) {
                continue;
            }
            let found = existing
                .class_name
                .as_deref()
                .map(|c| format!("`{c}`"))
                .unwrap_or_else(|| "no class".into());
            errors.push(
                Diagnostic::error(
                    "wrangler/binding-conflict",
                    format!(
                        "`{}durable_objects.bindings` {} points at {found}, but lunora needs it for `{}`",
                        scope.prefix, desired.binding, desired.class_name
                    ),
                )
                .with_primary(input.file, existing.class_span.unwrap_or(existing.span), format!("expected `{}`", desired.class_name))
                .with_help(format!(
                    "rename this binding, or set its `class_name` to `{}`; lunora does not overwrite a binding it did not write",
                    desired.class_name
                )),
            );
        }
    }
    for desired in input.containers {
        if let Some(declared) = analysis.declared.get(&desired.class_name) {
            if declared.storage == Storage::KeyValue {
                let tag = declared
                    .tag
                    .as_deref()
                    .map(|t| format!(" (migration {t})"))
                    .unwrap_or_default();
                errors.push(
                    Diagnostic::error(
                        "wrangler/kv-backed-container",
                        format!(
                            "`{}` is declared as a key-value backed Durable Object{tag}, but containers need SQLite-backed Durable Objects",
                            desired.class_name
                        ),
                    )
                    .with_primary(input.file, declared.span, "declared through `new_classes`")
                    .with_help(format!(
                        "a class cannot switch storage: add a migration with `\"deleted_classes\": [\"{0}\"]` (this deletes its data) or one that renames it away, then run lunora again to declare `{0}` in `new_sqlite_classes`; which one is your call",
                        desired.class_name
                    )),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn string_prop(obj: &CstObject, name: &str) -> Option<String> {
    obj.get(name)?
        .value()?
        .as_string_lit()?
        .decoded_value()
        .ok()
}

fn objects(array: &CstArray) -> impl Iterator<Item = CstObject> {
    array.elements().into_iter().filter_map(|e| e.as_object())
}

fn object_input(fields: Vec<(&str, Value)>) -> CstInputValue {
    CstInputValue::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), value_to_cst(&v)))
            .collect(),
    )
}

/// What one reconciliation did: the changes to report, and the nodes it wrote, whose trailing
/// commas must follow the file's style (jsonc-parser decides from the local subtree only).
struct Edits {
    changes: Vec<Change>,
    written: Vec<CstNode>,
    /// Owned fields the definition dropped but that were kept because a comment shares their
    /// line (removing them would lose the comment): `(entry description, key)`.
    kept_commented: Vec<(String, String)>,
}

impl Edits {
    fn push(&mut self, kind: ChangeKind, what: String) {
        self.changes.push(Change { kind, what });
    }
}

/// Gets the object at `key`, creating it (and remembering it as written) when absent.
fn object_at(obj: &CstObject, key: &str, ed: &mut Edits) -> Option<CstObject> {
    if obj.get(key).is_none() {
        let created = obj.object_value_or_create(key)?;
        ed.written.push(created.clone().into());
        return Some(created);
    }
    obj.object_value(key)
}

/// Gets the array at `key`, creating it (and remembering it as written) when absent.
fn array_at(obj: &CstObject, key: &str, ed: &mut Edits) -> Option<CstArray> {
    if obj.get(key).is_none() {
        let created = obj.array_value_or_create(key)?;
        ed.written.push(created.clone().into());
        return Some(created);
    }
    obj.array_value(key)
}

/// Appends an object to `array`. A one-line array (`[{ … }]`) is first spread over lines, since a
/// multi-line object inside a one-line array reads badly.
fn append_object(array: &CstArray, value: CstInputValue, ed: &mut Edits) {
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

/// `containers[]` entries and `durable_objects.bindings` of one scope (top level or `env.<name>`).
fn reconcile_scope(obj: &CstObject, scope: &Scope, desired: &[DesiredContainer], ed: &mut Edits) {
    // The existing `containers[]` entries by class name (the first one wins, as before), built
    // once: scanning the array per container decodes every `class_name` again, which made a
    // 1,000-container run quadratic (60% of its instructions).
    let mut entries: BTreeMap<String, CstObject> = BTreeMap::new();
    if let Some(array) = obj.array_value("containers") {
        for o in objects(&array) {
            if let Some(class_name) = string_prop(&o, "class_name") {
                entries.entry(class_name).or_insert(o);
            }
        }
    }
    for container in desired {
        upsert_container(obj, scope, &entries, container, ed);
    }
    for container in desired {
        upsert_binding(obj, scope, container, ed);
    }
}

/// Adds `{ "class_name", "name" }` to `durable_objects.bindings` unless a binding of that name
/// exists (conflicts were rejected by `check`). Never removes a binding.
fn upsert_binding(obj: &CstObject, scope: &Scope, desired: &DesiredContainer, ed: &mut Edits) {
    let what = format!(
        "{}durable_objects.bindings {} → {}",
        scope.prefix, desired.binding, desired.class_name
    );
    if scope
        .bindings
        .iter()
        .any(|b| b.name.as_deref() == Some(desired.binding.as_str()))
    {
        ed.push(ChangeKind::Unchanged, what);
        return;
    }
    let Some(bindings) =
        object_at(obj, "durable_objects", ed).and_then(|d| array_at(&d, "bindings", ed))
    else {
        return;
    };
    let binding = object_input(vec![
        ("class_name", Value::String(desired.class_name.clone())),
        ("name", Value::String(desired.binding.clone())),
    ]);
    append_object(&bindings, binding, ed);
    ed.push(ChangeKind::Added, what);
}

/// Adds the `containers[]` entry for `desired`, or brings its owned fields up to date while
/// keeping every other field and comment of the entry.
fn upsert_container(
    obj: &CstObject,
    scope: &Scope,
    entries: &BTreeMap<String, CstObject>,
    desired: &DesiredContainer,
    ed: &mut Edits,
) {
    let what = format!(
        "{}containers[] entry for {}",
        scope.prefix, desired.class_name
    );
    let owned = values::owned_fields(desired);
    let existing = scope
        .containers
        .iter()
        .find(|c| c.class_name.as_deref() == Some(desired.class_name.as_str()));
    let Some(existing) = existing else {
        let Some(array) = array_at(obj, "containers", ed) else {
            return;
        };
        let mut fields = vec![("class_name", Value::String(desired.class_name.clone()))];
        fields.extend(owned.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
        append_object(&array, object_input(fields), ed);
        ed.push(ChangeKind::Added, what);
        return;
    };

    let mut notes = Vec::new();
    let Some(entry) = entries.get(&desired.class_name).cloned() else {
        return;
    };
    // Where the next missing owned field goes: right after the previous owned field present.
    let mut anchor = entry
        .get("class_name")
        .map(|p| p.property_index() + 1)
        .unwrap_or(0);
    for (key, want) in owned {
        let have = existing.fields.get(key);
        match (have, want) {
            (Some(have), Some(want)) => {
                if !values::same(have, &want) {
                    notes.push(format!(
                        "{key} {} → {}",
                        values::show(have),
                        values::show(&want)
                    ));
                    if let Some(prop) = entry.get(key) {
                        prop.set_value(value_to_cst(&want));
                        ed.written.extend(prop.value());
                    }
                }
                if let Some(prop) = entry.get(key) {
                    anchor = prop.property_index() + 1;
                }
            }
            (None, Some(want)) => {
                notes.push(format!("{key} {} added", values::show(&want)));
                let index = anchor.min(entry.properties().len());
                let prop = entry.insert(index, key, value_to_cst(&want));
                ed.written.extend(prop.value());
                anchor = index + 1;
            }
            (Some(_), None) => {
                if let Some(prop) = entry.get(key) {
                    // A run never loses a user's comment: a field with a comment on its line
                    // stays, and the user is told to delete it by hand.
                    if has_comment_on_its_line(&prop.clone().into()) {
                        ed.kept_commented.push((what.clone(), key.to_string()));
                    } else {
                        notes.push(format!("{key} removed"));
                        prop.remove();
                    }
                }
            }
            (None, None) => {}
        }
    }
    if notes.is_empty() {
        ed.push(ChangeKind::Unchanged, what);
    } else {
        ed.push(
            ChangeKind::Updated,
            format!("{what} ({})", notes.join(", ")),
        );
    }
}

/// Whether a comment shares `node`'s line: before it, or after it (past its comma).
fn has_comment_on_its_line(node: &CstNode) -> bool {
    let scan = |siblings: &mut dyn Iterator<Item = CstNode>| {
        for sibling in siblings {
            if sibling.is_comment() {
                return true;
            }
            if sibling.is_newline() || !(sibling.is_whitespace() || sibling.is_comma()) {
                return false;
            }
        }
        false
    };
    scan(&mut node.previous_siblings()) || scan(&mut node.next_siblings())
}

/// Appends one migration declaring, as SQLite-backed, every desired class the existing migrations
/// do not declare, tagged with the lowest free `vN`. Existing migrations are never edited.
fn append_migration(
    root: &CstObject,
    analysis: &Analysis,
    desired: &[DesiredContainer],
    ed: &mut Edits,
) {
    let mut missing = Vec::new();
    for container in desired {
        match analysis.declared.get(&container.class_name) {
            Some(declared) => {
                let tag = declared
                    .tag
                    .as_deref()
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default();
                ed.push(
                    ChangeKind::Unchanged,
                    format!("migrations declare {}{tag}", container.class_name),
                );
            }
            None => {
                if !missing.contains(&container.class_name) {
                    missing.push(container.class_name.clone());
                }
            }
        }
    }
    if missing.is_empty() {
        return;
    }
    let tag = (1u32..)
        .map(|n| format!("v{n}"))
        .find(|t| !analysis.tags.contains(t))
        .unwrap_or_default();
    let Some(migrations) = array_at(root, "migrations", ed) else {
        return;
    };
    let migration = object_input(vec![
        (
            "new_sqlite_classes",
            Value::Array(missing.iter().cloned().map(Value::String).collect()),
        ),
        ("tag", Value::String(tag.clone())),
    ]);
    append_object(&migrations, migration, ed);
    ed.push(
        ChangeKind::Added,
        format!(
            "migrations entry {tag} (new_sqlite_classes {})",
            missing.join(", ")
        ),
    );
}

/// Turns observability on when the file says nothing about it; an explicit choice is kept.
fn ensure_observability(root: &CstObject, observability: &Observability, ed: &mut Edits) {
    match observability {
        Observability::Absent => {
            let prop = root.append(
                "observability",
                object_input(vec![
                    ("enabled", Value::Bool(true)),
                    ("head_sampling_rate", Value::from(1)),
                ]),
            );
            ed.written.extend(prop.value());
            ed.push(
                ChangeKind::Added,
                "observability (enabled, head_sampling_rate 1)".into(),
            );
        }
        Observability::NoEnabledKey => {
            if let Some(obs) = root.object_value("observability") {
                obs.insert(0, "enabled", CstInputValue::Bool(true));
                ed.written.push(obs.into());
            }
            ed.push(
                ChangeKind::Updated,
                "observability (enabled true added)".into(),
            );
        }
        Observability::Enabled | Observability::Disabled(_) => {
            ed.push(ChangeKind::Unchanged, "observability".into());
        }
    }
}

/// Wrangler names a container application after the worker; without a worker `name` each entry
/// needs its own `name`, or wrangler rejects the config.
fn missing_worker_name(
    file: &str,
    scope: &Scope,
    desired: &[DesiredContainer],
    diagnostics: &mut Vec<Diagnostic>,
) {
    if scope.has_worker_name {
        return;
    }
    for entry in &scope.containers {
        let Some(class) = entry.class_name.as_deref() else {
            continue;
        };
        if entry.fields.contains_key("name") || !desired.iter().any(|d| d.class_name == class) {
            continue;
        }
        diagnostics.push(
            Diagnostic::warning(
                "wrangler/missing-name",
                format!("wrangler needs a worker `name` to name the container application of `{class}`"),
            )
            .with_primary(file, entry.span, format!("{}containers[] entry without `name`", scope.prefix))
            .with_help("add a top-level `\"name\": \"my-worker\"` to the config, or give the container a `name` in lunora/containers.ts"),
        );
    }
}

/// Warns about lunora-named entries whose container is no longer declared; deletes nothing.
fn leftovers(file: &str, scope: &Scope, keep: &BTreeSet<&str>, diagnostics: &mut Vec<Diagnostic>) {
    let mut by_class: BTreeMap<&str, Vec<(lunora_diagnostic::Span, String)>> = BTreeMap::new();
    for entry in &scope.containers {
        let Some(class) = entry.class_name.as_deref() else {
            continue;
        };
        if class.ends_with("Container") && !keep.contains(class) {
            by_class
                .entry(class)
                .or_default()
                .push((entry.span, format!("{}containers[] entry", scope.prefix)));
        }
    }
    for binding in &scope.bindings {
        let (Some(class), Some(name)) = (binding.class_name.as_deref(), binding.name.as_deref())
        else {
            continue;
        };
        if class.ends_with("Container") && name.starts_with("CONTAINER_") && !keep.contains(class) {
            by_class.entry(class).or_default().push((
                binding.span,
                format!("{}durable_objects.bindings {name}", scope.prefix),
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
            "wrangler/leftover-container",
            format!("`{class}` is no longer declared in lunora/containers.ts, but {names} remain"),
        );
        for (i, (at, label)) in entries.iter().enumerate() {
            diagnostic = if i == 0 {
                diagnostic.with_primary(file, *at, label.clone())
            } else {
                diagnostic.with_secondary(file, *at, label.clone())
            };
        }
        diagnostics.push(diagnostic.with_help(format!(
            "deleting a Durable Object class deletes its data, so lunora keeps these entries: to remove `{class}`, delete them and add a migration with `\"deleted_classes\": [\"{class}\"]`; to keep it, declare the container again"
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_format_by_extension() {
        assert_eq!(detect_format("wrangler.json"), ConfigFormat::Json);
        assert_eq!(detect_format("dir/WRANGLER.JSON"), ConfigFormat::Json);
        assert_eq!(detect_format("wrangler.jsonc"), ConfigFormat::Jsonc);
        assert_eq!(detect_format("wrangler.toml"), ConfigFormat::Jsonc);
    }

    #[test]
    fn value_to_cst_writes_integers_without_fraction() {
        let root = CstRootNode::parse("{}", &read::parse_options()).unwrap();
        let obj = root.object_value().unwrap();
        let value: Value =
            serde_json::from_str(r#"{"a": 5.0, "b": 0.25, "c": [1, "x", null, true], "d": {}}"#)
                .unwrap();
        obj.append("v", value_to_cst(&value));
        let text = root.to_string();
        assert!(text.contains("\"a\": 5,"), "{text}");
        assert!(text.contains("\"b\": 0.25"), "{text}");
        assert!(text.contains(r#"[1, "x", null, true]"#), "{text}");
        let keys: Vec<_> = ["\"a\"", "\"b\"", "\"c\"", "\"d\""]
            .iter()
            .map(|k| text.find(k).unwrap())
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "key order kept: {text}"
        );
    }

    #[test]
    fn parse_error_points_at_line_and_column() {
        let text = "{\n  \"a\": 1\n  \"b\": 2\n}\n";
        let errors = reconcile(&ReconcileInput {
            text,
            format: ConfigFormat::Jsonc,
            file: "wrangler.jsonc",
            containers: &[],
            env: None,
            declared_unexported: &[],
        })
        .unwrap_err();
        assert_eq!(errors[0].code, "wrangler/parse-error");
        let at = lunora_diagnostic::SourceText::new(text)
            .line_col(errors[0].primary_label().unwrap().span.start);
        assert_eq!((at.line, at.column), (2, 9));
    }

    #[test]
    fn no_containers_changes_nothing() {
        let text = "{ \"name\": \"x\" }\n";
        let out = reconcile(&ReconcileInput {
            text,
            format: ConfigFormat::Jsonc,
            file: "wrangler.jsonc",
            containers: &[],
            env: None,
            declared_unexported: &[],
        })
        .unwrap();
        assert_eq!(out.text, text);
        assert!(out.changes.is_empty());
    }
}
