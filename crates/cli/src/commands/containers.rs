//! `lunora containers …`: `wrangler containers …` with the arguments verbatim, cwd = the project
//! root, and wrangler's exit code. `build` and `push` need a Docker engine and are preflighted.

use crate::exec::{self, Invocation, Tool};
use crate::project::Project;
use anyhow::Result;

pub fn run(project: &Project, args: &[String]) -> Result<i32> {
    let sub = args.first().map(String::as_str);
    let inv = Invocation::new(
        Tool::Wrangler,
        std::iter::once("containers").chain(args.iter().map(String::as_str)),
    );
    exec::require(Tool::Wrangler, &project.root)?;
    match sub {
        Some("build" | "push") if !args.iter().any(|a| a == "--help" || a == "-h") => {
            exec::docker_preflight(&project.root)?;
            let label = if sub == Some("build") {
                "building the image"
            } else {
                "pushing the image"
            };
            inv.run_step(&project.root, label)
        }
        _ => inv.run_inherited(&project.root),
    }
}
