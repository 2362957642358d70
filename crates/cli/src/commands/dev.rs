//! `lunora dev`: codegen, then the project's dev server (`wrangler dev`, or `vite dev` for a Vite
//! project) with lifecycle lines rendered and codegen re-run on every change.
//!
//! Contract: a codegen error exits 1 before anything is spawned. The prerequisites `lunora
//! doctor` checks are checked first and only failures are printed (as warnings; without a
//! Docker engine, with how to run without containers — unless they are already off). On a
//! Unix terminal the dev server runs under a pseudo-terminal (see `platform`); off one, and on
//! Windows, its output is piped line by line. Either way lifecycle lines are rendered as they
//! pass, and (unless `--no-container-logs` or containers are off) the containers' own output is
//! streamed in (see `container_logs`). Signals sent to lunora reach the dev server (see
//! `platform`), and lunora exits with the dev server's exit code — except when a save stopped it:
//! then the session goes on and the dev server starts again after the next valid save (see
//! `dev_session`).

use crate::commands::codegen;
use crate::commands::doctor::{self, Purpose};
use crate::exec::{Invocation, Tool};
use crate::output::{color_allowed, escape_control, Reporter};
use crate::pipeline::PlanOptions;
use crate::project::Project;
use crate::{container_logs, dev_session, lifecycle, platform, watch};
use anyhow::{Context, Result};
use lunora_diagnostic::Severity;
use lunora_parser::ImageSource;
use lunora_wrangler_config::WranglerConfig;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::process::{ExitStatus, Stdio};
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
    container_logs: bool,
    reporter: &Reporter,
) -> Result<i32> {
    let outcome = codegen::run_once(project, options, false, reporter)?;
    if outcome.code != 0 {
        return Ok(outcome.code);
    }
    let server = dev_server(project, options, extra);

    // The prerequisites, printed only when they fail (as warnings: the dev server still starts).
    let purpose = Purpose::Dev {
        containers: !containers_disabled(outcome.plan.config.as_ref(), extra),
        vite: server.tool == Tool::Vite,
    };
    let failures: Vec<_> = doctor::checks(project, &outcome.plan, purpose)
        .into_iter()
        // A missing re-export is already reported by codegen, at the declaration.
        .filter(|c| c.id != lunora_project::doctor::ids::REEXPORT)
        .filter_map(|c| c.diagnostic(Severity::Warning))
        .collect();
    reporter.diagnostics(&failures, &outcome.plan.sources);

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
            reporter.warn(&format!(
                "`{}` uses {image}: {built_by_deploy}local dev cannot pull from the Cloudflare \
                 Registry, so it will not start locally; while developing, point `image` at a local \
                 Dockerfile (it may FROM that image)",
                escape_control(&c.export_name)
            ));
        }
    }

    platform::install();
    let command = || -> Result<std::process::Command> {
        let mut cmd = server.command(&project.root)?;
        if server.tool == Tool::Vite {
            if let Some(env) = &options.env {
                // The Cloudflare Vite plugin selects the wrangler environment from CLOUDFLARE_ENV.
                cmd.env("CLOUDFLARE_ENV", env);
            }
        }
        Ok(cmd)
    };
    let mut first = Some(command()?);
    if let Some(sig) = platform::received() {
        // Interrupted before the dev server started: start nothing.
        return Ok(128 + sig);
    }
    reporter.note(&format!("lunora: starting `{}`", server.display()));
    let on_terminal = platform::in_foreground_of_terminal();
    let stopped = Arc::new(AtomicBool::new(false));
    let saves = Arc::new(dev_session::Saves::new());
    start_watcher(project, options, reporter, stopped.clone(), saves.clone());
    let logs = (container_logs && !containers_disabled(outcome.plan.config.as_ref(), extra))
        .then(|| start_container_logs(project, &outcome.plan, stopped.clone()));
    let code = dev_session::supervise(&saves, reporter, &platform::received, || {
        let cmd = match first.take() {
            Some(cmd) => cmd,
            None => command()?,
        };
        #[cfg(unix)]
        let status = if on_terminal {
            run_on_pty(cmd, &server)
        } else {
            run_piped(cmd, &server)
        };
        #[cfg(not(unix))]
        let status = {
            let _ = on_terminal;
            run_piped(cmd, &server)
        };
        status
    });
    stopped.store(true, Ordering::SeqCst);
    drop(logs);
    code
}

/// Streams the output of the project's running containers (see `container_logs`) until
/// `stopped`.
fn start_container_logs(
    project: &Project,
    plan: &crate::pipeline::Plan,
    stopped: Arc<AtomicBool>,
) -> container_logs::Stream {
    let wrangler = project.wrangler_file().ok().flatten();
    let target = container_logs::project_of(plan, wrangler.as_ref().map(|w| w.text.as_str()));
    let stream = container_logs::Stream::new(std::io::stdout);
    stream.follow_all(target, container_logs::now(), stopped);
    stream
}

/// Whether the user turned local containers off: `--enable-containers=false` (or
/// `--enable-containers false`, `--no-enable-containers`) after `--`, or
/// `"dev": { "enable_containers": false }` in the wrangler config (as the run read it).
fn containers_disabled(config: Option<&WranglerConfig>, extra: &[String]) -> bool {
    let off = |v: &str| matches!(v, "false" | "0" | "no");
    let in_args = extra.iter().enumerate().any(|(i, a)| {
        a == "--no-enable-containers"
            || a.strip_prefix("--enable-containers=").is_some_and(off)
            || (a == "--enable-containers" && extra.get(i + 1).is_some_and(|v| off(v)))
    });
    in_args || config.and_then(WranglerConfig::enable_containers) == Some(false)
}

/// Regenerates on every change while the dev server runs, until `stopped`.
fn start_watcher(
    project: &Project,
    options: &PlanOptions,
    reporter: &Reporter,
    stopped: Arc<AtomicBool>,
    saves: Arc<dev_session::Saves>,
) {
    let project = crate::project::on_disk(project.root.clone());
    let options = options.clone();
    let reporter = reporter.clone();
    let inputs = watch::Inputs::read(&project);
    std::thread::spawn(move || {
        let stop = || stopped.load(Ordering::SeqCst);
        let on_run = |ok| saves.record(ok);
        if let Err(e) =
            watch::watch_reporting(&project, &options, &reporter, inputs, &stop, &on_run)
        {
            reporter.note(&format!("lunora: not watching for changes: {e:#}"));
        }
    });
}

/// Off a terminal (CI, pipes): stdin inherited, stdout and stderr piped line by line with
/// lifecycle lines rendered, each to where it came from.
fn run_piped(mut cmd: std::process::Command, server: &Invocation) -> Result<ExitStatus> {
    let mut child = cmd
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting `{}`", server.display()))?;
    platform::set_child(Some(child.id()));
    let color_out = color_allowed() && std::io::stdout().is_terminal();
    let color_err = color_allowed() && std::io::stderr().is_terminal();
    let out = relay(
        child.stdout.take().expect("piped"),
        std::io::stdout,
        color_out,
    );
    let err = relay(
        child.stderr.take().expect("piped"),
        std::io::stderr,
        color_err,
    );
    let status = child.wait().context("waiting for the dev server")?;
    platform::set_child(None);
    let _ = out.join();
    let _ = err.join();
    Ok(status)
}

/// On a terminal: the dev server gets a pseudo-terminal of its own, so it behaves as when run
/// directly (colours, key shortcuts), lunora's terminal is raw while it runs (every key goes to
/// it) and restored afterwards, and resizes are forwarded.
#[cfg(unix)]
fn run_on_pty(mut cmd: std::process::Command, server: &Invocation) -> Result<ExitStatus> {
    let pty = platform::Pty::open().context("opening a pseudo-terminal for the dev server")?;
    let master = Arc::new(pty.command(&mut cmd)?);
    let raw = platform::RawMode::enable();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            drop(raw);
            return Err(anyhow::Error::new(e).context(format!("starting `{}`", server.display())));
        }
    };
    // Closes lunora's copies of the slave end, so the pty ends when the dev server does.
    drop(cmd);
    platform::set_child_on_own_terminal(child.id());
    let exited = Arc::new(AtomicBool::new(false));
    let color = color_allowed();
    let output = platform::relay(master.clone(), exited.clone(), color);
    let input = platform::forward_input(master.clone(), exited.clone());
    let status = child.wait();
    platform::set_child(None);
    exited.store(true, Ordering::SeqCst);
    let _ = output.join();
    let _ = input.join();
    drop(raw);
    status.context("waiting for the dev server")
}

/// `vite dev` for a project with a Vite config, `wrangler dev` otherwise; `extra` goes last.
fn dev_server(project: &Project, options: &PlanOptions, extra: &[String]) -> Invocation {
    let vite = VITE_CONFIGS.iter().any(|f| project.is_file(f));
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
    color: bool,
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
            let rendered = std::str::from_utf8(&line)
                .ok()
                .and_then(|l| lifecycle::render(l, color));
            let mut w = sink();
            let _ = match rendered {
                Some(text) => writeln!(w, "{text}"),
                None => w.write_all(&line),
            };
            let _ = w.flush();
        }
    })
}
