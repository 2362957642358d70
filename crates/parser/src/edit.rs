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
                    .find(LINE_TERMINATORS)
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
            (None, Some(_)) => {
                // Before the first token after the leading comments (not the first item's span:
                // swc may leave a stray decorator outside every item).
                let start = leading_trivia_end(source);
                let line_start = line_start_before(source, start).max(bom);
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

/// `source` (a `containers.ts`) with `definition` appended after a blank line, and, when the
/// file does not import `defineContainer` from [`crate::CONTAINER_MODULE`], that import inserted
/// with [`insert_statement`]. Uses the file's line terminator; existing text is kept byte for
/// byte. `Err` when `source` does not parse, or when it declares a `defineContainer` of its own
/// that the import would collide with.
pub fn add_definition(source: &str, definition: &str) -> Result<String, Vec<Diagnostic>> {
    let file = "lunora/containers.ts";
    let with_import = if crate::parse_containers(source, file)
        .define_container
        .is_some()
    {
        source.to_string()
    } else {
        let (module, map) = syntax::parse_module(source, file, false)?;
        let scope = crate::eval::Scope::collect(&module, map);
        let own = scope
            .consts
            .get("defineContainer")
            .map(|(_, span)| *span)
            .or_else(|| scope.others.get("defineContainer").map(|(_, span)| *span));
        if let Some(span) = own {
            return Err(vec![Diagnostic::error(
                crate::codes::INVALID_DECLARATION,
                "this file already has a `defineContainer` of its own (declared here or imported from elsewhere), so the one from @lunora/container cannot be imported",
            )
            .with_primary(file, span, "declared here")
            .with_help(format!(
                "rename it, or import `defineContainer` from \"{}\" yourself",
                crate::CONTAINER_MODULE
            ))]);
        }
        let import = format!(
            "import {{ defineContainer }} from \"{}\";",
            crate::CONTAINER_MODULE
        );
        insert_statement(source, file, &import)?
    };
    Ok(append_block(&with_import, definition))
}

/// `text` with `block` appended after a blank line, in the file's line terminator.
fn append_block(text: &str, block: &str) -> String {
    let nl = line_terminator(text);
    let mut out = text.to_string();
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !body.is_empty() && !out.ends_with(['\n', '\r']) {
        out.push_str(nl);
    }
    if !body.is_empty() {
        out.push_str(nl);
    }
    out.push_str(&block.replace("\r\n", "\n").replace('\n', nl));
    out.push_str(nl);
    out
}

/// The file's line terminator: the first one it uses (`\r\n`, `\n` or a lone `\r`), else `\n`.
pub(crate) fn line_terminator(source: &str) -> &'static str {
    match source.find(['\n', '\r']) {
        Some(i) if source[i..].starts_with("\r\n") => "\r\n",
        Some(i) if source.as_bytes()[i] == b'\r' => "\r",
        _ => "\n",
    }
}

/// JavaScript's line terminators: a `//` comment or a hashbang ends at any of them.
const LINE_TERMINATORS: [char; 4] = ['\n', '\r', '\u{2028}', '\u{2029}'];

/// Start of the line after the line terminator at `line_end`, if there is one.
fn next_line(source: &str, line_end: usize) -> Option<usize> {
    let rest = &source[line_end..];
    if rest.starts_with("\r\n") {
        Some(line_end + 2)
    } else {
        rest.chars()
            .next()
            .filter(|c| LINE_TERMINATORS.contains(c))
            .map(|c| line_end + c.len_utf8())
    }
}

/// Start of the line (after the last line terminator) that `at` is on.
fn line_start_before(source: &str, at: usize) -> usize {
    source[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| LINE_TERMINATORS.contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Where the first token of a module starts: after a BOM, a hashbang, white space and comments.
/// Stops early rather than late on anything unusual (inserting among comments is harmless,
/// inside one is not).
fn leading_trivia_end(source: &str) -> usize {
    let mut i = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let line_end = |from: usize| {
        source[from..]
            .find(LINE_TERMINATORS)
            .map_or(source.len(), |e| from + e)
    };
    if source[i..].starts_with("#!") {
        i = line_end(i);
    }
    loop {
        let rest = &source[i..];
        if rest.starts_with("//") {
            i = line_end(i);
        } else if let Some(body) = rest.strip_prefix("/*") {
            i = body.find("*/").map_or(source.len(), |e| i + 2 + e + 2);
        } else if let Some(c) = rest.chars().next().filter(|c| {
            matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}' | '\u{a0}' | '\u{feff}')
                || LINE_TERMINATORS.contains(c)
        }) {
            i += c.len_utf8();
        } else {
            return i;
        }
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

    #[test]
    fn a_definition_is_appended_and_the_import_added_once() {
        let imported = "import { defineContainer as dc } from \"@lunora/container\";\n";
        assert_eq!(
            add_definition(imported, "D").unwrap(),
            format!("{imported}\nD\n")
        );
        assert_eq!(
            add_definition("// c\nexport const a = 1;", "D").unwrap(),
            "// c\nimport { defineContainer } from \"@lunora/container\";\nexport const a = 1;\n\nD\n"
        );
        assert_eq!(
            add_definition("\u{feff}", "D\nE").unwrap(),
            "\u{feff}import { defineContainer } from \"@lunora/container\";\n\nD\nE\n"
        );
        // A `defineContainer` of the file's own would collide with the import.
        for own in [
            "function defineContainer() {}\n",
            "import { defineContainer } from \"./mine\";\n",
        ] {
            let err = add_definition(own, "D").unwrap_err();
            assert_eq!(err[0].code, crate::codes::INVALID_DECLARATION);
        }
    }

    #[test]
    fn decorators_stay_with_their_class() {
        assert_eq!(
            insert("@sealed\nexport class A {}\n"),
            "export * from \"./x\";\n@sealed\nexport class A {}\n"
        );
    }

    /// Found by the `entry` fuzz target: a stray decorator before the first statement, after a
    /// hashbang that ends at U+2029; the re-export went between the decorator and the statement.
    #[test]
    fn r_fuzz_stray_decorator_after_a_hashbang() {
        assert_eq!(
            insert("#!/x\u{2029}\n@seal{ a };\n"),
            "#!/x\u{2029}\nexport * from \"./x\";\n@seal{ a };\n"
        );
        assert_eq!(
            insert("#!/x\u{2029}@seal{ a };\n"),
            "#!/x\u{2029}export * from \"./x\";\n@seal{ a };\n"
        );
    }
}
