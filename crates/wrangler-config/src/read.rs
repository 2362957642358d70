//! Reading a wrangler config into what the reconciler needs to know, with byte spans.
//!
//! Every shape problem (wrong root, a key of the wrong type, a migration that is not an object, a
//! `containers[]` entry wrangler would reject) is found here, before any edit, so a file is
//! either fully reconciled or left untouched. Lookups the reconciler makes per container are
//! indexed here once (by class name), so a run stays linear in the number of containers.

use jsonc_parser::ast::{Array, Object, ObjectProp, Value};
use jsonc_parser::common::Range;
use jsonc_parser::ParseOptions;
use lunora_diagnostic::{Diagnostic, Span};
use std::collections::{HashMap, HashSet};

/// What the reconciler accepts: JSON plus comments and trailing commas (what wrangler itself
/// reads). Missing commas, unquoted keys, single quotes, hex numbers and other JSON5 leniencies are
/// rejected so that a typo is reported instead of silently "repaired".
pub fn parse_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

pub(crate) fn span(range: Range) -> Span {
    Span::new(range.start as u32, range.end as u32)
}

pub(crate) fn prop_span(prop: &ObjectProp<'_>) -> Span {
    span(prop.range)
}

pub(crate) fn value_range(value: &Value<'_>) -> Range {
    match value {
        Value::StringLit(v) => v.range,
        Value::NumberLit(v) => v.range,
        Value::BooleanLit(v) => v.range,
        Value::Object(v) => v.range,
        Value::Array(v) => v.range,
        Value::NullKeyword(v) => v.range,
    }
}

pub(crate) fn type_name(value: &Value<'_>) -> &'static str {
    match value {
        Value::StringLit(_) => "a string",
        Value::NumberLit(_) => "a number",
        Value::BooleanLit(_) => "a boolean",
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::NullKeyword(_) => "null",
    }
}

/// Converts a parsed value to `serde_json`, for comparing what the file says with what is desired.
pub(crate) fn to_json(value: &Value<'_>) -> serde_json::Value {
    match value {
        Value::StringLit(s) => serde_json::Value::String(s.value.to_string()),
        Value::NumberLit(n) => {
            if let Ok(i) = n.value.parse::<i64>() {
                serde_json::Value::from(i)
            } else if let Ok(f) = n.value.parse::<f64>() {
                serde_json::Number::from_f64(f)
                    .map(serde_json::Value::Number)
                    .unwrap_or(serde_json::Value::Null)
            } else {
                serde_json::Value::Null
            }
        }
        Value::BooleanLit(b) => serde_json::Value::Bool(b.value),
        Value::NullKeyword(_) => serde_json::Value::Null,
        Value::Array(a) => serde_json::Value::Array(a.elements.iter().map(to_json).collect()),
        Value::Object(o) => serde_json::Value::Object(
            o.properties
                .iter()
                .map(|p| (p.name.as_str().to_string(), to_json(&p.value)))
                .collect(),
        ),
    }
}

/// A Durable Object binding as written in `durable_objects.bindings` (both fields are strings:
/// anything else was rejected while reading).
#[derive(Debug, Clone)]
pub(crate) struct ExistingBinding {
    pub name: String,
    pub class_name: String,
    pub span: Span,
    pub class_span: Span,
}

/// A `containers[]` entry (its `class_name` is a string: anything else was rejected).
#[derive(Debug, Clone)]
pub(crate) struct ExistingContainer {
    pub class_name: String,
    pub span: Span,
    /// The owned fields the entry sets, for comparing them with the definition.
    pub fields: OwnedFields<serde_json::Value>,
    /// The span of each owned property (key and value), for diagnostics about one field.
    pub field_spans: OwnedFields<Span>,
}

/// One slot per owned field of a `containers[]` entry ([`OWNED_FIELD_TYPES`]), so reading
/// 20,000 entries allocates no map per entry; other fields are the user's and are not read.
#[derive(Debug, Clone)]
pub(crate) struct OwnedFields<T>([Option<T>; OWNED_FIELD_TYPES.len()]);

impl<T> Default for OwnedFields<T> {
    fn default() -> Self {
        OwnedFields(std::array::from_fn(|_| None))
    }
}

impl<T> OwnedFields<T> {
    fn slot(key: &str) -> Option<usize> {
        OWNED_FIELD_TYPES.iter().position(|(k, _)| *k == key)
    }

    /// The value of owned field `key`; `None` when the entry does not set it (or `key` is not
    /// an owned field).
    pub fn get(&self, key: &str) -> Option<&T> {
        Self::slot(key).and_then(|i| self.0[i].as_ref())
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn set(&mut self, key: &str, value: T) {
        if let Some(i) = Self::slot(key) {
            self.0[i] = Some(value);
        }
    }
}

/// How a class ended up declared after replaying the migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Storage {
    Sqlite,
    KeyValue,
    /// Moved in from another script (`transferred_classes`): its storage is that script's.
    Transferred,
}

#[derive(Debug, Clone)]
pub(crate) struct DeclaredClass {
    pub storage: Storage,
    /// Tag of the migration that declared it (or renamed or transferred it to its current name).
    pub tag: Option<String>,
    /// Where that happened.
    pub span: Span,
}

impl DeclaredClass {
    /// ` (<words><tag>)` for a message, or nothing without a tag.
    pub fn tag_note(&self, words: &str) -> String {
        match &self.tag {
            Some(tag) => format!(" ({words}{tag})"),
            None => String::new(),
        }
    }
}

/// One `migrations` array, replayed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Migrations {
    pub declared: HashMap<String, DeclaredClass>,
    pub tags: HashSet<String>,
    /// `null` entries, which wrangler 4 cannot read.
    pub nulls: Vec<Span>,
}

/// The part of the config wrangler does not inherit into environments: top level or `env.<name>`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    /// `None` at top level.
    pub env: Option<String>,
    /// `""` at top level, `env.<name>.` inside an environment; prefixes the `what` of changes.
    pub prefix: String,
    pub bindings: Vec<ExistingBinding>,
    /// Bindings with `script_name`: classes of other workers, kept out of `bindings`.
    pub foreign_bindings: Vec<ExistingBinding>,
    /// Indices into `bindings` by class name, in file order.
    pub bindings_by_class: HashMap<String, Vec<usize>>,
    /// Indices into `bindings` by binding name (the first one with that name).
    pub binding_by_name: HashMap<String, usize>,
    pub containers: Vec<ExistingContainer>,
    /// Index into `containers` by class name (entries are unique per class: a repeat is an error).
    pub container_by_class: HashMap<String, usize>,
    /// Whether wrangler has a worker `name` to name container applications after: the top
    /// level's, or an environment block's own (wrangler does not use the inherited one there).
    pub has_worker_name: bool,
    /// Whether the block says it runs without containers: its own `"containers": []`, written
    /// explicitly. lunora then leaves the block alone.
    pub without_containers: bool,
    /// That `name` itself, when it is a string.
    pub worker_name: Option<String>,
    /// The block's own `migrations`; at top level always present (empty when absent).
    pub migrations: Option<Migrations>,
}

#[derive(Debug, Clone)]
pub(crate) enum Observability {
    Absent,
    Enabled,
    /// `enabled: false`, with the span of that property.
    Disabled(Span),
    /// An object without `enabled` (and without logs enabled).
    NoEnabledKey,
}

#[derive(Debug, Clone)]
pub(crate) struct Analysis {
    pub top: Scope,
    /// Every `env.<name>` block, in file order.
    pub envs: Vec<Scope>,
    /// Where an `env.<name>` block would go (the `env` object, or the root).
    pub env_anchor: Span,
    pub observability: Observability,
}

impl Analysis {
    pub fn env(&self, name: &str) -> Option<&Scope> {
        self.envs.iter().find(|s| s.env.as_deref() == Some(name))
    }

    /// The migrations that apply in `scope`: its own, else the top level's (wrangler inherits
    /// `migrations` into an environment that declares none).
    pub fn migrations_of<'s>(&'s self, scope: &'s Scope) -> &'s Migrations {
        scope
            .migrations
            .as_ref()
            .or(self.top.migrations.as_ref())
            .expect("the top level always has migrations")
    }
}

/// Fields of a `containers[]` entry that lunora reads (its owned fields), with the JSON types
/// wrangler accepts for each. A hand-written entry with another type is a located error: lunora
/// would otherwise compare or replace a value wrangler rejects anyway.
const OWNED_FIELD_TYPES: &[(&str, &[&str])] = &[
    ("image", &["a string"]),
    ("image_build_context", &["a string"]),
    ("image_vars", &["an object"]),
    ("instance_type", &["a string", "an object"]),
    ("max_instances", &["a number"]),
    ("name", &["a string"]),
    ("rollout_step_percentage", &["a number", "an array"]),
    ("rollout_active_grace_period", &["a number"]),
];

struct Reader<'t> {
    file: &'t str,
    errors: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn wrong_type(&mut self, path: &str, expected: &str, value: &Value<'_>) {
        self.errors.push(
            Diagnostic::error(
                crate::codes::INVALID_TYPE,
                format!("`{path}` must be {expected}, found {}", type_name(value)),
            )
            .with_primary(
                self.file,
                span(value_range(value)),
                format!("expected {expected}"),
            )
            .with_help(format!(
                "fix `{path}` by hand; lunora does not replace a value it does not understand"
            )),
        );
    }

    fn object<'a, 'b>(&mut self, path: &str, value: &'b Value<'a>) -> Option<&'b Object<'a>> {
        match value {
            Value::Object(o) => Some(o),
            other => {
                self.wrong_type(path, "an object", other);
                None
            }
        }
    }

    fn array<'a, 'b>(&mut self, path: &str, value: &'b Value<'a>) -> Option<&'b Array<'a>> {
        match value {
            Value::Array(a) => Some(a),
            other => {
                self.wrong_type(path, "an array", other);
                None
            }
        }
    }

    /// A string field wrangler requires: missing or of another type is a located error.
    fn required_string(
        &mut self,
        path: &str,
        obj: &Object<'_>,
        key: &str,
        example: &str,
    ) -> Option<(String, Span)> {
        match obj.get(key).map(|p| &p.value) {
            Some(Value::StringLit(s)) => Some((s.value.to_string(), span(s.range))),
            Some(other) => {
                self.wrong_type(&format!("{path}[].{key}"), "a string", other);
                None
            }
            None => {
                self.errors.push(
                    Diagnostic::error(
                        crate::codes::MISSING_FIELD,
                        format!("this `{path}[]` entry has no `{key}`, which wrangler requires"),
                    )
                    .with_primary(self.file, span(obj.range), format!("no `{key}`"))
                    .with_help(format!(
                        "add `\"{key}\": {example}` to the entry, or delete it"
                    )),
                );
                None
            }
        }
    }

    fn scope(&mut self, env: Option<&str>, obj: &Object<'_>) -> Scope {
        let prefix = env.map(|e| format!("env.{e}.")).unwrap_or_default();
        let mut scope = Scope {
            env: env.map(str::to_string),
            prefix: prefix.clone(),
            has_worker_name: obj.get_string("name").is_some(),
            without_containers: env.is_some()
                && matches!(obj.get("containers").map(|p| &p.value), Some(Value::Array(a)) if a.elements.is_empty()),
            worker_name: obj.get_string("name").map(|n| n.value.to_string()),
            ..Scope::default()
        };
        if let Some(dobj) = obj.get("durable_objects") {
            let path = format!("{prefix}durable_objects");
            if let Some(dobj) = self.object(&path, &dobj.value) {
                if let Some(bindings) = dobj.get("bindings") {
                    let path = format!("{path}.bindings");
                    if let Some(arr) = self.array(&path, &bindings.value) {
                        for element in &arr.elements {
                            let Some(b) = self.object(&format!("{path}[]"), element) else {
                                continue;
                            };
                            let name = self.required_string(&path, b, "name", "\"MY_BINDING\"");
                            let class = self.required_string(&path, b, "class_name", "\"MyClass\"");
                            let (Some((name, _)), Some((class_name, class_span))) = (name, class)
                            else {
                                continue;
                            };
                            // A binding with `script_name` names a class of another
                            // worker: never this worker's wiring of the class, so never reused
                            // for a container (calls would go to the other worker).
                            if b.get("script_name").is_some() {
                                scope.foreign_bindings.push(ExistingBinding {
                                    name,
                                    class_name,
                                    span: span(b.range),
                                    class_span,
                                });
                                continue;
                            }
                            let index = scope.bindings.len();
                            scope
                                .bindings_by_class
                                .entry(class_name.clone())
                                .or_default()
                                .push(index);
                            scope.binding_by_name.entry(name.clone()).or_insert(index);
                            scope.bindings.push(ExistingBinding {
                                name,
                                class_name,
                                span: span(b.range),
                                class_span,
                            });
                        }
                    }
                }
            }
        }
        if let Some(containers) = obj.get("containers") {
            let path = format!("{prefix}containers");
            if let Some(arr) = self.array(&path, &containers.value) {
                for element in &arr.elements {
                    let Some(c) = self.object(&format!("{path}[]"), element) else {
                        continue;
                    };
                    let mut ok = true;
                    for (key, types) in OWNED_FIELD_TYPES {
                        if let Some(prop) = c.get(key) {
                            if !types.contains(&type_name(&prop.value)) {
                                self.wrong_type(
                                    &format!("{path}[].{key}"),
                                    &types.join(" or "),
                                    &prop.value,
                                );
                                ok = false;
                            }
                        }
                    }
                    let class = self.required_string(&path, c, "class_name", "\"MyContainer\"");
                    let (Some((class_name, class_span)), true) = (class, ok) else {
                        continue;
                    };
                    if let Some(&first) = scope.container_by_class.get(&class_name) {
                        let first_span = scope.containers[first].span;
                        self.errors.push(
                            Diagnostic::error(
                                crate::codes::DUPLICATE_CONTAINER,
                                format!("`{path}[]` has two entries for `{class_name}`"),
                            )
                            .with_primary(self.file, class_span, "second entry for this class")
                            .with_secondary(self.file, first_span, "first entry")
                            .with_help(format!(
                                "wrangler runs one container application per class: merge the two entries for `{class_name}` into one"
                            )),
                        );
                        continue;
                    }
                    let mut fields = OwnedFields::default();
                    let mut field_spans = OwnedFields::default();
                    for p in &c.properties {
                        let key = p.name.as_str();
                        if OwnedFields::<Span>::slot(key).is_some() {
                            fields.set(key, to_json(&p.value));
                            field_spans.set(key, prop_span(p));
                        }
                    }
                    scope
                        .container_by_class
                        .insert(class_name.clone(), scope.containers.len());
                    scope.containers.push(ExistingContainer {
                        class_name,
                        span: span(c.range),
                        fields,
                        field_spans,
                    });
                }
            }
        }
        if let Some(migrations) = obj.get("migrations") {
            scope.migrations = Some(self.migrations(&prefix, &migrations.value));
        }
        scope
    }

    fn migrations(&mut self, prefix: &str, value: &Value<'_>) -> Migrations {
        let mut out = Migrations::default();
        let path = format!("{prefix}migrations");
        let Some(arr) = self.array(&path, value) else {
            return out;
        };
        for element in &arr.elements {
            if let Value::NullKeyword(n) = element {
                out.nulls.push(span(n.range));
                continue;
            }
            let Some(m) = self.object(&format!("{path}[]"), element) else {
                continue;
            };
            let tag = m.get_string("tag").map(|s| s.value.to_string());
            if let Some(tag) = &tag {
                out.tags.insert(tag.clone());
            }
            let strings = |key: &str| -> Vec<(String, Span)> {
                match m.get(key).map(|p| &p.value) {
                    Some(Value::Array(a)) => a
                        .elements
                        .iter()
                        .filter_map(|e| match e {
                            Value::StringLit(s) => Some((s.value.to_string(), span(s.range))),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                }
            };
            let declare = |out: &mut Migrations, class: String, storage: Storage, at: Span| {
                out.declared.insert(
                    class,
                    DeclaredClass {
                        storage,
                        tag: tag.clone(),
                        span: at,
                    },
                );
            };
            for (class, sp) in strings("new_classes") {
                declare(&mut out, class, Storage::KeyValue, sp);
            }
            for (class, sp) in strings("new_sqlite_classes") {
                declare(&mut out, class, Storage::Sqlite, sp);
            }
            let pairs = |key: &str| -> Vec<(String, String, Span)> {
                let Some(Value::Array(items)) = m.get(key).map(|p| &p.value) else {
                    return Vec::new();
                };
                items
                    .elements
                    .iter()
                    .filter_map(|item| {
                        let Value::Object(r) = item else { return None };
                        let from = r.get_string("from")?;
                        let to = r.get_string("to")?;
                        Some((from.value.to_string(), to.value.to_string(), span(to.range)))
                    })
                    .collect()
            };
            for (from, to, at) in pairs("renamed_classes") {
                if let Some(previous) = out.declared.remove(&from) {
                    declare(&mut out, to, previous.storage, at);
                }
            }
            // `{ from, from_script, to }`: the class `to` now exists in this script, with the
            // storage (and data) it had in `from_script`.
            for (_, to, at) in pairs("transferred_classes") {
                declare(&mut out, to, Storage::Transferred, at);
            }
            for (class, _) in strings("deleted_classes") {
                out.declared.remove(&class);
            }
        }
        out
    }
}

/// Parses `text` strictly and reads everything the reconciler needs (the top level and every
/// `env.<name>` block). `Err` holds located errors.
pub(crate) fn analyze(text: &str, file: &str) -> Result<Analysis, Vec<Diagnostic>> {
    let root = &crate::document::parse_root(text, file)?;
    let mut reader = Reader {
        file,
        errors: Vec::new(),
    };

    let duplicates = duplicate_keys(root, file);
    if !duplicates.is_empty() {
        return Err(duplicates);
    }

    let mut top = reader.scope(None, root);
    if top.migrations.is_none() {
        top.migrations = Some(Migrations::default());
    }
    let mut envs = Vec::new();
    let mut env_anchor = span(root.range);
    if let Some(env_prop) = root.get("env") {
        if let Some(blocks) = reader.object("env", &env_prop.value) {
            env_anchor = span(blocks.range);
            for block in &blocks.properties {
                let name = block.name.as_str();
                if let Some(obj) = reader.object(&format!("env.{name}"), &block.value) {
                    envs.push(reader.scope(Some(name), obj));
                }
            }
        }
    }

    let observability = match root.get("observability") {
        None => Observability::Absent,
        Some(prop) => match reader.object("observability", &prop.value) {
            None => Observability::Absent,
            Some(obs) => match obs.get("enabled") {
                Some(p) => match &p.value {
                    Value::BooleanLit(b) if b.value => Observability::Enabled,
                    Value::BooleanLit(_) => Observability::Disabled(prop_span(p)),
                    other => {
                        reader.wrong_type("observability.enabled", "a boolean", other);
                        Observability::Absent
                    }
                },
                None => {
                    let logs_enabled = obs
                        .get_object("logs")
                        .and_then(|logs| logs.get_boolean("enabled"))
                        .is_some_and(|b| b.value);
                    if logs_enabled {
                        Observability::Enabled
                    } else {
                        Observability::NoEnabledKey
                    }
                }
            },
        },
    };

    if !reader.errors.is_empty() {
        reader
            .errors
            .sort_by_key(|d| d.primary_label().map(|l| l.span.start));
        return Err(reader.errors);
    }
    Ok(Analysis {
        top,
        envs,
        env_anchor,
        observability,
    })
}

/// A repeated key in an object lunora reads or edits (the root, `env` blocks, `durable_objects`
/// and its bindings, `containers[]` and `migrations[]` entries, `observability`) is an error
/// (`wrangler/duplicate-key`, at the repeat): wrangler reads the last occurrence, an edit lands on
/// the first, and reconciling such a file never settles (found by the reconciler fuzzer).
fn duplicate_keys(root: &Object<'_>, file: &str) -> Vec<Diagnostic> {
    fn last<'a, 'b>(obj: &'b Object<'a>, key: &str) -> Option<&'b Value<'a>> {
        obj.properties
            .iter()
            .rev()
            .find(|p| p.name.as_str() == key)
            .map(|p| &p.value)
    }
    fn objects_in<'a, 'b>(value: Option<&'b Value<'a>>, out: &mut Vec<&'b Object<'a>>) {
        if let Some(Value::Array(a)) = value {
            out.extend(a.elements.iter().filter_map(|e| match e {
                Value::Object(o) => Some(o),
                _ => None,
            }));
        }
    }
    let mut scopes = vec![root];
    if let Some(Value::Object(env)) = last(root, "env") {
        scopes.push(env);
        scopes.extend(env.properties.iter().filter_map(|p| match &p.value {
            Value::Object(o) => Some(o),
            _ => None,
        }));
    }
    let mut checked: Vec<&Object<'_>> = Vec::new();
    for scope in scopes {
        checked.push(scope);
        objects_in(last(scope, "containers"), &mut checked);
        objects_in(last(scope, "migrations"), &mut checked);
        if let Some(Value::Object(d)) = last(scope, "durable_objects") {
            checked.push(d);
            objects_in(last(d, "bindings"), &mut checked);
        }
        if let Some(Value::Object(o)) = last(scope, "observability") {
            checked.push(o);
        }
    }
    let mut errors = Vec::new();
    for obj in checked {
        // Entries have a handful of keys: scan them. A large object (a root with thousands of
        // keys) goes through a map, so it stays linear.
        let first_of = |i: usize, seen: &HashMap<&str, usize>| -> Option<usize> {
            let name = obj.properties[i].name.as_str();
            if obj.properties.len() > 16 {
                seen.get(name).copied()
            } else {
                obj.properties[..i]
                    .iter()
                    .position(|p| p.name.as_str() == name)
            }
        };
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, prop) in obj.properties.iter().enumerate() {
            let name = prop.name.as_str();
            if let Some(first) = first_of(i, &seen) {
                let first = &obj.properties[first];
                errors.push(
                    Diagnostic::error(
                        crate::codes::DUPLICATE_KEY,
                        format!("`{name}` appears twice in one object of {file}"),
                    )
                    .with_primary(file, prop_span(prop), "repeated here")
                    .with_secondary(file, prop_span(first), "first here")
                    .with_help(format!(
                        "keep one `{name}`: wrangler reads the last one, so delete the other"
                    )),
                );
            } else if obj.properties.len() > 16 {
                seen.insert(name, i);
            }
        }
    }
    errors
}
