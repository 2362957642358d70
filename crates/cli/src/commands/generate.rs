//! `lunora generate lunora-container --name=<name>`: scaffold a container and wire it up.
//!
//! Contract: every refusal happens before anything is written — `lunora_project::generate`
//! plans the whole change in memory (and refuses with a reason); this command writes the
//! planned files, runs codegen and prints the next steps.

use crate::commands::codegen;
use crate::fsutil::write_atomic;
use crate::output::Reporter;
use crate::pipeline::PlanOptions;
use crate::project::Project;
use anyhow::Result;
use lunora_project::generate::{self, describe_deps};

pub use lunora_project::generate::export_name_for;

pub struct GenerateArgs {
    pub name: String,
    pub port: u16,
}

pub fn run(project: &Project, args: &GenerateArgs, reporter: &Reporter) -> Result<i32> {
    // A `--name` no container can have is a usage error (exit 2), like an unknown flag.
    if let Err(e) = export_name_for(&args.name) {
        reporter.error(crate::codes::LUNORA_USAGE, &format!("{e:#}"), None);
        return Ok(2);
    }
    let plan = generate::plan(project, &args.name, args.port)?;
    for file in &plan.files {
        write_atomic(&file.path, file.text.as_bytes())?;
        reporter.progress(&format!("lunora/{}", file.verb), file.verb, &file.rel, "");
    }
    let outcome = codegen::run_once(project, &PlanOptions::default(), false, reporter)?;
    reporter.note(&next_steps(&plan));
    if let Some((d, text)) = lunora_project::vcs::generated_ignored(project) {
        let mut at = lunora_diagnostic::Sources::new();
        at.insert(".gitignore", text);
        reporter.diagnostics(&[d], &at);
    }
    Ok(if outcome.types_ok { outcome.code } else { 1 })
}

/// What was scaffolded and what the user does next, then the plan's notes.
fn next_steps(plan: &generate::GeneratePlan) -> String {
    let generate::GeneratePlan {
        export_name,
        class_name,
        binding,
        dir_rel,
        port,
        ..
    } = plan;
    let mut next = format!("\nScaffolded `{export_name}` ({class_name}, binding {binding}).\n");
    if !plan.added_deps.is_empty() {
        next.push_str(&format!(
            "Added to package.json (dependencies): {}.\n",
            describe_deps(&plan.added_deps)
        ));
    }
    next.push_str("\nNext steps:\n");
    let mut step = 0;
    let mut push_step = |text: String| {
        step += 1;
        next.push_str(&format!("  {step}. {text}\n"));
    };
    if !plan.added_deps.is_empty() {
        push_step(format!(
            "Install the new dependencies: `{}`.",
            plan.install_command
        ));
    }
    push_step(format!(
        "Put your workload in {dir_rel}/server.mjs (it must listen on port {port}) and adjust {dir_rel}/Dockerfile."
    ));
    let (entry_name, handles) = (&plan.entry_name, &plan.handles_specifier);
    push_step(format!(
        "Call it from your worker ({entry_name}), building the handles from `env`:\n\
         \x20      import {{ createContainers, type ContainersEnv }} from \"{handles}\";\n\
         \x20      const containers = createContainers(env);\n\
         \x20      const response = await containers.{export_name}.get(\"some-id\").fetch(request);\n\
         \x20    (type the worker's env as `ContainersEnv`; in a Lunora action the same handle is `ctx.containers.{export_name}`)."
    ));
    let lunora = &plan.runner;
    push_step(format!(
        "Run `{lunora} dev` (with Docker Desktop or Colima running) to try it locally, then `{lunora} deploy`."
    ));
    for n in &plan.notes {
        next.push_str(&format!("\nNote: {n}\n"));
    }
    next
}
