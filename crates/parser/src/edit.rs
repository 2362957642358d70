//! Text edits that add a top-level statement to a module (`lunora generate`: the
//! `defineContainer` import in `containers.ts`, the generated classes' re-export in the worker
//! entry). Positions come from the syntax tree, so a statement never lands inside a string,
//! template literal or comment; existing text is kept byte for byte.

use crate::syntax;
use lunora_diagnostic::Diagnostic;
use swc_common::Spanned;
use swc_ecma_ast::*;

/// `source` with `statement` (one line, no line terminator) inserted as a top-level statement
/// of its own: on the line after the last top-level import or `export … from` declaration, or,
/// when there is none, before the first statement (after a hashbang and leading comments). The
/// new line uses the file's line terminator. `Err` when `source` does not parse.
pub fn insert_statement(
    source: &str,
    file: &str,
    statement: &str,
) -> Result<String, Vec<Diagnostic>> {
    let tsx = file.ends_with(".tsx") || file.ends_with(".jsx");
    let (module, map) = syntax::parse_module(source, file, tsx)?;
    let last_import = module.body.iter().rev().find(|item| {
        matches!(
            item,
            ModuleItem::ModuleDecl(
                ModuleDecl::Import(_) | ModuleDecl::ExportAll(_) | ModuleDecl::TsImportEquals(_)
            )
        ) || matches!(item, ModuleItem::ModuleDecl(ModuleDecl::ExportNamed(n)) if n.src.is_some())
    });
    let first = module.body.first();
    let (at, text) = {
        let nl = line_terminator(source);
        let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
        match (last_import, first) {
            (Some(import), _) => {
                let end = map.span(import.span()).end as usize;
                let line_end = source[end..]
                    .find(['\n', '\r'])
                    .map_or(source.len(), |i| end + i);
                let rest = source[end..line_end].trim();
                if rest.is_empty() || (rest.starts_with("//") && !rest.contains("*/")) {
                    // After the import's line (and its trailing line comment).
                    match next_line(source, line_end) {
                        Some(next) => (next, format!("{statement}{nl}")),
                        None => (source.len(), format!("{nl}{statement}{nl}")),
                    }
                } else {
                    // Code or a block comment follows on the same line: right after the import.
                    (end, format!("{nl}{statement}{nl}"))
                }
            }
            (None, Some(item)) => {
                let start = map.span(item.span()).start as usize;
                let line_start = source[..start]
                    .rfind(['\n', '\r'])
                    .map_or(0, |i| i + 1)
                    .max(bom);
                if source[line_start..start].trim().is_empty() {
                    (line_start, format!("{statement}{nl}"))
                } else {
                    (start, format!("{statement}{nl}"))
                }
            }
            (None, None) => {
                // Only comments (or nothing): at the end.
                let needs_break = !source[bom..].is_empty() && !source.ends_with(['\n', '\r']);
                let lead = if needs_break { nl } else { "" };
                (source.len(), format!("{lead}{statement}{nl}"))
            }
        }
    };
    let mut out = String::with_capacity(source.len() + text.len());
    out.push_str(&source[..at]);
    out.push_str(&text);
    out.push_str(&source[at..]);
    Ok(out)
}

/// The file's line terminator: the first one it uses (`\r\n`, `\n` or a lone `\r`), else `\n`.
pub(crate) fn line_terminator(source: &str) -> &'static str {
    match source.find(['\n', '\r']) {
        Some(i) if source[i..].starts_with("\r\n") => "\r\n",
        Some(i) if source.as_bytes()[i] == b'\r' => "\r",
        _ => "\n",
    }
}

/// Start of the line after the line terminator at `line_end`, if there is one.
fn next_line(source: &str, line_end: usize) -> Option<usize> {
    let rest = &source[line_end..];
    if rest.starts_with("\r\n") {
        Some(line_end + 2)
    } else if rest.starts_with(['\n', '\r']) {
        Some(line_end + 1)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = "export * from \"./x\";";

    fn insert(source: &str) -> String {
        insert_statement(source, "src/index.ts", LINE).unwrap()
    }

    #[test]
    fn after_the_last_import_or_reexport() {
        assert_eq!(
            insert("import a from \"a\";\nimport {\n  b,\n} from \"b\";\ncode();\n"),
            "import a from \"a\";\nimport {\n  b,\n} from \"b\";\nexport * from \"./x\";\ncode();\n"
        );
        assert_eq!(
            insert("import a from \"a\"; // why\nexport { c } from \"c\"\nrun();\n"),
            "import a from \"a\"; // why\nexport { c } from \"c\"\nexport * from \"./x\";\nrun();\n"
        );
        assert_eq!(
            insert("import a from \"a\"; run();\n"),
            "import a from \"a\";\nexport * from \"./x\";\n run();\n"
        );
        assert_eq!(
            insert("import a from \"a\";"),
            "import a from \"a\";\nexport * from \"./x\";\n"
        );
    }

    #[test]
    fn never_inside_a_template_or_comment() {
        let source = "const t = `\nimport a from \"a\";\n`;\n/*\nimport b from \"b\";\n*/\nexport default {};\n";
        assert_eq!(insert(source), format!("{LINE}\n{source}"));
        let source = "import a from \"a\"; const t = `\nimport c from \"c\";\n`;\n";
        assert_eq!(
            insert(source),
            "import a from \"a\";\nexport * from \"./x\";\n const t = `\nimport c from \"c\";\n`;\n"
        );
    }

    #[test]
    fn before_the_first_statement_after_leading_comments() {
        assert_eq!(
            insert("#!/usr/bin/env node\n// c\n\nrun();\n"),
            "#!/usr/bin/env node\n// c\n\nexport * from \"./x\";\nrun();\n"
        );
        assert_eq!(insert(""), "export * from \"./x\";\n");
        assert_eq!(insert("// only\n"), "// only\nexport * from \"./x\";\n");
        assert_eq!(insert("// only"), "// only\nexport * from \"./x\";\n");
        assert_eq!(
            insert("\u{feff}run();"),
            "\u{feff}export * from \"./x\";\nrun();"
        );
    }

    #[test]
    fn in_the_files_line_terminator() {
        assert_eq!(insert("a();\r\n"), "export * from \"./x\";\r\na();\r\n");
        assert_eq!(
            insert("import a from \"a\";\rb();\r"),
            "import a from \"a\";\rexport * from \"./x\";\rb();\r"
        );
    }
}
