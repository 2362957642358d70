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

use crate::commands::migrate::{self, Staged};
use crate::output::Reporter;
use crate::pipeline;
use crate::project::{self, Project, CONTAINERS_TS};
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Sources};
use lunora_parser::adopt::{hand_written_classes, HandWrittenClass};
use lunora_parser::class_name_for;
use lunora_project::adopt::{edit_entry, kept_class_diagnostic, plan_class, Adoption};
use lunora_project::package_json::{self, RuntimePackages};
use lunora_wrangler_config::{self as wc, Rename};
use std::collections::BTreeSet;

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
            crate::codes::LUNORA_NOTHING_TO_ADOPT,
            "the project has no wrangler.jsonc or wrangler.json, so there is no hand-wired container to adopt".into(),
            "run `lunora adopt` in the Worker project whose wrangler config has `containers`",
            &sources,
        ));
    };
    sources.insert(wf.rel.clone(), wf.text.clone());
    let config = match wf.parse() {
        Ok(config) => config,
        Err(errors) => return Ok(migrate::refuse(reporter, &errors, &sources)),
    };
    let facts = match config.facts() {
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
            return Ok(migrate::refuse_broken_definitions(
                reporter,
                &parsed.diagnostics,
                (
                    crate::codes::LUNORA_ADOPT_REFUSED,
                    format!("{CONTAINERS_TS} has errors; adopt appends to it only when it reads cleanly"),
                ),
                "adopt",
                &sources,
            ));
        }
        lunora_classes.extend(parsed.declared.iter().map(|d| class_name_for(d)));
        if let Ok(exports) = lunora_parser::entry_exports(text, CONTAINERS_TS) {
            taken_exports.extend(exports.value_names);
        }
        taken_exports.extend(parsed.declared.iter().cloned());
    }
    let declared_classes = lunora_classes.clone();
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
            crate::codes::LUNORA_NOTHING_TO_ADOPT,
            format!(
                "{} has no `containers` entries, so there is nothing to adopt",
                wf.rel
            ),
            "to add a container, run `lunora generate lunora-container --name=<name>`",
            &sources,
        ));
    }
    let all = candidates.clone();
    candidates.retain(|c| !lunora_classes.contains(c));
    if candidates.is_empty() {
        // Say where each class is lunora's: a record without containers.ts declares nothing.
        let where_ = if all.iter().all(|c| declared_classes.contains(c)) {
            format!("already declared in {CONTAINERS_TS}")
        } else if all.iter().any(|c| declared_classes.contains(c)) {
            format!(
                "already lunora's (declared in {CONTAINERS_TS} or recorded in {})",
                lunora_codegen::MANIFEST_FILE
            )
        } else {
            format!(
                "already lunora's (recorded in {} as generated by lunora)",
                lunora_codegen::MANIFEST_FILE
            )
        };
        reporter.note(&format!(
            "lunora: every container in the wrangler config is {where_}; nothing to adopt"
        ));
        return Ok(0);
    }

    let Some(main) = config.main() else {
        return Ok(refuse_plain(
            crate::codes::LUNORA_ADOPT_REFUSED,
            format!("{} has no `main`, so lunora cannot find the worker entry that declares the container classes", wf.rel),
            "set `\"main\": \"src/index.ts\"` (your worker entry) in the wrangler config",
            &sources,
        ));
    };
    let entry = project::WorkerEntry::from_main(main);
    let Some(entry_text) = project.read(&entry.rel)? else {
        return Ok(refuse_plain(
            crate::codes::LUNORA_ADOPT_REFUSED,
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
                    crate::codes::LUNORA_ADOPT_UNSAFE,
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
    let containers_ts = match lunora_project::source::containers_ts_with(
        existing_ts.as_deref(),
        &blocks.join("\n\n"),
    ) {
        Ok(out) => out,
        Err(diagnostics) => {
            let mut planned = sources.clone();
            if let Some(text) = &existing_ts {
                planned.insert(CONTAINERS_TS, text.clone());
            }
            return Ok(migrate::refuse(reporter, &diagnostics, &planned));
        }
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
                    crate::codes::LUNORA_ADOPT_UNSAFE,
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
            crate::codes::LUNORA_INTERNAL,
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

    // package.json: the runtime packages the worker now imports, at generate's ranges.
    let package_manager = package_json::detect_package_manager(project.fs(), &project.root);
    let packages = package_json::runtime_packages(project.read("package.json")?.as_deref());
    if let RuntimePackages::Add(text, _) = &packages {
        staged.put("package.json", text.clone());
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
                crate::codes::LUNORA_WOULD_ADOPT
            } else {
                crate::codes::LUNORA_ADOPTED
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
    match &packages {
        RuntimePackages::Declared => {}
        RuntimePackages::Add(_, added) => out.push_str(&format!(
            "{} to package.json (dependencies): {}.\n",
            if dry_run { "Would add" } else { "Added" },
            package_json::describe_dependencies(added)
        )),
        RuntimePackages::ByHand(why, deps) => out.push_str(&format!(
            "{}; the worker now imports {}: add them to its `dependencies`.\n",
            match why {
                Some(why) => format!("package.json was left alone: {why}"),
                None => "there is no package.json".to_string(),
            },
            package_json::describe_dependencies(deps)
        )),
    }
    if dry_run {
        out.push_str("Dry run: nothing was written.\n");
    } else {
        // Installing comes first: the worker does not build until the packages are there.
        let mut steps: Vec<String> = Vec::new();
        match &packages {
            RuntimePackages::Declared => {}
            RuntimePackages::Add(..) => steps.push(format!(
                "install the new dependencies: `{}`",
                package_manager.install_command()
            )),
            RuntimePackages::ByHand(..) => steps.push(format!(
                "add the packages named above to package.json and run `{}`",
                package_manager.install_command()
            )),
        }
        steps.push(format!(
            "run `{}` to refresh the `Env` type (its classes changed) and check the diff",
            package_manager.exec_command("wrangler types")
        ));
        if !kept.is_empty() {
            steps.push("move the code named above".to_string());
        }
        steps.push("deploy".to_string());
        out.push_str("Next:\n");
        for (i, step) in steps.iter().enumerate() {
            out.push_str(&format!("  {}. {step}.\n", i + 1));
        }
    }
    // Names and bindings come from the user's files: escaped like every value lunora prints.
    reporter.note(&crate::output::escape_lines(out.trim_end()));
    Ok(0)
}
