//! The codegen plan shared by `codegen`, `dev`, `deploy` and `--watch`: read the project,
//! parse and validate, render, reconcile — all in memory — into a [`Plan`]. Applying the plan is
//! the CLI's (the only step that writes), and it is skipped entirely when any diagnostic is an
//! error.

use crate::codes;
use crate::entry::exported_classes;
use crate::images::{
    deployed_image, desired_container, images_outside_root, missing_image_source, DeployedImage,
};
use crate::manifest::{
    confirmed, owned_classes, recorded_env_fields, recorded_fields, render_manifest,
};
use crate::project::{self, Project, CONTAINERS_TS};
use crate::renames::possible_renames;
use lunora_codegen::{is_generated, MANIFEST_FILE};
use lunora_diagnostic::{has_errors, Diagnostic, Sources, Span};
use lunora_parser::{ContainerSpec, ImageSource};
use lunora_wrangler_config::{self as wc, Change, DesiredContainer};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

/// Options that change what the pipeline reconciles.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Wrangler environment (`--env NAME`) whose block is reconciled too.
    pub env: Option<String>,
    /// Skip the `containers/image-not-found` warning for `{ build }` directories (deploy
    /// reports a missing source as an error of its own gate instead).
    pub skip_image_source_warning: bool,
}

/// One file the run wants in a given state.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// Relative to the root, `/`-separated.
    pub rel: String,
    /// Where writing or deleting it lands (symlinks resolved, inside the root).
    pub path: PathBuf,
    pub old: Option<String>,
    /// `None` deletes the file.
    pub new: Option<String>,
}

impl FileChange {
    pub fn is_change(&self) -> bool {
        self.old != self.new
    }
}

/// Everything one run would do, computed without writing.
pub struct Plan {
    /// Declared containers without errors, as validated (see [`Plan::binding_of`]).
    pub containers: Vec<ContainerSpec>,
    /// Class → the binding it is wired under, where that differs from the model's.
    pub bindings: HashMap<String, String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Texts of the files diagnostics point into.
    pub sources: Sources,
    /// Generated files and the wrangler config, each with its current and wanted contents.
    pub files: Vec<FileChange>,
    /// What reconciliation did, for the report (file, change).
    pub wrangler_changes: Vec<(String, Change)>,
    /// The wrangler config file name, when the project has one.
    pub wrangler_file: Option<String>,
    /// The wrangler config as read at the start of the run, when it parses: every later reader
    /// of this run (dev, doctor, deploy) uses it instead of reading the file again.
    pub config: Option<wc::WranglerConfig>,
    /// Declared containers whose class the worker entry does not export (so not wired).
    pub missing_reexports: Vec<MissingReexport>,
}

/// A declared container whose class the worker entry does not export.
#[derive(Debug, Clone)]
pub struct MissingReexport {
    pub export_name: String,
    pub class_name: String,
    /// Where it is declared in `lunora/containers.ts`.
    pub span: Span,
    /// The worker entry, relative to the root (its text is in `Plan::sources`).
    pub entry: String,
    /// The line that re-exports the generated classes from the entry.
    pub line: String,
    /// The wrangler config still binds or configures the class (from an earlier run or by hand).
    pub wired: bool,
}

impl Plan {
    /// The binding `c` is wired under: its existing binding in the wrangler config when it had
    /// one, else the one its export name gives.
    pub fn binding_of<'a>(&'a self, c: &'a ContainerSpec) -> &'a str {
        self.bindings.get(&c.class_name).unwrap_or(&c.binding)
    }

    /// `1 container (transcoder)`, `3 containers (a, b, c)`: the declared containers without
    /// errors, by export name.
    pub fn describe_containers(&self) -> String {
        let mut names: Vec<&str> = self
            .containers
            .iter()
            .map(|c| c.export_name.as_str())
            .collect();
        names.sort();
        match names.len() {
            0 => "no containers declared".to_string(),
            1 => format!("1 container ({})", names[0]),
            n => format!("{n} containers ({})", crate::text::name_list(&names)),
        }
    }

    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }

    pub fn stale_files(&self) -> impl Iterator<Item = &FileChange> {
        self.files.iter().filter(|f| f.is_change())
    }
}

/// Reads and plans a whole run for `project`.
pub fn plan(project: &Project, options: &PlanOptions) -> Plan {
    let mut diagnostics = Vec::new();
    let mut sources = Sources::new();
    // The project's settings (lunora.jsonc): the account limits now, the lint levels at the end.
    let settings = crate::settings::read_settings(project, &mut diagnostics, &mut sources);

    // 1. containers.ts → validated specs. No file means no containers.
    let parsed = match project.read(CONTAINERS_TS) {
        Ok(Some(text)) => {
            let out = lunora_advisor::with_model_lints(
                lunora_parser::parse_containers(&text, CONTAINERS_TS),
                CONTAINERS_TS,
            );
            sources.insert(CONTAINERS_TS, text);
            out
        }
        Ok(None) => lunora_parser::ParseOutput {
            declarations_known: true,
            ..Default::default()
        },
        Err(e) => {
            diagnostics.push(project::read_error(CONTAINERS_TS, &e));
            lunora_parser::ParseOutput::default()
        }
    };
    diagnostics.extend(parsed.diagnostics);
    // When the set of containers is unknown (containers.ts does not parse), nothing about any
    // container is concluded: no generated file is planned or removed, no wiring is added or
    // reported, and only the errors are shown.
    let known = parsed.declarations_known;
    let mut containers = parsed.containers;
    // A definition with errors has no spec: its class is the one its export gives.
    let specs: HashMap<&str, &str> = containers
        .iter()
        .map(|c| (c.export_name.as_str(), c.class_name.as_str()))
        .collect();
    let declared: HashSet<String> = parsed
        .declared
        .iter()
        .map(|n| {
            specs
                .get(n.as_str())
                .map_or_else(|| lunora_parser::class_name_for(n), |c| c.to_string())
        })
        .collect();
    drop(specs);

    diagnostics.extend(images_outside_root(project, &containers));
    // Local images as wrangler reads them; a container whose image is not there gets an error
    // and is not wired (the run writes nothing anyway).
    let mut images: HashMap<String, DeployedImage> = HashMap::new();
    containers.retain(|c| match deployed_image(project, c) {
        Ok(image) => {
            images.insert(c.export_name.clone(), image);
            true
        }
        Err(problem) => {
            diagnostics.push(
                problem.into_diagnostic(lunora_diagnostic::Severity::Error, codes::IMAGE_NOT_FOUND),
            );
            false
        }
    });
    if !options.skip_image_source_warning {
        // Local images were decided just above; what is left is Railpack `{ build }` sources.
        diagnostics.extend(
            containers
                .iter()
                .filter(|c| !matches!(c.image, ImageSource::Local { .. }))
                .filter_map(|c| {
                    missing_image_source(project, c).map(|m| {
                        m.into_diagnostic(
                            lunora_diagnostic::Severity::Warning,
                            codes::IMAGE_NOT_FOUND,
                        )
                    })
                }),
        );
    }

    crate::advise::advise(
        project,
        &containers,
        &images,
        &settings.account_limits,
        &mut diagnostics,
        &mut sources,
    );

    let read_owned = |rel: &str, diagnostics: &mut Vec<Diagnostic>| match project.read(rel) {
        Ok(text) => text,
        Err(e) => {
            diagnostics.push(project::read_error(rel, &e));
            None
        }
    };
    let old_manifest = read_owned(MANIFEST_FILE, &mut diagnostics);
    let old_generated: Vec<(&str, Option<String>)> = lunora_codegen::OWNED_FILES
        .iter()
        .map(|rel| (*rel, read_owned(rel, &mut diagnostics)))
        .collect();
    let mut owned = if known {
        owned_classes(old_manifest.as_deref(), old_generated[0].1.as_deref())
    } else {
        Vec::new()
    };
    // Carried over for classes this run does not reconcile; replaced for those it does.
    let mut written_fields = recorded_fields(old_manifest.as_deref());
    let mut env_written = recorded_env_fields(old_manifest.as_deref());

    // 2. Which container classes the worker entry exports, and the wrangler config. Reconciled
    //    before rendering: a class already bound under another name keeps it, and the handles
    //    must use that name.
    let mut files = Vec::new();
    let mut wrangler_changes = Vec::new();
    let mut wrangler_file = None;
    let mut missing_reexports = Vec::new();
    let mut wired: Option<BTreeSet<String>> = None;
    let mut config = None;
    // Class → the binding it is wired under, where that is not the model's (a class bound by
    // hand under another name keeps it). The validated specs stay as validated.
    let mut bindings: HashMap<String, String> = HashMap::new();
    // New classes held back as a possible rename: not lunora's yet (not in the record), so the
    // next run still sees them as new and keeps holding them back.
    let mut new_held_back: Vec<String> = Vec::new();
    match project.wrangler_file() {
        Err(e) => diagnostics.push(project::read_error("wrangler.jsonc", &e)),
        Ok(None) => {
            if !containers.is_empty() && project.is_file("wrangler.toml") {
                diagnostics.push(
                    Diagnostic::warning(
                        codes::TOML_UNSUPPORTED,
                        "the project uses wrangler.toml, which lunora does not edit; container wiring was not written",
                    )
                    .with_file("wrangler.toml")
                    .with_help("convert it with `lunora adopt --convert-toml` (wrangler.jsonc with every key and comment of wrangler.toml, which stays as it is; wrangler reads wrangler.jsonc first), then run `lunora codegen` again"),
                );
            } else if !containers.is_empty() {
                diagnostics.push(
                    Diagnostic::warning(
                        codes::MISSING_CONFIG,
                        "no wrangler.jsonc or wrangler.json in the project root; container wiring was not written",
                    )
                    .with_help("create wrangler.jsonc with `name`, `main` and `compatibility_date`, then run `lunora codegen` again"),
                );
            }
        }
        Ok(Some(wf)) => {
            wrangler_file = Some(wf.rel.clone());
            if let Some(other) = &wf.ignored {
                diagnostics.push(
                    Diagnostic::warning(
                        codes::IGNORED_CONFIG,
                        format!("both {} and {other} exist; wrangler reads {}, so lunora edits that one and leaves {other} alone", wf.rel, wf.rel),
                    )
                    .with_file(other.clone())
                    .with_help(format!("delete {other} (or merge it into {}) so that one file configures the worker", wf.rel)),
                );
            }
            match wf.parse() {
                Err(errs) => {
                    // Read once, the same way by every command: nothing below runs on a file
                    // that does not parse.
                    diagnostics.extend(errs);
                    sources.insert(wf.rel.clone(), wf.text);
                }
                Ok(doc) => {
                    // The record counts only where the worker agrees with it.
                    owned = confirmed(
                        project,
                        &doc,
                        std::mem::take(&mut owned),
                        &mut diagnostics,
                        &mut sources,
                    );
                    let exported: HashSet<String> = if known {
                        exported_classes(
                            project,
                            &doc,
                            &containers,
                            declared.is_empty(),
                            &mut diagnostics,
                            &mut sources,
                            &mut missing_reexports,
                        )
                        .into_iter()
                        .collect()
                    } else {
                        HashSet::new()
                    };
                    let mut desired: Vec<DesiredContainer> = containers
                        .iter()
                        .filter(|c| exported.contains(&c.class_name))
                        .map(|c| desired_container(c, &images[&c.export_name]))
                        .collect();
                    // A class lunora generated before that is gone, next to a new one: possibly a
                    // rename. The new class is held back (see `possible_renames`).
                    let previous =
                        crate::manifest::generated_exports(old_generated[0].1.as_deref());
                    let renames =
                        possible_renames(&doc, &owned, &declared, &desired, &containers, &previous);
                    let mut held_back: Vec<String> = Vec::new();
                    for r in &renames {
                        diagnostics.push(r.diagnostic.clone());
                        new_held_back.extend(r.new_classes.iter().cloned());
                        held_back.extend(r.new_classes.iter().cloned());
                        held_back.extend(r.gone_classes.iter().cloned());
                    }
                    desired.retain(|d| !held_back.contains(&d.class_name));
                    let wired_now: HashSet<&str> =
                        desired.iter().map(|d| d.class_name.as_str()).collect();
                    let mut unwired: Vec<String> = declared
                        .iter()
                        .filter(|c| !wired_now.contains(c.as_str()))
                        .cloned()
                        .chain(held_back)
                        .collect();
                    unwired.sort();
                    unwired.dedup();
                    let input = wc::ReconcileInput {
                        text: doc.text(),
                        format: doc.format(),
                        file: doc.file(),
                        containers: &desired,
                        env: options.env.as_deref(),
                        declared_unwired: &unwired,
                        owned: &owned,
                        written_fields: &written_fields,
                        env_written: &env_written,
                    };
                    match wc::reconcile(&input) {
                        Ok(out) => {
                            diagnostics.extend(out.diagnostics);
                            wrangler_changes
                                .extend(out.changes.into_iter().map(|c| (wf.rel.clone(), c)));
                            bindings = out
                                .bindings
                                .into_iter()
                                .filter(|(class, binding)| {
                                    containers
                                        .iter()
                                        .any(|c| c.class_name == *class && c.binding != *binding)
                                })
                                .collect();
                            wired = Some(out.wired_classes);
                            written_fields.extend(out.written_fields);
                            for (env, classes) in out.env_written {
                                env_written.entry(env).or_default().extend(classes);
                            }
                            // Warnings point into the reconciled text, where the user will find them.
                            sources.insert(wf.rel.clone(), out.text.clone());
                            files.push((wf.rel.clone(), Some(wf.text), Some(out.text)));
                            config = Some(doc);
                        }
                        Err(errs) => {
                            // Errors point into the text as it is on disk.
                            diagnostics.extend(errs);
                            sources.insert(wf.rel.clone(), wf.text);
                            config = Some(doc);
                        }
                    }
                }
            }
        }
    }

    // 3. Generated files and the record of owned classes: wanted contents vs. what is on disk.
    if known {
        // Moved out, not cloned: for 1,000 containers the two files are ~0.7 MB.
        let mut rendered = lunora_codegen::render_wired(&containers, &bindings);
        // The last container gone: modules lunora generated stay, empty, so imports of them
        // still resolve (issue 23.6).
        let keep_empty = |old: &Option<String>| {
            containers.is_empty() && old.as_deref().is_some_and(is_generated)
        };
        let mut empty = lunora_codegen::render_empty();
        for (rel, old) in old_generated {
            let from = if keep_empty(&old) {
                &mut empty
            } else {
                &mut rendered
            };
            let new = from
                .iter_mut()
                .find(|f| f.path == rel)
                .map(|f| std::mem::take(&mut f.contents));
            files.push((rel.to_string(), old, new));
        }
        drop(rendered);
        // Still owned: what is generated now, and what was owned and is still wired somewhere.
        let mut record: BTreeSet<String> = containers
            .iter()
            .map(|c| c.class_name.clone())
            .filter(|c| !new_held_back.contains(c))
            .collect();
        record.extend(
            owned
                .iter()
                .filter(|c| wired.as_ref().is_none_or(|w| w.contains(*c)))
                .cloned(),
        );
        files.push((
            MANIFEST_FILE.to_string(),
            old_manifest,
            render_manifest(&record, &written_fields, &env_written),
        ));
    }

    // 4. Every path written or deleted must resolve inside the root; only files lunora
    //    generated are deleted.
    let files = files
        .into_iter()
        .filter_map(|(rel, old, new)| {
            if old == new {
                return Some(FileChange { path: project.path(&rel), rel, old, new });
            }
            let path = match project.resolve_inside(&rel) {
                Ok(path) => path,
                Err(why) => {
                    diagnostics.push(
                        Diagnostic::error(
                            codes::PATH_OUTSIDE_ROOT,
                            format!("refusing to {} {rel}: {why}", if new.is_some() { "write" } else { "remove" }),
                        )
                        .with_file(rel.clone())
                        .with_help("lunora only writes inside the project root: replace the symlink with a directory (or file) of the project"),
                    );
                    return None;
                }
            };
            if new.is_none() && old.as_deref().is_some_and(|t| !is_generated(t)) {
                diagnostics.push(
                    Diagnostic::warning(
                        codes::NOT_GENERATED,
                        format!("{rel} does not carry lunora's generated header, so it was not removed"),
                    )
                    .with_file(rel.clone())
                    .with_help(format!("delete {rel} by hand if you no longer need it")),
                );
                return None;
            }
            Some(FileChange { rel, path, old, new })
        })
        .collect();
    settings.apply(&mut diagnostics);

    Plan {
        containers,
        diagnostics,
        sources,
        files,
        wrangler_changes,
        wrangler_file,
        config,
        bindings,
        missing_reexports,
    }
}
