//! `lunora adopt`: a hand-wired Cloudflare Containers project (a `class X extends Container` in
//! the worker, a `containers[]` entry, a Durable Object binding and a migration) becomes a lunora
//! one, without losing a byte of Durable Object storage.
//!
//! For every `containers[]` entry: a `defineContainer` export in `lunora/containers.ts` carrying
//! what wrangler holds and what the class declares statically; the binding name the code already
//! uses; a `renamed_classes` migration when lunora's class name differs (none when it matches);
//! the worker entry re-exporting the generated classes, with a hand-written class removed only when
//! everything in it was carried over. A class with code of its own stays where it is and the output
//! names what to move. All or nothing: one class that cannot be adopted safely stops the run, and
//! the plan says why for each.

use crate::commands::migrate::{self, line_of, Staged};
use crate::output::Reporter;
use crate::pipeline;
use crate::project::{self, Project, CONTAINERS_TS};
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Sources, Span};
use lunora_parser::adopt::{
    export_name_for_class, hand_written_classes, CarriedField, HandWrittenClass, MemberKind,
    StaticValue, WorkerModule,
};
use lunora_parser::{binding_for, check_export_name, class_name_for, CONTAINER_MODULE};
use lunora_wrangler_config::{self as wc, ConfigFacts, Rename, StorageKind};
use serde_json::Value;
use std::collections::BTreeSet;

/// One class the run adopts.
struct Adoption {
    class: String,
    export: String,
    generated: String,
    binding: String,
    /// The definition's lines as written into containers.ts.
    definition: String,
    /// Index into the worker module's classes, when the class is declared there.
    hand: usize,
    /// Why the hand-written class stays in the worker (empty: it is removed).
    keep_because: Vec<String>,
    /// Class fields carried into the definition, and those that were not (dynamic).
    carried: Vec<String>,
}

pub fn run(project: &Project, dry_run: bool, reporter: &Reporter) -> Result<i32> {
    let mut sources = Sources::new();
    let refuse_plain = |code: &str, message: String, help: &str, sources: &Sources| {
        migrate::refuse(
            reporter,
            &[Diagnostic::error(code, message).with_help(help.to_string())],
            sources,
        )
    };
    let Some(wf) = project.wrangler_file()? else {
        return Ok(refuse_plain(
            "lunora/nothing-to-adopt",
            "the project has no wrangler.jsonc or wrangler.json, so there is no hand-wired container to adopt".into(),
            "run `lunora adopt` in the Worker project whose wrangler config has `containers`",
            &sources,
        ));
    };
    sources.insert(wf.rel.clone(), wf.text.clone());
    let facts = match wc::facts(&wf.text, &wf.rel) {
        Ok(f) => f,
        Err(errors) => return Ok(migrate::refuse(reporter, &errors, &sources)),
    };

    let existing_ts = project.read(CONTAINERS_TS)?;
    let mut lunora_classes: BTreeSet<String> = BTreeSet::new();
    let mut taken_exports: Vec<String> = Vec::new();
    if let Some(text) = &existing_ts {
        sources.insert(CONTAINERS_TS, text.clone());
        let parsed = lunora_parser::parse_containers(text, CONTAINERS_TS);
        if parsed.diagnostics.iter().any(|d| d.is_error()) {
            let mut diagnostics = parsed.diagnostics.clone();
            diagnostics.push(
                Diagnostic::error(
                    "lunora/adopt-refused",
                    format!("{CONTAINERS_TS} has errors; adopt appends to it only when it reads cleanly"),
                )
                .with_help("fix the errors above (`lunora codegen` shows them), then adopt again"),
            );
            return Ok(migrate::refuse(reporter, &diagnostics, &sources));
        }
        lunora_classes.extend(parsed.declared.iter().map(|d| class_name_for(d)));
        if let Ok(exports) = lunora_parser::entry_exports(text, CONTAINERS_TS) {
            taken_exports.extend(exports.value_names);
        }
        taken_exports.extend(parsed.declared.iter().cloned());
    }
    lunora_classes.extend(pipeline::recorded_classes(project));

    // Every class with a `containers[]` entry, in file order, that is not lunora's already.
    let mut candidates: Vec<String> = Vec::new();
    for scope in &facts.scopes {
        for c in &scope.containers {
            if !candidates.contains(&c.class_name) {
                candidates.push(c.class_name.clone());
            }
        }
    }
    if candidates.is_empty() {
        return Ok(refuse_plain(
            "lunora/nothing-to-adopt",
            format!(
                "{} has no `containers` entries, so there is nothing to adopt",
                wf.rel
            ),
            "to add a container, run `lunora generate lunora-container --name=<name>`",
            &sources,
        ));
    }
    candidates.retain(|c| !lunora_classes.contains(c));
    if candidates.is_empty() {
        reporter.note("lunora: every container in the wrangler config is already declared in lunora/containers.ts; nothing to adopt");
        return Ok(0);
    }

    let Some(main) = project::wrangler_main(&wf.text) else {
        return Ok(refuse_plain(
            "lunora/adopt-refused",
            format!("{} has no `main`, so lunora cannot find the worker entry that declares the container classes", wf.rel),
            "set `\"main\": \"src/index.ts\"` (your worker entry) in the wrangler config",
            &sources,
        ));
    };
    let entry = project::WorkerEntry::from_main(&main);
    let Some(entry_text) = project.read(&entry.rel)? else {
        return Ok(refuse_plain(
            "lunora/adopt-refused",
            format!(
                "the worker entry {} (wrangler `main`) does not exist",
                entry.rel
            ),
            "point `main` at the module that declares the container classes",
            &sources,
        ));
    };
    sources.insert(entry.rel.clone(), entry_text.clone());
    let module = match hand_written_classes(&entry_text, &entry.rel) {
        Ok(m) => m,
        Err(errors) => return Ok(migrate::refuse(reporter, &errors, &sources)),
    };
    let entry_exports = lunora_parser::entry_exports(&entry_text, &entry.rel).unwrap_or_default();

    // Each class: adopted as planned, or why it cannot be done safely.
    let mut adoptions: Vec<Adoption> = Vec::new();
    let mut refusals: Vec<Diagnostic> = Vec::new();
    for class in &candidates {
        match plan_class(
            project,
            &wf.rel,
            &facts,
            &module,
            &entry,
            &entry_text,
            &entry_exports,
            class,
            &taken_exports,
            &adoptions,
        ) {
            Ok(a) => {
                taken_exports.push(a.export.clone());
                adoptions.push(a);
            }
            Err(reasons) => {
                let hand = module.classes.iter().find(|h| &h.name == class);
                let top = facts.scopes[0]
                    .containers
                    .iter()
                    .find(|c| &c.class_name == class);
                let mut d = Diagnostic::error(
                    "lunora/adopt-unsafe",
                    format!("`{class}` cannot be adopted safely: {}", reasons.join("; ")),
                );
                d = match (hand, top) {
                    (Some(h), _) => {
                        d.with_primary(entry.rel.clone(), h.name_span, "hand-written class")
                    }
                    (None, Some(t)) => d.with_primary(wf.rel.clone(), t.span, "containers[] entry"),
                    (None, None) => d.with_file(wf.rel.clone()),
                };
                refusals.push(d.with_help(
                    "fix what is named here (or wire the class by hand and leave it out of lunora), then run `lunora adopt` again; adopt changes nothing until every class can be adopted",
                ));
            }
        }
    }
    if !refusals.is_empty() {
        for a in &adoptions {
            reporter.note(&format!(
                "  `{}` could be adopted as `{}` ({}), but adopt runs for all classes or none",
                a.class, a.export, a.generated
            ));
        }
        return Ok(migrate::refuse(reporter, &refusals, &sources));
    }

    let mut staged = Staged::default();
    // containers.ts: the definitions appended, the import added when missing (both placed from
    // the syntax tree, never inside a string, template or comment).
    let define = existing_ts
        .as_deref()
        .and_then(|text| lunora_parser::parse_containers(text, CONTAINERS_TS).define_container)
        .unwrap_or_else(|| "defineContainer".to_string());
    let blocks: Vec<String> = adoptions
        .iter()
        .map(|a| a.definition.replace("{define}", &define))
        .collect();
    let containers_ts = match &existing_ts {
        None => format!(
            "// lunora/containers.ts: declare containers here; `lunora codegen` generates the rest.\n\
             import {{ defineContainer }} from \"{CONTAINER_MODULE}\";\n\n{}\n",
            blocks.join("\n\n")
        ),
        Some(text) => match lunora_parser::add_definition(text, &blocks.join("\n\n")) {
            Ok(out) => out,
            Err(diagnostics) => {
                let mut planned = sources.clone();
                planned.insert(CONTAINERS_TS, text.clone());
                return Ok(migrate::refuse(reporter, &diagnostics, &planned));
            }
        },
    };
    let parsed = lunora_parser::parse_containers(&containers_ts, CONTAINERS_TS);
    let broken: Vec<&Adoption> = adoptions
        .iter()
        .filter(|a| !parsed.containers.iter().any(|c| c.export_name == a.export))
        .collect();
    if !broken.is_empty() || parsed.diagnostics.iter().any(|d| d.is_error()) {
        let mut diagnostics: Vec<Diagnostic> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        for a in &broken {
            diagnostics.push(
                Diagnostic::error(
                    "lunora/adopt-unsafe",
                    format!("`{}` cannot be adopted: the definition carrying its settings does not validate (above, in the {CONTAINERS_TS} adopt would write)", a.class),
                )
                .with_help("fix the value in the wrangler config or the class (wrangler or the runtime would reject it too), then adopt again"),
            );
        }
        let mut planned = sources.clone();
        planned.insert(CONTAINERS_TS, containers_ts);
        return Ok(migrate::refuse(reporter, &diagnostics, &planned));
    }
    staged.put(CONTAINERS_TS, containers_ts);

    // The worker entry: fully carried classes removed, their now-unused imports too, and the
    // re-export of the generated classes.
    let removed: Vec<&HandWrittenClass> = adoptions
        .iter()
        .filter(|a| a.keep_because.is_empty())
        .map(|a| &module.classes[a.hand])
        .collect();
    let has_reexport = module
        .star_exports
        .iter()
        .any(|(s, _)| pipeline::specifier_is_generated_containers(s, &entry.dir));
    let reexport = (!has_reexport).then(|| entry.reexport_line());
    let (mut new_entry, placed) = edit_entry(&entry_text, &module, &removed, reexport.as_deref());
    if let (Some(line), false) = (&reexport, placed) {
        match lunora_parser::insert_statement(&new_entry, &entry.rel, line) {
            Ok(text) => new_entry = text,
            Err(errors) => {
                let mut planned = sources.clone();
                planned.insert(entry.rel.clone(), new_entry);
                return Ok(migrate::refuse(reporter, &errors, &planned));
            }
        }
    }
    if let Err(errors) = lunora_parser::entry_exports(&new_entry, &entry.rel) {
        let mut planned = sources.clone();
        planned.insert(entry.rel.clone(), new_entry);
        let mut diagnostics = errors;
        diagnostics.push(Diagnostic::error(
            "lunora/internal",
            format!(
                "lunora bug: the edited {} no longer parses; nothing was written",
                entry.rel
            ),
        ));
        return Ok(migrate::refuse(reporter, &diagnostics, &planned));
    }
    if new_entry != entry_text {
        staged.put(&entry.rel, new_entry);
    }

    // wrangler.jsonc: storage, bindings and entries move to the generated classes.
    let fmt = wc::detect_format(&wf.rel);
    let renames: Vec<Rename> = adoptions
        .iter()
        .filter(|a| a.generated != a.class)
        .map(|a| Rename {
            from: a.class.clone(),
            to: a.generated.clone(),
        })
        .collect();
    let mut cfg = wf.text.clone();
    let step = |out: Result<wc::EditOutput, Vec<Diagnostic>>,
                cfg: &mut String,
                staged: &mut Staged| match out {
        Ok(out) => {
            *cfg = out.text;
            staged.wrangler_changes.extend(out.changes);
            Ok(())
        }
        Err(errors) => Err(errors),
    };
    let mut result = Ok(());
    if !renames.is_empty() {
        result = step(
            wc::append_rename(&cfg, fmt, &wf.rel, &renames),
            &mut cfg,
            &mut staged,
        );
    }
    for r in &renames {
        if result.is_ok() {
            result = step(
                wc::move_binding(&cfg, fmt, &wf.rel, &r.from, &r.to, None),
                &mut cfg,
                &mut staged,
            );
        }
        if result.is_ok() {
            result = step(
                wc::move_container_entry(&cfg, fmt, &wf.rel, &r.from, &r.to),
                &mut cfg,
                &mut staged,
            );
        }
    }
    if let Err(errors) = result {
        return Ok(migrate::refuse(reporter, &errors, &sources));
    }
    if cfg != wf.text {
        staged.put(&wf.rel, cfg);
    }

    let (code, tx) = migrate::finish(project, staged, Some(&wf.rel), dry_run, reporter)?;
    if code != 0 {
        return Ok(code);
    }

    // What was done, class by class, and what is left to the user.
    let mut kept: Vec<Diagnostic> = Vec::new();
    let mut lines = Vec::new();
    for a in &adoptions {
        let storage = if a.generated == a.class {
            format!(
                "{} keeps its storage (same class name, no migration)",
                a.class
            )
        } else {
            let tag = tx
                .wrangler_changes
                .iter()
                .find(|(_, c)| {
                    c.what.contains("renamed_classes")
                        && c.what.contains(&format!("{} → {}", a.class, a.generated))
                })
                .and_then(|(_, c)| c.what.split("entry ").nth(1))
                .and_then(|rest| rest.split_whitespace().next())
                .unwrap_or("appended");
            format!(
                "its storage moves to {} through the `renamed_classes` migration {tag}",
                a.generated
            )
        };
        let carried = if a.carried.is_empty() {
            String::new()
        } else {
            format!("; from the class: {}", a.carried.join(", "))
        };
        lines.push(format!(
            "  `{}` → `{}` (class {}, binding {} kept): {storage}{carried}",
            a.class, a.export, a.generated, a.binding
        ));
        reporter.progress(
            if dry_run {
                "lunora/would-adopt"
            } else {
                "lunora/adopted"
            },
            if dry_run { "would adopt" } else { "adopted" },
            CONTAINERS_TS,
            &format!("{} as `{}`", a.class, a.export),
        );
        if !a.keep_because.is_empty() {
            kept.push(kept_class_diagnostic(
                a,
                &module.classes[a.hand],
                &entry,
                &entry_text,
            ));
        }
    }
    let mut kept_sources = Sources::new();
    kept_sources.insert(entry.rel.clone(), entry_text.clone());
    reporter.diagnostics(&kept, &kept_sources);
    let mut out = format!(
        "\n{} {} hand-wired container{}:\n{}\n",
        if dry_run { "Would adopt" } else { "Adopted" },
        adoptions.len(),
        if adoptions.len() == 1 { "" } else { "s" },
        lines.join("\n")
    );
    let through_star: Vec<&Adoption> = adoptions
        .iter()
        .filter(|a| a.keep_because.is_empty())
        .collect();
    if !through_star.is_empty() {
        let handles = project::relative_specifier(
            &entry.dir,
            std::path::Path::new("lunora/_generated/containerHandles"),
        );
        out.push_str(&format!(
            "The worker now exports {} through `export *`, which `wrangler types` does not follow: in its `Env`, {} {} untyped Durable Object {}. Where code needs the class type (e.g. `getContainer(env.X)`), type the env with lunora's fragment: `import type {{ ContainersEnv }} from \"{handles}\";` and `env: Env & ContainersEnv`.\n",
            through_star.iter().map(|a| a.generated.as_str()).collect::<Vec<_>>().join(", "),
            through_star.iter().map(|a| format!("`env.{}`", a.binding)).collect::<Vec<_>>().join(", "),
            if through_star.len() == 1 { "becomes an" } else { "become" },
            if through_star.len() == 1 { "namespace" } else { "namespaces" },
        ));
    }
    if dry_run {
        out.push_str("Dry run: nothing was written.\n");
    } else {
        out.push_str(&format!(
            "Next: run `wrangler types` to refresh the `Env` type (its classes changed), check the diff, and deploy.{}\n",
            if kept.is_empty() { "" } else { " Before deploying, move the code named above." }
        ));
    }
    reporter.note(out.trim_end());
    Ok(0)
}

/// Plans one class, or says why it cannot be adopted safely.
#[allow(clippy::too_many_arguments)]
fn plan_class(
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
    let hand = module.classes.iter().position(|h| h.name == class);
    if hand.is_none() {
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
        .find(|a| binding_for(&a.export) == binding_default)
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
        match wrangler_keys(project, &top.fields) {
            Ok(k) => keys = k,
            Err(e) => why.push(e),
        }
    }
    if !why.is_empty() {
        return Err(why);
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
    if !h.exported_inline && !h.exported_separately {
        keep_because.push("it is not exported".to_string());
    }
    // Removing a class the module names elsewhere would leave that name unresolved (`export *`
    // does not bring the generated class into the module's own scope).
    let outside = |sp: &Span| sp.start < h.statement_span.start || sp.end > h.statement_span.end;
    if let Some(use_at) = module
        .references
        .get(class)
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
        definition,
        hand,
        keep_because,
        carried,
    })
}

/// The definition keys for what a `containers[]` entry holds, rendered as TypeScript.
fn wrangler_keys(
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
        || project.path(image).exists();
    if local {
        let path = if image.starts_with('/') || image.starts_with('.') {
            image.to_string()
        } else {
            format!("./{image}")
        };
        let on_disk = project.path(&path);
        if on_disk.is_file() {
            let dir = match path.rsplit_once('/') {
                Some(("", _)) => "/".to_string(),
                Some((d, _)) => d.to_string(),
                None => ".".to_string(),
            };
            if let Some(context) = fields.get("image_build_context").and_then(Value::as_str) {
                if project::normalize(std::path::Path::new(context))
                    != project::normalize(std::path::Path::new(&dir))
                {
                    return Err(format!(
                        "its image builds {path} with the context {context}, and lunora builds a Dockerfile with its own directory ({dir}) as the context; move the Dockerfile into {context} (or point `image_build_context` at {dir}) first"
                    ));
                }
            }
        } else if on_disk.is_dir() {
            if !on_disk.join("Dockerfile").is_file() {
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
fn render_definition(
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
fn edit_entry(
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
        let (s, e) = migrate::removal_range(text, start, c.statement_span.end as usize);
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
                    let (s, e) = migrate::removal_range(
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
fn kept_class_diagnostic(
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
    let generated_module = project::relative_specifier(
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

fn ts_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn ts_key(k: &str) -> String {
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

fn ts_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn ts_static(v: &StaticValue) -> String {
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

fn ts_json(v: &Value) -> String {
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
