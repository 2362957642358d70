//! The codegen pipeline shared by `codegen`, `dev`, `deploy` and `--watch`: read the project,
//! parse and validate, render, reconcile — all in memory — into a [`Plan`]. Applying the plan is
//! the only step that writes, and it is skipped entirely when any diagnostic is an error.

use crate::fsutil::{remove_stale_temp_files, write_all_atomic};
use crate::project::{self, Project, CONTAINERS_TS, GENERATED_CONTAINERS_MODULE};
use anyhow::Result;
use lunora_codegen::CONTAINERS_FILE;
use lunora_diagnostic::{has_errors, Diagnostic, Sources, Span};
use lunora_parser::{ContainerSpec, ImageSource, InstanceType, StepPercentage};
use lunora_wrangler_config::{
    self as wc, Change, ConfigFormat, DesiredContainer, InstanceTypeValue, RolloutStep,
};
use std::path::Path;

/// Options that change what the pipeline reconciles.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Wrangler environment (`--env NAME`) whose block is reconciled too.
    pub env: Option<String>,
    /// Skip the `containers/image-not-found` warning (deploy reports a missing image source as
    /// an error of its own gate instead).
    pub skip_image_source_warning: bool,
}

/// One file the run wants in a given state.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// Relative to the root, `/`-separated.
    pub rel: String,
    pub old: Option<String>,
    /// `None` deletes the file.
    pub new: Option<String>,
}

impl FileChange {
    pub fn is_change(&self) -> bool {
        self.old != self.new
    }
}

/// Everything one run would do, computed without writing.
pub struct Plan {
    pub containers: Vec<ContainerSpec>,
    pub diagnostics: Vec<Diagnostic>,
    /// Texts of the files diagnostics point into.
    pub sources: Sources,
    /// Generated files and the wrangler config, each with its current and wanted contents.
    pub files: Vec<FileChange>,
    /// What reconciliation did, for the report (file, change).
    pub wrangler_changes: Vec<(String, Change)>,
    /// The wrangler config file name, when the project has one.
    pub wrangler_file: Option<String>,
    /// Declared containers whose class the worker entry does not export (so not wired).
    pub missing_reexports: Vec<MissingReexport>,
}

/// A declared container whose class the worker entry does not export.
#[derive(Debug, Clone)]
pub struct MissingReexport {
    pub export_name: String,
    pub class_name: String,
    /// Where it is declared in `lunora/containers.ts`.
    pub span: Span,
    /// The worker entry, relative to the root (its text is in `Plan::sources`).
    pub entry: String,
    /// The line that re-exports the generated classes from the entry.
    pub line: String,
    /// The wrangler config still binds or configures the class (from an earlier run or by hand).
    pub wired: bool,
}

impl Plan {
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }

    pub fn stale_files(&self) -> impl Iterator<Item = &FileChange> {
        self.files.iter().filter(|f| f.is_change())
    }

    /// Writes every changed file (atomically) and deletes owned files that are gone. Refuses to
    /// write anything when the plan has errors.
    pub fn apply(&self, project: &Project) -> Result<Vec<&FileChange>> {
        anyhow::ensure!(!self.has_errors(), "refusing to write: the run has errors");
        for f in &self.files {
            remove_stale_temp_files(&project.path(&f.rel));
        }
        let stale: Vec<&FileChange> = self.stale_files().collect();
        let paths: Vec<std::path::PathBuf> = stale.iter().map(|f| project.path(&f.rel)).collect();
        let writes: Vec<(&Path, &[u8])> = stale
            .iter()
            .zip(&paths)
            .filter_map(|(f, path)| f.new.as_ref().map(|text| (path.as_path(), text.as_bytes())))
            .collect();
        write_all_atomic(&writes)?;
        for (f, path) in stale.iter().zip(&paths) {
            if f.new.is_none() {
                match std::fs::remove_file(path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(anyhow::Error::new(e).context(format!("removing {}", f.rel)))
                    }
                }
            }
        }
        Ok(stale)
    }
}

/// Reads and plans a whole run for `project`.
pub fn plan(project: &Project, options: &PlanOptions) -> Plan {
    let mut diagnostics = Vec::new();
    let mut sources = Sources::new();

    // 1. containers.ts → validated specs. No file means no containers.
    let containers = match project.read(CONTAINERS_TS) {
        Ok(Some(text)) => {
            let out = lunora_parser::parse_containers(&text, CONTAINERS_TS);
            sources.insert(CONTAINERS_TS, text);
            diagnostics.extend(out.diagnostics);
            out.containers
        }
        Ok(None) => Vec::new(),
        Err(e) => {
            diagnostics.push(project::read_error(CONTAINERS_TS, &e));
            Vec::new()
        }
    };
    diagnostics.extend(images_outside_root(project, &containers));
    // wrangler rejects a config whose Dockerfile is missing; say so now, at the definition.
    diagnostics.extend(
        containers
            .iter()
            .filter(|_| !options.skip_image_source_warning)
            .filter_map(|c| {
                missing_image_source(project, c).map(|m| {
                    m.into_diagnostic(
                        lunora_diagnostic::Severity::Warning,
                        "containers/image-not-found",
                    )
                })
            }),
    );

    crate::advise::advise(project, &containers, &mut diagnostics, &mut sources);

    // 2. Generated files: wanted contents vs. what is on disk.
    let mut files = Vec::new();
    // Moved out, not cloned: for 1,000 containers the two files are ~0.7 MB.
    let mut rendered = lunora_codegen::render(&containers);
    for owned in lunora_codegen::OWNED_FILES {
        let new = rendered
            .iter_mut()
            .find(|f| f.path == *owned)
            .map(|f| std::mem::take(&mut f.contents));
        match project.read(owned) {
            Ok(old) => files.push(FileChange {
                rel: owned.to_string(),
                old,
                new,
            }),
            Err(e) => diagnostics.push(project::read_error(owned, &e)),
        }
    }
    drop(rendered);

    // 3. Which container classes the worker entry exports, and the wrangler config.
    let mut wrangler_changes = Vec::new();
    let mut wrangler_file = None;
    let mut missing_reexports = Vec::new();
    match project.wrangler_file() {
        Err(e) => diagnostics.push(project::read_error("wrangler.jsonc", &e)),
        Ok(None) => {
            if !containers.is_empty() && project.path("wrangler.toml").is_file() {
                diagnostics.push(
                    Diagnostic::warning(
                        "wrangler/toml-unsupported",
                        "the project uses wrangler.toml, which lunora does not edit; container wiring was not written",
                    )
                    .with_file("wrangler.toml")
                    .with_help("convert it to wrangler.jsonc (same keys, JSON syntax; wrangler reads either), then run `lunora codegen` again"),
                );
            } else if !containers.is_empty() {
                diagnostics.push(
                    Diagnostic::warning(
                        "wrangler/missing-config",
                        "no wrangler.jsonc or wrangler.json in the project root; container wiring was not written",
                    )
                    .with_help("create wrangler.jsonc with `name`, `main` and `compatibility_date`, then run `lunora codegen` again"),
                );
            }
        }
        Ok(Some(wf)) => {
            wrangler_file = Some(wf.rel.clone());
            // A set: `contains` per container over a list was quadratic in the container count.
            let exported: std::collections::HashSet<String> = exported_classes(
                project,
                &wf,
                &containers,
                &mut diagnostics,
                &mut sources,
                &mut missing_reexports,
            )
            .into_iter()
            .collect();
            let desired: Vec<DesiredContainer> = containers
                .iter()
                .filter(|c| exported.contains(&c.class_name))
                .map(desired_container)
                .collect();
            let unexported: Vec<String> = containers
                .iter()
                .filter(|c| !exported.contains(&c.class_name))
                .map(|c| c.class_name.clone())
                .collect();
            let format = if wf.rel.ends_with(".json") {
                ConfigFormat::Json
            } else {
                ConfigFormat::Jsonc
            };
            let input = wc::ReconcileInput {
                text: &wf.text,
                format,
                file: &wf.rel,
                containers: &desired,
                env: options.env.as_deref(),
                declared_unexported: &unexported,
            };
            match wc::reconcile(&input) {
                Ok(out) => {
                    diagnostics.extend(out.diagnostics);
                    wrangler_changes.extend(out.changes.into_iter().map(|c| (wf.rel.clone(), c)));
                    files.push(FileChange {
                        rel: wf.rel.clone(),
                        old: Some(wf.text.clone()),
                        new: Some(out.text),
                    });
                }
                Err(errs) => diagnostics.extend(errs),
            }
            // Kept for diagnostics; inserted after reconciling so that the peak (the config's
            // syntax tree) does not also hold a copy of its text.
            sources.insert(wf.rel.clone(), wf.text);
        }
    }

    Plan {
        containers,
        diagnostics,
        sources,
        files,
        wrangler_changes,
        wrangler_file,
        missing_reexports,
    }
}

/// Class names the worker entry exports as values: through `export * from` the generated module,
/// or by name. Warns (with the line to add) for every declared container that is not exported.
fn exported_classes(
    project: &Project,
    wf: &project::WranglerFile,
    containers: &[ContainerSpec],
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
    missing: &mut Vec<MissingReexport>,
) -> Vec<String> {
    if containers.is_empty() {
        warn_stale_reexport(project, wf, diagnostics);
        return Vec::new();
    }
    let Some(main) = project::wrangler_main(&wf.text) else {
        diagnostics.push(
            Diagnostic::warning("wrangler/missing-main", format!("{} has no `main`, so lunora cannot tell which container classes the worker exports; container wiring was not written", wf.rel))
                .with_primary(wf.rel.clone(), Span::default(), "")
                .with_help("set `\"main\": \"src/index.ts\"` (your worker entry) in the wrangler config"),
        );
        return Vec::new();
    };
    let entry = project::WorkerEntry::from_main(&main);
    let reexport_line = entry.reexport_line();
    let project::WorkerEntry {
        rel: entry_rel,
        dir: entry_dir,
    } = entry;
    let text = match project.read(&entry_rel) {
        Ok(Some(t)) => t,
        Ok(None) => {
            diagnostics.push(
                Diagnostic::warning("lunora/missing-entry", format!("the worker entry {entry_rel} (wrangler `main`) does not exist; container wiring was not written"))
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
    let wired = wired_classes(&wf.text);
    let mut exported = Vec::new();
    for c in containers {
        if star || exports.value_names.iter().any(|n| n == &c.class_name) {
            exported.push(c.class_name.clone());
        } else {
            let is_wired = wired.contains(&c.class_name);
            // Say what is true: entries from an earlier run (or written by hand) stay as they
            // are; only a class never wired "was not added".
            let message = if is_wired {
                format!(
                    "the worker entry {entry_rel} does not export {}; its entries for the `{}` container in {} were left as they are, and wrangler rejects a Durable Object class the worker does not export",
                    c.class_name, c.export_name, wf.rel
                )
            } else {
                format!(
                    "the worker entry {entry_rel} does not export {}, so the `{}` container was not added to {}",
                    c.class_name, c.export_name, wf.rel
                )
            };
            diagnostics.push(
                Diagnostic::warning("lunora/missing-reexport", message)
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

/// Classes the wrangler config binds (`durable_objects.bindings`) or configures
/// (`containers[]`), at the top level or in any `env` block.
fn wired_classes(text: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    let Ok(value) =
        jsonc_parser::parse_to_serde_value::<serde_json::Value>(text, &Default::default())
    else {
        return out;
    };
    let scopes = std::iter::once(&value).chain(
        value
            .get("env")
            .and_then(|e| e.as_object())
            .into_iter()
            .flat_map(|envs| envs.values()),
    );
    for scope in scopes {
        for pointer in ["/containers", "/durable_objects/bindings"] {
            for entry in scope
                .pointer(pointer)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(class) = entry.get("class_name").and_then(|v| v.as_str()) {
                    out.insert(class.to_string());
                }
            }
        }
    }
    out
}

/// With no containers declared the generated classes module is removed, so a worker entry that
/// still re-exports it would no longer build: say which line to delete.
fn warn_stale_reexport(
    project: &Project,
    wf: &project::WranglerFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(main) = project::wrangler_main(&wf.text) else {
        return;
    };
    let project::WorkerEntry {
        rel: entry_rel,
        dir: entry_dir,
    } = project::WorkerEntry::from_main(&main);
    let Ok(Some(text)) = project.read(&entry_rel) else {
        return;
    };
    let Ok(exports) = lunora_parser::entry_exports(&text, &entry_rel) else {
        return;
    };
    if let Some(spec) = exports
        .star_reexports
        .iter()
        .find(|s| specifier_is_generated_containers(s, &entry_dir))
    {
        diagnostics.push(
            Diagnostic::warning(
                "lunora/stale-reexport",
                format!("no containers are declared, so {CONTAINERS_FILE} was removed, but {entry_rel} still re-exports it"),
            )
            .with_file(entry_rel.clone())
            .with_help(format!("delete `export * from \"{spec}\";` from {entry_rel}")),
        );
    }
}

/// Whether an `export * from "<spec>"` in a module in `entry_dir` names the generated classes.
pub fn specifier_is_generated_containers(spec: &str, entry_dir: &Path) -> bool {
    let stripped = [".ts", ".js", ".mts", ".mjs"]
        .iter()
        .find_map(|ext| spec.strip_suffix(ext))
        .unwrap_or(spec);
    if stripped.starts_with('.') {
        let resolved = project::normalize(&entry_dir.join(stripped));
        return resolved == Path::new(GENERATED_CONTAINERS_MODULE);
    }
    // Root aliases such as `@/lunora/_generated/containers` (tsconfig paths).
    ["@/", "~/", "/"]
        .iter()
        .any(|p| stripped.strip_prefix(p) == Some(GENERATED_CONTAINERS_MODULE))
}

/// A local image source (Dockerfile, build context, Railpack directory) that is not on disk.
pub struct MissingImageSource {
    message: String,
    help: String,
    span: Span,
}

impl MissingImageSource {
    /// As a diagnostic at the `image` value: a warning for codegen (the user may be about to
    /// create it), an error for deploy (wrangler would fail).
    pub fn into_diagnostic(self, severity: lunora_diagnostic::Severity, code: &str) -> Diagnostic {
        Diagnostic::new(severity, code, self.message)
            .with_primary(CONTAINERS_TS, self.span, "image")
            .with_help(self.help)
    }
}

/// Checks that a container's local image source exists; `None` for registry images.
pub fn missing_image_source(project: &Project, c: &ContainerSpec) -> Option<MissingImageSource> {
    let resolve = |p: &str| {
        if Path::new(p).is_absolute() {
            Path::new(p).to_path_buf()
        } else {
            project.root.join(p)
        }
    };
    let (what, path, ok) = match &c.image {
        ImageSource::Dockerfile {
            dockerfile,
            context,
        } => {
            if !resolve(context).is_dir() {
                ("build context directory", context.as_str(), false)
            } else {
                (
                    "Dockerfile",
                    dockerfile.as_str(),
                    resolve(dockerfile).is_file(),
                )
            }
        }
        ImageSource::Build { dir } => (
            "Railpack source directory",
            dir.as_str(),
            resolve(dir).is_dir(),
        ),
        ImageSource::Registry { .. } => return None,
    };
    if ok {
        return None;
    }
    let help = match &c.image {
        ImageSource::Build { .. } => format!("create {path} with the service's source, or point `image` at an existing directory"),
        _ => format!(
            "create {path} (`lunora generate lunora-container --name={}` scaffolds one), or point `image` at an existing one",
            c.export_name
        ),
    };
    Some(MissingImageSource {
        message: format!("the {what} of `{}` does not exist: {path}", c.export_name),
        help,
        span: c.image_span,
    })
}

/// Warns (`containers/image-outside-root`, at the `image` value) for every local image — a
/// Dockerfile, its build context, or a Railpack source directory — that lies outside the project
/// root: a checkout of the project alone cannot build it, and deploys from CI usually see only the
/// project. Lexical: `..` segments and absolute paths are judged without touching the disk.
fn images_outside_root(project: &Project, containers: &[ContainerSpec]) -> Vec<Diagnostic> {
    // The root as given (made absolute) and as resolved through symlinks; either may be the
    // prefix the user wrote.
    let roots: Vec<std::path::PathBuf> = [
        std::path::absolute(&project.root).ok(),
        project.root.canonicalize().ok(),
    ]
    .into_iter()
    .flatten()
    .map(|r| project::normalize(&r))
    .collect();
    let outside = |p: &str| {
        let path = Path::new(p);
        if path.is_absolute() {
            let path = project::normalize(path);
            !roots.iter().any(|r| path.starts_with(r))
        } else {
            project::normalize(path).components().next() == Some(std::path::Component::ParentDir)
        }
    };
    let mut out = Vec::new();
    for c in containers {
        let paths: Vec<&str> = match &c.image {
            ImageSource::Dockerfile {
                dockerfile,
                context,
            } => vec![dockerfile, context],
            ImageSource::Build { dir } => vec![dir],
            ImageSource::Registry { .. } => continue,
        };
        if let Some(p) = paths.into_iter().find(|p| outside(p)) {
            out.push(
                Diagnostic::warning(
                    "containers/image-outside-root",
                    format!("the image of `{}` ({p}) is outside the project root", c.export_name),
                )
                .with_primary(CONTAINERS_TS, c.image_span, "outside the project root")
                .with_help("move the Dockerfile (and its build context) under the project root, or publish the image and use `image: { registry: \"…:tag\" }`"),
            );
        }
    }
    out
}

/// How wrangler should see a validated container.
pub fn desired_container(c: &ContainerSpec) -> DesiredContainer {
    let (image, image_build_context, image_vars) = match &c.image {
        ImageSource::Dockerfile {
            dockerfile,
            context,
        } => (
            dockerfile.clone(),
            Some(context.clone()),
            c.build_args.clone().filter(|m| !m.is_empty()),
        ),
        ImageSource::Registry { reference } => (reference.clone(), None, None),
        ImageSource::Build { .. } => (railpack_image(c), None, None),
    };
    DesiredContainer {
        class_name: c.class_name.clone(),
        binding: c.binding.clone(),
        image,
        image_build_context,
        image_vars,
        instance_type: c.instance_type.as_ref().map(|t| match t {
            InstanceType::Named(n) => InstanceTypeValue::Named(n.clone()),
            InstanceType::Custom {
                vcpu,
                memory_mib,
                disk_mb,
            } => InstanceTypeValue::Custom {
                vcpu: *vcpu,
                memory_mib: *memory_mib,
                disk_mb: *disk_mb,
            },
        }),
        max_instances: c.max_instances,
        name: c.name.clone(),
        rollout_step_percentage: c
            .rollout
            .as_ref()
            .and_then(|r| r.step_percentage.as_ref())
            .map(|s| match s {
                StepPercentage::One(n) => RolloutStep::One(*n),
                StepPercentage::Steps(v) => RolloutStep::Steps(v.clone()),
            }),
        rollout_active_grace_period: c.rollout.as_ref().and_then(|r| r.grace_period_seconds),
    }
}

/// The local tag Railpack builds a `{ build }` container into.
pub fn railpack_tag(c: &ContainerSpec) -> String {
    format!("lunora-{}:build", c.kebab_name)
}

/// The image wrangler deploys for a `{ build }` container: the Railpack tag in the Cloudflare
/// Registry (wrangler adds the account namespace).
pub fn railpack_image(c: &ContainerSpec) -> String {
    format!("registry.cloudflare.com/{}", railpack_tag(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_specifier_matching() {
        let dir = Path::new("src/server");
        assert!(specifier_is_generated_containers(
            "../../lunora/_generated/containers",
            dir
        ));
        assert!(specifier_is_generated_containers(
            "../../lunora/_generated/containers.ts",
            dir
        ));
        assert!(specifier_is_generated_containers(
            "../../lunora/_generated/containers.js",
            dir
        ));
        assert!(specifier_is_generated_containers(
            "@/lunora/_generated/containers",
            dir
        ));
        assert!(!specifier_is_generated_containers(
            "../lunora/_generated/containers",
            dir
        ));
        assert!(!specifier_is_generated_containers(
            "../../lunora/_generated/server",
            dir
        ));
    }
}
