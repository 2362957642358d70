//! The planning half of `lunora remove NAME [--delete-data]`: removes a container's definition;
//! with `--delete-data` also its wiring and, through a `deleted_classes` migration, its stored
//! data.
//!
//! Without the flag the class's `containers[]` entries, bindings and storage stay: removing a
//! Durable Object class deletes its data, and that is only done when asked for by name. The
//! definition goes from `lunora/containers.ts` with its own comments, every other byte (other
//! definitions' comments included) kept. When the last container goes, the generated modules
//! stay, empty, so the worker still builds: the worker entry's `export *` of the classes (which
//! lunora added) goes, and the entry's own imports of generated modules are named as kept working.

use crate::codes;
use crate::manifest::recorded_classes;
use crate::project::{Project, WorkerEntry, CONTAINERS_TS};
use crate::source::{leading_comment_start, line_of, remove_lines};
use crate::transaction::{Refusal, Staged, Transaction};
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Sources};
use lunora_wrangler_config::{ConfigFacts, WranglerConfig};

/// A removal that can be made: the staged edits and what to tell the user.
pub struct RemovePlan {
    pub name: String,
    pub class: String,
    /// NAME is declared in `lunora/containers.ts` (else only its wiring remained).
    pub declared: bool,
    pub delete_data: bool,
    pub staged: Staged,
    /// The wrangler config file, when the project has one.
    pub wrangler_rel: Option<String>,
    /// A migration declares the class.
    storage: bool,
    /// The class's wiring that stays (without `--delete-data`), one description each.
    kept: Vec<String>,
    /// The class's top-level binding name.
    binding: Option<String>,
    /// Notes printed after the summary.
    notes: Vec<String>,
}

/// Plans removing the container exported as `name`, or says why it cannot be done. `Err` only
/// when a file cannot be read.
pub fn plan(
    project: &Project,
    name: &str,
    delete_data: bool,
) -> Result<std::result::Result<RemovePlan, Refusal>> {
    let mut sources = Sources::new();
    let text = project.read(CONTAINERS_TS)?.unwrap_or_default();
    sources.insert(CONTAINERS_TS, text.clone());
    let parsed = lunora_parser::parse_containers(&text, CONTAINERS_TS);
    if parsed.diagnostics.iter().any(|d| d.is_error()) {
        return Ok(Err(Refusal::broken_definitions(
            &parsed.diagnostics,
            (
                codes::REMOVE_REFUSED,
                format!("{CONTAINERS_TS} has errors, so lunora cannot tell what removing `{name}` leaves"),
            ),
            "remove",
            &sources,
        )));
    }
    let class = parsed.class_of(name);
    let declared = parsed.declared.iter().any(|d| d == name);
    let wf = project.wrangler_file()?;
    let (config, facts) = match &wf {
        Some(wf) => {
            sources.insert(wf.rel.clone(), wf.text.clone());
            match wf.parse().and_then(|config| Ok((config.facts()?, config))) {
                Ok((facts, config)) => (Some(config), Some(facts)),
                Err(errors) => return Ok(Err(Refusal::with(errors, &sources))),
            }
        }
        None => (None, None),
    };
    let wired = facts
        .as_ref()
        .is_some_and(|f| f.scopes_wiring(&class).next().is_some());
    let storage = facts.as_ref().is_some_and(|f| f.has_storage(&class));
    let recorded = recorded_classes(project).contains(&class);
    if !declared && !(recorded && (wired || storage)) {
        let d = Diagnostic::error(
            codes::UNKNOWN_CONTAINER,
            format!(
                "there is no container `{name}` to remove ({})",
                crate::text::declared_containers(&parsed.declared)
            ),
        );
        let d = if wired || storage {
            d.with_help(format!(
                "{class} is wired in the wrangler config, but lunora did not generate it (it has no record of it), so it is not lunora's to remove; edit the wrangler config by hand, or `lunora adopt` the class first"
            ))
        } else {
            d.with_help(
                "pass the export name from lunora/containers.ts, e.g. `lunora remove transcoder`",
            )
        };
        return Ok(Err(Refusal::with(vec![d], &sources)));
    }

    let mut staged = Staged::default();
    let mut notes: Vec<String> = Vec::new();
    if declared {
        match remove_definition(&text, name, &parsed) {
            Ok(without) => staged.put(CONTAINERS_TS, without),
            Err(errors) => return Ok(Err(Refusal::with(errors, &sources))),
        }
        let remaining = parsed.declared.iter().filter(|d| *d != name).count();
        if remaining == 0 {
            if let Some(config) = &config {
                last_container_entry_edit(project, config, &mut staged, &mut notes)?;
            }
        }
    } else {
        notes.push(format!(
            "`{name}` is no longer declared in {CONTAINERS_TS}; its wiring is what remained."
        ));
    }

    let kept = facts
        .as_ref()
        .map(|f| kept_wiring(f, &class))
        .unwrap_or_default();
    if let (Some(wf), Some(mut config), true) = (&wf, config, delete_data) {
        match config.delete_class(&class) {
            Ok(changes) => staged.wrangler_changes.extend(changes),
            Err(errors) => return Ok(Err(Refusal::with(errors, &sources))),
        }
        if config.text() != wf.text {
            staged.put(&wf.rel, config.into_text());
        }
    }
    let binding = facts.as_ref().and_then(|f| {
        f.scopes[0]
            .bindings
            .iter()
            .find(|b| b.class_name == class)
            .map(|b| b.name.clone())
    });
    Ok(Ok(RemovePlan {
        name: name.to_string(),
        class,
        declared,
        delete_data,
        staged,
        wrangler_rel: wf.map(|w| w.rel),
        storage,
        kept,
        binding,
        notes,
    }))
}

/// `text` without the `export const` statement declaring `name` and its doc comment; `Err` when
/// the statement declares other names too, or is not a statement lunora can remove.
fn remove_definition(
    text: &str,
    name: &str,
    parsed: &lunora_parser::ParseOutput,
) -> std::result::Result<String, Vec<Diagnostic>> {
    let statements = lunora_parser::adopt::export_statements(text, CONTAINERS_TS)?;
    let Some(statement) = statements
        .iter()
        .find(|s| s.names.iter().any(|n| n == name))
    else {
        return Err(vec![Diagnostic::error(
            codes::REMOVE_REFUSED,
            format!("`{name}` is not declared by an `export const` statement lunora can remove"),
        )
        .with_file(CONTAINERS_TS)
        .with_help(format!("delete the definition of `{name}` by hand"))]);
    };
    if statement.names.len() > 1 {
        let spec_span = parsed
            .containers
            .iter()
            .find(|c| c.export_name == name)
            .map(|c| c.span)
            .unwrap_or(statement.span);
        let others: Vec<String> = statement
            .names
            .iter()
            .filter(|n| *n != name)
            .map(|n| format!("`{n}`"))
            .collect();
        return Err(vec![Diagnostic::error(
            codes::REMOVE_REFUSED,
            format!(
                "`{name}` is declared in one statement with {}",
                others.join(", ")
            ),
        )
        .with_primary(CONTAINERS_TS, spec_span, "declared here")
        .with_help(
            "give it an `export const` statement of its own, then remove again",
        )]);
    }
    // The definition's own doc comment goes with it.
    let start = leading_comment_start(text, statement.span.start as usize);
    Ok(remove_lines(text, start, statement.span.end as usize))
}

/// The last container goes: the worker entry's `export *` of the generated classes goes with
/// the module, and every other import of a generated module in the entry is named in `notes`.
fn last_container_entry_edit(
    project: &Project,
    config: &WranglerConfig,
    staged: &mut Staged,
    notes: &mut Vec<String>,
) -> Result<()> {
    let Some(entry) = WorkerEntry::of(config) else {
        return Ok(());
    };
    let Some(entry_text) = project.read(&entry.rel)? else {
        return Ok(());
    };
    let Ok(module) = lunora_parser::adopt::hand_written_classes(&entry_text, &entry.rel) else {
        return Ok(());
    };
    let mut new_text = entry_text.clone();
    for (spec, span) in module.star_exports.iter().rev() {
        if lunora_codegen::specifier_is_generated_containers(spec, &entry.dir) {
            new_text = remove_lines(&new_text, span.start as usize, span.end as usize);
        }
    }
    if new_text != entry_text {
        staged.put(&entry.rel, new_text);
        notes.push(format!(
            "{}: the `export *` of the generated classes went with the last class (lunora added it).",
            entry.rel
        ));
    }
    for import in &module.imports {
        if lunora_codegen::specifier_is_generated(&import.module, &entry.dir) {
            notes.push(format!(
                "{}:{} imports {}: lunora keeps that generated module, empty (no handles, no bindings), so the import still resolves and the worker builds; delete the import and the code that uses it, then lunora/_generated/, when you no longer need them.",
                entry.rel,
                line_of(&entry_text, import.span.start),
                import.module
            ));
        }
    }
    Ok(())
}

/// The wiring of `class` in every scope, one description each.
fn kept_wiring(facts: &ConfigFacts, class: &str) -> Vec<String> {
    let mut kept = Vec::new();
    for scope in facts.scopes_wiring(class) {
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
    kept
}

impl RemovePlan {
    /// `Some(note)` when there is nothing to write: NAME is not declared and its wiring and
    /// data are kept (no `--delete-data`). The note says so and how to delete them.
    pub fn nothing_to_write(&self) -> Option<String> {
        if self.declared || self.delete_data {
            return None;
        }
        let (name, class) = (&self.name, &self.class);
        Some(format!(
            "lunora: `{name}` is not declared in {CONTAINERS_TS}; nothing to remove there. Its wiring and data are kept: {}.\n  To delete them: `lunora remove {name} --delete-data` (deletes the stored data of every {class} instance at the next deploy).",
            if self.kept.is_empty() { "none left".to_string() } else { self.kept.join(", ") }
        ))
    }

    /// What the user is told once `tx` (this plan's transaction) is written.
    pub fn summary(&self, tx: &Transaction) -> String {
        let (name, class) = (&self.name, &self.class);
        let config = self
            .wrangler_rel
            .as_deref()
            .unwrap_or("the wrangler config");
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
        if self.declared {
            out.push_str(&format!("\nRemoved `{name}` from {CONTAINERS_TS}.\n"));
        }
        if self.delete_data {
            if deleted_tags.is_empty() {
                out.push_str(&format!(
                    "No migration declared {class}, so it had no stored data to delete; its wiring is gone.\n"
                ));
            } else {
                out.push_str(&format!(
                    "The data of `{name}` is deleted at the next deploy: the `deleted_classes` migration ({}) makes Cloudflare delete every {class} instance and all of its stored data. Once deployed, that cannot be undone; before deploying, reverting {config} keeps it.\n",
                    deleted_tags.join("; "),
                ));
            }
        } else if !self.kept.is_empty() {
            out.push_str(&format!(
                "Kept in {config}: {}, and the stored data of every {class} instance. Removing a Durable Object class deletes its data, so lunora does that only with --delete-data.\n",
                self.kept.join(", ")
            ));
            out.push_str(&format!(
                "While they remain, `wrangler deploy` refuses the config: the worker no longer exports {class}, and wrangler stops with \"Your Worker depends on the following Durable Objects, which are not exported in your entrypoint file: {class}\"{}.\n",
                self.binding.as_ref().map(|b| format!(" (the binding {b})")).unwrap_or_default()
            ));
            out.push_str(&format!(
                "To finish: `lunora remove {name} --delete-data` deletes the wiring and the data; or declare `{name}` again (or `lunora rename` another container to `{name}`) to keep them.\n"
            ));
        } else if self.storage {
            out.push_str(&format!(
                "The migrations still declare {class}; its stored data is kept.\n"
            ));
        }
        if self.declared {
            out.push_str(&format!(
                "Code that calls `containers.{name}` no longer type-checks; remove those calls.\n"
            ));
        }
        for n in &self.notes {
            out.push_str(&format!("Note: {n}\n"));
        }
        out.trim_end().to_string()
    }
}
