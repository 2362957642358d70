//! The filesystem as the deciders see it: [`Fs`]. The CLI implements it on disk; [`MemoryFs`]
//! holds a whole project in memory (tests), and [`Overlay`] puts edits not yet written over
//! another `Fs`, so that a command can plan a whole run on them (`lunora adopt`, `rename`,
//! `remove`). Every read a decider makes goes through here, so an overlay is never bypassed.

pub use lunora_codegen::normalize;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// What a path names, following symlinks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    /// Anything else (a socket, a device, …).
    Other,
}

/// Read-only access to files by absolute path.
pub trait Fs: Send + Sync {
    /// The file's text; `Ok(None)` when it does not exist. A file that is not UTF-8 is an
    /// `Err` carrying [`lunora_diagnostic::InvalidUtf8`].
    fn read(&self, path: &Path) -> anyhow::Result<Option<String>>;

    /// What `path` names (symlinks followed); `None` when nothing (or a dangling symlink).
    fn kind(&self, path: &Path) -> Option<Kind>;

    /// Whether an entry exists at `path` itself, a dangling symlink included.
    fn entry_exists(&self, path: &Path) -> bool;

    /// `path` with every symlink resolved; it must exist.
    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf>;

    /// The names in directory `path`, sorted.
    fn list_dir(&self, path: &Path) -> std::io::Result<Vec<String>>;

    fn is_file(&self, path: &Path) -> bool {
        self.kind(path) == Some(Kind::File)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.kind(path) == Some(Kind::Dir)
    }
}

/// `path` with every symlink resolved: the deepest ancestor that exists (as a file, directory
/// or symlink) is canonicalized and the rest, which does not exist yet and so holds no symlink,
/// is appended lexically. A dangling symlink is an error.
pub fn resolve_physical(fs: &dyn Fs, path: &Path) -> std::io::Result<PathBuf> {
    let components: Vec<Component> = path.components().collect();
    for k in (1..=components.len()).rev() {
        let prefix: PathBuf = components[..k].iter().collect();
        if !fs.entry_exists(&prefix) {
            continue;
        }
        let mut out = fs.canonicalize(&prefix)?;
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

/// Files in memory, by absolute path; directories are the ancestors of files (and those added
/// with [`MemoryFs::dir`]). No symlinks.
#[derive(Debug, Clone, Default)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, String>,
    dirs: BTreeMap<PathBuf, ()>,
}

impl MemoryFs {
    pub fn new() -> MemoryFs {
        MemoryFs::default()
    }

    /// Adds (or replaces) a file, and its ancestors as directories.
    pub fn file(mut self, path: impl AsRef<Path>, text: impl Into<String>) -> MemoryFs {
        let path = normalize(path.as_ref());
        self.add_ancestors(&path);
        self.files.insert(path, text.into());
        self
    }

    /// Adds an (empty) directory.
    pub fn dir(mut self, path: impl AsRef<Path>) -> MemoryFs {
        let path = normalize(path.as_ref());
        self.add_ancestors(&path);
        self.dirs.insert(path, ());
        self
    }

    fn add_ancestors(&mut self, path: &Path) {
        for a in path.ancestors().skip(1) {
            if !a.as_os_str().is_empty() {
                self.dirs.insert(a.to_path_buf(), ());
            }
        }
    }
}

impl Fs for MemoryFs {
    fn read(&self, path: &Path) -> anyhow::Result<Option<String>> {
        Ok(self.files.get(&normalize(path)).cloned())
    }

    fn kind(&self, path: &Path) -> Option<Kind> {
        let path = normalize(path);
        if self.files.contains_key(&path) {
            Some(Kind::File)
        } else if self.dirs.contains_key(&path) {
            Some(Kind::Dir)
        } else {
            None
        }
    }

    fn entry_exists(&self, path: &Path) -> bool {
        self.kind(path).is_some()
    }

    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        let path = normalize(path);
        if self.entry_exists(&path) {
            Ok(path)
        } else {
            Err(std::io::ErrorKind::NotFound.into())
        }
    }

    fn list_dir(&self, path: &Path) -> std::io::Result<Vec<String>> {
        let path = normalize(path);
        if !self.dirs.contains_key(&path) {
            return Err(std::io::ErrorKind::NotFound.into());
        }
        let mut names: Vec<String> = self
            .files
            .keys()
            .chain(self.dirs.keys())
            .filter(|p| p.parent() == Some(path.as_path()))
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        names.sort();
        names.dedup();
        Ok(names)
    }
}

/// Texts standing in for files of `base` (absolute path → contents): reads see them, everything
/// else is `base`'s.
#[derive(Clone)]
pub struct Overlay {
    base: Arc<dyn Fs>,
    files: MemoryFs,
}

impl Overlay {
    pub fn new(base: Arc<dyn Fs>, files: impl IntoIterator<Item = (PathBuf, String)>) -> Overlay {
        let files = files
            .into_iter()
            .fold(MemoryFs::new(), |fs, (path, text)| fs.file(path, text));
        Overlay { base, files }
    }
}

impl Fs for Overlay {
    fn read(&self, path: &Path) -> anyhow::Result<Option<String>> {
        match self.files.read(path)? {
            Some(text) => Ok(Some(text)),
            None => self.base.read(path),
        }
    }

    fn kind(&self, path: &Path) -> Option<Kind> {
        if self.files.is_file(path) {
            return Some(Kind::File);
        }
        self.base.kind(path).or_else(|| self.files.kind(path))
    }

    fn entry_exists(&self, path: &Path) -> bool {
        self.files.entry_exists(path) || self.base.entry_exists(path)
    }

    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        self.base
            .canonicalize(path)
            .or_else(|_| self.files.canonicalize(path))
    }

    fn list_dir(&self, path: &Path) -> std::io::Result<Vec<String>> {
        let mut names = match self.base.list_dir(path) {
            Ok(names) => names,
            Err(e) if !self.files.is_dir(path) => return Err(e),
            Err(_) => Vec::new(),
        };
        names.extend(self.files.list_dir(path).unwrap_or_default());
        names.sort();
        names.dedup();
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_files_imply_their_directories() {
        let fs = MemoryFs::new()
            .file("/app/lunora/containers.ts", "x")
            .dir("/app/empty");
        assert!(fs.is_file(Path::new("/app/lunora/containers.ts")));
        assert!(fs.is_dir(Path::new("/app/lunora")));
        assert!(fs.is_dir(Path::new("/app/./empty")));
        assert_eq!(fs.kind(Path::new("/app/missing")), None);
        assert_eq!(fs.list_dir(Path::new("/app")).unwrap(), ["empty", "lunora"]);
        assert_eq!(
            fs.read(Path::new("/app/x/../lunora/containers.ts"))
                .unwrap(),
            Some("x".to_string())
        );
    }

    #[test]
    fn an_overlay_is_seen_by_every_kind_of_read() {
        let base: Arc<dyn Fs> = Arc::new(MemoryFs::new().file("/app/a.ts", "old"));
        let fs = Overlay::new(
            base,
            [
                (PathBuf::from("/app/a.ts"), "new".to_string()),
                (PathBuf::from("/app/new/b.ts"), "b".to_string()),
            ],
        );
        assert_eq!(fs.read(Path::new("/app/a.ts")).unwrap().unwrap(), "new");
        assert!(fs.is_file(Path::new("/app/new/b.ts")));
        assert!(fs.is_dir(Path::new("/app/new")));
        assert_eq!(fs.list_dir(Path::new("/app")).unwrap(), ["a.ts", "new"]);
        assert_eq!(
            resolve_physical(&fs, Path::new("/app/new/c/d.ts")).unwrap(),
            PathBuf::from("/app/new/c/d.ts")
        );
    }
}
