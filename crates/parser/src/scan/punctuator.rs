//! Operators and brackets: how each punctuator moves the nesting and chain counts, and whether
//! an operand is expected after it (which decides between `/` as division and as a regular
//! expression, and `<` as less-than and as a type argument list).

use super::*;

impl Scanner<'_> {
    pub(super) fn punctuator(&mut self, operand_expected: bool, label: bool) {
        let rest = &self.b[self.i..];
        let take = |p: &[u8]| rest.starts_with(p);
        // Longest first.
        const ASSIGN: &[&[u8]] = &[
            b">>>=", b"<<=", b">>=", b"**=", b"&&=", b"||=", b"??=", b"+=", b"-=", b"*=", b"/=",
            b"%=", b"&=", b"|=", b"^=",
        ];
        if let Some(p) = ASSIGN.iter().find(|p| take(p)) {
            self.i += p.len();
            self.add_rec();
            self.after = After::Operator;
            return;
        }
        if take(b"=>") {
            self.i += 2;
            self.add_rec();
            self.after_arrow = true;
            self.after = After::Operator;
            return;
        }
        if take(b"...") {
            self.i += 3;
            self.after = After::Operator;
            return;
        }
        if take(b"?.") && !self.peek(2).is_ascii_digit() {
            self.i += 2;
            self.add_chain();
            self.after = After::Operator;
            return;
        }
        if take(b"??") {
            self.i += 2;
            self.add_chain();
            self.after = After::Operator;
            return;
        }
        if take(b"**") {
            self.i += 2;
            self.add_rec();
            self.after = After::Operator;
            return;
        }
        if take(b"++") || take(b"--") {
            self.i += 2;
            if operand_expected {
                self.add_rec();
            }
            // Prefix: an operand follows; postfix: the operand ended.
            return;
        }
        if take(b"===") || take(b"!==") {
            self.i += 3;
            self.add_chain();
            self.after = After::Operator;
            return;
        }
        if take(b"==") || take(b"!=") || take(b"<=") || take(b"&&") || take(b"||") {
            self.i += 2;
            self.add_chain();
            self.after = After::Operator;
            return;
        }
        let c = rest[0];
        self.i += 1;
        match c {
            b'<' if operand_expected => {
                // A type assertion `<T>x` (or a generic arrow): a prefix the parser reads twice.
                if take(b"<<") {
                    self.i += 1;
                }
                self.add_rec();
                self.top().prefix_angles += 1;
                self.speculation_rate += 1;
                self.push(Kind::Angle);
                self.after = After::Operator;
            }
            b'<' => {
                if take(b"<<") {
                    self.i += 1;
                    self.add_chain();
                } else {
                    self.push(Kind::Angle);
                }
                self.after = After::Operator;
            }
            b'>' => {
                // Each `>` of `>`, `>>`, `>>>`, `>=` may close a `<`.
                let mut n = 1;
                while self.peek(0) == b'>' {
                    self.i += 1;
                    n += 1;
                }
                let mut closed_all = true;
                for _ in 0..n {
                    if self.top().kind == Kind::Angle {
                        self.pop();
                    } else {
                        closed_all = false;
                    }
                }
                if self.peek(0) == b'=' {
                    self.i += 1;
                }
                if !closed_all {
                    self.add_chain();
                }
                self.after = After::Operator;
            }
            b'+' | b'-' | b'!' | b'~' if operand_expected => {
                self.add_rec();
                self.after = After::Operator;
            }
            b'!' => {
                // A non-null assertion `x!`.
                self.add_chain();
                self.after = After::Operand;
            }
            b'?' | b'=' => {
                self.add_rec();
                self.after = After::Operator;
            }
            b':' => {
                // A label nests the statement after it; `case x:` starts statements; in an
                // object, a type annotation or a conditional, `:` adds nothing (the `?` counted).
                if label {
                    self.add_rec();
                }
                self.statement_start = label || std::mem::take(&mut self.case);
                self.after = After::Operator;
            }
            b'.' => {
                self.add_chain();
                self.after = After::Operator;
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' => {
                self.add_chain();
                self.after = After::Operator;
            }
            _ => {
                // `@`, `~` after an operand (a syntax error), stray bytes.
                self.after = After::Operator;
            }
        }
    }
}
