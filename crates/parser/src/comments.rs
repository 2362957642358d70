//! Comments in TypeScript source, found by a scan that skips strings and template literals:
//! the one comment scanner lunora's source edits use (`adopt` carries a class's comments into
//! its definition; `remove` takes a definition's doc comment with it).

use lunora_diagnostic::Span;

/// A comment inside or directly above a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    pub text: String,
}

/// Comments in `source[span]`: `// …` to the end of its line and `/* … */`, outside strings
/// and template literals. Regular expression literals are not recognised; a class whose fields
/// are all static holds none.
pub fn comments_in(source: &str, span: Span) -> Vec<Comment> {
    let b = source.as_bytes();
    let end = (span.end as usize).min(b.len());
    let mut i = span.start as usize;
    let mut out = Vec::new();
    while i < end {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < end && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let stop = source[i..end].find(['\n', '\r']).map_or(end, |n| i + n);
                out.push(Comment {
                    span: Span::new(i as u32, stop as u32),
                    text: source[i..stop].to_string(),
                });
                i = stop;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let stop = source[i + 2..end].find("*/").map_or(end, |n| i + 2 + n + 2);
                out.push(Comment {
                    span: Span::new(i as u32, stop as u32),
                    text: source[i..stop].to_string(),
                });
                i = stop;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The comment lines directly above the line at `start` (no blank line between), each a whole
/// `// …` line or a `/* … */` block on lines of its own.
pub(crate) fn leading_comments(source: &str, start: usize) -> Vec<Comment> {
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut out = Vec::new();
    let mut cursor = line_start;
    loop {
        if cursor == 0 {
            break;
        }
        let prev_end = cursor - 1; // the '\n' ending the previous line
        let prev_start = source[..prev_end].rfind('\n').map_or(0, |i| i + 1);
        let line = source[prev_start..prev_end].trim_end_matches('\r');
        let trimmed = line.trim();
        let offset = prev_start + (line.len() - line.trim_start().len());
        if trimmed.starts_with("//") {
            out.push(Comment {
                span: Span::new(offset as u32, (offset + trimmed.len()) as u32),
                text: trimmed.to_string(),
            });
            cursor = prev_start;
        } else if trimmed.ends_with("*/") {
            // A block comment ending on this line: find where it starts.
            let Some(open) = source[..prev_start + line.len()].rfind("/*") else {
                break;
            };
            let open_line = source[..open].rfind('\n').map_or(0, |i| i + 1);
            if !source[open_line..open].trim().is_empty() {
                break;
            }
            let stop = prev_start + line.trim_end().len();
            out.push(Comment {
                span: Span::new(open as u32, stop as u32),
                text: source[open..stop].to_string(),
            });
            cursor = open_line;
        } else {
            break;
        }
    }
    out.reverse();
    out
}

/// Where the comment lines directly above the line at `start` begin (no blank line between,
/// each a whole `// …` line or a `/* … */` block on lines of its own); `start` itself when
/// there are none.
pub fn leading_comment_start(source: &str, start: usize) -> usize {
    leading_comments(source, start)
        .first()
        .map_or(start, |c| {
            source[..c.span.start as usize]
                .rfind('\n')
                .map_or(0, |i| i + 1)
        })
        .min(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_definitions_doc_comment_starts_where_its_comment_lines_do() {
        let text = "a;\n// one\n/* two\n   three */\nexport const x = 1;\n";
        let at = text.find("export").unwrap();
        assert_eq!(
            leading_comment_start(text, at),
            text.find("// one").unwrap()
        );
        let bare = "a;\n\nexport const x = 1;\n";
        let at = bare.find("export").unwrap();
        assert_eq!(leading_comment_start(bare, at), at);
        let gap = "// far\n\nexport const x = 1;\n";
        let at = gap.find("export").unwrap();
        assert_eq!(leading_comment_start(gap, at), at);
    }
}
