//! A small Dockerfile reader: enough of BuildKit's grammar to know, for the stage that runs, which
//! ports it EXPOSEs, what its ENTRYPOINT/CMD is, and which platform its base image is pulled for.
//!
//! What it handles: parser directives at the top (`# escape=`), comments, line continuations with
//! the escape character (comment and blank lines inside a continuation are skipped, as BuildKit
//! does), heredocs on `RUN`/`COPY`/`ADD`, instruction flags (`--platform=…`), multi-stage builds
//! (`FROM … AS name`, later `FROM name`), and variable substitution (`$VAR`, `${VAR}`,
//! `${VAR:-default}`, `${VAR:+alt}`) from global `ARG`s, stage `ARG`s and `ENV`, with build
//! arguments overriding `ARG` defaults.
//!
//! Every value it cannot know is [`Var::Unknown`] and every conclusion built on one is `None`:
//! callers say nothing rather than guess. It never fails: any text reads as some instructions.

mod expand;
mod resolve;

pub use expand::{expand, Budget, Var};
pub use resolve::{resolve, resolve_within, Base, Build, Expose, ExposedPorts, Platform, Stage};

use lunora_diagnostic::Span;

/// One instruction, with its continuation lines joined.
#[derive(Debug, Clone)]
pub struct Instruction {
    /// Upper-cased: `FROM`, `EXPOSE`, …
    pub keyword: String,
    /// The joined text after the keyword, without leading and trailing whitespace.
    pub args: String,
    /// From the keyword to the end of the last argument, in the source.
    pub span: Span,
    /// The keyword in the source.
    pub keyword_span: Span,
    /// Pieces of `args` and where each starts in the source.
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Byte offset in `args`.
    at: usize,
    /// Byte offset in the source.
    source: usize,
    len: usize,
}

impl Instruction {
    /// The source span of `args[range]`. A range that crosses a continuation maps from the
    /// source position of its first character to just after its last one.
    pub fn span_of(&self, range: std::ops::Range<usize>) -> Span {
        let start = self.source_offset(range.start);
        let end = match self
            .args
            .get(..range.end)
            .and_then(|a| a.char_indices().last().filter(|(i, _)| *i >= range.start))
        {
            Some((i, c)) => self.source_offset(i) + c.len_utf8(),
            None => start,
        };
        Span::new(start as u32, end as u32)
    }

    /// The source offset of byte `at` of `args`; past the end, the end of the last piece.
    fn source_offset(&self, at: usize) -> usize {
        if let Some(p) = self.pieces.iter().find(|p| p.at <= at && at < p.at + p.len) {
            return p.source + (at - p.at);
        }
        self.pieces
            .iter()
            .rev()
            .find(|p| p.len > 0)
            .map_or(self.span.end as usize, |p| p.source + p.len)
    }

    /// The argument words, split at unquoted whitespace, with their ranges in `args`.
    pub fn words(&self) -> Vec<(std::ops::Range<usize>, &str)> {
        split_words(&self.args)
    }

    /// The leading `--name=value` flags and the index in [`Self::words`] where the rest begins.
    pub fn flags(&self) -> (Vec<Flag>, usize) {
        let words = self.words();
        let mut flags = Vec::new();
        let mut i = 0;
        while let Some((range, w)) = words.get(i) {
            let Some(body) = w.strip_prefix("--") else {
                break;
            };
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            flags.push(Flag {
                name: name.to_ascii_lowercase(),
                value: value.map(str::to_string),
                range: range.clone(),
                value_range: value.map(|v| range.end - v.len()..range.end),
            });
            i += 1;
        }
        (flags, i)
    }

    /// `Some(argv)` when the arguments are a JSON array of strings (exec form), `None` for shell
    /// form. BuildKit falls back to shell form when the JSON does not parse.
    pub fn exec_form(&self) -> Option<Vec<String>> {
        let a = self.args.trim();
        if !a.starts_with('[') {
            return None;
        }
        serde_json::from_str::<Vec<String>>(a).ok()
    }
}

/// One `--name=value` flag of an instruction.
#[derive(Debug, Clone)]
pub struct Flag {
    /// Lower-cased name without the dashes.
    pub name: String,
    pub value: Option<String>,
    /// The whole flag in `args`.
    pub range: std::ops::Range<usize>,
    /// The value in `args`.
    pub value_range: Option<std::ops::Range<usize>>,
}

/// A read Dockerfile.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    /// `\` unless a `# escape=` directive says `` ` ``.
    pub escape: char,
    pub instructions: Vec<Instruction>,
}

/// Reads `text`. Never fails: lines that are not instructions are skipped.
pub fn parse(text: &str) -> Dockerfile {
    let lines = split_lines(text);
    let mut escape = '\\';
    let mut i = 0;
    // Parser directives: only before the first comment, blank line or instruction.
    while let Some(&(start, end)) = lines.get(i) {
        let Some((key, value)) = directive(&text[start..end]) else {
            break;
        };
        if key == "escape" && (value == "`" || value == "\\") {
            escape = value.chars().next().unwrap_or('\\');
        }
        i += 1;
    }

    let mut instructions = Vec::new();
    while i < lines.len() {
        let (start, end) = lines[i];
        let line = &text[start..end];
        let trimmed = line.trim_start();
        i += 1;
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        // Gather the logical line: this line plus its continuations.
        let mut logical = String::new();
        let mut pieces = Vec::new();
        let lead = line.len() - trimmed.len();
        let mut continued = push_piece(
            &mut logical,
            &mut pieces,
            &text[start + lead..end],
            start + lead,
            escape,
        );
        let mut last_end = start + lead + content_len(&text[start + lead..end], escape);
        while continued && i < lines.len() {
            let (s, e) = lines[i];
            let l = &text[s..e];
            i += 1;
            let t = l.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            continued = push_piece(&mut logical, &mut pieces, l, s, escape);
            let len = content_len(l, escape);
            if len > 0 {
                last_end = s + len;
            }
        }
        let Some(instruction) = instruction(&logical, &pieces, last_end) else {
            continue;
        };
        if matches!(instruction.keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for (delimiter, strip_tabs) in heredoc_delimiters(&instruction.args) {
                while let Some(&(s, e)) = lines.get(i) {
                    i += 1;
                    let l = &text[s..e];
                    let l = if strip_tabs {
                        l.trim_start_matches('\t')
                    } else {
                        l
                    };
                    if l == delimiter {
                        break;
                    }
                }
            }
        }
        instructions.push(instruction);
    }
    Dockerfile {
        escape,
        instructions,
    }
}

/// `(start, end)` byte ranges of the lines of `text`, without terminators (`\n`, `\r\n`) and
/// without a leading byte-order mark.
fn split_lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let bytes = text.as_bytes();
    let mut pos = start;
    while pos <= bytes.len() {
        if pos == bytes.len() || bytes[pos] == b'\n' {
            let mut end = pos;
            if end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
            if !(pos == bytes.len() && start == pos) {
                out.push((start, end));
            }
            start = pos + 1;
        }
        pos += 1;
    }
    out
}

/// `# key=value` at the top of the file, key lower-cased.
fn directive(line: &str) -> Option<(String, String)> {
    let rest = line.trim_start().strip_prefix('#')?;
    let (key, value) = rest.split_once('=')?;
    let key = key.trim();
    if key.is_empty()
        || !key.chars().next()?.is_ascii_alphabetic()
        || !key.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    Some((key.to_ascii_lowercase(), value.trim().to_string()))
}

/// The length of `line` without a trailing continuation (escape character plus trailing
/// whitespace) and without trailing whitespace.
fn content_len(line: &str, escape: char) -> usize {
    let t = line.trim_end_matches([' ', '\t']);
    t.strip_suffix(escape).unwrap_or(t).trim_end().len()
}

/// Appends `line` (minus a trailing continuation) to the logical line; true when it continues.
fn push_piece(
    logical: &mut String,
    pieces: &mut Vec<Piece>,
    line: &str,
    source: usize,
    escape: char,
) -> bool {
    let t = line.trim_end_matches([' ', '\t']);
    let (content, continued) = match t.strip_suffix(escape) {
        Some(c) => (c, true),
        None => (t, false),
    };
    pieces.push(Piece {
        at: logical.len(),
        source,
        len: content.len(),
    });
    logical.push_str(content);
    continued
}

/// Splits a logical line into keyword and arguments, moving the piece offsets to `args`.
/// `last_end` is the source offset just after the last argument character.
fn instruction(logical: &str, pieces: &[Piece], last_end: usize) -> Option<Instruction> {
    let keyword_len = logical
        .find(|c: char| c.is_whitespace())
        .unwrap_or(logical.len());
    if keyword_len == 0 {
        return None;
    }
    let keyword = logical[..keyword_len].to_ascii_uppercase();
    let rest = &logical[keyword_len..];
    let args_start = keyword_len + (rest.len() - rest.trim_start().len());
    let args = logical[args_start..].trim_end().to_string();
    let start = pieces.first().map_or(last_end, |p| p.source);
    let keyword_end = start + keyword_len.min(pieces.first().map_or(0, |p| p.len));
    let pieces: Vec<Piece> = pieces
        .iter()
        .filter(|p| p.at + p.len > args_start)
        .map(|p| {
            let skip = args_start.saturating_sub(p.at);
            Piece {
                at: p.at + skip - args_start,
                source: p.source + skip,
                len: p.len - skip,
            }
        })
        .collect();
    Some(Instruction {
        keyword,
        args,
        span: Span::new(start as u32, last_end.max(keyword_end) as u32),
        keyword_span: Span::new(start as u32, keyword_end as u32),
        pieces,
    })
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"` markers outside quotes: (delimiter, strip leading tabs).
fn heredoc_delimiters(args: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let bytes = args.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'<'
                && bytes.get(i + 1) == Some(&b'<')
                && bytes.get(i + 2) != Some(&b'<')
                && (i == 0 || bytes[i - 1] != b'<') =>
            {
                let mut j = i + 2;
                let strip = bytes.get(j) == Some(&b'-');
                if strip {
                    j += 1;
                }
                let q = bytes.get(j).copied().filter(|c| *c == b'"' || *c == b'\'');
                if q.is_some() {
                    j += 1;
                }
                let name_start = j;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
                if j > name_start {
                    out.push((args[name_start..j].to_string(), strip));
                    if q.is_some() && bytes.get(j).copied() == q {
                        j += 1;
                    }
                }
                i = j;
                continue;
            }
            None => {}
        }
        i += 1;
    }
    out
}

/// Words split at unquoted whitespace, quotes kept, with their byte ranges.
pub fn split_words(s: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c.is_whitespace() => {
                if let Some(st) = start.take() {
                    out.push((st..i, &s[st..i]));
                }
                continue;
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
        if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st..s.len(), &s[st..]));
    }
    out
}
