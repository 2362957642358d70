//! The TypeScript sources lunora edits for the user. Positions come from the parser's syntax
//! tree (`lunora_parser::add_definition`, `insert_statement`), never from a text search, so an
//! edit never lands inside a string, template literal or comment.

use lunora_diagnostic::Diagnostic;
use lunora_parser::CONTAINER_MODULE;

/// `lunora/containers.ts` with `definitions` (one or more `export const … = defineContainer(…)`
/// statements) appended: to `existing`, whose `defineContainer` import is added after its
/// imports when it has none, or to a new file. `Err` when `existing` does not parse. The one way
/// `generate` and `adopt` write definitions.
pub fn containers_ts_with(
    existing: Option<&str>,
    definitions: &str,
) -> Result<String, Vec<Diagnostic>> {
    match existing {
        None => Ok(format!(
            "// lunora/containers.ts: declare containers here; `lunora codegen` generates the rest.\n\
             import {{ defineContainer }} from \"{CONTAINER_MODULE}\";\n\n{definitions}\n"
        )),
        Some(text) => lunora_parser::add_definition(text, definitions),
    }
}

/// `text` without the lines from the one holding `span_start` to the one holding `span_end`
/// (line break included); when that leaves two blank lines (or a blank line at the start or the
/// end of the file) together, one of them goes too. Every other byte is kept.
pub fn remove_lines(text: &str, span_start: usize, span_end: usize) -> String {
    let (start, end) = removal_range(text, span_start, span_end);
    format!("{}{}", &text[..start], &text[end..])
}

/// The byte range [`remove_lines`] removes.
pub fn removal_range(text: &str, span_start: usize, span_end: usize) -> (usize, usize) {
    let mut start = text[..span_start].rfind('\n').map_or(0, |i| i + 1);
    let mut end = text[span_end..]
        .find('\n')
        .map_or(text.len(), |i| span_end + i + 1);
    let line_before = text[..start.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let blank_before = start == 0 || text[line_before..start].trim().is_empty();
    let rest = &text[end..];
    let next = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let blank_after = rest.is_empty() || rest[..next].trim().is_empty();
    if blank_before && blank_after {
        if !rest.is_empty() {
            end += next;
        } else if start > 0 {
            start = line_before;
        }
    }
    (start, end)
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: u32) -> u32 {
    lunora_diagnostic::SourceText::new(text)
        .line_col(offset)
        .line
}

pub use lunora_parser::comments::leading_comment_start;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_and_an_existing_one_get_the_same_definition() {
        let def = "export const a = defineContainer({ image: \"./containers/a\" });";
        let fresh = containers_ts_with(None, def).unwrap();
        assert!(fresh.contains("import { defineContainer } from \"@lunora/container\";"));
        assert!(fresh.ends_with(&format!("{def}\n")));
        let out = lunora_parser::parse_containers(&fresh, "lunora/containers.ts");
        assert_eq!(out.declared, ["a"]);
        let added = containers_ts_with(
            Some(&fresh),
            "export const b = defineContainer({ image: \"./containers/b\" });",
        )
        .unwrap();
        let out = lunora_parser::parse_containers(&added, "lunora/containers.ts");
        assert_eq!(out.declared, ["a", "b"]);
        assert_eq!(added.matches("import { defineContainer }").count(), 1);
    }

    #[test]
    fn removing_lines_keeps_one_blank_line_between_neighbours() {
        let text = "a;\n\n// doc\nexport const x = 1;\n\nb;\n";
        let at = text.find("// doc").unwrap();
        let end = text.find("= 1;").unwrap() + 4;
        assert_eq!(remove_lines(text, at, end), "a;\n\nb;\n");
        let last = "a;\n\nexport const x = 1;\n";
        let at = last.find("export").unwrap();
        assert_eq!(remove_lines(last, at, last.len() - 1), "a;\n");
        let only = "export const x = 1;\n";
        assert_eq!(remove_lines(only, 0, only.len() - 1), "");
    }
}
