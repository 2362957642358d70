//! `lunora deploy`: every gate in order, stopping at the first that fails, then `wrangler deploy`.
//!
//! Order (each step runs only if all before it passed, and nothing is spawned after a failure):
//! 1. codegen and reconcile (written, as `lunora codegen` does; `--dry-run` only reports what
//!    it would write);
//! 2. every Dockerfile and `{ build }` directory exists (located at the `image` in containers.ts);
//! 3. Docker preflight, when a Dockerfile image is declared;
//! 4. Railpack preflight (`railpack --version`, `BUILDKIT_HOST`), when a `{ build }` image is;
//! 5. per `{ build }` container: `railpack build` into `lunora-<kebab>:build`, then
//!    `wrangler containers push` of that tag;
//! 6. `wrangler deploy [--env NAME] <extra args>`.
//!
//! `--dry-run` runs 1–4 and prints the commands of 5–6 instead of running them.

use crate::commands::codegen;
use crate::exec::{self, Invocation, Tool};
use crate::output::Reporter;
use crate::pipeline::{self, PlanOptions};
use crate::project::Project;
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Severity};
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
    // 1. codegen + reconcile. A dry run changes nothing, local files included.
    let outcome = if args.dry_run {
        codegen::preview(project, options, reporter)?
    } else {
        codegen::run_once(project, options, false, reporter)?
    };
    if outcome.code != 0 {
        return Ok(outcome.code);
    }
    let plan = &outcome.plan;
    let containers = &plan.containers;
    let fail = |d: Diagnostic| {
        reporter.diagnostics(&[d], &plan.sources);
        reporter.note("lunora: deploy stopped; nothing was built, pushed or deployed");
        Ok(1)
    };

    // 2. Image sources on disk.
    let missing: Vec<Diagnostic> = containers
        .iter()
        .filter_map(|c| {
            pipeline::missing_image_source(project, c)
                .map(|d| d.into_diagnostic(Severity::Error, "deploy/missing-image-source"))
        })
        .collect();
    if !missing.is_empty() {
        reporter.diagnostics(&missing, &plan.sources);
        reporter.note("lunora: deploy stopped; nothing was built, pushed or deployed");
        return Ok(1);
    }

    // 3. Docker, for images wrangler builds from a Dockerfile.
    if containers
        .iter()
        .any(|c| matches!(c.image, ImageSource::Local { .. }))
    {
        if let Err(e) = exec::docker_preflight(&project.root) {
            return fail(
                Diagnostic::error("deploy/docker-unavailable", format!("{e:#}")).with_help(
                    "wrangler deploy builds Dockerfile images with the local Docker engine",
                ),
            );
        }
    }

    // 4. Railpack and BuildKit, for `{ build }` images.
    let builds: Vec<(&ContainerSpec, &str)> = containers
        .iter()
        .filter_map(|c| match &c.image {
            ImageSource::Build { dir } => Some((c, dir.as_str())),
            _ => None,
        })
        .collect();
    if !builds.is_empty() {
        if let Some(d) = railpack_preflight(project, &builds) {
            return fail(d);
        }
    }

    // 5–6. The commands that build, push and deploy.
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
    steps.push((
        "deploying".to_string(),
        Invocation::new(Tool::Wrangler, deploy),
    ));

    // Resolve every program before running the first, so a missing one stops the deploy early.
    for (_, inv) in &steps {
        exec::require(inv.tool, &project.root)?;
    }
    if args.dry_run {
        reporter.note("lunora: dry run: checks passed; would run:");
        for (_, inv) in &steps {
            reporter.note(&format!("  {}", inv.display()));
        }
        return Ok(0);
    }
    let last = steps.len() - 1;
    for (i, (label, inv)) in steps.iter().enumerate() {
        // wrangler deploy shows its own progress (including Docker builds): give it the terminal.
        let code = if i == last {
            reporter.note(&format!("lunora: {label}: `{}`", inv.display()));
            inv.run_inherited(&project.root)?
        } else {
            inv.run_step(&project.root, label)?
        };
        if code != 0 {
            reporter.note(&format!(
                "lunora: `{}` failed (exit {code}); deploy stopped",
                inv.display()
            ));
            return Ok(code);
        }
    }
    Ok(0)
}

/// An error when the Dockerfile / build context / `{ build }` directory of `c` is not on disk.
fn railpack_preflight(project: &Project, builds: &[(&ContainerSpec, &str)]) -> Option<Diagnostic> {
    let names: Vec<&str> = builds.iter().map(|(c, _)| c.export_name.as_str()).collect();
    let setup = "docker run --rm --privileged -d --name buildkit moby/buildkit\n      export BUILDKIT_HOST=docker-container://buildkit";
    let version = Invocation::new(Tool::Railpack, ["--version"]);
    let railpack_ok = exec::locate(Tool::Railpack, &project.root).is_some()
        && version.succeeds(&project.root).unwrap_or(false);
    if !railpack_ok {
        return Some(
            Diagnostic::error(
                "deploy/railpack-unavailable",
                format!("`railpack --version` failed, but {} use `image: {{ build }}`, which Railpack builds", names.join(", ")),
            )
            .with_help(format!(
                "install Railpack: `curl -sSL https://railpack.com/install.sh | sh`; it also needs BuildKit:\n      {setup}"
            )),
        );
    }
    if std::env::var_os("BUILDKIT_HOST").is_none_or(|v| v.is_empty()) {
        return Some(
            Diagnostic::error(
                "deploy/buildkit-unset",
                "BUILDKIT_HOST is not set; Railpack needs a running BuildKit instance",
            )
            .with_help(format!(
                "start one and point BUILDKIT_HOST at it:\n      {setup}"
            )),
        );
    }
    None
}
