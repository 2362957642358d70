//! `lunora deploy`: every gate, then the build, push and deploy steps.
//!
//! Order:
//! 1. plan codegen and reconcile; errors in `lunora/containers.ts` stop here;
//! 2. the gates, all of them, each failure reported (not only the first): the worker entry
//!    re-exports every declared container class (an error at the worker entry, with the line
//!    to add — wrangler refuses a Durable Object class the worker does not export); every
//!    Dockerfile and `{ build }` directory exists (at the `image` in containers.ts); and the
//!    prerequisites `lunora doctor` checks (Node, wrangler, Docker when a Dockerfile image is
//!    declared, `railpack` and `BUILDKIT_HOST` when a `{ build }` image is, the packages, the
//!    wrangler config). Any failure stops the deploy with nothing written or run;
//! 3. codegen is written (`--dry-run`: only reported);
//! 4. per `{ build }` container: `railpack build` into `lunora-<kebab>:build`, then
//!    `wrangler containers push` of that tag (`--dry-run`: printed, not run);
//! 5. `wrangler deploy [--env NAME] <extra args>` (`--dry-run`: every step listed, then
//!    `wrangler deploy --dry-run …`, which runs wrangler's own checks and bundling without
//!    uploading: in the project when its generated files and config are current, else on a
//!    temporary copy with codegen's output written, so a fresh checkout gets a real verdict and
//!    the project is left byte for byte as it was).
//!
//! Every step inherits the terminal, so prompts and build logs show as when run directly.

use crate::commands::codegen;
use crate::commands::doctor::{self, Purpose, Status};
use crate::exec::{Invocation, Tool};
use crate::output::Reporter;
use crate::pipeline::{self, Plan, PlanOptions};
use crate::project::Project;
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Severity, SourceLookup, Span};
use lunora_parser::{ContainerSpec, ImageSource};

pub struct DeployArgs<'a> {
    pub dry_run: bool,
    pub extra: &'a [String],
}

pub fn run(
    project: &Project,
    options: &PlanOptions,
    args: DeployArgs<'_>,
    reporter: &Reporter,
) -> Result<i32> {
    // 1. The plan. Errors in containers.ts: nothing about the containers can be concluded.
    let mut plan = pipeline::plan(project, options);
    if plan.has_errors() {
        return Ok(codegen::preview_plan(project, plan, reporter)?.code);
    }

    // 2. Every gate.
    let mut ran: Vec<String> = Vec::new();
    let mut gate_errors: Vec<Diagnostic> = Vec::new();
    gate_errors.extend(reexport_errors(&mut plan));
    ran.push(if plan.containers.is_empty() {
        "no containers declared".to_string()
    } else {
        "the worker entry exports every container class".to_string()
    });
    let missing: Vec<Diagnostic> = plan
        .containers
        .iter()
        .filter_map(|c| {
            pipeline::missing_image_source(project, c).map(|d| {
                d.into_diagnostic(Severity::Error, crate::codes::DEPLOY_MISSING_IMAGE_SOURCE)
            })
        })
        .collect();
    if plan
        .containers
        .iter()
        .any(|c| !matches!(c.image, ImageSource::Registry { .. }))
    {
        ran.push("every Dockerfile and build directory exists".to_string());
    }
    gate_errors.extend(missing);
    for check in doctor::checks(project, &plan, Purpose::Deploy) {
        match &check.status {
            Status::Ok(text) => ran.push(text.clone()),
            Status::Failed { .. } => gate_errors.extend(check.diagnostic(Severity::Error)),
            Status::NotNeeded(_) => {}
        }
    }
    if !gate_errors.is_empty() {
        plan.diagnostics.extend(gate_errors);
        reporter.diagnostics(&plan.diagnostics, &plan.sources);
        let n = plan.diagnostics.iter().filter(|d| d.is_error()).count();
        reporter.note(&format!(
            "lunora: deploy stopped by {n} error{}; nothing was written, built, pushed or deployed",
            if n == 1 { "" } else { "s" }
        ));
        return Ok(1);
    }

    // 3. Codegen, written (or, for a dry run, reported).
    let outcome = if args.dry_run {
        codegen::preview_plan(project, plan, reporter)?
    } else {
        codegen::run_plan(project, plan, false, reporter)?
    };
    if outcome.code != 0 {
        return Ok(outcome.code);
    }
    let plan = &outcome.plan;

    // 4–5. The commands that build, push and deploy.
    let builds: Vec<(&ContainerSpec, &str)> = plan
        .containers
        .iter()
        .filter_map(|c| match &c.image {
            ImageSource::Build { dir } => Some((c, dir.as_str())),
            _ => None,
        })
        .collect();
    let mut steps: Vec<(String, Invocation)> = Vec::new();
    for (c, dir) in &builds {
        let tag = pipeline::railpack_tag(c);
        let mut build = vec![
            "build".to_string(),
            dir.to_string(),
            "--name".into(),
            tag.clone(),
        ];
        build.extend(["--platform".into(), "linux/amd64".into()]);
        for (k, v) in c.build_args.iter().flatten() {
            build.extend(["--env".into(), format!("{k}={v}")]);
        }
        steps.push((
            format!("building {tag} with Railpack"),
            Invocation::new(Tool::Railpack, build),
        ));
        steps.push((
            format!("pushing {tag}"),
            Invocation::new(Tool::Wrangler, ["containers", "push", tag.as_str()]),
        ));
    }
    let mut deploy = vec!["deploy".to_string()];
    if let Some(env) = &options.env {
        deploy.extend(["--env".into(), env.clone()]);
    }
    deploy.extend(args.extra.iter().cloned());
    let deploy = Invocation::new(Tool::Wrangler, deploy);

    if args.dry_run {
        return dry_run(project, plan, &ran, &steps, &deploy, reporter);
    }
    steps.push(("deploying".to_string(), deploy));
    for (label, inv) in &steps {
        let code = run_step(project, reporter, label, inv, "; deploy stopped")?;
        if code != 0 {
            return Ok(code);
        }
    }
    Ok(0)
}

/// The end of `deploy --dry-run`, after the gates passed: the checks that passed, every step
/// deploy would run, then wrangler's own dry run. On current output it runs in the project;
/// on stale output (a fresh checkout) it runs on a temporary copy with the planned files
/// written, so wrangler checks what `lunora deploy` would deploy and the project is not touched.
fn dry_run(
    project: &Project,
    plan: &Plan,
    ran: &[String],
    steps: &[(String, Invocation)],
    deploy: &Invocation,
    reporter: &Reporter,
) -> Result<i32> {
    reporter.note("lunora: dry run: checks that passed:");
    for check in ran {
        reporter.note(&format!("  ✓ {check}"));
    }
    let stale: Vec<&str> = plan.stale_files().map(|f| f.rel.as_str()).collect();
    reporter.note("lunora: dry run: `lunora deploy` would:");
    let mut n = 0;
    let mut step = |text: String| {
        n += 1;
        reporter.note(&format!("  {n}. {text}"));
    };
    if !stale.is_empty() {
        step(format!("write {} (listed above)", stale.join(", ")));
    }
    if plan
        .stale_files()
        .any(|f| Some(&f.rel) == plan.wrangler_file.as_ref())
    {
        for types in lunora_project::types::types_files(project) {
            step(format!("run `{}` ({})", types.command(), types.from));
        }
    }
    for (_, inv) in steps {
        step(format!("run `{}`", inv.display()));
    }
    step(format!("run `{}`", deploy.display()));
    let mut check = deploy.clone();
    check.args.insert(1, "--dry-run".into());
    if stale.is_empty() {
        return run_step(project, reporter, "dry run", &check, "");
    }
    let copy = match crate::scratch::ScratchCopy::of(&project.root, plan) {
        Ok(copy) => copy,
        Err(e) => {
            reporter.error(
                crate::codes::DEPLOY_DRY_RUN_COPY,
                &format!(
                    "the dry run cannot check the result with `{}`: {e:#}",
                    check.display()
                ),
                None,
            );
            reporter.note("lunora: to check it in place: run `lunora codegen`, then `lunora deploy --dry-run` again");
            return Ok(1);
        }
    };
    reporter.note(&format!(
        "lunora: dry run: `{}` on a temporary copy of the project with those files written (nothing is written here)",
        check.display()
    ));
    let outdir = check.args.iter().any(|a| {
        let a = a.to_string_lossy();
        a == "--outdir" || a.starts_with("--outdir=")
    });
    if outdir {
        reporter.note("lunora: dry run: a relative --outdir lands in that copy, which is deleted afterwards; run `lunora codegen` first to keep wrangler's output");
    }
    let code = check.run_inherited_in(&project.root, copy.path())?;
    if code != 0 {
        reporter.note(&format!(
            "lunora: `{}` failed (exit {code})",
            check.display()
        ));
    }
    Ok(code)
}

/// One error per worker entry that does not export declared container classes, located at
/// the entry's last line (where the re-export can go), with the line to add; the declarations
/// are secondary labels. Replaces codegen's `lunora/missing-reexport` warnings.
fn reexport_errors(plan: &mut Plan) -> Vec<Diagnostic> {
    if plan.missing_reexports.is_empty() {
        return Vec::new();
    }
    plan.diagnostics
        .retain(|d| d.code != lunora_project::codes::MISSING_REEXPORT);
    let mut out = Vec::new();
    let mut entries: Vec<&str> = Vec::new();
    for m in &plan.missing_reexports {
        if entries.last() != Some(&m.entry.as_str()) {
            entries.push(&m.entry);
        }
    }
    let config = plan
        .wrangler_file
        .as_deref()
        .unwrap_or("the wrangler config");
    for entry in entries {
        let missing: Vec<&pipeline::MissingReexport> = plan
            .missing_reexports
            .iter()
            .filter(|m| m.entry == entry)
            .collect();
        let classes: Vec<&str> = missing.iter().map(|m| m.class_name.as_str()).collect();
        let wired: Vec<&str> = missing
            .iter()
            .filter(|m| m.wired)
            .map(|m| m.class_name.as_str())
            .collect();
        let why = if wired.is_empty() {
            format!(
                "so {} would not be wired in {config} or deployed",
                if missing.len() == 1 {
                    "its container"
                } else {
                    "their containers"
                }
            )
        } else {
            format!(
                "and {config} binds {}: wrangler refuses to deploy a Durable Object class the worker does not export",
                wired.join(", ")
            )
        };
        let end = plan
            .sources
            .source(entry)
            .map(|t| t.trim_end().len() as u32)
            .unwrap_or(0);
        let mut d = Diagnostic::error(
            crate::codes::DEPLOY_MISSING_REEXPORT,
            format!(
                "the worker entry {entry} does not export {}, {why}",
                classes.join(", ")
            ),
        )
        .with_primary(
            entry,
            Span::new(end, end),
            "add the re-export to this module",
        )
        .with_help(format!("add `{}` to {entry}", missing[0].line));
        for m in &missing {
            d = d.with_secondary(
                crate::project::CONTAINERS_TS,
                m.span,
                format!("`{}` declared here", m.export_name),
            );
        }
        out.push(d);
    }
    out
}

/// Runs one step of a deploy, named `label`, in the terminal; a failure is said with
/// `after_failure` appended.
fn run_step(
    project: &Project,
    reporter: &Reporter,
    label: &str,
    inv: &Invocation,
    after_failure: &str,
) -> Result<i32> {
    reporter.note(&format!("lunora: {label}: `{}`", inv.display()));
    let code = inv.run_inherited(&project.root)?;
    if code != 0 {
        reporter.note(&format!(
            "lunora: `{}` failed (exit {code}){after_failure}",
            inv.display()
        ));
    }
    Ok(code)
}
