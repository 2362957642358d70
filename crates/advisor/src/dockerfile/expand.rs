//! Variable substitution in a Dockerfile word (`$VAR`, `${VAR}`, `${VAR:-default}`,
//! `${VAR:+alt}`), over values that may be unknown.

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

/// The work one Dockerfile may cost its reader: characters produced by substitution plus
/// variables a stage inherits. Substitution can double a value per line (`ENV A=$A$A`), so
/// without a bound 28 lines of input cost 790 MB. Once spent, every later substitution is
/// unknown (lints then say nothing about it) and [`super::Build::over_budget`] says where.
#[derive(Debug)]
pub struct Budget {
    left: std::cell::Cell<usize>,
}

impl Budget {
    /// Far above any real Dockerfile (a few KB of values), far below what hurts.
    pub const UNITS: usize = 4 << 20;

    pub fn new(units: usize) -> Budget {
        Budget {
            left: std::cell::Cell::new(units),
        }
    }

    /// Takes `units` from the budget; `false` (and the budget is spent) when it has fewer.
    pub fn charge(&self, units: usize) -> bool {
        match self.left.get().checked_sub(units) {
            Some(left) => {
                self.left.set(left);
                true
            }
            None => {
                self.left.set(0);
                false
            }
        }
    }

    pub fn spent(&self) -> bool {
        self.left.get() == 0
    }
}

/// Substitutes variables in one word and removes its quotes, as BuildKit's shell lexer does.
/// `None` when the result depends on an unknown value, uses a form this reader does not know,
/// or would cost more than is left of `budget`.
pub fn expand(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Var,
    budget: &Budget,
) -> Option<String> {
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
                if budget.spent() {
                    return None;
                }
                let (value, used) = expand_var(&chars[i + 1..], escape, lookup, budget)?;
                if !budget.charge(value.len()) {
                    return None;
                }
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
    budget: &Budget,
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
                let word = || expand(word, escape, lookup, budget);
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
