//! `lunora dev`: codegen, then the project's dev server (`wrangler dev`, or `vite dev` for a Vite
//! project) with lifecycle lines rendered and codegen re-run on every change.
//!
//! Contract: a codegen error exits 1 before anything is spawned. Signals sent to lunora reach
//! the dev server (see `signals`), and lunora exits with the dev server's exit code.

use crate::commands::codegen;
use crate::exec::{self, Invocation, Tool};
use crate::output::Reporter;
use crate::pipeline::PlanOptions;
use crate::project::Project;
use crate::{lifecycle, signals, watch};
use anyhow::{Context, Result};
use lunora_parser::ImageSource;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Config files that make a project a Vite project.
const VITE_CONFIGS: [&str; 6] = [
    "vite.config.ts",
    "vite.config.js",
    "vite.config.mts",
    "vite.config.mjs",
    "vite.config.cts",
    "vite.config.cjs",
];

pub fn run(
    project: &Project,
    options: &PlanOptions,
    extra: &[String],
    reporter: &Reporter,
) -> Result<i32> {
    let outcome = codegen::run_once(project, options, false, reporter)?;
    if outcome.code != 0 {
        return Ok(outcome.code);
    }
    let builds_locally = outcome.plan.containers.iter().any(|c| {
        matches!(
            c.image,
            ImageSource::Local { .. } | ImageSource::Build { .. }
        )
    });
    if builds_locally {
        if let Err(e) = exec::docker_preflight(&project.root) {
            reporter.note(&format!(
                "warning: {e:#}; containers will not start locally until it does"
            ));
        }
    }

    // Local dev cannot pull from the Cloudflare Registry (spec: Local development).
    for c in &outcome.plan.containers {
        let image = crate::pipeline::registry_image(c).unwrap_or_default();
        if image.starts_with("registry.cloudflare.com/") {
            let built_by_deploy = match c.image {
                ImageSource::Build { .. } => {
                    "its Railpack image is built and pushed by `lunora deploy`, and "
                }
                _ => "",
            };
            reporter.note(&format!(
                "warning: `{}` uses {image}: {built_by_deploy}local dev cannot pull from the Cloudflare \
                 Registry, so it will not start locally; while developing, point `image` at a local \
                 Dockerfile (it may FROM that image)",
                c.export_name
            ));
        }
    }

    let server = dev_server(project, options, extra);
    signals::install();
    let mut cmd = server.command(&project.root)?;
    if server.tool == Tool::Vite {
        if let Some(env) = &options.env {
            // The Cloudflare Vite plugin selects the wrangler environment from CLOUDFLARE_ENV.
            cmd.env("CLOUDFLARE_ENV", env);
        }
    }
    if let Some(sig) = signals::received() {
        // Interrupted before the dev server started: start nothing.
        return Ok(128 + sig);
    }
    reporter.note(&format!("lunora: starting `{}`", server.display()));
    let mut child = cmd
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting `{}`", server.display()))?;
    signals::set_child(Some(child.id()));

    let out = relay(child.stdout.take().expect("piped"), std::io::stdout);
    let err = relay(child.stderr.take().expect("piped"), std::io::stderr);

    let stopped = Arc::new(AtomicBool::new(false));
    {
        let stopped = stopped.clone();
        let project = Project {
            root: project.root.clone(),
        };
        let options = options.clone();
        let reporter = Reporter::new(reporter.format);
        let inputs = watch::Inputs::read(&project);
        std::thread::spawn(move || {
            if let Err(e) = watch::watch(&project, &options, &reporter, inputs, &|| {
                stopped.load(Ordering::SeqCst)
            }) {
                reporter.note(&format!("lunora: not watching for changes: {e:#}"));
            }
        });
    }

    let status = child.wait().context("waiting for the dev server")?;
    signals::set_child(None);
    stopped.store(true, Ordering::SeqCst);
    let _ = out.join();
    let _ = err.join();
    Ok(exec::exit_code(status))
}

/// `vite dev` for a project with a Vite config, `wrangler dev` otherwise; `extra` goes last.
fn dev_server(project: &Project, options: &PlanOptions, extra: &[String]) -> Invocation {
    let vite = VITE_CONFIGS.iter().any(|f| project.path(f).is_file());
    let mut args: Vec<String> = vec!["dev".into()];
    if !vite {
        if let Some(env) = &options.env {
            args.extend(["--env".into(), env.clone()]);
        }
    }
    args.extend(extra.iter().cloned());
    Invocation::new(if vite { Tool::Vite } else { Tool::Wrangler }, args)
}

/// Copies `stream` line by line to `sink`, rendering lifecycle lines; other bytes pass unchanged.
fn relay<W: Write + 'static>(
    stream: impl Read + Send + 'static,
    sink: fn() -> W,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = Vec::new();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let rendered = std::str::from_utf8(&line).ok().and_then(lifecycle::render);
            let mut w = sink();
            let _ = match rendered {
                Some(text) => writeln!(w, "{text}"),
                None => w.write_all(&line),
            };
            let _ = w.flush();
        }
    })
}
