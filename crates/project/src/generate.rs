//! The plan of `lunora generate lunora-container --name=<name>`: what to scaffold (Dockerfile,
//! starter server, definition, import), the worker-entry re-export, the package.json edit, and
//! every refusal, decided over the project's `Fs` before anything is written.
//!
//! Contract: [`plan`] either refuses (nothing may be written) or returns every file's new text,
//! its target resolved inside the project root, and the notes for what lunora left to the user.
//! The new `containers.ts` has been checked by re-parsing it. Existing text is kept byte for
//! byte: lunora only inserts lines.

use crate::package_json::{self, DependencyEdit, PackageManager};
use crate::project::{Project, WorkerEntry, CONTAINERS_TS};
use anyhow::{bail, Context, Result};
use lunora_parser::{
    binding_for, camel_case_name, check_export_name, class_name_for, dash_case_name,
    is_windows_device_name,
};
use std::path::{Path, PathBuf};

const DOCKERFILE_TEMPLATE: &str = include_str!("../../../templates/Dockerfile.jinja");
const SERVER_TEMPLATE: &str = include_str!("../../../templates/server.mjs.jinja");

/// Besides [`lunora_naming::RESERVED_WORDS`], names a `const` export should not take: strict-mode
/// restrictions and globals the generated code relies on.
const RESERVED_EXTRA: &[&str] = &[
    "arguments",
    "eval",
    "undefined",
    "NaN",
    "Infinity",
    "globalThis",
];

/// One file the scaffold writes: its new text and where it goes (already resolved inside the
/// project root).
pub struct StagedFile {
    pub rel: String,
    pub path: PathBuf,
    pub text: String,
    /// `created` or `updated`.
    pub verb: &'static str,
}

/// Everything `generate` will do, and what the CLI needs to tell the user afterwards.
pub struct GeneratePlan {
    pub export_name: String,
    pub class_name: String,
    pub binding: String,
    /// `containers/<dash-name>`.
    pub dir_rel: String,
    pub port: u16,
    /// In write order.
    pub files: Vec<StagedFile>,
    /// The runtime dependencies added to package.json (`name`, `range`).
    pub added_deps: Vec<(String, String)>,
    /// The command that installs them with the project's package manager.
    pub install_command: String,
    /// How the user runs lunora here (`npx lunora` or `lunora`).
    pub runner: String,
    /// The worker entry's path, or `your worker entry` when there is none.
    pub entry_name: String,
    /// The generated handles module as the worker entry imports it.
    pub handles_specifier: String,
    /// What lunora left to the user (a skipped re-export, a package.json it could not edit).
    pub notes: Vec<String>,
}

/// The generated handles module, without extension, relative to the root.
const GENERATED_HANDLES_MODULE: &str = "lunora/_generated/containerHandles";

/// Plans scaffolding the container `name` listening on `port`. An `Err` is a refusal: nothing
/// may be written. A `name` [`export_name_for`] rejects is refused with its message.
pub fn plan(project: &Project, name: &str, port: u16) -> Result<GeneratePlan> {
    let (export_name, dir_name) = export_name_for(name)?;
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
        port => port,
        define_ident => define_ident.as_str(),
    };
    let definition =
        lunora_codegen::scaffold_definition(&export_name, &dir_name, port, &define_ident);
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

    let mut writes: Vec<(String, String, &'static str)> = vec![
        (
            format!("{dir_rel}/Dockerfile"),
            render(DOCKERFILE_TEMPLATE, &vars)? + "\n",
            "created",
        ),
        (
            format!("{dir_rel}/server.mjs"),
            render(SERVER_TEMPLATE, &vars)? + "\n",
            "created",
        ),
        (
            CONTAINERS_TS.to_string(),
            containers_ts,
            if existing.is_some() {
                "updated"
            } else {
                "created"
            },
        ),
    ];
    let mut notes = Vec::new();
    match entry_with_reexport(project)? {
        EntryEdit::Write(rel, text) => writes.push((rel, text, "updated")),
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
                writes.push(("package.json".into(), new.clone(), "updated"));
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
                .map(|(n, r)| crate::text::shell_quote(&format!("{n}@{r}")))
                .collect::<Vec<_>>()
                .join(" ")
        )),
    }

    // Every target resolves inside the root (a `main` of `/abs/x.ts` or `../x.ts`, or a
    // symlink out, is refused) before the first write.
    let files = writes
        .into_iter()
        .map(|(rel, text, verb)| match project.resolve_inside(&rel) {
            Ok(path) => Ok(StagedFile {
                rel,
                path,
                text,
                verb,
            }),
            Err(why) => Err(anyhow::anyhow!(
                "refusing to write {rel}: {why}; nothing was written"
            )),
        })
        .collect::<Result<Vec<_>>>()?;

    let entry = worker_entry(project);
    let (entry_name, from_dir) = match &entry {
        Some(e) => (e.rel.clone(), e.dir.clone()),
        None => ("your worker entry".to_string(), PathBuf::new()),
    };
    let handles_specifier =
        lunora_codegen::relative_specifier(&from_dir, Path::new(GENERATED_HANDLES_MODULE));
    Ok(GeneratePlan {
        class_name: class_name_for(&export_name),
        runner: runner(manifest.as_deref(), package_manager),
        install_command: package_manager.install_command().to_string(),
        export_name,
        binding,
        dir_rel,
        port,
        files,
        added_deps,
        entry_name,
        handles_specifier,
        notes,
    })
}

/// `a@^1 and b@2` for messages.
pub fn describe_deps(deps: &[(String, String)]) -> String {
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
fn worker_entry(project: &Project) -> Option<WorkerEntry> {
    let config = project.wrangler_file().ok()??.parse().ok()?;
    config.main().map(WorkerEntry::from_main)
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
    if lunora_naming::RESERVED_WORDS.contains(&camel.as_str())
        || RESERVED_EXTRA.contains(&camel.as_str())
    {
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

/// The new `containers.ts` (see `crate::source::containers_ts_with`).
fn scaffold_containers_ts(existing: Option<&str>, definition: &str) -> Result<String> {
    crate::source::containers_ts_with(existing, definition).map_err(|d| {
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
    let (entry_rel, entry_dir, line) = WorkerEntry::from_main(main).into_parts();
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
    let in_node_modules = |p: &Path| p.components().any(|c| c.as_os_str() == "node_modules");
    if in_node_modules(Path::new(&entry_rel))
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
            .any(|s| lunora_codegen::specifier_is_generated_containers(s, &entry_dir))
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

    use crate::fs::MemoryFs;
    use std::sync::Arc;

    const WRANGLER: &str = "{\n  \"name\": \"app\",\n  \"main\": \"src/index.ts\"\n}\n";
    const ENTRY: &str = "export default { fetch() { return new Response(\"hi\"); } };\n";

    fn project(fs: MemoryFs) -> Project {
        Project::new(Arc::new(fs), PathBuf::from("/app"))
    }

    fn wired() -> MemoryFs {
        MemoryFs::new()
            .file("/app/wrangler.jsonc", WRANGLER)
            .file("/app/src/index.ts", ENTRY)
            .file("/app/package.json", "{\n  \"name\": \"app\"\n}\n")
    }

    fn refusal(fs: MemoryFs, name: &str) -> String {
        match plan(&project(fs), name, 8080) {
            Ok(_) => panic!("--name={name} was planned, not refused"),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn a_wired_project_gets_the_scaffold_the_reexport_and_the_dependencies() {
        let plan = plan(&project(wired()), "image-resizer", 3000).unwrap();
        let files: Vec<(&str, &str)> = plan
            .files
            .iter()
            .map(|f| (f.rel.as_str(), f.verb))
            .collect();
        assert_eq!(
            files,
            [
                ("containers/image-resizer/Dockerfile", "created"),
                ("containers/image-resizer/server.mjs", "created"),
                (CONTAINERS_TS, "created"),
                ("src/index.ts", "updated"),
                ("package.json", "updated"),
            ]
        );
        for f in &plan.files {
            assert_eq!(
                f.path,
                Path::new("/app").join(&f.rel),
                "{} resolves in the root",
                f.rel
            );
        }
        let text = |rel: &str| &plan.files.iter().find(|f| f.rel == rel).unwrap().text;
        assert!(text("containers/image-resizer/server.mjs").contains("3000"));
        assert!(text(CONTAINERS_TS).contains("export const imageResizer = defineContainer("));
        let reexport = WorkerEntry::from_main("src/index.ts").reexport_line();
        assert_eq!(text("src/index.ts"), &format!("{reexport}\n{ENTRY}"));
        let manifest: serde_json::Value = serde_json::from_str(text("package.json")).unwrap();
        for (name, range) in package_json::runtime_dependencies() {
            assert_eq!(manifest["dependencies"][&name], range.as_str(), "{name}");
        }
        assert_eq!(plan.added_deps, package_json::runtime_dependencies());
        assert_eq!(
            (plan.export_name.as_str(), plan.dir_rel.as_str(), plan.port),
            ("imageResizer", "containers/image-resizer", 3000)
        );
        assert_eq!(plan.binding, binding_for("imageResizer"));
        assert_eq!(plan.entry_name, "src/index.ts");
        assert_eq!(
            plan.handles_specifier,
            "../lunora/_generated/containerHandles"
        );
        assert_eq!(plan.runner, "lunora");
        assert_eq!(plan.install_command, "npm install");
        assert!(plan.notes.is_empty(), "{:?}", plan.notes);
    }

    #[test]
    fn a_second_container_is_appended_and_an_existing_reexport_is_kept() {
        let reexport = WorkerEntry::from_main("src/index.ts").reexport_line();
        let fs = wired()
            .file("/app/src/index.ts", format!("{reexport}\n{ENTRY}"))
            .file("/app/pnpm-lock.yaml", "")
            .file(
                "/app/package.json",
                "{\"devDependencies\": {\"@lunora/cli\": \"*\"}}\n",
            );
        let first = plan(&project(fs), "transcoder", 8080).unwrap();
        let containers = first.files[2].text.clone();
        let fs = wired()
            .file("/app/src/index.ts", format!("{reexport}\n{ENTRY}"))
            .file("/app/pnpm-lock.yaml", "")
            .file(
                "/app/package.json",
                "{\"devDependencies\": {\"@lunora/cli\": \"*\"}}\n",
            )
            .file(format!("/app/{CONTAINERS_TS}"), containers.as_str());
        let second = plan(&project(fs), "resizer", 8080).unwrap();
        let rels: Vec<&str> = second.files.iter().map(|f| f.rel.as_str()).collect();
        assert!(!rels.contains(&"src/index.ts"), "{rels:?}");
        let new = &second
            .files
            .iter()
            .find(|f| f.rel == CONTAINERS_TS)
            .unwrap();
        assert_eq!(new.verb, "updated");
        assert!(
            new.text.starts_with(containers.as_str()),
            "existing text kept byte for byte"
        );
        assert!(new.text.contains("export const resizer = defineContainer("));
        assert_eq!(second.runner, PackageManager::Pnpm.exec_command("lunora"));
        assert_eq!(
            second.install_command,
            PackageManager::Pnpm.install_command()
        );
    }

    #[test]
    fn refusals_name_the_reason() {
        let taken = wired().file(
            format!("/app/{CONTAINERS_TS}"),
            "export const transcoder = 1;\n",
        );
        assert!(refusal(taken, "transcoder").contains("already exports `transcoder`"));
        let dir = wired().dir("/app/containers/transcoder");
        assert!(refusal(dir, "transcoder")
            .starts_with("containers/transcoder already exists; choose another --name"));
        let installed = wired()
            .file(
                "/app/wrangler.jsonc",
                "{\"main\": \"node_modules/pkg/index.ts\"}",
            )
            .file("/app/node_modules/pkg/index.ts", ENTRY);
        assert!(refusal(installed, "transcoder").contains("it is inside node_modules"));
        let outside = wired().file("/app/wrangler.jsonc", "{\"main\": \"../other/index.ts\"}");
        assert!(refusal(outside, "transcoder").contains("outside the project root"));
        assert!(refusal(wired(), "class").contains("a reserved word"));
    }

    #[test]
    fn what_lunora_cannot_edit_becomes_a_note_not_a_refusal() {
        let bare = MemoryFs::new().dir("/app");
        let plan = plan(&project(bare), "transcoder", 8080).unwrap();
        assert_eq!(plan.files.len(), 3, "the scaffold only");
        assert_eq!(plan.entry_name, "your worker entry");
        assert_eq!(plan.notes.len(), 2, "{:?}", plan.notes);
        assert!(plan.notes[0].starts_with("there is no wrangler.jsonc yet"));
        assert!(plan.notes[1].starts_with("there is no package.json;"));
        assert!(plan.added_deps.is_empty());
        let unparsable = wired().file("/app/src/index.ts", "export default {\n");
        let plan = super::plan(&project(unparsable), "transcoder", 8080).unwrap();
        assert!(plan.files.iter().all(|f| f.rel != "src/index.ts"));
        assert!(plan.notes[0].starts_with("src/index.ts does not parse, so it was left alone"));
    }
}
