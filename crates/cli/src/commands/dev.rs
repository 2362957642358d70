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
use std::io::{IsTerminal, Read, Write};
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

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
    // Read before the run: a save made while it runs, or before the watcher starts, is then a
    // change to the watcher (see `watch::watch`).
    let used = watch::Inputs::read(project);
    let outcome = codegen::run_once(project, options, false, reporter)?;
    if outcome.code != 0 {
        return Ok(outcome.code);
    }
    let generated = used.after_run(&watch::written(&outcome));
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
    let wrangler = project.wrangler_file().ok().flatten();
    let target: container_logs::Target = Arc::new(Mutex::new(container_logs::project_of(
        &outcome.plan,
        wrangler.as_ref().map(|w| w.text.as_str()),
    )));
    let containers_off = containers_disabled(outcome.plan.config.as_ref(), extra);
    start_watcher(
        project,
        options,
        reporter,
        generated,
        (!containers_off).then(|| image_sources(&outcome.plan)),
        stopped.clone(),
        saves.clone(),
        target.clone(),
    );
    let logs =
        (container_logs && !containers_off).then(|| start_container_logs(target, stopped.clone()));
    let code = dev_session::supervise(&saves, reporter, &platform::received, || {
        let cmd = match first.take() {
            Some(cmd) => cmd,
            None => command()?,
        };
        let note = |text: &str| reporter.note(text);
        let restart = || saves.restart_requested();
        #[cfg(unix)]
        let status = if on_terminal {
            run_on_pty(cmd, &server, &note, &restart)
        } else {
            run_piped(cmd, &server, &note, &restart)
        };
        #[cfg(not(unix))]
        let status = {
            let _ = on_terminal;
            run_piped(cmd, &server, &note, &restart)
        };
        status
    });
    stopped.store(true, Ordering::SeqCst);
    drop(logs);
    code
}

/// Streams the output of the `target`'s running containers (see `container_logs`) until
/// `stopped`.
fn start_container_logs(
    target: container_logs::Target,
    stopped: Arc<AtomicBool>,
) -> container_logs::Stream {
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

/// Regenerates on every change from `inputs` (what the first run generated from) while the dev
/// server runs, until `stopped`. Each successful run updates `target`, so containers a save adds
/// have their output shown. With `images` (the first run's [`image_sources`]; `None` when
/// containers are off), a run that adds a container or changes what an image is built from
/// (`image`, `buildArgs`) asks for the dev server to be restarted, as wrangler builds container
/// images only when it starts.
#[allow(clippy::too_many_arguments)]
fn start_watcher(
    project: &Project,
    options: &PlanOptions,
    reporter: &Reporter,
    inputs: watch::Inputs,
    images: Option<std::collections::BTreeMap<String, String>>,
    stopped: Arc<AtomicBool>,
    saves: Arc<dev_session::Saves>,
    target: container_logs::Target,
) {
    let project = crate::project::on_disk(project.root.clone());
    let options = options.clone();
    let reporter = reporter.clone();
    let images = images.map(Mutex::new);
    std::thread::spawn(move || {
        let stop = || stopped.load(Ordering::SeqCst);
        let on_run = |outcome: Option<&codegen::Outcome>| {
            let ok = outcome.filter(|o| o.code == 0);
            if let Some(o) = ok {
                let wrangler = project.wrangler_file().ok().flatten();
                *target.lock().unwrap_or_else(|e| e.into_inner()) =
                    container_logs::project_of(&o.plan, wrangler.as_ref().map(|w| w.text.as_str()));
                if let Some(images) = &images {
                    let now = image_sources(&o.plan);
                    let before = std::mem::replace(
                        &mut *images.lock().unwrap_or_else(|e| e.into_inner()),
                        now.clone(),
                    );
                    let why = image_changes(&before, &now);
                    if !why.is_empty() {
                        reporter.note(&format!(
                            "[{}] lunora: restarting the dev server: {}, and container images \
                             are built only when it starts",
                            crate::output::local_time(),
                            why.join(", ")
                        ));
                        saves.request_restart();
                    }
                }
            }
            saves.record(ok.is_some());
        };
        if let Err(e) =
            watch::watch_reporting(&project, &options, &reporter, inputs, &stop, &on_run)
        {
            reporter.note(&format!("lunora: not watching for changes: {e:#}"));
        }
    });
}

/// Why `now` needs images `before` did not have: a container added, or one whose image source
/// or build args changed.
fn image_changes(
    before: &std::collections::BTreeMap<String, String>,
    now: &std::collections::BTreeMap<String, String>,
) -> Vec<String> {
    now.iter()
        .filter_map(|(export, source)| match before.get(export) {
            None => Some(format!("`{}` was added", escape_control(export))),
            Some(old) if old != source => {
                Some(format!("`{}`'s image changed", escape_control(export)))
            }
            Some(_) => None,
        })
        .collect()
}

/// What each container's image is built from, by export name: its source and build args.
fn image_sources(plan: &crate::pipeline::Plan) -> std::collections::BTreeMap<String, String> {
    plan.containers
        .iter()
        .map(|c| {
            (
                c.export_name.clone(),
                format!("{:?} {:?}", c.image, c.build_args),
            )
        })
        .collect()
}

/// Off a terminal (CI, pipes): stdout and stderr piped with each line bounded (see [`relay`]) and
/// lifecycle lines rendered, each to where it came from. On Unix the dev server runs in a process
/// group of its own (see `platform`), so stdin is inherited only when it is not a terminal: a
/// background group reading the terminal would be stopped.
fn run_piped(
    mut cmd: std::process::Command,
    server: &Invocation,
    note: &dyn Fn(&str),
    restart: &dyn Fn() -> bool,
) -> Result<ExitStatus> {
    #[cfg(unix)]
    let stdin = if std::io::stdin().is_terminal() {
        Stdio::null()
    } else {
        Stdio::inherit()
    };
    #[cfg(not(unix))]
    let stdin = Stdio::inherit();
    platform::own_group(&mut cmd);
    let mut child = cmd
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting `{}`", server.display()))?;
    let guard = platform::Guard::watch(child.id()).ok();
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
    let status =
        platform::wait_stopping(&mut child, note, restart).context("waiting for the dev server");
    platform::set_child(None);
    if let Some(guard) = guard {
        guard.release();
    }
    let _ = out.join();
    let _ = err.join();
    status
}

/// On a terminal: the dev server gets a pseudo-terminal of its own, so it behaves as when run
/// directly (colours, key shortcuts), lunora's terminal is raw while it runs (every key goes to
/// it) and restored afterwards, and resizes are forwarded.
#[cfg(unix)]
fn run_on_pty(
    mut cmd: std::process::Command,
    server: &Invocation,
    note: &dyn Fn(&str),
    restart: &dyn Fn() -> bool,
) -> Result<ExitStatus> {
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
    let guard = platform::Guard::watch(child.id()).ok();
    platform::set_child(Some(child.id()));
    let exited = Arc::new(AtomicBool::new(false));
    let color = color_allowed();
    let output = platform::relay(master.clone(), exited.clone(), color);
    let input = platform::forward_input(master.clone(), exited.clone());
    let status = platform::wait_stopping(&mut child, note, restart);
    platform::set_child(None);
    if let Some(guard) = guard {
        guard.release();
    }
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

/// The longest line [`relay`] holds: longer ones are passed on in pieces of at most this many
/// bytes, each ending in [`CUT_MARK`].
const LINE_CAP: usize = 64 * 1024;
/// Ends a piece of a line longer than [`LINE_CAP`]; the line goes on after it.
const CUT_MARK: &str = " [lunora: line over 64 KiB, continued on the next line]\n";

/// Copies `stream` line by line to `sink`, rendering lifecycle lines; other bytes pass unchanged,
/// except that a line longer than [`LINE_CAP`] is cut (never inside a UTF-8 character) and marked,
/// so memory stays bounded whatever the dev server writes.
fn relay<W: Write + 'static>(
    stream: impl Read + Send + 'static,
    sink: fn() -> W,
    color: bool,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut lines = LineCutter::default();
        let mut stream = stream;
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            let n = match stream.read(&mut chunk) {
                Ok(0) => 0,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => 0,
            };
            let mut w = sink();
            let mut emit = |piece: Piece<'_>| {
                let _ = match piece {
                    Piece::Line(line) => match std::str::from_utf8(line)
                        .ok()
                        .and_then(|l| lifecycle::render(l, color))
                    {
                        Some(text) => writeln!(w, "{text}"),
                        None => w.write_all(line),
                    },
                    Piece::Cut(part) => w.write_all(part).and(w.write_all(CUT_MARK.as_bytes())),
                };
            };
            if n == 0 {
                lines.finish(&mut emit);
                let _ = w.flush();
                return;
            }
            lines.feed(&chunk[..n], &mut emit);
            let _ = w.flush();
        }
    })
}

/// What [`LineCutter`] passes on.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    /// A whole line (with its `\n`, except a last line without one).
    Line(&'a [u8]),
    /// The first [`LINE_CAP`] bytes or fewer of a longer line, ending on a character boundary.
    Cut(&'a [u8]),
}

/// Splits a byte stream into lines, holding at most [`LINE_CAP`] bytes of an unfinished one.
#[derive(Default)]
struct LineCutter {
    held: Vec<u8>,
}

impl LineCutter {
    fn feed(&mut self, mut bytes: &[u8], emit: &mut dyn FnMut(Piece<'_>)) {
        while let Some(end) = bytes.iter().position(|&b| b == b'\n') {
            let (line, rest) = bytes.split_at(end + 1);
            self.held.extend_from_slice(line);
            // A whole line may be the cap and its newline.
            self.cut(LINE_CAP + 1, emit);
            emit(Piece::Line(&self.held));
            self.held.clear();
            bytes = rest;
        }
        self.held.extend_from_slice(bytes);
        self.cut(LINE_CAP, emit);
    }

    /// Passes on pieces of the held line while it is longer than `limit`.
    fn cut(&mut self, limit: usize, emit: &mut dyn FnMut(Piece<'_>)) {
        while self.held.len() > limit {
            let mut at = LINE_CAP;
            // Back off to the start of a UTF-8 character (at most 3 continuation bytes).
            while at > LINE_CAP - 3 && (self.held[at] & 0b1100_0000) == 0b1000_0000 {
                at -= 1;
            }
            if (self.held[at] & 0b1100_0000) == 0b1000_0000 {
                at = LINE_CAP; // not UTF-8 here: cut where the cap is
            }
            emit(Piece::Cut(&self.held[..at]));
            self.held.drain(..at);
        }
    }

    /// Passes on a last line without a newline.
    fn finish(&mut self, emit: &mut dyn FnMut(Piece<'_>)) {
        if !self.held.is_empty() {
            emit(Piece::Line(&self.held));
            self.held.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(input: &[&[u8]]) -> Vec<(bool, Vec<u8>)> {
        let mut cutter = LineCutter::default();
        let mut out = Vec::new();
        let mut emit = |p: Piece<'_>| {
            out.push(match p {
                Piece::Line(l) => (false, l.to_vec()),
                Piece::Cut(c) => (true, c.to_vec()),
            })
        };
        for chunk in input {
            cutter.feed(chunk, &mut emit);
        }
        cutter.finish(&mut emit);
        out
    }

    #[test]
    fn an_added_container_or_a_changed_image_needs_new_images_a_removed_one_does_not() {
        let map = |entries: &[(&str, &str)]| -> std::collections::BTreeMap<String, String> {
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let before = map(&[("a", "Local ./a"), ("b", "Local ./b"), ("gone", "x")]);
        let now = map(&[
            ("a", "Local ./a"),
            ("b", "Local ./b2"),
            ("new", "Local ./n"),
        ]);
        assert_eq!(
            image_changes(&before, &now),
            ["`b`'s image changed", "`new` was added"]
        );
        assert!(image_changes(&now, &now).is_empty());
    }

    #[test]
    fn lines_split_across_chunks_come_out_whole() {
        let out = pieces(&[b"ab", b"c\nde\n\nf", b"g"]);
        let lines: Vec<&[u8]> = out.iter().map(|(_, l)| l.as_slice()).collect();
        assert_eq!(lines, [&b"abc\n"[..], b"de\n", b"\n", b"fg"]);
        assert!(out.iter().all(|(cut, _)| !cut));
    }

    #[test]
    fn a_line_without_newline_is_cut_at_the_cap_never_inside_a_character() {
        // 3-byte characters: the cap (65,536) falls inside one.
        let line = "€".repeat(100_000);
        let mut input: Vec<&[u8]> = line.as_bytes().chunks(7_001).collect();
        input.push(b"\n");
        let out = pieces(&input);
        let mut whole = Vec::new();
        for (cut, piece) in &out {
            assert!(piece.len() <= LINE_CAP, "{}", piece.len());
            assert!(
                std::str::from_utf8(piece).is_ok(),
                "a piece splits a character"
            );
            whole.extend_from_slice(piece);
            let _ = cut;
        }
        assert_eq!(out.iter().filter(|(cut, _)| *cut).count(), 4);
        assert!(
            !out.last().unwrap().0,
            "the end of the line comes as a line"
        );
        assert_eq!(whole, format!("{line}\n").into_bytes());
    }

    #[test]
    fn a_line_ending_in_a_later_chunk_is_cut_too() {
        let start = vec![b'a'; LINE_CAP - 10];
        let end = [vec![b'b'; 100], b"\n".to_vec()].concat();
        let out = pieces(&[&start, &end]);
        assert_eq!(
            out.len(),
            2,
            "{:?}",
            out.iter().map(|(c, p)| (c, p.len())).collect::<Vec<_>>()
        );
        assert!(out[0].0 && out[0].1.len() == LINE_CAP);
        assert_eq!(out[1], (false, [vec![b'b'; 90], b"\n".to_vec()].concat()));
        // The cap and a newline: one line, no cut.
        let exact = [vec![b'c'; LINE_CAP], b"\n".to_vec()].concat();
        assert_eq!(pieces(&[&exact]), [(false, exact.clone())]);
    }

    #[test]
    fn any_chunking_of_any_text_passes_every_byte_in_bounded_whole_character_pieces() {
        // A small deterministic generator: lines of 0 to 3 caps of mixed 1- to 4-byte
        // characters, read in chunks of 1 byte to 3 caps.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        for _ in 0..40 {
            let mut text = String::new();
            for _ in 0..next(4) {
                let end = text.len() + next(LINE_CAP * 3);
                while text.len() < end {
                    text.push(['a', 'é', '€', '𝄞'][next(4)]);
                }
                text.push('\n');
            }
            for _ in 0..next(LINE_CAP) {
                text.push('€');
            }
            let bytes = text.as_bytes();
            let mut chunks = Vec::new();
            let mut at = 0;
            while at < bytes.len() {
                let end = (at + 1 + next(LINE_CAP * 3)).min(bytes.len());
                chunks.push(&bytes[at..end]);
                at = end;
            }
            let out = pieces(&chunks);
            let mut whole = Vec::new();
            for (cut, piece) in &out {
                assert!(piece.len() <= LINE_CAP + 1, "{}", piece.len());
                assert!(
                    std::str::from_utf8(piece).is_ok(),
                    "a piece splits a character"
                );
                if *cut {
                    assert!(!piece.contains(&b'\n'));
                }
                whole.extend_from_slice(piece);
            }
            assert_eq!(whole, bytes);
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_cut_at_the_cap() {
        let line = vec![0x80u8; LINE_CAP * 2 + 5];
        let out = pieces(&[&line]);
        let sizes: Vec<usize> = out.iter().map(|(_, p)| p.len()).collect();
        assert_eq!(sizes, [LINE_CAP, LINE_CAP, 5]);
    }
}
