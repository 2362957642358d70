//! Finding and running external programs (`wrangler`, `docker`, `railpack`, `vite`).
//!
//! Contract: a program is looked up in the project's `node_modules/.bin` first, then on `PATH`,
//! the way `npx` / package scripts find it. A missing program is an error that says how to
//! install it. Every spawn runs with the project root as its working directory.

use anyhow::{bail, Context, Result};
use std::ffi::{OsStr, OsString};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// An external program lunora drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Wrangler,
    Docker,
    Railpack,
    Vite,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Wrangler => "wrangler",
            Tool::Docker => "docker",
            Tool::Railpack => "railpack",
            Tool::Vite => "vite",
        }
    }

    fn install_hint(self) -> &'static str {
        match self {
            Tool::Wrangler => "install it in the project: `npm i -D wrangler`",
            Tool::Vite => "install it in the project: `npm i -D vite @cloudflare/vite-plugin`",
            Tool::Docker => {
                "install a Docker-compatible engine (Docker Desktop, Colima, or Docker Engine) and make sure `docker` is on PATH"
            }
            Tool::Railpack => "install Railpack: `curl -sSL https://railpack.com/install.sh | sh` (see https://railpack.com/installation)",
        }
    }
}

/// Where `tool` would be run from for a project rooted at `root`, if anywhere.
pub fn locate(tool: Tool, root: &Path) -> Option<PathBuf> {
    let local = root.join("node_modules/.bin").join(tool.name());
    if is_executable(&local) {
        return Some(local);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool.name()))
        .find(|p| is_executable(p))
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

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
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
            out.push_str(&shell_quote(&a.to_string_lossy()));
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

    /// Runs quietly and reports whether it exited 0 (for preflights such as `docker info`).
    pub fn succeeds(&self, root: &Path) -> Result<bool> {
        let status = self
            .command(root)?
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("running `{}`", self.display()))?;
        Ok(status.success())
    }

    /// Runs a long step (`label`, e.g. "building lunora-x:build"). On a terminal: a spinner line
    /// while the output is held back, printed only if the step fails. Otherwise (CI, pipes): a
    /// plain start line and the program's own output as it comes. Returns the exit code.
    pub fn run_step(&self, root: &Path, label: &str) -> Result<i32> {
        let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        if !interactive {
            eprintln!("lunora: {label} ({})", self.display());
            let code = self.run_inherited(root)?;
            if code == 0 {
                eprintln!("lunora: {label}: done");
            }
            return Ok(code);
        }
        let mut child = self
            .command(root)?
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("running `{}`", self.display()))?;
        let out = drain(child.stdout.take());
        let err = drain(child.stderr.take());
        let done = Arc::new(AtomicBool::new(false));
        let spinner = {
            let done = done.clone();
            let label = label.to_string();
            std::thread::spawn(move || {
                const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
                let mut i = 0;
                while !done.load(Ordering::SeqCst) {
                    eprint!("\r\x1b[2K{} {label} …", FRAMES[i % FRAMES.len()]);
                    let _ = std::io::stderr().flush();
                    i += 1;
                    std::thread::sleep(Duration::from_millis(80));
                }
            })
        };
        let status = child
            .wait()
            .with_context(|| format!("waiting for `{}`", self.display()))?;
        done.store(true, Ordering::SeqCst);
        let _ = spinner.join();
        let code = exit_code(status);
        if code == 0 {
            eprintln!("\r\x1b[2K✓ {label}");
        } else {
            eprintln!(
                "\r\x1b[2K✗ {label} (`{}` exited with {code})",
                self.display()
            );
            let _ = std::io::stdout().write_all(&out.join().unwrap_or_default());
            let _ = std::io::stderr().write_all(&err.join().unwrap_or_default());
        }
        Ok(code)
    }
}

fn drain(stream: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut s) = stream {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    })
}

/// The exit code of a finished process: its own, or 128 + the signal that killed it.
pub fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
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
