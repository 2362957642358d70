//! JSX in `.tsx`/`.jsx` files: telling an element from type parameters, and skipping tags and
//! their text children while counting their nesting.

use super::*;

impl Scanner<'_> {
    /// At `<` where an operand may start in a JSX file: whether a JSX element opens here rather
    /// than type parameters of a generic arrow (`<T,>(…) =>`, `<T extends U>(…) =>`).
    pub(super) fn jsx_element_ahead(&self) -> bool {
        let mut k = self.i + 1;
        match self.b.get(k) {
            Some(b'>') => return true,
            Some(&c) if is_ident_start(c) => {}
            _ => return false,
        }
        while k < self.b.len() && is_ident_part(self.b[k]) {
            k += 1;
        }
        let rest = &self.b[k..];
        let trimmed = rest
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .map_or(&rest[rest.len()..], |p| &rest[p..]);
        !(trimmed.starts_with(b",") || trimmed.starts_with(b"extends "))
    }

    /// Inside `<tag …`: the name and attributes, up to `>` (children follow), `/>`, or a `{`
    /// (an expression). Returns false at the end of the text.
    pub(super) fn jsx_tag(&mut self) -> Result<bool, Exceeded> {
        while self.i < self.b.len() {
            let c = self.b[self.i];
            match c {
                b'>' => {
                    self.i += 1;
                    self.pop();
                    self.push(Kind::JsxChildren);
                    return self.check(self.i - 1).map(|()| true);
                }
                b'/' if self.peek(1) == b'>' => {
                    self.i += 2;
                    self.pop();
                    self.after = After::Operand;
                    return Ok(true);
                }
                b'{' => {
                    self.i += 1;
                    self.push(Kind::JsxTagExpr);
                    self.after = After::Operator;
                    return self.check(self.i - 1).map(|()| true);
                }
                b'"' | b'\'' => {
                    let from = self.i;
                    self.i += 1;
                    while self.i < self.b.len() && self.b[self.i] != c {
                        self.i += 1;
                    }
                    self.i = (self.i + 1).min(self.b.len());
                    self.skipped(from, self.i)?;
                }
                b'/' if self.peek(1) == b'/' => self.line_comment()?,
                b'/' if self.peek(1) == b'*' => {
                    let from = self.i;
                    while self.i < self.b.len() && !self.b[self.i..].starts_with(b"*/") {
                        self.i += 1;
                    }
                    self.i = (self.i + 2).min(self.b.len());
                    self.skipped(from, self.i)?;
                }
                b'<' => {
                    // An element as an attribute value.
                    self.i += 1;
                    self.push(Kind::JsxTag);
                    self.check(self.i - 1)?;
                }
                _ => self.i += 1,
            }
        }
        Ok(false)
    }

    /// JSX children text, up to a nested element, a closing tag or a `{`. Returns false at the
    /// end of the text.
    pub(super) fn jsx_children(&mut self) -> Result<bool, Exceeded> {
        let from = self.i;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'{' => {
                    self.skipped(from, self.i)?;
                    self.i += 1;
                    self.push(Kind::JsxChildExpr);
                    self.after = After::Operator;
                    return self.check(self.i - 1).map(|()| true);
                }
                b'<' if self.peek(1) == b'/' => {
                    self.skipped(from, self.i)?;
                    while self.i < self.b.len() && self.b[self.i] != b'>' {
                        self.i += 1;
                    }
                    self.i = (self.i + 1).min(self.b.len());
                    self.pop();
                    // The element is complete; its parent decides what comes next.
                    self.after = After::Operand;
                    return Ok(true);
                }
                b'<' => {
                    self.skipped(from, self.i)?;
                    self.i += 1;
                    self.push(Kind::JsxTag);
                    return self.check(self.i - 1).map(|()| true);
                }
                _ => self.i += 1,
            }
        }
        self.skipped(from, self.i)?;
        Ok(false)
    }
}
