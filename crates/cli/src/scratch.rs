//! A temporary copy of the project, for checking a planned run with real tools without writing
//! in the project (`deploy --dry-run` on a stale tree, issue 23.5).
//!
//! Contract: the copy lives in the system's temporary directory and is deleted when dropped.
//! It holds the project's files (symlinks as symlinks), without `.git` and `.wrangler`; every
//! `node_modules` directory is a symlink to the project's own, never copied. It is bounded
//! ([`MAX_FILES`], [`MAX_BYTES`]): a larger project is an error saying so. Paths that reach
//! outside the project root (`../shared`) resolve differently from the copy.

use crate::pipeline::Plan;
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// The most files a copy holds.
pub const MAX_FILES: usize = 20_000;
/// The most bytes a copy holds.
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// A temporary copy of a project, with a plan's files written into it.
pub struct ScratchCopy {
    dir: tempfile::TempDir,
}

impl ScratchCopy {
    /// Copies the project at `root`, then writes (and removes) every file `plan` would.
    pub fn of(root: &Path, plan: &Plan) -> Result<ScratchCopy> {
        let dir = tempfile::Builder::new()
            .prefix("lunora-dry-run-")
            .tempdir()
            .context("creating a temporary directory for the dry run")?;
        let mut budget = Budget {
            files: 0,
            bytes: 0,
            root: root.canonicalize().unwrap_or(root.to_path_buf()),
            copy: dir.path().canonicalize()?,
        };
        copy_tree(root, dir.path(), &mut budget)?;
        for f in plan.stale_files() {
            let to = dir.path().join(&f.rel);
            anyhow::ensure!(
                Path::new(&f.rel)
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_))),
                "{} is not a plain path inside the project",
                f.rel
            );
            match &f.new {
                Some(text) => {
                    if let Some(parent) = to.parent() {
                        fs::create_dir_all(parent)?;
                        // Never write through a link out of the copy.
                        anyhow::ensure!(
                            parent.canonicalize()?.starts_with(&budget.copy),
                            "{} leads outside the temporary copy",
                            f.rel
                        );
                    }
                    // A symlinked file in the copy points back into the project: replace the
                    // link, never write through it.
                    let _ = fs::remove_file(&to);
                    fs::write(&to, text).with_context(|| format!("writing {}", to.display()))?;
                }
                None => match fs::remove_file(&to) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e).with_context(|| format!("removing {}", to.display())),
                },
            }
        }
        Ok(ScratchCopy { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

struct Budget {
    files: usize,
    bytes: u64,
    /// The project root and the copy's, resolved.
    root: PathBuf,
    copy: PathBuf,
}

fn copy_tree(from: &Path, to: &Path, budget: &mut Budget) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(from)
        .with_context(|| format!("reading {}", from.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name == ".git" || name == ".wrangler" {
            continue;
        }
        let src = entry.path();
        let dst = to.join(&name);
        let kind = entry.file_type()?;
        budget.files += 1;
        if budget.files > MAX_FILES {
            bail!(
                "the project has more than {MAX_FILES} files (outside node_modules, .git and .wrangler) to copy"
            );
        }
        if name == "node_modules" {
            let target = if kind.is_symlink() {
                fs::canonicalize(&src).unwrap_or(src.clone())
            } else {
                src.clone()
            };
            symlink(&target, &dst)?;
        } else if kind.is_symlink() {
            // A link into the project by absolute path points at the same place in the copy.
            let target = fs::read_link(&src)?;
            let target = match target.strip_prefix(&budget.root) {
                Ok(inside) if target.is_absolute() => budget.copy.join(inside),
                _ => target,
            };
            symlink(&target, &dst)?;
        } else if kind.is_dir() {
            copy_tree(&src, &dst, budget)?;
        } else if kind.is_file() {
            budget.bytes += entry.metadata()?.len();
            if budget.bytes > MAX_BYTES {
                bail!(
                    "the project under {} holds more than {} MiB (outside node_modules, .git and .wrangler) to copy",
                    budget.root.display(),
                    MAX_BYTES / 1024 / 1024
                );
            }
            fs::copy(&src, &dst).with_context(|| format!("copying {}", src.display()))?;
        }
        // Sockets, FIFOs and devices are not part of a build.
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> Result<()> {
    std::os::unix::fs::symlink(target, link)
        .with_context(|| format!("linking {} to {}", link.display(), target.display()))
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) -> Result<()> {
    let made = if target.is_dir() {
        std::os::windows::fs::symlink_dir(target, link)
    } else {
        std::os::windows::fs::symlink_file(target, link)
    };
    made.with_context(|| format!("linking {} to {}", link.display(), target.display()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::pipeline::FileChange;

    fn plan(files: Vec<FileChange>) -> Plan {
        Plan {
            containers: Vec::new(),
            bindings: Default::default(),
            diagnostics: Vec::new(),
            sources: Default::default(),
            files,
            wrangler_changes: Vec::new(),
            wrangler_file: None,
            config: None,
            missing_reexports: Vec::new(),
        }
    }

    fn change(root: &Path, rel: &str, old: Option<&str>, new: Option<&str>) -> FileChange {
        FileChange {
            rel: rel.to_string(),
            path: root.join(rel),
            old: old.map(str::to_string),
            new: new.map(str::to_string),
        }
    }

    #[test]
    fn the_copy_holds_the_plan_and_never_writes_back_into_the_project() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        fs::write(root.join("wrangler.jsonc"), "{}").unwrap();
        fs::create_dir_all(root.join("node_modules/pkg")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::write(root.join(".git/HEAD"), "ref").unwrap();
        fs::create_dir_all(root.join("lunora")).unwrap();
        fs::write(root.join("lunora/old.ts"), "old").unwrap();
        // A link into the project by absolute path, through which a write would land there.
        std::os::unix::fs::symlink(root.join("lunora"), root.join("alias")).unwrap();
        let before: Vec<_> = ["wrangler.jsonc", "lunora/old.ts"]
            .iter()
            .map(|r| fs::read(root.join(r)).unwrap())
            .collect();

        let copy = ScratchCopy::of(
            &root,
            &plan(vec![
                change(&root, "alias/new.ts", None, Some("new")),
                change(&root, "lunora/old.ts", Some("old"), None),
                change(&root, "wrangler.jsonc", Some("{}"), Some("{\"x\":1}")),
            ]),
        )
        .unwrap();
        let c = copy.path();
        assert!(!c.join(".git").exists());
        assert_eq!(
            fs::read_link(c.join("node_modules")).unwrap(),
            root.join("node_modules")
        );
        assert_eq!(
            fs::read_to_string(c.join("wrangler.jsonc")).unwrap(),
            "{\"x\":1}"
        );
        assert_eq!(fs::read_to_string(c.join("lunora/new.ts")).unwrap(), "new");
        assert!(!c.join("lunora/old.ts").exists());
        // The project is as it was.
        let after: Vec<_> = ["wrangler.jsonc", "lunora/old.ts"]
            .iter()
            .map(|r| fs::read(root.join(r)).unwrap())
            .collect();
        assert_eq!(before, after);
        assert!(!root.join("lunora/new.ts").exists());
        let kept = c.to_path_buf();
        drop(copy);
        assert!(!kept.exists(), "the copy is deleted when dropped");
    }

    #[test]
    fn a_path_that_is_not_plain_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let err = ScratchCopy::of(root, &plan(vec![change(root, "../x.ts", None, Some("x"))]))
            .err()
            .unwrap();
        assert!(format!("{err:#}").contains("not a plain path"), "{err:#}");
    }
}
