//! The project on disk: [`DiskFs`], the one implementation of `lunora_project::fs::Fs` that
//! touches the filesystem, and the constructors that settle the root from the process's
//! current directory. What a project is and how it is read is `lunora-project`'s.

use crate::fsutil::read_optional;
use anyhow::Result;
use lunora_project::fs::{Fs, Kind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use lunora_codegen::{normalize, relative_specifier};
pub use lunora_project::project::{Project, RootError, CONTAINERS_TS, WRANGLER_CONFIGS};

/// The real filesystem.
pub struct DiskFs;

impl Fs for DiskFs {
    fn read(&self, path: &Path) -> Result<Option<String>> {
        read_optional(path)
    }

    fn kind(&self, path: &Path) -> Option<Kind> {
        let meta = std::fs::metadata(path).ok()?;
        Some(if meta.is_file() {
            Kind::File
        } else if meta.is_dir() {
            Kind::Dir
        } else {
            Kind::Other
        })
    }

    fn entry_exists(&self, path: &Path) -> bool {
        path.symlink_metadata().is_ok()
    }

    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        path.canonicalize()
    }

    fn list_dir(&self, path: &Path) -> std::io::Result<Vec<String>> {
        let mut names: Vec<String> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    }
}

pub fn disk() -> Arc<dyn Fs> {
    Arc::new(DiskFs)
}

/// The project at `root`, read from disk.
pub fn on_disk(root: PathBuf) -> Project {
    Project::new(disk(), root)
}

/// The project `--root` names, or else the one around the current directory.
pub fn locate(root: Option<&Path>) -> Result<Project> {
    Project::locate(disk(), root, &std::env::current_dir()?)
}

/// Like [`locate`], but outside any project the current directory is used.
pub fn locate_or_cwd(root: Option<&Path>) -> Result<Project> {
    Project::locate_or_cwd(disk(), root, &std::env::current_dir()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_inside_follows_symlinks_of_missing_files_too() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("app");
        let outside = tmp.path().join("elsewhere");
        std::fs::create_dir_all(root.join("lunora")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("lunora/_generated")).unwrap();
        std::os::unix::fs::symlink(root.join("lunora"), root.join("alias")).unwrap();
        let project = on_disk(root.clone());
        let canonical = root.canonicalize().unwrap();
        assert_eq!(
            project.resolve_inside("lunora/new/x.ts").unwrap(),
            canonical.join("lunora/new/x.ts")
        );
        assert_eq!(
            project.resolve_inside("alias/x.ts").unwrap(),
            canonical.join("lunora/x.ts")
        );
        for bad in [
            "lunora/_generated/containers.ts",
            "../x.ts",
            "/abs/other.ts",
            "lunora/../../x.ts",
        ] {
            assert!(project.resolve_inside(bad).is_err(), "{bad} is outside");
        }
        std::os::unix::fs::symlink(tmp.path().join("gone"), root.join("dangling")).unwrap();
        assert!(project.resolve_inside("dangling").is_err());
    }
}
