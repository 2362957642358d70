//! Untrusted text reaching the CLI's output (issue 12): control characters in values, GitHub
//! workflow commands hidden in values, and files that are not UTF-8.

use crate::support::TempProject;

const HOSTILE_KEY: &str =
    r#""a\u001b]52;c;SGVsbG8=\u0007b\u001b[2J\r\n::error file=x.ts,line=1::pwned\u202e""#;

fn hostile_project() -> TempProject {
    let p = TempProject::example_bare("transcoder");
    let ts = p.read("lunora/containers.ts").replacen(
        "defineContainer({",
        &format!("defineContainer({{\n  {HOSTILE_KEY}: 1,"),
        1,
    );
    p.write("lunora/containers.ts", &ts);
    p
}

#[test]
fn r12_control_characters_and_workflow_commands_in_values_were_printed_raw() {
    let p = hostile_project();
    let run = p.lunora(&["codegen"]);
    run.assert_code(1);
    let out = run.all();
    assert!(out.contains("containers/unknown-key"), "{out}");
    assert!(
        out.chars().all(|c| c == '\n' || !c.is_control()) && !out.contains('\u{202e}'),
        "raw control characters in: {out:?}"
    );
    assert!(out.lines().all(|l| !l.starts_with("::")), "{out}");
    assert!(
        out.contains(r"a\u{1b}]52;c;SGVsbG8=\u{7}b\u{1b}[2J\r\n::error"),
        "{out}"
    );
}

#[test]
fn r12_github_annotations_carried_raw_control_characters() {
    let p = hostile_project();
    let run = p.lunora(&["codegen", "--format", "github"]);
    run.assert_code(1);
    // One annotation per line, each a command lunora wrote; the value's `::error` is text.
    let commands: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert!(!commands.is_empty(), "{}", run.stdout);
    assert!(
        run.stdout.lines().all(|l| l.starts_with("::error ")
            || l.starts_with("::warning ")
            || l.starts_with("::notice ")),
        "{}",
        run.stdout
    );
    assert!(
        commands.iter().all(|l| !l.starts_with("::error file=x.ts")),
        "{}",
        run.stdout
    );
    assert!(
        commands[0].contains(r"\n::error file=x.ts,line=1::pwned"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
}

#[test]
fn r12_non_utf8_input_reported_a_byte_offset() {
    let p = TempProject::example_bare("transcoder");
    let mut bytes = p.read("lunora/containers.ts").into_bytes();
    // An invalid byte on line 4 (`export const …`), after two characters.
    let line4 = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2)
        .map(|(i, _)| i + 1)
        .unwrap();
    bytes.splice(line4 + 2..line4 + 2, [0xff]);
    std::fs::write(p.path().join("lunora/containers.ts"), &bytes).unwrap();
    let before = p.snapshot();
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(1);
    let records: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    let record = records
        .iter()
        .find(|r| r["code"] == "lunora/invalid-utf8")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(record["file"], "lunora/containers.ts");
    assert_eq!(
        (record["line"].as_u64(), record["column"].as_u64()),
        (Some(4), Some(3))
    );
    assert!(
        p.snapshot() == before,
        "a run with an error wrote something"
    );

    // The worker entry and the wrangler config the same way.
    let q = TempProject::example_bare("transcoder");
    std::fs::write(
        q.path().join("src/server/index.ts"),
        b"// ok\n\xc3\xa9\xfe\n",
    )
    .unwrap();
    let run = q.lunora(&["codegen"]);
    assert!(
        run.all().contains("--> src/server/index.ts:2:2"),
        "{}",
        run.all()
    );
    let r = TempProject::example_bare("transcoder");
    let mut cfg = r.read("wrangler.jsonc").into_bytes();
    cfg.insert(0, 0x80);
    std::fs::write(r.path().join("wrangler.jsonc"), &cfg).unwrap();
    let run = r.lunora(&["codegen", "--format", "github"]);
    run.assert_code(1);
    assert!(
        run.stdout
            .contains("::error file=wrangler.jsonc,line=1,col=1,title=lunora/invalid-utf8::"),
        "{}",
        run.stdout
    );
}
