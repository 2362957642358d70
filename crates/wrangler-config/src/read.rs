//! Reading a wrangler config into what the reconciler needs to know, with byte spans.
//!
//! Every shape problem (wrong root, a key of the wrong type, a migration that is not an object) is
//! found here, before any edit, so a file is either fully reconciled or left untouched.

use jsonc_parser::ast::{Array, Object, ObjectProp, Value};
use jsonc_parser::common::Range;
use jsonc_parser::{CollectOptions, ParseOptions};
use lunora_diagnostic::{Diagnostic, Span};
use std::collections::BTreeMap;

/// What the reconciler accepts: JSON plus comments and trailing commas (what wrangler itself
/// reads). Missing commas, unquoted keys, single quotes, hex numbers and other JSON5 leniencies are
/// rejected so that a typo is reported instead of silently "repaired".
pub(crate) fn parse_options() -> ParseOptions {
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

/// A Durable Object binding as written in `durable_objects.bindings`.
#[derive(Debug, Clone)]
pub(crate) struct ExistingBinding {
    pub name: Option<String>,
    pub class_name: Option<String>,
    pub span: Span,
    pub class_span: Option<Span>,
}

/// A `containers[]` entry.
#[derive(Debug, Clone)]
pub(crate) struct ExistingContainer {
    pub class_name: Option<String>,
    pub span: Span,
    /// Every field of the entry, for comparing owned fields with the definition.
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// The part of the config wrangler does not inherit into environments: top level or `env.<name>`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    /// `""` at top level, `env.<name>.` inside an environment; prefixes the `what` of changes.
    pub prefix: String,
    pub bindings: Vec<ExistingBinding>,
    pub containers: Vec<ExistingContainer>,
    /// Whether a worker `name` applies here (top level, or inherited by an environment).
    pub has_worker_name: bool,
}

/// How a class ended up declared after replaying the migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Storage {
    Sqlite,
    KeyValue,
}

#[derive(Debug, Clone)]
pub(crate) struct DeclaredClass {
    pub storage: Storage,
    /// Tag of the migration that declared it (or renamed it to its current name).
    pub tag: Option<String>,
    /// Where that happened.
    pub span: Span,
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
    pub env: Option<Scope>,
    pub declared: BTreeMap<String, DeclaredClass>,
    pub tags: Vec<String>,
    /// `null` entries of `migrations`, which wrangler 4 cannot read.
    pub null_migrations: Vec<Span>,
    pub observability: Observability,
}

struct Reader<'t> {
    file: &'t str,
    errors: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn wrong_type(&mut self, path: &str, expected: &str, value: &Value<'_>) {
        self.errors.push(
            Diagnostic::error(
                "wrangler/invalid-type",
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

    fn scope(&mut self, prefix: &str, obj: &Object<'_>, inherited_name: bool) -> Scope {
        let has_worker_name = inherited_name || obj.get_string("name").is_some();
        let mut scope = Scope {
            prefix: prefix.to_string(),
            has_worker_name,
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
                            let name = b.get_string("name").map(|s| s.value.to_string());
                            let class = b.get_string("class_name");
                            scope.bindings.push(ExistingBinding {
                                name,
                                class_name: class.map(|s| s.value.to_string()),
                                span: span(b.range),
                                class_span: class.map(|s| span(s.range)),
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
                    let fields = match to_json(element) {
                        serde_json::Value::Object(map) => map,
                        _ => serde_json::Map::new(),
                    };
                    scope.containers.push(ExistingContainer {
                        class_name: c.get_string("class_name").map(|s| s.value.to_string()),
                        span: span(c.range),
                        fields,
                    });
                }
            }
        }
        scope
    }

    fn migrations(
        &mut self,
        value: &Value<'_>,
        declared: &mut BTreeMap<String, DeclaredClass>,
        tags: &mut Vec<String>,
        nulls: &mut Vec<Span>,
    ) {
        let Some(arr) = self.array("migrations", value) else {
            return;
        };
        for element in &arr.elements {
            if let Value::NullKeyword(n) = element {
                nulls.push(span(n.range));
                continue;
            }
            let Some(m) = self.object("migrations[]", element) else {
                continue;
            };
            let tag = m.get_string("tag").map(|s| s.value.to_string());
            if let Some(tag) = &tag {
                tags.push(tag.clone());
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
            for (class, sp) in strings("new_classes") {
                declared.insert(
                    class,
                    DeclaredClass {
                        storage: Storage::KeyValue,
                        tag: tag.clone(),
                        span: sp,
                    },
                );
            }
            for (class, sp) in strings("new_sqlite_classes") {
                declared.insert(
                    class,
                    DeclaredClass {
                        storage: Storage::Sqlite,
                        tag: tag.clone(),
                        span: sp,
                    },
                );
            }
            if let Some(Value::Array(renames)) = m.get("renamed_classes").map(|p| &p.value) {
                for rename in &renames.elements {
                    let Value::Object(r) = rename else { continue };
                    let (Some(from), Some(to)) = (r.get_string("from"), r.get_string("to")) else {
                        continue;
                    };
                    if let Some(previous) = declared.remove(from.value.as_ref()) {
                        declared.insert(
                            to.value.to_string(),
                            DeclaredClass {
                                storage: previous.storage,
                                tag: tag.clone(),
                                span: span(to.range),
                            },
                        );
                    }
                }
            }
            for (class, _) in strings("deleted_classes") {
                declared.remove(&class);
            }
        }
    }
}

/// Parses `text` strictly and reads everything the reconciler needs. `Err` holds located errors.
pub(crate) fn analyze(
    text: &str,
    file: &str,
    env: Option<&str>,
) -> Result<Analysis, Vec<Diagnostic>> {
    let parsed = match jsonc_parser::parse_to_ast(
        text,
        &CollectOptions::default(),
        &parse_options(),
    ) {
        Ok(parsed) => parsed,
        Err(err) => {
            let range = err.range();
            let end = if range.end > range.start {
                range.end
            } else {
                (range.start + 1).min(text.len())
            };
            return Err(vec![Diagnostic::error(
                "wrangler/parse-error",
                format!("{file} does not parse: {}", err.kind()),
            )
            .with_primary(file, Span::new(range.start as u32, end as u32), err.kind().to_string())
            .with_help(format!(
                "fix the syntax at line {} column {}; lunora leaves the file untouched until it parses",
                err.line_display(),
                err.column_display()
            ))]);
        }
    };
    let mut reader = Reader {
        file,
        errors: Vec::new(),
    };
    let root = match &parsed.value {
        Some(Value::Object(o)) => o,
        Some(other) => {
            return Err(vec![Diagnostic::error(
                "wrangler/invalid-root",
                format!("{file} must contain a JSON object, found {}", type_name(other)),
            )
            .with_primary(file, span(value_range(other)), "expected an object")
            .with_help("a wrangler config is one object, e.g. `{ \"name\": \"my-worker\", \"main\": \"src/index.ts\" }`")]);
        }
        None => {
            return Err(vec![Diagnostic::error("wrangler/invalid-root", format!("{file} contains no JSON object"))
                .with_primary(file, Span::new(0, text.len() as u32), "")
                .with_help("a wrangler config is one object, e.g. `{ \"name\": \"my-worker\", \"main\": \"src/index.ts\" }`")]);
        }
    };

    let duplicates = duplicate_keys(root, file);
    if !duplicates.is_empty() {
        return Err(duplicates);
    }

    let top = reader.scope("", root, false);
    let top_has_name = top.has_worker_name;
    let env_scope = env.and_then(|name| {
        let missing = |reader: &mut Reader<'_>, at: Span| {
            reader.errors.push(
                Diagnostic::error("wrangler/missing-env", format!("{file} has no `env.{name}` block"))
                    .with_primary(file, at, format!("`env.{name}` is not defined"))
                    .with_help(format!(
                        "add `\"env\": {{ \"{name}\": {{}} }}` to {file} (durable_objects and containers are not inherited by environments, lunora fills them in)"
                    )),
            );
        };
        match root.get("env") {
            None => {
                missing(&mut reader, span(root.range));
                None
            }
            Some(env_prop) => {
                let envs = reader.object("env", &env_prop.value)?;
                match envs.get(name) {
                    None => {
                        missing(&mut reader, span(envs.range));
                        None
                    }
                    Some(block) => {
                        let prefix = format!("env.{name}.");
                        let block = reader.object(&format!("env.{name}"), &block.value)?;
                        Some(reader.scope(&prefix, block, top_has_name))
                    }
                }
            }
        }
    });

    let mut declared = BTreeMap::new();
    let mut tags = Vec::new();
    let mut null_migrations = Vec::new();
    if let Some(migrations) = root.get("migrations") {
        reader.migrations(
            &migrations.value,
            &mut declared,
            &mut tags,
            &mut null_migrations,
        );
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
        env: env_scope,
        declared,
        tags,
        null_migrations,
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
        for (i, prop) in obj.properties.iter().enumerate() {
            let name = prop.name.as_str();
            if let Some(first) = obj.properties[..i].iter().find(|p| p.name.as_str() == name) {
                errors.push(
                    Diagnostic::error(
                        "wrangler/duplicate-key",
                        format!("`{name}` appears twice in one object of {file}"),
                    )
                    .with_primary(file, prop_span(prop), "repeated here")
                    .with_secondary(file, prop_span(first), "first here")
                    .with_help(format!(
                        "keep one `{name}`: wrangler reads the last one, so delete the other"
                    )),
                );
            }
        }
    }
    errors
}
