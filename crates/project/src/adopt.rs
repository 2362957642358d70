//! The planning half of `lunora adopt`: for one hand-wired class, what the `defineContainer`
//! definition, the binding and the worker-entry edit are, or why it cannot be adopted safely.
//! Pure over the project's `Fs`; `lunora adopt` stages and writes the result.

use crate::project::{self, Project, CONTAINERS_TS};
use crate::source::line_of;
use lunora_diagnostic::{Diagnostic, Span};
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
    pub generated: String,
    pub binding: String,
    /// The binding name lunora would give the export (two adoptions must not share one).
    pub binding_default: String,
    /// The definition's lines as written into containers.ts.
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
    wrangler_rel: &str,
    facts: &ConfigFacts,
    module: &WorkerModule,
    entry: &project::WorkerEntry,
    entry_text: &str,
    entry_exports: &lunora_parser::EntryExports,
    class: &str,
    taken_exports: &[String],
    planned: &[Adoption],
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
    let generated = class_name_for(&export);
    if generated != class
        && (facts.has_storage(&generated) || facts.scopes_wiring(&generated).next().is_some())
    {
        why.push(format!(
            "lunora's class for it would be {generated}, which already exists in {wrangler_rel} (storage or wiring of its own); Cloudflare does not rename a class onto one that exists"
        ));
    }
    let mut keys: Vec<(String, String)> = Vec::new();
    if let Some(top) = top {
        match crate::adopt_legacy::current_form(&top.fields)
            .and_then(|(fields, _)| wrangler_keys(project, &fields))
        {
            Ok(k) => keys = k,
            Err(e) => why.push(e),
        }
    }
    if !why.is_empty() {
        return Err(why);
    }
    // A class that changes name keeps its container application: the definition pins the name
    // wrangler derived from the hand-written class (a `name` the entry sets is carried above).
    if let (true, Some(top)) = (generated != class, top) {
        if !top.fields.contains_key("name") {
            if let Some(app) = facts.application_name(&facts.scopes[0], class) {
                let at = keys
                    .iter()
                    .position(|(k, _)| k == "rollout")
                    .unwrap_or(keys.len());
                keys.insert(at, ("name".into(), ts_string(&app)));
            }
        }
    }
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
    let definition = render_definition(&export, &keys, h, remove, entry_text);
    Ok(Adoption {
        class: class.to_string(),
        export,
        generated,
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
/// above the export, each field's comments with its key.
pub fn render_definition(
    export: &str,
    keys: &[(String, String)],
    class: &HandWrittenClass,
    move_comments: bool,
    source: &str,
) -> String {
    let mut out = String::new();
    if move_comments {
        for c in &class.leading_comments {
            out.push_str(&c.text);
            out.push('\n');
        }
    }
    out.push_str(&format!("export const {export} = {{define}}({{\n"));
    for (k, v) in keys {
        out.push_str(&format!("  {k}: {v},\n"));
    }
    let fields: Vec<&CarriedField> = class.fields.iter().filter(|f| f.value.is_ok()).collect();
    // Comments inside the class: with the field they sit on or above, else at the end.
    let mut leading: Vec<Vec<&str>> = vec![Vec::new(); fields.len()];
    let mut trailing: Vec<Option<&str>> = vec![None; fields.len()];
    let mut footer: Vec<&str> = Vec::new();
    if move_comments {
        for c in &class.inner_comments {
            let same_line_after = fields.iter().position(|f| {
                f.span.end <= c.span.start
                    && !source[f.span.end as usize..c.span.start as usize].contains('\n')
            });
            if let Some(i) = same_line_after {
                if trailing[i].is_none() {
                    trailing[i] = Some(&c.text);
                    continue;
                }
            }
            match fields.iter().position(|f| f.span.end >= c.span.end) {
                Some(i) => leading[i].push(&c.text),
                None => footer.push(&c.text),
            }
        }
    }
    for (i, f) in fields.iter().enumerate() {
        for c in &leading[i] {
            for line in c.lines() {
                out.push_str(&format!("  {}\n", line.trim()));
            }
        }
        let value = ts_static(f.value.as_ref().expect("filtered to static values"));
        match trailing[i] {
            Some(c) => out.push_str(&format!("  {}: {value}, {c}\n", f.key)),
            None => out.push_str(&format!("  {}: {value},\n", f.key)),
        }
    }
    for c in footer {
        for line in c.lines() {
            out.push_str(&format!("  {}\n", line.trim()));
        }
    }
    out.push_str("});");
    out
}

/// The worker text with `removed` classes gone (their doc comments too) and the named imports
/// only they used dropped (a whole import when nothing of it is left).
///
/// With `reexport`, when the last import of the module goes whole, the re-export line takes its
/// place (so the file keeps its layout); the flag says whether that happened.
pub fn edit_entry(
    text: &str,
    module: &WorkerModule,
    removed: &[&HandWrittenClass],
    reexport: Option<&str>,
) -> (String, bool) {
    if removed.is_empty() {
        return (text.to_string(), false);
    }
    let last_import = module.imports.iter().map(|i| i.span.start).max();
    let mut placed = false;
    let inside = |s: &Span| {
        removed
            .iter()
            .any(|c| c.statement_span.start <= s.start && s.end <= c.statement_span.end)
    };
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for c in removed {
        let start = c
            .leading_comments
            .first()
            .map_or(c.statement_span.start, |l| l.span.start) as usize;
        let (s, e) = crate::source::removal_range(text, start, c.statement_span.end as usize);
        edits.push((s, e, String::new()));
    }
    for import in &module.imports {
        let now_unused: Vec<bool> = import
            .specifiers
            .iter()
            .map(|spec| {
                let refs = module
                    .references
                    .get(&spec.local)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                !refs.is_empty() && refs.iter().all(inside)
            })
            .collect();
        if !now_unused.iter().any(|u| *u) {
            continue;
        }
        if now_unused.iter().all(|u| *u) {
            match reexport {
                Some(line) if Some(import.span.start) == last_import => {
                    edits.push((
                        import.span.start as usize,
                        import.span.end as usize,
                        line.to_string(),
                    ));
                    placed = true;
                }
                _ => {
                    let (s, e) = crate::source::removal_range(
                        text,
                        import.span.start as usize,
                        import.span.end as usize,
                    );
                    edits.push((s, e, String::new()));
                }
            }
            continue;
        }
        // Only named specifiers are dropped one by one; the list keeps its separator style.
        let named: Vec<(usize, &lunora_parser::adopt::ImportName)> = import
            .specifiers
            .iter()
            .enumerate()
            .filter(|(_, s)| s.named)
            .collect();
        if named.iter().all(|(i, _)| !now_unused[*i]) {
            continue;
        }
        let first = named[0].1.span.start as usize;
        let last = named[named.len() - 1].1.span.end as usize;
        let sep = if named.len() > 1 {
            &text[named[0].1.span.end as usize..named[1].1.span.start as usize]
        } else {
            ", "
        };
        let kept: Vec<&str> = named
            .iter()
            .filter(|(i, _)| !now_unused[*i])
            .map(|(_, s)| &text[s.span.start as usize..s.span.end as usize])
            .collect();
        if kept.is_empty() {
            continue;
        }
        edits.push((first, last, kept.join(sep)));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, with) in edits {
        out.replace_range(s..e, &with);
    }
    (out, placed)
}

/// A warning at a class kept in the worker: what it holds that lunora did not carry over, each
/// member labelled, and how to move it.
pub fn kept_class_diagnostic(
    a: &Adoption,
    h: &HandWrittenClass,
    entry: &project::WorkerEntry,
    text: &str,
) -> Diagnostic {
    let members: Vec<String> = h
        .own_code
        .iter()
        .map(|o| {
            let why = o.why.as_ref().map(|w| format!(", {w}")).unwrap_or_default();
            format!(
                "{} ({}, line {}{why})",
                o.name,
                o.kind.describe(),
                line_of(text, o.span.start)
            )
        })
        .collect();
    let situation = if a.generated == a.class {
        "it has the name of lunora's generated class, and a class the worker declares itself wins over `export *`, so until it goes the worker deploys this class: its code runs, and the definition's runtime settings (readiness, hard timeout, secrets) do not".to_string()
    } else {
        format!(
            "after the rename, {0} has no storage and nothing binds it: `env.{1}` serves lunora's {2}, so this code no longer runs once you deploy",
            a.class, a.binding, a.generated
        )
    };
    let mut d = Diagnostic::warning(
        "lunora/adopt-kept-class",
        format!(
            "`{}` stays in {} because {}: {}; {situation}",
            a.class,
            entry.rel,
            a.keep_because.join(" and "),
            if members.is_empty() {
                "nothing to move".to_string()
            } else {
                format!("move {}", members.join(", "))
            }
        ),
    )
    .with_primary(entry.rel.clone(), h.name_span, "kept");
    for o in &h.own_code {
        d = d.with_secondary(entry.rel.clone(), o.span, format!("{} to move", o.name));
    }
    let generated_module = lunora_codegen::relative_specifier(
        &entry.dir,
        std::path::Path::new(project::GENERATED_CONTAINERS_MODULE),
    );
    let hooks = h.own_code.iter().any(|o| o.kind == MemberKind::Hook);
    d.with_help(format!(
        "replace the hand-written `{}` in {} with a subclass of the generated class that holds just that code: `import {{ {g} as Lunora{g} }} from \"{generated_module}\";` and `export class {g} extends Lunora{g} {{ … }}`{}; static values belong in lunora/containers.ts",
        a.class,
        entry.rel,
        if hooks { " (in a hook, call the base's hook first, e.g. `await super.onStart()`, so lunora's lifecycle events still fire)" } else { "" },
        g = a.generated,
    ))
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

    const WORKER: &str = r#"import { Container, getContainer, getRandom } from "@cloudflare/containers";
import { Hono } from "hono";

// The one container.
export class Api extends Container {
  defaultPort = 8080; // the port
}

export default { fetch: (r: Request, env: Env) => getContainer(env.API).fetch(r) };
"#;

    #[test]
    fn edit_entry_drops_the_class_and_only_the_imports_it_alone_used() {
        let module = hand_written_classes(WORKER, "src/index.ts").unwrap();
        let removed: Vec<&HandWrittenClass> = module.classes.iter().collect();
        let (out, placed) = edit_entry(WORKER, &module, &removed, Some("export * from \"x\";"));
        // `getRandom` was unused before adopt: not adopt's to remove. `Hono` is the last import
        // and stays, so the re-export is not placed here.
        assert!(!placed);
        assert_eq!(
            out,
            "import { getContainer, getRandom } from \"@cloudflare/containers\";\nimport { Hono } from \"hono\";\n\nexport default { fetch: (r: Request, env: Env) => getContainer(env.API).fetch(r) };\n"
        );
    }

    #[test]
    fn the_definition_carries_the_class_comments() {
        let module = hand_written_classes(WORKER, "src/index.ts").unwrap();
        let keys = vec![("image".to_string(), "\"./Dockerfile\"".to_string())];
        let def = render_definition("api", &keys, &module.classes[0], true, WORKER);
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
