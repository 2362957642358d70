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

use lunora_diagnostic::Span;
use std::collections::BTreeMap;

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

/// The value of a variable during substitution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Var {
    /// Known, possibly empty.
    Value(String),
    /// Certainly not set (expands to nothing).
    Unset,
    /// Might be set to anything: an `ARG` without a default and without a build argument, a
    /// platform variable, or a name a base image may define.
    Unknown,
}

/// Substitutes variables in one word and removes its quotes, as BuildKit's shell lexer does.
/// `None` when the result depends on an unknown value or uses a form this reader does not know.
pub fn expand(word: &str, escape: char, lookup: &dyn Fn(&str) -> Var) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut in_double = false;
    while i < chars.len() {
        let c = chars[i];
        if c == escape && i + 1 < chars.len() {
            let next = chars[i + 1];
            if !in_double || matches!(next, '$' | '"') || next == escape {
                out.push(next);
                i += 2;
                continue;
            }
        }
        match c {
            '\'' if !in_double => {
                let close = chars[i + 1..].iter().position(|&x| x == '\'')?;
                out.extend(&chars[i + 1..i + 1 + close]);
                i += close + 2;
            }
            '"' => {
                in_double = !in_double;
                i += 1;
            }
            '$' => {
                let (value, used) = expand_var(&chars[i + 1..], escape, lookup)?;
                out.push_str(&value);
                i += 1 + used;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(out)
}

/// Expands what follows a `$`; returns the value and how many characters it used.
fn expand_var(
    rest: &[char],
    escape: char,
    lookup: &dyn Fn(&str) -> Var,
) -> Option<(String, usize)> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    match rest.first() {
        Some('{') => {
            let mut j = 1;
            while j < rest.len() && is_name(rest[j]) {
                j += 1;
            }
            let name: String = rest[1..j].iter().collect();
            if name.is_empty() {
                return None;
            }
            // The closing brace, counting nested ones.
            let mut depth = 1;
            let mut k = j;
            while k < rest.len() {
                match rest[k] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            if k >= rest.len() {
                return None;
            }
            let modifier: String = rest[j..k].iter().collect();
            let var = lookup(&name);
            let value = if modifier.is_empty() {
                set_value(var)?
            } else {
                let (op, word) = if let Some(w) = modifier.strip_prefix(":-") {
                    (":-", w)
                } else if let Some(w) = modifier.strip_prefix(":+") {
                    (":+", w)
                } else if let Some(w) = modifier.strip_prefix('-') {
                    ("-", w)
                } else if let Some(w) = modifier.strip_prefix('+') {
                    ("+", w)
                } else {
                    return None;
                };
                let word = || expand(word, escape, lookup);
                match (op, var) {
                    (_, Var::Unknown) => return None,
                    (":-", Var::Value(v)) if !v.is_empty() => v,
                    (":-", _) => word()?,
                    ("-", Var::Value(v)) => v,
                    ("-", Var::Unset) => word()?,
                    (":+", Var::Value(v)) if !v.is_empty() => word()?,
                    (":+", _) => String::new(),
                    ("+", Var::Value(_)) => word()?,
                    _ => String::new(),
                }
            };
            Some((value, k + 1))
        }
        Some(&c) if c.is_ascii_alphabetic() || c == '_' => {
            let mut j = 0;
            while j < rest.len() && is_name(rest[j]) {
                j += 1;
            }
            let name: String = rest[..j].iter().collect();
            Some((set_value(lookup(&name))?, j))
        }
        _ => Some(("$".to_string(), 0)),
    }
}

fn set_value(var: Var) -> Option<String> {
    match var {
        Var::Value(v) => Some(v),
        Var::Unset => Some(String::new()),
        Var::Unknown => None,
    }
}

/// What a stage is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// An earlier stage, by index.
    Stage(usize),
    /// An image pulled from a registry (it may EXPOSE ports and set ENTRYPOINT/CMD itself).
    Image(String),
    /// `scratch`: nothing inherited.
    Scratch,
    /// The image name depends on an unknown variable.
    Unknown,
}

/// The platform named by a `FROM --platform=…` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Platform {
    /// No flag, or `$TARGETPLATFORM`: whatever the build targets.
    Target,
    /// A platform string after substitution (`linux/amd64`, `linux/arm64`, …).
    Named(String),
    /// Depends on the build machine (`$BUILDPLATFORM`) or an unknown variable.
    Unknown,
}

/// The ports one EXPOSE word opens: a range and a protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExposedPorts {
    pub first: u16,
    pub last: u16,
    pub tcp: bool,
}

/// An EXPOSE instruction: its index and its ports, or `None` when a word is unknowable.
#[derive(Debug, Clone)]
pub struct Expose {
    pub instruction: usize,
    pub ports: Option<Vec<ExposedPorts>>,
}

/// One build stage and what it sets.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Index of its `FROM`.
    pub from: usize,
    pub name: Option<String>,
    pub base: Base,
    pub platform: Platform,
    /// The `--platform` flag's span in the source, when there is one.
    pub platform_span: Option<Span>,
    pub exposes: Vec<Expose>,
    /// Index of the last `ENTRYPOINT`, and of the last `CMD`, of this stage.
    pub entrypoint: Option<usize>,
    pub cmd: Option<usize>,
}

/// A Dockerfile with its stages resolved for one set of build arguments.
#[derive(Debug, Clone)]
pub struct Build<'d> {
    pub dockerfile: &'d Dockerfile,
    pub stages: Vec<Stage>,
}

/// Names BuildKit defines in the global scope for `FROM` lines; their values depend on the build.
const PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// Resolves stages, substitutions and EXPOSEs with `build_args` (wrangler's `image_vars`, passed
/// as `--build-arg`) overriding `ARG` defaults.
pub fn resolve<'d>(dockerfile: &'d Dockerfile, build_args: &BTreeMap<String, String>) -> Build<'d> {
    let escape = dockerfile.escape;
    let mut global: BTreeMap<String, Var> = BTreeMap::new();
    let mut stages: Vec<Stage> = Vec::new();
    // Per stage: variables visible at the current point, and what a name nobody declared is.
    let mut env: BTreeMap<String, Var> = BTreeMap::new();
    let mut stage_envs: Vec<(BTreeMap<String, Var>, Var)> = Vec::new();
    let mut undeclared = Var::Unknown;

    for (idx, ins) in dockerfile.instructions.iter().enumerate() {
        let in_stage = !stages.is_empty();
        match ins.keyword.as_str() {
            "ARG" => {
                for (_, word) in ins.words() {
                    let (name, default) = match word.split_once('=') {
                        Some((n, d)) => (n.to_string(), Some(d.to_string())),
                        None => (word.to_string(), None),
                    };
                    let value = if let Some(v) = build_args.get(&name) {
                        Var::Value(v.clone())
                    } else if let Some(d) = default {
                        let scope = |n: &str| {
                            if in_stage {
                                lookup(&env, &undeclared, n)
                            } else {
                                global_lookup(&global, n)
                            }
                        };
                        match expand(&d, escape, &scope) {
                            Some(v) => Var::Value(v),
                            None => Var::Unknown,
                        }
                    } else if in_stage {
                        // `ARG NAME` in a stage takes the global value, if any.
                        match global.get(&name) {
                            Some(v @ Var::Value(_)) => v.clone(),
                            _ => Var::Unknown,
                        }
                    } else {
                        Var::Unknown
                    };
                    if in_stage {
                        env.insert(name, value);
                    } else {
                        global.insert(name, value);
                    }
                }
            }
            "FROM" => {
                if !stages.is_empty() {
                    stage_envs.push((std::mem::take(&mut env), undeclared.clone()));
                }
                let (flags, rest_at) = ins.flags();
                let words = ins.words();
                let scope = |n: &str| global_lookup(&global, n);
                let image = words
                    .get(rest_at)
                    .and_then(|(_, w)| expand(w, escape, &scope));
                let name = match (words.get(rest_at + 1), words.get(rest_at + 2)) {
                    (Some((_, as_kw)), Some((_, n))) if as_kw.eq_ignore_ascii_case("as") => {
                        Some(n.to_ascii_lowercase())
                    }
                    _ => None,
                };
                let base = match image {
                    None => Base::Unknown,
                    Some(img) => {
                        let lower = img.to_ascii_lowercase();
                        if let Some(i) = stages
                            .iter()
                            .position(|s| s.name.as_deref() == Some(lower.as_str()))
                        {
                            Base::Stage(i)
                        } else if lower == "scratch" {
                            Base::Scratch
                        } else {
                            Base::Image(img)
                        }
                    }
                };
                let flag = flags.iter().find(|f| f.name == "platform");
                let platform = match flag.and_then(|f| f.value.as_deref()) {
                    None => Platform::Target,
                    Some(v)
                        if is_target_platform_ref(v) && !global.contains_key("TARGETPLATFORM") =>
                    {
                        Platform::Target
                    }
                    Some(v) => match expand(v, escape, &scope) {
                        Some(p) => Platform::Named(p),
                        None => Platform::Unknown,
                    },
                };
                let platform_span = flag.map(|f| ins.span_of(f.range.clone()));
                // Variables a stage starts with: its base stage's ENV (ARGs do not carry over).
                let (inherited, und) = match &base {
                    Base::Stage(i) => stage_envs
                        .get(*i)
                        .map(|(e, u)| (env_only(e), u.clone()))
                        .unwrap_or((BTreeMap::new(), Var::Unknown)),
                    Base::Scratch => (BTreeMap::new(), Var::Unset),
                    Base::Image(_) | Base::Unknown => (BTreeMap::new(), Var::Unknown),
                };
                env = inherited;
                undeclared = und;
                stages.push(Stage {
                    from: idx,
                    name,
                    base,
                    platform,
                    platform_span,
                    exposes: Vec::new(),
                    entrypoint: None,
                    cmd: None,
                });
            }
            "ENV" if in_stage => {
                let words = ins.words();
                let before = env.clone();
                let scope = |n: &str| lookup(&before, &undeclared, n);
                let legacy = words.first().is_some_and(|(_, w)| !w.contains('='));
                if legacy {
                    // `ENV NAME value with spaces`
                    if let Some((range, name)) = words.first() {
                        let value = ins.args[range.end..].trim();
                        let v = expand(value, escape, &scope).map_or(Var::Unknown, Var::Value);
                        env.insert(format!("{ENV_MARK}{name}"), v);
                    }
                } else {
                    for (_, word) in &words {
                        if let Some((name, value)) = word.split_once('=') {
                            let v = expand(value, escape, &scope).map_or(Var::Unknown, Var::Value);
                            env.insert(format!("{ENV_MARK}{name}"), v);
                        }
                    }
                }
            }
            "EXPOSE" if in_stage => {
                let scope = |n: &str| lookup(&env, &undeclared, n);
                let ports = ins
                    .words()
                    .iter()
                    .map(|(_, w)| expand(w, escape, &scope).and_then(|w| exposed_ports(&w)))
                    .collect::<Option<Vec<_>>>();
                if let Some(stage) = stages.last_mut() {
                    stage.exposes.push(Expose {
                        instruction: idx,
                        ports,
                    });
                }
            }
            "ENTRYPOINT" if in_stage => {
                if let Some(stage) = stages.last_mut() {
                    stage.entrypoint = Some(idx);
                }
            }
            "CMD" if in_stage => {
                if let Some(stage) = stages.last_mut() {
                    stage.cmd = Some(idx);
                }
            }
            _ => {}
        }
    }
    Build { dockerfile, stages }
}

/// ENV entries are stored under this prefix so they shadow ARGs of the same name.
const ENV_MARK: &str = "\u{0}env:";

fn env_only(vars: &BTreeMap<String, Var>) -> BTreeMap<String, Var> {
    vars.iter()
        .filter(|(k, _)| k.starts_with(ENV_MARK))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn lookup(vars: &BTreeMap<String, Var>, undeclared: &Var, name: &str) -> Var {
    if let Some(v) = vars.get(&format!("{ENV_MARK}{name}")) {
        return v.clone();
    }
    vars.get(name)
        .cloned()
        .unwrap_or_else(|| undeclared.clone())
}

fn global_lookup(global: &BTreeMap<String, Var>, name: &str) -> Var {
    match global.get(name) {
        Some(v) => v.clone(),
        None if PLATFORM_ARGS.contains(&name) => Var::Unknown,
        // Only global ARGs are visible to FROM; anything else expands to nothing.
        None => Var::Unset,
    }
}

/// `$TARGETPLATFORM` or `${TARGETPLATFORM}`.
fn is_target_platform_ref(v: &str) -> bool {
    let v = v.trim_matches('"');
    v == "$TARGETPLATFORM" || v == "${TARGETPLATFORM}"
}

/// `8080`, `8080/tcp`, `8000-8010/udp`.
fn exposed_ports(word: &str) -> Option<ExposedPorts> {
    let (range, proto) = match word.split_once('/') {
        Some((r, p)) => (r, p.to_ascii_lowercase()),
        None => (word, "tcp".to_string()),
    };
    let (first, last) = match range.split_once('-') {
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => {
            let p = range.parse().ok()?;
            (p, p)
        }
    };
    Some(ExposedPorts {
        first,
        last,
        tcp: proto == "tcp",
    })
}

impl Build<'_> {
    /// The stage that runs: the last one (wrangler builds without `--target`).
    pub fn final_stage(&self) -> Option<usize> {
        self.stages.len().checked_sub(1)
    }

    /// The final stage and the stages it is built on, final first.
    pub fn chain(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.final_stage();
        while let Some(i) = cur {
            if out.contains(&i) {
                break;
            }
            out.push(i);
            cur = match self.stages[i].base {
                Base::Stage(b) => Some(b),
                _ => None,
            };
        }
        out
    }

    /// What the chain of the final stage is rooted in.
    pub fn root(&self) -> Option<&Stage> {
        self.chain().last().map(|&i| &self.stages[i])
    }

    pub fn instruction(&self, idx: usize) -> &Instruction {
        &self.dockerfile.instructions[idx]
    }
}
