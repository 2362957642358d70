//! `lunora remove NAME [--delete-data]`: removes a container's definition; with `--delete-data`
//! also its wiring and, through a `deleted_classes` migration, its stored data.
//!
//! Without the flag the class's `containers[]` entries, bindings and storage stay: removing a
//! Durable Object class deletes its data, and that is only done when asked for by name. The
//! definition goes from `lunora/containers.ts` with its own comments, every other byte (other
//! definitions' comments included) kept. When the last container goes, the generated modules go
//! too (codegen removes them), and so does the worker entry's `export *` of them, which would no
//! longer resolve; other imports of generated modules in the entry are named, since the build
//! fails until they go.

use crate::commands::migrate::{self, line_of, Staged};
use crate::output::Reporter;
use crate::pipeline;
use crate::project::{self, Project, CONTAINERS_TS};
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Sources};
use lunora_wrangler_config as wc;

pub fn run(project: &Project, name: &str, delete_data: bool, reporter: &Reporter) -> Result<i32> {
    let mut sources = Sources::new();
    let text = project.read(CONTAINERS_TS)?.unwrap_or_default();
    sources.insert(CONTAINERS_TS, text.clone());
    let parsed = lunora_parser::parse_containers(&text, CONTAINERS_TS);
    if parsed.diagnostics.iter().any(|d| d.is_error()) {
        return Ok(migrate::refuse_broken_definitions(
            reporter,
            &parsed.diagnostics,
            (
                crate::codes::LUNORA_REMOVE_REFUSED,
                format!("{CONTAINERS_TS} has errors, so lunora cannot tell what removing `{name}` leaves"),
            ),
            "remove",
            &sources,
        ));
    }
    let class = parsed.class_of(name);
    let declared = parsed.declared.iter().any(|d| d == name);
    let wf = project.wrangler_file()?;
    let (config, facts) = match &wf {
        Some(wf) => {
            sources.insert(wf.rel.clone(), wf.text.clone());
            match wf.parse().and_then(|config| Ok((config.facts()?, config))) {
                Ok((facts, config)) => (Some(config), Some(facts)),
                Err(errors) => return Ok(migrate::refuse(reporter, &errors, &sources)),
            }
        }
        None => (None, None),
    };
    let wired = facts
        .as_ref()
        .is_some_and(|f| f.scopes_wiring(&class).next().is_some());
    let storage = facts.as_ref().is_some_and(|f| f.has_storage(&class));
    let recorded = pipeline::recorded_classes(project).contains(&class);
    if !declared && !(recorded && (wired || storage)) {
        let mut d = Diagnostic::error(
            crate::codes::LUNORA_UNKNOWN_CONTAINER,
            format!(
                "there is no container `{name}` to remove ({})",
                lunora_project::text::declared_containers(&parsed.declared)
            ),
        );
        d = if wired || storage {
            d.with_help(format!(
                "{class} is wired in the wrangler config, but lunora did not generate it (it has no record of it), so it is not lunora's to remove; edit the wrangler config by hand, or `lunora adopt` the class first"
            ))
        } else {
            d.with_help(
                "pass the export name from lunora/containers.ts, e.g. `lunora remove transcoder`",
            )
        };
        return Ok(migrate::refuse(reporter, &[d], &sources));
    }

    let mut staged = Staged::default();
    let mut notes: Vec<String> = Vec::new();
    let remaining = parsed.declared.iter().filter(|d| *d != name).count();
    if declared {
        let statements = match lunora_parser::adopt::export_statements(&text, CONTAINERS_TS) {
            Ok(s) => s,
            Err(errors) => return Ok(migrate::refuse(reporter, &errors, &sources)),
        };
        let Some(statement) = statements
            .iter()
            .find(|s| s.names.iter().any(|n| n == name))
        else {
            return Ok(migrate::refuse(
                reporter,
                &[Diagnostic::error(
                    crate::codes::LUNORA_REMOVE_REFUSED,
                    format!(
                        "`{name}` is not declared by an `export const` statement lunora can remove"
                    ),
                )
                .with_file(CONTAINERS_TS)
                .with_help(format!("delete the definition of `{name}` by hand"))],
                &sources,
            ));
        };
        if statement.names.len() > 1 {
            let spec_span = parsed
                .containers
                .iter()
                .find(|c| c.export_name == name)
                .map(|c| c.span)
                .unwrap_or(statement.span);
            return Ok(migrate::refuse(
                reporter,
                &[Diagnostic::error(
                    crate::codes::LUNORA_REMOVE_REFUSED,
                    format!(
                        "`{name}` is declared in one statement with {}",
                        statement
                            .names
                            .iter()
                            .filter(|n| *n != name)
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with_primary(CONTAINERS_TS, spec_span, "declared here")
                .with_help("give it an `export const` statement of its own, then remove again")],
                &sources,
            ));
        }
        // The definition's own doc comment goes with it.
        let start =
            lunora_project::source::leading_comment_start(&text, statement.span.start as usize);
        staged.put(
            CONTAINERS_TS,
            migrate::remove_lines(&text, start, statement.span.end as usize),
        );
    } else {
        notes.push(format!(
            "`{name}` is no longer declared in {CONTAINERS_TS}; its wiring is what remained."
        ));
    }

    // The last container: the entry's `export *` of the generated classes goes with the module.
    if remaining == 0 && declared {
        if let Some(config) = &config {
            if let Some(main) = config.main() {
                let entry = project::WorkerEntry::from_main(main);
                if let Some(entry_text) = project.read(&entry.rel)? {
                    if let Ok(module) =
                        lunora_parser::adopt::hand_written_classes(&entry_text, &entry.rel)
                    {
                        let mut new_text = entry_text.clone();
                        let stars: Vec<_> = module
                            .star_exports
                            .iter()
                            .filter(|(spec, _)| {
                                pipeline::specifier_is_generated_containers(spec, &entry.dir)
                            })
                            .collect();
                        for (_, span) in stars.iter().rev() {
                            new_text = migrate::remove_lines(
                                &new_text,
                                span.start as usize,
                                span.end as usize,
                            );
                        }
                        if new_text != entry_text {
                            staged.put(&entry.rel, new_text);
                        }
                        for import in &module.imports {
                            if lunora_codegen::specifier_is_generated(&import.module, &entry.dir) {
                                notes.push(format!(
                                    "{}:{} imports {}, which lunora removes with the last container: delete that import and the code that uses it, or the worker no longer builds.",
                                    entry.rel,
                                    line_of(&entry_text, import.span.start),
                                    import.module
                                ));
                            }
                        }
                    }
                }
            }
        }
    }

    let wrangler_rel = wf.as_ref().map(|w| w.rel.clone());
    let mut kept: Vec<String> = Vec::new();
    if let (Some(wf), Some(facts)) = (&wf, &facts) {
        for scope in facts.scopes_wiring(&class) {
            for c in scope.containers.iter().filter(|c| c.class_name == class) {
                kept.push(format!(
                    "{}containers[] entry for {}",
                    scope.prefix, c.class_name
                ));
            }
            for b in scope.bindings.iter().filter(|b| b.class_name == class) {
                kept.push(format!(
                    "{}durable_objects.bindings {} → {class}",
                    scope.prefix, b.name
                ));
            }
        }
        if delete_data {
            let fmt = wc::detect_format(&wf.rel);
            let mut cfg = wf.text.clone();
            let steps: [migrate::ConfigStep<'_>; 3] = [
                &|t| wc::remove_container_entry(t, fmt, &wf.rel, &class),
                &|t| wc::remove_binding(t, fmt, &wf.rel, &class),
                &|t| wc::append_delete(t, fmt, &wf.rel, std::slice::from_ref(&class)),
            ];
            for step in steps {
                match step(&cfg) {
                    Ok(out) => {
                        cfg = out.text;
                        staged.wrangler_changes.extend(out.changes);
                    }
                    Err(errors) => return Ok(migrate::refuse(reporter, &errors, &sources)),
                }
            }
            if cfg != wf.text {
                staged.put(&wf.rel, cfg);
            }
        }
    }
    if !declared && !delete_data {
        reporter.note(&format!(
            "lunora: `{name}` is not declared in {CONTAINERS_TS}; nothing to remove there. Its wiring and data are kept: {}.\n  To delete them: `lunora remove {name} --delete-data` (deletes the stored data of every {class} instance at the next deploy).",
            if kept.is_empty() { "none left".to_string() } else { kept.join(", ") }
        ));
        return Ok(0);
    }

    let (code, tx) = migrate::finish(project, staged, wrangler_rel.as_deref(), false, reporter)?;
    if code != 0 {
        return Ok(code);
    }
    let deleted_tags: Vec<String> = tx
        .wrangler_changes
        .iter()
        .filter(|(_, c)| c.what.contains("deleted_classes"))
        .map(|(_, c)| {
            // `env.x.migrations entry v3 (deleted_classes …)` → `env.x.migrations v3`.
            let (scope, rest) = c
                .what
                .split_once(" entry ")
                .unwrap_or(("migrations", &c.what));
            let tag = rest.split_whitespace().next().unwrap_or("");
            format!("{scope} {tag}")
        })
        .collect();
    let mut out = String::new();
    if declared {
        out.push_str(&format!("\nRemoved `{name}` from {CONTAINERS_TS}.\n"));
    }
    if delete_data {
        if deleted_tags.is_empty() {
            out.push_str(&format!(
                "No migration declared {class}, so it had no stored data to delete; its wiring is gone.\n"
            ));
        } else {
            out.push_str(&format!(
                "The data of `{name}` is deleted at the next deploy: the `deleted_classes` migration ({}) makes Cloudflare delete every {class} instance and all of its stored data. Once deployed, that cannot be undone; before deploying, reverting {} keeps it.\n",
                deleted_tags.join("; "),
                wrangler_rel.as_deref().unwrap_or("the wrangler config")
            ));
        }
    } else if !kept.is_empty() {
        let binding = facts.as_ref().and_then(|f| {
            f.scopes[0]
                .bindings
                .iter()
                .find(|b| b.class_name == class)
                .map(|b| b.name.clone())
        });
        out.push_str(&format!(
            "Kept in {}: {}, and the stored data of every {class} instance. Removing a Durable Object class deletes its data, so lunora does that only with --delete-data.\n",
            wrangler_rel.as_deref().unwrap_or("the wrangler config"),
            kept.join(", ")
        ));
        out.push_str(&format!(
            "While they remain, `wrangler deploy` refuses the config: the worker no longer exports {class}, and wrangler stops with \"Your Worker depends on the following Durable Objects, which are not exported in your entrypoint file: {class}\"{}.\n",
            binding.map(|b| format!(" (the binding {b})")).unwrap_or_default()
        ));
        out.push_str(&format!(
            "To finish: `lunora remove {name} --delete-data` deletes the wiring and the data; or declare `{name}` again (or `lunora rename` another container to `{name}`) to keep them.\n"
        ));
    } else if storage {
        out.push_str(&format!(
            "The migrations still declare {class}; its stored data is kept.\n"
        ));
    }
    if declared {
        out.push_str(&format!(
            "Code that calls `containers.{name}` no longer type-checks; remove those calls.\n"
        ));
    }
    for n in notes {
        out.push_str(&format!("Note: {n}\n"));
    }
    reporter.note(out.trim_end());
    Ok(0)
}
