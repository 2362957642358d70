//! A Lunora project: where its files are and how to read them, through an [`Fs`].

use crate::codes;
use crate::fs::{normalize, resolve_physical, Fs, Overlay};
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Span};
use lunora_wrangler_config::WranglerConfig;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use lunora_codegen::{CONTAINERS_TS, GENERATED_CONTAINERS_MODULE};

#[derive(Clone)]
pub struct Project {
    pub root: PathBuf,
    fs: Arc<dyn Fs>,
}

/// The wrangler config the project uses, as read.
#[derive(Clone)]
pub struct WranglerFile {
    /// `wrangler.json` or `wrangler.jsonc`.
    pub rel: String,
    pub text: String,
    /// The other one, when both exist: wrangler does not read it, so lunora leaves it alone.
    pub ignored: Option<String>,
}

impl WranglerFile {
    /// The file as every command reads it (see [`WranglerConfig`]).
    pub fn parse(&self) -> std::result::Result<WranglerConfig, Vec<Diagnostic>> {
        WranglerConfig::parse(&self.rel, &self.text)
    }
}

/// The config files wrangler 4 looks for in a directory, in its order (`findWranglerConfig`:
/// `wrangler.json`, then `wrangler.jsonc`, then `wrangler.toml`, which lunora does not edit).
pub const WRANGLER_CONFIGS: [&str; 2] = ["wrangler.json", "wrangler.jsonc"];

/// The wrangler config files that make a directory a project root (besides a `lunora/`
/// directory, see [`is_project_root`]).
pub const ROOT_CONFIGS: [&str; 3] = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

/// The project root could not be settled: a usage error (exit 2), the command was run in the
/// wrong place or with a wrong `--root`.
#[derive(Debug)]
pub enum RootError {
    /// `--root` names something that is not a directory.
    NotADirectory(PathBuf),
    /// No `--root`, and no directory from `start` upwards is a project root.
    NotFound { start: PathBuf },
}

impl std::fmt::Display for RootError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RootError::NotADirectory(root) => {
                write!(f, "--root {} is not a directory", root.display())
            }
            RootError::NotFound { start } => write!(
                f,
                "no project found in {} or any directory above it\n  \
                 lunora looks for the nearest directory with wrangler.jsonc, wrangler.json or wrangler.toml \
                 (or a lunora/ directory with containers.ts, or next to package.json)\n  \
                 help: run lunora inside your Worker project, or pass --root DIR; \
                 to start a project, create a Worker first (`npm create cloudflare@latest`)",
                start.display()
            ),
        }
    }
}

impl std::error::Error for RootError {}

/// Whether `dir` is a project root: it holds a wrangler config, or a `lunora/` directory (a Lunora
/// app without a wrangler config yet) that holds `containers.ts` or sits beside `package.json`.
/// Any directory named `lunora` does not count: a checkout of lunora itself is one, and the
/// directory it was cloned into is not a project.
pub fn is_project_root(fs: &dyn Fs, dir: &Path) -> bool {
    ROOT_CONFIGS.iter().any(|f| fs.is_file(&dir.join(f)))
        || fs.is_file(&dir.join(CONTAINERS_TS))
        || (fs.is_dir(&dir.join("lunora")) && fs.is_file(&dir.join("package.json")))
}

/// The nearest directory from `start` upwards (itself included) that is a project root, the way
/// cargo finds `Cargo.toml` and wrangler its config.
pub fn discover_root(fs: &dyn Fs, start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| is_project_root(fs, dir))
        .map(Path::to_path_buf)
}

impl Project {
    /// The project `--root` names, or else the one around `cwd`. Fails with
    /// [`RootError::NotFound`] when there is none: a command run outside any project must not
    /// report that everything is up to date.
    pub fn locate(fs: Arc<dyn Fs>, root: Option<&Path>, cwd: &Path) -> Result<Project> {
        if let Some(root) = root {
            return Project::at(fs, root);
        }
        match discover_root(fs.as_ref(), cwd) {
            Some(root) => Ok(Project::new(fs, root)),
            None => Err(RootError::NotFound {
                start: cwd.to_path_buf(),
            }
            .into()),
        }
    }

    /// Like [`Project::locate`], but outside any project `cwd` is used: for commands that only
    /// pass through to wrangler, which works without a project.
    pub fn locate_or_cwd(fs: Arc<dyn Fs>, root: Option<&Path>, cwd: &Path) -> Result<Project> {
        match Project::locate(fs.clone(), root, cwd) {
            Err(e) if matches!(e.downcast_ref(), Some(RootError::NotFound { .. })) => {
                Ok(Project::new(fs, cwd.to_path_buf()))
            }
            other => other,
        }
    }

    /// The project at `root` exactly (`--root`).
    pub fn at(fs: Arc<dyn Fs>, root: &Path) -> Result<Project> {
        if !fs.is_dir(root) {
            return Err(RootError::NotADirectory(root.to_path_buf()).into());
        }
        Ok(Project::new(fs, root.to_path_buf()))
    }

    pub fn new(fs: Arc<dyn Fs>, root: PathBuf) -> Project {
        Project { root, fs }
    }

    /// The filesystem the project is read through.
    pub fn fs(&self) -> &dyn Fs {
        self.fs.as_ref()
    }

    /// The same project with `files` (relative path → text) read in place of what is there.
    /// Every read sees them; writing is not this crate's business.
    pub fn with_overlay(&self, files: impl IntoIterator<Item = (String, String)>) -> Project {
        let files = files
            .into_iter()
            .map(|(rel, text)| (self.root.join(rel), text));
        Project {
            root: self.root.clone(),
            fs: Arc::new(Overlay::new(self.fs.clone(), files)),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> Result<Option<String>> {
        self.fs.read(&self.path(rel))
    }

    pub fn is_file(&self, rel: &str) -> bool {
        self.fs.is_file(&self.path(rel))
    }

    pub fn is_dir(&self, rel: &str) -> bool {
        self.fs.is_dir(&self.path(rel))
    }

    /// The wrangler config wrangler itself reads from the root: the first of
    /// [`WRANGLER_CONFIGS`] that exists.
    pub fn wrangler_file(&self) -> Result<Option<WranglerFile>> {
        for (i, rel) in WRANGLER_CONFIGS.iter().enumerate() {
            if let Some(text) = self.read(rel)? {
                let ignored = WRANGLER_CONFIGS[i + 1..]
                    .iter()
                    .find(|other| self.fs.kind(&self.path(other)).is_some())
                    .map(|other| other.to_string());
                return Ok(Some(WranglerFile {
                    rel: rel.to_string(),
                    text,
                    ignored,
                }));
            }
        }
        Ok(None)
    }

    /// Where writing, replacing or deleting `rel` (relative to the root, or absolute) really
    /// lands: symlinks resolved, for a file that does not exist yet through its deepest existing
    /// ancestor. `Err` (with the reason) when that is outside the root (also resolved), or
    /// cannot be told (a dangling symlink). Every path lunora writes goes through here first.
    pub fn resolve_inside(&self, rel: &str) -> std::result::Result<PathBuf, String> {
        let root = self
            .fs
            .canonicalize(&self.root)
            .map_err(|e| format!("cannot resolve the project root: {e}"))?;
        let resolved = resolve_physical(self.fs.as_ref(), &self.root.join(rel))
            .map_err(|e| format!("cannot resolve {rel}: {e}"))?;
        if resolved.starts_with(&root) {
            Ok(resolved)
        } else {
            Err(format!(
                "{rel} resolves to {}, outside the project root {}",
                resolved.display(),
                root.display()
            ))
        }
    }
}

/// The worker entry named by wrangler's `main`, relative to the project root.
pub struct WorkerEntry {
    /// `/`-separated, normalised (e.g. `src/server/index.ts`).
    pub rel: String,
    /// Its directory, for resolving relative specifiers.
    pub dir: PathBuf,
}

impl WorkerEntry {
    pub fn from_main(main: &str) -> WorkerEntry {
        let rel = normalize(Path::new(main))
            .to_string_lossy()
            .replace('\\', "/");
        let dir = Path::new(&rel)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        WorkerEntry { rel, dir }
    }

    /// The entry `config`'s `main` names, if it has one.
    pub fn of(config: &WranglerConfig) -> Option<WorkerEntry> {
        config.main().map(WorkerEntry::from_main)
    }

    /// Its path, its directory and the line that re-exports the generated classes from it.
    pub fn into_parts(self) -> (String, PathBuf, String) {
        let line = self.reexport_line();
        (self.rel, self.dir, line)
    }

    /// The line that re-exports the generated classes from this entry.
    pub fn reexport_line(&self) -> String {
        lunora_codegen::reexport_line(&self.dir)
    }
}

/// A diagnostic about a file that could not be read: located at the first invalid byte when the
/// file is not UTF-8, else about the whole file.
pub fn read_error(rel: &str, err: &anyhow::Error) -> Diagnostic {
    if let Some(invalid) = err.downcast_ref::<lunora_diagnostic::InvalidUtf8>() {
        return invalid.diagnostic(codes::INVALID_UTF8, rel);
    }
    Diagnostic::error(codes::READ_FAILED, format!("cannot read {rel}: {err:#}")).with_primary(
        rel,
        Span::default(),
        "",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemoryFs;

    #[test]
    fn roots_are_found_upwards_by_their_markers() {
        let fs = MemoryFs::new()
            .file("/w/app/wrangler.toml", "")
            .file("/w/app/src/deep/x.ts", "")
            .file("/w/lunora-checkout/lunora/README.md", "")
            .file("/w/next/package.json", "{}")
            .dir("/w/next/lunora");
        assert_eq!(
            discover_root(&fs, Path::new("/w/app/src/deep")),
            Some(PathBuf::from("/w/app"))
        );
        assert_eq!(
            discover_root(&fs, Path::new("/w/lunora-checkout/lunora")),
            None
        );
        assert!(is_project_root(&fs, Path::new("/w/next")));
        let fs: Arc<dyn Fs> = Arc::new(fs);
        let err = Project::locate(fs.clone(), None, Path::new("/w"))
            .err()
            .unwrap();
        assert!(matches!(
            err.downcast_ref(),
            Some(RootError::NotFound { .. })
        ));
        let err = Project::at(fs, Path::new("/w/app/wrangler.toml"))
            .err()
            .unwrap();
        assert!(matches!(
            err.downcast_ref(),
            Some(RootError::NotADirectory(_))
        ));
    }

    #[test]
    fn the_wrangler_file_is_the_one_wrangler_reads_and_an_overlay_stands_in() {
        let fs = MemoryFs::new()
            .file("/app/wrangler.jsonc", "{}")
            .file("/app/wrangler.json", "{ \"main\": \"a.ts\" }");
        let project = Project::new(Arc::new(fs), PathBuf::from("/app"));
        let wf = project.wrangler_file().unwrap().unwrap();
        assert_eq!(wf.rel, "wrangler.json");
        assert_eq!(wf.ignored.as_deref(), Some("wrangler.jsonc"));
        let edited = project.with_overlay([(
            "wrangler.json".to_string(),
            "{ \"main\": \"b.ts\" }".to_string(),
        )]);
        let config = edited.wrangler_file().unwrap().unwrap().parse().unwrap();
        assert_eq!(WorkerEntry::of(&config).unwrap().rel, "b.ts");
        assert!(edited.resolve_inside("lunora/x.ts").is_ok());
        assert!(edited.resolve_inside("../x.ts").is_err());
    }
}
