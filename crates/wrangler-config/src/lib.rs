//! Reconciles a `wrangler.jsonc` / `wrangler.json` text with the containers a project declares.
//! Pure: strings in, string out. Edits go through jsonc-parser's CST so everything outside the
//! edited spots (comments, trailing commas, key order, indentation, line endings) survives.
//!
//! Accepted input: JSON plus comments and trailing commas (in `.json` files too, as wrangler reads
//! them), optionally after a UTF-8 byte order mark (kept as it was); anything looser (missing
//! commas, unquoted keys, single quotes) is a parse error. What is written follows the file: its
//! indentation, line endings, and trailing commas (never in a `.json` file).
//!
//! What is reconciled, as wrangler reads it: the top level, and every `env.<name>` block that
//! wires containers itself (its own `containers` or `durable_objects`; wrangler inherits neither)
//! or is named by `--env`. An environment with its own `migrations` gets its migrations there
//! (wrangler then ignores the top-level ones); otherwise the top-level migrations apply to it.
//! Inside an environment block, an existing `containers[]` entry is the user's: it is never
//! edited, and where it differs from the definition an `info` says so.
//!
//! Ownership: lunora only ever calls a class "no longer declared" when it is in
//! [`ReconcileInput::owned`], the record of classes lunora generated before. A class wired by
//! hand is never its business, whatever its name.
//!
//! Diagnostic codes. Errors (the file must be left untouched): `wrangler/parse-error`,
//! `wrangler/invalid-root`, `wrangler/invalid-type`, `wrangler/missing-field`,
//! `wrangler/duplicate-container`, `wrangler/missing-env`, `wrangler/binding-conflict`,
//! `wrangler/binding-mismatch`, `wrangler/kv-backed-container`, `wrangler/duplicate-key`,
//! `wrangler/internal`.
//! Warnings: `wrangler/observability-disabled`, `wrangler/leftover-container`,
//! `wrangler/null-migration`, `wrangler/missing-name`, `wrangler/stale-field-kept`.
//! Info: `wrangler/binding-reused`, `wrangler/env-values-kept`, `wrangler/hand-set-kept`.
//!
//! An owned field the definition no longer sets is removed when lunora wrote it (the record's
//! `written_fields`), unless a comment shares its line: then it is kept (a run never loses a
//! comment) and `wrangler/stale-field-kept` points at it. A field lunora never wrote (set by hand
//! before the class was declared) is kept, and `wrangler/hand-set-kept` says so.

mod edit;
mod read;
mod values;

use jsonc_parser::cst::{
    CstArray, CstContainerNode, CstInputValue, CstNode, CstObject, CstRootNode, TrailingCommaMode,
};
use lunora_diagnostic::{Diagnostic, Span};
use read::{Analysis, Migrations, Observability, Scope, Storage};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

pub use edit::{
    append_delete, append_rename, facts, move_binding, move_container_entry, remove_binding,
    remove_container_entry, BindingFact, ConfigFacts, ContainerEntryFact, DeclaredClassFact,
    EditOutput, Rename, ScopeFacts, StorageKind,
};
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
    /// `CONTAINER_TRANSCODER`: the binding lunora adds when the class has none yet. A class
    /// already bound under another name keeps that name (see [`ReconcileOutput::bindings`]).
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
    /// Containers to wire (declared without errors, and exported by the worker entry), in a
    /// stable order.
    pub containers: &'a [DesiredContainer],
    /// `--env NAME`: also wire `env.<NAME>`, even when it wires no containers yet. It must exist.
    pub env: Option<&'a str>,
    /// Classes of the other declared containers (not exported by the worker entry, or whose
    /// definition has an error). Their wiring is neither touched nor reported.
    pub declared_unwired: &'a [String],
    /// Classes lunora generated before (its record). Only these can be reported as no longer
    /// declared; pass none when the record is missing or the declared set is unknown.
    pub owned: &'a [String],
    /// For classes of `owned`: the top-level `containers[]` fields lunora wrote for them last run
    /// (the record's `fields`). Only these are removed when the definition stops setting them; a
    /// field lunora never wrote (set by hand before the class was declared) is the user's and is
    /// kept. A class of `owned` missing here (a record from before fields were kept, or one
    /// that does not read) has no field lunora may remove.
    pub written_fields: &'a BTreeMap<String, BTreeSet<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Updated,
    /// Only the typed edits of [`edit`] remove (an entry or binding on `lunora remove
    /// --delete-data`, a duplicate binding on a move); reconciliation never does.
    Removed,
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
    /// Warnings and infos (observability disabled, leftover entries of removed containers, a
    /// reused binding, …).
    pub diagnostics: Vec<Diagnostic>,
    /// For every class in [`ReconcileInput::containers`], the Durable Object binding it is wired
    /// under: its existing binding when it had one, else [`DesiredContainer::binding`]. The
    /// generated handles must use these names.
    pub bindings: BTreeMap<String, String>,
    /// Every class the returned text wires anywhere (a binding or a `containers[]` entry, at the
    /// top level or in any environment).
    pub wired_classes: BTreeSet<String>,
    /// For every class in [`ReconcileInput::containers`]: the top-level `containers[]` fields the
    /// definition sets, which lunora wrote or confirmed this run (the next run's
    /// [`ReconcileInput::written_fields`]).
    pub written_fields: BTreeMap<String, BTreeSet<String>>,
}

/// The format of a config file by its name: `.json` is strict JSON, anything else (`.jsonc`) JSONC.
pub fn detect_format(file_name: &str) -> ConfigFormat {
    if file_name.to_ascii_lowercase().ends_with(".json") {
        ConfigFormat::Json
    } else {
        ConfigFormat::Jsonc
    }
}

const BOM: char = '\u{feff}';

/// Reconciles `input`. `Err` carries located errors (the file does not parse, a container class
/// is declared key-value backed, a `containers[]` entry wrangler would reject, …); the caller
/// must then leave the file untouched.
///
/// Contract: only the spots named in the returned changes are edited; reconciling the returned
/// text again yields the same text and only `Unchanged` changes. Error spans point into the input
/// text; warning spans point into the returned text (where the user will find them). Both count
/// a leading byte order mark. Nothing is added when `containers` is empty; leftover entries of
/// owned classes are still reported.
pub fn reconcile(input: &ReconcileInput<'_>) -> Result<ReconcileOutput, Vec<Diagnostic>> {
    let Some(rest) = input.text.strip_prefix(BOM) else {
        return reconcile_text(input);
    };
    // wrangler reads a file with a byte order mark; so does lunora, and keeps the mark.
    let shift = BOM.len_utf8() as u32;
    let inner = ReconcileInput {
        text: rest,
        ..input.clone()
    };
    match reconcile_text(&inner) {
        Ok(mut out) => {
            out.text.insert(0, BOM);
            shift_spans(&mut out.diagnostics, shift);
            Ok(out)
        }
        Err(mut errors) => {
            shift_spans(&mut errors, shift);
            Err(errors)
        }
    }
}

fn shift_spans(diagnostics: &mut [Diagnostic], by: u32) {
    for d in diagnostics {
        for label in &mut d.labels {
            label.span = Span::new(label.span.start + by, label.span.end + by);
        }
    }
}

fn reconcile_text(input: &ReconcileInput<'_>) -> Result<ReconcileOutput, Vec<Diagnostic>> {
    let analysis = read::analyze(input.text, input.file)?;
    let targets = targets(input, &analysis)?;
    let chosen = check(input, &analysis, &targets)?;

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
        authorship: Authorship {
            owned: input.owned.iter().map(String::as_str).collect(),
            fields: Some(input.written_fields),
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
                    "wrangler/observability-disabled",
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
            "wrangler/null-migration",
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
            "wrangler/stale-field-kept",
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
    Ok(ReconcileOutput {
        text,
        changes,
        diagnostics,
        bindings,
        wired_classes,
        written_fields,
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

/// The scopes this run wires: the top level, every environment block that wires containers
/// itself, and the `--env` one (which must exist).
fn targets<'a>(
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
                "wrangler/missing-env",
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
fn check<'a>(
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
                            "wrangler/binding-mismatch",
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
                            "wrangler/binding-conflict",
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
                .with_primary(file, declared.span, "declared through `new_classes`")
                .with_help(format!(
                    "a class cannot switch storage: a migration with `\"deleted_classes\": [\"{0}\"]` deletes the class and all of its stored data, after which lunora can declare `{0}` in `new_sqlite_classes`; renaming it away keeps the data under the other name. Which one is your call",
                    desired.class_name
                )),
            );
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
#[derive(Default)]
struct Edits<'a> {
    changes: Vec<Change>,
    written: Vec<CstNode>,
    /// Owned fields the definition dropped but that were kept because a comment shares their
    /// line (removing them would lose the comment): `(scope prefix, class, key)`.
    kept_commented: Vec<(String, String, String)>,
    /// Top-level fields the definition does not set that lunora did not write either (set by
    /// hand before the class was declared): kept, `(class, key)`.
    hand_set_kept: Vec<(String, String)>,
    authorship: Authorship<'a>,
}

/// Which top-level `containers[]` fields lunora wrote last run, and so may remove.
#[derive(Default)]
struct Authorship<'a> {
    owned: HashSet<&'a str>,
    fields: Option<&'a BTreeMap<String, BTreeSet<String>>>,
}

impl Authorship<'_> {
    /// Whether lunora wrote `key` of `class`'s entry: the class is in the record, and the
    /// record's fields name the key. Without fields for the class (no record, a record from
    /// before fields were kept, or one that does not read) nothing counts as lunora's: a field
    /// is left in place and reported rather than removed on a guess.
    fn wrote(&self, class: &str, key: &str) -> bool {
        self.owned.contains(class)
            && self
                .fields
                .and_then(|f| f.get(class))
                .is_some_and(|f| f.contains(key))
    }
}

impl Edits<'_> {
    fn push(&mut self, kind: ChangeKind, what: String) {
        self.changes.push(Change { kind, what });
    }
}

/// Appends `values` to the array at `path` under `obj` (e.g. `["durable_objects", "bindings"]`),
/// creating what is missing. Contract: linear in the array's length plus the values, however many
/// values there are: a missing or empty array is written in one piece, since each single append
/// of jsonc-parser's CST walks the whole array (appending 20,000 entries one by one was
/// quadratic, ~2 minutes).
fn append_all(obj: &CstObject, path: &[&str], values: Vec<CstInputValue>, ed: &mut Edits) {
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

/// `containers[]` entries, `durable_objects.bindings` and (when the block has its own) the
/// migrations of one scope (top level or `env.<name>`).
fn reconcile_scope(
    obj: &CstObject,
    scope: &Scope,
    analysis: &Analysis,
    desired: &[DesiredContainer],
    chosen: &HashMap<&str, String>,
    ed: &mut Edits,
) {
    // The existing `containers[]` entries as CST nodes, by class name, built once: scanning the
    // array per container decodes every `class_name` again (quadratic).
    let mut entries: HashMap<String, CstObject> = HashMap::new();
    if !scope.containers.is_empty() {
        if let Some(array) = obj.array_value("containers") {
            for o in objects(&array) {
                if let Some(class_name) = string_prop(&o, "class_name") {
                    entries.entry(class_name).or_insert(o);
                }
            }
        }
    }
    let mut new_entries = Vec::new();
    for container in desired {
        if let Some(entry) = upsert_container(scope, &entries, container, ed) {
            new_entries.push(entry);
        }
    }
    append_all(obj, &["containers"], new_entries, ed);

    let mut new_bindings = Vec::new();
    for container in desired {
        let name = &chosen[container.class_name.as_str()];
        let what = format!(
            "{}durable_objects.bindings {name} → {}",
            scope.prefix, container.class_name
        );
        // A binding of that name exists (and points at this class: `check` rejected others).
        if scope.binding_by_name.contains_key(name) {
            ed.push(ChangeKind::Unchanged, what);
            continue;
        }
        new_bindings.push(object_input(vec![
            ("class_name", Value::String(container.class_name.clone())),
            ("name", Value::String(name.clone())),
        ]));
        ed.push(ChangeKind::Added, what);
    }
    append_all(obj, &["durable_objects", "bindings"], new_bindings, ed);

    // Migrations go where wrangler reads them for this scope: the top level's, or the block's
    // own when it has them. A block without its own inherits the top level's (done there).
    if scope.env.is_none() || scope.migrations.is_some() {
        let migrations = analysis.migrations_of(scope);
        let migration = Migration {
            new_sqlite_classes: desired
                .iter()
                .filter(|c| {
                    report_declared(&scope.prefix, migrations, &c.class_name, ed);
                    !migrations.declared.contains_key(&c.class_name)
                })
                .map(|c| c.class_name.clone())
                .collect(),
        };
        append_migration(obj, &scope.prefix, migrations, migration, ed);
    }
}

fn report_declared(prefix: &str, migrations: &Migrations, class: &str, ed: &mut Edits) {
    if let Some(declared) = migrations.declared.get(class) {
        let tag = declared
            .tag
            .as_deref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default();
        ed.push(
            ChangeKind::Unchanged,
            format!("{prefix}migrations declare {class}{tag}"),
        );
    }
}

/// Brings the `containers[]` entry for `desired` up to date, or returns a new one to append.
///
/// At top level the owned fields are updated when they drift and every other field and comment
/// is kept. In an environment block an existing entry is the user's and is left as it is
/// ([`env_values_kept`] reports where it differs).
fn upsert_container(
    scope: &Scope,
    entries: &HashMap<String, CstObject>,
    desired: &DesiredContainer,
    ed: &mut Edits,
) -> Option<CstInputValue> {
    let what = format!(
        "{}containers[] entry for {}",
        scope.prefix, desired.class_name
    );
    let owned = values::owned_fields(desired);
    let Some(&index) = scope.container_by_class.get(&desired.class_name) else {
        let mut fields = vec![("class_name", Value::String(desired.class_name.clone()))];
        fields.extend(owned.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
        ed.push(ChangeKind::Added, what);
        return Some(object_input(fields));
    };
    let existing = &scope.containers[index];
    if scope.env.is_some() {
        ed.push(ChangeKind::Unchanged, what);
        return None;
    }

    let mut notes = Vec::new();
    let entry = entries.get(&desired.class_name)?;
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
            (Some(_), None) if !ed.authorship.wrote(&desired.class_name, key) => {
                ed.hand_set_kept
                    .push((desired.class_name.clone(), key.to_string()));
            }
            (Some(_), None) => {
                if let Some(prop) = entry.get(key) {
                    // A run never loses a user's comment: a field with a comment on its line
                    // stays, and the user is told to delete it by hand.
                    if has_comment_on_its_line(&prop.clone().into()) {
                        ed.kept_commented.push((
                            scope.prefix.clone(),
                            desired.class_name.clone(),
                            key.to_string(),
                        ));
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
    None
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

/// One migration lunora appends. Only `new_sqlite_classes` today; renames and deletions
/// (`renamed_classes`, `deleted_classes`) are further fields of the same entry.
struct Migration {
    new_sqlite_classes: Vec<String>,
}

/// Appends `migration` to the `migrations` of `obj` (the top level, or an environment block with
/// its own), tagged with the lowest `vN` those migrations do not use. Existing migrations are
/// never edited; nothing is appended when the migration is empty.
fn append_migration(
    obj: &CstObject,
    prefix: &str,
    existing: &Migrations,
    migration: Migration,
    ed: &mut Edits,
) {
    let mut classes = migration.new_sqlite_classes;
    let mut seen = HashSet::new();
    classes.retain(|c| seen.insert(c.clone()));
    if classes.is_empty() {
        return;
    }
    let tag = (1u32..)
        .map(|n| format!("v{n}"))
        .find(|t| !existing.tags.contains(t))
        .unwrap_or_default();
    let entry = object_input(vec![
        (
            "new_sqlite_classes",
            Value::Array(classes.iter().cloned().map(Value::String).collect()),
        ),
        ("tag", Value::String(tag.clone())),
    ]);
    append_all(obj, &["migrations"], vec![entry], ed);
    ed.push(
        ChangeKind::Added,
        format!(
            "{prefix}migrations entry {tag} (new_sqlite_classes {})",
            classes.join(", ")
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
                "wrangler/missing-name",
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
fn binding_reused(
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
            "wrangler/binding-reused",
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
fn env_values_kept(
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
            .is_some_and(|i| i.as_str() != Some(c.image.as_str()));
        for (key, want) in values::owned_fields(c) {
            if own_image && key == "image_build_context" {
                continue;
            }
            let have = entry.fields.get(key);
            let same = match (have, &want) {
                (Some(h), Some(w)) => values::same(h, w),
                (None, None) => true,
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
            "wrangler/env-values-kept",
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
        let mut located = false;
        for (key, _) in &differs {
            if let Some(at) = entry.field_spans.get(key) {
                d = if located {
                    d.with_secondary(file, *at, format!("{key} kept"))
                } else {
                    d.with_primary(file, *at, format!("{key} kept"))
                };
                located = true;
            }
        }
        if !located {
            d = d.with_primary(file, entry.span, "kept as written");
        }
        diagnostics.push(d.with_help(format!(
            "values set inside `{}` are yours and lunora never overwrites them; to follow lunora/containers.ts there, delete them (or the whole entry) and run lunora again",
            scope.prefix.trim_end_matches('.')
        )));
    }
}

/// The definition key that sets a `containers[]` field, for the help of
/// [`hand_set_values_kept`].
fn definition_key(field: &str) -> &'static str {
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
fn hand_set_values_kept(
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
            "wrangler/hand-set-kept",
            format!(
                "the containers[] entry for `{class}` keeps {} set by hand: lunora/containers.ts does not set {}, and lunora removes only what it wrote",
                shown.join(", "),
                if keys.len() == 1 { "it" } else { "them" }
            ),
        );
        let mut located = false;
        for key in &keys {
            if let Some(at) = entry.field_spans.get(key) {
                d = if located {
                    d.with_secondary(file, *at, format!("{key} kept"))
                } else {
                    d.with_primary(file, *at, format!("{key} kept"))
                };
                located = true;
            }
        }
        if !located {
            d = d.with_primary(file, entry.span, "kept as written");
        }
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
fn leftovers(
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
        let name = export_name_of(class);
        diagnostics.push(diagnostic.with_help(format!(
            "lunora keeps these entries, because removing a Durable Object class deletes its data. To keep `{class}`, declare the container again (or `lunora rename` another export to `{name}`). To remove it for good, run `lunora remove {name} --delete-data`: it removes these entries and appends a `deleted_classes` migration, and `--delete-data` deletes the stored data of every `{class}` instance at the next deploy"
        )));
    }
}

/// The export name a lunora class was generated from: `TranscoderContainer` → `transcoder`
/// (the inverse of lunora's class naming, up to the case of the first letter).
pub fn export_name_of(class: &str) -> String {
    let stem = class.strip_suffix("Container").unwrap_or(class);
    let mut chars = stem.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_names_of_generated_classes() {
        assert_eq!(export_name_of("TranscoderContainer"), "transcoder");
        assert_eq!(export_name_of("MyHTTPServerContainer"), "myHTTPServer");
        assert_eq!(export_name_of("Ffmpeg2PassContainer"), "ffmpeg2Pass");
    }

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
            declared_unwired: &[],
            owned: &[],
            written_fields: &BTreeMap::new(),
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
            declared_unwired: &[],
            owned: &[],
            written_fields: &BTreeMap::new(),
        })
        .unwrap();
        assert_eq!(out.text, text);
        assert!(out.changes.is_empty());
    }
}
