//! What a wrangler config says about Durable Object classes, read strictly: [`ConfigFacts`],
//! per scope (the top level and every `env.<name>` block) its bindings, `containers[]` entries
//! and replayed migrations. `adopt`, `rename` and `remove` decide from these; the edits in
//! [`crate::edit`] change the text.

use crate::edit::{shifted, strip_bom};
use crate::read::{self, Storage};
use lunora_diagnostic::{Diagnostic, Span};
use serde_json::Value;
use std::collections::BTreeMap;

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
