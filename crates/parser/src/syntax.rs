//! The swc front end: source text in, a module (or located syntax errors) out.
//!
//! Contract: spans handed to the rest of the crate through [`SourceMap::span`] are 0-based byte
//! offsets into the exact `source` string the caller passed, BOM included.

use lunora_diagnostic::{Diagnostic, Span};
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

pub(crate) const SYNTAX_ERROR: &str = "containers/syntax-error";

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
    let origin = 1u32;
    let map = SourceMap {
        origin,
        skipped,
        len,
    };
    let input = StringInput::new(text, BytePos(origin), BytePos(origin + text.len() as u32));
    let syntax = Syntax::Typescript(TsSyntax {
        tsx,
        ..Default::default()
    });
    let lexer = Lexer::new(syntax, EsVersion::latest(), input, None);
    let mut parser = Parser::new_from(lexer);
    let result = parser.parse_module();
    let mut errors = parser.take_errors();
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
            let mut seen: Vec<Span> = Vec::new();
            errors.sort_by_key(|e| e.span().lo);
            for err in errors {
                let span = map.span(err.span());
                if seen.contains(&span) {
                    continue;
                }
                seen.push(span);
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
