//! `lunora containers …`: `wrangler containers …` with the arguments verbatim, cwd = the project
//! root, the terminal inherited (so logins, prompts and the Docker build log work), and
//! wrangler's exit code. `build` and `push` need a Docker engine and are preflighted.

use crate::exec::{self, Invocation, Tool};
use crate::project::Project;
use anyhow::Result;

/// `args` is what follows `containers` (`["build", "./x", "-t", "x:1"]`).
pub fn run(project: &Project, args: &[String]) -> Result<i32> {
    let sub = args.first().map(String::as_str);
    let inv = Invocation::new(
        Tool::Wrangler,
        std::iter::once("containers").chain(args.iter().map(String::as_str)),
    );
    exec::require(Tool::Wrangler, &project.root)?;
    if matches!(sub, Some("build" | "push")) && !args.iter().any(|a| a == "--help" || a == "-h") {
        exec::docker_preflight(&project.root)?;
    }
    inv.run_inherited(&project.root)
}
