//! Finding and running external programs (`wrangler`, `docker`, `railpack`, `vite`, `node`).
//!
//! Contract: a program is looked up in the project's `node_modules/.bin` first, then on `PATH`,
//! the way `npx` / package scripts find it. A missing program is an error that says how to
//! install it. Every spawn runs with the project root as its working directory. Programs lunora
//! passes through (`containers …`, the steps of `deploy`) inherit stdin, stdout and stderr, so
//! logins, prompts and build logs work as when the user runs them.

use crate::platform;
use anyhow::{bail, Context, Result};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

/// An external program lunora drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Wrangler,
    Docker,
    Railpack,
    Vite,
    Node,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Wrangler => "wrangler",
            Tool::Docker => "docker",
            Tool::Railpack => "railpack",
            Tool::Vite => "vite",
            Tool::Node => "node",
        }
    }

    fn install_hint(self) -> &'static str {
        match self {
            Tool::Wrangler => "install it in the project: `npm i -D wrangler`",
            Tool::Vite => "install it in the project: `npm i -D vite @cloudflare/vite-plugin`",
            Tool::Docker => {
                "install a Docker-compatible engine (Docker Desktop, Colima, or Docker Engine) and make sure `docker` is on PATH"
            }
            Tool::Node => "install Node.js (https://nodejs.org, or a version manager such as nvm or fnm)",
            Tool::Railpack => "install Railpack: `curl -sSL https://railpack.com/install.sh | sh` (see https://railpack.com/installation)",
        }
    }
}

/// Where `tool` would be run from for a project rooted at `root`, if anywhere.
pub fn locate(tool: Tool, root: &Path) -> Option<PathBuf> {
    if let Some(local) = platform::program_in(&root.join("node_modules/.bin"), tool.name()) {
        return Some(local);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| platform::program_in(&dir, tool.name()))
}

/// Like [`locate`], but a missing program is an error with install directions.
pub fn require(tool: Tool, root: &Path) -> Result<PathBuf> {
    match locate(tool, root) {
        Some(p) => Ok(p),
        None => bail!(
            "`{}` was not found in {} or on PATH; {}",
            tool.name(),
            root.join("node_modules/.bin").display(),
            tool.install_hint()
        ),
    }
}

/// A command line, for running or for printing (`--dry-run`).
#[derive(Debug, Clone)]
pub struct Invocation {
    pub tool: Tool,
    pub args: Vec<OsString>,
}

impl Invocation {
    pub fn new<I, S>(tool: Tool, args: I) -> Invocation
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        Invocation {
            tool,
            args: args.into_iter().map(|a| a.as_ref().to_owned()).collect(),
        }
    }

    /// The command as a user would type it (shell-quoted where needed).
    pub fn display(&self) -> String {
        let mut out = self.tool.name().to_string();
        for a in &self.args {
            out.push(' ');
            out.push_str(&crate::output::shell_quote(&a.to_string_lossy()));
        }
        out
    }

    /// A `Command` for the resolved program, with cwd = `root`.
    pub fn command(&self, root: &Path) -> Result<Command> {
        let program = require(self.tool, root)?;
        let mut cmd = Command::new(program);
        cmd.args(&self.args).current_dir(root);
        Ok(cmd)
    }

    /// Runs with the terminal's stdin/stdout/stderr; returns the exit code (128 + n if killed by n).
    pub fn run_inherited(&self, root: &Path) -> Result<i32> {
        let status = self
            .command(root)?
            .status()
            .with_context(|| format!("running `{}`", self.display()))?;
        Ok(exit_code(status))
    }

    /// Like [`Invocation::run_inherited`], with the program found from the project at `root`
    /// but run in `cwd` (a temporary copy of the project).
    pub fn run_inherited_in(&self, root: &Path, cwd: &Path) -> Result<i32> {
        let status = self
            .command(root)?
            .current_dir(cwd)
            .status()
            .with_context(|| format!("running `{}`", self.display()))?;
        Ok(exit_code(status))
    }
}

/// The exit code of a finished process: its own, or 128 + the signal that killed it.
pub fn exit_code(status: ExitStatus) -> i32 {
    platform::exit_code(status)
}

/// Docker preflight: `docker info` answers (honouring `WRANGLER_DOCKER_BIN`, which wrangler uses
/// instead of `docker`). `Err` carries the actionable message.
pub fn docker_preflight(root: &Path) -> Result<()> {
    let (program, shown) = match std::env::var_os("WRANGLER_DOCKER_BIN").filter(|v| !v.is_empty()) {
        Some(bin) => (PathBuf::from(&bin), bin.to_string_lossy().into_owned()),
        None => (require(Tool::Docker, root)?, "docker".to_string()),
    };
    let ok = Command::new(&program)
        .arg("info")
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        bail!(
            "no Docker engine answered (`{shown} info` failed): start Docker Desktop or Colima (`colima start`), \
             or point WRANGLER_DOCKER_BIN at a working Docker-compatible CLI, then try again"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_only_when_needed() {
        let inv = Invocation::new(Tool::Wrangler, ["deploy", "--var", "A:b c", "it's"]);
        assert_eq!(inv.display(), r"wrangler deploy --var 'A:b c' 'it'\''s'");
    }
}
