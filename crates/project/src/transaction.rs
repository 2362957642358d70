//! What `lunora adopt`, `rename` and `remove` share: a change planned whole in memory — the
//! command's own edits (containers.ts, the worker entry, the wrangler config) and the codegen
//! run on top of them, read through an overlay of those edits — into one [`Transaction`] that
//! the CLI writes in one batch, or not at all. A [`Refusal`] is located errors and writes
//! nothing.

use crate::codes;
use crate::plan::{plan, FileChange, Plan, PlanOptions};
use crate::project::Project;
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Sources};
use lunora_wrangler_config::{Change, ChangeKind};
use std::collections::BTreeMap;

/// Files a command edits itself, and what it did to the wrangler config.
#[derive(Default)]
pub struct Staged {
    /// Relative path → new text, in the order they were staged.
    pub texts: Vec<(String, String)>,
    pub wrangler_changes: Vec<Change>,
}

impl Staged {
    /// Stages `text` for `rel`, replacing an earlier text for the same file.
    pub fn put(&mut self, rel: &str, text: String) {
        match self.texts.iter_mut().find(|(r, _)| r == rel) {
            Some(slot) => slot.1 = text,
            None => self.texts.push((rel.to_string(), text)),
        }
    }
}

/// Why a command writes nothing: located errors and the texts they point into.
#[derive(Debug)]
pub struct Refusal {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl Refusal {
    /// One error with a help line, located nowhere.
    pub fn error(code: &str, message: String, help: String, sources: &Sources) -> Refusal {
        Refusal::with(
            vec![Diagnostic::error(code, message).with_help(help)],
            sources,
        )
    }

    pub fn with(diagnostics: Vec<Diagnostic>, sources: &Sources) -> Refusal {
        Refusal {
            diagnostics,
            sources: sources.clone(),
        }
    }

    /// `lunora/containers.ts` has `errors`: they, then `code` saying `why` and to run `command`
    /// again once they are fixed.
    pub fn broken_definitions(
        errors: &[Diagnostic],
        (code, why): (&str, String),
        command: &str,
        sources: &Sources,
    ) -> Refusal {
        Refusal::with(broken_definitions(errors, (code, why), command), sources)
    }
}

/// The diagnostics of a refusal because `lunora/containers.ts` has `errors` (see
/// [`Refusal::broken_definitions`]).
pub fn broken_definitions(
    errors: &[Diagnostic],
    (code, why): (&str, String),
    command: &str,
) -> Vec<Diagnostic> {
    let mut diagnostics = errors.to_vec();
    diagnostics.push(Diagnostic::error(code, why).with_help(format!(
        "fix the errors above (`lunora codegen` shows them), then {command} again"
    )));
    diagnostics
}

/// A whole change: every file with its text on disk and the text it gets.
pub struct Transaction {
    pub files: Vec<FileChange>,
    /// The codegen run planned on top of the staged edits.
    pub plan: Plan,
    /// The command's wrangler changes, then codegen's (Unchanged ones left out).
    pub wrangler_changes: Vec<(String, Change)>,
}

impl Transaction {
    pub fn has_errors(&self) -> bool {
        self.plan.has_errors()
    }
}

/// Plans codegen on top of `staged` and merges both into one set of file changes. Diagnostics
/// of the run (errors included) are in `plan`; a path outside the root is an error there too.
pub fn transaction(
    project: &Project,
    staged: Staged,
    wrangler_rel: Option<&str>,
) -> Result<Transaction> {
    let overlaid = project.with_overlay(staged.texts.iter().cloned());
    let mut plan = plan(&overlaid, &PlanOptions::default());
    let mut files: BTreeMap<String, FileChange> = BTreeMap::new();
    for (rel, text) in &staged.texts {
        files.insert(
            rel.clone(),
            FileChange {
                rel: rel.clone(),
                path: project.path(rel),
                old: project.read(rel)?,
                new: Some(text.clone()),
            },
        );
    }
    for f in &plan.files {
        match files.get_mut(&f.rel) {
            Some(existing) => existing.new = f.new.clone(),
            None => {
                files.insert(f.rel.clone(), f.clone());
            }
        }
    }
    let mut changed = Vec::new();
    for (_, mut f) in files {
        if !f.is_change() {
            continue;
        }
        match project.resolve_inside(&f.rel) {
            Ok(path) => f.path = path,
            Err(why) => {
                plan.diagnostics.push(
                    Diagnostic::error(
                        codes::PATH_OUTSIDE_ROOT,
                        format!("refusing to write {}: {why}", f.rel),
                    )
                    .with_file(f.rel.clone())
                    .with_help("lunora only writes inside the project root: replace the symlink with a directory (or file) of the project"),
                );
                continue;
            }
        }
        changed.push(f);
    }
    let file = wrangler_rel.unwrap_or("wrangler.jsonc").to_string();
    let mut wrangler_changes: Vec<(String, Change)> = staged
        .wrangler_changes
        .into_iter()
        .filter(|c| c.kind != ChangeKind::Unchanged)
        .map(|c| (file.clone(), c))
        .collect();
    wrangler_changes.extend(
        plan.wrangler_changes
            .iter()
            .filter(|(_, c)| c.kind != ChangeKind::Unchanged)
            .cloned(),
    );
    Ok(Transaction {
        files: changed,
        plan,
        wrangler_changes,
    })
}
