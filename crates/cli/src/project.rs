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
}

/// The wrangler config the project uses, read from disk.
pub struct WranglerFile {
    /// `wrangler.jsonc` or `wrangler.json`.
    pub rel: String,
    pub text: String,
}

impl Project {
    pub fn new(root: Option<&Path>) -> Result<Project> {
        let root = match root {
            Some(r) => r.to_path_buf(),
            None => std::env::current_dir()?,
        };
        if !root.is_dir() {
            anyhow::bail!("--root {} is not a directory", root.display());
        }
        Ok(Project { root })
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> Result<Option<String>> {
        read_optional(&self.path(rel))
    }

    /// The first of `wrangler.jsonc`, `wrangler.json` in the root.
    pub fn wrangler_file(&self) -> Result<Option<WranglerFile>> {
        for rel in ["wrangler.jsonc", "wrangler.json"] {
            if let Some(text) = self.read(rel)? {
                return Ok(Some(WranglerFile {
                    rel: rel.to_string(),
                    text,
                }));
            }
        }
        Ok(None)
    }
}

/// Reads wrangler's `main` (the worker entry) from a wrangler config text, if it is there and the
/// text parses. Reconciliation reports parse errors itself; this is only used to find the entry.
pub fn wrangler_main(text: &str) -> Option<String> {
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
