//! `const dc = defineContainer` (issue 12: it was silently not a container). DESIGN: "an aliased
//! import counts" — so do module-scope `const` aliases of it; a `let`/`var` or reassigned alias
//! is a located warning that says why the call is not read.

use lunora_diagnostic::SourceText;
use lunora_parser::parse_containers;

const FILE: &str = "lunora/containers.ts";

fn exports(source: &str) -> Vec<String> {
    let out = parse_containers(source, FILE);
    assert!(
        out.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        out.diagnostics
    );
    out.containers.into_iter().map(|c| c.export_name).collect()
}

/// `(code, line, column, message, secondary labels' positions)` of a warning.
type Warning = (String, u32, u32, String, Vec<(u32, u32)>);

fn warnings(source: &str) -> Vec<Warning> {
    let text = SourceText::new(source);
    parse_containers(source, FILE)
        .diagnostics
        .iter()
        .filter(|d| d.severity == lunora_diagnostic::Severity::Warning)
        .map(|d| {
            let at = text.line_col(d.primary_label().unwrap().span.start);
            let secondary = d
                .labels
                .iter()
                .filter(|l| !l.primary)
                .map(|l| {
                    let p = text.line_col(l.span.start);
                    (p.line, p.column)
                })
                .collect();
            (
                d.code.clone(),
                at.line,
                at.column,
                d.message.clone(),
                secondary,
            )
        })
        .collect()
}

#[test]
fn r12_const_alias_of_define_container_was_not_a_container() {
    let src = "import { defineContainer } from \"@lunora/container\";\n\
               const dc = defineContainer;\n\
               export const app = dc({ image: \"./c\" });\n";
    assert_eq!(exports(src), ["app"]);
}

#[test]
fn aliases_through_a_namespace_destructuring_and_chains_count() {
    let src = "import * as lc from \"@lunora/container\";\n\
               const dc = lc.defineContainer;\n\
               const { defineContainer: viaPattern } = lc;\n\
               const { defineContainer } = lc;\n\
               const again = dc;\n\
               const ns = lc;\n\
               export const a = dc({ image: \"./a\" });\n\
               export const b = viaPattern({ image: \"./b\" });\n\
               export const c = defineContainer({ image: \"./c\" });\n\
               export const d = again({ image: \"./d\" });\n\
               export const e = ns.defineContainer({ image: \"./e\" });\n\
               export const f = (dc as typeof dc)({ image: \"./f\" });\n";
    assert_eq!(exports(src), ["a", "b", "c", "d", "e", "f"]);
}

#[test]
fn a_let_or_var_alias_is_a_located_warning() {
    let src = "import { defineContainer } from \"@lunora/container\";\n\
               let dc = defineContainer;\n\
               var vc = defineContainer;\n\
               export const app = dc({ image: \"./c\" });\n\
               export const other = vc({ image: \"./c\" });\n";
    assert!(parse_containers(src, FILE).containers.is_empty());
    assert_eq!(
        warnings(src),
        [
            (
                "containers/ignored-definition".to_string(),
                4,
                14,
                "`app` calls `dc`, which is declared with `let`, so it is not a container"
                    .to_string(),
                vec![(2, 5)]
            ),
            (
                "containers/ignored-definition".to_string(),
                5,
                14,
                "`other` calls `vc`, which is declared with `var`, so it is not a container"
                    .to_string(),
                vec![(3, 5)]
            ),
        ]
    );
}

#[test]
fn a_reassigned_alias_and_an_alias_of_one_are_located_warnings() {
    let src = "import { defineContainer } from \"@lunora/container\";\n\
               const dc = defineContainer;\n\
               // @ts-expect-error: assigning to a const\n\
               dc = (() => ({})) as any;\n\
               let m = defineContainer;\n\
               const viaLet = m;\n\
               export const app = dc({ image: \"./c\" });\n\
               export const other = viaLet({ image: \"./c\" });\n";
    assert!(parse_containers(src, FILE).containers.is_empty());
    assert_eq!(
        warnings(src),
        [
            (
                "containers/ignored-definition".to_string(),
                7,
                14,
                "`app` calls `dc`, which is assigned again elsewhere in this file, so it is not a container"
                    .to_string(),
                vec![(2, 7), (4, 1)]
            ),
            (
                "containers/ignored-definition".to_string(),
                8,
                14,
                "`other` calls `viaLet`, which refers to `m`, which is declared with `let`, so it is not a container"
                    .to_string(),
                vec![(6, 7)]
            ),
        ]
    );
}

#[test]
fn a_let_namespace_alias_is_a_located_warning() {
    let src = "import * as lc from \"@lunora/container\";\n\
               let ns = lc;\n\
               export const app = ns.defineContainer({ image: \"./c\" });\n";
    let found = warnings(src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].1, found[0].2), (3, 14));
    assert!(
        found[0].3.contains("`ns`, which is declared with `let`"),
        "{found:?}"
    );
}

#[test]
fn an_unrelated_function_is_still_ignored_silently() {
    let src = "import { defineContainer } from \"@lunora/container\";\n\
               let helper = (x: object) => x;\n\
               const other = helper;\n\
               export const app = other({ image: \"./c\" });\n";
    assert!(parse_containers(src, FILE).diagnostics.is_empty());
}
