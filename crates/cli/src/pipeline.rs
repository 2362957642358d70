//! The codegen plan, decided in `lunora-project` ([`plan`]), and applying it: the only step of a
//! run that writes, skipped entirely when any diagnostic is an error.

use crate::fsutil::{remove_stale_temp_files, write_all_atomic};
use anyhow::Result;
use std::path::Path;

pub use lunora_project::{
    missing_image_source, plan, railpack_tag, registry_image, FileChange, MissingReexport, Plan,
    PlanOptions,
};

/// Writes every changed file of `plan` (atomically, at its resolved path) and deletes owned
/// files that are gone. Refuses to write anything when the plan has errors.
pub fn apply(plan: &Plan) -> Result<Vec<&FileChange>> {
    anyhow::ensure!(!plan.has_errors(), "refusing to write: the run has errors");
    for f in &plan.files {
        remove_stale_temp_files(&f.path);
    }
    let stale: Vec<&FileChange> = plan.stale_files().collect();
    let writes: Vec<(&Path, &[u8])> = stale
        .iter()
        .filter_map(|f| {
            f.new
                .as_ref()
                .map(|text| (f.path.as_path(), text.as_bytes()))
        })
        .collect();
    write_all_atomic(&writes)?;
    for f in &stale {
        if f.new.is_none() {
            match std::fs::remove_file(&f.path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(anyhow::Error::new(e).context(format!("removing {}", f.rel))),
            }
        }
    }
    Ok(stale)
}
