//! `lunora adopt`'s whole plan, decided over the project's `Fs`: which classes are candidates,
//! each class adopted or why not (all or nothing), and the files the adoption writes —
//! `lunora/containers.ts` with the definitions, the worker entry (carried classes removed, kept
//! ones made subclasses of their generated class, the re-export added) and package.json. The
//! wrangler config is not edited: every class keeps its name (see [`crate::adopt`]). The CLI
//! stages the files, runs codegen on top and writes atomically.

use crate::adopt::{plan_class, Adoption};
use crate::adopt_entry::{
    base_alias, base_import_line, edit_entry, kept_class_diagnostic, Subclassed,
};
use crate::adopt_layout::{self, OtherModule};
use crate::codes;
use crate::package_json::{self, PackageManager, RuntimePackages};
use crate::project::{Project, WorkerEntry, WranglerFile, CONTAINERS_TS};
use lunora_diagnostic::{Diagnostic, Sources};
use lunora_parser::adopt::{hand_written_classes, HandWrittenClass};
use std::collections::BTreeSet;

/// What `lunora adopt` would do.
pub enum AdoptOutcome {
    /// Every container of the wrangler config is lunora's already: where each is (declared in
    /// containers.ts, recorded in classes.json, or either), as a phrase.
    NothingToAdopt(String),
    /// A converted `wrangler.toml` with nothing to adopt in it: the converted config to write
    /// (relative path, text) and why there is nothing else.
    ConvertOnly {
        file: (String, String),
        why: String,
    },
    /// A run that writes nothing: the diagnostics (errors), the texts they point into, and notes
    /// to print before them.
    Refused(Refusal),
    Planned(Box<AdoptPlan>),
}

pub struct Refusal {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    pub notes: Vec<String>,
}

impl Refusal {
    fn one(code: &str, message: String, help: &str, sources: &Sources) -> AdoptOutcome {
        AdoptOutcome::Refused(Refusal {
            diagnostics: vec![Diagnostic::error(code, message).with_help(help.to_string())],
            sources: sources.clone(),
            notes: Vec::new(),
        })
    }

    fn of(diagnostics: Vec<Diagnostic>, sources: &Sources) -> AdoptOutcome {
        AdoptOutcome::Refused(Refusal {
            diagnostics,
            sources: sources.clone(),
            notes: Vec::new(),
        })
    }
}

/// An adoption ready to stage.
pub struct AdoptPlan {
    pub adoptions: Vec<Adoption>,
    /// Files to write (relative path, new text), in the order they were planned.
    pub files: Vec<(String, String)>,
    pub wrangler_rel: String,
    pub entry: WorkerEntry,
    /// Notes at classes kept in the worker as subclasses, and the entry text they point into.
    pub kept: Vec<Diagnostic>,
    pub kept_sources: Sources,
    pub packages: RuntimePackages,
    pub package_manager: PackageManager,
    /// Whether the wrangler config written is a converted `wrangler.toml`.
    pub converted: bool,
}

/// Plans `lunora adopt` for `project`; `converted` is the config converted from `wrangler.toml`
/// (`lunora adopt --convert-toml`), written with the adoption. `Err` only for a file that cannot
/// be read.
pub fn plan_adopt(
    project: &Project,
    converted: Option<WranglerFile>,
) -> anyhow::Result<AdoptOutcome> {
    let mut sources = Sources::new();
    let is_converted = converted.is_some();
    let wf = match converted {
        Some(wf) => Some(wf),
        None => project.wrangler_file()?,
    };
    let Some(wf) = wf else {
        return Ok(Refusal::one(
            codes::NOTHING_TO_ADOPT,
            "the project has no wrangler.jsonc or wrangler.json, so there is no hand-wired container to adopt".into(),
            "run `lunora adopt` in the Worker project whose wrangler config has `containers`",
            &sources,
        ));
    };
    sources.insert(wf.rel.clone(), wf.text.clone());
    let config = match wf.parse() {
        Ok(config) => config,
        Err(errors) => return Ok(Refusal::of(errors, &sources)),
    };
    let facts = match config.facts() {
        Ok(f) => f,
        Err(errors) => return Ok(Refusal::of(errors, &sources)),
    };

    let existing_ts = project.read(CONTAINERS_TS)?;
    let mut lunora_classes: BTreeSet<String> = BTreeSet::new();
    let mut taken_exports: Vec<String> = Vec::new();
    let mut define = "defineContainer".to_string();
    if let Some(text) = &existing_ts {
        sources.insert(CONTAINERS_TS, text.clone());
        let parsed = lunora_parser::parse_containers(text, CONTAINERS_TS);
        if parsed.diagnostics.iter().any(|d| d.is_error()) {
            let mut diagnostics = parsed.diagnostics.clone();
            diagnostics.push(
                Diagnostic::error(
                    codes::ADOPT_REFUSED,
                    format!("{CONTAINERS_TS} has errors; adopt appends to it only when it reads cleanly"),
                )
                .with_help("fix the errors above (`lunora codegen` shows them), then adopt again"),
            );
            return Ok(Refusal::of(diagnostics, &sources));
        }
        lunora_classes.extend(parsed.declared.iter().map(|d| parsed.class_of(d)));
        if let Ok(exports) = lunora_parser::entry_exports(text, CONTAINERS_TS) {
            taken_exports.extend(exports.value_names);
        }
        taken_exports.extend(parsed.declared.iter().cloned());
        if let Some(d) = parsed.define_container {
            define = d;
        }
    }
    let declared_classes = lunora_classes.clone();
    lunora_classes.extend(crate::recorded_classes(project));

    // Every class with a `containers[]` entry, in file order, that is not lunora's already.
    let mut candidates: Vec<String> = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for scope in &facts.scopes {
        for c in &scope.containers {
            if seen.insert(c.class_name.as_str()) {
                candidates.push(c.class_name.clone());
            }
        }
    }
    if candidates.is_empty() && is_converted {
        return Ok(AdoptOutcome::ConvertOnly {
            file: (wf.rel.clone(), wf.text.clone()),
            why: "it has no `containers` entries".into(),
        });
    }
    if candidates.is_empty() {
        return Ok(Refusal::one(
            codes::NOTHING_TO_ADOPT,
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
    if candidates.is_empty() && is_converted {
        return Ok(AdoptOutcome::ConvertOnly {
            file: (wf.rel.clone(), wf.text.clone()),
            why: "every container in it is already declared in lunora/containers.ts".into(),
        });
    }
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
        return Ok(AdoptOutcome::NothingToAdopt(where_));
    }

    let Some(main) = config.main() else {
        return Ok(Refusal::one(
            codes::ADOPT_REFUSED,
            format!("{} has no `main`, so lunora cannot find the worker entry that declares the container classes", wf.rel),
            "set `\"main\": \"src/index.ts\"` (your worker entry) in the wrangler config",
            &sources,
        ));
    };
    let entry = WorkerEntry::from_main(main);
    let Some(entry_text) = project.read(&entry.rel)? else {
        return Ok(Refusal::one(
            codes::ADOPT_REFUSED,
            format!(
                "the worker entry {} (wrangler `main`) does not exist",
                entry.rel
            ),
            "point `main` at the module that declares the container classes",
            &sources,
        ));
    };
    sources.insert(entry.rel.clone(), entry_text.clone());
    let mut module = match hand_written_classes(&entry_text, &entry.rel) {
        Ok(m) => m,
        Err(errors) => return Ok(Refusal::of(errors, &sources)),
    };
    // Classes declared in other modules of the worker, followed from the entry's exports.
    let others: Vec<OtherModule> =
        adopt_layout::follow_exports(project, &entry, &entry_text, &mut module, &candidates);
    for o in &others {
        sources.insert(o.entry.rel.clone(), o.text.clone());
    }
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
            &define,
        ) {
            Ok(a) => {
                taken_exports.push(a.export.clone());
                adoptions.push(a);
            }
            Err(reasons) => {
                let hand = adopt_layout::class_index(&module, class).map(|i| &module.classes[i]);
                let top = facts.scopes[0]
                    .containers
                    .iter()
                    .find(|c| &c.class_name == class);
                let mut d = Diagnostic::error(
                    codes::ADOPT_UNSAFE,
                    format!("`{class}` cannot be adopted safely: {}", reasons.join("; ")),
                );
                d = match (hand, top) {
                    (Some(h), _) => d.with_primary(
                        h.declared_in.clone().unwrap_or_else(|| entry.rel.clone()),
                        h.name_span,
                        "hand-written class",
                    ),
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
        let notes = adoptions
            .iter()
            .map(|a| {
                format!(
                    "  `{}` could be adopted as `{}` ({}), but adopt runs for all classes or none",
                    a.class, a.export, a.generated
                )
            })
            .collect();
        return Ok(AdoptOutcome::Refused(Refusal {
            diagnostics: refusals,
            sources,
            notes,
        }));
    }

    let mut files: Vec<(String, String)> = Vec::new();
    // containers.ts: the definitions appended, the import added when missing (both placed from
    // the syntax tree, never inside a string, template or comment).
    let blocks: Vec<String> = adoptions.iter().map(|a| a.definition.clone()).collect();
    let containers_ts =
        match crate::source::containers_ts_with(existing_ts.as_deref(), &blocks.join("\n\n")) {
            Ok(out) => out,
            Err(diagnostics) => return Ok(Refusal::of(diagnostics, &sources)),
        };
    let parsed = lunora_parser::parse_containers(&containers_ts, CONTAINERS_TS);
    let broken: Vec<&Adoption> = adoptions
        .iter()
        .filter(|a| !parsed.containers.iter().any(|c| c.export_name == a.export))
        .collect();
    if !broken.is_empty() || parsed.diagnostics.iter().any(|d| d.is_error()) {
        // Located where each value comes from: the definitions file adopt would write does not
        // exist for the user.
        let origins: Vec<adopt_layout::Origin> = adoptions
            .iter()
            .map(|a| {
                let hand = &module.classes[a.hand];
                adopt_layout::Origin {
                    class: &a.class,
                    export: &a.export,
                    hand,
                    class_file: hand.declared_in.as_deref().unwrap_or(&entry.rel),
                    entry: facts.scopes[0]
                        .containers
                        .iter()
                        .find(|c| c.class_name == a.class)
                        .map(|c| c.span),
                }
            })
            .collect();
        let mut diagnostics = adopt_layout::relocate_definition_errors(
            parsed
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect(),
            CONTAINERS_TS,
            &containers_ts,
            &origins,
            &wf.rel,
        );
        let located = |class: &str| {
            diagnostics.iter().any(|d| {
                d.message
                    .starts_with(&format!("`{class}` cannot be adopted"))
            })
        };
        let broken: Vec<&&Adoption> = broken.iter().filter(|a| !located(&a.class)).collect();
        for a in &broken {
            diagnostics.push(
                Diagnostic::error(
                    codes::ADOPT_UNSAFE,
                    format!("`{}` cannot be adopted: the definition carrying its settings does not validate (above, in the {CONTAINERS_TS} adopt would write)", a.class),
                )
                .with_help("fix the value in the wrangler config or the class (wrangler or the runtime would reject it too), then adopt again"),
            );
        }
        let mut planned = sources.clone();
        planned.insert(CONTAINERS_TS, containers_ts);
        return Ok(Refusal::of(diagnostics, &planned));
    }
    files.push((CONTAINERS_TS.to_string(), containers_ts));

    // The wrangler config: written only when converted from TOML, or when an entry holds
    // wrangler's deprecated `configuration` object, which the definition now carries.
    let mut config_text = wf.text.clone();
    for a in &adoptions {
        let legacy = facts
            .scopes
            .iter()
            .flat_map(|s| &s.containers)
            .any(|c| c.class_name == a.class && c.fields.contains_key("configuration"));
        if legacy {
            let fmt = lunora_wrangler_config::detect_format(&wf.rel);
            match lunora_wrangler_config::remove_container_field(
                &config_text,
                fmt,
                &wf.rel,
                &a.class,
                "configuration",
            ) {
                Ok(out) => config_text = out.text,
                Err(errors) => return Ok(Refusal::of(errors, &sources)),
            }
        }
    }
    if config_text != wf.text || is_converted {
        files.push((wf.rel.clone(), config_text));
    }

    // The worker entry: fully carried classes removed (their now-unused imports too), kept ones
    // made subclasses of their generated class, and the re-export of the generated classes.
    let removed: Vec<&HandWrittenClass> = adoptions
        .iter()
        .filter(|a| a.keep_because.is_empty() && module.classes[a.hand].declared_in.is_none())
        .map(|a| &module.classes[a.hand])
        .collect();
    let subclassed: Vec<Subclassed<'_>> = adoptions
        .iter()
        .filter(|a| !a.keep_because.is_empty() && module.classes[a.hand].declared_in.is_none())
        .map(|a| Subclassed {
            class: &module.classes[a.hand],
            generated: a.class.clone(),
            base: base_alias(&module, &a.class),
        })
        .collect();
    let has_reexport = module
        .star_exports
        .iter()
        .any(|(s, _)| lunora_codegen::specifier_is_generated_containers(s, &entry.dir));
    let reexport = (!has_reexport).then(|| entry.reexport_line());
    let (mut new_entry, placed) = match edit_entry(
        &entry_text,
        &module,
        &removed,
        &subclassed,
        reexport.as_deref(),
    ) {
        Ok(out) => out,
        Err((why, at)) => {
            let d = Diagnostic::error(codes::ADOPT_UNSAFE, why)
                .with_primary(entry.rel.clone(), at, "kept class")
                .with_help("write the class header as `export class X extends Container {` (no comment inside it, no object type in its type arguments), then adopt again");
            return Ok(Refusal::of(vec![d], &sources));
        }
    };
    let mut insert: Vec<String> = Vec::new();
    if let (Some(line), false) = (&reexport, placed) {
        insert.push(line.clone());
    }
    if !subclassed.is_empty() {
        let pairs: Vec<(String, String)> = subclassed
            .iter()
            .map(|s| (s.generated.clone(), s.base.clone()))
            .collect();
        insert.push(base_import_line(&entry, &pairs));
    }
    for line in &insert {
        match lunora_parser::insert_statement(&new_entry, &entry.rel, line) {
            Ok(text) => new_entry = text,
            Err(errors) => {
                let mut planned = sources.clone();
                planned.insert(entry.rel.clone(), new_entry);
                return Ok(Refusal::of(errors, &planned));
            }
        }
    }
    if let Err(mut diagnostics) = lunora_parser::entry_exports(&new_entry, &entry.rel) {
        let mut planned = sources.clone();
        planned.insert(entry.rel.clone(), new_entry);
        diagnostics.push(Diagnostic::error(
            codes::INTERNAL,
            format!(
                "lunora bug: the edited {} no longer parses; nothing was written",
                entry.rel
            ),
        ));
        return Ok(Refusal::of(diagnostics, &planned));
    }
    if new_entry != entry_text {
        files.push((entry.rel.clone(), new_entry));
    }

    // package.json: the runtime packages the worker now imports, at generate's ranges.
    let package_manager = package_json::detect_package_manager(project.fs(), &project.root);
    let manifest = project.read("package.json")?;
    let packages = package_json::runtime_packages(manifest.as_deref());
    let conflicts = manifest
        .as_deref()
        .map(package_json::conflicting_runtime_ranges)
        .unwrap_or_default();
    if let RuntimePackages::Add(text, _) = &packages {
        files.push(("package.json".to_string(), text.clone()));
    }

    let mut kept: Vec<Diagnostic> = Vec::new();
    for a in &adoptions {
        // wrangler's legacy values, carried in their current form: said once, at the entry.
        if let Some(top) = facts.scopes[0]
            .containers
            .iter()
            .find(|c| c.class_name == a.class)
        {
            if let Ok((_, notes)) = crate::adopt_legacy::current_form(&top.fields) {
                for note in notes {
                    kept.push(
                        Diagnostic::warning(
                            codes::ADOPT_LEGACY_VALUE,
                            format!("`{}`: {note}", a.class),
                        )
                        .with_primary(wf.rel.clone(), top.span, "legacy value")
                        .with_help("nothing to do: the definition holds the current form"),
                    );
                }
            }
        }
        if a.keep_because.is_empty() {
            continue;
        }
        let h = &module.classes[a.hand];
        match &h.declared_in {
            None => kept.push(kept_class_diagnostic(
                a,
                h,
                &base_alias(&module, &a.class),
                &entry,
                &entry_text,
            )),
            Some(file) => kept.push(
                Diagnostic::info(
                    codes::ADOPT_KEPT_CLASS,
                    format!(
                        "`{}` stays in {file} as you wrote it (adopt edits only the worker entry): the entry's export of it wins over lunora's `export *`, so the worker keeps running your class, and a setting changed in {CONTAINERS_TS} reaches the config but not that class",
                        a.class
                    ),
                )
                .with_primary(file.clone(), h.name_span, "hand-written class")
                .with_help(format!(
                    "to run lunora's class: make it `extends` the generated `{}` (imported from lunora/_generated/containers under another name) with only the code of its own, or delete it and its re-export from {}",
                    a.class, entry.rel
                )),
            ),
        }
    }
    for (name, declared, needed) in &conflicts {
        kept.push(
            Diagnostic::warning(
                codes::ADOPT_PACKAGE_RANGE,
                format!(
                    "package.json declares {name} \"{declared}\", which shares no version with the \"{needed}\" lunora's generated classes need: the install fails (a peer dependency conflict), or the worker runs lunora's classes on a base they were not built for"
                ),
            )
            .with_file("package.json")
            .with_help(format!(
                "change it to \"{needed}\" in package.json and install; the kept code of your classes then runs on that version too, so check its changelog"
            )),
        );
    }
    let mut kept_sources = Sources::new();
    kept_sources.insert(entry.rel.clone(), entry_text);
    kept_sources.insert(wf.rel.clone(), wf.text.clone());
    for o in &others {
        kept_sources.insert(o.entry.rel.clone(), o.text.clone());
    }
    Ok(AdoptOutcome::Planned(Box::new(AdoptPlan {
        adoptions,
        files,
        wrangler_rel: wf.rel,
        entry,
        kept,
        kept_sources,
        packages,
        package_manager,
        converted: is_converted,
    })))
}

#[cfg(test)]
mod tests;
