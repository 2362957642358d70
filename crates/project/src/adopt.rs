//! The planning half of `lunora adopt`: for one hand-wired class, what the `defineContainer`
//! definition, the binding and the worker-entry edit are, or why it cannot be adopted safely.
//! Pure over the project's `Fs`; `lunora adopt` stages and writes the result.

use crate::project::{self, Project, CONTAINERS_TS};
use crate::source::line_of;
use lunora_diagnostic::Span;
use lunora_parser::adopt::{
    export_name_for_class, CarriedField, HandWrittenClass, MemberKind, StaticValue, WorkerModule,
};
use lunora_parser::{binding_for, check_export_name, class_name_for};
use lunora_wrangler_config::{ConfigFacts, StorageKind};
use serde_json::Value;
use std::collections::BTreeSet;

/// One class the run adopts.
pub struct Adoption {
    pub class: String,
    pub export: String,
    /// The Durable Object class the generated module declares for it: always `class`.
    pub generated: String,
    /// Whether the definition fixes the class with `className` (lunora's own name would differ).
    pub class_fixed: bool,
    pub binding: String,
    /// The binding name lunora would give the export (two adoptions must not share one).
    pub binding_default: String,
    /// The definition as written into containers.ts (calling `defineContainer` as the file does).
    pub definition: String,
    /// Index into the worker module's classes, when the class is declared there.
    pub hand: usize,
    /// Why the hand-written class stays in the worker (empty: it is removed).
    pub keep_because: Vec<String>,
    /// Class fields carried into the definition, and those that were not (dynamic).
    pub carried: Vec<String>,
}

/// Plans one class, or says why it cannot be adopted safely.
#[allow(clippy::too_many_arguments)]
pub fn plan_class(
    project: &Project,
    _wrangler_rel: &str,
    facts: &ConfigFacts,
    module: &WorkerModule,
    entry: &project::WorkerEntry,
    entry_text: &str,
    entry_exports: &lunora_parser::EntryExports,
    class: &str,
    taken_exports: &[String],
    planned: &[Adoption],
    define: &str,
) -> std::result::Result<Adoption, Vec<String>> {
    let mut why = Vec::new();
    let top = facts.scopes[0]
        .containers
        .iter()
        .find(|c| c.class_name == class);
    if top.is_none() {
        let envs: Vec<&str> = facts
            .scopes_wiring(class)
            .filter(|s| s.env.is_some())
            .map(|s| s.prefix.trim_end_matches('.'))
            .collect();
        why.push(format!(
            "it has a containers[] entry only in {}; adopt reads a container's settings from its top-level entry",
            envs.join(", ")
        ));
    }
    let hand = crate::adopt_layout::class_index(module, class);
    if let (None, Some(reason)) = (hand, module.unresolved.get(class)) {
        why.push(reason.clone());
    } else if hand.is_none() {
        let elsewhere = entry_exports.value_names.iter().any(|n| n == class);
        why.push(if elsewhere {
            format!("{} exports `{class}` but does not declare it; adopt reads the class where the worker entry declares it (move the class into the entry, or adopt by hand)", entry.rel)
        } else {
            format!("no `class {class} extends Container` (from @cloudflare/containers) in the worker entry {} (wrangler's `main`)", entry.rel)
        });
    }
    // Bindings: one name everywhere, kept.
    let mut names: BTreeSet<String> = BTreeSet::new();
    for scope in &facts.scopes {
        names.extend(
            scope
                .bindings
                .iter()
                .filter(|b| b.class_name == class)
                .map(|b| b.name.clone()),
        );
    }
    let binding = match names.len() {
        0 => {
            why.push(format!("no `durable_objects.bindings` entry names `{class}`, so there is no binding name to keep and no Durable Object to carry over"));
            String::new()
        }
        1 => names.iter().next().cloned().unwrap_or_default(),
        _ => {
            why.push(format!(
                "it is bound under different names ({}) in different blocks, and the generated handles read one name; use one binding name everywhere first",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ));
            String::new()
        }
    };
    // Storage: every block that wires it reads a migration that declares it, SQLite-backed.
    for scope in facts.scopes_wiring(class) {
        let migrations = facts.migrations_of(scope);
        let which = if scope.migrations.is_some() {
            scope.prefix.clone()
        } else {
            String::new()
        };
        match migrations.get(class).map(|d| d.storage) {
            None => why.push(format!(
                "no migration in `{which}migrations` declares `{class}`, so lunora cannot tell whether it holds data; add the migration that created it"
            )),
            Some(StorageKind::KeyValue) => why.push(format!(
                "`{class}` is key-value backed (`new_classes` in `{which}migrations`), and containers need SQLite-backed Durable Objects; a class cannot switch storage"
            )),
            Some(_) => {}
        }
    }
    let export = export_name_for_class(class);
    if let Err(problem) = check_export_name(&export) {
        why.push(format!("its export name would be {}", problem.message));
    }
    if taken_exports.contains(&export) {
        why.push(format!("{CONTAINERS_TS} already exports `{export}`"));
    }
    let binding_default = binding_for(&export);
    if let Some(other) = planned
        .iter()
        .find(|a| a.binding_default == binding_default)
    {
        why.push(format!(
            "its export `{export}` maps to the same lunora names as `{}`",
            other.export
        ));
    }
    let mut keys: Vec<(String, String)> = Vec::new();
    let class_fixed = class_name_for(&export) != class;
    // The class keeps its name: when lunora's would differ (`Sandbox`, not `SandboxContainer`),
    // `className` fixes it, so the storage, the binding, the `containers[]` entry and the
    // container application (named after the class) all stay as they are, and no migration is
    // needed.
    if class_fixed {
        if !lunora_parser::is_valid_class_name(class) {
            why.push(format!(
                "`{class}` is not a class name lunora's generated module can declare (it is one of that module's own names or a reserved word)"
            ));
        }
        keys.push(("className".into(), ts_string(class)));
    }
    if let Some(top) = top {
        match crate::adopt_legacy::current_form(&top.fields)
            .and_then(|(fields, _)| wrangler_keys(project, &fields))
        {
            Ok(k) => keys.extend(k),
            Err(e) => why.push(e),
        }
    }
    if !why.is_empty() {
        return Err(why);
    }
    let generated = class.to_string();
    let hand = hand.expect("checked above");
    let h = &module.classes[hand];
    let mut keep_because = Vec::new();
    if !h.own_code.is_empty() {
        keep_because.push("it has code of its own".to_string());
    }
    if h.exported_separately {
        keep_because.push(format!(
            "it is exported by a separate `export {{ {class} }}`"
        ));
    }
    if !h.exported_inline && !h.exported_separately && h.declared_in.is_none() {
        keep_because.push("it is not exported".to_string());
    }
    if h.declared_in.is_none() && h.name != class && !h.exported_separately {
        keep_because.push(format!(
            "it is exported under another name (`{}` as `{class}`)",
            h.name
        ));
    }
    if let Some(file) = &h.declared_in {
        keep_because.push(format!(
            "it is declared in {file}, which the worker entry re-exports, and adopt edits only the entry"
        ));
    }
    // Removing a class the module names elsewhere would leave that name unresolved (`export *`
    // does not bring the generated class into the module's own scope).
    let outside = |sp: &Span| sp.start < h.statement_span.start || sp.end > h.statement_span.end;
    if let Some(use_at) = module
        .references
        .get(class)
        .filter(|_| h.declared_in.is_none())
        .and_then(|refs| refs.iter().find(|sp| outside(sp)))
    {
        keep_because.push(format!(
            "{} uses `{class}` elsewhere (line {})",
            entry.rel,
            line_of(entry_text, use_at.start)
        ));
    }
    let remove = keep_because.is_empty();
    // A kept class becomes a subclass of the generated class. Options a constructor hands to
    // `super(…)` would then be dropped (the generated constructor takes `(ctx, env)` and reads
    // the definition), so a constructor is refused, with its line.
    if !remove {
        if let Some(ctor) = h
            .own_code
            .iter()
            .find(|o| o.kind == MemberKind::Constructor)
        {
            return Err(vec![format!(
                "its constructor (line {}) would run on a subclass of lunora's generated class, whose constructor takes only `(ctx, env)` and sets the container's options from the definition, so options passed to `super(…)` would be dropped; move what it sets into fields, remove the constructor, then adopt again",
                line_of(entry_text, ctor.span.start)
            )]);
        }
    }
    let carried: Vec<String> = h
        .fields
        .iter()
        .filter(|f| f.value.is_ok())
        .map(|f| {
            if f.field == f.key {
                f.field.clone()
            } else {
                format!("{} → {}", f.field, f.key)
            }
        })
        .collect();
    // The class's spans point into the module that declares it.
    let declaring_text = match &h.declared_in {
        Some(file) => match project.read(file) {
            Ok(Some(text)) => std::borrow::Cow::Owned(text),
            _ => {
                return Err(vec![format!(
                    "{file} (which declares `{class}`) cannot be read"
                )])
            }
        },
        None => std::borrow::Cow::Borrowed(entry_text),
    };
    let definition = render_definition(&export, define, &keys, h, remove, &declaring_text);
    Ok(Adoption {
        class: class.to_string(),
        export,
        generated,
        class_fixed,
        binding,
        binding_default,
        definition,
        hand,
        keep_because,
        carried,
    })
}

/// The definition keys for what a `containers[]` entry holds, rendered as TypeScript.
pub fn wrangler_keys(
    project: &Project,
    fields: &serde_json::Map<String, Value>,
) -> std::result::Result<Vec<(String, String)>, String> {
    let mut keys = Vec::new();
    let image = fields
        .get("image")
        .and_then(Value::as_str)
        .ok_or("its containers[] entry has no `image`, which wrangler requires")?;
    let local = image.starts_with("./")
        || image.starts_with("../")
        || image.starts_with('/')
        || project.fs().kind(&project.path(image)).is_some();
    if local {
        let path = if image.starts_with('/') || image.starts_with('.') {
            image.to_string()
        } else {
            format!("./{image}")
        };
        if project.fs().is_file(&project.path(&path)) {
            let dir = match path.rsplit_once('/') {
                Some(("", _)) => "/".to_string(),
                Some((d, _)) => d.to_string(),
                None => ".".to_string(),
            };
            if let Some(context) = fields.get("image_build_context").and_then(Value::as_str) {
                if lunora_codegen::normalize(std::path::Path::new(context))
                    != lunora_codegen::normalize(std::path::Path::new(&dir))
                {
                    return Err(format!(
                        "its image builds {path} with the context {context}, and lunora builds a Dockerfile with its own directory ({dir}) as the context; move the Dockerfile into {context} (or point `image_build_context` at {dir}) first"
                    ));
                }
            }
        } else if project.fs().is_dir(&project.path(&path)) {
            if !project
                .fs()
                .is_file(&project.path(&path).join("Dockerfile"))
            {
                return Err(format!(
                    "its image {path} is a directory without a Dockerfile"
                ));
            }
        } else {
            return Err(format!("its image {path} does not exist"));
        }
        keys.push(("image".into(), ts_string(&path)));
        if let Some(Value::Object(vars)) = fields.get("image_vars") {
            keys.push(("buildArgs".into(), ts_json(&Value::Object(vars.clone()))));
        }
    } else {
        keys.push((
            "image".into(),
            format!("{{ registry: {} }}", ts_string(image)),
        ));
    }
    match fields.get("instance_type") {
        Some(Value::Object(custom)) => {
            let mut parts = Vec::new();
            for (from, to) in [
                ("vcpu", "vcpu"),
                ("memory_mib", "memoryMib"),
                ("disk_mb", "diskMb"),
            ] {
                if let Some(v) = custom.get(from) {
                    parts.push(format!("{to}: {}", ts_json(v)));
                }
            }
            keys.push(("instanceType".into(), format!("{{ {} }}", parts.join(", "))));
        }
        Some(v) => keys.push(("instanceType".into(), ts_json(v))),
        None => {}
    }
    if let Some(v) = fields.get("max_instances") {
        keys.push(("maxInstances".into(), ts_json(v)));
    }
    if let Some(v) = fields.get("name") {
        keys.push(("name".into(), ts_json(v)));
    }
    let mut rollout = Vec::new();
    if let Some(v) = fields.get("rollout_step_percentage") {
        rollout.push(format!("stepPercentage: {}", ts_json(v)));
    }
    if let Some(v) = fields.get("rollout_active_grace_period") {
        rollout.push(format!("gracePeriodSeconds: {}", ts_json(v)));
    }
    if !rollout.is_empty() {
        keys.push(("rollout".into(), format!("{{ {} }}", rollout.join(", "))));
    }
    Ok(keys)
}

/// `export const <export> = {define}({ … });` with the wrangler keys first, then the class's
/// static fields in source order. When the class goes, its comments come along: its doc comment
/// above the export, each field's comments with its key. When it stays (as a subclass), only
/// the comment at the end of a field's line goes with the field, since that line is removed.
pub fn render_definition(
    export: &str,
    define: &str,
    keys: &[(String, String)],
    class: &HandWrittenClass,
    move_comments: bool,
    source: &str,
) -> String {
    use lunora_codegen::{Definition, DefinitionField};
    let mut definition = Definition {
        export_name: export.to_string(),
        define_ident: define.to_string(),
        ..Default::default()
    };
    if move_comments {
        definition.doc = class
            .leading_comments
            .iter()
            .map(|c| c.text.clone())
            .collect();
    }
    definition.fields = keys
        .iter()
        .map(|(k, v)| DefinitionField::new(k.as_str(), v.as_str()))
        .collect();
    let fields: Vec<&CarriedField> = class.fields.iter().filter(|f| f.value.is_ok()).collect();
    // Comments inside the class: with the field they sit on or above, else at the end.
    let mut leading: Vec<Vec<String>> = vec![Vec::new(); fields.len()];
    let mut trailing: Vec<Option<&str>> = vec![None; fields.len()];
    let lines = |c: &str| -> Vec<String> { c.lines().map(|l| l.trim().to_string()).collect() };
    for c in &class.inner_comments {
        let same_line_after = fields.iter().position(|f| {
            f.span.end <= c.span.start
                && !source[f.span.end as usize..c.span.start as usize].contains('\n')
                && (move_comments || crate::adopt_entry::removes_whole_line(source, f.span))
        });
        if let Some(i) = same_line_after {
            if trailing[i].is_none() {
                trailing[i] = Some(&c.text);
                continue;
            }
        }
        if move_comments {
            match fields.iter().position(|f| f.span.end >= c.span.end) {
                Some(i) => leading[i].extend(lines(&c.text)),
                None => definition.footer.extend(lines(&c.text)),
            }
        }
    }
    for (i, f) in fields.iter().enumerate() {
        // A kept class loses the field's lines, and the comment lines above it with them.
        if !move_comments && crate::adopt_entry::removes_whole_line(source, f.span) {
            for c in crate::adopt_entry::attached_comments(source, class, f.span) {
                leading[i].extend(lines(&c.text));
            }
        }
        let value = ts_static(f.value.as_ref().expect("filtered to static values"));
        definition.fields.push(DefinitionField {
            comments: std::mem::take(&mut leading[i]),
            key: f.key.to_string(),
            value,
            comment: trailing[i].map(str::to_string),
        });
    }
    lunora_codegen::render_definition(&definition)
}

pub fn ts_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// `k` as an object-literal key that creates an own property named `k`: `__proto__` (bare or
/// quoted) would set the prototype instead, so it is written computed, `["__proto__"]`.
pub fn ts_key(k: &str) -> String {
    if k == "__proto__" {
        return format!("[{}]", ts_string(k));
    }
    let ident = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident {
        k.to_string()
    } else {
        ts_string(k)
    }
}

pub fn ts_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

pub fn ts_static(v: &StaticValue) -> String {
    match v {
        StaticValue::Str(s) => ts_string(s),
        StaticValue::Num(n) => ts_number(*n),
        StaticValue::Bool(b) => b.to_string(),
        StaticValue::Null => "null".into(),
        StaticValue::Array(items) => format!(
            "[{}]",
            items.iter().map(ts_static).collect::<Vec<_>>().join(", ")
        ),
        StaticValue::Object(props) if props.is_empty() => "{}".into(),
        StaticValue::Object(props) => format!(
            "{{ {} }}",
            props
                .iter()
                .map(|(k, v)| format!("{}: {}", ts_key(k), ts_static(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub fn ts_json(v: &Value) -> String {
    match v {
        Value::String(s) => ts_string(s),
        Value::Number(n) => n.as_f64().map(ts_number).unwrap_or_else(|| n.to_string()),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(ts_json).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) if map.is_empty() => "{}".into(),
        Value::Object(map) => format!(
            "{{ {} }}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", ts_key(k), ts_json(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lunora_parser::adopt::hand_written_classes;

    /// Regression: adopt wrote a `__proto__` key bare, which sets the object's prototype and
    /// drops the value; it is written computed, an own property.
    #[test]
    fn a_proto_key_is_written_as_an_own_property() {
        assert_eq!(ts_key("__proto__"), "[\"__proto__\"]");
        assert_eq!(ts_key("NODE_ENV"), "NODE_ENV");
        assert_eq!(ts_key("a-b"), "\"a-b\"");
        let v: Value = serde_json::from_str(r#"{"__proto__": "x", "A": "y"}"#).unwrap();
        assert_eq!(ts_json(&v), "{ [\"__proto__\"]: \"x\", A: \"y\" }");
        let parsed = lunora_parser::parse_containers(
            &format!(
                "import {{ defineContainer }} from \"@lunora/container\";\nexport const x = defineContainer({{ image: \"./Dockerfile\", buildArgs: {} }});\n",
                ts_json(&v)
            ),
            "lunora/containers.ts",
        );
        assert!(
            !parsed.diagnostics.iter().any(|d| d.is_error()),
            "{:?}",
            parsed.diagnostics
        );
        let args = parsed.containers[0]
            .build_args
            .as_ref()
            .expect("buildArgs read");
        assert_eq!(args.get("__proto__").map(String::as_str), Some("x"));
    }

    const WORKER: &str = r#"import { Container } from "@cloudflare/containers";

// The one container.
export class Api extends Container {
  defaultPort = 8080; // the port
}
"#;

    #[test]
    fn the_definition_carries_the_class_comments() {
        let module = hand_written_classes(WORKER, "src/index.ts").unwrap();
        let keys = vec![("image".to_string(), "\"./Dockerfile\"".to_string())];
        let def = render_definition("api", "{define}", &keys, &module.classes[0], true, WORKER);
        assert_eq!(
            def,
            "// The one container.\nexport const api = {define}({\n  image: \"./Dockerfile\",\n  defaultPort: 8080, // the port\n});"
        );
        assert_eq!(
            ts_static(&StaticValue::Object(vec![(
                "a-b".into(),
                StaticValue::Num(0.5)
            )])),
            "{ \"a-b\": 0.5 }"
        );
    }
}
