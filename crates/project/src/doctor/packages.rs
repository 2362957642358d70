//! The `packages` check: `@lunora/container` and `@cloudflare/containers` installed, at versions
//! that work together, and the install command that fixes it; and the npm packages other checks
//! read (wrangler's). Everything is read through the project's `Fs`.

use super::{ids, semver, Check};
use crate::package_json::{self, PackageManager};
use crate::project::Project;
use crate::text::shell_quote;
use lunora_diagnostic::printable;
use std::path::{Path, PathBuf};

/// A package.json, as far as the checks read it.
pub(super) struct Package {
    pub(super) dir: PathBuf,
    pub(super) version: String,
    pub(super) json: serde_json::Value,
}

fn read_package(project: &Project, dir: &Path) -> Option<Package> {
    let text = project.fs().read(&dir.join("package.json")).ok()??;
    // npm reads past a byte order mark.
    let json: serde_json::Value =
        serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(&text)).ok()?;
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
    let undeclared = match project.read("package.json") {
        Ok(Some(text)) => match package_json::undeclared_dependencies(&text, &deps) {
            Ok(undeclared) => undeclared,
            // npm cannot read it: the `package-json` check says why, and installing waits.
            Err(_) => {
                return "fix package.json first (see the `package-json` check), then install them"
                    .to_string()
            }
        },
        Ok(None) => deps,
        Err(_) => {
            return "fix package.json first (see the `package-json` check), then install them"
                .to_string()
        }
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

/// The `package-json` check, only when it fails: the project's package.json exists but npm
/// could not read it (not a regular file, unreadable, too large for lunora, not UTF-8, not a
/// JSON object, a dependency field that is not an object). A byte order mark is fine, as for
/// npm. `None` when there is no package.json or it reads.
pub(super) fn package_json_check(project: &Project) -> Option<Check> {
    let why = match project.read("package.json") {
        Ok(None) => return None,
        Err(e) => {
            let reason = if e.downcast_ref::<lunora_diagnostic::InvalidUtf8>().is_some() {
                "it is not UTF-8 text".to_string()
            } else {
                format!("{e:#}")
            };
            return Some(Check::failed(
                ids::PACKAGE_JSON,
                format!("package.json cannot be read: {}", printable(&reason)),
                "make package.json a regular, readable JSON file (a FIFO, a device or an unreadable file stops `npm install` as well); `npm init -y` writes a fresh one",
            ));
        }
        Ok(Some(text)) => match package_json::undeclared_dependencies(&text, &[]) {
            Ok(_) => return None,
            Err(why) => why,
        },
    };
    Some(Check::failed(
        ids::PACKAGE_JSON,
        format!(
            "npm cannot read package.json: {}",
            printable(&why)
        ),
        "fix package.json so that it is one JSON object (no comments or trailing commas: npm reads strict JSON); `npm install` fails on it until then",
    ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemoryFs;
    use std::sync::Arc;

    fn project(package_json: &str) -> Project {
        let fs = MemoryFs::new().file("/app/package.json", package_json);
        Project::new(Arc::new(fs), PathBuf::from("/app"))
    }

    fn failure(check: Option<Check>) -> (String, String) {
        match check.map(|c| c.status) {
            Some(super::super::Status::Failed { message, help }) => (message, help),
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn r27_doctor_never_mentioned_a_package_json_npm_cannot_read() {
        let (message, help) = failure(package_json_check(&project("{ \"name\": \"x\", }")));
        assert_eq!(
            message,
            "npm cannot read package.json: it is not valid JSON (trailing comma at line 1 column 16)"
        );
        assert!(help.contains("strict JSON"), "{help}");
        let (message, _) = failure(package_json_check(&project("[]")));
        assert_eq!(
            message,
            "npm cannot read package.json: its top level is not an object"
        );
        let (message, _) = failure(package_json_check(&project("{ \"dependencies\": [] }")));
        assert_eq!(
            message,
            "npm cannot read package.json: its `dependencies` is not an object"
        );
        // The install fix waits for package.json, instead of a command that would fail on it.
        assert_eq!(
            packages_fix(&project("{ \"name\": \"x\", }")),
            "fix package.json first (see the `package-json` check), then install them"
        );
        // A readable one, or none, says nothing.
        assert!(package_json_check(&project("{}")).is_none());
        let none = Project::new(Arc::new(MemoryFs::new()), PathBuf::from("/app"));
        assert!(package_json_check(&none).is_none());
    }

    #[test]
    fn r27_a_bom_in_package_json_changed_doctors_fix() {
        let declared = "{ \"dependencies\": { \"@lunora/container\": \"^0.1.0\", \"@cloudflare/containers\": \">=0.3.7 <0.4\" } }";
        let plain = packages_fix(&project(declared));
        assert_eq!(plain, "`npm install` (package.json declares them)");
        let with_bom = format!("\u{feff}{declared}");
        assert_eq!(packages_fix(&project(&with_bom)), plain);
        assert!(package_json_check(&project(&with_bom)).is_none());
    }

    #[test]
    fn an_installed_package_json_with_a_bom_counts_as_installed() {
        let fs = MemoryFs::new()
            .file("/app/package.json", "{}")
            .file(
                "/app/node_modules/@lunora/container/package.json",
                "\u{feff}{ \"name\": \"@lunora/container\", \"version\": \"0.1.0\", \"peerDependencies\": { \"@cloudflare/containers\": \">=0.3.7 <0.4\" } }",
            )
            .file(
                "/app/node_modules/@cloudflare/containers/package.json",
                "\u{feff}{ \"name\": \"@cloudflare/containers\", \"version\": \"0.3.7\" }",
            );
        let p = Project::new(Arc::new(fs), PathBuf::from("/app"));
        match packages_check(&p).status {
            super::super::Status::Ok(m) => assert_eq!(
                m,
                "@lunora/container 0.1.0 with @cloudflare/containers 0.3.7 (needs >=0.3.7 <0.4)"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn r27_doctor_on_10000_dependencies_was_quadratic() {
        // Minified, as a generator writes it: the old fix planned a whole CST edit of the file
        // (2.1 s of CPU in a debug build); reading which packages are declared is linear.
        let deps: Vec<String> = (0..10_000)
            .map(|i| format!("\"pkg-{i:05}\":\"^1.0.0\""))
            .collect();
        let text = format!(
            "{{\"name\":\"big\",\"dependencies\":{{{}}}}}",
            deps.join(",")
        );
        let p = project(&text);
        let started = std::time::Instant::now();
        let fix = packages_fix(&p);
        let took = started.elapsed();
        assert!(fix.starts_with("`npm i '@lunora/container@"), "{fix}");
        assert!(
            took < std::time::Duration::from_millis(500),
            "took {took:?}"
        );
    }
}
