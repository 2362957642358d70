//! Renderers. Each takes diagnostics plus a way to find source text and returns a `String`;
//! none of them prints, so the CLI decides where output goes and tests can snapshot it.

use crate::{Diagnostic, Severity, SourceCache, SourceLookup, SourceText};
use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters a terminal or a log reader could act on, or that reorder or hide text: C0 and C1
/// controls, DEL, line/paragraph separators, bidirectional marks, embeddings, overrides and
/// isolates, zero-width characters and the byte order mark.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// `text` with every control character, bidirectional control and invisible formatting
/// character written as a visible escape (`\n`, `\r`, `\t`, `\u{1b}`, `\u{202e}`), so printing it
/// can neither drive a terminal (colours, OSC 52 clipboard writes, cursor moves), nor start a
/// line of its own (a fake diagnostic, a GitHub `::error` command), nor reorder what is shown.
/// Other text, including non-ASCII letters and emoji, is unchanged.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// How one character of a source line is shown in a code frame, and how many terminal columns
/// it takes (the underline below is aligned by these widths). Tabs become four spaces; controls
/// become their Unicode control pictures (`␛`), other unsafe characters `\u{…}`.
fn shown_char(c: char, out: &mut String) -> usize {
    match c {
        '\t' => {
            out.push_str("    ");
            4
        }
        '\u{0}'..='\u{1f}' => {
            out.push(char::from_u32(0x2400 + c as u32).expect("control pictures"));
            1
        }
        '\u{7f}' => {
            out.push('\u{2421}');
            1
        }
        c if is_unsafe(c) => {
            let before = out.len();
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
            out.len() - before
        }
        c => {
            out.push(c);
            display_width(c)
        }
    }
}

/// Terminal columns of a printable character, from Unicode's East Asian Width tables (UAX #11,
/// the `unicode-width` crate): 2 for wide characters (CJK ideographs, most emoji), 0 for
/// combining marks and other zero-width characters, 1 otherwise.
fn display_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

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
    let cache = SourceCache::new(diagnostics, sources);
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_one(&mut out, d, &cache, &p);
    }
    out
}

fn render_one(out: &mut String, d: &Diagnostic, sources: &SourceCache<'_>, p: &Palette) {
    let head = format!("{}[{}]", d.severity.as_str(), printable(&d.code));
    let _ = writeln!(
        out,
        "{}{}",
        p.severity(d.severity, &head),
        p.bold(&format!(": {}", printable(&d.message)))
    );

    // Work out positions first so the gutter width fits the largest line number shown.
    struct Shown<'s, 't> {
        file: &'s str,
        text: Option<&'s SourceText<'t>>,
        start: (u32, u32),
        end: (u32, u32),
        message: &'s str,
        primary: bool,
    }
    let mut shown = Vec::new();
    for label in &d.labels {
        let text = sources.get(&label.file);
        let (start, end) = match (&text, label.position) {
            (Some(t), _) => {
                let s = t.line_col(label.span.start);
                let e = t.line_col(label.span.end);
                ((s.line, s.column), (e.line, e.column))
            }
            (None, Some(pos)) => ((pos.line, pos.column), (pos.line, pos.column)),
            (None, None) => ((0, 0), (0, 0)),
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
        let file = printable(s.file);
        if s.text.is_some() || s.start.0 > 0 {
            let _ = writeln!(
                out,
                "{pad}{} {file}:{}:{}",
                p.gutter(arrow),
                s.start.0,
                s.start.1
            );
        } else {
            let _ = writeln!(out, "{pad}{} {file}", p.gutter(arrow));
        }
        if s.text.is_none() {
            if !s.message.is_empty() {
                let _ = writeln!(out, "{pad} {} {}", p.gutter("="), printable(s.message));
            }
            continue;
        }
        let text = s.text.expect("checked above");
        let line = s.start.0;
        let line_text = text.line_text(line);
        // The line as shown, and the terminal column where each of its characters starts.
        let mut shown_line = String::with_capacity(line_text.len());
        let mut columns = vec![0usize];
        for c in line_text.chars() {
            let w = shown_char(c, &mut shown_line);
            columns.push(columns.last().copied().unwrap_or(0) + w);
        }
        let _ = writeln!(out, "{pad} {}", p.gutter("|"));
        let _ = writeln!(
            out,
            "{} {} {}",
            p.gutter(&format!("{line:>width$}")),
            p.gutter("|"),
            shown_line
        );
        // Underline from the start column to the end column (or the end of the line when the span
        // runs onto later lines); at least one caret.
        let chars = columns.len() - 1;
        let start_col = (s.start.1 as usize).saturating_sub(1).min(chars);
        let end_col = if s.end.0 == line {
            (s.end.1 as usize).saturating_sub(1)
        } else {
            chars
        };
        let end_col = end_col.min(chars).max(start_col + 1);
        let visual = |upto: usize| -> usize { columns[upto.min(chars)] };
        let lead = visual(start_col);
        let len = visual(end_col).saturating_sub(lead).max(1);
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
            format!(" {}", printable(s.message))
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
            format_args!("{}: {}", p.bold("help"), printable(help))
        );
    }
}

/// One JSON object per line: `severity`, `code`, `message`, `file`, `line`, `column` (1-based,
/// characters) and `help` when there is one. These names are a public contract.
pub fn render_json(diagnostics: &[Diagnostic], sources: &dyn SourceLookup) -> String {
    let cache = SourceCache::new(diagnostics, sources);
    let mut out = String::new();
    for d in diagnostics {
        let mut obj = serde_json::Map::new();
        obj.insert("severity".into(), d.severity.as_str().into());
        obj.insert("code".into(), d.code.clone().into());
        obj.insert("message".into(), d.message.clone().into());
        if let Some((file, pos)) = crate::position_in(d, &cache) {
            obj.insert("file".into(), file.into());
            if let Some(pos) = pos {
                obj.insert("line".into(), pos.line.into());
                obj.insert("column".into(), pos.column.into());
            }
        }
        if let Some(help) = &d.help {
            obj.insert("help".into(), help.clone().into());
        }
        let json = serde_json::Value::Object(obj).to_string();
        // serde_json escapes C0 controls; the other unsafe characters are escaped too (they can
        // only occur inside strings, so `\uXXXX` keeps the same JSON value).
        for c in json.chars() {
            if is_unsafe(c) && (c as u32) < 0x10000 {
                let _ = write!(out, "\\u{:04x}", c as u32);
            } else {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`).
pub fn render_github(diagnostics: &[Diagnostic], sources: &dyn SourceLookup) -> String {
    let cache = SourceCache::new(diagnostics, sources);
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some((file, pos)) = crate::position_in(d, &cache) {
            props.push(format!("file={}", escape_property(&file)));
            if let Some(pos) = pos {
                props.push(format!("line={}", pos.line));
                props.push(format!("col={}", pos.column));
            }
        }
        props.push(format!("title={}", escape_property(&d.code)));
        // User text keeps its own line breaks out of the command (`\n` written as text); the
        // only line break is the one before the help, and it is %-encoded like GitHub asks.
        let mut message = printable(&d.message).into_owned();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&printable(help));
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

/// GitHub's escaping of a workflow command's message (`%`, CR, LF), so it stays one command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value: as for the message, plus `:` and
/// `,`, which would end the value. Control characters are made visible first.
fn escape_property(s: &str) -> String {
    escape_data(&printable(s))
        .replace(':', "%3A")
        .replace(',', "%2C")
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
        let d = Diagnostic::error("demo/invalid-duration", "`sleepAfter` is not a duration")
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
            "error[demo/invalid-duration]: `sleepAfter` is not a duration\n \
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
        assert_eq!(v["code"], "demo/invalid-duration");
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
            "::error file=lunora/containers.ts,line=2,col=15,title=demo/invalid-duration::`sleepAfter` is not a duration%0Ahelp: write `sleepAfter: \"5m\"`\n"
        );
    }
}
