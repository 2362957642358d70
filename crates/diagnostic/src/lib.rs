//! The diagnostic type shared by every lunora crate.
//!
//! A [`Diagnostic`] is created where a problem is found (parser, reconciler, CLI) and rendered
//! elsewhere: [`render_human`] (rustc-style code frame), [`render_json`] (one JSON object per line,
//! field names are a public contract) and [`render_github`] (workflow annotations). Creation never
//! depends on how a diagnostic will be shown.
//!
//! Spans are byte ranges into a source text. A [`SourceText`] turns them into 1-based line and
//! column numbers (columns counted in characters, not bytes), computed only for what is reported.

mod render;

pub use render::{render_github, render_human, render_json, HumanOptions};

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
        mut self,
        file: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.labels.push(Label {
            file: file.into(),
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    /// Adds a secondary label: related context (the first definition of a duplicate, say).
    pub fn with_secondary(
        mut self,
        file: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.labels.push(Label {
            file: file.into(),
            span,
            message: message.into(),
            primary: false,
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

/// A source text with a lazily usable line table, for turning spans into positions.
#[derive(Debug, Clone)]
pub struct SourceText<'a> {
    text: &'a str,
    line_starts: Vec<u32>,
}

impl<'a> SourceText<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
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
        let start = self.line_starts[line_idx] as usize;
        let column = self.text[start..offset as usize].chars().count() as u32 + 1;
        LineCol {
            line: line_idx as u32 + 1,
            column,
        }
    }

    /// The text of 1-based `line`, without its line terminator.
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
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
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
    let label = diagnostic.primary_label()?;
    let pos = sources
        .source(&label.file)
        .map(|text| SourceText::new(text).line_col(label.span.start));
    Some((label.file.clone(), pos))
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
    }
}
