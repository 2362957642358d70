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
use lunora_parser::{
    binding_for, camel_case_name, check_export_name, class_name_for, dash_case_name,
    is_windows_device_name,
};
use lunora_project::package_json::{self, DependencyEdit, PackageManager};

const DOCKERFILE_TEMPLATE: &str = include_str!("../../../../templates/Dockerfile.jinja");
const SERVER_TEMPLATE: &str = include_str!("../../../../templates/server.mjs.jinja");

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
    // A `--name` no container can have is a usage error (exit 2), like an unknown flag.
    let (export_name, dir_name) = match export_name_for(&args.name) {
        Ok(names) => names,
        Err(e) => {
            reporter.error(crate::codes::LUNORA_USAGE, &format!("{e:#}"), None);
            return Ok(2);
        }
    };
    let binding = binding_for(&export_name);
    let dir_rel = format!("containers/{dir_name}");

    // containers.ts: the definition appended, the import added when missing.
    let existing = project.read(CONTAINERS_TS)?;
    let define_ident = match &existing {
        Some(text) => check_existing(text, &export_name, &binding)?,
        None => "defineContainer".to_string(),
    };
    if project.fs().kind(&project.path(&dir_rel)).is_some() {
        bail!("{dir_rel} already exists; choose another --name or remove the directory");
    }
    let vars = minijinja::context! {
        export_name => export_name.as_str(),
        kebab_name => dir_name.as_str(),
        port => args.port,
        define_ident => define_ident.as_str(),
    };
    let definition =
        lunora_codegen::scaffold_definition(&export_name, &dir_name, args.port, &define_ident);
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
    let package_manager = package_json::detect_package_manager(project.fs(), &project.root);
    let deps = package_json::runtime_dependencies();
    let mut added_deps = Vec::new();
    let mut manifest = project.read("package.json")?;
    match &manifest {
        Some(text) => match package_json::add_dependencies(text, &deps) {
            Ok(DependencyEdit::Added(new, added)) => {
                writes.push(Write {
                    rel: "package.json".into(),
                    text: new.clone(),
                    verb: "updated",
                });
                manifest = Some(new);
                added_deps = added;
            }
            Ok(DependencyEdit::Unchanged) => {}
            Err(why) => notes.push(format!(
                "package.json was left alone: {why}. The generated code imports {}; add them to `dependencies`",
                describe_deps(&deps)
            )),
        },
        None => notes.push(format!(
            "there is no package.json; the generated code imports {}: create one (`npm init -y`) and install them (`npm install {}`)",
            describe_deps(&deps),
            deps.iter()
                .map(|(n, r)| crate::output::shell_quote(&format!("{n}@{r}")))
                .collect::<Vec<_>>()
                .join(" ")
        )),
    }

    // Every target resolves inside the root (a `main` of `/abs/x.ts` or `../x.ts`, or a
    // symlink out, is refused) before the first write.
    let paths = writes
        .iter()
        .map(|w| {
            project.resolve_inside(&w.rel).map_err(|why| {
                anyhow::anyhow!("refusing to write {}: {why}; nothing was written", w.rel)
            })
        })
        .collect::<Result<Vec<_>>>()?;
    for (w, path) in writes.iter().zip(&paths) {
        write_atomic(path, w.text.as_bytes())?;
        reporter.progress(&format!("lunora/{}", w.verb), w.verb, &w.rel, "");
    }
    let outcome = codegen::run_once(project, &PlanOptions::default(), false, reporter)?;

    let class_name = class_name_for(&export_name);
    let lunora = runner(manifest.as_deref(), package_manager);
    let mut next = format!("\nScaffolded `{export_name}` ({class_name}, binding {binding}).\n");
    if !added_deps.is_empty() {
        next.push_str(&format!(
            "Added to package.json (dependencies): {}.\n",
            describe_deps(&added_deps)
        ));
    }
    next.push_str("\nNext steps:\n");
    let mut step = 0;
    let mut push_step = |text: String| {
        step += 1;
        next.push_str(&format!("  {step}. {text}\n"));
    };
    if !added_deps.is_empty() {
        push_step(format!(
            "Install the new dependencies: `{}`.",
            package_manager.install_command()
        ));
    }
    push_step(format!(
        "Put your workload in {dir_rel}/server.mjs (it must listen on port {port}) and adjust {dir_rel}/Dockerfile.",
        port = args.port
    ));
    let entry = worker_entry(project);
    let (entry_name, from_dir) = match &entry {
        Some(e) => (e.rel.clone(), e.dir.clone()),
        None => ("your worker entry".to_string(), std::path::PathBuf::new()),
    };
    let handles =
        project::relative_specifier(&from_dir, std::path::Path::new(GENERATED_HANDLES_MODULE));
    push_step(format!(
        "Call it from your worker ({entry_name}), building the handles from `env`:\n\
         \x20      import {{ createContainers, type ContainersEnv }} from \"{handles}\";\n\
         \x20      const containers = createContainers(env);\n\
         \x20      const response = await containers.{export_name}.get(\"some-id\").fetch(request);\n\
         \x20    (type the worker's env as `ContainersEnv`; in a Lunora action the same handle is `ctx.containers.{export_name}`)."
    ));
    push_step(format!(
        "Run `{lunora} dev` (with Docker Desktop or Colima running) to try it locally, then `{lunora} deploy`."
    ));
    for n in notes {
        next.push_str(&format!("\nNote: {n}\n"));
    }
    reporter.note(&next);
    if let Some((d, text)) = lunora_project::vcs::generated_ignored(project) {
        let mut at = lunora_diagnostic::Sources::new();
        at.insert(".gitignore", text);
        reporter.diagnostics(&[d], &at);
    }
    Ok(if outcome.types_ok { outcome.code } else { 1 })
}

/// The generated handles module, without extension, relative to the root.
const GENERATED_HANDLES_MODULE: &str = "lunora/_generated/containerHandles";

/// `a@^1 and b@2` for messages.
fn describe_deps(deps: &[(String, String)]) -> String {
    deps.iter()
        .map(|(n, r)| format!("{n}@{r}"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// How the user runs lunora in this project: through the package manager when package.json
/// declares `@lunora/cli` (`npx lunora`), else as `lunora` on PATH.
fn runner(manifest: Option<&str>, pm: PackageManager) -> String {
    let declared = manifest
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        .is_some_and(|v| {
            ["dependencies", "devDependencies"]
                .iter()
                .any(|f| v[f].get("@lunora/cli").is_some())
        });
    if declared {
        pm.exec_command("lunora")
    } else {
        "lunora".to_string()
    }
}

/// The worker entry wrangler's `main` names, if the config has one.
fn worker_entry(project: &Project) -> Option<project::WorkerEntry> {
    let config = project.wrangler_file().ok()??.parse().ok()?;
    config.main().map(project::WorkerEntry::from_main)
}

/// The export name and scaffold directory for `--name`, as Lunora's generator derives them: the
/// export is `camelCase(name)` (`image-resizer` / `image_resizer` → `imageResizer`,
/// `ffmpeg2Pass` → `ffmpeg2Pass`) and the directory `dashCase(name)` (`ffmpeg2-pass`). The
/// export must pass the same rule as `export const` names in `containers.ts`.
pub fn export_name_for(name: &str) -> Result<(String, String)> {
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
    let camel = camel_case_name(name);
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        bail!("--name={name} does not make a JavaScript identifier (`{camel}`); start it with a letter");
    }
    if RESERVED.contains(&camel.as_str()) {
        bail!("--name={name} gives `{camel}`, a reserved word in JavaScript; choose another name");
    }
    if let Err(problem) = check_export_name(&camel) {
        bail!(
            "--name={name} gives the export {}; {}",
            problem.message,
            problem.help
        );
    }
    let dir = dash_case_name(name);
    if is_windows_device_name(&dir) {
        bail!("--name={name} gives the directory containers/{dir}, a reserved device name on Windows; choose another name");
    }
    Ok((camel, dir))
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
    if exports.imported_names.iter().any(|n| n == export_name) {
        bail!("{CONTAINERS_TS} already imports `{export_name}`; choose another --name");
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

/// The new `containers.ts` (see `lunora_project::source::containers_ts_with`).
fn scaffold_containers_ts(existing: Option<&str>, definition: &str) -> Result<String> {
    lunora_project::source::containers_ts_with(existing, definition).map_err(|d| {
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
    let Ok(config) = wf.parse() else {
        return Ok(EntryEdit::Skipped(format!(
            "{} does not parse (`lunora codegen` shows where); fix it so lunora can add the re-export",
            wf.rel
        )));
    };
    let Some(main) = config.main() else {
        return Ok(EntryEdit::Skipped(format!(
            "{} has no `main`; set it so lunora can add the re-export",
            wf.rel
        )));
    };
    let (entry_rel, entry_dir, line) = project::WorkerEntry::from_main(main).into_parts();
    // A `main` of `/abs/x.ts` or `../x.ts` (or a symlink out of the project) is not the
    // project's to edit: refused before anything is written.
    let resolved = match project.resolve_inside(&entry_rel) {
        Ok(resolved) => resolved,
        Err(why) => anyhow::bail!(
            "refusing to edit the worker entry {entry_rel} (wrangler `main` in {}): {why}; nothing was written",
            wf.rel
        ),
    };
    // An installed package is npm's, not the project's: the next install would undo the edit.
    let root = project.fs().canonicalize(&project.root).unwrap_or_default();
    let in_node_modules =
        |p: &std::path::Path| p.components().any(|c| c.as_os_str() == "node_modules");
    if in_node_modules(std::path::Path::new(&entry_rel))
        || in_node_modules(resolved.strip_prefix(&root).unwrap_or(&resolved))
    {
        anyhow::bail!(
            "refusing to edit the worker entry {entry_rel} (wrangler `main` in {}): it is inside node_modules, an installed package; point `main` at your own worker file and add `{line}` to it; nothing was written",
            wf.rel
        );
    }
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
        let names = |n: &str| export_name_for(n).unwrap();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            names("image-resizer"),
            pair("imageResizer", "image-resizer")
        );
        assert_eq!(
            names("image_resizer"),
            pair("imageResizer", "image-resizer")
        );
        assert_eq!(names("transcoder"), pair("transcoder", "transcoder"));
        assert_eq!(names("imageResizer"), pair("imageResizer", "image-resizer"));
        // Regression (issue 10): `--name=ffmpeg2Pass` exported `ffmpeg2pass`; Lunora keeps the case.
        assert_eq!(names("ffmpeg2Pass"), pair("ffmpeg2Pass", "ffmpeg2-pass"));
        assert_eq!(names("myHTTPServer"), pair("myHTTPServer", "my-httpserver"));
        for bad in [
            "",
            "a/b",
            "..",
            "a..b",
            "3d",
            "class",
            "a b",
            "-",
            "a-",
            "a__",
            "constructor",
            "to-string",
            "con",
            "CON",
            "ñandú",
            "$",
        ] {
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
