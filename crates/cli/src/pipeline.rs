//! The codegen pipeline shared by `codegen`, `dev`, `deploy` and `--watch`: read the project,
//! parse and validate, render, reconcile — all in memory — into a [`Plan`]. Applying the plan is
//! the only step that writes, and it is skipped entirely when any diagnostic is an error.

use crate::fsutil::{remove_stale_temp_files, write_all_atomic};
use crate::project::{self, Project, CONTAINERS_TS, GENERATED_CONTAINERS_MODULE};
use anyhow::Result;
use lunora_codegen::CONTAINERS_FILE;
use lunora_diagnostic::{has_errors, Diagnostic, Sources, Span};
use lunora_parser::{ContainerSpec, ImageSource, InstanceType, StepPercentage};
use lunora_wrangler_config::{
    self as wc, Change, DesiredContainer, InstanceTypeValue, RolloutStep,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

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
    /// Declared containers without errors, with the binding each is wired under.
    pub containers: Vec<ContainerSpec>,
    pub diagnostics: Vec<Diagnostic>,
    /// Texts of the files diagnostics point into.
    pub sources: Sources,
    /// Generated files and the wrangler config, each with its current and wanted contents.
    pub files: Vec<FileChange>,
    /// What reconciliation did, for the report (file, change).
    pub wrangler_changes: Vec<(String, Change)>,
    /// The wrangler config file name, when the project has one.
    pub wrangler_file: Option<String>,
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
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }

    pub fn stale_files(&self) -> impl Iterator<Item = &FileChange> {
        self.files.iter().filter(|f| f.is_change())
    }

    /// Writes every changed file (atomically, at its resolved path) and deletes owned files that
    /// are gone. Refuses to write anything when the plan has errors.
    pub fn apply(&self, _project: &Project) -> Result<Vec<&FileChange>> {
        anyhow::ensure!(!self.has_errors(), "refusing to write: the run has errors");
        for f in &self.files {
            remove_stale_temp_files(&f.path);
        }
        let stale: Vec<&FileChange> = self.stale_files().collect();
        let writes: Vec<(&Path, &[u8])> = stale
            .iter()
            .filter_map(|f| {
                f.new
                    .as_ref()
                    .map(|text| (f.path.as_path(), text.as_bytes()))
            })
            .collect();
        write_all_atomic(&writes)?;
        for f in &stale {
            if f.new.is_none() {
                match std::fs::remove_file(&f.path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(anyhow::Error::new(e).context(format!("removing {}", f.rel)))
                    }
                }
            }
        }
        Ok(stale)
    }
}

/// The record of the classes lunora generated, beside the generated modules.
///
/// Why a manifest and not just the generated `containers.ts`: that module is removed when the
/// last container goes, but the classes it held may still be wired in the config (lunora never
/// deletes a Durable Object class by itself). The manifest keeps those classes until their
/// wiring is gone, so the leftover warning does not vanish after one run. When it is missing
/// (a fresh clone of a project that ignores `lunora/_generated`), the classes of a generated
/// `containers.ts` with lunora's header are the record; with neither, lunora owns nothing and
/// calls nothing a leftover.
pub const MANIFEST_FILE: &str = "lunora/_generated/classes.json";

/// The marker every file lunora generates carries; lunora deletes no file without it.
const GENERATED_MARKER: &str = "Generated by lunora";

fn is_generated(text: &str) -> bool {
    text.lines().take(3).any(|l| l.contains(GENERATED_MARKER))
}

/// The manifest as JSON, when it carries lunora's header and parses.
fn manifest_value(manifest: Option<&str>) -> Option<serde_json::Value> {
    let text = manifest.filter(|t| is_generated(t))?;
    serde_json::from_str(text).ok()
}

/// The classes lunora generated on its last run, read from the manifest or, without one, from
/// the generated classes module. Empty when neither carries lunora's header.
fn owned_classes(manifest: Option<&str>, generated: Option<&str>) -> Vec<String> {
    if let Some(value) = manifest_value(manifest) {
        return value["classes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect();
    }
    let Some(text) = generated.filter(|t| is_generated(t)) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| l.strip_prefix("export class "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The record's `fields`: for each class, the top-level `containers[]` fields lunora wrote last
/// run. Empty without a manifest, or for a manifest from before fields were recorded.
fn recorded_fields(manifest: Option<&str>) -> BTreeMap<String, BTreeSet<String>> {
    let Some(value) = manifest_value(manifest) else {
        return BTreeMap::new();
    };
    value["fields"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(class, keys)| {
            let keys = keys
                .as_array()?
                .iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            Some((class.clone(), keys))
        })
        .collect()
}

/// The classes lunora generated before in `project` (its record; empty without one).
pub fn recorded_classes(project: &Project) -> Vec<String> {
    let manifest = project.read(MANIFEST_FILE).ok().flatten();
    let generated = lunora_codegen::OWNED_FILES
        .first()
        .and_then(|rel| project.read(rel).ok().flatten());
    owned_classes(manifest.as_deref(), generated.as_deref())
}

/// A class lunora generated before that is no longer declared, next to new ones, in one run.
pub struct PossibleRename {
    pub gone_classes: Vec<String>,
    pub new_classes: Vec<String>,
    pub diagnostic: Diagnostic,
}

/// Accidental renames: a class of the record (`owned`) that is no longer declared but still
/// wired, while a declared container's class is new (neither wired nor declared by any
/// migration). Wiring the new class now would write a migration that creates it, and Cloudflare
/// refuses to rename a class onto one that exists: the rename would be impossible afterwards and
/// the old data orphaned. So the new class is held back (not wired) until the user says what they
/// meant: `lunora rename OLD NEW`, `lunora remove OLD --delete-data`, or declaring OLD again. A
/// held-back class keeps its generated code; only its wiring waits. Pairs are told apart by the
/// image: a gone class whose `containers[]` entry has the new container's image is its pair; when
/// nothing tells them apart, every pair is named.
fn possible_renames(
    text: &str,
    owned: &[String],
    declared: &HashSet<String>,
    desired: &[DesiredContainer],
    specs: &[ContainerSpec],
) -> Vec<PossibleRename> {
    // Cheap checks first: reading the wiring means parsing the whole config again.
    if desired.is_empty() || owned.iter().all(|c| declared.contains(c)) {
        return Vec::new();
    }
    let wired = wired_classes(text);
    let gone: Vec<&String> = owned
        .iter()
        .filter(|c| !declared.contains(*c) && wired.contains(*c))
        .collect();
    if gone.is_empty() {
        return Vec::new();
    }
    let Ok(facts) = wc::facts(text, "wrangler.jsonc") else {
        return Vec::new();
    };
    let fresh: Vec<&DesiredContainer> = desired
        .iter()
        .filter(|d| {
            !owned.contains(&d.class_name)
                && !wired.contains(&d.class_name)
                && !facts.has_storage(&d.class_name)
        })
        .collect();
    if fresh.is_empty() {
        return Vec::new();
    }
    let image_of = |class: &str| {
        facts.scopes[0]
            .containers
            .iter()
            .find(|c| c.class_name == class)
            .and_then(|c| {
                c.fields
                    .get("image")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            })
    };
    let mut out = Vec::new();
    for d in &fresh {
        let Some(spec) = specs.iter().find(|s| s.class_name == d.class_name) else {
            continue;
        };
        let same_image: Vec<&String> = gone
            .iter()
            .copied()
            .filter(|g| image_of(g).as_deref() == Some(d.image.as_str()))
            .collect();
        let candidates: Vec<&String> = if same_image.len() == 1 {
            same_image
        } else {
            gone.clone()
        };
        let commands: Vec<String> = candidates
            .iter()
            .map(|g| {
                format!(
                    "`lunora rename {} {}`",
                    wc::export_name_of(g),
                    spec.export_name
                )
            })
            .collect();
        let olds: Vec<String> = candidates
            .iter()
            .map(|g| format!("`{}` ({g})", wc::export_name_of(g)))
            .collect();
        let first = &candidates[0];
        let message = if candidates.len() == 1 {
            format!(
                "`{}` is new and {} is no longer declared: if you renamed it, run {} — otherwise the data of every {first} instance is orphaned",
                spec.export_name, olds[0], commands[0]
            )
        } else {
            format!(
                "`{}` is new and {} are no longer declared: if it is one of them renamed, run {} — otherwise their data is orphaned",
                spec.export_name,
                olds.join(" and "),
                commands.join(" or ")
            )
        };
        let help = format!(
            "{} moves the stored data to {} (a `renamed_classes` migration). To keep `{}` as well, declare it again; to delete its data, run `lunora remove {} --delete-data` (that deletes the stored data of every {first} instance at the next deploy). Until one of these, codegen does not wire `{}`: a migration that creates {} now would make the rename impossible later (Cloudflare does not rename a class onto one that exists)",
            commands[0],
            d.class_name,
            wc::export_name_of(first),
            wc::export_name_of(first),
            spec.export_name,
            d.class_name,
        );
        out.push(PossibleRename {
            gone_classes: candidates.iter().map(|g| g.to_string()).collect(),
            new_classes: vec![d.class_name.clone()],
            diagnostic: Diagnostic::warning("lunora/possible-rename", message)
                .with_primary(CONTAINERS_TS, spec.span, "new here")
                .with_help(help),
        });
    }
    out
}

fn render_manifest(
    classes: &BTreeSet<String>,
    fields: &BTreeMap<String, BTreeSet<String>>,
) -> Option<String> {
    if classes.is_empty() {
        return None;
    }
    let fields: BTreeMap<&String, &BTreeSet<String>> = fields
        .iter()
        .filter(|(class, _)| classes.contains(*class))
        .collect();
    let value = serde_json::json!({
        "//": format!("{GENERATED_MARKER} {}. Do not edit: the Durable Object classes lunora generated, so that it never takes a hand-wired class for its own, and the containers[] fields it wrote for each, so that it never removes one set by hand. Regenerate with `lunora codegen`.", env!("CARGO_PKG_VERSION")),
        "classes": classes,
        "fields": fields,
    });
    Some(serde_json::to_string_pretty(&value).expect("a manifest serialises") + "\n")
}

/// Reads and plans a whole run for `project`.
pub fn plan(project: &Project, options: &PlanOptions) -> Plan {
    let mut diagnostics = Vec::new();
    let mut sources = Sources::new();

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
    let declared: HashSet<String> = parsed
        .declared
        .iter()
        .map(|n| lunora_parser::class_name_for(n))
        .collect();

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
            diagnostics.push(problem.into_diagnostic(
                lunora_diagnostic::Severity::Error,
                "containers/image-not-found",
            ));
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
                            "containers/image-not-found",
                        )
                    })
                }),
        );
    }

    crate::advise::advise(
        project,
        &containers,
        &images,
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
    let owned = if known {
        owned_classes(old_manifest.as_deref(), old_generated[0].1.as_deref())
    } else {
        Vec::new()
    };
    // Carried over for classes this run does not reconcile; replaced for those it does.
    let mut written_fields = recorded_fields(old_manifest.as_deref());

    // 2. Which container classes the worker entry exports, and the wrangler config. Reconciled
    //    before rendering: a class already bound under another name keeps it, and the handles
    //    must use that name.
    let mut files = Vec::new();
    let mut wrangler_changes = Vec::new();
    let mut wrangler_file = None;
    let mut missing_reexports = Vec::new();
    let mut wired: Option<BTreeSet<String>> = None;
    match project.wrangler_file() {
        Err(e) => diagnostics.push(project::read_error("wrangler.jsonc", &e)),
        Ok(None) => {
            if !containers.is_empty() && project.path("wrangler.toml").is_file() {
                diagnostics.push(
                    Diagnostic::warning(
                        "wrangler/toml-unsupported",
                        "the project uses wrangler.toml, which lunora does not edit; container wiring was not written",
                    )
                    .with_file("wrangler.toml")
                    .with_help("convert it to wrangler.jsonc (same keys, JSON syntax; wrangler reads either), then run `lunora codegen` again"),
                );
            } else if !containers.is_empty() {
                diagnostics.push(
                    Diagnostic::warning(
                        "wrangler/missing-config",
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
                        "wrangler/ignored-config",
                        format!("both {} and {other} exist; wrangler reads {}, so lunora edits that one and leaves {other} alone", wf.rel, wf.rel),
                    )
                    .with_file(other.clone())
                    .with_help(format!("delete {other} (or merge it into {}) so that one file configures the worker", wf.rel)),
                );
            }
            let exported: HashSet<String> = if known {
                exported_classes(
                    project,
                    &wf,
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
            let renames = possible_renames(&wf.text, &owned, &declared, &desired, &containers);
            let mut held_back: Vec<String> = Vec::new();
            for r in &renames {
                diagnostics.push(r.diagnostic.clone());
                held_back.extend(r.new_classes.iter().cloned());
                held_back.extend(r.gone_classes.iter().cloned());
            }
            desired.retain(|d| !held_back.contains(&d.class_name));
            let wired_now: HashSet<&str> = desired.iter().map(|d| d.class_name.as_str()).collect();
            let mut unwired: Vec<String> = declared
                .iter()
                .filter(|c| !wired_now.contains(c.as_str()))
                .cloned()
                .chain(held_back)
                .collect();
            unwired.sort();
            unwired.dedup();
            let input = wc::ReconcileInput {
                text: &wf.text,
                format: wc::detect_format(&wf.rel),
                file: &wf.rel,
                containers: &desired,
                env: options.env.as_deref(),
                declared_unwired: &unwired,
                owned: &owned,
                written_fields: &written_fields,
            };
            match wc::reconcile(&input) {
                Ok(out) => {
                    diagnostics.extend(out.diagnostics);
                    wrangler_changes.extend(out.changes.into_iter().map(|c| (wf.rel.clone(), c)));
                    for c in &mut containers {
                        if let Some(binding) = out.bindings.get(&c.class_name) {
                            c.binding = binding.clone();
                        }
                    }
                    wired = Some(out.wired_classes);
                    written_fields.extend(out.written_fields);
                    // Warnings point into the reconciled text, where the user will find them.
                    sources.insert(wf.rel.clone(), out.text.clone());
                    files.push((wf.rel.clone(), Some(wf.text), Some(out.text)));
                }
                Err(errs) => {
                    // Errors point into the text as it is on disk.
                    diagnostics.extend(errs);
                    sources.insert(wf.rel.clone(), wf.text);
                }
            }
        }
    }

    // 3. Generated files and the record of owned classes: wanted contents vs. what is on disk.
    if known {
        // Moved out, not cloned: for 1,000 containers the two files are ~0.7 MB.
        let mut rendered = lunora_codegen::render(&containers);
        for (rel, old) in old_generated {
            let new = rendered
                .iter_mut()
                .find(|f| f.path == rel)
                .map(|f| std::mem::take(&mut f.contents));
            files.push((rel.to_string(), old, new));
        }
        drop(rendered);
        // Still owned: what is generated now, and what was owned and is still wired somewhere.
        let mut record: BTreeSet<String> =
            containers.iter().map(|c| c.class_name.clone()).collect();
        record.extend(
            owned
                .iter()
                .filter(|c| wired.as_ref().is_none_or(|w| w.contains(*c)))
                .cloned(),
        );
        files.push((
            MANIFEST_FILE.to_string(),
            old_manifest,
            render_manifest(&record, &written_fields),
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
                            "lunora/path-outside-root",
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
                        "lunora/not-generated",
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

    Plan {
        containers,
        diagnostics,
        sources,
        files,
        wrangler_changes,
        wrangler_file,
        missing_reexports,
    }
}

/// Class names the worker entry exports as values: through `export * from` the generated module,
/// or by name. Warns (with the line to add) for every container in `containers` (those without
/// errors) that is not exported; with `none_declared`, warns about a re-export of the generated
/// module instead.
fn exported_classes(
    project: &Project,
    wf: &project::WranglerFile,
    containers: &[ContainerSpec],
    none_declared: bool,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
    missing: &mut Vec<MissingReexport>,
) -> Vec<String> {
    if containers.is_empty() {
        // Declared containers that all have errors are still declared: say nothing about them.
        if none_declared {
            warn_stale_reexport(project, wf, diagnostics, sources);
        }
        return Vec::new();
    }
    let Some(main) = project::wrangler_main(&wf.text) else {
        diagnostics.push(
            Diagnostic::warning("wrangler/missing-main", format!("{} has no `main`, so lunora cannot tell which container classes the worker exports; container wiring was not written", wf.rel))
                .with_primary(wf.rel.clone(), Span::default(), "")
                .with_help("set `\"main\": \"src/index.ts\"` (your worker entry) in the wrangler config"),
        );
        return Vec::new();
    };
    let entry = project::WorkerEntry::from_main(&main);
    let reexport_line = entry.reexport_line();
    let project::WorkerEntry {
        rel: entry_rel,
        dir: entry_dir,
    } = entry;
    let text = match project.read(&entry_rel) {
        Ok(Some(t)) => t,
        Ok(None) => {
            diagnostics.push(
                Diagnostic::warning("lunora/missing-entry", format!("the worker entry {entry_rel} (wrangler `main`) does not exist; container wiring was not written"))
                    .with_help(format!("create {entry_rel} with `{reexport_line}`")),
            );
            return Vec::new();
        }
        Err(e) => {
            diagnostics.push(project::read_error(&entry_rel, &e));
            return Vec::new();
        }
    };
    let exports = match lunora_parser::entry_exports(&text, &entry_rel) {
        Ok(x) => x,
        Err(errs) => {
            sources.insert(entry_rel.clone(), text);
            diagnostics.extend(errs);
            return Vec::new();
        }
    };
    let star = exports
        .star_reexports
        .iter()
        .any(|s| specifier_is_generated_containers(s, &entry_dir));
    // Read only when a container is not exported (it parses the whole config again).
    let mut wired: Option<HashSet<String>> = None;
    let names: HashSet<&str> = exports.value_names.iter().map(String::as_str).collect();
    let mut exported = Vec::new();
    for c in containers {
        if star || names.contains(c.class_name.as_str()) {
            exported.push(c.class_name.clone());
        } else {
            let is_wired = wired
                .get_or_insert_with(|| wired_classes(&wf.text))
                .contains(&c.class_name);
            // Say what is true: entries from an earlier run (or written by hand) stay as they
            // are; only a class never wired "was not added".
            let message = if is_wired {
                format!(
                    "the worker entry {entry_rel} does not export {}; its entries for the `{}` container in {} were left as they are, and wrangler rejects a Durable Object class the worker does not export",
                    c.class_name, c.export_name, wf.rel
                )
            } else {
                format!(
                    "the worker entry {entry_rel} does not export {}, so the `{}` container was not added to {}",
                    c.class_name, c.export_name, wf.rel
                )
            };
            diagnostics.push(
                Diagnostic::warning("lunora/missing-reexport", message)
                    .with_primary(CONTAINERS_TS, c.span, "declared here")
                    .with_help(format!("add `{reexport_line}` to {entry_rel}")),
            );
            missing.push(MissingReexport {
                export_name: c.export_name.clone(),
                class_name: c.class_name.clone(),
                span: c.span,
                entry: entry_rel.clone(),
                line: reexport_line.clone(),
                wired: is_wired,
            });
        }
    }
    if !missing.is_empty() {
        sources.insert(entry_rel, text);
    }
    exported
}

/// Classes the wrangler config binds (`durable_objects.bindings`) or configures
/// (`containers[]`), at the top level or in any `env` block.
fn wired_classes(text: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    let Ok(value) =
        jsonc_parser::parse_to_serde_value::<serde_json::Value>(text, &Default::default())
    else {
        return out;
    };
    let scopes = std::iter::once(&value).chain(
        value
            .get("env")
            .and_then(|e| e.as_object())
            .into_iter()
            .flat_map(|envs| envs.values()),
    );
    for scope in scopes {
        for pointer in ["/containers", "/durable_objects/bindings"] {
            for entry in scope
                .pointer(pointer)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(class) = entry.get("class_name").and_then(|v| v.as_str()) {
                    out.insert(class.to_string());
                }
            }
        }
    }
    out
}

/// With no containers declared the generated classes module is removed, so a worker entry that
/// still re-exports it would no longer build: say which line to delete.
fn warn_stale_reexport(
    project: &Project,
    wf: &project::WranglerFile,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) {
    let Some(main) = project::wrangler_main(&wf.text) else {
        return;
    };
    let project::WorkerEntry {
        rel: entry_rel,
        dir: entry_dir,
    } = project::WorkerEntry::from_main(&main);
    let Ok(Some(text)) = project.read(&entry_rel) else {
        return;
    };
    // The star re-exports with their spans, so the warning points at the line to delete.
    let Ok(module) = lunora_parser::adopt::hand_written_classes(&text, &entry_rel) else {
        return;
    };
    if let Some((spec, span)) = module
        .star_exports
        .iter()
        .find(|(s, _)| specifier_is_generated_containers(s, &entry_dir))
    {
        diagnostics.push(
            Diagnostic::warning(
                "lunora/stale-reexport",
                format!("{entry_rel} re-exports {CONTAINERS_FILE}, but no containers are declared, so lunora no longer generates it"),
            )
            .with_primary(entry_rel.clone(), *span, "this module is no longer generated")
            .with_help(format!("delete `export * from \"{spec}\";` from {entry_rel}")),
        );
        sources.insert(entry_rel, text);
    }
}

/// Whether an `export * from "<spec>"` in a module in `entry_dir` names the generated classes.
pub fn specifier_is_generated_containers(spec: &str, entry_dir: &Path) -> bool {
    let stripped = [".ts", ".js", ".mts", ".mjs"]
        .iter()
        .find_map(|ext| spec.strip_suffix(ext))
        .unwrap_or(spec);
    if stripped.starts_with('.') {
        let resolved = project::normalize(&entry_dir.join(stripped));
        return resolved == Path::new(GENERATED_CONTAINERS_MODULE);
    }
    // Root aliases such as `@/lunora/_generated/containers` (tsconfig paths).
    ["@/", "~/", "/"]
        .iter()
        .any(|p| stripped.strip_prefix(p) == Some(GENERATED_CONTAINERS_MODULE))
}

/// An image source that is not on disk as the definition says.
pub struct MissingImageSource {
    message: String,
    help: String,
    span: Span,
}

impl MissingImageSource {
    /// As a diagnostic at the `image` value.
    pub fn into_diagnostic(self, severity: lunora_diagnostic::Severity, code: &str) -> Diagnostic {
        Diagnostic::new(severity, code, self.message)
            .with_primary(CONTAINERS_TS, self.span, "image")
            .with_help(self.help)
    }
}

/// What wrangler deploys for a container, decided on disk for a local path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployedImage {
    /// A Dockerfile (any name) that wrangler builds, with its build context directory. Both as
    /// the definition wrote them (relative to the root, or absolute).
    Dockerfile { dockerfile: String, context: String },
    /// A registry reference wrangler pulls (`{ registry }`, or a Railpack image `{ build }`
    /// that `lunora deploy` builds and pushes).
    Registry(String),
}

fn resolve(project: &Project, p: &str) -> PathBuf {
    if Path::new(p).is_absolute() {
        PathBuf::from(p)
    } else {
        project.root.join(p)
    }
}

/// The image of `c` as wrangler reads it. A local path is decided on disk, as wrangler does: an
/// existing file of any name is the Dockerfile and its directory the build context; an existing
/// directory must hold a `Dockerfile`; anything else is an error at the `image` value.
pub fn deployed_image(
    project: &Project,
    c: &ContainerSpec,
) -> std::result::Result<DeployedImage, MissingImageSource> {
    let path = match &c.image {
        ImageSource::Registry { reference } => {
            return Ok(DeployedImage::Registry(reference.clone()))
        }
        ImageSource::Build { .. } => return Ok(DeployedImage::Registry(railpack_image(c))),
        ImageSource::Local { path } => path,
    };
    let on_disk = resolve(project, path);
    // One stat decides file or directory (at 1,000 containers every syscall here counts).
    let meta = std::fs::metadata(&on_disk).ok();
    if meta.as_ref().is_some_and(|m| m.is_file()) {
        let context = match path.rsplit_once('/') {
            Some(("", _)) => "/".to_string(),
            Some((dir, _)) => dir.to_string(),
            None => ".".to_string(),
        };
        return Ok(DeployedImage::Dockerfile {
            dockerfile: path.clone(),
            context,
        });
    }
    if meta.as_ref().is_some_and(|m| m.is_dir()) {
        if on_disk.join("Dockerfile").is_file() {
            let dockerfile = if path == "." {
                "./Dockerfile".to_string()
            } else {
                format!("{path}/Dockerfile")
            };
            return Ok(DeployedImage::Dockerfile {
                dockerfile,
                context: path.clone(),
            });
        }
        return Err(MissingImageSource {
            message: format!("the image of `{}` is the directory {path}, which has no Dockerfile", c.export_name),
            help: format!("add {path}/Dockerfile, or point `image` at the Dockerfile itself (any file name works, e.g. \"{path}/app.Dockerfile\")"),
            span: c.image_span,
        });
    }
    Err(MissingImageSource {
        message: format!("the image of `{}` does not exist: {path}", c.export_name),
        help: format!(
            "create it (`lunora generate lunora-container --name={}` scaffolds a directory with a Dockerfile), or point `image` at an existing Dockerfile or directory",
            c.export_name
        ),
        span: c.image_span,
    })
}

/// Checks that a container's image source is on disk: a local path as [`deployed_image`]
/// decides it, and a Railpack `{ build }` directory. `None` for registry images.
pub fn missing_image_source(project: &Project, c: &ContainerSpec) -> Option<MissingImageSource> {
    match &c.image {
        ImageSource::Registry { .. } => None,
        ImageSource::Local { .. } => deployed_image(project, c).err(),
        ImageSource::Build { dir } => (!resolve(project, dir).is_dir()).then(|| MissingImageSource {
            message: format!("the Railpack source directory of `{}` does not exist: {dir}", c.export_name),
            help: format!("create {dir} with the service's source, or point `image` at an existing directory"),
            span: c.image_span,
        }),
    }
}

/// Warns (`containers/image-outside-root`, at the `image` value) for every local image — a
/// Dockerfile or its directory, or a Railpack source directory — that lies outside the project
/// root: a checkout of the project alone cannot build it, and deploys from CI usually see only the
/// project. Lexical: `..` segments and absolute paths are judged without touching the disk.
fn images_outside_root(project: &Project, containers: &[ContainerSpec]) -> Vec<Diagnostic> {
    // The root as given (made absolute) and as resolved through symlinks; either may be the
    // prefix the user wrote.
    let roots: Vec<std::path::PathBuf> = [
        std::path::absolute(&project.root).ok(),
        project.root.canonicalize().ok(),
    ]
    .into_iter()
    .flatten()
    .map(|r| project::normalize(&r))
    .collect();
    let outside = |p: &str| {
        let path = Path::new(p);
        if path.is_absolute() {
            let path = project::normalize(path);
            !roots.iter().any(|r| path.starts_with(r))
        } else {
            project::normalize(path).components().next() == Some(std::path::Component::ParentDir)
        }
    };
    let mut out = Vec::new();
    for c in containers {
        let p = match &c.image {
            ImageSource::Local { path } => path,
            ImageSource::Build { dir } => dir,
            ImageSource::Registry { .. } => continue,
        };
        if outside(p) {
            out.push(
                Diagnostic::warning(
                    "containers/image-outside-root",
                    format!("the image of `{}` ({p}) is outside the project root", c.export_name),
                )
                .with_primary(CONTAINERS_TS, c.image_span, "outside the project root")
                .with_help("move the Dockerfile (and its build context) under the project root, or publish the image and use `image: { registry: \"…:tag\" }`"),
            );
        }
    }
    out
}

/// The registry image wrangler pulls for `c` (`{ registry }`, or the Railpack image of
/// `{ build }`); `None` for a local Dockerfile.
pub fn registry_image(c: &ContainerSpec) -> Option<String> {
    match &c.image {
        ImageSource::Registry { reference } => Some(reference.clone()),
        ImageSource::Build { .. } => Some(railpack_image(c)),
        ImageSource::Local { .. } => None,
    }
}

/// How wrangler should see a validated container whose image is `image`.
pub fn desired_container(c: &ContainerSpec, image: &DeployedImage) -> DesiredContainer {
    let (image, image_build_context, image_vars) = match image {
        DeployedImage::Dockerfile {
            dockerfile,
            context,
        } => (
            dockerfile.clone(),
            Some(context.clone()),
            c.build_args.clone().filter(|m| !m.is_empty()),
        ),
        DeployedImage::Registry(reference) => (reference.clone(), None, None),
    };
    DesiredContainer {
        class_name: c.class_name.clone(),
        binding: c.binding.clone(),
        image,
        image_build_context,
        image_vars,
        instance_type: c.instance_type.as_ref().map(|t| match t {
            InstanceType::Named(n) => InstanceTypeValue::Named(n.clone()),
            InstanceType::Custom {
                vcpu,
                memory_mib,
                disk_mb,
            } => InstanceTypeValue::Custom {
                vcpu: *vcpu,
                memory_mib: *memory_mib,
                disk_mb: *disk_mb,
            },
        }),
        max_instances: c.max_instances,
        name: c.name.clone(),
        rollout_step_percentage: c
            .rollout
            .as_ref()
            .and_then(|r| r.step_percentage.as_ref())
            .map(|s| match s {
                StepPercentage::One(n) => RolloutStep::One(*n),
                StepPercentage::Steps(v) => RolloutStep::Steps(v.clone()),
            }),
        rollout_active_grace_period: c.rollout.as_ref().and_then(|r| r.grace_period_seconds),
    }
}

/// The local tag Railpack builds a `{ build }` container into.
pub fn railpack_tag(c: &ContainerSpec) -> String {
    format!("lunora-{}:build", c.kebab_name)
}

/// The image wrangler deploys for a `{ build }` container: the Railpack tag in the Cloudflare
/// Registry (wrangler adds the account namespace).
pub fn railpack_image(c: &ContainerSpec) -> String {
    format!("registry.cloudflare.com/{}", railpack_tag(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_the_manifest_then_a_generated_module_then_nothing() {
        let fields = BTreeMap::from([
            (
                "AContainer".to_string(),
                BTreeSet::from(["image".to_string()]),
            ),
            (
                "GoneContainer".to_string(),
                BTreeSet::from(["name".to_string()]),
            ),
        ]);
        let manifest =
            render_manifest(&BTreeSet::from(["AContainer".to_string()]), &fields).unwrap();
        let generated = "// Generated by lunora 0.1.0. Do not edit: changes are overwritten.\n\
                         export class BContainer extends LunoraContainer {\n";
        assert_eq!(
            owned_classes(Some(&manifest), Some(generated)),
            vec!["AContainer"]
        );
        assert_eq!(owned_classes(None, Some(generated)), vec!["BContainer"]);
        // Files without lunora's header say nothing about what lunora owns.
        let foreign = "export class CContainer extends LunoraContainer {\n";
        assert!(owned_classes(Some("{\"classes\": [\"X\"]}"), Some(foreign)).is_empty());
        assert!(owned_classes(None, None).is_empty());
        assert_eq!(render_manifest(&BTreeSet::new(), &fields), None);
        // Fields are recorded for the classes of the record only.
        assert_eq!(
            recorded_fields(Some(&manifest)),
            BTreeMap::from([fields.into_iter().next().unwrap()])
        );
        assert!(recorded_fields(Some("{\"fields\": {\"X\": [\"image\"]}}")).is_empty());
        // Fields that do not read give none, so nothing counts as lunora's to remove.
        let odd = format!("{{\"//\": \"{GENERATED_MARKER}\", \"classes\": [\"BContainer\"], \"fields\": {{\"BContainer\": \"oops\", \"CContainer\": [1, \"name\"]}}}}");
        let odd = recorded_fields(Some(&odd));
        assert_eq!(odd.get("BContainer"), None);
        assert_eq!(odd["CContainer"], BTreeSet::from(["name".to_string()]));
    }

    #[test]
    fn generated_specifier_matching() {
        let dir = Path::new("src/server");
        assert!(specifier_is_generated_containers(
            "../../lunora/_generated/containers",
            dir
        ));
        assert!(specifier_is_generated_containers(
            "../../lunora/_generated/containers.ts",
            dir
        ));
        assert!(specifier_is_generated_containers(
            "../../lunora/_generated/containers.js",
            dir
        ));
        assert!(specifier_is_generated_containers(
            "@/lunora/_generated/containers",
            dir
        ));
        assert!(!specifier_is_generated_containers(
            "../lunora/_generated/containers",
            dir
        ));
        assert!(!specifier_is_generated_containers(
            "../../lunora/_generated/server",
            dir
        ));
    }
}
