//! `lunora codegen --watch` and the watcher inside `lunora dev`: regenerate whenever an input
//! (`lunora/containers.ts`, the wrangler config, the worker entry) changes on disk.
//!
//! Contract: every save that changes an input's bytes produces exactly one codegen run once the
//! burst of events settles, and a line saying how it ended, stamped with the local time
//! (`[HH:MM:SS]`). A save with errors prints its
//! diagnostics, writes nothing and keeps watching. lunora's own writes (generated files, the
//! reconciled wrangler config) do not trigger a run: runs are keyed on the inputs' contents.

use crate::commands::codegen;
use crate::output::{local_time, Reporter};
use crate::pipeline::PlanOptions;
use crate::project::{self, Project, CONTAINERS_TS};
use anyhow::{Context, Result};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long a burst of events must be quiet before a run starts. Editors save by writing a
/// temp file and renaming it within a millisecond or two; this covers that without a noticeable
/// delay. (At 50 ms, waiting was most of save-to-written: 67 ms for one container, 114 ms for
/// 1,000; at 20 ms, 32 ms and 71 ms.)
const DEBOUNCE: Duration = Duration::from_millis(20);
/// How often the stop condition is checked while idle.
const POLL: Duration = Duration::from_millis(100);

/// The bytes of every input a codegen run reads. Equal snapshots mean equal outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs(Vec<(String, Option<String>)>);

impl Inputs {
    pub fn read(project: &Project) -> Inputs {
        let mut files = vec![(
            CONTAINERS_TS.to_string(),
            project.read(CONTAINERS_TS).ok().flatten(),
        )];
        // The settings change what a run reports (lint levels, account limits).
        for rel in lunora_project::settings::SETTINGS_FILES {
            files.push((rel.to_string(), project.read(rel).ok().flatten()));
        }
        // In wrangler's order, like `Project::wrangler_file`.
        for rel in project::WRANGLER_CONFIGS {
            let text = project.read(rel).ok().flatten();
            let config = text
                .as_deref()
                .and_then(|t| lunora_wrangler_config::WranglerConfig::parse(rel, t).ok());
            if let Some(main) = config.as_ref().and_then(|c| c.main()) {
                let entry = project::normalize(std::path::Path::new(main))
                    .to_string_lossy()
                    .replace('\\', "/");
                let entry_text = project.read(&entry).ok().flatten();
                files.push((rel.to_string(), text));
                files.push((entry, entry_text));
                break;
            }
            files.push((rel.to_string(), text));
        }
        Inputs(files)
    }

    /// The inputs a finished run leaves generated: those it read (`used`, read before it
    /// started), except that a file the run wrote itself (the reconciled wrangler config) counts
    /// with the contents it wrote. So lunora's own write does not start another run, while a
    /// save made during the run differs from this snapshot and does.
    pub fn after_run(mut self, written: &[(String, Option<String>)]) -> Inputs {
        for (rel, text) in &mut self.0 {
            if let Some((_, new)) = written.iter().find(|(w, _)| w == rel) {
                *text = new.clone();
            }
        }
        self
    }

    /// Directories (absolute) whose direct children are inputs.
    fn dirs(&self, project: &Project) -> BTreeSet<PathBuf> {
        let mut dirs = BTreeSet::new();
        dirs.insert(project.root.clone());
        for (rel, _) in &self.0 {
            if let Some(parent) = project.path(rel).parent() {
                dirs.insert(parent.to_path_buf());
            }
        }
        dirs
    }
}

/// `lunora codegen --watch`: one run now, then one per change, until Ctrl-C / SIGTERM (exit 0).
pub fn run(project: &Project, options: &PlanOptions, reporter: &Reporter) -> Result<i32> {
    crate::platform::install();
    let started = Instant::now();
    let used = Inputs::read(project);
    let outcome = codegen::run_once(project, options, false, reporter)?;
    reporter.note(&format!(
        "[{}] lunora: generated in {} ms",
        local_time(),
        started.elapsed().as_millis()
    ));
    let inputs = used.after_run(&written(&outcome));
    watch(project, options, reporter, inputs, &|| {
        crate::platform::received().is_some()
    })?;
    Ok(0)
}

/// Watches the inputs, starting from the state `last` (already generated: read before the run
/// that generated it), until `stop` returns true. Inputs that differ from `last` once the
/// watches are set up start a run at once. Returns early only if the watcher cannot be set up.
pub fn watch(
    project: &Project,
    options: &PlanOptions,
    reporter: &Reporter,
    last: Inputs,
    stop: &dyn Fn() -> bool,
) -> Result<()> {
    watch_reporting(project, options, reporter, last, stop, &|_| {})
}

/// [`watch`], calling `on_run` after each codegen run a save started, with its outcome (`None`
/// when the run failed before producing one).
pub fn watch_reporting(
    project: &Project,
    options: &PlanOptions,
    reporter: &Reporter,
    mut last: Inputs,
    stop: &dyn Fn() -> bool,
    on_run: &dyn Fn(Option<&codegen::Outcome>),
) -> Result<()> {
    let root = project
        .root
        .canonicalize()
        .with_context(|| format!("resolving {}", project.root.display()))?;
    let project = crate::project::on_disk(root);
    let (tx, rx) = channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).context("starting the file watcher")?;
    let mut watched: BTreeSet<PathBuf> = BTreeSet::new();
    let mut sync_watches = |inputs: &Inputs, watched: &mut BTreeSet<PathBuf>| {
        for dir in inputs.dirs(&project) {
            if !watched.contains(&dir)
                && dir.is_dir()
                && debouncer.watch(&dir, RecursiveMode::NonRecursive).is_ok()
            {
                watched.insert(dir);
            }
        }
        // Also the lunora/ directory before it exists: its creation shows up in the root.
        watched.retain(|d| d.is_dir());
    };
    sync_watches(&last, &mut watched);
    reporter.note(&format!(
        "lunora: watching {CONTAINERS_TS} for changes (Ctrl-C to stop)"
    ));

    // A save made after `last` was read and before the watches above existed sent no event:
    // compare with the disk once now.
    let mut check_now = true;
    loop {
        if stop() {
            return Ok(());
        }
        if !std::mem::take(&mut check_now) {
            let first = match rx.recv_timeout(POLL) {
                Ok(batch) => batch,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the file watcher stopped"),
            };
            // One burst can arrive as several batches: take everything that is already queued.
            let mut relevant = is_relevant(&first, reporter);
            while let Ok(more) = rx.recv_timeout(DEBOUNCE / 4) {
                relevant |= is_relevant(&more, reporter);
            }
            if !relevant {
                continue;
            }
        }
        sync_watches(&last, &mut watched);
        let now = Inputs::read(&project);
        sync_watches(&now, &mut watched);
        if now == last {
            continue;
        }
        // What this run generates from is `now`, not what is on disk when it ends: a save made
        // while it runs must start another run.
        drop(last);
        let started = Instant::now();
        let outcome = codegen::run_once(&project, options, false, reporter);
        last = match &outcome {
            Ok(o) => now.after_run(&written(o)),
            Err(_) => now,
        };
        on_run(outcome.as_ref().ok());
        match outcome {
            Ok(o) if o.code == 0 => {
                reporter.note(&format!(
                    "[{}] lunora: regenerated in {} ms",
                    local_time(),
                    started.elapsed().as_millis()
                ));
            }
            Ok(_) => reporter.note(&format!(
                "[{}] lunora: not regenerated; waiting for the next save of {CONTAINERS_TS}",
                local_time()
            )),
            Err(e) => reporter.note(&format!(
                "[{}] lunora: regeneration failed: {e:#}; waiting for the next save",
                local_time()
            )),
        }
    }
}

/// The files a run wrote, with what it wrote (`None`: deleted). A run with errors writes nothing.
pub fn written(outcome: &codegen::Outcome) -> Vec<(String, Option<String>)> {
    if outcome.code != 0 {
        return Vec::new();
    }
    outcome
        .plan
        .files
        .iter()
        .filter(|f| f.is_change())
        .map(|f| (f.rel.clone(), f.new.clone()))
        .collect()
}

/// Whether a batch has anything but reads. Reading a file (we do, on every run) produces
/// `Access` events; reacting to them would loop.
fn is_relevant(batch: &DebounceEventResult, reporter: &Reporter) -> bool {
    match batch {
        Ok(events) => events
            .iter()
            .any(|e| !matches!(e.event.kind, EventKind::Access(_))),
        Err(errors) => {
            for e in errors {
                reporter.note(&format!("lunora: file watcher: {e}"));
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(files: &[(&str, &str)]) -> Inputs {
        Inputs(
            files
                .iter()
                .map(|(r, t)| (r.to_string(), Some(t.to_string())))
                .collect(),
        )
    }

    #[test]
    fn a_save_during_a_run_was_taken_as_already_generated() {
        // The run read v1 of containers.ts; v2 was saved before it finished.
        let used = inputs(&[(CONTAINERS_TS, "v1"), ("wrangler.jsonc", "{}")]);
        let last = used.after_run(&[]);
        let on_disk = inputs(&[(CONTAINERS_TS, "v2"), ("wrangler.jsonc", "{}")]);
        assert_ne!(
            on_disk, last,
            "the save during the run must start another run"
        );
    }

    #[test]
    fn lunoras_own_wrangler_write_does_not_start_a_run() {
        let used = inputs(&[(CONTAINERS_TS, "v1"), ("wrangler.jsonc", "{}")]);
        let written = [
            (
                "wrangler.jsonc".to_string(),
                Some("{reconciled}".to_string()),
            ),
            (
                "lunora/_generated/containers.ts".to_string(),
                Some("x".to_string()),
            ),
        ];
        let last = used.after_run(&written);
        let on_disk = inputs(&[(CONTAINERS_TS, "v1"), ("wrangler.jsonc", "{reconciled}")]);
        assert_eq!(on_disk, last);
        // But a hand edit of the config saved over lunora's write during the run is a change.
        let edited = inputs(&[(CONTAINERS_TS, "v1"), ("wrangler.jsonc", "{edited}")]);
        assert_ne!(edited, last);
    }
}
