//! The worker entry: which container classes it exports, and a stale re-export.

use crate::codes;
use crate::plan::MissingReexport;
use crate::project::{self, Project, CONTAINERS_TS};
use lunora_codegen::{specifier_is_generated_containers, CONTAINERS_FILE};
use lunora_diagnostic::{Diagnostic, Sources, Span};
use lunora_parser::ContainerSpec;
use lunora_wrangler_config as wc;
use std::collections::HashSet;

/// Class names the worker entry exports as values: through `export * from` the generated module,
/// or by name. Warns (with the line to add) for every container in `containers` (those without
/// errors) that is not exported; with `none_declared`, warns about a re-export of the generated
/// module instead.
pub(crate) fn exported_classes(
    project: &Project,
    config: &wc::WranglerConfig,
    containers: &[ContainerSpec],
    none_declared: bool,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
    missing: &mut Vec<MissingReexport>,
) -> Vec<String> {
    if containers.is_empty() {
        // Declared containers that all have errors are still declared: say nothing about them.
        if none_declared {
            warn_stale_reexport(project, config, diagnostics, sources);
        }
        return Vec::new();
    }
    let Some(main) = config.main() else {
        diagnostics.push(
            Diagnostic::warning(codes::MISSING_MAIN, format!("{} has no `main`, so lunora cannot tell which container classes the worker exports; container wiring was not written", config.file()))
                .with_primary(config.file(), Span::default(), "")
                .with_help("set `\"main\": \"src/index.ts\"` (your worker entry) in the wrangler config"),
        );
        return Vec::new();
    };
    let (entry_rel, entry_dir, reexport_line) = project::WorkerEntry::from_main(main).into_parts();
    let text = match project.read(&entry_rel) {
        Ok(Some(t)) => t,
        Ok(None) => {
            diagnostics.push(
                Diagnostic::warning(codes::MISSING_ENTRY, format!("the worker entry {entry_rel} (wrangler `main`) does not exist; container wiring was not written"))
                    .with_help(format!("create {entry_rel} with `{reexport_line}`")),
            );
            return Vec::new();
        }
        Err(e) => {
            diagnostics.push(project::read_error(&entry_rel, &e));
            return Vec::new();
        }
    };
    let exports = match lunora_parser::entry_exports(&text, &entry_rel) {
        Ok(x) => x,
        Err(errs) => {
            sources.insert(entry_rel.clone(), text);
            diagnostics.extend(errs);
            return Vec::new();
        }
    };
    let star = exports
        .star_reexports
        .iter()
        .any(|s| specifier_is_generated_containers(s, &entry_dir));
    let names: HashSet<&str> = exports.value_names.iter().map(String::as_str).collect();
    let mut exported = Vec::new();
    for c in containers {
        if star || names.contains(c.class_name.as_str()) {
            exported.push(c.class_name.clone());
        } else {
            let is_wired = config.wires(&c.class_name);
            // Say what is true: entries from an earlier run (or written by hand) stay as they
            // are; only a class never wired "was not added".
            let message = if is_wired {
                format!(
                    "the worker entry {entry_rel} does not export {}; its entries for the `{}` container in {} were left as they are, and wrangler rejects a Durable Object class the worker does not export",
                    c.class_name, c.export_name, config.file()
                )
            } else {
                format!(
                    "the worker entry {entry_rel} does not export {}, so the `{}` container was not added to {}",
                    c.class_name, c.export_name, config.file()
                )
            };
            diagnostics.push(
                Diagnostic::warning(codes::MISSING_REEXPORT, message)
                    .with_primary(CONTAINERS_TS, c.span, "declared here")
                    .with_help(format!("add `{reexport_line}` to {entry_rel}")),
            );
            missing.push(MissingReexport {
                export_name: c.export_name.clone(),
                class_name: c.class_name.clone(),
                span: c.span,
                entry: entry_rel.clone(),
                line: reexport_line.clone(),
                wired: is_wired,
            });
        }
    }
    if !missing.is_empty() {
        sources.insert(entry_rel, text);
    }
    exported
}

/// With no containers declared, a generated classes module lunora wrote stays (empty), but
/// none is written where there was none, so a worker entry that re-exports a missing one would
/// not build: say which line to delete.
pub(crate) fn warn_stale_reexport(
    project: &Project,
    config: &wc::WranglerConfig,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) {
    let Some(main) = config.main() else {
        return;
    };
    let kept = project.read(CONTAINERS_FILE).ok().flatten();
    if kept.as_deref().is_some_and(lunora_codegen::is_generated) {
        return;
    }
    let (entry_rel, entry_dir, _) = project::WorkerEntry::from_main(main).into_parts();
    let Ok(Some(text)) = project.read(&entry_rel) else {
        return;
    };
    // The star re-exports with their spans, so the warning points at the line to delete.
    let Ok(module) = lunora_parser::adopt::hand_written_classes(&text, &entry_rel) else {
        return;
    };
    if let Some((spec, span)) = module
        .star_exports
        .iter()
        .find(|(s, _)| specifier_is_generated_containers(s, &entry_dir))
    {
        diagnostics.push(
            Diagnostic::warning(
                codes::STALE_REEXPORT,
                format!("{entry_rel} re-exports {CONTAINERS_FILE}, but no containers are declared, so lunora does not generate it"),
            )
            .with_primary(entry_rel.clone(), *span, "this module is not generated")
            .with_help(format!("delete `export * from \"{spec}\";` from {entry_rel}")),
        );
        sources.insert(entry_rel, text);
    }
}
