//! The advisor's disk side: find and read the Dockerfile of every Dockerfile-image container and
//! run the Dockerfile lints on it, and check the account limits. The lints themselves are in the
//! pure `lunora-advisor` crate.

use crate::images::DeployedImage;
use crate::project::{Project, CONTAINERS_TS};
use lunora_advisor::{AccountLimits, DockerfileText};
use lunora_codegen::normalize;
use lunora_diagnostic::{has_errors, Diagnostic, Sources};
use lunora_parser::ContainerSpec;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Adds the advisor's findings about `containers` to `diagnostics` (and the texts they point into
/// to `sources`), the account limits judged against `limits` (the project's settings). Says nothing when `diagnostics` already holds an error about `containers.ts`:
/// with a container missing, no total or verdict about the others would be right.
pub fn advise(
    project: &Project,
    containers: &[ContainerSpec],
    images: &HashMap<String, DeployedImage>,
    limits: &AccountLimits,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) {
    if has_errors(diagnostics.iter().filter(|d| about_containers_ts(d))) {
        return;
    }
    // One read and one lint per Dockerfile, for all the containers built from it.
    // An index, not a search: one Dockerfile each for 1,000 containers would be quadratic.
    let mut by_file: Vec<(String, PathBuf, Vec<&ContainerSpec>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for c in containers {
        let Some((file, path)) = images
            .get(&c.export_name)
            .and_then(|image| dockerfile_of(project, image))
        else {
            continue;
        };
        match index.get(&file) {
            Some(&i) => by_file[i].2.push(c),
            None => {
                index.insert(file.clone(), by_file.len());
                by_file.push((file, path, vec![c]));
            }
        }
    }
    for (file, path, users) in by_file {
        // A missing Dockerfile has its own warning; an unreadable one leaves nothing to judge.
        let Ok(Some(text)) = project.fs().read(&path) else {
            continue;
        };
        let found = lunora_advisor::lint_dockerfile(
            DockerfileText {
                file: &file,
                text: &text,
            },
            &users,
            CONTAINERS_TS,
        );
        if !found.is_empty() {
            diagnostics.extend(found);
            sources.insert(file, text);
        }
    }
    diagnostics.extend(lunora_advisor::account_limits_within(
        containers,
        CONTAINERS_TS,
        limits,
    ));
}

pub fn about_containers_ts(d: &Diagnostic) -> bool {
    d.primary_label().is_some_and(|l| l.file == CONTAINERS_TS)
}

/// The Dockerfile a container is built from, as the pipeline decided it on disk
/// ([`DeployedImage`]): the name diagnostics show (relative to the root, `/`-separated; as written
/// when absolute) and its path. `None` for registry and Railpack images.
pub fn dockerfile_of(project: &Project, image: &DeployedImage) -> Option<(String, PathBuf)> {
    let DeployedImage::Dockerfile { dockerfile, .. } = image else {
        return None;
    };
    let written = Path::new(dockerfile);
    if written.is_absolute() {
        return Some((dockerfile.clone(), written.to_path_buf()));
    }
    let rel = normalize(written);
    let display = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Some((display, project.root.join(rel)))
}
