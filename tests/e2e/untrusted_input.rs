//! Untrusted text reaching the CLI's output (issue 12): control characters in values, GitHub
//! workflow commands hidden in values, and files that are not UTF-8.

use crate::support::{Background, TempProject};

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

/// Replaces `rel` in `p` with a FIFO (nobody ever writes to it).
#[cfg(unix)]
fn make_fifo(p: &TempProject, rel: &str) {
    let path = p.path().join(rel);
    let _ = std::fs::remove_file(&path);
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o644) },
        0,
        "mkfifo {rel}"
    );
}

/// `lunora <args>` in `p`, which must exit within 20 s.
fn lunora_bounded(p: &TempProject, args: &[&str]) -> (i32, String) {
    let mut run = Background::spawn(p.lunora_command(args, &[]));
    let code = run.wait();
    (code, run.output())
}

#[cfg(unix)]
#[test]
fn r27_a_fifo_as_an_input_blocked_every_command_forever() {
    for (rel, args) in [
        ("wrangler.jsonc", &["codegen"][..]),
        ("wrangler.jsonc", &["doctor"][..]),
        ("lunora/containers.ts", &["codegen"][..]),
        ("lunora/containers.ts", &["doctor"][..]),
        ("src/server/index.ts", &["codegen"][..]),
        ("containers/transcoder/Dockerfile", &["codegen"][..]),
        ("containers/transcoder/Dockerfile", &["doctor"][..]),
        (
            "package.json",
            &["generate", "lunora-container", "--name=extra"][..],
        ),
    ] {
        let p = TempProject::example_bare("transcoder");
        make_fifo(&p, rel);
        let (code, out) = lunora_bounded(&p, args);
        assert_eq!(code, 1, "{rel} {args:?}: {out}");
        if args[0] != "doctor" {
            assert!(
                out.contains("not a regular file") && out.contains(rel.rsplit('/').next().unwrap()),
                "{rel} {args:?}: {out}"
            );
        }
        assert!(
            !p.exists("lunora/_generated"),
            "{rel} {args:?} wrote output"
        );
    }
}

#[cfg(unix)]
#[test]
fn r27_a_config_symlinked_to_dev_zero_was_read_until_memory_ran_out() {
    let p = TempProject::example_bare("transcoder");
    std::fs::remove_file(p.path().join("wrangler.jsonc")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", p.path().join("wrangler.jsonc")).unwrap();
    let (code, out) = lunora_bounded(&p, &["codegen"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("wrangler.jsonc") && out.contains("is a device"),
        "{out}"
    );

    // A regular file over the limit is refused with the limit, not read whole.
    let q = TempProject::example_bare("transcoder");
    let big = std::fs::File::create(q.path().join("src/server/index.ts")).unwrap();
    big.set_len(64 * 1024 * 1024).unwrap();
    let (code, out) = lunora_bounded(&q, &["codegen"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("src/server/index.ts") && out.contains("larger than 8 MiB"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn r27_a_fifo_as_an_input_hung_codegen_watch() {
    let p = TempProject::example_bare("transcoder");
    make_fifo(&p, "lunora/containers.ts");
    let mut run = Background::spawn(p.lunora_command(&["codegen", "--watch"], &[]));
    run.wait_for("the located error", |b| {
        b.output().contains("not a regular file")
    });
    // Replacing the FIFO with the real file is picked up; SIGTERM then ends the watcher.
    std::fs::remove_file(p.path().join("lunora/containers.ts")).unwrap();
    p.save(
        "lunora/containers.ts",
        &std::fs::read_to_string(
            crate::support::workspace().join("examples/transcoder/lunora/containers.ts"),
        )
        .unwrap(),
    );
    run.wait_for("a run on the regular file", |_| {
        p.exists("lunora/_generated/containers.ts")
    });
    assert_eq!(run.signal_and_wait(libc::SIGTERM), 0, "{}", run.output());
}

#[test]
fn r27_rename_printed_a_binding_name_with_terminal_escapes_raw() {
    let p = TempProject::example_bare("transcoder");
    let cfg = p
        .read("wrangler.jsonc")
        .replace("\"CONTAINER_TRANSCODER\"", r#""X\u001b[2J\u202eY""#);
    p.write("wrangler.jsonc", &cfg);
    p.lunora(&["codegen"]).assert_code(0);
    let run = p.lunora(&["rename", "transcoder", "encoder"]);
    run.assert_code(0);
    let out = run.all();
    assert!(
        out.contains(r"(binding X\u{1b}[2J\u{202e}Y)"),
        "the binding is named, escaped: {out}"
    );
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{202e}'),
        "raw control characters in: {out:?}"
    );
}

#[test]
fn r27_rename_changed_only_the_declaration_and_left_other_uses_broken() {
    let p = TempProject::example_bare("transcoder");
    let ts = format!(
        "{}\nexport const alias = transcoder;\n// transcoder in a comment, \"transcoder\" in a string and obj.transcoder are not uses\nexport const ports = {{ main: transcoder.defaultPort, x: \"transcoder\" }};\n",
        p.read("lunora/containers.ts")
    );
    p.write("lunora/containers.ts", &ts);
    let before = p.snapshot();
    let run = p.lunora(&["rename", "transcoder", "encoder"]);
    run.assert_code(1);
    let out = run.all();
    assert!(
        out.contains("uses `transcoder` in 2 other places besides its declaration"),
        "{out}"
    );
    let line = |needle: &str| ts.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(
        out.contains(&format!("lunora/containers.ts:{}:22", line("alias ="))),
        "{out}"
    );
    assert!(
        out.contains(&format!("lunora/containers.ts:{}:30", line("main:"))),
        "{out}"
    );
    assert!(p.snapshot() == before, "a refused rename wrote something");
}

#[test]
fn r27_generate_edited_an_installed_package_when_main_pointed_into_node_modules() {
    let p = TempProject::example_bare("transcoder");
    p.write("node_modules/pkg/index.ts", "export default {};\n");
    let cfg = p.read("wrangler.jsonc").replace(
        "\"main\": \"src/server/index.ts\"",
        "\"main\": \"node_modules/pkg/index.ts\"",
    );
    p.write("wrangler.jsonc", &cfg);
    let before = p.snapshot();
    let (code, out) = lunora_bounded(&p, &["generate", "lunora-container", "--name=extra"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("node_modules/pkg/index.ts (wrangler `main` in wrangler.jsonc)")
            && out.contains("inside node_modules"),
        "{out}"
    );
    assert_eq!(p.read("node_modules/pkg/index.ts"), "export default {};\n");
    assert!(p.snapshot() == before, "a refused generate wrote something");
}

#[test]
fn r27_generate_edited_the_copy_of_a_duplicated_dependencies_that_npm_ignores() {
    let p = TempProject::example_bare("transcoder");
    let manifest = "{\n  \"name\": \"x\",\n  \"dependencies\": { \"a\": \"1.0.0\" },\n  \"private\": true,\n  \"dependencies\": { \"b\": \"1.0.0\" }\n}\n";
    p.write("package.json", manifest);
    let (code, out) = lunora_bounded(&p, &["generate", "lunora-container", "--name=extra"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("`dependencies` is written twice (lines 3 and 5)"),
        "{out}"
    );
    assert_eq!(
        p.read("package.json"),
        manifest,
        "package.json must be left alone"
    );
}
