//! A pre-parse scan that bounds the work swc will do on a file, so that no input can overflow the
//! parser's stack or keep it busy for minutes.
//!
//! swc is a recursive-descent parser: every bracket, template substitution, JSX element, prefix
//! operator (`-`, `!`, `typeof`, `await`, `new`, `<T>` assertions…), arrow, conditional,
//! assignment, `**`, label and nested statement (`if`, `while`, `for`, `do`) costs it one or
//! more stack frames, and the syntax tree it builds is as deep as the longest left-associative
//! chain (`a.b.c`, `1 + 1 + 1`, `f()()`), which dropping and walking the tree recurse through.
//! It also re-reads text speculatively: each `<` that could open type arguments (`a < b`,
//! `<any>x`) is first tried as a type, which is quadratic in the number of unclosed `<`.
//!
//! [`scan`] tokenises the text the way the parser will (strings, comments, templates, regular
//! expressions vs. division, JSX text in `.tsx`/`.jsx`) and measures, at every token:
//! * nesting: open brackets plus the recursive forms above still pending in each bracket (a
//!   `,`, `;`, or a statement boundary ends them) — limited to [`MAX_NESTING`];
//! * chain: pending left-associative operators, member accesses and calls — [`MAX_CHAIN`];
//! * speculation: the tokens the parser may re-read for unclosed `<` — [`MAX_SPECULATION`].
//!
//! Where the tokenisation may disagree with swc's (a `/` after `}` or `)`, JSX text), the scan
//! leans towards counting too much: brackets inside strings, comments, templates, regular
//! expressions and JSX text count towards the nesting reached there, and unclosed ones stay
//! counted until the enclosing bracket closes. The limits are far above what real code reaches
//! (`crates/parser/tests/hostile.rs` checks real files from `node_modules`), and far below what
//! swc survives on the parse stack (the same tests parse every form at its limit).

mod jsx;
mod literals;
mod punctuator;

use literals::unicode_space;

/// Nesting units past which a file is refused.
pub(crate) const MAX_NESTING: u32 = 1000;
/// Pending left-associative operators past which a file is refused.
pub(crate) const MAX_CHAIN: u32 = 10_000;
/// Speculative re-reads (tokens × unclosed `<`) past which a file is refused.
pub(crate) const MAX_SPECULATION: u64 = 2_000_000;
/// Weight of one unclosed `<` in [`MAX_SPECULATION`] units per token read after it.
const ANGLE_SPECULATION: u64 = 8;

/// What a file exceeded, and where (byte offset into the scanned text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Exceeded {
    pub at: u32,
    pub what: Excess,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Excess {
    Nesting,
    Chain,
    Speculation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The module itself.
    Root,
    Paren,
    Bracket,
    Brace,
    /// `${` in a template literal.
    Subst,
    /// `<` that may open type arguments or a type assertion; closed by `>`.
    Angle,
    /// `<tag …` up to its `>` or `/>`.
    JsxTag,
    /// The children of a JSX element, up to its closing tag.
    JsxChildren,
    /// `{…}` inside a JSX tag (attribute value, spread).
    JsxTagExpr,
    /// `{…}` among JSX children.
    JsxChildExpr,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    kind: Kind,
    /// `(` right after `if`/`while`/`for`/`with`: a statement follows its `)`.
    statement_head: bool,
    /// `{` of a block or body, as opposed to an object literal or a type.
    block: bool,
    /// Pending recursive forms since this frame's last separator, and unclosed brackets of
    /// text skipped since then.
    rec: u32,
    /// Pending left-associative operators since this frame's last separator.
    chain: u32,
    /// Pending prefix `<` (type assertions) since this frame's last separator.
    prefix_angles: u32,
}

impl Frame {
    fn new(kind: Kind) -> Self {
        Frame {
            kind,
            statement_head: false,
            block: false,
            rec: 0,
            chain: 0,
            prefix_angles: 0,
        }
    }
}

/// What the previous significant token leaves the parser expecting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    /// An operand may start here (`/` is a regular expression, `<` a prefix, `-` unary).
    Operator,
    /// An operand just ended (`/` divides, `<` compares, `(` calls).
    Operand,
}

/// Keywords after which an operand is expected and which add one level of recursion.
const RECURSIVE_WORDS: &[&str] = &[
    "typeof", "void", "delete", "await", "new", "yield", "keyof", "infer", "readonly", "unique",
    "asserts", "if", "while", "for", "with", "do", "class",
];
/// Words after which an operand is expected (binary word operators count as chain links).
const OPERATOR_WORDS: &[&str] = &[
    "return",
    "throw",
    "case",
    "else",
    "extends",
    "implements",
    "export",
    "default",
    "import",
    "const",
    "let",
    "var",
    "function",
    "async",
    "static",
    "declare",
    "abstract",
    "public",
    "private",
    "protected",
    "override",
    "accessor",
    "type",
    "interface",
    "namespace",
    "module",
    "enum",
    "from",
    "try",
    "finally",
    "catch",
    "switch",
];
const CHAIN_WORDS: &[&str] = &["in", "of", "instanceof", "as", "satisfies", "is"];
/// After a block's `}`, these continue the same statement.
const CONTINUING_WORDS: &[&str] = &["else", "catch", "finally", "while"];

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    jsx: bool,
    frames: Vec<Frame>,
    /// Σ over frames of 1 (except the root) + `rec`.
    nesting: u32,
    /// Σ over frames of `chain`.
    chain: u32,
    /// Σ over frames of `prefix_angles`, plus [`ANGLE_SPECULATION`] per open `Angle` frame.
    speculation_rate: u64,
    speculation: u64,
    after: After,
    /// A line terminator since the previous significant token.
    newline: bool,
    /// The previous significant token was `=>`.
    after_arrow: bool,
    /// The previous token was a `)` closing a statement head.
    after_statement_head: bool,
    /// The previous token was `}` closing a block.
    after_block: bool,
    /// The previous token was a word that makes the next `(` a statement head.
    head_word: bool,
    /// A statement starts at the next token (a `{` there is a block).
    statement_start: bool,
    /// The previous token was a plain word at the start of a statement (a label, if `:` follows).
    label: bool,
    /// `case`/`default` read, its `:` not yet.
    case: bool,
    /// Nothing but whitespace and comments since the start of the line (for `-->`).
    line_start: bool,
    /// The first token of the file not read yet (for `#!`).
    first: bool,
    /// The highest values reached, for the tests on real code.
    peaks: Peaks,
}

/// The highest nesting, chain and speculation a scan reached.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Peaks {
    pub nesting: u32,
    pub chain: u32,
    pub speculation: u64,
}

/// Scans `source` (a whole module; `jsx` for `.tsx`/`.jsx`) and reports the first limit it
/// exceeds, if any. Linear in the length of `source`.
pub(crate) fn scan(source: &str, jsx: bool) -> Result<(), Exceeded> {
    scan_with_peaks(source, jsx).map(|_| ())
}

pub(crate) fn scan_with_peaks(source: &str, jsx: bool) -> Result<Peaks, Exceeded> {
    let mut s = Scanner {
        b: source.as_bytes(),
        i: 0,
        jsx,
        frames: vec![Frame::new(Kind::Root)],
        nesting: 0,
        chain: 0,
        speculation_rate: 0,
        speculation: 0,
        after: After::Operator,
        newline: true,
        after_arrow: false,
        after_statement_head: false,
        after_block: false,
        head_word: false,
        statement_start: true,
        label: false,
        case: false,
        // swc reads `-->` as a comment only after a line break.
        line_start: false,
        first: true,
        peaks: Peaks::default(),
    };
    if source.starts_with('\u{feff}') {
        s.i = 3;
    }
    s.run().map(|()| s.peaks)
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c == b'\\' || c >= 0x80
}

fn is_ident_part(c: u8) -> bool {
    is_ident_start(c) || c.is_ascii_digit()
}

impl Scanner<'_> {
    fn top(&mut self) -> &mut Frame {
        self.frames
            .last_mut()
            .expect("the root frame is never popped")
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.b.get(self.i + ahead).copied().unwrap_or(0)
    }

    fn check(&mut self, at: usize) -> Result<(), Exceeded> {
        self.peaks.nesting = self.peaks.nesting.max(self.nesting);
        self.peaks.chain = self.peaks.chain.max(self.chain);
        self.peaks.speculation = self.peaks.speculation.max(self.speculation);
        let what = if self.nesting > MAX_NESTING {
            Excess::Nesting
        } else if self.chain > MAX_CHAIN {
            Excess::Chain
        } else if self.speculation > MAX_SPECULATION {
            Excess::Speculation
        } else {
            return Ok(());
        };
        Err(Exceeded {
            at: at as u32,
            what,
        })
    }

    fn push(&mut self, kind: Kind) {
        self.frames.push(Frame::new(kind));
        self.nesting += 1;
        if kind == Kind::Angle {
            self.speculation_rate += ANGLE_SPECULATION;
        }
    }

    fn pop(&mut self) -> Option<Frame> {
        if self.frames.len() == 1 {
            return None;
        }
        let f = self.frames.pop().expect("checked above");
        self.nesting -= 1 + f.rec;
        self.chain -= f.chain;
        self.speculation_rate -= f.prefix_angles as u64;
        if f.kind == Kind::Angle {
            self.speculation_rate -= ANGLE_SPECULATION;
        }
        Some(f)
    }

    fn add_rec(&mut self) {
        self.top().rec += 1;
        self.nesting += 1;
    }

    fn add_chain(&mut self) {
        self.top().chain += 1;
        self.chain += 1;
    }

    /// A separator or statement boundary: pending operators of the current frame are done.
    fn reset(&mut self) {
        let f = self.top();
        let (rec, chain, angles) = (f.rec, f.chain, f.prefix_angles);
        f.rec = 0;
        f.chain = 0;
        f.prefix_angles = 0;
        self.nesting -= rec;
        self.chain -= chain;
        self.speculation_rate -= angles as u64;
    }

    /// `;` or the end of a statement: unclosed `<` end with it.
    fn end_statement(&mut self) {
        while self.top().kind == Kind::Angle {
            self.pop();
        }
        self.reset();
    }

    /// Closes the innermost frame for `)`, `]` or `}`, dropping unclosed `<` first.
    fn close(&mut self) -> Option<Frame> {
        while self.top().kind == Kind::Angle {
            self.pop();
        }
        self.pop()
    }

    /// Counts the brackets of skipped text `[from, to)` (a string, comment, regular expression,
    /// template or JSX text): the deepest point is checked as if it were code, and the unclosed
    /// ones stay counted like pending operators (until the next separator).
    fn skipped(&mut self, from: usize, to: usize) -> Result<(), Exceeded> {
        let mut depth: i64 = 0;
        let mut peak: i64 = 0;
        let mut k = from;
        while k < to {
            match self.b[k] {
                b'\\' => k += 1,
                b'(' | b'[' | b'{' | b'<' => {
                    depth += 1;
                    if depth > peak {
                        peak = depth;
                        let reached = self.nesting as i64 + peak;
                        self.peaks.nesting = self.peaks.nesting.max(reached as u32);
                        if reached > MAX_NESTING as i64 {
                            return Err(Exceeded {
                                at: k as u32,
                                what: Excess::Nesting,
                            });
                        }
                    }
                }
                b')' | b']' | b'}' | b'>' => depth -= 1,
                _ => {}
            }
            k += 1;
        }
        if depth > 0 {
            self.top().rec += depth as u32;
            self.nesting += depth as u32;
        }
        Ok(())
    }

    /// Skips whitespace and comments; records line terminators.
    fn trivia(&mut self) -> Result<(), Exceeded> {
        loop {
            let c = self.peek(0);
            match c {
                b' ' | b'\t' | 0x0b | 0x0c => self.i += 1,
                b'\n' | b'\r' => {
                    self.i += 1;
                    self.newline = true;
                    self.line_start = true;
                }
                b'/' if self.peek(1) == b'/' => self.line_comment()?,
                b'/' if self.peek(1) == b'*' => {
                    let from = self.i;
                    self.i += 2;
                    while self.i < self.b.len() && !(self.b[self.i] == b'*' && self.peek(1) == b'/')
                    {
                        if matches!(self.b[self.i], b'\n' | b'\r') {
                            self.newline = true;
                            self.line_start = true;
                        }
                        self.i += 1;
                    }
                    self.i = (self.i + 2).min(self.b.len());
                    self.skipped(from, self.i)?;
                }
                b'#' if self.first && self.i <= 3 && self.peek(1) == b'!' => self.line_comment()?,
                b'<' if self.b[self.i..].starts_with(b"<!--") => self.line_comment()?,
                b'-' if self.line_start && self.b[self.i..].starts_with(b"-->") => {
                    self.line_comment()?
                }
                0x80.. => {
                    let rest = &self.b[self.i..];
                    if rest.starts_with("\u{2028}".as_bytes())
                        || rest.starts_with("\u{2029}".as_bytes())
                    {
                        self.i += 3;
                        self.newline = true;
                        self.line_start = true;
                    } else if let Some(n) = unicode_space(rest) {
                        self.i += n;
                    } else {
                        return Ok(());
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn line_comment(&mut self) -> Result<(), Exceeded> {
        let from = self.i;
        while self.i < self.b.len() && !matches!(self.b[self.i], b'\n' | b'\r') {
            if self.b[self.i..].starts_with("\u{2028}".as_bytes())
                || self.b[self.i..].starts_with("\u{2029}".as_bytes())
            {
                break;
            }
            self.i += 1;
        }
        self.skipped(from, self.i)
    }

    fn run(&mut self) -> Result<(), Exceeded> {
        loop {
            match self.top().kind {
                Kind::JsxTag => {
                    if !self.jsx_tag()? {
                        return Ok(());
                    }
                    continue;
                }
                Kind::JsxChildren => {
                    if !self.jsx_children()? {
                        return Ok(());
                    }
                    continue;
                }
                _ => {}
            }
            self.trivia()?;
            if self.i >= self.b.len() {
                return Ok(());
            }
            self.first = false;
            let start = self.i;
            self.token(start)?;
            self.line_start = false;
            self.speculation += self.speculation_rate;
            self.check(start)?;
        }
    }

    /// Reads one token at `start` and updates the counters.
    fn token(&mut self, start: usize) -> Result<(), Exceeded> {
        let c = self.b[start];
        // The word or punctuator, for the statement-boundary decisions below.
        let word_end = if is_ident_start(c) {
            let mut k = start;
            while k < self.b.len() && is_ident_part(self.b[k]) {
                if self.b[k] >= 0x80 && unicode_space(&self.b[k..]).is_some() {
                    break;
                }
                k += 1;
            }
            Some(k)
        } else {
            None
        };
        let word = word_end.map(|e| std::str::from_utf8(&self.b[start..e]).unwrap_or(""));
        let continues = self.continues(word);
        // A statement boundary the parser will see: a line break after an operand (ASI), or a
        // block's `}` followed by something that does not continue its statement.
        let boundary = !continues
            && ((self.newline && self.after == After::Operand && !self.after_statement_head)
                || (self.after_block && !word.is_some_and(|w| CONTINUING_WORDS.contains(&w))));
        if boundary {
            self.end_statement();
            self.after = After::Operator;
            self.statement_start = true;
        }
        let statement_start = std::mem::take(&mut self.statement_start);
        let label = std::mem::take(&mut self.label);
        self.newline = false;
        self.after_block = false;
        let after_arrow = std::mem::take(&mut self.after_arrow);
        let after_statement_head = std::mem::take(&mut self.after_statement_head);
        let head_word = std::mem::take(&mut self.head_word);
        let operand_expected = self.after == After::Operator;

        if let Some(end) = word_end {
            self.i = end;
            let w = word.unwrap_or("");
            if RECURSIVE_WORDS.contains(&w) {
                self.add_rec();
                // `for await (` keeps the head.
                self.head_word =
                    matches!(w, "if" | "while" | "for" | "with") || (w == "await" && head_word);
                self.statement_start = w == "do";
                self.after = After::Operator;
            } else if CHAIN_WORDS.contains(&w) && !operand_expected {
                self.add_chain();
                self.after = After::Operator;
            } else if OPERATOR_WORDS.contains(&w) {
                if matches!(w, "case" | "default") && statement_start {
                    self.case = true;
                }
                // `catch (`, `switch (`: the paren is a head as well.
                self.head_word = matches!(w, "catch" | "switch");
                // `else {`, `try {`, `finally {`: a block follows.
                self.statement_start = matches!(w, "else" | "try" | "finally");
                self.after = After::Operator;
            } else {
                self.label = statement_start;
                self.after = After::Operand;
            }
            return Ok(());
        }
        if c.is_ascii_digit() || (c == b'.' && self.peek(1).is_ascii_digit()) {
            self.number();
            self.after = After::Operand;
            return Ok(());
        }
        match c {
            b'"' | b'\'' => {
                self.string(c)?;
                self.after = After::Operand;
            }
            b'`' => {
                if !operand_expected {
                    self.add_chain(); // a tagged template
                }
                self.i += 1;
                self.template_text()?;
            }
            b'#' => {
                // A private name.
                self.i += 1;
                while self.i < self.b.len() && is_ident_part(self.b[self.i]) {
                    self.i += 1;
                }
                self.after = After::Operand;
            }
            b'(' => {
                self.i += 1;
                if !operand_expected {
                    self.add_chain(); // a call
                }
                self.push(Kind::Paren);
                self.top().statement_head = head_word;
                self.after = After::Operator;
            }
            b'[' => {
                self.i += 1;
                if !operand_expected {
                    self.add_chain(); // an index
                }
                self.push(Kind::Bracket);
                self.after = After::Operator;
            }
            b'{' => {
                self.i += 1;
                let block =
                    !operand_expected || after_arrow || after_statement_head || statement_start;
                self.push(Kind::Brace);
                self.top().block = block;
                self.statement_start = block;
                self.after = After::Operator;
            }
            b')' | b']' | b'}' => {
                self.i += 1;
                match self.close() {
                    Some(f) if f.kind == Kind::Subst => {
                        self.template_text()?;
                    }
                    Some(f) if f.kind == Kind::JsxTagExpr || f.kind == Kind::JsxChildExpr => {
                        // Back to the tag or the children text.
                    }
                    Some(f) if f.statement_head => {
                        self.after = After::Operator;
                        self.after_statement_head = true;
                        self.statement_start = true;
                    }
                    Some(f) if f.kind == Kind::Brace && f.block => {
                        self.after = After::Operator;
                        self.after_block = true;
                    }
                    _ => self.after = After::Operand,
                }
            }
            b';' => {
                self.i += 1;
                self.end_statement();
                self.statement_start = true;
                self.after = After::Operator;
            }
            b',' => {
                self.i += 1;
                self.reset();
                self.after = After::Operator;
            }
            b'/' if operand_expected => {
                self.regex()?;
                self.after = After::Operand;
            }
            b'<' if operand_expected && self.jsx && self.jsx_element_ahead() => {
                self.i += 1;
                self.push(Kind::JsxTag);
            }
            _ => self.punctuator(operand_expected, label),
        }
        Ok(())
    }

    /// Whether the next token (a `word`, or the punctuator at `self.i`) continues the
    /// expression before a line break instead of starting a statement.
    fn continues(&self, word: Option<&str>) -> bool {
        if let Some(w) = word {
            return CHAIN_WORDS.contains(&w) || matches!(w, "extends" | "implements");
        }
        match self.peek(0) {
            b'.' | b'(' | b'[' | b'`' | b',' | b'?' | b':' | b'=' | b'*' | b'/' | b'%' | b'&'
            | b'|' | b'^' | b'<' | b'>' => true,
            // `a\n++b` is `a; ++b`; `a\n+b` is `a + b`.
            b'+' | b'-' => self.peek(1) != self.peek(0),
            b'!' => self.peek(1) == b'=',
            b')' | b']' | b'}' | b';' => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests;
