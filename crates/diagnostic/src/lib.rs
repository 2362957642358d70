//! The diagnostic type shared by every lunora crate.
//!
//! A [`Diagnostic`] is created where a problem is found (parser, reconciler, CLI) and rendered
//! elsewhere: [`render_human`] (rustc-style code frame), [`render_json`] (one JSON object per line,
//! field names are a public contract) and [`render_github`] (workflow annotations). Creation never
//! depends on how a diagnostic will be shown.
//!
//! Spans are byte ranges into a source text. A [`SourceText`] turns them into 1-based line and
//! column numbers, computed only for what is reported:
//! * a line ends at `\n`, `\r\n` or a lone `\r` (as in JavaScript, and as editors show it);
//!   U+2028 and U+2029, line terminators in JavaScript only, are not line breaks here (editors
//!   and GitHub do not break lines there either);
//! * a column counts characters (Unicode scalar values), not bytes: `é`, `✓` and `😀` are one
//!   column each. Editors that count UTF-16 units (VS Code, `tsc`) put anything after an astral
//!   character (emoji) one column further; a tab is one column;
//! * a UTF-8 byte order mark at the start of the text is not a character of line 1.
//!
//! Every renderer treats the text of a diagnostic (message, labels, help, file names, source
//! lines) as untrusted: control characters and bidirectional overrides are written as visible
//! escapes ([`printable`]), so output can neither drive a terminal nor start a GitHub workflow
//! command. Text that is not UTF-8 is located with [`decode_utf8`].

mod render;

pub use render::{printable, render_github, render_human, render_json, HumanOptions};

use std::fmt;

/// How serious a diagnostic is. `Error` makes the run exit 1 and write nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A half-open byte range `[start, end)` into one source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    pub fn len(&self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A span in a named file. `file` is the path shown to the user (relative to the project root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub file: String,
    pub span: Span,
    /// Short text printed under the underline; empty means none.
    pub message: String,
    /// The first primary label decides the diagnostic's reported line and column.
    pub primary: bool,
    /// The position, when it was worked out where the label was made because renderers cannot
    /// look the file's text up (it is not UTF-8, see [`decode_utf8`]). Used only when the
    /// [`SourceLookup`] has no text for `file`.
    pub position: Option<LineCol>,
}

/// One problem (or advice) found in the user's project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable identifier such as `containers/invalid-duration`; scripts match on it.
    pub code: String,
    pub message: String,
    pub labels: Vec<Label>,
    /// What to write instead. One line is best.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code: code.into(),
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    pub fn info(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, message)
    }

    /// Adds the primary label: the spot the diagnostic is about.
    pub fn with_primary(
        self,
        file: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.label(file.into(), span, message.into(), true, None)
    }

    /// Adds a primary label at a position already worked out (a file renderers cannot look up).
    pub fn with_primary_position(
        self,
        file: impl Into<String>,
        position: LineCol,
        message: impl Into<String>,
    ) -> Self {
        self.label(
            file.into(),
            Span::default(),
            message.into(),
            true,
            Some(position),
        )
    }

    /// Adds a secondary label: related context (the first definition of a duplicate, say).
    pub fn with_secondary(
        self,
        file: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.label(file.into(), span, message.into(), false, None)
    }

    fn label(
        mut self,
        file: String,
        span: Span,
        message: String,
        primary: bool,
        position: Option<LineCol>,
    ) -> Self {
        self.labels.push(Label {
            file,
            span,
            message,
            primary,
            position,
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A diagnostic about a whole file (no position), e.g. a file that cannot be read.
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        self.labels.push(Label {
            file: file.into(),
            span: Span::default(),
            message: String::new(),
            primary: true,
            position: None,
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn primary_label(&self) -> Option<&Label> {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or_else(|| self.labels.first())
    }
}

/// True when any diagnostic in the list is an error.
pub fn has_errors<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> bool {
    diagnostics.into_iter().any(Diagnostic::is_error)
}

/// 1-based line and column of a byte offset; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// A source text with a line table, for turning spans into positions (see the crate docs for
/// what a line and a column are).
#[derive(Debug, Clone)]
pub struct SourceText<'a> {
    text: &'a str,
    /// Byte offset of the first character of each line.
    line_starts: Vec<u32>,
}

impl<'a> SourceText<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0u32];
        let b = text.as_bytes();
        for (i, &c) in b.iter().enumerate() {
            // `\r\n` breaks once, after the `\n`.
            if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                line_starts.push(i as u32 + 1);
            }
        }
        SourceText { text, line_starts }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Position of byte `offset` (clamped to the text, and back to a char boundary).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = self.clamp(offset);
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut start = self.line_starts[line_idx] as usize;
        if line_idx == 0 && self.text.starts_with('\u{feff}') && offset >= 3 {
            start = 3;
        }
        let column = self.text[start..offset as usize].chars().count() as u32 + 1;
        LineCol {
            line: line_idx as u32 + 1,
            column,
        }
    }

    /// The text of 1-based `line`, without its line terminator (nor, on line 1, a byte order
    /// mark).
    pub fn line_text(&self, line: u32) -> &'a str {
        let idx = (line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        let text = &self.text[start as usize..end];
        let text = text
            .strip_suffix("\r\n")
            .or_else(|| text.strip_suffix('\n'))
            .or_else(|| text.strip_suffix('\r'))
            .unwrap_or(text);
        if idx == 0 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        }
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    fn clamp(&self, offset: u32) -> u32 {
        let mut o = (offset as usize).min(self.text.len());
        while o > 0 && !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o as u32
    }
}

/// Where a text stops being valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Byte offset of the first byte that is not part of a valid UTF-8 sequence.
    pub offset: usize,
    /// Its line and column (lines and columns as in [`SourceText`], counted in the valid text
    /// before it).
    pub position: LineCol,
    /// The offending byte.
    pub byte: u8,
}

impl std::fmt::Display for InvalidUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "byte 0x{:02X} at line {}, column {} is not valid UTF-8",
            self.byte, self.position.line, self.position.column
        )
    }
}

impl std::error::Error for InvalidUtf8 {}

impl InvalidUtf8 {
    /// The located error for `file` (shown as given), with the diagnostic code `code`.
    pub fn diagnostic(&self, code: &str, file: &str) -> Diagnostic {
        Diagnostic::error(
            code,
            format!(
                "{} is not valid UTF-8: byte 0x{:02X} at line {}, column {} is not a character",
                printable(file),
                self.byte,
                self.position.line,
                self.position.column
            ),
        )
        .with_primary_position(file, self.position, "")
        .with_help("save the file as UTF-8 (in most editors: Save with Encoding → UTF-8)")
    }
}

/// Decodes `bytes` as UTF-8 text; when they are not, says where the first invalid byte is, in
/// lines and columns rather than a byte offset.
pub fn decode_utf8(bytes: Vec<u8>) -> Result<String, InvalidUtf8> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let valid = std::str::from_utf8(&bytes[..offset]).expect("valid up to here");
            // The invalid byte sits right after the valid text: its position is the end of it.
            let position = SourceText::new(valid).line_col(offset as u32);
            Err(InvalidUtf8 {
                offset,
                position,
                byte: bytes[offset],
            })
        }
    }
}

/// Looks up the text of a file named in a label, so renderers can show positions and code frames.
/// Returning `None` renders the label without a position.
pub trait SourceLookup {
    fn source(&self, file: &str) -> Option<&str>;
}

impl<F> SourceLookup for F
where
    F: Fn(&str) -> Option<&'static str>,
{
    fn source(&self, file: &str) -> Option<&str> {
        self(file)
    }
}

/// A simple map from file name to text; the usual [`SourceLookup`].
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<(String, String)>,
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, file: impl Into<String>, text: impl Into<String>) {
        let file = file.into();
        let text = text.into();
        if let Some(entry) = self.files.iter_mut().find(|(f, _)| *f == file) {
            entry.1 = text;
        } else {
            self.files.push((file, text));
        }
    }
}

impl SourceLookup for Sources {
    fn source(&self, file: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(f, _)| f == file)
            .map(|(_, t)| t.as_str())
    }
}

/// The reported position of a diagnostic: its primary label's file, line and column.
pub fn position(
    diagnostic: &Diagnostic,
    sources: &dyn SourceLookup,
) -> Option<(String, Option<LineCol>)> {
    position_in(
        diagnostic,
        &SourceCache::new(std::slice::from_ref(diagnostic), sources),
    )
}

pub(crate) fn position_in(
    diagnostic: &Diagnostic,
    cache: &SourceCache<'_>,
) -> Option<(String, Option<LineCol>)> {
    let label = diagnostic.primary_label()?;
    let pos = cache
        .get(&label.file)
        .map(|text| text.line_col(label.span.start))
        .or(label.position);
    Some((label.file.clone(), pos))
}

/// The line tables of every file a batch of diagnostics points into, each built once. Built per
/// label, rendering the ~1,000 warnings of a 1,000-container app against its 15,000-line
/// containers.ts was quadratic (~0.25 s of a 0.3 s run).
pub(crate) struct SourceCache<'s> {
    texts: std::collections::HashMap<&'s str, SourceText<'s>>,
}

impl<'s> SourceCache<'s> {
    pub(crate) fn new(diagnostics: &'s [Diagnostic], sources: &'s dyn SourceLookup) -> Self {
        let mut texts = std::collections::HashMap::new();
        for label in diagnostics.iter().flat_map(|d| &d.labels) {
            let file = label.file.as_str();
            if !texts.contains_key(file) {
                if let Some(text) = sources.source(file) {
                    texts.insert(file, SourceText::new(text));
                }
            }
        }
        SourceCache { texts }
    }

    pub(crate) fn get(&self, file: &str) -> Option<&SourceText<'s>> {
        self.texts.get(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_is_one_based() {
        let src = SourceText::new("ab\nçé x\n");
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(3), LineCol { line: 2, column: 1 });
        // "çé " is 5 bytes, 3 chars: the x is at byte 8, column 4.
        assert_eq!(src.line_col(8), LineCol { line: 2, column: 4 });
        assert_eq!(src.line_text(2), "çé x");
        // Past the end clamps to the end.
        assert_eq!(src.line_col(999), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn crlf_lines_drop_their_terminator() {
        let src = SourceText::new("a\r\nbc\r\n");
        assert_eq!(src.line_text(1), "a");
        assert_eq!(src.line_col(4), LineCol { line: 2, column: 2 });
        assert_eq!(src.line_count(), 3);
    }
}
