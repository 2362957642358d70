//! No source file over 800 lines: a module that grows past that is split by topic (issue 21).
//! Counts every source file under crates/, tests/, packages/ and scripts/ — Rust, TypeScript,
//! JavaScript, shell and Python, and extensionless scripts with a `#!` line — leaving out
//! what is not written by hand (`target`, `node_modules`, `dist`) and test data (`fixtures`,
//! `snapshots`, fuzz corpora).

use crate::support::workspace;
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;
const SOURCE_EXTENSIONS: &[&str] = &[
    "rs", "ts", "mts", "cts", "tsx", "js", "mjs", "cjs", "sh", "py",
];
const SKIPPED_DIRS: &[&str] = &[
    "target",
    "node_modules",
    "dist",
    "fixtures",
    "snapshots",
    "corpus",
];

fn is_source(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) => SOURCE_EXTENSIONS.contains(&ext),
        None => std::fs::read(path).is_ok_and(|bytes| bytes.starts_with(b"#!")),
    }
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_str()) {
                sources(&path, out);
            }
        } else if kind.is_file() && is_source(&path) {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_is_over_800_lines() {
    let root = workspace();
    let mut files = Vec::new();
    for top in ["crates", "tests", "packages", "scripts"] {
        sources(&root.join(top), &mut files);
    }
    // The walk must see the tree, or the check passes on nothing.
    assert!(files.len() > 200, "only {} source files found", files.len());
    for known in [
        "crates/cli/src/main.rs",
        "packages/container/src/rules.ts",
        "scripts/test.sh",
        "tests/fakes/wrangler",
    ] {
        assert!(files.contains(&root.join(known)), "{known} is not counted");
    }
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).ok()?.lines().count();
            let rel = f.strip_prefix(&root).unwrap_or(f).display().to_string();
            (lines > MAX_LINES).then(|| format!("{rel}: {lines} lines"))
        })
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "source files over {MAX_LINES} lines (split each by topic into modules of its own):\n{}",
        long.join("\n")
    );
}
