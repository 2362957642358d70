//! Everything the CLI prints goes through [`Reporter`], so `--format` is honoured in one place.
//!
//! * human: diagnostics on stderr (code frames, colour only on a terminal without `NO_COLOR`),
//!   progress lines on stdout — only what changed, unless `--verbose` — and one summary line.
//!   User-controlled text (file names, details) is printed with control characters escaped.
//! * json: one JSON object per line on stdout — diagnostics with the contract fields, progress
//!   as `info` records (`code` `lunora/wrote`, `lunora/unchanged`, `wrangler/added`, …) with
//!   `file`, unchanged items included, and every error (a failed write, any other failure) as an
//!   `error` record.
//! * github: workflow annotations on stdout; progress as plain lines on stderr.

use clap::ValueEnum;
use lunora_diagnostic::{
    render_github, render_human, render_json, Diagnostic, HumanOptions, SourceLookup,
};
use std::borrow::Cow;
use std::io::{IsTerminal, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

#[derive(Debug, Clone)]
pub struct Reporter {
    pub format: Format,
    /// `--verbose`: also list unchanged items in human output.
    pub verbose: bool,
    color_stderr: bool,
    color_stdout: bool,
}

/// Whether colour is allowed at all (`NO_COLOR` unset or empty, https://no-color.org).
pub fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub use lunora_project::text::shell_quote;

/// `s` with control characters, bidi overrides and other invisible formatting characters
/// shown escaped (`\n`, `\u{1b}`), so a value from a user's files can never drive the terminal
/// or a CI log. The diagnostic renderers use the same function.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    lunora_diagnostic::printable(s)
}

/// [`escape_control`] line by line: a multi-line message keeps its line breaks, and nothing
/// else in it can drive the terminal.
pub fn escape_lines(text: &str) -> String {
    text.split('\n')
        .map(escape_control)
        .collect::<Vec<_>>()
        .join("\n")
}

/// SGR styles for human output.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    /// Something was written or changed.
    Changed,
    /// Nothing to do (only shown with `--verbose`).
    Unchanged,
    /// Something was removed.
    Removed,
}

impl Style {
    fn sgr(self) -> &'static str {
        match self {
            Style::Changed => "1;32",
            Style::Unchanged => "2",
            Style::Removed => "1;33",
        }
    }
}

impl Reporter {
    pub fn new(format: Format) -> Self {
        Reporter {
            format,
            verbose: false,
            color_stderr: color_allowed() && std::io::stderr().is_terminal(),
            color_stdout: color_allowed() && std::io::stdout().is_terminal(),
        }
    }

    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    /// Prints diagnostics in the chosen format.
    pub fn diagnostics(&self, diagnostics: &[Diagnostic], sources: &dyn SourceLookup) {
        if diagnostics.is_empty() {
            return;
        }
        match self.format {
            Format::Human => {
                let text = render_human(
                    diagnostics,
                    sources,
                    HumanOptions {
                        color: self.color_stderr,
                    },
                );
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(text.as_bytes());
                let _ = err.write_all(b"\n");
            }
            Format::Json => print_stdout(&render_json(diagnostics, sources)),
            Format::Github => print_stdout(&render_github(diagnostics, sources)),
        }
    }

    /// An error that is not about a place in a source file (a failed write, a program that
    /// could not start): `error: …` for humans, an `error` record under `--format json`, an
    /// `::error` annotation under `--format github`.
    pub fn error(&self, code: &str, message: &str, file: Option<&str>) {
        let mut d = Diagnostic::error(code, message);
        if let Some(file) = file {
            d = d.with_file(file);
        }
        match self.format {
            Format::Human => {
                let _ = writeln!(std::io::stderr(), "error: {}", escape_control(message));
            }
            _ => self.diagnostics(&[d], &lunora_diagnostic::Sources::new()),
        }
    }

    /// A progress line about something that changed: `verb` (`wrote`, `added`, …) about `file`,
    /// with detail. Always printed.
    pub fn progress(&self, code: &str, verb: &str, file: &str, detail: &str) {
        let style = if verb == "removed" {
            Style::Removed
        } else {
            Style::Changed
        };
        self.item(code, verb, file, detail, style);
    }

    /// A progress line about something already up to date: printed for humans only with
    /// `--verbose`, always as a JSON record.
    pub fn unchanged(&self, code: &str, file: &str, detail: &str) {
        if self.format == Format::Json || self.verbose {
            self.item(code, "unchanged", file, detail, Style::Unchanged);
        }
    }

    fn item(&self, code: &str, verb: &str, file: &str, detail: &str, style: Style) {
        match self.format {
            Format::Human => {
                let verb_text = format!("{verb:>10}");
                let verb_text = if self.color_stdout {
                    format!("\x1b[{}m{verb_text}\x1b[0m", style.sgr())
                } else {
                    verb_text
                };
                print_stdout(&item_line(&verb_text, file, detail));
            }
            Format::Json => {
                let mut obj = serde_json::Map::new();
                obj.insert("severity".into(), "info".into());
                obj.insert("code".into(), code.into());
                let message = if detail.is_empty() {
                    format!("{verb} {file}")
                } else {
                    format!("{verb} {detail}")
                };
                obj.insert("message".into(), message.into());
                obj.insert("file".into(), file.into());
                print_stdout(&format!("{}\n", serde_json::Value::Object(obj)));
            }
            Format::Github => {
                let line = item_line(verb, file, detail);
                let _ = std::io::stderr().write_all(line.as_bytes());
            }
        }
    }

    /// A plain status line for humans (stderr in machine formats so stdout stays parseable).
    pub fn note(&self, text: &str) {
        match self.format {
            Format::Human => print_stdout(&format!("{text}\n")),
            _ => {
                let _ = writeln!(std::io::stderr(), "{text}");
            }
        }
    }

    /// A warning line that is not a diagnostic (stderr, `warning:` in yellow on a terminal).
    pub fn warn(&self, text: &str) {
        let label = if self.color_stderr && self.format == Format::Human {
            "\x1b[1;33mwarning\x1b[0m"
        } else {
            "warning"
        };
        let _ = writeln!(std::io::stderr(), "{label}: {text}");
    }

    /// Output that is the command's product (a diff under `--check`). stdout in human mode,
    /// stderr otherwise.
    pub fn block(&self, text: &str) {
        match self.format {
            Format::Human => print_stdout(text),
            _ => {
                let _ = std::io::stderr().write_all(text.as_bytes());
            }
        }
    }
}

/// The local time of day as `HH:MM:SS` (stamps on `--watch` runs).
pub fn local_time() -> String {
    match crate::platform::local_time_of_day() {
        Some((h, m, s)) => format!("{h:02}:{m:02}:{s:02}"),
        None => "--:--:--".to_string(),
    }
}

fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// `verb file` or `verb file: detail`, one line, control characters escaped.
fn item_line(verb: &str, file: &str, detail: &str) -> String {
    let file = escape_control(file);
    let detail = escape_control(detail);
    if detail.is_empty() {
        format!("{verb} {file}\n")
    } else {
        format!("{verb} {file}: {detail}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_and_workflow_controls() {
        assert_eq!(escape_control("plain ünïcode"), "plain ünïcode");
        assert_eq!(
            escape_control("a\u{1b}]52;c;x\u{7}b"),
            "a\\u{1b}]52;c;x\\u{7}b"
        );
        assert_eq!(
            escape_control("x\n::error file=a::b"),
            "x\\n::error file=a::b"
        );
        assert_eq!(escape_control("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape_control("abc\u{202e}def"), "abc\\u{202e}def");
    }

    #[test]
    fn local_time_is_hh_mm_ss() {
        let t = local_time();
        assert_eq!(t.len(), 8, "{t}");
        assert_eq!(&t[2..3], ":");
        assert_eq!(&t[5..6], ":");
    }
}
