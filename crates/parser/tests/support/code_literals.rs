//! Shared by the registry tests of the parser, the advisor and the diagnostic crate: diagnostic
//! codes (`containers/<rule>`, `container_<lint>`, `lunora/<code>`) are written as string
//! literals only in a crate's registry module, so a new rule cannot bypass the registry (nor the
//! README check built on it).

use std::path::Path;

/// The code-shaped string literals in `text`: a `"` followed by one of the code prefixes, then
/// only `[a-z0-9_-]` up to the closing `"` (so `"lunora/containers.ts"` is a path, not a code).
pub fn code_literals(text: &str) -> Vec<(usize, String)> {
    const PREFIXES: &[&str] = &["containers/", "container_", "lunora/"];
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for (i, _) in line.match_indices('"') {
            let rest = &line[i + 1..];
            let Some(prefix) = PREFIXES.iter().find(|p| rest.starts_with(**p)) else {
                continue;
            };
            let Some(end) = rest.find('"') else { continue };
            let body = &rest[prefix.len()..end];
            if !body.is_empty()
                && body
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                out.push((n + 1, rest[..end].to_string()));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Fails listing every code literal in a `.rs` file under `src` other than `registries`
/// (paths relative to `src`).
pub fn assert_none_outside(src: &str, registries: &[&str]) {
    let root = Path::new(src);
    let mut files = Vec::new();
    rust_files(root, &mut files);
    assert!(!files.is_empty(), "no sources under {src}");
    let mut found = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if registries.contains(&rel.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, code) in code_literals(&text) {
            found.push(format!("{rel}:{line}: \"{code}\""));
        }
    }
    assert!(
        found.is_empty(),
        "diagnostic codes written as literals outside the registry (use the constant from the registry module):\n{}",
        found.join("\n")
    );
}

/// Fails when a `pub const NAME: &str = "<code>"` of `registry` is missing from `all`.
#[allow(dead_code)] // the diagnostic crate has no registry
pub fn assert_all_lists_every_constant(registry: &str, all: &[&str]) {
    let missing: Vec<String> = code_literals(registry)
        .into_iter()
        .map(|(_, code)| code)
        .filter(|code| !all.contains(&code.as_str()))
        .collect();
    assert!(missing.is_empty(), "codes missing from ALL: {missing:?}");
}

#[test]
fn code_literals_are_told_from_paths() {
    let text = "a(\"containers/invalid-port\"); b(\"lunora/containers.ts\"); c(\"container_x\", \"lunora/cost\")";
    let found: Vec<String> = code_literals(text).into_iter().map(|(_, c)| c).collect();
    assert_eq!(
        found,
        ["containers/invalid-port", "container_x", "lunora/cost"]
    );
}
