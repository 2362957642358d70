//! Typed edits for data-safe migrations (`lunora adopt`, `rename`, `remove`): append a
//! `renamed_classes` or `deleted_classes` migration, move a class's binding or `containers[]`
//! entry to another class, remove them. Pure on strings, like [`crate::reconcile`].
//!
//! Contract, for every edit: the text is read strictly first (the same errors as reconciliation:
//! a file that does not parse, or has a shape wrangler rejects, is an `Err` and nothing is
//! edited); only the spots named in the returned changes are touched, so every comment outside a
//! removed entry survives; the result parses; applying the same edit to the result changes
//! nothing and reports only `Unchanged`. Scopes follow wrangler: the top level and every
//! `env.<name>` block (wrangler inherits neither `containers` nor `durable_objects` into an
//! environment), and migrations where wrangler reads them — the top level's, and those of every
//! environment with its own `migrations`.

use crate::read::{self, Analysis, Migrations, Scope, Storage};
use crate::{internal, object_input, string_prop, Change, ChangeKind, ConfigFormat, Edits, BOM};
use jsonc_parser::cst::{
    CstContainerNode, CstInputValue, CstNode, CstObject, CstRootNode, TrailingCommaMode,
};
use lunora_diagnostic::{Diagnostic, Span};
use serde_json::Value;
use std::collections::BTreeMap;

/// The result of one typed edit.
#[derive(Debug, Clone)]
pub struct EditOutput {
    /// The new text; equal to the input when every change is `Unchanged`.
    pub text: String,
    /// What was done (or found already done), in file order per scope.
    pub changes: Vec<Change>,
}

/// How a class ended up after replaying one `migrations` array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageKind {
    /// `new_sqlite_classes` (or renamed from such a class).
    Sqlite,
    /// `new_classes`: key-value backed; containers cannot use it.
    KeyValue,
    /// `transferred_classes`: moved in from another script, with its data.
    Transferred,
}

/// A class that a `migrations` array declares after replaying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredClassFact {
    pub storage: StorageKind,
    /// Tag of the migration that declared it (or renamed it to its current name).
    pub tag: Option<String>,
    /// Where that happened.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindingFact {
    pub name: String,
    pub class_name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContainerEntryFact {
    pub class_name: String,
    pub span: Span,
    /// Every field of the entry as written (lunora's and the user's).
    pub fields: serde_json::Map<String, Value>,
}

/// One scope of a wrangler config: the top level or an `env.<name>` block.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeFacts {
    /// `None` at top level.
    pub env: Option<String>,
    /// `""` at top level, `env.<name>.` in an environment.
    pub prefix: String,
    /// The block's own worker `name` (wrangler names container applications after it).
    pub worker_name: Option<String>,
    pub bindings: Vec<BindingFact>,
    pub containers: Vec<ContainerEntryFact>,
    /// The block's own migrations, replayed (class → how it is declared); `None` when an
    /// environment has none of its own (it then reads the top level's). Always `Some` at top level.
    pub migrations: Option<BTreeMap<String, DeclaredClassFact>>,
}

/// What a wrangler config says about Durable Object classes, read strictly.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigFacts {
    /// The top level first, then every `env.<name>` block in file order.
    pub scopes: Vec<ScopeFacts>,
}

impl ConfigFacts {
    /// The container application name wrangler uses for `class`'s entry in `scope`: its
    /// `name` when set, else the one derived from the scope's worker name (`None` without one).
    pub fn application_name(&self, scope: &ScopeFacts, class: &str) -> Option<String> {
        let entry = scope.containers.iter().find(|c| c.class_name == class)?;
        if let Some(name) = entry.fields.get("name").and_then(Value::as_str) {
            return Some(name.to_string());
        }
        let worker = scope.worker_name.as_deref()?;
        Some(crate::derived_application_name(
            worker,
            class,
            scope.env.as_deref(),
        ))
    }

    /// The migrations that apply in `scope`: its own, else the top level's.
    pub fn migrations_of<'a>(
        &'a self,
        scope: &'a ScopeFacts,
    ) -> &'a BTreeMap<String, DeclaredClassFact> {
        scope
            .migrations
            .as_ref()
            .or(self.scopes[0].migrations.as_ref())
            .expect("the top level always has migrations")
    }

    /// Every scope that binds `class` or has a `containers[]` entry for it.
    pub fn scopes_wiring<'a>(&'a self, class: &'a str) -> impl Iterator<Item = &'a ScopeFacts> {
        self.scopes.iter().filter(move |s| {
            s.bindings.iter().any(|b| b.class_name == class)
                || s.containers.iter().any(|c| c.class_name == class)
        })
    }

    /// Whether any `migrations` array (top level or an environment's own) declares `class`.
    pub fn has_storage(&self, class: &str) -> bool {
        self.scopes
            .iter()
            .filter_map(|s| s.migrations.as_ref())
            .any(|m| m.contains_key(class))
    }
}

/// Reads `text` strictly into [`ConfigFacts`]. `Err` holds located errors (spans count a
/// leading byte order mark).
pub fn facts(text: &str, file: &str) -> Result<ConfigFacts, Vec<Diagnostic>> {
    let (inner, shift) = strip_bom(text);
    let analysis = read::analyze(inner, file).map_err(|e| shifted(e, shift))?;
    let full: Value = jsonc_parser::parse_to_serde_value(inner, &read::parse_options())
        .ok()
        .flatten()
        .unwrap_or(Value::Null);
    let shift_span = |s: Span| Span::new(s.start + shift, s.end + shift);
    let mut scopes = Vec::new();
    for scope in std::iter::once(&analysis.top).chain(&analysis.envs) {
        let json = match &scope.env {
            None => &full,
            Some(name) => &full["env"][name],
        };
        // The first entry of each class, by name: one pass, however many entries.
        let mut entries: std::collections::HashMap<&str, &serde_json::Map<String, Value>> =
            std::collections::HashMap::new();
        for e in json
            .get("containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
        {
            if let Some(class) = e.get("class_name").and_then(Value::as_str) {
                entries.entry(class).or_insert(e);
            }
        }
        let containers = scope
            .containers
            .iter()
            .map(|c| ContainerEntryFact {
                class_name: c.class_name.clone(),
                span: shift_span(c.span),
                fields: entries
                    .get(c.class_name.as_str())
                    .map(|e| (*e).clone())
                    .unwrap_or_default(),
            })
            .collect();
        scopes.push(ScopeFacts {
            env: scope.env.clone(),
            prefix: scope.prefix.clone(),
            worker_name: scope.worker_name.clone(),
            bindings: scope
                .bindings
                .iter()
                .map(|b| BindingFact {
                    name: b.name.clone(),
                    class_name: b.class_name.clone(),
                    span: shift_span(b.span),
                })
                .collect(),
            containers,
            migrations: scope.migrations.as_ref().map(|m| {
                m.declared
                    .iter()
                    .map(|(class, d)| {
                        (
                            class.clone(),
                            DeclaredClassFact {
                                storage: match d.storage {
                                    Storage::Sqlite => StorageKind::Sqlite,
                                    Storage::KeyValue => StorageKind::KeyValue,
                                    Storage::Transferred => StorageKind::Transferred,
                                },
                                tag: d.tag.clone(),
                                span: shift_span(d.span),
                            },
                        )
                    })
                    .collect()
            }),
        });
    }
    Ok(ConfigFacts { scopes })
}

/// One class rename for [`append_rename`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub from: String,
    pub to: String,
}

/// Appends one migration `{ "renamed_classes": [{ "from", "to" }, …], "tag": "vN" }` to every
/// `migrations` array that declares a `from` class (the top level's, and every environment's
/// own), so the storage of each instance moves to the new name. A pair whose `to` that array
/// already declares (and whose `from` it no longer does) was renamed before: `Unchanged`. An
/// array that declares neither leaves the pair out. Errors (nothing edited): `to` already has
/// storage next to `from` (`wrangler/rename-target-exists`: Cloudflare refuses to rename onto an
/// existing class), or `from` is key-value backed (`wrangler/kv-backed-container`).
pub fn append_rename(
    text: &str,
    format: ConfigFormat,
    file: &str,
    renames: &[Rename],
) -> Result<EditOutput, Vec<Diagnostic>> {
    append_migrations(
        text,
        format,
        file,
        "renamed_classes",
        |scope, migrations, ed, errors| {
            let mut pairs = Vec::new();
            for r in renames {
                let from = migrations.declared.get(&r.from);
                let to = migrations.declared.get(&r.to);
                match (from, to) {
                    (Some(_), Some(existing)) => errors.push(
                        Diagnostic::error(
                            crate::codes::RENAME_TARGET_EXISTS,
                            format!(
                                "`{}migrations` already declare `{}`, so `{}` cannot be renamed to it",
                                scope.prefix, r.to, r.from
                            ),
                        )
                        .with_primary(file, existing.span, format!("`{}` declared here", r.to))
                        .with_help(format!(
                            "Cloudflare refuses to rename a Durable Object class onto one that exists; choose another name, or delete `{}` first (that deletes its data)",
                            r.to
                        )),
                    ),
                    (Some(d), None) if d.storage == Storage::KeyValue => errors.push(crate::check::kv_backed(
                        file,
                        d.span,
                        format!(
                            "`{}` is declared key-value backed (`new_classes`), and containers need SQLite-backed Durable Objects; renaming keeps its storage kind",
                            r.from
                        ),
                        "a class cannot switch storage; keep it as it is, or delete it with a `deleted_classes` migration (that deletes its data)",
                    )),
                    (Some(_), None) => pairs.push(r),
                    (None, Some(_)) => ed.push(
                        ChangeKind::Unchanged,
                        format!("{}migrations rename {} → {}", scope.prefix, r.from, r.to),
                    ),
                    (None, None) => {}
                }
            }
            if pairs.is_empty() || !errors.is_empty() {
                return None;
            }
            let list: Vec<Value> = pairs
                .iter()
                .map(|r| {
                    let mut m = serde_json::Map::new();
                    m.insert("from".into(), Value::String(r.from.clone()));
                    m.insert("to".into(), Value::String(r.to.clone()));
                    Value::Object(m)
                })
                .collect();
            let summary = pairs
                .iter()
                .map(|r| format!("{} → {}", r.from, r.to))
                .collect::<Vec<_>>()
                .join(", ");
            Some((list, summary))
        },
    )
}

/// Appends one migration `{ "deleted_classes": [...], "tag": "vN" }` to every `migrations`
/// array that declares one of `classes`. At the next deploy Cloudflare deletes every instance of
/// those classes with its stored data. A class no array declares is left out (`Unchanged`: it
/// has no storage to delete).
pub fn append_delete(
    text: &str,
    format: ConfigFormat,
    file: &str,
    classes: &[String],
) -> Result<EditOutput, Vec<Diagnostic>> {
    append_migrations(
        text,
        format,
        file,
        "deleted_classes",
        |scope, migrations, ed, _| {
            let mut doomed = Vec::new();
            for class in classes {
                if migrations.declared.contains_key(class) {
                    if !doomed.contains(class) {
                        doomed.push(class.clone());
                    }
                } else {
                    ed.push(
                        ChangeKind::Unchanged,
                        format!("{}migrations do not declare {class}", scope.prefix),
                    );
                }
            }
            if doomed.is_empty() {
                return None;
            }
            let list = doomed.iter().cloned().map(Value::String).collect();
            Some((list, doomed.join(", ")))
        },
    )
}

/// Removes the `containers[]` entry of `class` in every scope (the entry with its fields and
/// the comments inside it or on its lines; every other comment stays).
pub fn remove_container_entry(
    text: &str,
    format: ConfigFormat,
    file: &str,
    class: &str,
) -> Result<EditOutput, Vec<Diagnostic>> {
    let declares = |s: &Scope| s.container_by_class.contains_key(class);
    edit_scopes(text, format, file, declares, |scope, obj, ed| {
        if let Some(node) = obj.array_value("containers").and_then(|a| {
            a.elements()
                .into_iter()
                .filter_map(|e| e.as_object())
                .find(|o| string_prop(o, "class_name").as_deref() == Some(class))
        }) {
            node.remove();
            ed.push(
                ChangeKind::Removed,
                format!("{}containers[] entry for {class}", scope.prefix),
            );
        }
    })
}

/// Removes the field `key` of `class`'s `containers[]` entry in every scope (the field with the
/// comments on its lines; the entry's other fields and comments stay).
pub fn remove_container_field(
    text: &str,
    format: ConfigFormat,
    file: &str,
    class: &str,
    key: &str,
) -> Result<EditOutput, Vec<Diagnostic>> {
    let declares = |s: &Scope| s.container_by_class.contains_key(class);
    edit_scopes(text, format, file, declares, |scope, obj, ed| {
        let prop = obj.array_value("containers").and_then(|a| {
            a.elements()
                .into_iter()
                .filter_map(|e| e.as_object())
                .find(|o| string_prop(o, "class_name").as_deref() == Some(class))
                .and_then(|o| o.get(key))
        });
        if let Some(prop) = prop {
            prop.remove();
            ed.push(
                ChangeKind::Removed,
                format!("{}containers[] entry for {class}: `{key}`", scope.prefix),
            );
        }
    })
}

/// Removes every `durable_objects.bindings` entry of `class` in every scope.
pub fn remove_binding(
    text: &str,
    format: ConfigFormat,
    file: &str,
    class: &str,
) -> Result<EditOutput, Vec<Diagnostic>> {
    let binds = |s: &Scope| s.bindings_by_class.contains_key(class);
    edit_scopes(text, format, file, binds, |scope, obj, ed| {
        let Some(array) = obj
            .object_value("durable_objects")
            .and_then(|d| d.array_value("bindings"))
        else {
            return;
        };
        for node in array.elements().into_iter().filter_map(|e| e.as_object()) {
            if string_prop(&node, "class_name").as_deref() != Some(class) {
                continue;
            }
            let name = string_prop(&node, "name").unwrap_or_default();
            node.remove();
            ed.push(
                ChangeKind::Removed,
                format!("{}durable_objects.bindings {name} → {class}", scope.prefix),
            );
        }
    })
}

/// [`edit`] that runs `step` on the object of every scope (top level, then each environment
/// block) that `wanted` selects; `step` reports no errors.
fn edit_scopes(
    text: &str,
    format: ConfigFormat,
    file: &str,
    wanted: impl Fn(&Scope) -> bool,
    mut step: impl FnMut(&Scope, &CstObject, &mut Edits),
) -> Result<EditOutput, Vec<Diagnostic>> {
    edit(text, format, file, |analysis, root, ed, _| {
        for scope in all_scopes(analysis).filter(|s| wanted(s)) {
            step(scope, &scope_object(root, scope), ed);
        }
    })
}

fn strip_bom(text: &str) -> (&str, u32) {
    match text.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len_utf8() as u32),
        None => (text, 0),
    }
}

fn shifted(mut diagnostics: Vec<Diagnostic>, by: u32) -> Vec<Diagnostic> {
    crate::shift_spans(&mut diagnostics, by);
    diagnostics
}

type Step<'a> = dyn FnMut(&Analysis, &CstObject, &mut Edits, &mut Vec<Diagnostic>) + 'a;

/// Reads `text` strictly, runs `step` over its CST, and prints the result with the file's style
/// (trailing commas as the file has them, never in strict JSON). Errors found by `step` abort
/// the whole edit.
pub(crate) fn edit(
    text: &str,
    format: ConfigFormat,
    file: &str,
    mut step: impl FnMut(&Analysis, &CstObject, &mut Edits, &mut Vec<Diagnostic>),
) -> Result<EditOutput, Vec<Diagnostic>> {
    let (inner, shift) = strip_bom(text);
    let step: &mut Step<'_> = &mut step;
    let analysis = read::analyze(inner, file).map_err(|e| shifted(e, shift))?;
    let root = CstRootNode::parse(inner, &read::parse_options())
        .map_err(|_| vec![internal(file, "the file parsed once but not twice")])?;
    let Some(root_obj) = root.object_value() else {
        return Err(vec![internal(
            file,
            "the root object disappeared between two parses",
        )]);
    };
    let trailing = if format == ConfigFormat::Json || !root.uses_trailing_commas() {
        TrailingCommaMode::Never
    } else {
        TrailingCommaMode::IfMultiline
    };
    let mut ed = Edits::default();
    let mut errors = Vec::new();
    step(&analysis, &root_obj, &mut ed, &mut errors);
    if !errors.is_empty() {
        errors.sort_by_key(|d| d.primary_label().map(|l| l.span.start));
        return Err(shifted(errors, shift));
    }
    for node in &ed.written {
        match node {
            CstNode::Container(CstContainerNode::Object(o)) => o.set_trailing_commas(trailing),
            CstNode::Container(CstContainerNode::Array(a)) => a.set_trailing_commas(trailing),
            _ => {}
        }
    }
    let changed = ed.changes.iter().any(|c| c.kind != ChangeKind::Unchanged);
    let mut out = if changed {
        root.to_string()
    } else {
        inner.to_string()
    };
    if changed {
        read::analyze(&out, file).map_err(|mut errors| {
            errors.insert(0, internal(file, "the edited text no longer parses"));
            errors
        })?;
    }
    if shift > 0 {
        out.insert(0, BOM);
    }
    Ok(EditOutput {
        text: out,
        changes: ed.changes,
    })
}

/// The top level and every environment block.
pub(crate) fn all_scopes(analysis: &Analysis) -> impl Iterator<Item = &Scope> {
    std::iter::once(&analysis.top).chain(&analysis.envs)
}

/// Scopes whose own `migrations` wrangler reads: the top level, and environments with their own.
fn migration_scopes(analysis: &Analysis) -> impl Iterator<Item = (&Scope, &Migrations)> {
    all_scopes(analysis).filter_map(|s| s.migrations.as_ref().map(|m| (s, m)))
}

/// [`edit`] that appends `{ "<key>": [list], "tag": "vN" }` (the lowest free tag) to every
/// `migrations` array for which `entry` gives a list, recorded as
/// `migrations entry vN (<key> <summary>)`.
fn append_migrations(
    text: &str,
    format: ConfigFormat,
    file: &str,
    key: &str,
    mut entry: impl FnMut(
        &Scope,
        &Migrations,
        &mut Edits,
        &mut Vec<Diagnostic>,
    ) -> Option<(Vec<Value>, String)>,
) -> Result<EditOutput, Vec<Diagnostic>> {
    edit(text, format, file, |analysis, root, ed, errors| {
        for (scope, migrations) in migration_scopes(analysis) {
            let Some((list, summary)) = entry(scope, migrations, ed, errors) else {
                continue;
            };
            let tag = free_tag(migrations);
            let fields = vec![
                (key, Value::Array(list)),
                ("tag", Value::String(tag.clone())),
            ];
            let obj = scope_object(root, scope);
            crate::append_all(&obj, &["migrations"], vec![object_input(fields)], ed);
            ed.push(
                ChangeKind::Added,
                format!("{}migrations entry {tag} ({key} {summary})", scope.prefix),
            );
        }
    })
}

pub(crate) fn scope_object(root: &CstObject, scope: &Scope) -> CstObject {
    match &scope.env {
        None => root.clone(),
        Some(name) => root
            .object_value("env")
            .and_then(|e| e.object_value(name))
            .expect("an analysed environment block is in the tree"),
    }
}

/// The lowest `vN` the array does not use.
fn free_tag(migrations: &Migrations) -> String {
    (1u32..)
        .map(|n| format!("v{n}"))
        .find(|t| !migrations.tags.contains(t))
        .unwrap_or_default()
}

/// Replaces the value of `key` only (its comments and the entry's layout stay).
pub(crate) fn set_string(obj: &CstObject, key: &str, value: &str) {
    if let Some(prop) = obj.get(key) {
        prop.set_value(CstInputValue::String(value.to_string()));
    }
}
