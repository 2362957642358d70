//! `lunora codegen`: parse, validate, render, reconcile; `--check` compares instead of writing.

use crate::output::{Format, Reporter};
use crate::pipeline::{self, FileChange, Plan, PlanOptions};
use crate::project::Project;
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Sources, Span};
use lunora_wrangler_config::ChangeKind;

/// Outcome of one codegen run, for callers that go on (dev, deploy, watch).
pub struct Outcome {
    pub plan: Plan,
    /// Exit code this run alone would have: 0 ok, 1 errors / stale.
    pub code: i32,
    /// False when the wrangler config changed and rerunning `wrangler types` failed (already
    /// reported). Commands that edit files (`codegen`, `generate`) exit 1 on it; `dev`, its
    /// watcher and `deploy` go on, since the types do not change what runs.
    pub types_ok: bool,
}

/// Runs one codegen pass and reports it. `check` writes nothing and fails on stale output.
pub fn run_once(
    project: &Project,
    options: &PlanOptions,
    check: bool,
    reporter: &Reporter,
) -> Result<Outcome> {
    run_plan(project, pipeline::plan(project, options), check, reporter)
}

/// Reports a planned run and writes it (or, with `check`, compares it). Quiet like cargo: what
/// changed, the diagnostics and one summary line; unchanged items only with `--verbose` (and
/// always as JSON records). A failed write is an error (`lunora/write-failed`), exit 1. When the
/// wrangler config changes, the project's `wrangler types` output is regenerated with it (and
/// `check` reports it stale); a failure there is reported and is [`Outcome::types_ok`].
pub fn run_plan(
    project: &Project,
    plan: Plan,
    check: bool,
    reporter: &Reporter,
) -> Result<Outcome> {
    reporter.diagnostics(&plan.diagnostics, &plan.sources);
    if plan.has_errors() {
        note_errors(&plan, reporter);
        return Ok(Outcome {
            plan,
            code: 1,
            types_ok: true,
        });
    }

    if check {
        let stale: Vec<&FileChange> = plan.stale_files().collect();
        let config_stale = stale
            .iter()
            .any(|f| Some(&f.rel) == plan.wrangler_file.as_ref());
        let stale_types = crate::types::stale(project, config_stale, reporter);
        if stale.is_empty() && stale_types.is_empty() {
            reporter.note(&format!(
                "lunora: {}: up to date",
                plan.describe_containers()
            ));
            if plan.containers.is_empty() {
                reporter.note(SCAFFOLD_HINT);
            }
            return Ok(Outcome {
                plan,
                code: 0,
                types_ok: true,
            });
        }
        for f in &stale {
            reporter.block(&unified_diff(f));
            match reporter.format {
                // One annotation per stale file, at its first changed line, so it shows on the
                // file in the workflow's summary and the pull request.
                Format::Github => {
                    let old = f.old.as_deref().unwrap_or("");
                    let offset = first_difference(old, f.new.as_deref().unwrap_or(""));
                    let mut at = Sources::new();
                    at.insert(f.rel.clone(), old);
                    let d = Diagnostic::error(
                        crate::codes::LUNORA_STALE,
                        format!("{} is out of date", f.rel),
                    )
                    .with_primary(f.rel.clone(), Span::new(offset, offset), "")
                    .with_help("run `lunora codegen` and commit the result");
                    reporter.diagnostics(&[d], &at);
                }
                _ => reporter.progress(crate::codes::LUNORA_STALE, "stale", &f.rel, ""),
            }
        }
        for (file, why) in &stale_types {
            let d = Diagnostic::error(
                crate::codes::LUNORA_STALE,
                format!("{} is out of date: {why}", file.rel),
            )
            .with_file(file.rel.clone())
            .with_help(if config_stale {
                format!(
                    "run `lunora codegen` (it reruns `{}`, as {} does) and commit the result",
                    file.command(),
                    file.from
                )
            } else {
                format!(
                    "run `{}` ({}) and commit the result",
                    file.command(),
                    file.from
                )
            });
            reporter.diagnostics(&[d], &Sources::new());
        }
        // A clean clone of a project that ignores the generated modules has none of them.
        if stale
            .iter()
            .any(|f| f.old.is_none() && f.rel.starts_with(lunora_codegen::GENERATED_DIR))
        {
            if let Some((d, text)) = lunora_project::vcs::generated_ignored(project) {
                let mut at = Sources::new();
                at.insert(".gitignore", text);
                reporter.diagnostics(&[d], &at);
            }
        }
        let n = stale.len() + stale_types.len();
        // `lunora codegen` reruns `wrangler types` only when it changes the config.
        let mut fixes = Vec::new();
        if !stale.is_empty() {
            fixes.push("run `lunora codegen` to update".to_string());
        }
        if !config_stale {
            for (file, _) in &stale_types {
                fixes.push(format!("run `{}` for {}", file.command(), file.rel));
            }
        }
        reporter.note(&format!(
            "lunora: {n} file{} out of date — {}",
            if n == 1 { " is" } else { "s are" },
            fixes.join(", and ")
        ));
        return Ok(Outcome {
            plan,
            code: 1,
            types_ok: true,
        });
    }

    let written: Vec<String> = match crate::pipeline::apply(&plan) {
        Ok(w) => w.into_iter().map(|f| f.rel.clone()).collect(),
        Err(e) => {
            reporter.error(crate::codes::LUNORA_WRITE_FAILED, &format!("{e:#}"), None);
            return Ok(Outcome {
                plan,
                code: 1,
                types_ok: true,
            });
        }
    };
    let mut files_written = 0;
    for f in &plan.files {
        let is_wrangler = Some(&f.rel) == plan.wrangler_file.as_ref();
        if is_wrangler {
            continue;
        }
        if written.contains(&f.rel) {
            let verb = if f.new.is_some() { "wrote" } else { "removed" };
            reporter.progress(&format!("lunora/{verb}"), verb, &f.rel, "");
            files_written += 1;
        } else if f.new.is_some() {
            reporter.unchanged(crate::codes::LUNORA_UNCHANGED, &f.rel, "");
        }
    }
    let config_written = plan
        .wrangler_file
        .as_ref()
        .is_some_and(|w| written.contains(w));
    let mut config_changes = 0;
    for (file, change) in &plan.wrangler_changes {
        let (code, verb) = match change.kind {
            ChangeKind::Added => (crate::codes::WRANGLER_ADDED, "added"),
            ChangeKind::Updated => (crate::codes::WRANGLER_UPDATED, "updated"),
            ChangeKind::Removed => (crate::codes::WRANGLER_REMOVED, "removed"),
            ChangeKind::Unchanged => {
                reporter.unchanged(crate::codes::WRANGLER_UNCHANGED, file, &change.what);
                continue;
            }
        };
        config_changes += 1;
        reporter.progress(code, verb, file, &change.what);
    }
    let types_ok = !config_written || crate::types::refresh(project, reporter);
    let mut done = Vec::new();
    if files_written > 0 {
        done.push(format!(
            "{files_written} generated file{} written",
            plural(files_written)
        ));
    }
    if config_changes > 0 {
        done.push(format!(
            "{config_changes} change{} to {}",
            plural(config_changes),
            plan.wrangler_file
                .as_deref()
                .unwrap_or("the wrangler config")
        ));
    }
    let done = if done.is_empty() {
        "up to date".to_string()
    } else {
        done.join(", ")
    };
    reporter.note(&format!("lunora: {}: {done}", plan.describe_containers()));
    if plan.containers.is_empty() {
        let emptied: Vec<&str> = plan
            .files
            .iter()
            .filter(|f| f.new.is_some() && written.contains(&f.rel))
            .filter(|f| lunora_codegen::OWNED_FILES.contains(&f.rel.as_str()))
            .map(|f| f.rel.as_str())
            .collect();
        if !emptied.is_empty() {
            reporter.note(&format!(
                "  {} kept as empty modules, so imports of them still resolve and the worker builds; delete them (and those imports) when you no longer need them",
                emptied.join(" and ")
            ));
        }
        reporter.note(SCAFFOLD_HINT);
    }
    Ok(Outcome {
        plan,
        code: 0,
        types_ok,
    })
}

/// The byte offset of the start of the first line where `old` and `new` differ.
fn first_difference(old: &str, new: &str) -> u32 {
    let mut offset = 0;
    for (a, b) in old.split_inclusive('\n').zip(new.split_inclusive('\n')) {
        if a != b {
            break;
        }
        offset += a.len();
    }
    offset.min(old.len()) as u32
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn note_errors(plan: &Plan, reporter: &Reporter) {
    let errors = plan.diagnostics.iter().filter(|d| d.is_error()).count();
    reporter.note(&format!(
        "lunora: {errors} error{} — nothing was written",
        plural(errors)
    ));
}

/// What a run with nothing declared tells the user to do next.
const SCAFFOLD_HINT: &str = "  to add one: `lunora generate lunora-container --name=<name>` \
     (a Dockerfile and starter server in containers/<name>/, its definition in lunora/containers.ts)";

/// Reports what a planned run would write, without writing (`deploy --dry-run`). Errors
/// still fail the run; stale output does not.
pub fn preview_plan(project: &Project, plan: Plan, reporter: &Reporter) -> Result<Outcome> {
    reporter.diagnostics(&plan.diagnostics, &plan.sources);
    if plan.has_errors() {
        note_errors(&plan, reporter);
        return Ok(Outcome {
            plan,
            code: 1,
            types_ok: true,
        });
    }
    for f in plan.stale_files() {
        let verb = if f.new.is_some() {
            "would write"
        } else {
            "would remove"
        };
        reporter.progress(crate::codes::LUNORA_WOULD_WRITE, verb, &f.rel, "");
    }
    for (file, change) in &plan.wrangler_changes {
        let verb = match change.kind {
            ChangeKind::Added => "would add",
            ChangeKind::Updated => "would update",
            ChangeKind::Removed => "would remove",
            ChangeKind::Unchanged => continue,
        };
        reporter.progress(
            crate::codes::WRANGLER_WOULD_CHANGE,
            verb,
            file,
            &change.what,
        );
    }
    if plan
        .stale_files()
        .any(|f| Some(&f.rel) == plan.wrangler_file.as_ref())
    {
        crate::types::preview(project, reporter);
    }
    Ok(Outcome {
        plan,
        code: 0,
        types_ok: true,
    })
}

/// A unified diff of a stale file (`a/` is on disk, `b/` is what codegen would write). Always a
/// correct diff; past a time budget it may be longer than the shortest one (a minimal diff of a
/// 1 MB config changed in thousands of places took 1.2 s).
pub fn unified_diff(f: &FileChange) -> String {
    let old = f.old.as_deref().unwrap_or("");
    let new = f.new.as_deref().unwrap_or("");
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_lines(old, new);
    let old_name = if f.old.is_some() {
        format!("a/{}", f.rel)
    } else {
        "/dev/null".to_string()
    };
    let new_name = if f.new.is_some() {
        format!("b/{}", f.rel)
    } else {
        "/dev/null".to_string()
    };
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r27_codegen_check_diffed_a_config_changed_in_thousands_of_places_for_over_a_second() {
        // The shortest diff of a 1 MB config with 4,800 changed env blocks took ~1 s (release);
        // past the budget the diff may be longer, but still names every change.
        let old: String = (0..5000).map(|i| format!("line {i} old\n")).collect();
        let new: String = (0..5000)
            .map(|i| match i % 2 {
                0 => format!("line {i} new\n"),
                _ => format!("line {i} old\n"),
            })
            .collect();
        let change = FileChange {
            rel: "wrangler.jsonc".into(),
            path: "/p/wrangler.jsonc".into(),
            old: Some(old),
            new: Some(new),
        };
        let diff = unified_diff(&change);
        assert!(diff.starts_with("--- a/wrangler.jsonc\n+++ b/wrangler.jsonc\n"));
        let lines: std::collections::HashSet<&str> = diff.lines().collect();
        for i in (0..5000).step_by(2) {
            assert!(lines.contains(format!("-line {i} old").as_str()), "{i}");
            assert!(lines.contains(format!("+line {i} new").as_str()), "{i}");
        }
    }
}
