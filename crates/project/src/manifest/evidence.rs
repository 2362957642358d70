//! Evidence of ownership: the record says lunora generated a class; the worker must agree.
//!
//! `lunora/_generated/classes.json` is one file, and it can be wrong: stale after a branch
//! switch (it is usually not committed), left by a bad merge, edited by hand. A class the record
//! names counts as lunora's only when no module of the worker writes it by hand: the worker's
//! export of it comes from the generated module (`export * from ".../_generated/containers"`,
//! or by name from it), and neither the entry nor a module the entry takes it from declares a
//! class (or any value) of that name. When the worker contradicts the record, the class is the
//! user's: nothing destructive is advised about it, it is dropped from the record, and the
//! contradiction is reported where the worker writes the class.

use crate::codes;
use crate::fs::normalize;
use crate::project::{Project, WorkerEntry};
use lunora_codegen::{specifier_is_generated, MANIFEST_FILE};
use lunora_diagnostic::{Diagnostic, Sources, Span};
use lunora_parser::EntryExports;
use lunora_wrangler_config as wc;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Bounds on following a class through the worker's modules: a chain of re-exports deeper than
/// this, or more modules than this, is not followed further (no verdict from that path).
const MAX_DEPTH: usize = 8;
const MAX_MODULES: usize = 64;

/// Where the worker writes a class the record names, by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HandWritten {
    pub class: String,
    /// The module, relative to the root.
    pub file: String,
    pub span: Span,
    /// `None`: the module declares the class. `Some(spec)`: it imports or re-exports the class
    /// from `spec`, a module lunora does not generate (and that does not take it from one).
    pub from: Option<String>,
}

/// What following one name through the worker's modules found.
enum Verdict {
    /// It comes from a module lunora generates.
    Generated,
    HandWritten(HandWritten),
    /// No module read says where it comes from.
    Unknown,
}

/// The worker's modules, each read and parsed at most once.
struct Modules<'a> {
    project: &'a Project,
    parsed: HashMap<String, Option<(String, EntryExports)>>,
    /// `(module, name)` pairs already followed for the current class: a cycle of re-exports
    /// (a module that re-exports itself) is followed once, so the walk stays linear.
    followed: HashSet<(String, String)>,
}

impl Modules<'_> {
    fn get(&mut self, rel: &str) -> Option<&(String, EntryExports)> {
        if !self.parsed.contains_key(rel) {
            if self.parsed.len() >= MAX_MODULES {
                return None;
            }
            let read = self.project.read(rel).ok().flatten().and_then(|text| {
                let exports = lunora_parser::entry_exports(&text, rel).ok()?;
                Some((text, exports))
            });
            self.parsed.insert(rel.to_string(), read);
        }
        self.parsed.get(rel).and_then(Option::as_ref)
    }

    /// The module a relative specifier written in `dir` names, when it is a file of the project.
    fn resolve(&self, dir: &Path, spec: &str) -> Option<String> {
        if !spec.starts_with('.') {
            return None;
        }
        let base = normalize(&dir.join(spec));
        if base.starts_with("..") {
            return None;
        }
        let base = base.to_string_lossy().replace('\\', "/");
        let stem = [".js", ".mjs", ".jsx"]
            .iter()
            .find_map(|ext| base.strip_suffix(ext));
        let mut candidates = vec![base.clone()];
        if let Some(stem) = stem {
            candidates.extend([".ts", ".mts", ".tsx"].map(|ext| format!("{stem}{ext}")));
        }
        candidates.extend(
            [
                ".ts",
                ".tsx",
                ".mts",
                ".js",
                ".mjs",
                ".jsx",
                "/index.ts",
                "/index.js",
            ]
            .map(|ext| format!("{base}{ext}")),
        );
        candidates.into_iter().find(|c| self.project.is_file(c))
    }

    /// Where `name`, as module `rel` (in `dir`) has it, comes from.
    fn origin(&mut self, rel: &str, dir: &Path, name: &str, depth: usize) -> Verdict {
        if depth > MAX_DEPTH || !self.followed.insert((rel.to_string(), name.to_string())) {
            return Verdict::Unknown;
        }
        let Some((_, exports)) = self.get(rel) else {
            return Verdict::Unknown;
        };
        let origin = exports.origins.iter().find(|o| o.name == name).cloned();
        let stars = exports.star_reexports.clone();
        let hand = |span: Span, from: Option<String>| {
            Verdict::HandWritten(HandWritten {
                class: String::new(),
                file: rel.to_string(),
                span,
                from,
            })
        };
        if let Some(origin) = origin {
            let Some(spec) = origin.from else {
                return hand(origin.span, None);
            };
            if specifier_is_generated(&spec, dir) {
                return Verdict::Generated;
            }
            // Taken from another module of the project: what that module says decides.
            if let (Some(next), Some(imported)) = (self.resolve(dir, &spec), &origin.imported) {
                let next_dir = parent(&next);
                match self.origin(&next, &next_dir, imported, depth + 1) {
                    Verdict::Unknown => {}
                    verdict => return verdict,
                }
            }
            return hand(origin.span, Some(spec));
        }
        // A hand-written class behind any star re-export decides; else the generated module's.
        let mut generated = false;
        for spec in stars {
            if specifier_is_generated(&spec, dir) {
                generated = true;
                continue;
            }
            if let Some(next) = self.resolve(dir, &spec) {
                let next_dir = parent(&next);
                if let found @ Verdict::HandWritten(_) =
                    self.origin(&next, &next_dir, name, depth + 1)
                {
                    return found;
                }
            }
        }
        if generated {
            Verdict::Generated
        } else {
            Verdict::Unknown
        }
    }
}

fn parent(rel: &str) -> PathBuf {
    Path::new(rel)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The classes of `record` that the worker named by `config`'s `main` writes by hand, with where,
/// and the texts of the modules they are in. Nothing when the worker cannot be read: then no
/// module contradicts the record.
pub(crate) fn hand_written(
    project: &Project,
    config: &wc::WranglerConfig,
    record: &[String],
) -> (Vec<HandWritten>, Vec<(String, String)>) {
    let mut sources = Vec::new();
    let Some(entry) = WorkerEntry::of(config) else {
        return (Vec::new(), sources);
    };
    let mut modules = Modules {
        project,
        parsed: HashMap::new(),
        followed: HashSet::new(),
    };
    let mut found = Vec::new();
    for class in record {
        modules.followed.clear();
        if let Verdict::HandWritten(mut at) = modules.origin(&entry.rel, &entry.dir, class, 0) {
            at.class = class.clone();
            found.push(at);
        }
    }
    for at in &found {
        if let Some(Some((text, _))) = modules.parsed.get(&at.file) {
            sources.push((at.file.clone(), text.clone()));
        }
    }
    (found, sources)
}

/// The record's classes the worker agrees are lunora's; each contradiction is reported.
pub(crate) fn confirmed(
    project: &Project,
    config: &wc::WranglerConfig,
    record: Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> Vec<String> {
    if record.is_empty() {
        return record;
    }
    let (found, texts) = hand_written(project, config, &record);
    if found.is_empty() {
        return record;
    }
    for (rel, text) in texts {
        sources.insert(rel, text);
    }
    diagnostics.extend(found.iter().map(contradiction));
    record
        .into_iter()
        .filter(|c| !found.iter().any(|f| &f.class == c))
        .collect()
}

/// The classes of `project`'s record that its worker does not contradict (see [`confirmed`]).
pub(crate) fn confirmed_in(project: &Project, record: Vec<String>) -> Vec<String> {
    if record.is_empty() {
        return record;
    }
    let Some(config) = project
        .wrangler_file()
        .ok()
        .flatten()
        .and_then(|wf| wf.parse().ok())
    else {
        return record;
    };
    let (found, _) = hand_written(project, &config, &record);
    record
        .into_iter()
        .filter(|c| !found.iter().any(|f| &f.class == c))
        .collect()
}

fn contradiction(at: &HandWritten) -> Diagnostic {
    let class = &at.class;
    let (how, label) = match &at.from {
        None => (
            format!("{} declares `{class}` by hand", at.file),
            "declared by hand here".to_string(),
        ),
        Some(spec) => (
            format!(
                "{} takes `{class}` from `{spec}`, a module lunora does not generate",
                at.file
            ),
            format!("`{class}` comes from `{spec}`"),
        ),
    };
    Diagnostic::warning(
        codes::OWNERSHIP_CONFLICT,
        format!("{MANIFEST_FILE} records `{class}` as a class lunora generated, but {how}; lunora treats `{class}` as yours"),
    )
    .with_primary(at.file.clone(), at.span, label)
    .with_help(format!(
        "the record is likely stale (a branch switch, a merge or an edit); lunora advises nothing about `{class}`'s entries or data and drops it from the record on this run, so nothing else is needed if the class is yours. If lunora should generate it, declare the container in lunora/containers.ts and delete the hand-written class (`lunora adopt` does both)"
    ))
}
