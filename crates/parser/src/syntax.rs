//! The swc front end: source text in, a module (or located syntax errors) out.
//!
//! Contract: spans handed to the rest of the crate through [`SourceMap::span`] are 0-based byte
//! offsets into the exact `source` string the caller passed, BOM included.

use crate::codes::{SYNTAX_ERROR, TOO_DEEPLY_NESTED};
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

/// Deeper bracket nesting is refused before parsing: swc recurses once per level.
const MAX_NESTING: usize = 1000;
const MAX_SYNTAX_ERRORS: usize = 50;

/// Byte offset of the first bracket nested deeper than `limit`, skipping comments, strings and
/// template text. An approximation (regular expressions are read as code), good enough to keep
/// pathological input away from the recursive parser.
fn nesting_exceeds(source: &str, limit: usize) -> Option<u32> {
    let b = source.as_bytes();
    let mut depth = 0usize;
    // Depths at which a template literal's `${` was opened.
    let mut templates: Vec<usize> = Vec::new();
    let mut i = 0usize;
    let mut in_template = false;
    while i < b.len() {
        if in_template {
            match b[i] {
                b'\\' => i += 1,
                b'`' => in_template = false,
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    i += 1;
                    depth += 1;
                    templates.push(depth);
                    in_template = false;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 1;
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'`' => in_template = true,
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i as u32);
                }
            }
            b'}' if templates.last() == Some(&depth) => {
                templates.pop();
                depth -= 1;
                in_template = true;
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

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
    if let Some(at) = nesting_exceeds(source, MAX_NESTING) {
        return Err(vec![Diagnostic::error(
            TOO_DEEPLY_NESTED,
            format!("brackets here are nested more than {MAX_NESTING} levels deep"),
        )
        .with_primary(file, Span::new(at, at + 1), "")
        .with_help(
            "flatten the expression; lunora does not read nesting this deep",
        )]);
    }
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
