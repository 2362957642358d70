//! The checks of `lunora doctor` (and the ones `dev` and `deploy` run first): every prerequisite,
//! each failure with its fix. The decisions are here; what only the machine can tell (where a
//! program is, what it prints, whether a Docker engine answers, the environment) comes in
//! through [`Probes`], which the CLI implements, and files are read through the project's `Fs`.
//!
//! Checks, in order: `lunora/containers.ts` is valid; Node (and the range wrangler's
//! `engines.node` asks for); wrangler (found in `node_modules/.bin`, then on `PATH`, with its
//! version); a Docker engine (only when an image is built from a Dockerfile); `railpack` and
//! `BUILDKIT_HOST` (only when a `{ build }` image is declared); a Cloudflare login when
//! `wrangler dev` needs one for a registry image (doctor and dev); `@lunora/container` and
//! `@cloudflare/containers` installed at versions that work together (the runtime's
//! peerDependency range); the worker entry re-exports every container class; the wrangler
//! config, with its `compatibility_date`.

mod packages;
mod registry_login;
pub mod semver;

/// The id of every check: a failure's code is `doctor/<id>`.
pub mod ids {
    pub const BUILDKIT: &str = "buildkit";
    pub const CONTAINERS: &str = "containers";
    pub const DOCKER: &str = "docker";
    pub const NODE: &str = "node";
    pub const PACKAGE_JSON: &str = "package-json";
    pub const PACKAGES: &str = "packages";
    pub const RAILPACK: &str = "railpack";
    pub const REGISTRY_LOGIN: &str = "registry-login";
    pub const REEXPORT: &str = "reexport";
    pub const SETTINGS: &str = "settings";
    pub const WRANGLER: &str = "wrangler";
    pub const WRANGLER_CONFIG: &str = "wrangler-config";
}

use crate::plan::Plan;
use crate::project::{Project, CONTAINERS_TS};
use crate::settings::SETTINGS_FILES;
use crate::text::name_list;
use lunora_diagnostic::{printable as escape_control, Diagnostic, Severity};
use lunora_parser::ImageSource;
use packages::{package_json_check, package_of_program, packages_check};
use std::path::{Path, PathBuf};

/// A program the checks look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    Wrangler,
    Node,
    Railpack,
}

/// What only the machine can tell, asked by the checks.
pub trait Probes {
    /// Where `program` is, as the CLI would run it (the project's `node_modules/.bin`, then
    /// `PATH`).
    fn locate(&self, program: Program) -> Option<PathBuf>;
    /// The standard output of `program args` run in the project, when it succeeds.
    fn output(&self, program: &Path, args: &[&str]) -> Option<String>;
    /// Whether a Docker engine answers `docker info`: `Ok` with the command as shown to the
    /// user (`docker`, or `WRANGLER_DOCKER_BIN`), `Err` with the reason and, after `": start "`,
    /// how to start one.
    fn docker(&self) -> Result<String, String>;
    /// An environment variable, when set and not empty.
    fn env(&self, name: &str) -> Option<String>;
}

/// How one check ended.
#[derive(Debug, Clone)]
pub enum Status {
    Ok(String),
    Failed {
        message: String,
        help: String,
    },
    /// Not needed for this project (the reason).
    NotNeeded(String),
}

/// One prerequisite.
#[derive(Debug, Clone)]
pub struct Check {
    /// Stable id; failures carry the code `doctor/<id>`.
    pub id: &'static str,
    pub status: Status,
}

impl Check {
    fn ok(id: &'static str, text: impl Into<String>) -> Check {
        Check {
            id,
            status: Status::Ok(text.into()),
        }
    }
    fn failed(id: &'static str, message: impl Into<String>, help: impl Into<String>) -> Check {
        Check {
            id,
            status: Status::Failed {
                message: message.into(),
                help: help.into(),
            },
        }
    }
    fn not_needed(id: &'static str, why: impl Into<String>) -> Check {
        Check {
            id,
            status: Status::NotNeeded(why.into()),
        }
    }

    pub fn is_failure(&self) -> bool {
        matches!(self.status, Status::Failed { .. })
    }

    /// The failure as a diagnostic of `severity` (`None` when the check did not fail).
    pub fn diagnostic(&self, severity: Severity) -> Option<Diagnostic> {
        match &self.status {
            Status::Failed { message, help } => Some(
                Diagnostic::new(severity, format!("doctor/{}", self.id), message.clone())
                    .with_help(help.clone()),
            ),
            _ => None,
        }
    }
}

/// Which command the checks are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Doctor,
    /// `lunora dev`; `containers` is false when the user turned local containers off.
    Dev {
        containers: bool,
        vite: bool,
    },
    Deploy,
}

/// Runs the checks that apply to `purpose` for a project whose plan is `plan` (a plan with
/// errors yields only the `containers` check: nothing about its containers can be concluded).
pub fn checks(project: &Project, plan: &Plan, purpose: Purpose, probes: &dyn Probes) -> Vec<Check> {
    let mut out = Vec::new();
    if plan.has_errors() {
        // An error in the wrangler config is the config's, and one in the settings file the
        // settings', not the containers'.
        let file_of = |d: &Diagnostic| d.primary_label().map(|l| l.file.clone());
        let mut config_errors = Vec::new();
        let mut settings_errors = Vec::new();
        // File → its error count, in the order first met.
        let mut others: Vec<(String, usize)> = Vec::new();
        for d in plan.diagnostics.iter().filter(|d| d.is_error()) {
            let file = file_of(d);
            if file.is_some() && file == plan.wrangler_file {
                config_errors.push(d);
            } else if file.as_deref().is_some_and(|f| SETTINGS_FILES.contains(&f)) {
                settings_errors.push(d);
            } else {
                let file = file.unwrap_or_else(|| CONTAINERS_TS.to_string());
                match others.iter_mut().find(|(f, _)| *f == file) {
                    Some((_, n)) => *n += 1,
                    None => others.push((file, 1)),
                }
            }
        }
        for (file, n) in others {
            out.push(Check::failed(
                ids::CONTAINERS,
                format!("{file} has {n} error{}", if n == 1 { "" } else { "s" }),
                "run `lunora codegen` to see them at file, line and column",
            ));
        }
        if let Some(first) = settings_errors.first() {
            out.push(located_error_check(ids::SETTINGS, first, &plan.sources));
        }
        if let Some(first) = config_errors.first() {
            out.push(located_error_check(
                ids::WRANGLER_CONFIG,
                first,
                &plan.sources,
            ));
        }
        return out;
    }
    if purpose == Purpose::Doctor {
        out.push(Check::ok(
            ids::CONTAINERS,
            format!("lunora/containers.ts: {}", plan.describe_containers()),
        ));
    }
    let (node_range, wrangler) = wrangler_check(project, purpose, probes);
    out.push(node_check(probes, node_range.as_deref()));
    out.push(wrangler);

    let dockerfile = plan
        .containers
        .iter()
        .any(|c| matches!(c.image, ImageSource::Local { .. }));
    let railpack: Vec<&str> = plan
        .containers
        .iter()
        .filter(|c| matches!(c.image, ImageSource::Build { .. }))
        .map(|c| c.export_name.as_str())
        .collect();
    match purpose {
        Purpose::Dev { containers, vite } => {
            let local = dockerfile || !railpack.is_empty();
            if containers && local {
                out.push(docker_check(probes, Some(vite)));
            }
        }
        _ => {
            if dockerfile {
                out.push(docker_check(probes, None));
            } else if purpose == Purpose::Doctor {
                out.push(Check::not_needed(
                    ids::DOCKER,
                    "no container is built from a Dockerfile",
                ));
            }
            if railpack.is_empty() {
                if purpose == Purpose::Doctor {
                    out.push(Check::not_needed(
                        ids::RAILPACK,
                        "no `{ build }` image is declared",
                    ));
                }
            } else {
                out.push(railpack_check(probes, &railpack));
                out.push(buildkit_check(probes));
            }
        }
    }
    // wrangler dev resolves registry images against the account whether or not containers run.
    if purpose != Purpose::Deploy {
        match registry_login::registry_login_check(project, plan, probes) {
            Some(check) => out.push(check),
            None if purpose == Purpose::Doctor => out.push(Check::not_needed(
                ids::REGISTRY_LOGIN,
                "no registry image is declared",
            )),
            None => {}
        }
    }
    // Reported only when it fails: a package.json npm cannot read stops `npm install`.
    out.extend(package_json_check(project));
    if plan.containers.is_empty() {
        if purpose == Purpose::Doctor {
            out.push(Check::not_needed(
                ids::PACKAGES,
                "no containers are declared",
            ));
            out.push(Check::not_needed(
                ids::REEXPORT,
                "no containers are declared",
            ));
        }
    } else {
        out.push(packages_check(project));
        if purpose != Purpose::Deploy {
            // deploy reports a missing re-export as its own error, located at the worker entry.
            out.push(reexport_check(plan));
        }
    }
    if purpose == Purpose::Doctor {
        // What the run judged with, when the project states it (a broken file is an error of the
        // plan, reported above).
        out.extend(crate::settings::describe(project).map(|text| Check::ok(ids::SETTINGS, text)));
    }
    out.push(config_check(project, plan));
    out
}

/// The first `N.N.N…` in `text` (`⛅️ wrangler 4.86.0`, `v20.3.1`, `0.0.0-beta`).
fn first_version(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .map(|w| w.strip_prefix('v').unwrap_or(w))
        .find(|w| {
            let core = w.split(['-', '+']).next().unwrap_or("");
            let parts: Vec<&str> = core.split('.').collect();
            parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(str::to_string)
}

/// The wrangler check, and the Node range wrangler's package asks for.
fn wrangler_check(
    project: &Project,
    purpose: Purpose,
    probes: &dyn Probes,
) -> (Option<String>, Check) {
    let Some(program) = probes.locate(Program::Wrangler) else {
        return (
            None,
            Check::failed(
                ids::WRANGLER,
                format!(
                    "`wrangler` was not found in {} or on PATH",
                    project.path("node_modules/.bin").display()
                ),
                "install it in the project: `npm i -D wrangler`",
            ),
        );
    };
    let shown = program
        .strip_prefix(&project.root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| program.clone());
    let package = package_of_program(project, &program, "wrangler");
    let node_range = package.as_ref().and_then(|p| {
        p.json
            .pointer("/engines/node")
            .and_then(|v| v.as_str())
            .map(str::to_string)
    });
    let version = match &package {
        Some(p) => Some(p.version.clone()),
        // Not an npm install: ask the program itself (doctor only; dev and deploy do not
        // spend a wrangler start-up on it).
        None if purpose == Purpose::Doctor => probes
            .output(&program, &["--version"])
            .and_then(|o| first_version(&o)),
        None => None,
    };
    let check = match &version {
        Some(v) if major(v).is_some_and(|m| m < 4) => Check::failed(
            ids::WRANGLER,
            format!(
                "wrangler {v} ({}) is too old for Cloudflare Containers",
                shown.display()
            ),
            "update it: `npm i -D wrangler@4`",
        ),
        Some(v) => Check::ok(ids::WRANGLER, format!("wrangler {v} ({})", shown.display())),
        None => Check::ok(ids::WRANGLER, format!("wrangler ({})", shown.display())),
    };
    (node_range, check)
}

fn major(version: &str) -> Option<u64> {
    version.split('.').next()?.parse().ok()
}

fn node_check(probes: &dyn Probes, wrangler_needs: Option<&str>) -> Check {
    let Some(node) = probes.locate(Program::Node) else {
        return Check::failed(
            ids::NODE,
            "`node` was not found on PATH; wrangler runs on Node.js",
            match wrangler_needs {
                Some(range) => format!("install Node.js {range} (https://nodejs.org, or a version manager such as nvm or fnm)"),
                None => "install Node.js (https://nodejs.org, or a version manager such as nvm or fnm)".to_string(),
            },
        );
    };
    let Some(version) = probes
        .output(&node, &["--version"])
        .and_then(|o| first_version(&o))
    else {
        return Check::failed(
            ids::NODE,
            format!("`{} --version` failed", node.display()),
            "reinstall Node.js (https://nodejs.org)",
        );
    };
    match wrangler_needs {
        Some(range) if semver::satisfies(&version, range) == Some(false) => Check::failed(
            ids::NODE,
            format!("Node v{version} is installed, but wrangler needs {range}"),
            format!("install Node.js {range} (for example `nvm install 22` or `fnm use 22`)"),
        ),
        Some(range) => Check::ok(
            ids::NODE,
            format!("Node v{version} (wrangler needs {range})"),
        ),
        None => Check::ok(ids::NODE, format!("Node v{version}")),
    }
}

/// `dev_vite`: `None` for deploy/doctor; for dev, whether the project runs Vite (the way to
/// turn containers off differs).
fn docker_check(probes: &dyn Probes, dev_vite: Option<bool>) -> Check {
    match probes.docker() {
        Ok(shown) => Check::ok(
            ids::DOCKER,
            format!("a Docker engine answers (`{shown} info`)"),
        ),
        Err(text) => {
            let (message, fix) = match text.split_once(": start ") {
                Some((m, f)) => (m.to_string(), format!("start {f}")),
                None => (text.clone(), String::new()),
            };
            let mut help = if fix.is_empty() {
                "install a Docker-compatible engine (Docker Desktop, Colima, or Docker Engine)"
                    .to_string()
            } else {
                fix
            };
            match dev_vite {
                Some(false) | None => help.push_str(
                    "; to run without containers meanwhile: `lunora dev -- --enable-containers=false`",
                ),
                Some(true) => help.push_str(
                    "; to run without containers meanwhile, set `\"dev\": { \"enable_containers\": false }` in the wrangler config",
                ),
            }
            let message = if dev_vite.is_some() {
                format!("{message}; containers will not start locally until it does")
            } else {
                message
            };
            Check::failed(ids::DOCKER, message, help)
        }
    }
}

const BUILDKIT_SETUP: &str = "docker run --rm --privileged -d --name buildkit moby/buildkit\n      export BUILDKIT_HOST=docker-container://buildkit";

fn railpack_check(probes: &dyn Probes, names: &[&str]) -> Check {
    let uses = format!(
        "{} use{} `image: {{ build }}`, which Railpack builds",
        name_list(names),
        if names.len() == 1 { "s" } else { "" }
    );
    match probes.locate(Program::Railpack) {
        None => Check::failed(
            ids::RAILPACK,
            format!("`railpack` was not found on PATH, but {uses}"),
            format!("install Railpack: `curl -sSL https://railpack.com/install.sh | sh` (https://railpack.com/installation); it also needs BuildKit:\n      {BUILDKIT_SETUP}"),
        ),
        Some(program) => match probes.output(&program, &["--version"]) {
            Some(out) => Check::ok(
                ids::RAILPACK,
                match first_version(&out) {
                    Some(v) => format!("railpack {v}"),
                    None => "railpack".to_string(),
                },
            ),
            None => Check::failed(
                ids::RAILPACK,
                format!("`railpack --version` failed, but {uses}"),
                format!("reinstall Railpack: `curl -sSL https://railpack.com/install.sh | sh`; it also needs BuildKit:\n      {BUILDKIT_SETUP}"),
            ),
        },
    }
}

fn buildkit_check(probes: &dyn Probes) -> Check {
    match probes.env("BUILDKIT_HOST") {
        Some(host) => Check::ok(
            ids::BUILDKIT,
            format!("BUILDKIT_HOST={}", escape_control(&host)),
        ),
        None => Check::failed(
            ids::BUILDKIT,
            "BUILDKIT_HOST is not set; Railpack needs a running BuildKit instance",
            format!("start one and point BUILDKIT_HOST at it:\n      {BUILDKIT_SETUP}"),
        ),
    }
}

fn reexport_check(plan: &Plan) -> Check {
    match plan.missing_reexports.first() {
        None => Check::ok(
            ids::REEXPORT,
            "the worker entry re-exports every container class",
        ),
        Some(first) => {
            let classes: Vec<&str> = plan
                .missing_reexports
                .iter()
                .map(|m| m.class_name.as_str())
                .collect();
            Check::failed(
                ids::REEXPORT,
                format!(
                    "the worker entry {} does not export {}",
                    first.entry,
                    classes.join(", ")
                ),
                format!("add `{}` to {}", first.line, first.entry),
            )
        }
    }
}

/// A file that does not read (the wrangler config, the settings): its first error, where it is
/// and how to fix it.
fn located_error_check(
    id: &'static str,
    error: &Diagnostic,
    sources: &lunora_diagnostic::Sources,
) -> Check {
    let at = match lunora_diagnostic::position(error, sources) {
        Some((file, Some(pos))) => format!(" ({file}:{}:{})", pos.line, pos.column),
        _ => String::new(),
    };
    Check::failed(
        id,
        format!("{}{at}", escape_control(&error.message)),
        error
            .help
            .clone()
            .unwrap_or_else(|| "run `lunora codegen` to see where".to_string()),
    )
}

/// The wrangler config the run read (`plan.config`); a file that does not read or parse is an
/// error of the plan, reported by [`located_error_check`].
fn config_check(project: &Project, plan: &Plan) -> Check {
    let Some(config) = &plan.config else {
        if project.is_file("wrangler.toml") {
            return Check::failed(
                ids::WRANGLER_CONFIG,
                "the project is configured by wrangler.toml, and lunora reads only wrangler.jsonc or wrangler.json".to_string(),
                "run `lunora adopt --convert-toml` (wrangler.jsonc with every key and comment of wrangler.toml, which stays as it is; wrangler reads wrangler.jsonc first)",
            );
        }
        return Check::failed(
            ids::WRANGLER_CONFIG,
            format!(
                "no wrangler.jsonc or wrangler.json in {}",
                project.root.display()
            ),
            "create wrangler.jsonc with `name`, `main` and `compatibility_date`",
        );
    };
    let rel = config.file();
    match config.compatibility_date().and_then(Result::ok) {
        Some(date) if is_date(date) => Check::ok(
            ids::WRANGLER_CONFIG,
            format!("{} (compatibility_date {date})", rel),
        ),
        Some(date) => Check::failed(
            ids::WRANGLER_CONFIG,
            format!(
                "{}: compatibility_date \"{}\" is not a date",
                rel,
                escape_control(date)
            ),
            "write it as YYYY-MM-DD, for example `\"compatibility_date\": \"2026-04-01\"`",
        ),
        None => Check::failed(
            ids::WRANGLER_CONFIG,
            format!("{} has no compatibility_date; wrangler needs one to deploy", rel),
            "add `\"compatibility_date\": \"YYYY-MM-DD\"` (today's date pins today's runtime behaviour)",
        ),
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_in_tool_output() {
        assert_eq!(first_version("v20.20.2\n").as_deref(), Some("20.20.2"));
        assert_eq!(
            first_version(" ⛅️ wrangler 4.86.0\n───────").as_deref(),
            Some("4.86.0")
        );
        assert_eq!(
            first_version("wrangler 0.0.0-fake").as_deref(),
            Some("0.0.0-fake")
        );
        assert_eq!(first_version("no version"), None);
    }

    #[test]
    fn dates() {
        assert!(is_date("2026-04-01"));
        assert!(!is_date("2026-4-1"));
        assert!(!is_date("yesterday!"));
    }
}
