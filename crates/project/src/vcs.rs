//! What version control keeps of lunora's output. lunora's generated modules are committed, as
//! Convex commits `convex/_generated` and `wrangler types` output is committed (issue 23.9): a
//! clean clone then builds and type-checks before any tool runs, and `codegen --check` in CI
//! proves the committed files current. A project whose root `.gitignore` ignores them fails that
//! check on every clean clone, so lunora names the line.

use crate::codes;
use crate::project::Project;
use lunora_diagnostic::{Diagnostic, Span};

/// The root `.gitignore` line that ignores `lunora/_generated`, as a warning at that line, with
/// the file's text (for rendering). `None` when none does (negated patterns are not read).
pub fn generated_ignored(project: &Project) -> Option<(Diagnostic, String)> {
    let text = project.read(".gitignore").ok().flatten()?;
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let pattern = line.trim();
        if ignores_generated(pattern) {
            let d = Diagnostic::warning(
                codes::GENERATED_IGNORED,
                format!("`{pattern}` in .gitignore keeps lunora/_generated/ out of git, so a clean clone has no generated modules: the worker does not build and `lunora codegen --check` fails there"),
            )
            .with_primary(
                ".gitignore",
                Span::new(start as u32, (start + line.trim_end().len()) as u32),
                "ignores lunora's generated modules",
            )
            .with_help("delete this line and commit lunora/_generated/ (and worker-configuration.d.ts, if you use `wrangler types`); CI's `lunora codegen --check` keeps them current");
            return Some((d, text));
        }
    }
    None
}

/// Whether a `.gitignore` pattern matches `lunora/_generated` (or everything in it).
fn ignores_generated(pattern: &str) -> bool {
    if pattern.is_empty() || pattern.starts_with('#') || pattern.starts_with('!') {
        return false;
    }
    let p = pattern.trim_start_matches('/').trim_start_matches("**/");
    let p = p
        .strip_suffix("/**")
        .or_else(|| p.strip_suffix("/*"))
        .unwrap_or(p);
    let p = p.trim_end_matches('/');
    matches!(p, "lunora/_generated" | "_generated" | "lunora")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemoryFs;
    use std::sync::Arc;

    fn project(gitignore: &str) -> Project {
        let fs = MemoryFs::new().file("/app/.gitignore", gitignore);
        Project::new(Arc::new(fs), "/app".into())
    }

    #[test]
    fn the_usual_spellings_are_found_at_their_line() {
        for line in [
            "lunora/_generated/",
            "/lunora/_generated",
            "lunora/_generated/*",
            "**/_generated/",
            "_generated",
        ] {
            let (d, _) = generated_ignored(&project(&format!(".wrangler/\n{line}\n")))
                .unwrap_or_else(|| panic!("{line}"));
            assert_eq!(d.code, codes::GENERATED_IGNORED);
            assert_eq!(d.primary_label().unwrap().span.start, 11, "{line}");
        }
    }

    #[test]
    fn other_lines_are_not() {
        for text in [
            ".wrangler/\nworker-configuration.d.ts\n",
            "# lunora/_generated/\n",
            "!lunora/_generated/\n",
            "lunora/_generated/classes.json\n",
            "",
        ] {
            assert!(generated_ignored(&project(text)).is_none(), "{text:?}");
        }
    }
}
