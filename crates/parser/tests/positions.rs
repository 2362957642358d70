//! Line and column of parser diagnostics for a BOM, CRLF and lone-CR `containers.ts` (issue 12).

use lunora_diagnostic::SourceText;
use lunora_parser::parse_containers;

const FILE: &str = "lunora/containers.ts";

fn errors(source: &str) -> Vec<(String, u32, u32)> {
    let text = SourceText::new(source);
    parse_containers(source, FILE)
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let at = text.line_col(d.primary_label().unwrap().span.start);
            (d.code.clone(), at.line, at.column)
        })
        .collect()
}

fn file(nl: &str) -> String {
    [
        "import { defineContainer } from \"@lunora/container\";",
        "export const app = defineContainer({",
        "  image: \"./c\",",
        "  sleepAfter: \"5 minutes\",",
        "});",
        "",
    ]
    .join(nl)
}

#[test]
fn r12_a_bom_shifted_line_1_columns() {
    let src = "\u{feff}import { defineContainer } from \"@lunora/container\"; export const a = defineContainer({ image: 5 });\n";
    assert_eq!(errors(src), [("containers/wrong-type".to_string(), 1, 96)]);
    assert_eq!(
        errors(&src[3..]),
        [("containers/wrong-type".to_string(), 1, 96)]
    );
}

#[test]
fn r12_lone_cr_files_reported_everything_on_line_1() {
    let expected = [("containers/invalid-duration".to_string(), 4, 15)];
    assert_eq!(errors(&file("\n")), expected);
    assert_eq!(errors(&file("\r\n")), expected);
    assert_eq!(errors(&file("\r")), expected);
    assert_eq!(errors(&format!("\u{feff}{}", file("\r"))), expected);
}
