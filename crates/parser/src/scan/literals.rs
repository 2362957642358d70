//! Numbers, strings, template text and regular expressions: skipped as single tokens, with the
//! brackets inside them counted as the module doc of [`super`] says.

use super::*;

impl Scanner<'_> {
    pub(super) fn number(&mut self) {
        let hex = self.peek(0) == b'0' && matches!(self.peek(1), b'x' | b'X');
        while self.i < self.b.len() {
            let c = self.b[self.i];
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' {
                self.i += 1;
                if !hex && matches!(c, b'e' | b'E') && matches!(self.peek(0), b'+' | b'-') {
                    self.i += 1;
                }
            } else {
                break;
            }
        }
    }

    pub(super) fn string(&mut self, quote: u8) -> Result<(), Exceeded> {
        let from = self.i;
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'\n' | b'\r' => break,
                c if c == quote => {
                    self.i += 1;
                    break;
                }
                _ => self.i += 1,
            }
        }
        self.i = self.i.min(self.b.len());
        self.skipped(from, self.i)
    }

    /// Template text after `` ` `` or a substitution's `}`: up to the closing `` ` `` (an
    /// operand ends) or the next `${` (a [`Kind::Subst`] frame opens).
    pub(super) fn template_text(&mut self) -> Result<(), Exceeded> {
        let from = self.i;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'`' => {
                    self.skipped(from, self.i)?;
                    self.i += 1;
                    self.after = After::Operand;
                    return Ok(());
                }
                b'$' if self.peek(1) == b'{' => {
                    self.skipped(from, self.i)?;
                    self.i += 2;
                    self.push(Kind::Subst);
                    self.after = After::Operator;
                    return self.check(self.i - 2);
                }
                _ => self.i += 1,
            }
        }
        self.i = self.b.len();
        self.skipped(from, self.i)
    }

    pub(super) fn regex(&mut self) -> Result<(), Exceeded> {
        let from = self.i;
        self.i += 1;
        let mut class = false;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'\n' | b'\r' => break,
                b'[' => {
                    class = true;
                    self.i += 1;
                }
                b']' => {
                    class = false;
                    self.i += 1;
                }
                b'/' if !class => {
                    self.i += 1;
                    while self.i < self.b.len() && is_ident_part(self.b[self.i]) {
                        self.i += 1;
                    }
                    break;
                }
                _ => self.i += 1,
            }
        }
        self.i = self.i.min(self.b.len());
        self.skipped(from, self.i)
    }
}

/// Length of the Unicode space separator (JavaScript white space) at the start of `rest`.
pub(super) fn unicode_space(rest: &[u8]) -> Option<usize> {
    let s = std::str::from_utf8(&rest[..rest.len().min(4)])
        .ok()
        .or_else(|| {
            (1..4)
                .rev()
                .find_map(|n| std::str::from_utf8(rest.get(..n)?).ok())
        })?;
    let c = s.chars().next()?;
    matches!(
        c,
        '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
    .then(|| c.len_utf8())
}
