//! The swc front end: source text in, a module (or located syntax errors) out.
//!
//! Contract: spans handed to the rest of the crate through [`SourceMap::span`] are 0-based byte
//! offsets into the exact `source` string the caller passed, BOM included.

use crate::codes::{SYNTAX_ERROR, TOO_DEEPLY_NESTED};
use crate::scan::{self, Exceeded, Excess, MAX_CHAIN, MAX_NESTING};
use lunora_diagnostic::{Diagnostic, Span};
use std::collections::HashSet;
use swc_common::{BytePos, Spanned};
use swc_ecma_ast::{EsVersion, Module};
use swc_ecma_parser::{lexer::Lexer, Parser, StringInput, Syntax, TsSyntax};

/// Converts swc positions of one parsed text into byte offsets of the caller's source.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SourceMap {
    /// swc position of byte 0 of the parsed text (swc reserves position 0 for "no position").
    origin: u32,
    /// Bytes skipped before the parsed text (a UTF-8 BOM).
    skipped: u32,
    len: u32,
}

impl SourceMap {
    pub(crate) fn span(&self, span: swc_common::Span) -> Span {
        Span::new(self.offset(span.lo), self.offset(span.hi))
    }

    fn offset(&self, pos: BytePos) -> u32 {
        (pos.0.saturating_sub(self.origin) + self.skipped).min(self.len)
    }
}

const MAX_SYNTAX_ERRORS: usize = 50;

/// Parses `source` as an ES module with TypeScript syntax (`tsx` for JSX files). Any syntax
/// error, fatal or recovered, yields `Err` with one located diagnostic per distinct error.
pub(crate) fn parse_module(
    source: &str,
    file: &str,
    tsx: bool,
) -> Result<(Module, SourceMap), Vec<Diagnostic>> {
    let (text, skipped) = match source.strip_prefix('\u{feff}') {
        Some(rest) => (rest, 3u32),
        None => (source, 0u32),
    };
    let Ok(len) = u32::try_from(source.len()) else {
        return Err(vec![Diagnostic::error(
            SYNTAX_ERROR,
            "file is too large to parse (over 4 GiB)",
        )
        .with_file(file)]);
    };
    if let Err(exceeded) = scan::scan(source, tsx) {
        return Err(vec![too_deep(file, exceeded)]);
    }
    let origin = 1u32;
    let map = SourceMap {
        origin,
        skipped,
        len,
    };
    let input = StringInput::new(text, BytePos(origin), BytePos(origin + text.len() as u32));
    // Decorators are standard TypeScript (5.0+) and appear in worker entries.
    let syntax = Syntax::Typescript(TsSyntax {
        tsx,
        decorators: true,
        ..Default::default()
    });
    // swc panics on some malformed input (found by the parser fuzzer: a JSX element name in a
    // `.tsx` worker entry, seed `fuzz/corpus/parser/r_swc_jsx_panic`). That is reported as a
    // syntax error instead of taking the whole run down.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let lexer = Lexer::new(syntax, EsVersion::latest(), input, None);
        let mut parser = Parser::new_from(lexer);
        let result = parser.parse_module();
        (result, parser.take_errors())
    }));
    let Ok((result, mut errors)) = parsed else {
        return Err(vec![Diagnostic::error(
            SYNTAX_ERROR,
            "syntax error: the TypeScript parser (swc) failed on this file",
        )
        .with_primary(file, Span::new(0, 0), "")
        .with_help(
            "fix the syntax; lunora reads this file statically and cannot continue until it parses",
        )]);
    };
    let module = match result {
        Ok(module) => Some(module),
        Err(err) => {
            errors.push(err);
            None
        }
    };
    match module {
        Some(module) if errors.is_empty() => Ok((module, map)),
        _ => {
            let mut diagnostics: Vec<Diagnostic> = Vec::new();
            let mut seen: HashSet<Span> = HashSet::new();
            errors.sort_by_key(|e| e.span().lo);
            for err in errors {
                let span = map.span(err.span());
                if !seen.insert(span) {
                    continue;
                }
                // Past the first few, recovered errors are echoes of the first ones.
                if diagnostics.len() == MAX_SYNTAX_ERRORS {
                    break;
                }
                diagnostics.push(
                    Diagnostic::error(SYNTAX_ERROR, format!("syntax error: {}", err.kind().msg()))
                        .with_primary(file, span, "")
                        .with_help("fix the syntax; lunora reads this file statically and cannot continue until it parses"),
                );
            }
            Err(diagnostics)
        }
    }
}

/// The located error for a file the pre-parse scan refused.
fn too_deep(file: &str, exceeded: Exceeded) -> Diagnostic {
    let (message, help) = match exceeded.what {
        Excess::Nesting => (
            format!(
                "code here is nested more than {MAX_NESTING} levels deep (brackets, templates, \
                 arrow functions, prefix operators, conditionals, assignments or statements)"
            ),
            "flatten it: give inner parts names of their own (`const part = …`)",
        ),
        Excess::Chain => (
            format!(
                "this expression chains more than {MAX_CHAIN} operators, property accesses or calls"
            ),
            "split it into several statements",
        ),
        Excess::Speculation => (
            "too many unclosed `<` here: TypeScript re-reads the text after each one as possible type arguments".to_string(),
            "put comparisons in parentheses or split the expression",
        ),
    };
    Diagnostic::error(TOO_DEEPLY_NESTED, message)
        .with_primary(file, Span::new(exceeded.at, exceeded.at + 1), "")
        .with_help(help)
}
