//! `lunora remove NAME [--delete-data]`: removes a container's definition; with `--delete-data`
//! also its wiring and, through a `deleted_classes` migration, its stored data. What goes and
//! what stays is decided in `lunora_project::remove`; this command writes the transaction (the
//! removal and codegen on top) and reports it.

use crate::commands::migrate;
use crate::output::Reporter;
use crate::project::Project;
use anyhow::Result;

pub fn run(project: &Project, name: &str, delete_data: bool, reporter: &Reporter) -> Result<i32> {
    let mut plan = match lunora_project::remove::plan(project, name, delete_data)? {
        Ok(plan) => plan,
        Err(refusal) => {
            return Ok(migrate::refuse(
                reporter,
                &refusal.diagnostics,
                &refusal.sources,
            ))
        }
    };
    if let Some(note) = plan.nothing_to_write() {
        reporter.note(&note);
        return Ok(0);
    }
    let staged = std::mem::take(&mut plan.staged);
    let config = plan.wrangler_rel.as_deref();
    migrate::write_then_note(project, staged, config, reporter, |tx| plan.summary(tx))
}
