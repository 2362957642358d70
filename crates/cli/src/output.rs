//! Everything the CLI prints goes through [`Reporter`], so `--format` is honoured in one place.
//!
//! * human: diagnostics on stderr (code frames, colour only on a terminal without `NO_COLOR`),
//!   progress lines on stdout.
//! * json: one JSON object per line on stdout — diagnostics with the contract fields, and
//!   progress as `info` records (`code` `lunora/wrote`, `wrangler/added`, …) with `file`.
//! * github: workflow annotations on stdout; progress as plain lines on stderr.

use clap::ValueEnum;
use lunora_diagnostic::{
    render_github, render_human, render_json, Diagnostic, HumanOptions, SourceLookup,
};
use std::io::{IsTerminal, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

pub struct Reporter {
    pub format: Format,
    color_stderr: bool,
    color_stdout: bool,
}

fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

impl Reporter {
    pub fn new(format: Format) -> Self {
        Reporter {
            format,
            color_stderr: color_allowed() && std::io::stderr().is_terminal(),
            color_stdout: color_allowed() && std::io::stdout().is_terminal(),
        }
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

    /// A progress line: `verb` (`wrote`, `unchanged`, `added`, …) about `file`, with detail.
    pub fn progress(&self, code: &str, verb: &str, file: &str, detail: &str) {
        match self.format {
            Format::Human => {
                let verb_text = format!("{verb:>10}");
                let verb_text = if self.color_stdout {
                    format!("\x1b[1;32m{verb_text}\x1b[0m")
                } else {
                    verb_text
                };
                let line = if detail.is_empty() {
                    format!("{verb_text} {file}\n")
                } else {
                    format!("{verb_text} {file}: {detail}\n")
                };
                print_stdout(&line);
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
                let line = if detail.is_empty() {
                    format!("{verb} {file}\n")
                } else {
                    format!("{verb} {file}: {detail}\n")
                };
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

fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
