//! `wrangler.toml` → `wrangler.jsonc`, for projects that lunora is to read and edit (it edits
//! only JSON configs). Every key is kept, in file order: tables, arrays of tables, `env`
//! blocks, inline tables, dotted keys; dates become the strings wrangler makes of them
//! (`2025-05-23`); every `#` comment is carried as a `//` comment at the same place (above the
//! member it was above, or after it on its line). Pure: text in, text out.
//!
//! Refused with a located error, and nothing converted: TOML that does not parse (duplicate
//! keys, bad syntax), values JSON cannot hold (`inf`, `nan`), nesting deeper than
//! [`MAX_DEPTH`], and a file where the converter could not place every comment.

use lunora_diagnostic::{Diagnostic, Span};
use toml_edit::{Array, Decor, Document, InlineTable, Item, RawString, Table, Value};

/// How deep tables and arrays may nest.
pub const MAX_DEPTH: usize = 128;

/// The JSONC text of the TOML `text` (`file` names it in diagnostics).
pub fn toml_to_jsonc(text: &str, file: &str) -> Result<String, Vec<Diagnostic>> {
    let doc = Document::parse(text).map_err(|e| {
        let span = e
            .span()
            .map(|r| Span::new(r.start as u32, r.end.max(r.start + 1) as u32))
            .unwrap_or(Span::new(0, 0));
        let message = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .to_string();
        vec![Diagnostic::error(
            crate::codes::TOML_PARSE_ERROR,
            format!("{file} is not valid TOML: {message}"),
        )
        .with_primary(file, span, "here")
        .with_help("fix the TOML (wrangler rejects it too), then run the command again")]
    })?;
    let mut w = Writer {
        source: text,
        file,
        out: String::new(),
        errors: Vec::new(),
        comments: 0,
    };
    w.out.push_str("{\n");
    w.table_members(doc.as_table(), 1);
    // Comments after the last member.
    let trailing = comment_lines(w.raw(doc.trailing()));
    w.comment_lines(&trailing, 1);
    w.out.push_str("}\n");
    if !w.errors.is_empty() {
        return Err(w.errors);
    }
    let expected = count_comments(text);
    if w.comments != expected {
        return Err(vec![Diagnostic::error(
            crate::codes::TOML_UNSUPPORTED_VALUE,
            format!(
                "{file} has {expected} comments and lunora could place only {} of them in the converted config; nothing was converted, so no comment is lost",
                w.comments
            ),
        )
        .with_file(file)
        .with_help("move the comments that sit inside a value (between array items or keys of an inline table) onto their own lines above the key, then convert again")]);
    }
    Ok(w.out)
}

struct Writer<'a> {
    source: &'a str,
    file: &'a str,
    out: String,
    errors: Vec<Diagnostic>,
    /// Comments written so far.
    comments: usize,
}

/// One member of a JSON object being written.
struct Member<'t> {
    key: String,
    leading: Vec<String>,
    trailing: Option<String>,
    node: Node<'t>,
}

enum Node<'t> {
    Value(&'t Value),
    Table(&'t Table),
    Tables(Vec<&'t Table>),
}

impl<'a> Writer<'a> {
    fn raw<'s>(&self, raw: &'s RawString) -> &'s str
    where
        'a: 's,
    {
        raw.as_str()
            .or_else(|| raw.span().and_then(|r| self.source.get(r)))
            .unwrap_or("")
    }

    fn decor_comments(&self, decor: &Decor) -> (Vec<String>, Option<String>) {
        let leading = decor
            .prefix()
            .map(|p| comment_lines(self.raw(p)))
            .unwrap_or_default();
        let trailing = decor
            .suffix()
            .map(|s| comment_lines(self.raw(s)))
            .and_then(|mut lines| lines.pop());
        (leading, trailing)
    }

    fn span_of(&self, node: &Node<'_>) -> Span {
        let range = match node {
            Node::Value(v) => v.span(),
            Node::Table(t) => t.span(),
            Node::Tables(ts) => ts.first().and_then(|t| t.span()),
        };
        range
            .map(|r| Span::new(r.start as u32, r.end as u32))
            .unwrap_or(Span::new(0, 0))
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    fn comment_lines(&mut self, lines: &[String], depth: usize) {
        for line in lines {
            self.indent(depth);
            self.out.push_str("//");
            self.out.push_str(line);
            self.out.push('\n');
            self.comments += 1;
        }
    }

    /// The members of a table, one per line at `depth`.
    fn table_members(&mut self, table: &Table, depth: usize) {
        let mut members = Vec::new();
        for (key, item) in table.iter() {
            let k = table.key(key).expect("iterated key");
            let mut leading = Vec::new();
            if let Some(p) = k.leaf_decor().prefix() {
                leading.extend(comment_lines(self.raw(p)));
            }
            if let Some(p) = k.dotted_decor().prefix() {
                leading.extend(comment_lines(self.raw(p)));
            }
            let mut trailing = None;
            let node = match item {
                Item::None => continue,
                Item::Value(v) => {
                    let (before, after) = self.decor_comments(v.decor());
                    leading.extend(before);
                    trailing = after;
                    Node::Value(v)
                }
                Item::Table(t) => {
                    let (before, after) = self.decor_comments(t.decor());
                    leading.extend(before);
                    trailing = after;
                    Node::Table(t)
                }
                Item::ArrayOfTables(a) => Node::Tables(a.iter().collect()),
            };
            members.push(Member {
                key: key.to_string(),
                leading,
                trailing,
                node,
            });
        }
        self.members(members, depth);
    }

    fn members(&mut self, members: Vec<Member<'_>>, depth: usize) {
        for m in members {
            self.comment_lines(&m.leading, depth);
            self.indent(depth);
            self.out.push_str(&json_string(&m.key));
            self.out.push_str(": ");
            self.node(&m.node, depth);
            self.out.push(',');
            if let Some(c) = &m.trailing {
                self.out.push_str(" //");
                self.out.push_str(c);
                self.comments += 1;
            }
            self.out.push('\n');
        }
    }

    fn too_deep(&mut self, node: &Node<'_>, depth: usize) -> bool {
        if depth <= MAX_DEPTH {
            return false;
        }
        let span = self.span_of(node);
        self.errors.push(
            Diagnostic::error(
                crate::codes::TOML_UNSUPPORTED_VALUE,
                format!(
                    "{} nests tables or arrays more than {MAX_DEPTH} deep",
                    self.file
                ),
            )
            .with_primary(self.file, span, "too deep")
            .with_help("a wrangler config is never that deep; flatten it"),
        );
        true
    }

    fn node(&mut self, node: &Node<'_>, depth: usize) {
        if self.too_deep(node, depth) {
            self.out.push_str("null");
            return;
        }
        match node {
            Node::Value(v) => self.value(v, depth),
            Node::Table(t) => {
                self.out.push_str("{\n");
                self.table_members(t, depth + 1);
                self.indent(depth);
                self.out.push('}');
            }
            Node::Tables(tables) => {
                self.out.push_str("[\n");
                for t in tables {
                    let (leading, trailing) = self.decor_comments(t.decor());
                    self.comment_lines(&leading, depth + 1);
                    self.indent(depth + 1);
                    self.out.push('{');
                    if let Some(c) = &trailing {
                        self.out.push_str(" //");
                        self.out.push_str(c);
                        self.comments += 1;
                    }
                    self.out.push('\n');
                    self.table_members(t, depth + 2);
                    self.indent(depth + 1);
                    self.out.push_str("},\n");
                }
                self.indent(depth);
                self.out.push(']');
            }
        }
    }

    fn value(&mut self, v: &Value, depth: usize) {
        match v {
            Value::String(s) => self.out.push_str(&json_string(s.value())),
            Value::Integer(i) => self.out.push_str(&i.value().to_string()),
            Value::Float(f) => {
                let x = *f.value();
                if x.is_finite() {
                    let n = serde_json::Number::from_f64(x).expect("finite");
                    self.out.push_str(&n.to_string());
                } else {
                    let span = self.span_of(&Node::Value(v));
                    self.errors.push(
                        Diagnostic::error(
                            crate::codes::TOML_UNSUPPORTED_VALUE,
                            format!("{} holds `{x}`, which JSON cannot hold", self.file),
                        )
                        .with_primary(self.file, span, "not a finite number")
                        .with_help("write a finite number (no wrangler setting takes inf or nan)"),
                    );
                    self.out.push_str("null");
                }
            }
            Value::Boolean(b) => self.out.push_str(if *b.value() { "true" } else { "false" }),
            // wrangler reads a TOML date as a date and writes it back as this string.
            Value::Datetime(d) => self.out.push_str(&json_string(&d.value().to_string())),
            Value::Array(a) => self.array(a, depth),
            Value::InlineTable(t) => self.inline_table(t, depth),
        }
    }

    fn array(&mut self, a: &Array, depth: usize) {
        if a.is_empty() {
            let trailing = comment_lines(self.raw(a.trailing()));
            if trailing.is_empty() {
                self.out.push_str("[]");
                return;
            }
        }
        let multiline = a.iter().any(|v| {
            v.decor()
                .prefix()
                .is_some_and(|p| self.raw(p).contains('\n'))
        }) || self.raw(a.trailing()).contains('\n');
        if !multiline {
            self.out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    self.out.push_str(", ");
                }
                self.value(v, depth + 1);
            }
            self.out.push(']');
            return;
        }
        // A comment after an item's comma is on that item's line: TOML keeps it in the next
        // item's prefix (or the array's trailing whitespace), JSONC after the comma.
        let items: Vec<&Value> = a.iter().collect();
        let mut leading: Vec<Vec<String>> = Vec::new();
        let mut trailing: Vec<Option<String>> = vec![None; items.len()];
        for (i, v) in items.iter().enumerate() {
            let (_, after) = self.decor_comments(v.decor());
            let prefix = v.decor().prefix().map(|p| self.raw(p)).unwrap_or("");
            let (mut lines, same_line) = split_same_line(prefix);
            match (i, same_line) {
                (0, Some(c)) => lines.insert(0, c),
                (_, Some(c)) => trailing[i - 1] = Some(c),
                _ => {}
            }
            leading.push(lines);
            if after.is_some() {
                trailing[i] = after;
            }
        }
        let (mut footer, same_line) = split_same_line(self.raw(a.trailing()));
        match (items.len(), same_line) {
            (0, Some(c)) => footer.insert(0, c),
            (n, Some(c)) => trailing[n - 1] = Some(c),
            _ => {}
        }
        self.out.push_str("[\n");
        for (i, v) in items.iter().enumerate() {
            self.comment_lines(&leading[i], depth + 1);
            self.indent(depth + 1);
            if self.too_deep(&Node::Value(v), depth + 1) {
                self.out.push_str("null");
            } else {
                self.value(v, depth + 1);
            }
            self.out.push(',');
            if let Some(c) = &trailing[i] {
                self.out.push_str(" //");
                self.out.push_str(c);
                self.comments += 1;
            }
            self.out.push('\n');
        }
        self.comment_lines(&footer, depth + 1);
        self.indent(depth);
        self.out.push(']');
    }

    fn inline_table(&mut self, t: &InlineTable, depth: usize) {
        if t.is_empty() {
            self.out.push_str("{}");
            return;
        }
        self.out.push_str("{ ");
        for (i, (key, v)) in t.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.out.push_str(&json_string(key));
            self.out.push_str(": ");
            if self.too_deep(&Node::Value(v), depth + 1) {
                self.out.push_str("null");
            } else {
                self.value(v, depth + 1);
            }
        }
        self.out.push_str(" }");
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// The text after `#` of each comment in a stretch of TOML whitespace and comments.
fn comment_lines(raw: &str) -> Vec<String> {
    raw.lines()
        .filter_map(|l| l.trim_start().strip_prefix('#'))
        .map(|c| c.trim_end().to_string())
        .collect()
}

/// The comments of a stretch of TOML whitespace: those on lines of their own, and the one on
/// the line the stretch starts on (after the item before it), if any.
fn split_same_line(raw: &str) -> (Vec<String>, Option<String>) {
    match raw.split_once('\n') {
        Some((first, rest)) => (comment_lines(rest), comment_lines(first).pop()),
        None => (Vec::new(), comment_lines(raw).pop()),
    }
}

/// How many `#` comments the TOML text holds (a `#` inside a string is not one).
fn count_comments(text: &str) -> usize {
    let b = text.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i < b.len() {
        if b[i..].starts_with(b"\"\"\"") || b[i..].starts_with(b"'''") {
            let close = &b[i..i + 3];
            let basic = close[0] == b'"';
            i += 3;
            while i < b.len() {
                if basic && b[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if b[i..].starts_with(close) {
                    // A closing run may hold up to two more quotes of content.
                    let mut j = i + 3;
                    while j < b.len() && b[j] == close[0] && j < i + 5 {
                        j += 1;
                    }
                    i = j;
                    break;
                }
                i += 1;
            }
            continue;
        }
        match b[i] {
            b'"' | b'\'' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    if q == b'"' && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'#' => {
                n += 1;
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRANGLER_TOML: &str = r#"# The worker.
name = "toml-app" # its name
main = "src/index.ts"
compatibility_date = 2025-05-23
compatibility_flags = ["nodejs_compat"]
workers_dev = true
vars = { MODE = "prod", "odd key" = 'lit # not a comment' }

# Containers.
[[containers]]
class_name = "Sandbox" # the class
image = "./Dockerfile"
max_instances = 5
instance_type = { vcpu = 1, memory_mib = 4096, disk_mb = 8000 }

[[durable_objects.bindings]]
name = "SANDBOX"
class_name = "Sandbox"

[[migrations]]
tag = "v1"
new_sqlite_classes = [
  "Sandbox", # the first
  # more later
]

[observability]
enabled = true
head_sampling_rate = 1.5e-1

# Staging.
[env.staging]
name = "toml-app-staging"
vars.MODE = "staging"
"#;

    #[test]
    fn converts_every_key_and_comment() {
        let out = toml_to_jsonc(WRANGLER_TOML, "wrangler.toml").unwrap();
        let value: serde_json::Value = jsonc_parser::parse_to_serde_value::<serde_json::Value>(
            &out,
            &crate::read::parse_options(),
        )
        .unwrap();
        assert_eq!(value["name"], "toml-app");
        assert_eq!(value["compatibility_date"], "2025-05-23");
        assert_eq!(value["vars"]["odd key"], "lit # not a comment");
        assert_eq!(value["containers"][0]["instance_type"]["memory_mib"], 4096);
        assert_eq!(value["durable_objects"]["bindings"][0]["name"], "SANDBOX");
        assert_eq!(value["migrations"][0]["new_sqlite_classes"][0], "Sandbox");
        assert_eq!(value["observability"]["head_sampling_rate"], 0.15);
        assert_eq!(value["env"]["staging"]["vars"]["MODE"], "staging");
        for c in [
            "// The worker.",
            "// its name",
            "// Containers.",
            "// the class",
            "// the first",
            "// more later",
            "// Staging.",
        ] {
            assert!(out.contains(c), "{c} missing:\n{out}");
        }
        assert_eq!(
            count_comments(WRANGLER_TOML),
            8 - 1,
            "the `#` in a string is not one"
        );
        // Stable: converting the same text twice gives the same bytes.
        assert_eq!(out, toml_to_jsonc(WRANGLER_TOML, "wrangler.toml").unwrap());
    }

    #[test]
    fn hostile_toml_is_a_located_error() {
        for (text, want, line) in [
            ("name = \"a\"\nname = \"b\"\n", "not valid TOML", 2),
            ("x = inf\n", "JSON cannot hold", 1),
            ("[a\n", "not valid TOML", 1),
        ] {
            let errors = toml_to_jsonc(text, "wrangler.toml").unwrap_err();
            let d = &errors[0];
            assert!(d.message.contains(want), "{text}: {}", d.message);
            let at = d.primary_label().expect("located").span.start;
            let found = lunora_diagnostic::SourceText::new(text).line_col(at).line;
            assert_eq!(found, line, "{text}: {}", d.message);
        }
        let deep = format!("x = {}{}\n", "[".repeat(5000), "]".repeat(5000));
        assert!(toml_to_jsonc(&deep, "wrangler.toml").is_err());
    }
}
