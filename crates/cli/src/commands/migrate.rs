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
                        "lunora/path-outside-root",
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
                (None, Some(_), false) => ("lunora/created", "created"),
                (Some(_), Some(_), false) => ("lunora/updated", "updated"),
                (_, None, false) => ("lunora/removed", "removed"),
                (None, Some(_), true) => ("lunora/would-write", "would create"),
                (Some(_), Some(_), true) => ("lunora/would-write", "would update"),
                (_, None, true) => ("lunora/would-write", "would remove"),
            };
            reporter.progress(code, verb, &f.rel, "");
        }
        for (file, change) in &self.wrangler_changes {
            let (code, verb) = match (change.kind, dry_run) {
                (ChangeKind::Added, false) => ("wrangler/added", "added"),
                (ChangeKind::Updated, false) => ("wrangler/updated", "updated"),
                (ChangeKind::Removed, false) => ("wrangler/removed", "removed"),
                (ChangeKind::Added, true) => ("wrangler/would-change", "would add"),
                (ChangeKind::Updated, true) => ("wrangler/would-change", "would update"),
                (ChangeKind::Removed, true) => ("wrangler/would-change", "would remove"),
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
            reporter.error("lunora/write-failed", &format!("{e:#}"), None);
            return Ok((1, tx));
        }
    }
    tx.report(reporter, dry_run);
    Ok((0, tx))
}

/// `text` without the lines from the one holding `span_start` to the one holding `span_end`
/// (line break included); when that leaves two blank lines (or a blank line at the start or the
/// end of the file) together, one of them goes too. Every other byte is kept.
pub fn remove_lines(text: &str, span_start: usize, span_end: usize) -> String {
    let (start, end) = removal_range(text, span_start, span_end);
    format!("{}{}", &text[..start], &text[end..])
}

/// The byte range [`remove_lines`] removes.
pub fn removal_range(text: &str, span_start: usize, span_end: usize) -> (usize, usize) {
    let mut start = text[..span_start].rfind('\n').map_or(0, |i| i + 1);
    let mut end = text[span_end..]
        .find('\n')
        .map_or(text.len(), |i| span_end + i + 1);
    let line_before = text[..start.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let blank_before = start == 0 || text[line_before..start].trim().is_empty();
    let rest = &text[end..];
    let next = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let blank_after = rest.is_empty() || rest[..next].trim().is_empty();
    if blank_before && blank_after {
        if !rest.is_empty() {
            end += next;
        } else if start > 0 {
            start = line_before;
        }
    }
    (start, end)
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: u32) -> u32 {
    lunora_diagnostic::SourceText::new(text)
        .line_col(offset)
        .line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_lines_keeps_one_blank_line_between_neighbours() {
        let text = "a;\n\n// doc\nexport const x = 1;\n\nb;\n";
        let at = text.find("// doc").unwrap();
        let end = text.find("= 1;").unwrap() + 4;
        assert_eq!(remove_lines(text, at, end), "a;\n\nb;\n");
        let last = "a;\n\nexport const x = 1;\n";
        let at = last.find("export").unwrap();
        assert_eq!(remove_lines(last, at, last.len() - 1), "a;\n");
        let only = "export const x = 1;\n";
        assert_eq!(remove_lines(only, 0, only.len() - 1), "");
    }
}
