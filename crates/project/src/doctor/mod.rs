//! The checks of `lunora doctor` (and the ones `dev` and `deploy` run first): every prerequisite,
//! each failure with its fix. The decisions are here; what only the machine can tell (where a
//! program is, what it prints, whether a Docker engine answers, the environment) comes in
//! through [`Probes`], which the CLI implements, and files are read through the project's `Fs`.
//!
//! Checks, in order: `lunora/containers.ts` is valid; Node (and the range wrangler's
//! `engines.node` asks for); wrangler (found in `node_modules/.bin`, then on `PATH`, with its
//! version); a Docker engine (only when an image is built from a Dockerfile); `railpack` and
//! `BUILDKIT_HOST` (only when a `{ build }` image is declared); `@lunora/container` and
//! `@cloudflare/containers` installed at versions that work together (the runtime's
//! peerDependency range); the worker entry re-exports every container class; the wrangler
//! config, with its `compatibility_date`.

pub mod semver;

/// The id of every check: a failure's code is `doctor/<id>`.
pub mod ids {
    pub const BUILDKIT: &str = "buildkit";
    pub const CONTAINERS: &str = "containers";
    pub const DOCKER: &str = "docker";
    pub const NODE: &str = "node";
    pub const PACKAGES: &str = "packages";
    pub const RAILPACK: &str = "railpack";
    pub const REEXPORT: &str = "reexport";
    pub const WRANGLER: &str = "wrangler";
    pub const WRANGLER_CONFIG: &str = "wrangler-config";
}

use crate::package_json::{self, DependencyEdit, PackageManager};
use crate::plan::Plan;
use crate::project::Project;
use crate::text::{name_list, shell_quote};
use lunora_diagnostic::{printable as escape_control, Diagnostic, Severity};
use lunora_parser::ImageSource;
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
        // An error in the wrangler config is the config's, not the containers'.
        let in_config = |d: &&Diagnostic| {
            plan.wrangler_file.is_some()
                && d.primary_label().map(|l| Some(&l.file)) == Some(plan.wrangler_file.as_ref())
        };
        let (config_errors, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) = plan
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .partition(in_config);
        let n = others.len();
        if n > 0 {
            out.push(Check::failed(
                ids::CONTAINERS,
                format!(
                    "lunora/containers.ts has {n} error{}",
                    if n == 1 { "" } else { "s" }
                ),
                "run `lunora codegen` to see them at file, line and column",
            ));
        }
        if let Some(first) = config_errors.first() {
            out.push(config_error_check(first, &plan.sources));
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
    out.push(config_check(project, plan));
    out
}

/// A package.json, as far as the checks read it.
struct Package {
    dir: PathBuf,
    version: String,
    json: serde_json::Value,
}

fn read_package(project: &Project, dir: &Path) -> Option<Package> {
    let text = project.fs().read(&dir.join("package.json")).ok()??;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let version = json.get("version")?.as_str()?.to_string();
    Some(Package {
        dir: dir.to_path_buf(),
        version,
        json,
    })
}

/// `name` as Node would resolve it from the project root: `node_modules/<name>` in the root
/// or the nearest ancestor that has it.
fn resolve_package(project: &Project, name: &str) -> Option<Package> {
    let start = std::path::absolute(&project.root).ok()?;
    start
        .ancestors()
        .map(|dir| dir.join("node_modules").join(name))
        .find(|dir| project.fs().is_file(&dir.join("package.json")))
        .and_then(|dir| read_package(project, &dir))
}

/// The npm package a program file belongs to (`node_modules/.bin/wrangler` →
/// `node_modules/wrangler`), when it is one called `name`.
fn package_of_program(project: &Project, program: &Path, name: &str) -> Option<Package> {
    let real = project.fs().canonicalize(program).ok()?;
    real.ancestors().skip(1).take(4).find_map(|dir| {
        let pkg = read_package(project, dir)?;
        (pkg.json.get("name").and_then(|n| n.as_str()) == Some(name)).then_some(pkg)
    })
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

/// The install command for the project's package manager (from its lockfile).
fn install_command(project: &Project, packages: &str) -> String {
    let pm = match package_json::detect_package_manager(project.fs(), &project.root) {
        PackageManager::Pnpm => "pnpm add",
        PackageManager::Yarn => "yarn add",
        PackageManager::Bun => "bun add",
        PackageManager::Npm => "npm i",
    };
    format!("{pm} {packages}")
}

/// The fix for runtime packages that are not installed: the plain install when package.json
/// declares them already (adding them again by name would replace the declared ranges with the
/// newest release, which may be outside the range `@lunora/container` supports), else adding the
/// undeclared ones at the ranges `lunora generate` writes.
fn packages_fix(project: &Project) -> String {
    let deps = package_json::runtime_dependencies();
    let undeclared = match project.read("package.json").ok().flatten() {
        Some(text) => match package_json::add_dependencies(&text, &deps) {
            Ok(DependencyEdit::Unchanged) => Vec::new(),
            Ok(DependencyEdit::Added(_, added)) => added,
            Err(_) => deps,
        },
        None => deps,
    };
    if undeclared.is_empty() {
        let pm = package_json::detect_package_manager(project.fs(), &project.root);
        return format!("`{}` (package.json declares them)", pm.install_command());
    }
    let specs: Vec<String> = undeclared
        .iter()
        .map(|(name, range)| shell_quote(&format!("{name}@{range}")))
        .collect();
    format!("`{}`", install_command(project, &specs.join(" ")))
}

fn packages_check(project: &Project) -> Check {
    let runtime = resolve_package(project, "@lunora/container");
    let containers = resolve_package(project, "@cloudflare/containers");
    let missing: Vec<&str> = [
        ("@lunora/container", runtime.is_none()),
        ("@cloudflare/containers", containers.is_none()),
    ]
    .into_iter()
    .filter(|(_, m)| *m)
    .map(|(n, _)| n)
    .collect();
    if !missing.is_empty() {
        return Check::failed(
            ids::PACKAGES,
            format!(
                "{} {} not installed; the generated classes import {}",
                missing.join(" and "),
                if missing.len() == 1 { "is" } else { "are" },
                if missing.len() == 1 { "it" } else { "them" }
            ),
            packages_fix(project),
        );
    }
    let (runtime, containers) = (runtime.unwrap(), containers.unwrap());
    let range = runtime
        .json
        .pointer("/peerDependencies/@cloudflare~1containers")
        .and_then(|v| v.as_str());
    match range {
        Some(range) if semver::satisfies(&containers.version, range) != Some(true) => Check::failed(
            ids::PACKAGES,
            format!(
                "@cloudflare/containers {} is installed ({}), but @lunora/container {} needs {range}",
                containers.version,
                containers.dir.display(),
                runtime.version
            ),
            format!(
                "`{}`",
                install_command(project, &format!("'@cloudflare/containers@{range}'"))
            ),
        ),
        Some(range) => Check::ok(
            ids::PACKAGES,
            format!(
                "@lunora/container {} with @cloudflare/containers {} (needs {range})",
                runtime.version, containers.version
            ),
        ),
        None => Check::ok(
            ids::PACKAGES,
            format!(
                "@lunora/container {} with @cloudflare/containers {}",
                runtime.version, containers.version
            ),
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

/// A wrangler config that does not read: the first error, where it is and how to fix it.
fn config_error_check(error: &Diagnostic, sources: &lunora_diagnostic::Sources) -> Check {
    let at = match lunora_diagnostic::position(error, sources) {
        Some((file, Some(pos))) => format!(" ({file}:{}:{})", pos.line, pos.column),
        _ => String::new(),
    };
    Check::failed(
        ids::WRANGLER_CONFIG,
        format!("{}{at}", escape_control(&error.message)),
        error
            .help
            .clone()
            .unwrap_or_else(|| "run `lunora codegen` to see where".to_string()),
    )
}

/// The wrangler config the run read (`plan.config`); a file that does not read or parse is an
/// error of the plan, reported by [`config_error_check`].
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
