//! Diagnostic output that cannot be abused, and positions that are right for any text (issue
//! 12): control characters in user values are printed as visible escapes, GitHub annotations
//! cannot be split into new workflow commands, JSON stays JSON with the exact value, and line and
//! column are right for a BOM, CRLF, lone CR, astral characters and non-UTF-8 text.

use lunora_diagnostic::{
    decode_utf8, printable, render_github, render_human, render_json, Diagnostic, HumanOptions,
    LineCol, SourceText, Sources, Span,
};

const FILE: &str = "lunora/containers.ts";
/// An OSC 52 clipboard write, a screen clear, a carriage return, a C1 CSI and a bidi override.
const HOSTILE: &str = "a\u{1b}]52;c;SGVsbG8=\u{7}b\u{1b}[2J\rc\u{9b}31md\u{202e}e";

fn hostile_diagnostic(source: &str) -> Diagnostic {
    let start = source.find("\"k").unwrap() as u32;
    Diagnostic::error("containers/unknown-key", format!("unknown key `{HOSTILE}`"))
        .with_primary(
            FILE,
            Span::new(start, start + 4),
            format!("label {HOSTILE}"),
        )
        .with_help(format!(
            "remove `{HOSTILE}`\n::error file=x.ts,line=1::injected"
        ))
}

fn sources(text: &str) -> Sources {
    let mut s = Sources::new();
    s.insert(FILE, text);
    s
}

#[test]
fn r12_control_characters_in_values_reached_the_terminal() {
    let source = "x({\n  \"k\u{1b}[31m\u{202e}\": 1,\n});\n";
    let d = vec![hostile_diagnostic(source)];
    let out = render_human(&d, &sources(source), HumanOptions { color: false });
    // Nothing a terminal acts on: no control character except the renderer's own line breaks.
    assert!(out.chars().all(|c| c == '\n' || !c.is_control()), "{out:?}");
    assert!(!out.contains('\u{202e}'));
    // Every value is still there, readable.
    assert!(
        out.contains(r"a\u{1b}]52;c;SGVsbG8=\u{7}b\u{1b}[2J\rc\u{9b}31md\u{202e}e"),
        "{out}"
    );
    // The injected line break did not start a line of its own.
    assert!(out.lines().all(|l| !l.starts_with("::")), "{out}");
    assert!(out.contains(r"\n::error file=x.ts"), "{out}");
    // The source line shows controls as control pictures, so the underline stays aligned.
    assert!(out.contains("2 |   \"k␛[31m\\u{202e}\": 1,"), "{out}");
    assert!(out.contains("  |   ^^^^"), "{out}");
    // With colour, the only escapes are the renderer's own SGR sequences.
    let colored = render_human(&d, &sources(source), HumanOptions { color: true });
    let mut rest = colored.as_str();
    while let Some(at) = rest.find('\u{1b}') {
        let seq = &rest[at + 1..];
        let end = seq.find('m').expect("an SGR sequence ends with m");
        assert!(
            seq.starts_with('[') && seq[1..end].chars().all(|c| c.is_ascii_digit() || c == ';'),
            "foreign escape: {:?}",
            &seq[..end.min(20)]
        );
        rest = &seq[end..];
    }
}

#[test]
fn r12_github_annotations_carried_raw_control_characters() {
    let source = "x({\n  \"k\": 1,\n});\n";
    let d = vec![hostile_diagnostic(source).with_secondary("odd,name:x.ts", Span::new(0, 1), "")];
    let out = render_github(&d, &sources(source));
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with(
            "::error file=lunora/containers.ts,line=2,col=3,title=containers/unknown-key::"
        ),
        "{out}"
    );
    assert!(!out.trim_end().contains('\n') && !out.contains('\r'));
    // The help's own line break is %-encoded; the injected one is text.
    assert!(out.contains(r"%0Ahelp: remove `"), "{out}");
    assert!(
        out.contains(r"\n::error file=x.ts,line=1::injected"),
        "{out}"
    );
    assert!(out.chars().all(|c| c == '\n' || !c.is_control()), "{out:?}");
    // Property values escape `%`, `:` and `,` (GitHub's rules), and controls.
    let d = Diagnostic::error("a,b:c%d\n", "m").with_file("dir,x:y%z\r.ts");
    let out = render_github(&[d], &Sources::new());
    assert_eq!(
        out,
        "::error file=dir%2Cx%3Ay%25z\\r.ts,title=a%2Cb%3Ac%25d\\n::m\n"
    );
}

#[test]
fn r12_json_output_stays_json_with_the_exact_value() {
    let source = "x({\n  \"k\": 1,\n});\n";
    let d = vec![hostile_diagnostic(source)];
    let out = render_json(&d, &sources(source));
    assert_eq!(out.lines().count(), 1);
    assert!(out.chars().all(|c| c == '\n' || !c.is_control()), "{out:?}");
    assert!(!out.contains('\u{202e}') && !out.contains('\u{9b}'));
    let v: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
    assert_eq!(v["message"], format!("unknown key `{HOSTILE}`"));
    assert_eq!(
        v["help"],
        format!("remove `{HOSTILE}`\n::error file=x.ts,line=1::injected")
    );
    assert_eq!(
        (v["line"].as_u64(), v["column"].as_u64()),
        (Some(2), Some(3))
    );
}

#[test]
fn printable_leaves_ordinary_text_alone() {
    for text in ["plain", "çé ✓ 😀 日本", "tab-free"] {
        assert!(matches!(printable(text), std::borrow::Cow::Borrowed(_)));
    }
    assert_eq!(printable("a\tb\nc\u{0}"), r"a\tb\nc\u{0}");
}

#[test]
fn r12_a_bom_shifted_line_1_columns() {
    let text = SourceText::new("\u{feff}ab\ncd");
    assert_eq!(text.line_col(3), LineCol { line: 1, column: 1 });
    assert_eq!(text.line_col(4), LineCol { line: 1, column: 2 });
    assert_eq!(text.line_col(6), LineCol { line: 2, column: 1 });
    assert_eq!(text.line_text(1), "ab");
}

#[test]
fn r12_lone_cr_files_reported_everything_on_line_1() {
    // `\r` alone is a line break (as in JavaScript); `\r\n` is one break, not two.
    let text = SourceText::new("a\rbc\r\nd\ne\r\rf");
    let at = |line, column| LineCol { line, column };
    assert_eq!(text.line_col(2), at(2, 1)); // b
    assert_eq!(text.line_col(3), at(2, 2)); // c
    assert_eq!(text.line_col(6), at(3, 1)); // d
    assert_eq!(text.line_col(8), at(4, 1)); // e
    assert_eq!(text.line_col(11), at(6, 1)); // f, after an empty line 5
    assert_eq!(text.line_count(), 6);
    assert_eq!(
        (1..=6).map(|l| text.line_text(l)).collect::<Vec<_>>(),
        ["a", "bc", "d", "e", "", "f"]
    );
}

#[test]
fn columns_count_characters_so_an_astral_character_is_one_column() {
    // Documented choice (crate docs): Unicode scalar values. VS Code and tsc count UTF-16 units
    // and would say column 3 for the `x`.
    let text = SourceText::new("😀x é✓y");
    assert_eq!(text.line_col(4), LineCol { line: 1, column: 2 });
    assert_eq!(
        text.line_col("😀x é✓".len() as u32),
        LineCol { line: 1, column: 6 }
    );
    // U+2028 is a line terminator in JavaScript only; editors keep one line.
    let text = SourceText::new("a\u{2028}b");
    assert_eq!(text.line_col(4), LineCol { line: 1, column: 3 });
}

#[test]
fn the_underline_stays_under_wide_characters_and_tabs() {
    let source = "\t日本 = \"x\";\n";
    let start = source.find('"').unwrap() as u32;
    let d = vec![Diagnostic::error("c/x", "m").with_primary(FILE, Span::new(start, start + 3), "")];
    let out = render_human(&d, &sources(source), HumanOptions { color: false });
    // Tab = 4 columns, each ideograph = 2: the string starts at terminal column 4 + 4 + 3.
    assert!(
        out.contains("1 |     日本 = \"x\";\n  |            ^^^\n"),
        "{out}"
    );
}

#[test]
fn r12_non_utf8_input_reported_a_byte_offset() {
    let bytes = b"ab\r\nc\xc3\xa9d\xffe".to_vec();
    let err = decode_utf8(bytes).unwrap_err();
    assert_eq!(err.offset, 8);
    assert_eq!(err.byte, 0xff);
    // Line 2 (after CRLF), after `c`, `é`, `d`: column 4, in characters.
    assert_eq!(err.position, LineCol { line: 2, column: 4 });
    // A BOM does not shift line 1; a lone CR breaks the line.
    let err = decode_utf8(b"\xef\xbb\xbfab\xfe".to_vec()).unwrap_err();
    assert_eq!(err.position, LineCol { line: 1, column: 3 });
    let err = decode_utf8(b"a\rb\xc3".to_vec()).unwrap_err();
    assert_eq!(err.position, LineCol { line: 2, column: 2 });
    assert_eq!(decode_utf8(b"ok \xc3\xa9".to_vec()).unwrap(), "ok é");

    // Rendered at that line and column although no text is available for the file.
    let d = vec![decode_utf8(b"x\n\xff".to_vec())
        .unwrap_err()
        .diagnostic("lunora/invalid-utf8", "src/index.ts")];
    let human = render_human(&d, &Sources::new(), HumanOptions { color: false });
    assert!(human.contains(" --> src/index.ts:2:1\n"), "{human}");
    assert!(human.contains("byte 0xFF at line 2, column 1"), "{human}");
    let json: serde_json::Value =
        serde_json::from_str(render_json(&d, &Sources::new()).trim_end()).unwrap();
    assert_eq!(
        (json["line"].as_u64(), json["column"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(json["code"], "lunora/invalid-utf8");
    assert!(
        render_github(&d, &Sources::new()).starts_with("::error file=src/index.ts,line=2,col=1,")
    );
}

/// The old width table gave 1 column to emoji outside two blocks (🚀, ✅, ⚡) and to some wide
/// characters, so the underline drifted left of the span it marks.
#[test]
fn an_emoji_or_cjk_before_the_span_does_not_shift_the_underline() {
    let source = "const note = \"🚀✅⚡ 日本語 한국어\"; export const a = defineContainer({ sleepAfter: \"5 minutes\" });\n";
    let start = source.find("\"5 minutes\"").unwrap() as u32;
    let d = vec![Diagnostic::error("c/x", "m").with_primary(
        FILE,
        Span::new(start, start + 11),
        "here",
    )];
    let out = render_human(&d, &sources(source), HumanOptions { color: false });
    insta::assert_snapshot!(out, @r#"
    error[c/x]: m
     --> lunora/containers.ts:1:76
      |
    1 | const note = "🚀✅⚡ 日本語 한국어"; export const a = defineContainer({ sleepAfter: "5 minutes" });
      |                                                                                     ^^^^^^^^^^^ here
    "#);
}
