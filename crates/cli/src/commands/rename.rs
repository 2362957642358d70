//! `lunora rename OLD NEW`: renames a container so that its Durable Object storage moves with
//! it. What is renamed, and what is refused, is decided in `lunora_project::rename`; this
//! command checks NEW, writes the transaction (the rename and codegen on top) and reports it.

use crate::commands::migrate;
use crate::output::Reporter;
use crate::project::Project;
use anyhow::Result;
use lunora_parser::check_export_name;

pub fn run(project: &Project, old: &str, new: &str, reporter: &Reporter) -> Result<i32> {
    if let Err(problem) = check_export_name(new) {
        reporter.error(
            crate::codes::LUNORA_USAGE,
            &format!("NEW: {}; {}", problem.message, problem.help),
            None,
        );
        return Ok(2);
    }
    match lunora_project::rename::plan(project, old, new)? {
        Err(refusal) => Ok(migrate::refuse(
            reporter,
            &refusal.diagnostics,
            &refusal.sources,
        )),
        Ok(mut plan) => {
            let staged = std::mem::take(&mut plan.staged);
            let config = Some(plan.wrangler_rel.as_str());
            // Binding names come from the wrangler config: escaped like every value lunora prints.
            migrate::write_then_note(project, staged, config, reporter, |tx| {
                crate::output::escape_lines(&plan.summary(tx))
            })
        }
    }
}
