//! What `lunora adopt`, `rename` and `remove` share: a change planned whole in memory — the
//! command's own edits (containers.ts, the worker entry, wrangler.jsonc) and the codegen run on
//! top of them — then written in one batch (each file atomically, every path inside the root),
//! or not at all. A refusal is a located error and writes nothing.

use crate::fsutil::{remove_stale_temp_files, write_all_atomic};
use crate::output::Reporter;
use crate::pipeline::{self, FileChange, Plan, PlanOptions};
use crate::project::Project;
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Sources};
use lunora_wrangler_config::{self as wc, Change, ChangeKind};
use std::collections::BTreeMap;
use std::path::Path;

/// One typed edit of the wrangler config text.
pub type ConfigStep<'a> = &'a dyn Fn(&str) -> Result<wc::EditOutput, Vec<Diagnostic>>;

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

/// A whole change: every file with its text on disk and the text it gets.
pub struct Transaction {
    pub files: Vec<FileChange>,
    /// The codegen run planned on top of the staged edits.
    pub plan: Plan,
    /// The command's wrangler changes, then codegen's (Unchanged ones left out).
    pub wrangler_changes: Vec<(String, Change)>,
}

/// Plans codegen on top of `staged` and merges both into one set of file changes. Diagnostics
/// of the run (errors included) are in `plan`; a path outside the root is an error there too.
pub fn transaction(
    project: &Project,
    staged: Staged,
    wrangler_rel: Option<&str>,
) -> Result<Transaction> {
    let overlaid = project.with_overlay(staged.texts.iter().cloned());
    let mut plan = pipeline::plan(&overlaid, &PlanOptions::default());
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
                        crate::codes::LUNORA_PATH_OUTSIDE_ROOT,
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

impl Transaction {
    pub fn has_errors(&self) -> bool {
        self.plan.has_errors()
    }

    /// Writes every file (all staged and flushed before the first rename) and deletes the
    /// generated files that are gone. Refuses when the run has errors.
    pub fn apply(&self) -> Result<()> {
        anyhow::ensure!(!self.has_errors(), "refusing to write: the run has errors");
        for f in &self.files {
            remove_stale_temp_files(&f.path);
        }
        let writes: Vec<(&Path, &[u8])> = self
            .files
            .iter()
            .filter_map(|f| f.new.as_ref().map(|t| (f.path.as_path(), t.as_bytes())))
            .collect();
        write_all_atomic(&writes)?;
        for f in self.files.iter().filter(|f| f.new.is_none()) {
            match std::fs::remove_file(&f.path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(anyhow::Error::new(e).context(format!("removing {}", f.rel))),
            }
        }
        Ok(())
    }

    /// Prints the diagnostics of the run, then one line per file and per wrangler change:
    /// `wrote`/`removed`…, or `would …` for a dry run.
    pub fn report(&self, reporter: &Reporter, dry_run: bool) {
        reporter.diagnostics(&self.plan.diagnostics, &self.plan.sources);
        if dry_run {
            // Every edit of the user's files, as a diff; generated files are only listed.
            for f in self
                .files
                .iter()
                .filter(|f| !f.rel.starts_with("lunora/_generated/"))
            {
                reporter.block(&crate::commands::codegen::unified_diff(f));
            }
        }
        for f in &self.files {
            let (code, verb) = match (&f.old, &f.new, dry_run) {
                (None, Some(_), false) => (crate::codes::LUNORA_CREATED, "created"),
                (Some(_), Some(_), false) => (crate::codes::LUNORA_UPDATED, "updated"),
                (_, None, false) => (crate::codes::LUNORA_REMOVED, "removed"),
                (None, Some(_), true) => (crate::codes::LUNORA_WOULD_WRITE, "would create"),
                (Some(_), Some(_), true) => (crate::codes::LUNORA_WOULD_WRITE, "would update"),
                (_, None, true) => (crate::codes::LUNORA_WOULD_WRITE, "would remove"),
            };
            reporter.progress(code, verb, &f.rel, "");
        }
        for (file, change) in &self.wrangler_changes {
            let (code, verb) = match (change.kind, dry_run) {
                (ChangeKind::Added, false) => (crate::codes::WRANGLER_ADDED, "added"),
                (ChangeKind::Updated, false) => (crate::codes::WRANGLER_UPDATED, "updated"),
                (ChangeKind::Removed, false) => (crate::codes::WRANGLER_REMOVED, "removed"),
                (ChangeKind::Added, true) => (crate::codes::WRANGLER_WOULD_CHANGE, "would add"),
                (ChangeKind::Updated, true) => {
                    (crate::codes::WRANGLER_WOULD_CHANGE, "would update")
                }
                (ChangeKind::Removed, true) => {
                    (crate::codes::WRANGLER_WOULD_CHANGE, "would remove")
                }
                (ChangeKind::Unchanged, _) => continue,
            };
            reporter.progress(code, verb, file, &change.what);
        }
    }
}

/// Reports a refusal (located errors) and the note that nothing was written; exit code 1.
pub fn refuse(reporter: &Reporter, diagnostics: &[Diagnostic], sources: &Sources) -> i32 {
    reporter.diagnostics(diagnostics, sources);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    reporter.note(&format!(
        "lunora: {errors} error{} — nothing was written",
        if errors == 1 { "" } else { "s" }
    ));
    1
}

/// Refuses because `lunora/containers.ts` has `errors`: they are reported, then `code` saying
/// `why` and to run `command` again once they are fixed; exit code 1.
pub fn refuse_broken_definitions(
    reporter: &Reporter,
    errors: &[Diagnostic],
    (code, why): (&str, String),
    command: &str,
    sources: &Sources,
) -> i32 {
    let mut diagnostics = errors.to_vec();
    diagnostics.push(Diagnostic::error(code, why).with_help(format!(
        "fix the errors above (`lunora codegen` shows them), then {command} again"
    )));
    refuse(reporter, &diagnostics, sources)
}

/// Plans, reports and (unless `dry_run`) writes a transaction; the exit code.
pub fn finish(
    project: &Project,
    staged: Staged,
    wrangler_rel: Option<&str>,
    dry_run: bool,
    reporter: &Reporter,
) -> Result<(i32, Transaction)> {
    let tx = transaction(project, staged, wrangler_rel)?;
    if tx.has_errors() {
        let code = refuse(reporter, &tx.plan.diagnostics, &tx.plan.sources);
        return Ok((code, tx));
    }
    if !dry_run {
        if let Err(e) = tx.apply() {
            reporter.error(crate::codes::LUNORA_WRITE_FAILED, &format!("{e:#}"), None);
            return Ok((1, tx));
        }
    }
    tx.report(reporter, dry_run);
    // The project's `wrangler types` output follows a changed config.
    let config_changed = tx
        .files
        .iter()
        .any(|f| Some(f.rel.as_str()) == wrangler_rel);
    if config_changed && dry_run {
        crate::types::preview(project, reporter);
    } else if config_changed && !crate::types::refresh(project, reporter) {
        return Ok((1, tx));
    }
    Ok((0, tx))
}

pub use lunora_project::source::{line_of, remove_lines};
