//! `lunora containers …`: `wrangler containers …` with the user's arguments, cwd = the project
//! root, the terminal inherited (so logins, prompts and the Docker build log work), and
//! wrangler's exit code. `build` and `push` need a Docker engine and are preflighted.
//!
//! Contract: lunora's own flags (`--root DIR`, `--format FORMAT`, `--verbose`, also written
//! `--flag=value`) are lunora's wherever they appear on the command line and never reach
//! wrangler, which has no such flags and rejects them; everything else goes to wrangler in the
//! order typed. Under `--format json` (or `github`) lunora's own messages are records, wherever
//! the flag was written.

use crate::exec::{self, Invocation, Tool};
use crate::output::{Format, Reporter};
use crate::project::{Project, RootError};
use anyhow::Result;
use clap::ValueEnum;
use std::path::{Path, PathBuf};

/// lunora's flags found among the arguments after `containers`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct OwnFlags {
    pub root: Option<PathBuf>,
    pub format: Option<Format>,
    pub verbose: bool,
}

/// Splits the arguments after `containers` into lunora's flags and wrangler's arguments. `Err`
/// is a usage message (a flag without its value, a format lunora does not know).
pub fn split_own_flags(args: Vec<String>) -> Result<(OwnFlags, Vec<String>), String> {
    let mut own = OwnFlags::default();
    let mut rest = Vec::with_capacity(args.len());
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "--root" | "--format" => {
                let value = match inline {
                    Some(value) => value,
                    None => args.next().ok_or_else(|| {
                        format!("a value is required for '{flag} <VALUE>' but none was supplied")
                    })?,
                };
                if flag == "--root" {
                    own.root = Some(PathBuf::from(value));
                } else {
                    let format = Format::from_str(&value, false).map_err(|_| {
                        format!("invalid value '{value}' for '--format <FORMAT>' [possible values: human, json, github]")
                    })?;
                    own.format = Some(format);
                }
            }
            "--verbose" if inline.is_none() => own.verbose = true,
            _ => rest.push(arg),
        }
    }
    Ok((own, rest))
}

/// `args` is what follows `containers` (`["build", "./x", "-t", "x:1", "--root", "app"]`);
/// `root` and `reporter` come from the flags written before `containers`, and a flag written
/// after it wins. Every failure is reported here, in the format asked for; the result is the
/// exit code (wrangler's, 1 for a failure of lunora's, 2 for a usage error).
pub fn run(root: Option<&Path>, reporter: &Reporter, args: Vec<String>) -> i32 {
    let (own, wrangler_args) = match split_own_flags(args) {
        Ok(split) => split,
        Err(message) => {
            // The format may be the flag that failed: the one written before `containers` holds.
            usage(reporter, &message);
            return 2;
        }
    };
    let reporter = match own.format {
        Some(format) => Reporter::new(format).verbose(reporter.verbose || own.verbose),
        None => reporter.clone().verbose(reporter.verbose || own.verbose),
    };
    let root = own.root.as_deref().or(root);
    match run_wrangler(root, &wrangler_args) {
        Ok(code) => code,
        Err(e) if e.is::<RootError>() => {
            usage(&reporter, &format!("{e}"));
            2
        }
        Err(e) => {
            reporter.error("lunora/error", &format!("{e:#}"), None);
            1
        }
    }
}

fn usage(reporter: &Reporter, message: &str) {
    if reporter.format == Format::Human {
        eprintln!("error: {message}");
    } else {
        reporter.error("lunora/usage", message, None);
    }
}

fn run_wrangler(root: Option<&Path>, args: &[String]) -> Result<i32> {
    // `wrangler containers` works outside a project too (account-level commands).
    let project = match root {
        Some(root) => Project::at(crate::project::disk(), root)?,
        None => crate::project::locate_or_cwd(None)?,
    };
    let sub = args.first().map(String::as_str);
    let inv = Invocation::new(
        Tool::Wrangler,
        std::iter::once("containers").chain(args.iter().map(String::as_str)),
    );
    exec::require(Tool::Wrangler, &project.root)?;
    let wrangler_help = args
        .iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--help" || a == "-h");
    if matches!(sub, Some("build" | "push")) && !wrangler_help {
        exec::docker_preflight(&project.root)?;
    }
    inv.run_inherited(&project.root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(args: &[&str]) -> Result<(OwnFlags, Vec<String>), String> {
        split_own_flags(args.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn lunora_flags_are_consumed_wherever_they_appear() {
        let (own, rest) = split(&[
            "build",
            "--root",
            "app",
            "./c",
            "--format=json",
            "-t",
            "x:1",
            "--verbose",
            "--push",
        ])
        .unwrap();
        assert_eq!(
            own,
            OwnFlags {
                root: Some(PathBuf::from("app")),
                format: Some(Format::Json),
                verbose: true
            }
        );
        assert_eq!(rest, ["build", "./c", "-t", "x:1", "--push"]);
        let (own, rest) = split(&["push", "--root=a=b", "--format", "github", "x:1"]).unwrap();
        assert_eq!(own.root, Some(PathBuf::from("a=b")));
        assert_eq!(own.format, Some(Format::Github));
        assert_eq!(rest, ["push", "x:1"]);
    }

    #[test]
    fn flags_lunora_does_not_own_go_to_wrangler() {
        let (own, rest) =
            split(&["images", "list", "--json", "--rooted", "-v", "--formatx=1"]).unwrap();
        assert_eq!(own, OwnFlags::default());
        assert_eq!(
            rest,
            ["images", "list", "--json", "--rooted", "-v", "--formatx=1"]
        );
    }

    #[test]
    fn a_flag_without_its_value_or_an_unknown_format_is_a_usage_error() {
        assert!(split(&["list", "--root"]).unwrap_err().contains("--root"));
        let e = split(&["list", "--format", "yaml"]).unwrap_err();
        assert!(
            e.contains("'yaml'") && e.contains("human, json, github"),
            "{e}"
        );
    }
}
