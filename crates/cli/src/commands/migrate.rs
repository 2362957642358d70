//! What `lunora adopt`, `rename` and `remove` share on the CLI side: a transaction planned in
//! `lunora_project::transaction` (the command's own edits and the codegen run on top of them) is
//! written in one batch (each file atomically, every path inside the root), or not at all, and
//! reported. A refusal is located errors and writes nothing.

use crate::fsutil::{remove_stale_temp_files, write_all_atomic};
use crate::output::Reporter;
use crate::project::Project;
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Sources};
use lunora_wrangler_config::ChangeKind;
use std::path::Path;

pub use lunora_project::transaction::{transaction, Staged, Transaction};

/// Writes `tx`: every file (all staged and flushed before the first rename), then deletes the
/// generated files that are gone. Refuses when the run has errors.
fn apply(tx: &Transaction) -> Result<()> {
    anyhow::ensure!(!tx.has_errors(), "refusing to write: the run has errors");
    for f in &tx.files {
        remove_stale_temp_files(&f.path);
    }
    let writes: Vec<(&Path, &[u8])> = tx
        .files
        .iter()
        .filter_map(|f| f.new.as_ref().map(|t| (f.path.as_path(), t.as_bytes())))
        .collect();
    write_all_atomic(&writes)?;
    for f in tx.files.iter().filter(|f| f.new.is_none()) {
        match std::fs::remove_file(&f.path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(anyhow::Error::new(e).context(format!("removing {}", f.rel))),
        }
    }
    Ok(())
}

/// Prints the diagnostics of `tx`, then one line per file and per wrangler change:
/// `wrote`/`removed`…, or `would …` for a dry run.
fn report(tx: &Transaction, reporter: &Reporter, dry_run: bool) {
    reporter.diagnostics(&tx.plan.diagnostics, &tx.plan.sources);
    if dry_run {
        // Every edit of the user's files, as a diff; generated files are only listed.
        for f in tx
            .files
            .iter()
            .filter(|f| !f.rel.starts_with("lunora/_generated/"))
        {
            reporter.block(&crate::commands::codegen::unified_diff(f));
        }
    }
    for f in &tx.files {
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
    for (file, change) in &tx.wrangler_changes {
        let (code, verb) = match (change.kind, dry_run) {
            (ChangeKind::Added, false) => (crate::codes::WRANGLER_ADDED, "added"),
            (ChangeKind::Updated, false) => (crate::codes::WRANGLER_UPDATED, "updated"),
            (ChangeKind::Removed, false) => (crate::codes::WRANGLER_REMOVED, "removed"),
            (ChangeKind::Added, true) => (crate::codes::WRANGLER_WOULD_CHANGE, "would add"),
            (ChangeKind::Updated, true) => (crate::codes::WRANGLER_WOULD_CHANGE, "would update"),
            (ChangeKind::Removed, true) => (crate::codes::WRANGLER_WOULD_CHANGE, "would remove"),
            (ChangeKind::Unchanged, _) => continue,
        };
        reporter.progress(code, verb, file, &change.what);
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
        if let Err(e) = apply(&tx) {
            reporter.error(crate::codes::LUNORA_WRITE_FAILED, &format!("{e:#}"), None);
            return Ok((1, tx));
        }
    }
    report(&tx, reporter, dry_run);
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

/// Writes the transaction of `staged` (see [`finish`]), then prints `summary` of it; the exit
/// code.
pub fn write_then_note(
    project: &Project,
    staged: Staged,
    wrangler_rel: Option<&str>,
    reporter: &Reporter,
    summary: impl FnOnce(&Transaction) -> String,
) -> Result<i32> {
    let (code, tx) = finish(project, staged, wrangler_rel, false, reporter)?;
    if code == 0 {
        reporter.note(&summary(&tx));
    }
    Ok(code)
}
