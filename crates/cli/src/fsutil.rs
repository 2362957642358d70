//! The only place lunora writes user files. Every write is atomic (temp file in the same
//! directory, fsync, rename), so a crash or a concurrent run leaves each file old or new, never
//! partial.

use anyhow::{Context, Result};
use std::fs;
use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically, creating parent directories. Keeps the permissions of
/// an existing file; a new file gets the usual `0666 & !umask`.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    write_all_atomic(&[(path, contents)])
}

/// Replaces every `(path, contents)` atomically per file: a crash or a concurrent run leaves each
/// file old or new, never partial. All temp files are written and flushed to disk before the
/// first rename, and the flushes run in parallel, so a run waits for about one fsync rather than
/// one per file (measured: three sequential fsyncs were most of a small project's codegen time).
pub fn write_all_atomic(files: &[(&Path, &[u8])]) -> Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, contents) in files {
        staged.push((stage(path, contents)?, *path));
    }
    // Durability is best effort (a failed fsync still leaves a complete file to rename).
    match staged.as_slice() {
        [] => {}
        [(only, _)] => {
            only.as_file().sync_all().ok();
        }
        many => std::thread::scope(|s| {
            for (tmp, _) in many {
                s.spawn(move || tmp.as_file().sync_all().ok());
            }
        }),
    }
    for (tmp, path) in staged {
        tmp.persist(path)
            .map_err(|e| e.error)
            .with_context(|| format!("replacing {}", path.display()))?;
    }
    Ok(())
}

/// Writes `contents` to a new temp file `.<name>.<random>.tmp` next to `path`.
fn stage(path: &Path, contents: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let prefix = format!(
        ".{}.",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("lunora")
    );
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    tmp.write_all(contents)
        .with_context(|| format!("writing {}", path.display()))?;
    if let Ok(meta) = fs::metadata(path) {
        let _ = fs::set_permissions(tmp.path(), meta.permissions());
    }
    Ok(tmp)
}

/// The largest input lunora reads (config, `containers.ts`, worker entry, package.json,
/// Dockerfile). Real ones are a few KB; this bounds memory against a file that never ends.
pub const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a file that may be absent. Only regular files are read, never more than
/// [`MAX_INPUT_BYTES`]: a FIFO, device, socket or directory is an error at once (opening never
/// blocks), as is a larger file. Other errors (permissions, not UTF-8) are errors; text that
/// is not UTF-8 carries a [`lunora_diagnostic::InvalidUtf8`] (line and column of the first bad
/// byte), which [`crate::project::read_error`] turns into a located diagnostic.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    read_bounded(path, MAX_INPUT_BYTES)
}

fn read_bounded(path: &Path, limit: u64) -> Result<Option<String>> {
    use std::io::Read;
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    check_readable(path, &meta, limit)?;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Swapped for a FIFO between the check and the open, the open still must not block.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let meta = file
        .metadata()
        .with_context(|| format!("reading {}", path.display()))?;
    check_readable(path, &meta, limit)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, limit));
    }
    lunora_diagnostic::decode_utf8(bytes)
        .map(Some)
        .map_err(anyhow::Error::new)
        .with_context(|| format!("{} is not UTF-8", path.display()))
}

fn check_readable(path: &Path, meta: &fs::Metadata, limit: u64) -> Result<()> {
    if !meta.is_file() {
        anyhow::bail!(
            "{} is {}, not a regular file; lunora reads only regular files (replace it with a file)",
            path.display(),
            describe_kind(meta)
        );
    }
    if meta.len() > limit {
        return Err(too_large(path, limit));
    }
    Ok(())
}

fn too_large(path: &Path, limit: u64) -> anyhow::Error {
    anyhow::anyhow!(
        "{} is larger than {} MiB, the most lunora reads from one input; is it the right file?",
        path.display(),
        limit / (1024 * 1024)
    )
}

fn describe_kind(meta: &fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    "not a file"
}

/// Temp files younger than this may belong to a run still in progress and are left alone.
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(300);

/// Removes temp files that [`write_all_atomic`] left next to `path` when a run was killed
/// between creating and renaming them (`.<name>.<random>.tmp`, older than five minutes). Best
/// effort: failures are ignored, and no other file is ever touched.
pub fn remove_stale_temp_files(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(random) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(".tmp"))
        else {
            continue;
        };
        if random.is_empty() || !random.bytes().all(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let old = entry
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Runs `read_optional` on another thread so that a read that blocks fails the test
    /// instead of hanging it.
    fn read_within_a_second(path: &Path) -> Result<Option<String>> {
        let path = path.to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(read_optional(&path));
        });
        rx.recv_timeout(Duration::from_secs(5))
            .expect("the read blocked")
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_as_an_input_blocked_the_read_forever() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("wrangler.jsonc");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let err = read_within_a_second(&fifo).unwrap_err();
        assert!(
            format!("{err:#}").contains("is a FIFO (named pipe), not a regular file"),
            "{err:#}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_config_symlinked_to_dev_zero_was_read_until_memory_ran_out() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("wrangler.jsonc");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let err = read_within_a_second(&link).unwrap_err();
        assert!(format!("{err:#}").contains("is a device"), "{err:#}");
    }

    #[test]
    fn an_input_over_the_limit_is_refused_with_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("containers.ts");
        fs::write(&big, vec![b'x'; 3 * 1024 * 1024]).unwrap();
        let err = read_bounded(&big, 2 * 1024 * 1024).unwrap_err();
        assert!(format!("{err:#}").contains("larger than 2 MiB"), "{err:#}");
        assert_eq!(
            read_bounded(&big, 3 * 1024 * 1024).unwrap().unwrap().len(),
            3 * 1024 * 1024
        );
        assert_eq!(read_optional(&dir.path().join("absent")).unwrap(), None);
    }
}
