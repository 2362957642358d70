//! `lunora doctor`: every prerequisite of `dev` and `deploy`, checked at once, each failure with
//! its fix. `dev` and `deploy` run the same checks (the ones that apply to them) before they
//! start and print only the failures: `dev` as warnings, `deploy` as errors that stop it. The
//! checks are decided in `lunora_project::doctor`; this module answers their probes (programs,
//! the Docker engine, the environment) and prints the result.

use crate::exec::{self, Tool};
use crate::output::{color_allowed, Format, Reporter};
use crate::pipeline::{self, Plan, PlanOptions};
use crate::project::Project;
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Severity};
use lunora_project::doctor::{Probes, Program};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub use lunora_project::doctor::{Check, Purpose, Status};

/// The probes, answered by this machine for the project at `root`.
struct Machine<'a> {
    root: &'a Path,
}

impl Probes for Machine<'_> {
    fn locate(&self, program: Program) -> Option<PathBuf> {
        let tool = match program {
            Program::Wrangler => Tool::Wrangler,
            Program::Node => Tool::Node,
            Program::Railpack => Tool::Railpack,
        };
        exec::locate(tool, self.root)
    }

    fn output(&self, program: &Path, args: &[&str]) -> Option<String> {
        let out = std::process::Command::new(program)
            .args(args)
            .current_dir(self.root)
            .stdin(std::process::Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn docker(&self) -> std::result::Result<String, String> {
        exec::docker_preflight(self.root)
            .map(|()| {
                self.env("WRANGLER_DOCKER_BIN")
                    .unwrap_or_else(|| "docker".into())
            })
            .map_err(|e| format!("{e:#}"))
    }

    fn env(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

/// Runs the checks that apply to `purpose` (see `lunora_project::doctor::checks`).
pub fn checks(project: &Project, plan: &Plan, purpose: Purpose) -> Vec<Check> {
    lunora_project::doctor::checks(
        project,
        plan,
        purpose,
        &Machine {
            root: &project.root,
        },
    )
}

/// `lunora doctor`: prints every check; exit 1 when any failed.
pub fn run(project: &Project, reporter: &Reporter) -> Result<i32> {
    let plan = pipeline::plan(project, &PlanOptions::default());
    let checks = checks(project, &plan, Purpose::Doctor);
    let failed = checks.iter().filter(|c| c.is_failure()).count();
    match reporter.format {
        Format::Json => {
            for c in &checks {
                let mut obj = serde_json::Map::new();
                let (severity, status, message, help) = match &c.status {
                    Status::Ok(m) => ("info", "ok", m.as_str(), None),
                    Status::NotNeeded(m) => ("info", "not-needed", m.as_str(), None),
                    Status::Failed { message, help } => {
                        ("error", "failed", message.as_str(), Some(help))
                    }
                };
                obj.insert("severity".into(), severity.into());
                obj.insert("code".into(), format!("doctor/{}", c.id).into());
                obj.insert("status".into(), status.into());
                obj.insert("message".into(), message.into());
                if let Some(help) = help {
                    obj.insert("help".into(), help.clone().into());
                }
                println!("{}", serde_json::Value::Object(obj));
            }
        }
        Format::Github => {
            let diagnostics: Vec<Diagnostic> = checks
                .iter()
                .filter_map(|c| c.diagnostic(Severity::Error))
                .collect();
            reporter.diagnostics(&diagnostics, &lunora_diagnostic::Sources::new());
        }
        Format::Human => {
            let color = color_allowed() && std::io::stdout().is_terminal();
            let paint = |sgr: &str, text: &str| {
                if color {
                    format!("\x1b[{sgr}m{text}\x1b[0m")
                } else {
                    text.to_string()
                }
            };
            let mut out = String::new();
            for c in &checks {
                let name = format!("{:<17}", c.id);
                match &c.status {
                    Status::Ok(m) => out.push_str(&format!("{} {name}{m}\n", paint("1;32", "✓"))),
                    Status::NotNeeded(m) => out.push_str(&format!(
                        "{} {name}{}\n",
                        paint("2", "-"),
                        paint("2", &format!("not needed: {m}"))
                    )),
                    Status::Failed { message, help } => {
                        out.push_str(&format!("{} {name}{message}\n", paint("1;31", "✗")));
                        let help = help.replace("\n      ", &format!("\n{}", " ".repeat(24)));
                        out.push_str(&format!(
                            "{}{} {help}\n",
                            " ".repeat(19),
                            paint("1", "fix:")
                        ));
                    }
                }
            }
            print!("{out}");
        }
    }
    let total = checks
        .iter()
        .filter(|c| !matches!(c.status, Status::NotNeeded(_)))
        .count();
    if failed == 0 {
        reporter.note(&format!("lunora: all {total} checks passed"));
        Ok(0)
    } else {
        reporter.note(&format!("lunora: {failed} of {total} checks failed"));
        Ok(1)
    }
}
