//! `lunora generate lunora-container --name=<name>`: scaffold a container and wire it up.
//!
//! Contract: every refusal happens before anything is written — the whole change (Dockerfile,
//! starter server, definition, import, worker re-export) is planned in memory and checked by
//! re-parsing the new `containers.ts`; only then are files written and codegen run. Existing
//! text is kept byte for byte: lunora only inserts lines.

use crate::commands::codegen;
use crate::fsutil::write_atomic;
use crate::output::Reporter;
use crate::pipeline::{self, PlanOptions};
use crate::project::{self, Project, CONTAINERS_TS};
use anyhow::{bail, Context, Result};
use lunora_parser::{binding_for, class_name_for, kebab_for, words, CONTAINER_MODULE};

const DOCKERFILE_TEMPLATE: &str = include_str!("../../../../templates/Dockerfile.jinja");
const SERVER_TEMPLATE: &str = include_str!("../../../../templates/server.mjs.jinja");
const DEFINITION_TEMPLATE: &str = include_str!("../../../../templates/definition.ts.jinja");

/// Words JavaScript / TypeScript do not accept as a `const` name (or that would shadow globals
/// the generated code relies on).
const RESERVED: &[&str] = &[
    "arguments",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "eval",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "undefined",
    "NaN",
    "Infinity",
    "globalThis",
];

pub struct GenerateArgs {
    pub name: String,
    pub port: u16,
}

/// One file the scaffold writes, planned in memory.
struct Write {
    rel: String,
    text: String,
    verb: &'static str,
}

pub fn run(project: &Project, args: &GenerateArgs, reporter: &Reporter) -> Result<i32> {
    let export_name = export_name_for(&args.name)?;
    let kebab = kebab_for(&export_name);
    let binding = binding_for(&export_name);
    let dir_rel = format!("containers/{kebab}");

    // containers.ts: the definition appended, the import added when missing.
    let existing = project.read(CONTAINERS_TS)?;
    let define_ident = match &existing {
        Some(text) => check_existing(text, &export_name, &binding)?,
        None => "defineContainer".to_string(),
    };
    if project.path(&dir_rel).exists() {
        bail!("{dir_rel} already exists; choose another --name or remove the directory");
    }
    let vars = minijinja::context! {
        export_name => export_name.as_str(),
        kebab_name => kebab.as_str(),
        port => args.port,
        define_ident => define_ident.as_str(),
    };
    let definition = render(DEFINITION_TEMPLATE, &vars)?;
    let containers_ts = scaffold_containers_ts(existing.as_deref(), &definition)?;
    // The result must be what codegen accepts: the containers it had, plus the new one. (A file
    // that called `defineContainer` without importing it gains the containers the import makes
    // real, if they are valid.)
    let before: Vec<String> = existing.as_deref().map_or(Vec::new(), |t| {
        lunora_parser::parse_containers(t, CONTAINERS_TS)
            .containers
            .into_iter()
            .map(|c| c.export_name)
            .collect()
    });
    let parsed = lunora_parser::parse_containers(&containers_ts, CONTAINERS_TS);
    if let Some(error) = parsed.diagnostics.iter().find(|d| d.is_error()) {
        let at = error
            .primary_label()
            .map(|l| lunora_diagnostic::SourceText::new(&containers_ts).line_col(l.span.start));
        bail!(
            "{CONTAINERS_TS} calls `defineContainer` without importing it, and with the import added it has errors \
             ({}{}), so nothing was written: fix them (`lunora codegen` shows them once the import is there), then generate again",
            error.code,
            at.map(|p| format!(" at line {} of the new file", p.line)).unwrap_or_default()
        );
    }
    let names: Vec<&str> = parsed
        .containers
        .iter()
        .map(|c| c.export_name.as_str())
        .collect();
    if !names.contains(&export_name.as_str()) || !before.iter().all(|b| names.contains(&b.as_str()))
    {
        bail!(
            "internal error: the scaffolded {CONTAINERS_TS} does not validate; nothing was written"
        );
    }

    let mut writes = vec![
        Write {
            rel: format!("{dir_rel}/Dockerfile"),
            text: render(DOCKERFILE_TEMPLATE, &vars)? + "\n",
            verb: "created",
        },
        Write {
            rel: format!("{dir_rel}/server.mjs"),
            text: render(SERVER_TEMPLATE, &vars)? + "\n",
            verb: "created",
        },
        Write {
            rel: CONTAINERS_TS.to_string(),
            text: containers_ts,
            verb: if existing.is_some() {
                "updated"
            } else {
                "created"
            },
        },
    ];
    let mut notes = Vec::new();
    match entry_with_reexport(project)? {
        EntryEdit::Write(rel, text) => writes.push(Write {
            rel,
            text,
            verb: "updated",
        }),
        EntryEdit::AlreadyThere => {}
        EntryEdit::Skipped(why) => notes.push(why),
    }

    for w in &writes {
        write_atomic(&project.path(&w.rel), w.text.as_bytes())?;
        reporter.progress(&format!("lunora/{}", w.verb), w.verb, &w.rel, "");
    }
    let outcome = codegen::run_once(project, &PlanOptions::default(), false, reporter)?;

    let class_name = class_name_for(&export_name);
    let mut next = format!(
        "\nScaffolded `{export_name}` ({class_name}, binding {binding}).\n\nNext steps:\n  \
         1. Put your workload in {dir_rel}/server.mjs (it must listen on port {port}) and adjust {dir_rel}/Dockerfile.\n  \
         2. Call it from an action: `await ctx.containers.{export_name}.get(\"some-id\").fetch(request)`.\n  \
         3. Run `lunora dev` (with Docker Desktop or Colima running) to try it locally, then `lunora deploy`.\n",
        port = args.port
    );
    for n in notes {
        next.push_str(&format!("\nNote: {n}\n"));
    }
    reporter.note(&next);
    Ok(outcome.code)
}

/// The export name for `--name`: `image-resizer` / `image_resizer` → `imageResizer`.
fn export_name_for(name: &str) -> Result<String> {
    if name.is_empty() {
        bail!("--name is empty; pass a name such as --name=transcoder");
    }
    if name.contains('/') || name.contains('\\') || name.contains("..") {
        bail!("--name={name} is not allowed: it must be a plain name, without path separators or `..`");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        bail!("--name={name} is not allowed: use letters, digits, `-` and `_` (for example --name=image-resizer)");
    }
    let mut camel = String::new();
    for (i, word) in words(name).iter().enumerate() {
        let lower = word.to_lowercase();
        if i == 0 {
            camel.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                camel.extend(first.to_uppercase());
                camel.push_str(chars.as_str());
            }
        }
    }
    let starts_ok = camel
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic());
    if !starts_ok {
        bail!("--name={name} does not make a JavaScript identifier (`{camel}`); start it with a letter");
    }
    if RESERVED.contains(&camel.as_str()) {
        bail!("--name={name} gives `{camel}`, a reserved word in JavaScript; choose another name");
    }
    Ok(camel)
}

/// Refuses a name that the existing `containers.ts` already uses; returns the identifier under
/// which `defineContainer` is (or will be) imported.
fn check_existing(text: &str, export_name: &str, binding: &str) -> Result<String> {
    let parsed = lunora_parser::parse_containers(text, CONTAINERS_TS);
    if parsed.diagnostics.iter().any(|d| d.is_error()) {
        bail!("{CONTAINERS_TS} has errors; fix them first (`lunora codegen` shows them), then generate again");
    }
    let exports = lunora_parser::entry_exports(text, CONTAINERS_TS)
        .map_err(|_| anyhow::anyhow!("{CONTAINERS_TS} does not parse; fix it first"))?;
    if exports.value_names.iter().any(|n| n == export_name) {
        bail!("{CONTAINERS_TS} already exports `{export_name}`; choose another --name");
    }
    if exports.declared_names.iter().any(|n| n == export_name) {
        bail!("{CONTAINERS_TS} already declares `{export_name}`; choose another --name");
    }
    if let Some(other) = parsed.containers.iter().find(|c| c.binding == binding) {
        bail!(
            "`{export_name}` would use the binding {binding}, which `{}` in {CONTAINERS_TS} already uses; choose another --name",
            other.export_name
        );
    }
    Ok(parsed
        .define_container
        .unwrap_or_else(|| "defineContainer".to_string()))
}

/// The new `containers.ts`: `definition` appended to `existing` (the import of
/// `defineContainer` added after the file's imports when it has none), or a new file.
fn scaffold_containers_ts(existing: Option<&str>, definition: &str) -> Result<String> {
    let Some(text) = existing else {
        return Ok(format!(
            "// lunora/containers.ts: declare containers here; `lunora codegen` generates the rest.\n\
             import {{ defineContainer }} from \"{CONTAINER_MODULE}\";\n\n{definition}\n"
        ));
    };
    lunora_parser::add_definition(text, definition).map_err(|d| {
        let why = d.first().map(|d| d.message.clone()).unwrap_or_default();
        anyhow::anyhow!("cannot add the definition to {CONTAINERS_TS}: {why}")
    })
}

enum EntryEdit {
    Write(String, String),
    AlreadyThere,
    Skipped(String),
}

/// The worker entry (wrangler `main`) with the generated classes re-exported.
fn entry_with_reexport(project: &Project) -> Result<EntryEdit> {
    let Some(wf) = project.wrangler_file()? else {
        return Ok(EntryEdit::Skipped(
            "there is no wrangler.jsonc yet; create one with `main` pointing at your worker entry and re-export \
             the generated classes from it"
                .into(),
        ));
    };
    let Some(main) = project::wrangler_main(&wf.text) else {
        return Ok(EntryEdit::Skipped(format!(
            "{} has no `main`; set it so lunora can add the re-export",
            wf.rel
        )));
    };
    let entry = project::WorkerEntry::from_main(&main);
    let line = entry.reexport_line();
    let project::WorkerEntry {
        rel: entry_rel,
        dir: entry_dir,
    } = entry;
    let Some(text) = project.read(&entry_rel)? else {
        return Ok(EntryEdit::Skipped(format!(
            "the worker entry {entry_rel} does not exist; add `{line}` to it"
        )));
    };
    let exports = match lunora_parser::entry_exports(&text, &entry_rel) {
        Ok(e) => e,
        Err(_) => {
            return Ok(EntryEdit::Skipped(format!(
                "{entry_rel} does not parse, so it was left alone; add `{line}` to it"
            )))
        }
    };
    let reexports = |e: &lunora_parser::EntryExports| {
        e.star_reexports
            .iter()
            .any(|s| pipeline::specifier_is_generated_containers(s, &entry_dir))
    };
    if reexports(&exports) {
        return Ok(EntryEdit::AlreadyThere);
    }
    // Inserted where the syntax tree says a statement goes, then checked by parsing again: the
    // re-export must now be seen, and every export the entry had must still be there.
    let edited = lunora_parser::insert_statement(&text, &entry_rel, &line).ok();
    let verified = edited.filter(|new| {
        lunora_parser::entry_exports(new, &entry_rel).is_ok_and(|after| {
            reexports(&after)
                && exports
                    .value_names
                    .iter()
                    .all(|n| after.value_names.contains(n))
        })
    });
    Ok(match verified {
        Some(new) => EntryEdit::Write(entry_rel, new),
        None => EntryEdit::Skipped(format!(
            "lunora could not add the re-export to {entry_rel} safely, so it was left alone; add `{line}` to it"
        )),
    })
}

fn render(template: &str, vars: &minijinja::Value) -> Result<String> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    let out = env
        .render_str(template, vars)
        .context("rendering a scaffold template")?;
    Ok(out.trim_matches('\n').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(export_name_for("image-resizer").unwrap(), "imageResizer");
        assert_eq!(export_name_for("image_resizer").unwrap(), "imageResizer");
        assert_eq!(export_name_for("transcoder").unwrap(), "transcoder");
        assert_eq!(export_name_for("imageResizer").unwrap(), "imageResizer");
        for bad in ["", "a/b", "..", "a..b", "3d", "class", "a b", "-"] {
            assert!(export_name_for(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_import_goes_after_the_imports_and_the_definition_at_the_end() {
        let existing = "// header\nimport { other } from \"x\";\n\nexport const a = 1;\n";
        assert_eq!(
            scaffold_containers_ts(Some(existing), "DEF").unwrap(),
            "// header\nimport { other } from \"x\";\nimport { defineContainer } from \"@lunora/container\";\n\nexport const a = 1;\n\nDEF\n"
        );
        // An import that is only text inside a comment or template does not count.
        let existing = "/*\nimport { defineContainer } from \"@lunora/container\";\n*/\nconst t = `\nimport x from \"y\";\n`;\n";
        assert_eq!(
            scaffold_containers_ts(Some(existing), "DEF").unwrap(),
            "/*\nimport { defineContainer } from \"@lunora/container\";\n*/\nimport { defineContainer } from \"@lunora/container\";\nconst t = `\nimport x from \"y\";\n`;\n\nDEF\n"
        );
        // Lone-CR files keep their line terminator.
        assert_eq!(
            scaffold_containers_ts(Some("a();\r"), "D").unwrap(),
            "import { defineContainer } from \"@lunora/container\";\ra();\r\rD\r"
        );
    }
}
