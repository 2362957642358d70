//! Naming. These follow Lunora's own functions exactly, so a Lunora app keeps its Durable Object
//! classes, bindings and image tags (read from anolilab/lunora:
//! `packages/container/src/define-container.ts` — `containerClassName`, `containerBindingName`,
//! `containerBuildTag` — and `.vis/templates/_helpers/case.ts` — `camelCase`, `dashCase` — used by
//! `.vis/templates/lunora-container.ts` for `--name`). Lunora splits words only where an ASCII
//! lower-case letter or digit is followed by an ASCII upper-case letter; `_` is kept as written.

/// `imageResizer` → `ImageResizerContainer`, `myHTTPServer` → `MyHTTPServerContainer`: the
/// export name with its first letter upper-cased and the rest kept, then `Container`.
pub fn class_name_for(export_name: &str) -> String {
    let mut chars = export_name.chars();
    let mut out = String::with_capacity(export_name.len() + 9);
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
    out.push_str("Container");
    out
}

/// `ffmpeg2Pass` → `ffmpeg2<sep>Pass`: `sep` inserted wherever an ASCII lower-case letter or digit
/// is followed by an ASCII upper-case letter (Lunora's `(?<=[a-z0-9])(?=[A-Z])`).
fn split_words(name: &str, sep: char) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev: Option<char> = None;
    for c in name.chars() {
        if let Some(p) = prev {
            if (p.is_ascii_lowercase() || p.is_ascii_digit()) && c.is_ascii_uppercase() {
                out.push(sep);
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// `imageResizer` → `CONTAINER_IMAGE_RESIZER`, `ffmpeg2Pass` → `CONTAINER_FFMPEG2_PASS`,
/// `myHTTPServer` → `CONTAINER_MY_HTTPSERVER`; `image_resizer` maps to the same binding as
/// `imageResizer`.
pub fn binding_for(export_name: &str) -> String {
    format!("CONTAINER_{}", split_words(export_name, '_').to_uppercase())
}

/// The stem of the Railpack tag `lunora-<stem>:build`: `imageResizer` → `image-resizer`,
/// `ffmpeg2Pass` → `ffmpeg2-pass`, `image_resizer` → `image_resizer` (Lunora keeps `_` here).
pub fn kebab_for(export_name: &str) -> String {
    split_words(export_name, '-').to_lowercase()
}

/// The Railpack image tag of a `{ build }` container: `lunora-ffmpeg2-pass:build`.
pub fn railpack_tag_for(export_name: &str) -> String {
    format!("lunora-{}:build", kebab_for(export_name))
}

/// Lunora's `camelCase` for `generate --name`: every run of `-`, `_` or whitespace followed by a
/// letter, digit or `_` is dropped and that character upper-cased; then a leading upper-case
/// letter is lower-cased. `image-resizer` → `imageResizer`, `ffmpeg2Pass` → `ffmpeg2Pass`.
pub fn camel_case_name(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let is_sep = |c: char| c == '-' || c == '_' || c.is_whitespace();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < chars.len() {
        if is_sep(chars[i]) {
            let mut j = i;
            while j < chars.len() && is_sep(chars[j]) {
                j += 1;
            }
            // The run is greedy, and `\w` may itself be `_`: backtrack one when the run ends the text.
            match chars.get(j) {
                Some(&w) if w.is_ascii_alphanumeric() => {
                    out.push(w.to_ascii_uppercase());
                    i = j + 1;
                }
                _ if j - i >= 2 && chars[j - 1] == '_' => {
                    // `[-_\s]+(\w)` can match with `\w` = the run's last `_`.
                    out.push('_');
                    i = j;
                }
                _ => {
                    out.extend(&chars[i..j]);
                    i = j;
                }
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    let mut result = out.chars();
    match result.next() {
        Some(first) if first.is_ascii_uppercase() => {
            let mut lowered = String::with_capacity(out.len());
            lowered.push(first.to_ascii_lowercase());
            lowered.push_str(result.as_str());
            lowered
        }
        _ => out,
    }
}

/// Lunora's `dashCase`, which names the scaffold directory `containers/<dir>` from `--name`:
/// `-` before every ASCII upper-case letter that follows a lower-case letter or digit, every run
/// of `_` or whitespace becomes `-`, then lower-case. `ffmpeg2Pass` → `ffmpeg2-pass`.
pub fn dash_case_name(raw: &str) -> String {
    let split = split_words(raw, '-');
    let mut out = String::with_capacity(split.len());
    let mut in_run = false;
    for c in split.chars() {
        if c == '_' || c.is_whitespace() {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out.to_lowercase()
}

/// The export name a lunora class was generated from: `TranscoderContainer` → `transcoder`
/// (the inverse of lunora's class naming, up to the case of the first letter).
pub fn export_name_of(class: &str) -> String {
    let stem = class.strip_suffix("Container").unwrap_or(class);
    let mut chars = stem.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_one_export() {
        assert_eq!(class_name_for("imageResizer"), "ImageResizerContainer");
        assert_eq!(binding_for("ffmpeg2Pass"), "CONTAINER_FFMPEG2_PASS");
        assert_eq!(binding_for("image_resizer"), binding_for("imageResizer"));
        assert_eq!(kebab_for("image_resizer"), "image_resizer");
        assert_eq!(railpack_tag_for("ffmpeg2Pass"), "lunora-ffmpeg2-pass:build");
        assert_eq!(camel_case_name("image-resizer"), "imageResizer");
        assert_eq!(dash_case_name("ffmpeg2Pass"), "ffmpeg2-pass");
    }

    #[test]
    fn export_names_of_generated_classes() {
        assert_eq!(export_name_of("TranscoderContainer"), "transcoder");
        assert_eq!(export_name_of("MyHTTPServerContainer"), "myHTTPServer");
        assert_eq!(export_name_of("Ffmpeg2PassContainer"), "ffmpeg2Pass");
    }

    #[test]
    fn export_names_are_the_inverse_of_class_names() {
        for export in ["transcoder", "myHTTPServer", "ffmpeg2Pass"] {
            assert_eq!(export_name_of(&class_name_for(export)), export);
        }
    }
}

/// The words a strict-mode ECMAScript (and so TypeScript module) binding cannot be named: a
/// `const` export or a class declaration named one does not parse.
pub const RESERVED_WORDS: &[&str] = &[
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
];
