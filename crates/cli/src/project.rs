//! A Lunora project on disk: where its files are and how to read them.

use crate::fsutil::read_optional;
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Span};
use std::path::{Component, Path, PathBuf};

/// `lunora/containers.ts`, relative to the root.
pub const CONTAINERS_TS: &str = "lunora/containers.ts";
/// The generated classes module, without extension, relative to the root.
pub const GENERATED_CONTAINERS_MODULE: &str = "lunora/_generated/containers";

pub struct Project {
    pub root: PathBuf,
    /// Texts that stand in for files on disk (relative path → contents), so that a command can
    /// plan a whole run on edits it has not written yet (`lunora adopt`, `rename`, `remove`).
    overlay: std::collections::HashMap<String, String>,
}

/// The wrangler config the project uses, read from disk.
pub struct WranglerFile {
    /// `wrangler.json` or `wrangler.jsonc`.
    pub rel: String,
    pub text: String,
    /// The other one, when both exist: wrangler does not read it, so lunora leaves it alone.
    pub ignored: Option<String>,
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
pub fn is_project_root(dir: &Path) -> bool {
    ROOT_CONFIGS.iter().any(|f| dir.join(f).is_file())
        || dir.join(CONTAINERS_TS).is_file()
        || (dir.join("lunora").is_dir() && dir.join("package.json").is_file())
}

/// The nearest directory from `start` upwards (itself included) that is a project root, the way
/// cargo finds `Cargo.toml` and wrangler its config.
pub fn discover_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| is_project_root(dir))
        .map(Path::to_path_buf)
}

impl Project {
    /// The project `--root` names, or else the one around the current directory. Fails with
    /// [`RootError::NotFound`] when there is none: a command run outside any project must not report
    /// that everything is up to date.
    pub fn locate(root: Option<&Path>) -> Result<Project> {
        if let Some(root) = root {
            return Project::at(root);
        }
        let cwd = std::env::current_dir()?;
        match discover_root(&cwd) {
            Some(root) => Ok(Project::new(root)),
            None => Err(RootError::NotFound { start: cwd }.into()),
        }
    }

    /// Like [`Project::locate`], but outside any project the current directory is used: for
    /// commands that only pass through to wrangler, which works without a project.
    pub fn locate_or_cwd(root: Option<&Path>) -> Result<Project> {
        match Project::locate(root) {
            Err(e) if matches!(e.downcast_ref(), Some(RootError::NotFound { .. })) => {
                Ok(Project::new(std::env::current_dir()?))
            }
            other => other,
        }
    }

    /// The project at `root` exactly (`--root`).
    pub fn at(root: &Path) -> Result<Project> {
        if !root.is_dir() {
            return Err(RootError::NotADirectory(root.to_path_buf()).into());
        }
        Ok(Project::new(root.to_path_buf()))
    }

    pub fn new(root: PathBuf) -> Project {
        Project {
            root,
            overlay: Default::default(),
        }
    }

    /// The same project with `files` (relative path → text) read in place of what is on disk.
    /// Writing still goes to disk; only reads see the overlay.
    pub fn with_overlay(&self, files: impl IntoIterator<Item = (String, String)>) -> Project {
        let mut overlay = self.overlay.clone();
        overlay.extend(files);
        Project {
            root: self.root.clone(),
            overlay,
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> Result<Option<String>> {
        if let Some(text) = self.overlay.get(rel) {
            return Ok(Some(text.clone()));
        }
        read_optional(&self.path(rel))
    }

    /// The wrangler config wrangler itself reads from the root: the first of
    /// [`WRANGLER_CONFIGS`] that exists.
    pub fn wrangler_file(&self) -> Result<Option<WranglerFile>> {
        for (i, rel) in WRANGLER_CONFIGS.iter().enumerate() {
            if let Some(text) = self.read(rel)? {
                let ignored = WRANGLER_CONFIGS[i + 1..]
                    .iter()
                    .find(|other| self.path(other).exists())
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
            .root
            .canonicalize()
            .map_err(|e| format!("cannot resolve the project root: {e}"))?;
        let resolved = resolve_physical(&self.root.join(rel))
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

/// `path` with every symlink resolved: the deepest ancestor that exists (as a file, directory
/// or symlink) is canonicalized and the rest, which does not exist yet and so holds no symlink,
/// is appended lexically. A dangling symlink is an error.
pub fn resolve_physical(path: &Path) -> std::io::Result<PathBuf> {
    let components: Vec<Component> = path.components().collect();
    for k in (1..=components.len()).rev() {
        let prefix: PathBuf = components[..k].iter().collect();
        if prefix.symlink_metadata().is_err() {
            continue;
        }
        let mut out = prefix.canonicalize()?;
        for c in &components[k..] {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::Normal(name) => out.push(name),
                _ => {}
            }
        }
        return Ok(out);
    }
    std::path::absolute(path)
}

/// Reads wrangler's `main` (the worker entry) from a wrangler config text, if it is there and the
/// text parses. Reconciliation reports parse errors itself; this is only used to find the entry.
pub fn wrangler_main(text: &str) -> Option<String> {
    // wrangler reads a config with a byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // jsonc-parser's own borrowed values: building a serde_json tree of the whole config cost
    // 5% of a 1,000-container run just to read one string.
    match jsonc_parser::parse_to_value(text, &Default::default()).ok()?? {
        jsonc_parser::JsonValue::Object(root) => root.get_string("main").map(|m| m.to_string()),
        _ => None,
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

    /// The line that re-exports the generated classes from this entry.
    pub fn reexport_line(&self) -> String {
        format!(
            "export * from \"{}\";",
            relative_specifier(&self.dir, Path::new(GENERATED_CONTAINERS_MODULE))
        )
    }
}

/// Lexically normalises a path (drops `.`, folds `..`), without touching the disk.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The relative module specifier from `from_dir` to `target` (both relative to one root),
/// always starting with `./` or `../`.
pub fn relative_specifier(from_dir: &Path, target: &Path) -> String {
    let from: Vec<_> = normalize(from_dir)
        .components()
        .map(|c| c.as_os_str().to_owned())
        .collect();
    let to: Vec<_> = normalize(target)
        .components()
        .map(|c| c.as_os_str().to_owned())
        .collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..from.len() {
        parts.push("..".into());
    }
    for p in &to[common..] {
        parts.push(p.to_string_lossy().into_owned());
    }
    let joined = parts.join("/");
    if joined.starts_with("..") {
        joined
    } else {
        format!("./{joined}")
    }
}

/// A diagnostic about a file that could not be read: located at the first invalid byte when the
/// file is not UTF-8, else about the whole file.
pub fn read_error(rel: &str, err: &anyhow::Error) -> Diagnostic {
    if let Some(invalid) = err.downcast_ref::<lunora_diagnostic::InvalidUtf8>() {
        return invalid.diagnostic("lunora/invalid-utf8", rel);
    }
    Diagnostic::error("lunora/read-failed", format!("cannot read {rel}: {err:#}")).with_primary(
        rel,
        Span::default(),
        "",
    )
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
        let project = Project::new(root.clone());
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

    #[test]
    fn relative_specifiers() {
        assert_eq!(
            relative_specifier(
                Path::new("src/server"),
                Path::new("lunora/_generated/containers")
            ),
            "../../lunora/_generated/containers"
        );
        assert_eq!(
            relative_specifier(Path::new(""), Path::new("lunora/_generated/containers")),
            "./lunora/_generated/containers"
        );
        assert_eq!(
            relative_specifier(
                Path::new("lunora"),
                Path::new("lunora/_generated/containers")
            ),
            "./_generated/containers"
        );
    }
}
