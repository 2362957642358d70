//! Renderers. Each takes diagnostics plus a way to find source text and returns a `String`;
//! none of them prints, so the CLI decides where output goes and tests can snapshot it.

use crate::{Diagnostic, Severity, SourceLookup, SourceText};
use std::fmt::Write as _;

/// Options of the human renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    /// ANSI colour. The CLI turns it on only for a terminal without `NO_COLOR`; snapshots keep it off.
    pub color: bool,
}

struct Palette {
    color: bool,
}

impl Palette {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, text)
    }
    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// rustc-style rendering: a header line, the location, a code frame with the span underlined,
/// secondary labels, and the help line. Diagnostics are separated by a blank line.
pub fn render_human(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceLookup,
    options: HumanOptions,
) -> String {
    let p = Palette {
        color: options.color,
    };
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_one(&mut out, d, sources, &p);
    }
    out
}

fn render_one(out: &mut String, d: &Diagnostic, sources: &dyn SourceLookup, p: &Palette) {
    let head = format!("{}[{}]", d.severity.as_str(), d.code);
    let _ = writeln!(
        out,
        "{}{}",
        p.severity(d.severity, &head),
        p.bold(&format!(": {}", d.message))
    );

    // Work out positions first so the gutter width fits the largest line number shown.
    struct Shown<'s> {
        file: &'s str,
        text: Option<SourceText<'s>>,
        start: (u32, u32),
        end: (u32, u32),
        message: &'s str,
        primary: bool,
    }
    let mut shown = Vec::new();
    for label in &d.labels {
        let text = sources.source(&label.file).map(SourceText::new);
        let (start, end) = match &text {
            Some(t) => {
                let s = t.line_col(label.span.start);
                let e = t.line_col(label.span.end);
                ((s.line, s.column), (e.line, e.column))
            }
            None => ((0, 0), (0, 0)),
        };
        shown.push(Shown {
            file: &label.file,
            text,
            start,
            end,
            message: &label.message,
            primary: label.primary,
        });
    }
    let width = shown
        .iter()
        .map(|s| s.start.0.to_string().len())
        .max()
        .unwrap_or(1);
    let pad = " ".repeat(width);

    for s in &shown {
        let arrow = if s.primary { "-->" } else { ":::" };
        match &s.text {
            Some(_) => {
                let _ = writeln!(
                    out,
                    "{pad}{} {}:{}:{}",
                    p.gutter(arrow),
                    s.file,
                    s.start.0,
                    s.start.1
                );
            }
            None => {
                let _ = writeln!(out, "{pad}{} {}", p.gutter(arrow), s.file);
                if !s.message.is_empty() {
                    let _ = writeln!(out, "{pad} {} {}", p.gutter("="), s.message);
                }
                continue;
            }
        }
        let text = s.text.as_ref().expect("checked above");
        let line = s.start.0;
        let line_text = text.line_text(line);
        let _ = writeln!(out, "{pad} {}", p.gutter("|"));
        let _ = writeln!(
            out,
            "{} {} {}",
            p.gutter(&format!("{line:>width$}")),
            p.gutter("|"),
            line_text.replace('\t', "    ")
        );
        // Underline from the start column to the end column (or the end of the line when the span
        // runs onto later lines); at least one caret.
        let line_chars: Vec<char> = line_text.chars().collect();
        let start_col = (s.start.1 as usize).saturating_sub(1).min(line_chars.len());
        let end_col = if s.end.0 == line {
            (s.end.1 as usize).saturating_sub(1)
        } else {
            line_chars.len()
        };
        let end_col = end_col.min(line_chars.len()).max(start_col + 1);
        let visual = |upto: usize| -> usize {
            line_chars[..upto.min(line_chars.len())]
                .iter()
                .map(|&c| if c == '\t' { 4 } else { 1 })
                .sum()
        };
        let lead = visual(start_col);
        let len = (visual(end_col) - lead).max(1);
        let marker = if s.primary { "^" } else { "-" };
        let underline = marker.repeat(len);
        let painted = if s.primary {
            p.severity(d.severity, &underline)
        } else {
            p.gutter(&underline)
        };
        let msg = if s.message.is_empty() {
            String::new()
        } else {
            format!(" {}", s.message)
        };
        let _ = writeln!(
            out,
            "{pad} {} {}{}{}",
            p.gutter("|"),
            " ".repeat(lead),
            painted,
            msg
        );
    }
    if let Some(help) = &d.help {
        if !shown.is_empty() {
            let _ = writeln!(out, "{pad} {}", p.gutter("|"));
        }
        let _ = writeln!(
            out,
            "{pad} {} {}",
            p.gutter("="),
            format_args!("{}: {}", p.bold("help"), help)
        );
    }
}

/// One JSON object per line: `severity`, `code`, `message`, `file`, `line`, `column` (1-based,
/// characters) and `help` when there is one. These names are a public contract.
pub fn render_json(diagnostics: &[Diagnostic], sources: &dyn SourceLookup) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let mut obj = serde_json::Map::new();
        obj.insert("severity".into(), d.severity.as_str().into());
        obj.insert("code".into(), d.code.clone().into());
        obj.insert("message".into(), d.message.clone().into());
        if let Some((file, pos)) = crate::position(d, sources) {
            obj.insert("file".into(), file.into());
            if let Some(pos) = pos {
                obj.insert("line".into(), pos.line.into());
                obj.insert("column".into(), pos.column.into());
            }
        }
        if let Some(help) = &d.help {
            obj.insert("help".into(), help.clone().into());
        }
        out.push_str(&serde_json::Value::Object(obj).to_string());
        out.push('\n');
    }
    out
}

/// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`).
pub fn render_github(diagnostics: &[Diagnostic], sources: &dyn SourceLookup) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some((file, pos)) = crate::position(d, sources) {
            props.push(format!("file={}", escape_property(&file)));
            if let Some(pos) = pos {
                props.push(format!("line={}", pos.line));
                props.push(format!("col={}", pos.column));
            }
        }
        props.push(format!("title={}", escape_property(&d.code)));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{level} {}::{}",
            props.join(","),
            escape_data(&message)
        );
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Diagnostic, Sources, Span};

    fn sample() -> (Vec<Diagnostic>, Sources) {
        let text = "export const a = defineContainer({\n  sleepAfter: \"5 minutes\",\n});\n";
        let start = text.find("\"5 minutes\"").unwrap() as u32;
        let mut sources = Sources::new();
        sources.insert("lunora/containers.ts", text);
        let d = Diagnostic::error(
            "containers/invalid-duration",
            "`sleepAfter` is not a duration",
        )
        .with_primary(
            "lunora/containers.ts",
            Span::new(start, start + 11),
            "expected \"30s\", \"5m\", \"1h\" or seconds",
        )
        .with_help("write `sleepAfter: \"5m\"`");
        (vec![d], sources)
    }

    #[test]
    fn human_frame_underlines_the_value() {
        let (d, s) = sample();
        let out = render_human(&d, &s, HumanOptions { color: false });
        assert_eq!(
            out,
            "error[containers/invalid-duration]: `sleepAfter` is not a duration\n \
             --> lunora/containers.ts:2:15\n  \
             |\n\
             2 |   sleepAfter: \"5 minutes\",\n  \
             |               ^^^^^^^^^^^ expected \"30s\", \"5m\", \"1h\" or seconds\n  \
             |\n  \
             = help: write `sleepAfter: \"5m\"`\n"
        );
        assert!(!out.contains('\x1b'));
        assert!(render_human(&d, &s, HumanOptions { color: true }).contains('\x1b'));
    }

    #[test]
    fn json_uses_the_contract_field_names() {
        let (d, s) = sample();
        let out = render_json(&d, &s);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["severity"], "error");
        assert_eq!(v["code"], "containers/invalid-duration");
        assert_eq!(v["file"], "lunora/containers.ts");
        assert_eq!(v["line"], 2);
        assert_eq!(v["column"], 15);
        assert_eq!(v["help"], "write `sleepAfter: \"5m\"`");
    }

    #[test]
    fn github_annotations_escape_newlines_and_commas() {
        let (d, s) = sample();
        let out = render_github(&d, &s);
        assert_eq!(
            out,
            "::error file=lunora/containers.ts,line=2,col=15,title=containers/invalid-duration::`sleepAfter` is not a duration%0Ahelp: write `sleepAfter: \"5m\"`\n"
        );
    }
}
