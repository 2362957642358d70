//! `lunora codegen`: parse, validate, render, reconcile; `--check` compares instead of writing.

use crate::output::Reporter;
use crate::pipeline::{self, FileChange, Plan, PlanOptions};
use crate::project::Project;
use anyhow::Result;
use lunora_wrangler_config::ChangeKind;

/// Outcome of one codegen run, for callers that go on (dev, deploy, watch).
pub struct Outcome {
    pub plan: Plan,
    /// Exit code this run alone would have: 0 ok, 1 errors / stale.
    pub code: i32,
}

/// Runs one codegen pass and reports it. `check` writes nothing and fails on stale output.
pub fn run_once(
    project: &Project,
    options: &PlanOptions,
    check: bool,
    reporter: &Reporter,
) -> Result<Outcome> {
    let plan = pipeline::plan(project, options);
    reporter.diagnostics(&plan.diagnostics, &plan.sources);
    if plan.has_errors() {
        let errors = plan.diagnostics.iter().filter(|d| d.is_error()).count();
        reporter.note(&format!(
            "lunora: {errors} error{} — nothing was written",
            if errors == 1 { "" } else { "s" }
        ));
        return Ok(Outcome { plan, code: 1 });
    }

    if check {
        let stale: Vec<&FileChange> = plan.stale_files().collect();
        if stale.is_empty() {
            if plan.containers.is_empty() {
                reporter.note(&format!(
                    "lunora: up to date (no containers declared)\n{SCAFFOLD_HINT}"
                ));
            } else {
                reporter.note(&format!("lunora: {} up to date", describe_count(&plan)));
            }
            return Ok(Outcome { plan, code: 0 });
        }
        for f in &stale {
            reporter.block(&unified_diff(f));
            reporter.progress("lunora/stale", "stale", &f.rel, "");
        }
        reporter.note(&format!(
            "lunora: {} file{} out of date — run `lunora codegen` to update",
            stale.len(),
            if stale.len() == 1 { " is" } else { "s are" }
        ));
        return Ok(Outcome { plan, code: 1 });
    }

    let written = plan.apply(project)?;
    for f in &plan.files {
        let is_wrangler = Some(&f.rel) == plan.wrangler_file.as_ref();
        if is_wrangler {
            continue;
        }
        if written.iter().any(|w| w.rel == f.rel) {
            let verb = if f.new.is_some() { "wrote" } else { "removed" };
            reporter.progress(&format!("lunora/{verb}"), verb, &f.rel, "");
        } else if f.new.is_some() {
            reporter.progress("lunora/unchanged", "unchanged", &f.rel, "");
        }
    }
    for (file, change) in &plan.wrangler_changes {
        let (code, verb) = match change.kind {
            ChangeKind::Added => ("wrangler/added", "added"),
            ChangeKind::Updated => ("wrangler/updated", "updated"),
            ChangeKind::Unchanged => ("wrangler/unchanged", "unchanged"),
        };
        reporter.progress(code, verb, file, &change.what);
    }
    if plan.containers.is_empty() {
        reporter.note(&format!(
            "lunora: {}\n{SCAFFOLD_HINT}",
            describe_count(&plan)
        ));
    } else {
        reporter.note(&format!("lunora: {}", describe_count(&plan)));
    }
    Ok(Outcome { plan, code: 0 })
}

/// What a run with nothing declared tells the user to do next.
const SCAFFOLD_HINT: &str = "  to add one: `lunora generate lunora-container --name=<name>` \
     (a Dockerfile and starter server in containers/<name>/, its definition in lunora/containers.ts)";

/// Plans a run and reports what it would write, without writing (`deploy --dry-run`). Errors
/// still fail the run; stale output does not.
pub fn preview(project: &Project, options: &PlanOptions, reporter: &Reporter) -> Result<Outcome> {
    let plan = pipeline::plan(project, options);
    reporter.diagnostics(&plan.diagnostics, &plan.sources);
    if plan.has_errors() {
        let errors = plan.diagnostics.iter().filter(|d| d.is_error()).count();
        reporter.note(&format!(
            "lunora: {errors} error{} — nothing was written",
            if errors == 1 { "" } else { "s" }
        ));
        return Ok(Outcome { plan, code: 1 });
    }
    for f in plan.stale_files() {
        let verb = if f.new.is_some() {
            "would write"
        } else {
            "would remove"
        };
        reporter.progress("lunora/would-write", verb, &f.rel, "");
    }
    for (file, change) in &plan.wrangler_changes {
        let verb = match change.kind {
            ChangeKind::Added => "would add",
            ChangeKind::Updated => "would update",
            ChangeKind::Unchanged => continue,
        };
        reporter.progress("wrangler/would-change", verb, file, &change.what);
    }
    Ok(Outcome { plan, code: 0 })
}

fn describe_count(plan: &Plan) -> String {
    match plan.containers.len() {
        0 => "no containers declared".to_string(),
        1 => format!("1 container ({})", plan.containers[0].export_name),
        n => {
            let mut names: Vec<&str> = plan
                .containers
                .iter()
                .map(|c| c.export_name.as_str())
                .collect();
            names.sort();
            format!("{n} containers ({})", names.join(", "))
        }
    }
}

/// A unified diff of a stale file (`a/` is on disk, `b/` is what codegen would write).
pub fn unified_diff(f: &FileChange) -> String {
    let old = f.old.as_deref().unwrap_or("");
    let new = f.new.as_deref().unwrap_or("");
    let diff = similar::TextDiff::from_lines(old, new);
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
