//! The parser fuzz target's oracle, shared with the corpus replay test
//! (`crates/codegen/tests/corpus_replay.rs`) so a seed is checked the same way in both places.
//!
//! Contract checked for any input: `parse_containers` and `entry_exports` return (no panic);
//! every diagnostic span lies inside the source, and the human, JSON and GitHub renderings of the
//! diagnostics do not panic; when containers come out, the rendered TypeScript parses with swc,
//! is independent of declaration order, and does not change when rendered twice.
//!
//! Spans are not required to fall on character boundaries: swc can end a syntax error's span
//! inside a multi-byte character (seed `bom_inside_text`, a U+FEFF after the first byte), and
//! the renderers must cope with that.

use swc_common::BytePos;
use swc_ecma_ast::EsVersion;
use swc_ecma_parser::{lexer::Lexer, Parser, StringInput, Syntax, TsSyntax};

/// Runs the checks on one input; panics (with the offending text) when a contract is broken.
pub fn check(data: &[u8]) {
    let source = String::from_utf8_lossy(data);
    let out = lunora_parser::parse_containers(&source, "lunora/containers.ts");
    for d in &out.diagnostics {
        for label in &d.labels {
            let (start, end) = (label.span.start as usize, label.span.end as usize);
            assert!(
                start <= end && end <= source.len(),
                "diagnostic {} has span {start}..{end} outside the {}-byte source",
                d.code,
                source.len()
            );
        }
    }
    let mut sources = lunora_diagnostic::Sources::new();
    sources.insert("lunora/containers.ts", source.to_string());
    let options = lunora_diagnostic::HumanOptions { color: true };
    let _ = lunora_diagnostic::render_human(&out.diagnostics, &sources, options);
    let _ = lunora_diagnostic::render_json(&out.diagnostics, &sources);
    let _ = lunora_diagnostic::render_github(&out.diagnostics, &sources);
    let _ = lunora_parser::entry_exports(&source, "src/index.ts");
    let _ = lunora_parser::entry_exports(&source, "src/index.tsx");

    if out.containers.is_empty() {
        return;
    }
    let files = lunora_codegen::render(&out.containers);
    let mut reversed = out.containers.clone();
    reversed.reverse();
    assert_eq!(
        files,
        lunora_codegen::render(&reversed),
        "render depends on declaration order"
    );
    for f in &files {
        if let Err(errors) = parses_as_typescript(&f.contents) {
            panic!(
                "{} does not re-parse: {errors}\n--- rendered\n{}",
                f.path, f.contents
            );
        }
    }
}

/// Parses `text` as a TypeScript module; `Err` lists every fatal or recovered error.
pub fn parses_as_typescript(text: &str) -> Result<(), String> {
    let input = StringInput::new(text, BytePos(1), BytePos(1 + text.len() as u32));
    let lexer = Lexer::new(
        Syntax::Typescript(TsSyntax::default()),
        EsVersion::latest(),
        input,
        None,
    );
    let mut parser = Parser::new_from(lexer);
    let result = parser.parse_module();
    let mut errors: Vec<String> = parser
        .take_errors()
        .iter()
        .map(|e| format!("{:?}", e.kind()))
        .collect();
    if let Err(e) = result {
        errors.push(format!("{:?}", e.kind()));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}
