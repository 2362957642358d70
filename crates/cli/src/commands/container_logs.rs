//! `lunora containers logs NAME [--follow]`: what the local instances of one container printed,
//! tagged as `lunora dev` shows it (see `container_logs`), read from the local Docker engine.
//!
//! Contract: NAME is a `defineContainer` export of lunora/containers.ts (else exit 1, naming the
//! ones there are). Without `--follow`: every local instance's output so far (running or stopped
//! instances the engine still has), exit 0; exit 1 when there is none. With `--follow`: the
//! output so far, then new lines of running instances and of instances that start later, until
//! Ctrl-C (exit 0). No engine: exit 1 with how to reach one.

use crate::container_logs::{self, list, Stream};
use crate::output::{escape_control, Reporter};
use crate::pipeline::{self, PlanOptions};
use crate::project::{Project, CONTAINERS_TS};
use anyhow::Result;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub fn run(project: &Project, name: &str, follow: bool, reporter: &Reporter) -> Result<i32> {
    let plan = pipeline::plan(project, &PlanOptions::default());
    let Some(spec) = plan.containers.iter().find(|c| c.export_name == name) else {
        if plan.has_errors() {
            reporter.diagnostics(&plan.diagnostics, &plan.sources);
        }
        let known: Vec<String> = plan
            .containers
            .iter()
            .map(|c| format!("`{}`", escape_control(&c.export_name)))
            .collect();
        reporter.error(
            "lunora/unknown-container",
            &format!(
                "no container `{name}` in {CONTAINERS_TS}{}",
                if known.is_empty() {
                    String::new()
                } else {
                    format!(" (it defines {})", known.join(", "))
                }
            ),
            None,
        );
        return Ok(1);
    };
    let mut target = container_logs::project_of(
        &plan,
        project
            .wrangler_file()
            .ok()
            .flatten()
            .as_ref()
            .map(|w| w.text.as_str()),
    );
    target.classes.retain(|class, _| *class == spec.class_name);

    let instances = match list(&target, !follow) {
        Ok(found) => found,
        Err(e) => {
            reporter.error(
                "lunora/no-docker-engine",
                &format!(
                    "could not ask the local Docker engine for `{name}`'s instances: {e}; start \
                     Docker (or point DOCKER_HOST, or WRANGLER_DOCKER_BIN, at a running engine) \
                     and try again"
                ),
                None,
            );
            return Ok(1);
        }
    };
    let stream = Stream::new(std::io::stdout);
    if !follow {
        if instances.is_empty() {
            reporter.error(
                "lunora/no-local-instance",
                &format!(
                    "no local instance of `{name}`: instances exist while `lunora dev` runs them \
                     (`lunora containers logs {name} --follow` waits for one)"
                ),
                None,
            );
            return Ok(1);
        }
        for instance in &instances {
            stream.show(instance, false);
        }
        stream.finish();
        return Ok(0);
    }
    if instances.is_empty() {
        reporter.note(&format!(
            "lunora: no instance of `{}` runs yet; waiting for one (Ctrl-C to stop)",
            escape_control(name)
        ));
    }
    crate::platform::install();
    let stop = Arc::new(AtomicBool::new(false));
    let follower = stream.follow_all(Arc::new(Mutex::new(target)), 0, stop.clone());
    while crate::platform::received().is_none() {
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    drop(follower);
    Ok(0)
}
