//! The file-level rules with exact codes and positions: syntax errors, byte offsets with a BOM
//! and multi-byte text, worker entry exports, the time and nesting bounds (independent of the
//! snapshots). The field rules are in `rules.rs`.

use lunora_diagnostic::SourceText;
use lunora_parser::{entry_exports, parse_containers};

const FILE: &str = "lunora/containers.ts";

/// `(code, line, column)` of every diagnostic, columns 1-based in characters.
/// The advisor's model lints are included, as `lunora codegen` shows them.
fn found(source: &str) -> Vec<(String, u32, u32)> {
    let text = SourceText::new(source);
    lunora_advisor::with_model_lints(parse_containers(source, FILE), FILE)
        .diagnostics
        .iter()
        .map(|d| {
            let label = d.primary_label().expect("every diagnostic is located");
            assert_eq!(label.file, FILE);
            let pos = text.line_col(label.span.start);
            (d.code.clone(), pos.line, pos.column)
        })
        .collect()
}

#[test]
fn syntax_errors_are_located() {
    let src = "import { defineContainer } from \"@lunora/container\";\nexport const a = defineContainer({ image: \"./c\" ;\n";
    let f = found(src);
    assert!(!f.is_empty());
    assert!(
        f.iter()
            .all(|(code, line, _)| code == "containers/syntax-error" && *line == 2),
        "{f:?}"
    );
}

#[test]
fn spans_are_byte_offsets_with_bom_and_multibyte_text() {
    let src = "\u{feff}// héllo wörld ✓\nimport { defineContainer } from \"@lunora/container\";\nexport const a = defineContainer({ image: \"./c\", defaultPort: 0 });\n";
    let out = parse_containers(src, FILE);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "containers/invalid-port")
        .unwrap();
    let span = d.labels[0].span;
    assert_eq!(&src[span.start as usize..span.end as usize], "0");
    let a = SourceText::new(src).line_col(span.start);
    assert_eq!((a.line, a.column), (3, 63));
}

#[test]
fn entry_exports_collects_value_exports() {
    let src = r#"
export * from "../../lunora/_generated/containers";
export type * from "./types";
export * as ns from "./ns";
export { A, B as C, type D } from "./mod";
export type { E } from "./mod";
const F = 1;
export { F };
export class G {}
export const H = 1, { I, J: K } = {} as any;
export function L() {}
export async function M() {}
export type N = string;
export interface O {}
export enum P { X }
export declare const Q: number;
export default class {}
"#;
    let out = entry_exports(src, "src/server/index.ts").unwrap();
    assert_eq!(
        out.star_reexports,
        vec!["../../lunora/_generated/containers"]
    );
    assert_eq!(
        out.value_names,
        vec!["ns", "A", "C", "F", "G", "H", "I", "K", "L", "M", "P", "default"]
    );
    let err = entry_exports("export { A from './x';", "src/index.ts").unwrap_err();
    assert!(err
        .iter()
        .all(|d| d.code == "containers/syntax-error" && d.primary_label().is_some()));
    let jsx = entry_exports("export const App = () => <div />;", "src/index.tsx").unwrap();
    assert_eq!(jsx.value_names, vec!["App"]);
}

#[test]
fn a_thousand_containers_parse_quickly() {
    let mut src = String::from(
        "import { defineContainer } from \"@lunora/container\";\nconst PORT = 8080;\n",
    );
    for i in 0..1000 {
        src.push_str(&format!(
            "export const c{i} = defineContainer({{\n  image: \"./containers/c{i}\",\n  defaultPort: PORT,\n  requiredPorts: [PORT, 9090],\n  instanceType: \"standard-1\",\n  maxInstances: 5,\n  sleepAfter: \"5m\",\n  hardTimeout: \"1h\",\n  readyOn: [{{ path: \"/ready\" }}],\n  env: {{ LOG_LEVEL: \"info\", MODE: \"prod\" }},\n  secrets: [\"API_KEY\"],\n  enableInternet: false,\n  allowedHosts: [\"*.stripe.com\"],\n  rollout: {{ stepPercentage: 25 }},\n}});\n"
        ));
    }
    // Best of a few runs: the machine is shared, so a single run measures the neighbours too.
    let mut elapsed = std::time::Duration::MAX;
    let mut out = Default::default();
    for _ in 0..5 {
        let start = std::time::Instant::now();
        out = parse_containers(&src, FILE);
        elapsed = elapsed.min(start.elapsed());
    }
    let out: lunora_parser::ParseOutput = out;
    assert_eq!(out.containers.len(), 1000);
    assert!(out.diagnostics.is_empty());
    // Generous bound: debug builds of swc are slow; release measures far less.
    assert!(elapsed.as_millis() < 3000, "took {elapsed:?}");
    eprintln!(
        "1000 containers ({} lines): {elapsed:?}",
        src.lines().count()
    );
}

#[test]
fn deep_nesting_is_refused_or_survived_not_a_crash() {
    let wrap = |inner: String| {
        format!("import {{ defineContainer }} from \"@lunora/container\";\nexport const a = defineContainer({{ image: \"./c\", env: {inner} }});\n")
    };
    for (open, close) in [("(", ")"), ("[", "]"), ("{a:", "}")] {
        let src = wrap(format!(
            "{}1{}",
            open.repeat(100_000),
            close.repeat(100_000)
        ));
        let codes: Vec<_> = parse_containers(&src, FILE)
            .diagnostics
            .into_iter()
            .map(|d| d.code)
            .collect();
        assert_eq!(codes, vec!["containers/too-deeply-nested"]);
        assert!(entry_exports(&src, "src/index.ts").is_err());
        // Within the limit: parsed and evaluated normally.
        let src = wrap(format!("{}1{}", open.repeat(900), close.repeat(900)));
        let diagnostics = parse_containers(&src, FILE).diagnostics;
        assert!(diagnostics.iter().all(
            |d| d.code != "containers/too-deeply-nested" && d.code != "containers/syntax-error"
        ));
    }
    // Chains without brackets are not limited; they must still not overflow the stack.
    for chain in ["a ? b : ", "2 ** ", "() => ", "- "] {
        let src = wrap(format!("{}1", chain.repeat(20_000)));
        let _ = parse_containers(&src, FILE);
    }
    // Brackets inside strings, comments and templates count only as deep as they would be as
    // code (the pre-parse scan leans towards counting too much; see `scan.rs`): a few hundred
    // pass.
    let noise = format!(
        "\"{}\" /* {} */ `{}${{1}}`",
        "(".repeat(300),
        "[".repeat(300),
        "{".repeat(300)
    );
    assert!(parse_containers(&wrap(noise), FILE)
        .diagnostics
        .iter()
        .all(|d| !d.is_error()));
}
