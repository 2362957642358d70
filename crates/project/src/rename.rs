//! The planning half of `lunora rename OLD NEW`: renames a container so that its Durable Object
//! storage moves with it.
//!
//! The export name in `lunora/containers.ts` is replaced at its span (every other byte kept), a
//! `renamed_classes` migration `OldContainer → NewContainer` goes into every `migrations` array
//! that declares the old class, and the old class's bindings and `containers[]` entries move to the
//! new class in every block (a lunora-derived binding name follows the export; a hand-chosen one is
//! kept). The container application keeps its name: when the old class's entry has no `name`,
//! the name wrangler derived from the old class is pinned (in the definition at top level, in the
//! entry in env blocks). The CLI runs codegen on top, in the same transaction, so a following
//! `codegen` is a no-op.
//!
//! When OLD is no longer declared but its class is lunora's and still wired, and NEW is declared
//! (the export was renamed by hand; codegen held NEW back), only the wrangler part is done.

use crate::codes;
use crate::manifest::recorded_classes;
use crate::project::{Project, CONTAINERS_TS};
use crate::transaction::{Refusal, Staged, Transaction};
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Sources, Span};
use lunora_parser::{binding_for, class_name_for};
use lunora_wrangler_config::ClassRename;

/// A rename that can be made: the staged edits and what to tell the user once written.
pub struct RenamePlan {
    pub old: String,
    pub new: String,
    pub old_class: String,
    pub new_class: String,
    pub staged: Staged,
    /// The wrangler config file (`wrangler.jsonc`).
    pub wrangler_rel: String,
    /// A binding named after OLD (lunora's derivation) exists and gets NEW's name.
    binding_renamed: bool,
}

/// Plans renaming the container exported as `old` to `new` (a name the CLI has checked with
/// `check_export_name`), or says why it cannot be done. `Err` only when a file cannot be read.
pub fn plan(
    project: &Project,
    old: &str,
    new: &str,
) -> Result<std::result::Result<RenamePlan, Refusal>> {
    let mut sources = Sources::new();
    let refuse = |message: String, help: String, sources: &Sources| {
        Ok(Err(Refusal::error(
            codes::RENAME_REFUSED,
            message,
            help,
            sources,
        )))
    };
    if old == new {
        return refuse(
            format!("`{old}` is already called `{new}`"),
            "pass the current export name and the new one: `lunora rename transcoder videoTranscoder`".into(),
            &sources,
        );
    }
    let text = project.read(CONTAINERS_TS)?.unwrap_or_default();
    sources.insert(CONTAINERS_TS, text.clone());
    let parsed = lunora_parser::parse_containers(&text, CONTAINERS_TS);
    if parsed.diagnostics.iter().any(|d| d.is_error()) {
        let old_broken = parsed.declared.iter().any(|d| d == old)
            && !parsed.containers.iter().any(|c| c.export_name == old);
        let why = if old_broken {
            format!("`{old}` has errors; lunora renames only a definition it can read")
        } else {
            format!(
                "{CONTAINERS_TS} has errors, so lunora cannot tell what renaming `{old}` would do"
            )
        };
        return Ok(Err(Refusal::broken_definitions(
            &parsed.diagnostics,
            (codes::RENAME_REFUSED, why),
            "rename",
            &sources,
        )));
    }
    // A class fixed by `className` stays through the rename (nothing in the config moves).
    let old_class = parsed.class_of(old);
    let new_class = if parsed.class_fixed(old) {
        old_class.clone()
    } else {
        class_name_for(new)
    };
    let old_spec = parsed.containers.iter().find(|c| c.export_name == old);
    let new_declared = parsed.declared.iter().any(|d| d == new);

    let Some(wf) = project.wrangler_file()? else {
        return refuse(
            "the project has no wrangler.jsonc or wrangler.json".into(),
            "create the wrangler config (or run `lunora codegen` to see what is missing), then rename".into(),
            &sources,
        );
    };
    sources.insert(wf.rel.clone(), wf.text.clone());
    let (mut config, facts) = match wf.parse().and_then(|config| Ok((config.facts()?, config))) {
        Ok((facts, config)) => (config, facts),
        Err(errors) => return Ok(Err(Refusal::with(errors, &sources))),
    };
    let old_wired = facts.scopes_wiring(&old_class).next().is_some();

    let mut staged = Staged::default();
    match (old_spec, new_declared) {
        (Some(spec), false) => {
            let exports = lunora_parser::entry_exports(&text, CONTAINERS_TS).unwrap_or_default();
            if exports.value_names.iter().any(|n| n == new) {
                return refuse(
                    format!("{CONTAINERS_TS} already exports `{new}`"),
                    "choose another name, or rename that export first".into(),
                    &sources,
                );
            }
            let binding = binding_for(new);
            if let Some(other) = parsed
                .containers
                .iter()
                .find(|c| c.export_name != old && binding_for(&c.export_name) == binding)
            {
                return refuse(
                    format!(
                        "`{new}` would use the binding {binding}, which `{}` already uses",
                        other.export_name
                    ),
                    "choose a name whose words differ".into(),
                    &sources,
                );
            }
            let (start, end) = (spec.span.start as usize, spec.span.end as usize);
            if let Some(d) = other_uses(&text, old, new, start) {
                return Ok(Err(Refusal::with(vec![d], &sources)));
            }
            let mut renamed = format!("{}{new}{}", &text[..start], &text[end..]);
            // The definition keeps the container application wrangler named after the old
            // class, so codegen writes (and owns) the `name` the config gets pinned to below.
            let top = &facts.scopes[0];
            let derived = top
                .containers
                .iter()
                .any(|c| c.class_name == old_class && !c.fields.contains_key("name"));
            if let (true, None, Some(app)) = (
                new_class != old_class && derived,
                &spec.name,
                facts.application_name(top, &old_class),
            ) {
                if let Some(pinned) = pin_definition_name(&renamed, start + new.len(), new, &app) {
                    renamed = pinned;
                }
            }
            staged.put(CONTAINERS_TS, renamed);
        }
        (None, true)
            if old_wired
                && (recorded_classes(project).contains(&old_class)
                    || facts.has_storage(&old_class)) =>
        {
            // The export was renamed by hand: only the wrangler part is left.
        }
        (None, true) => {
            return refuse(
                format!("`{new}` is already declared in {CONTAINERS_TS}, and `{old}` is not"),
                "choose another new name".into(),
                &sources,
            );
        }
        (_, true) => {
            return refuse(
                format!("`{new}` is already declared in {CONTAINERS_TS}"),
                format!("choose another name, or `lunora remove {new}` first"),
                &sources,
            );
        }
        (None, false) => {
            let declared = crate::text::declared_containers(&parsed.declared);
            return Ok(Err(Refusal::error(
                codes::UNKNOWN_CONTAINER,
                format!("there is no container `{old}` to rename ({declared})"),
                "pass the export name from lunora/containers.ts, e.g. `lunora rename transcoder videoTranscoder`".into(),
                &sources,
            )));
        }
    }
    if new_class != old_class {
        if facts.has_storage(&new_class) || facts.scopes_wiring(&new_class).next().is_some() {
            let at = facts
                .scopes
                .iter()
                .find_map(|s| {
                    s.migrations
                        .as_ref()
                        .and_then(|m| m.get(&new_class))
                        .map(|d| d.span)
                })
                .or_else(|| {
                    facts
                        .scopes_wiring(&new_class)
                        .next()
                        .and_then(|s| s.bindings.first().map(|b| b.span))
                });
            let mut d = Diagnostic::error(
                codes::RENAME_REFUSED,
                format!("{new_class} (the class of `{new}`) already exists in {}: it has storage or wiring of its own", wf.rel),
            )
            .with_help(format!(
                "Cloudflare refuses to rename a Durable Object class onto one that exists; choose another name, or remove `{new}`'s class first (`lunora remove {new} --delete-data` deletes its data)"
            ));
            if let Some(at) = at {
                d = d.with_primary(wf.rel.clone(), at, format!("{new_class} here"));
            }
            return Ok(Err(Refusal::with(vec![d], &sources)));
        }
        let rename = ClassRename {
            from: old_class.clone(),
            to: new_class.clone(),
            binding: Some((binding_for(old), binding_for(new))),
        };
        match config.rename_classes(&[rename]) {
            Ok(changes) => staged.wrangler_changes.extend(changes),
            Err(errors) => return Ok(Err(Refusal::with(errors, &sources))),
        }
        if config.text() != wf.text {
            staged.put(&wf.rel, config.into_text());
        }
    }
    let binding_renamed = new_class != old_class
        && binding_for(old) != binding_for(new)
        && facts.scopes.iter().any(|sc| {
            sc.bindings
                .iter()
                .any(|b| b.class_name == old_class && b.name == binding_for(old))
        });
    Ok(Ok(RenamePlan {
        old: old.to_string(),
        new: new.to_string(),
        old_class,
        new_class,
        staged,
        wrangler_rel: wf.rel,
        binding_renamed,
    }))
}

impl RenamePlan {
    /// What the user is told once `tx` (this plan's transaction) is written.
    pub fn summary(&self, tx: &Transaction) -> String {
        let (old, new) = (&self.old, &self.new);
        let (old_class, new_class) = (&self.old_class, &self.new_class);
        let binding_after = tx
            .plan
            .containers
            .iter()
            .find(|c| &c.export_name == new)
            .map(|c| tx.plan.binding_of(c).to_string())
            .unwrap_or_else(|| binding_for(new));
        let mut note = format!("\nRenamed `{old}` to `{new}`");
        if new_class != old_class {
            note.push_str(&format!(
                " ({old_class} → {new_class}). The `renamed_classes` migration moves the stored data of every {old_class} instance to {new_class} at the next deploy"
            ));
        }
        note.push_str(&format!(
            ".\nCode that calls `containers.{old}` must now call `containers.{new}` (binding {binding_after})."
        ));
        if self.binding_renamed {
            note.push_str(&format!(
                "\nThe binding followed the export: code that reads `env.{}` directly must read `env.{}`.",
                binding_for(old),
                binding_for(new)
            ));
        }
        note
    }
}

/// Only the declaration (at `declared_at`) is renamed; any other use of `old` in `text` would
/// stop compiling, so it is refused with every place named.
fn other_uses(text: &str, old: &str, new: &str, declared_at: usize) -> Option<Diagnostic> {
    let others: Vec<Span> = lunora_parser::identifier_uses(text, CONTAINERS_TS, old)
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.start as usize != declared_at)
        .collect();
    if others.is_empty() {
        return None;
    }
    let mut d = Diagnostic::error(
        codes::RENAME_REFUSED,
        format!(
            "{CONTAINERS_TS} uses `{old}` in {} other place{} besides its declaration; rename changes only the declaration",
            others.len(),
            if others.len() == 1 { "" } else { "s" }
        ),
    )
    .with_help(format!(
        "change these uses to `{new}` in the same edit, or remove them, then run `lunora rename {old} {new}` again"
    ));
    for (i, at) in others.into_iter().enumerate() {
        let label = format!("`{old}` used here");
        d = if i == 0 {
            d.with_primary(CONTAINERS_TS, at, label)
        } else {
            d.with_secondary(CONTAINERS_TS, at, label)
        };
    }
    Some(d)
}

/// `text` with `name: "<app>"` as the first property of the `defineContainer({ … })` call whose
/// export name ends at `after`, or `None` when the call is not written that way (then only the
/// config entry is pinned). The result is checked by parsing it.
fn pin_definition_name(text: &str, after: usize, export: &str, app: &str) -> Option<String> {
    let rest = &text[after..];
    let open = rest.find('{')?;
    let head = rest[..open].trim();
    let callee = head.strip_prefix('=')?.trim().strip_suffix('(')?.trim_end();
    if callee.is_empty()
        || !callee
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    {
        return None;
    }
    let at = after + open + 1;
    let value = serde_json::to_string(app).ok()?;
    let comment = "// the container application's name before `lunora rename`: Cloudflare keeps that application";
    let insert = match text[at..]
        .strip_prefix('\n')
        .or_else(|| text[at..].strip_prefix("\r\n"))
    {
        Some(body) => {
            let indent: String = body
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            format!("\n{indent}name: {value}, {comment}")
        }
        None => format!(" name: {value},"),
    };
    let out = format!("{}{insert}{}", &text[..at], &text[at..]);
    let parsed = lunora_parser::parse_containers(&out, CONTAINERS_TS);
    let ok = !parsed.diagnostics.iter().any(|d| d.is_error())
        && parsed
            .containers
            .iter()
            .any(|c| c.export_name == export && c.name.as_deref() == Some(app));
    ok.then_some(out)
}
