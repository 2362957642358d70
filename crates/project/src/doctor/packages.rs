//! The `packages` check: `@lunora/container` and `@cloudflare/containers` installed, at versions
//! that work together, and the install command that fixes it; and the npm packages other checks
//! read (wrangler's). Everything is read through the project's `Fs`.

use super::{ids, semver, Check};
use crate::package_json::{self, DependencyEdit, PackageManager};
use crate::project::Project;
use crate::text::shell_quote;
use std::path::{Path, PathBuf};

/// A package.json, as far as the checks read it.
pub(super) struct Package {
    pub(super) dir: PathBuf,
    pub(super) version: String,
    pub(super) json: serde_json::Value,
}

fn read_package(project: &Project, dir: &Path) -> Option<Package> {
    let text = project.fs().read(&dir.join("package.json")).ok()??;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let version = json.get("version")?.as_str()?.to_string();
    Some(Package {
        dir: dir.to_path_buf(),
        version,
        json,
    })
}

/// `name` as Node would resolve it from the project root: `node_modules/<name>` in the root
/// or the nearest ancestor that has it.
fn resolve_package(project: &Project, name: &str) -> Option<Package> {
    let start = std::path::absolute(&project.root).ok()?;
    start
        .ancestors()
        .map(|dir| dir.join("node_modules").join(name))
        .find(|dir| project.fs().is_file(&dir.join("package.json")))
        .and_then(|dir| read_package(project, &dir))
}

/// The npm package a program file belongs to (`node_modules/.bin/wrangler` →
/// `node_modules/wrangler`), when it is one called `name`.
pub(super) fn package_of_program(project: &Project, program: &Path, name: &str) -> Option<Package> {
    let real = project.fs().canonicalize(program).ok()?;
    real.ancestors().skip(1).take(4).find_map(|dir| {
        let pkg = read_package(project, dir)?;
        (pkg.json.get("name").and_then(|n| n.as_str()) == Some(name)).then_some(pkg)
    })
}

/// The install command for the project's package manager (from its lockfile).
fn install_command(project: &Project, packages: &str) -> String {
    let pm = match package_json::detect_package_manager(project.fs(), &project.root) {
        PackageManager::Pnpm => "pnpm add",
        PackageManager::Yarn => "yarn add",
        PackageManager::Bun => "bun add",
        PackageManager::Npm => "npm i",
    };
    format!("{pm} {packages}")
}

/// The fix for runtime packages that are not installed: the plain install when package.json
/// declares them already (adding them again by name would replace the declared ranges with the
/// newest release, which may be outside the range `@lunora/container` supports), else adding the
/// undeclared ones at the ranges `lunora generate` writes.
fn packages_fix(project: &Project) -> String {
    let deps = package_json::runtime_dependencies();
    let undeclared = match project.read("package.json").ok().flatten() {
        Some(text) => match package_json::add_dependencies(&text, &deps) {
            Ok(DependencyEdit::Unchanged) => Vec::new(),
            Ok(DependencyEdit::Added(_, added)) => added,
            Err(_) => deps,
        },
        None => deps,
    };
    if undeclared.is_empty() {
        let pm = package_json::detect_package_manager(project.fs(), &project.root);
        return format!("`{}` (package.json declares them)", pm.install_command());
    }
    let specs: Vec<String> = undeclared
        .iter()
        .map(|(name, range)| shell_quote(&format!("{name}@{range}")))
        .collect();
    format!("`{}`", install_command(project, &specs.join(" ")))
}

pub(super) fn packages_check(project: &Project) -> Check {
    let runtime = resolve_package(project, "@lunora/container");
    let containers = resolve_package(project, "@cloudflare/containers");
    let missing: Vec<&str> = [
        ("@lunora/container", runtime.is_none()),
        ("@cloudflare/containers", containers.is_none()),
    ]
    .into_iter()
    .filter(|(_, m)| *m)
    .map(|(n, _)| n)
    .collect();
    if !missing.is_empty() {
        return Check::failed(
            ids::PACKAGES,
            format!(
                "{} {} not installed; the generated classes import {}",
                missing.join(" and "),
                if missing.len() == 1 { "is" } else { "are" },
                if missing.len() == 1 { "it" } else { "them" }
            ),
            packages_fix(project),
        );
    }
    let (runtime, containers) = (runtime.unwrap(), containers.unwrap());
    let range = runtime
        .json
        .pointer("/peerDependencies/@cloudflare~1containers")
        .and_then(|v| v.as_str());
    match range {
        Some(range) if semver::satisfies(&containers.version, range) != Some(true) => Check::failed(
            ids::PACKAGES,
            format!(
                "@cloudflare/containers {} is installed ({}), but @lunora/container {} needs {range}",
                containers.version,
                containers.dir.display(),
                runtime.version
            ),
            format!(
                "`{}`",
                install_command(project, &format!("'@cloudflare/containers@{range}'"))
            ),
        ),
        Some(range) => Check::ok(
            ids::PACKAGES,
            format!(
                "@lunora/container {} with @cloudflare/containers {} (needs {range})",
                runtime.version, containers.version
            ),
        ),
        None => Check::ok(
            ids::PACKAGES,
            format!(
                "@lunora/container {} with @cloudflare/containers {}",
                runtime.version, containers.version
            ),
        ),
    }
}
