//! `lunora containers` pass-through, completions, help and usage errors.

use crate::support::{write_script, Fakes, TempProject};

#[test]
fn containers_passes_arguments_verbatim_and_keeps_the_exit_code() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new().set("FAKE_LOG_CWD", "1");
    p.lunora_env(
        &["containers", "images", "list", "--json", "--limit", "5"],
        &f.envs(),
    )
    .assert_code(0);
    assert_eq!(
        f.log(),
        format!(
            "wrangler containers images list --json --limit 5\ncwd {}\n",
            p.path().display()
        )
    );

    let f = Fakes::new().set("FAKE_WRANGLER_EXIT", "3");
    p.lunora_env(
        &["containers", "images", "delete", "transcoder:v1"],
        &f.envs(),
    )
    .assert_code(3);
    assert_eq!(
        f.log(),
        "wrangler containers images delete transcoder:v1\n",
        "no Docker preflight"
    );
    let f = Fakes::new();
    p.lunora_env(&["containers", "list"], &f.envs())
        .assert_code(0);
    p.lunora_env(&["containers", "info", "abc123"], &f.envs())
        .assert_code(0);
    assert_eq!(
        f.log(),
        "wrangler containers list\nwrangler containers info abc123\n"
    );
}

/// `lunora <args>` run from `cwd`, with no `--root` added (the test writes its own).
fn lunora_in(cwd: &std::path::Path, args: &[&str], envs: &[(&str, &str)]) -> crate::support::Run {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_lunora"));
    cmd.current_dir(cwd).args(args).env("NO_COLOR", "1");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    crate::support::Run::from(
        cmd.stdin(std::process::Stdio::null())
            .output()
            .expect("spawn lunora"),
    )
}

// Regression (issue 25): `lunora containers build|push … --root DIR --format json` passed
// `--root` and `--format` on to wrangler, which rejects them ("Unknown argument: root").
#[test]
fn containers_consumes_lunora_s_own_flags_wherever_they_appear() {
    let p = TempProject::example_bare("transcoder");
    let elsewhere = tempfile::tempdir().unwrap();
    let root = p.path().to_str().unwrap();
    let f = Fakes::new().set("FAKE_LOG_CWD", "1");
    let run = lunora_in(
        elsewhere.path(),
        &[
            "containers",
            "build",
            "./containers/transcoder",
            "--root",
            root,
            "--format",
            "json",
            "--tag",
            "transcoder:v1",
            "--verbose",
            "--push",
        ],
        &f.envs(),
    );
    run.assert_code(0);
    assert_eq!(
        f.log(),
        format!(
            "docker info\nwrangler containers build ./containers/transcoder --tag transcoder:v1 --push\ncwd {root}\n"
        )
    );
    assert_eq!(
        run.stdout, "",
        "wrangler's own output only; lunora has nothing to say"
    );

    // `--format=json` after the subcommand: lunora's own failure is a JSON record.
    let f = Fakes::new().set("FAKE_DOCKER_EXIT", "1");
    let run = lunora_in(
        elsewhere.path(),
        &[
            "containers",
            "push",
            "transcoder:v1",
            &format!("--root={root}"),
            "--format=json",
        ],
        &f.envs(),
    );
    run.assert_code(1);
    let records = json_lines(&run.stdout);
    assert_eq!(records.len(), 1, "{}", run.stdout);
    assert_eq!(records[0]["severity"], "error");
    assert_eq!(records[0]["code"], "lunora/error");
    assert!(
        records[0]["message"]
            .as_str()
            .unwrap()
            .contains("WRANGLER_DOCKER_BIN"),
        "{}",
        run.stdout
    );
    assert_eq!(f.log(), "docker info\n", "wrangler never ran");

    // A --root that is not a directory is a usage error, as a JSON record under --format json.
    let f = Fakes::new();
    let run = lunora_in(
        elsewhere.path(),
        &[
            "containers",
            "list",
            "--format",
            "json",
            "--root",
            "/nonexistent/lunora",
        ],
        &f.envs(),
    );
    run.assert_code(2);
    let records = json_lines(&run.stdout);
    assert_eq!(records[0]["code"], "lunora/usage", "{}", run.stdout);
    assert!(records[0]["message"]
        .as_str()
        .unwrap()
        .contains("/nonexistent/lunora"));
    assert_eq!(f.log(), "");

    // An unknown format is a usage error too, in the format written before `containers`.
    let run = lunora_in(
        elsewhere.path(),
        &["--format", "json", "containers", "list", "--format", "yaml"],
        &f.envs(),
    );
    run.assert_code(2);
    assert_eq!(json_lines(&run.stdout)[0]["code"], "lunora/usage");

    // Flags that only start like lunora's are wrangler's.
    let f = Fakes::new();
    p.lunora_env(
        &["containers", "list", "--rooted", "--formats=1", "-v"],
        &f.envs(),
    )
    .assert_code(0);
    assert_eq!(
        f.log(),
        "wrangler containers list --rooted --formats=1 -v\n"
    );
}

#[test]
fn containers_build_and_push_preflight_docker() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new();
    p.lunora_env(
        &[
            "containers",
            "build",
            "./containers/transcoder",
            "--tag",
            "transcoder:v1",
            "--push",
        ],
        &f.envs(),
    )
    .assert_code(0);
    p.lunora_env(&["containers", "push", "transcoder:v1"], &f.envs())
        .assert_code(0);
    assert_eq!(
        f.log(),
        "docker info\nwrangler containers build ./containers/transcoder --tag transcoder:v1 --push\ndocker info\nwrangler containers push transcoder:v1\n"
    );

    let f = Fakes::new().set("FAKE_DOCKER_EXIT", "1");
    let run = p.lunora_env(&["containers", "push", "transcoder:v1"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stderr.contains("start Docker Desktop or Colima"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("WRANGLER_DOCKER_BIN"), "{}", run.stderr);
    assert_eq!(f.log(), "docker info\n");
}

#[test]
fn containers_prefers_the_project_wrangler() {
    let p = TempProject::example_bare("transcoder");
    write_script(
        &p.path().join("node_modules/.bin/wrangler"),
        r#"printf 'local-wrangler %s\n' "$*" >> "$FAKE_LOG"; exit 6"#,
    );
    let f = Fakes::new();
    p.lunora_env(&["containers", "list"], &f.envs())
        .assert_code(6);
    assert_eq!(f.log(), "local-wrangler containers list\n");
}

#[test]
fn completions_for_each_shell() {
    let p = TempProject::empty();
    for (shell, marker) in [
        ("bash", "_lunora()"),
        ("zsh", "#compdef lunora"),
        ("fish", "complete -c lunora"),
    ] {
        let run = p.lunora(&["completions", shell]);
        run.assert_code(0);
        assert!(run.stdout.contains(marker), "{shell}: {}", run.stdout);
        assert!(
            run.stdout.contains("deploy") && run.stdout.contains("lunora-container"),
            "{shell}"
        );
    }
}

#[test]
fn every_command_has_an_example_in_its_help() {
    let p = TempProject::empty();
    for cmd in [
        vec!["--help"],
        vec!["codegen", "--help"],
        vec!["dev", "--help"],
        vec!["deploy", "--help"],
        vec!["doctor", "--help"],
        vec!["generate", "--help"],
        vec!["generate", "lunora-container", "--help"],
        vec!["containers", "--help"],
        vec!["completions", "--help"],
    ] {
        let run = p.lunora(&cmd);
        run.assert_code(0);
        assert!(
            run.stdout.contains("Examples:\n  lunora "),
            "{cmd:?}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn unknown_flags_get_a_suggestion_and_exit_2() {
    let p = TempProject::empty();
    let run = p.lunora(&["deploy", "--dry-rn"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--dry-run"), "{}", run.stderr);
}

/// A directory nothing can be created in, even by root (the immutable attribute), for as long
/// as this lives. Panics when the file system cannot do that: the test must not pass vacuously.
struct Immutable(std::path::PathBuf);

impl Immutable {
    const FS_IOC_GETFLAGS: libc::c_ulong = 0x8008_6601;
    const FS_IOC_SETFLAGS: libc::c_ulong = 0x4008_6602;
    const FS_IMMUTABLE_FL: libc::c_long = 0x10;

    fn set(dir: &std::path::Path, on: bool) -> std::io::Result<()> {
        use std::os::fd::AsRawFd;
        let f = std::fs::File::open(dir)?;
        let mut flags: libc::c_long = 0;
        unsafe {
            if libc::ioctl(f.as_raw_fd(), Self::FS_IOC_GETFLAGS, &mut flags) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            flags = if on {
                flags | Self::FS_IMMUTABLE_FL
            } else {
                flags & !Self::FS_IMMUTABLE_FL
            };
            if libc::ioctl(f.as_raw_fd(), Self::FS_IOC_SETFLAGS, &flags) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        Ok(())
    }

    fn new(dir: &std::path::Path) -> Immutable {
        std::fs::create_dir_all(dir).unwrap();
        if Self::set(dir, true).is_err() {
            // Not root: permissions do the same.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        assert!(
            std::fs::write(dir.join("probe"), "x").is_err(),
            "cannot make {} unwritable here",
            dir.display()
        );
        Immutable(dir.to_path_buf())
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Self::set(&self.0, false);
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
    }
}

fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn write_failure_is_a_json_record_under_format_json() {
    let p = TempProject::example_bare("transcoder");
    let _lock = Immutable::new(&p.path().join("lunora/_generated"));
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(1);
    let records = json_lines(&run.stdout);
    let failed = records
        .iter()
        .find(|r| r["code"] == "lunora/write-failed")
        .unwrap_or_else(|| panic!("no lunora/write-failed record in\n{}", run.stdout));
    assert_eq!(failed["severity"], "error");
    assert!(
        failed["message"]
            .as_str()
            .unwrap()
            .contains("lunora/_generated"),
        "{failed}"
    );
    assert!(
        !records.iter().any(|r| r["code"] == "lunora/wrote"),
        "nothing may be reported as written:\n{}",
        run.stdout
    );
    // Human: an `error:` line, exit 1.
    let run = p.lunora(&["codegen"]);
    run.assert_code(1);
    assert!(run.stderr.contains("error: "), "{}", run.stderr);
}

#[test]
fn other_errors_are_json_records_and_github_annotations_too() {
    let p = TempProject::example_bare("transcoder");
    // No wrangler anywhere: `containers list` fails before it starts.
    let f = Fakes::new().set("PATH", "/nonexistent");
    let run = p.lunora_env(&["--format", "json", "containers", "list"], &f.envs());
    run.assert_code(1);
    let records = json_lines(&run.stdout);
    assert_eq!(records.len(), 1, "{}", run.stdout);
    assert_eq!(records[0]["severity"], "error");
    assert_eq!(records[0]["code"], "lunora/error");
    assert!(
        records[0]["message"]
            .as_str()
            .unwrap()
            .contains("`wrangler` was not found"),
        "{}",
        run.stdout
    );
    let run = p.lunora_env(&["--format", "github", "containers", "list"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stdout
            .starts_with("::error title=lunora/error::`wrangler` was not found"),
        "{}",
        run.stdout
    );
    // A usage error under --format json is a record too (and exit 2).
    let run = p.lunora(&["--format", "json", "codegen", "--chek"]);
    run.assert_code(2);
    let records = json_lines(&run.stdout);
    assert_eq!(records[0]["code"], "lunora/usage", "{}", run.stdout);
    assert!(
        records[0]["message"].as_str().unwrap().contains("--chek"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_progress_records_for_each_kind_of_change() {
    let p = TempProject::example_bare("transcoder");
    // A config with nothing wired, but one field that will be updated on the second run.
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let first = json_lines(&run.stdout);
    let codes: Vec<&str> = first.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"lunora/wrote"), "{codes:?}");
    let wrote = first.iter().find(|r| r["code"] == "lunora/wrote").unwrap();
    assert_eq!(wrote["severity"], "info");
    assert_eq!(wrote["file"], "lunora/_generated/containers.ts");
    assert_eq!(wrote["message"], "wrote lunora/_generated/containers.ts");
    // The example's config is already wired: its entries are unchanged, and reported so.
    let unchanged = first
        .iter()
        .find(|r| r["code"] == "wrangler/unchanged")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(unchanged["file"], "wrangler.jsonc");

    // Nothing changed: every item is reported unchanged (JSON always lists them).
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let again = json_lines(&run.stdout);
    for file in [
        "lunora/_generated/containers.ts",
        "lunora/_generated/containerHandles.ts",
    ] {
        assert!(
            again
                .iter()
                .any(|r| r["code"] == "lunora/unchanged" && r["file"] == file),
            "{file}: {}",
            run.stdout
        );
    }
    assert!(
        !again.iter().any(|r| r["code"] == "lunora/wrote"),
        "{}",
        run.stdout
    );

    // A drifted field is updated.
    let ts = p
        .read("lunora/containers.ts")
        .replace("maxInstances: 5", "maxInstances: 6");
    p.write("lunora/containers.ts", &ts);
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let second = json_lines(&run.stdout);
    let updated = second
        .iter()
        .find(|r| r["code"] == "wrangler/updated")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(updated["file"], "wrangler.jsonc");
    assert!(
        updated["message"].as_str().unwrap().starts_with("updated "),
        "{updated}"
    );

    // A config with nothing wired gets entries added.
    p.write(
        "wrangler.jsonc",
        "{\n  \"name\": \"x\",\n  \"main\": \"src/server/index.ts\",\n  \"compatibility_date\": \"2026-04-01\"\n}\n",
    );
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let third = json_lines(&run.stdout);
    let added = third
        .iter()
        .find(|r| r["code"] == "wrangler/added")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(added["severity"], "info");
    assert_eq!(added["file"], "wrangler.jsonc");
    // Every line is a record; the summary goes to stderr.
    assert!(
        run.stderr.contains("lunora: 1 container (transcoder)"),
        "{}",
        run.stderr
    );
}

#[test]
fn github_format_annotates_file_line_and_column() {
    let p = TempProject::example_bare("transcoder");
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("sleepAfter: \"5m\"", "sleepAfter: \"5 minutes\""),
    );
    let line = p
        .read("lunora/containers.ts")
        .lines()
        .position(|l| l.contains("5 minutes"))
        .unwrap()
        + 1;
    let run = p.lunora(&["codegen", "--format", "github"]);
    run.assert_code(1);
    let annotation = run
        .stdout
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        annotation.starts_with(&format!(
            "::error file=lunora/containers.ts,line={line},col="
        )),
        "{annotation}"
    );
    assert!(
        annotation.contains(",title=containers/invalid-duration::"),
        "{annotation}"
    );
    // Warnings and infos are annotations too; progress stays off stdout.
    let p = TempProject::example_bare("transcoder");
    let run = p.lunora(&["codegen", "--format", "github"]);
    run.assert_code(0);
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("::notice ") || l.starts_with("::warning ")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "::notice file=lunora/containers.ts,line=4,col=14,title=container_public_internet::"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn check_in_github_format_annotates_each_stale_file() {
    let p = TempProject::example_bare("transcoder");
    p.lunora(&["codegen"]).assert_code(0);
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("maxInstances: 5", "maxInstances: 7"),
    );
    let run = p.lunora(&["codegen", "--check", "--format", "github"]);
    run.assert_code(1);
    // Each stale file, at its first changed line.
    let config_line = p
        .read("wrangler.jsonc")
        .lines()
        .position(|l| l.contains("\"max_instances\": 5"))
        .unwrap()
        + 1;
    for (file, line) in [
        ("lunora/_generated/containers.ts", None),
        ("lunora/_generated/containerHandles.ts", None),
        ("wrangler.jsonc", Some(config_line)),
    ] {
        let annotation = run
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("::error file={file},")))
            .unwrap_or_else(|| panic!("no annotation for {file}:\n{}", run.stdout));
        assert!(annotation.contains(",title=lunora/stale::"), "{annotation}");
        assert!(
            annotation.ends_with(&format!(
                "::{file} is out of date%0Ahelp: run `lunora codegen` and commit the result"
            )),
            "{annotation}"
        );
        if let Some(line) = line {
            assert!(
                annotation.starts_with(&format!("::error file={file},line={line},col=")),
                "{annotation}"
            );
        }
    }
    assert!(
        !run.stdout.contains("::error file=lunora/containers.ts,"),
        "only stale files are annotated:\n{}",
        run.stdout
    );
    // The diff goes to stderr, so stdout holds annotations only.
    assert!(run.stderr.contains("+  { binding"), "{}", run.stderr);
    assert!(
        run.stdout.lines().all(|l| l.starts_with("::")),
        "{}",
        run.stdout
    );
}

#[test]
fn quiet_by_default_verbose_lists_unchanged_items() {
    let p = TempProject::example_bare("transcoder");
    let first = p.lunora(&["codegen"]);
    first.assert_code(0);
    assert!(
        first
            .stdout
            .contains("     wrote lunora/_generated/containers.ts\n"),
        "{}",
        first.stdout
    );
    assert!(!first.stdout.contains("unchanged"), "{}", first.stdout);
    assert!(
        first
            .stdout
            .ends_with("lunora: 1 container (transcoder): 3 generated files written\n"),
        "{}",
        first.stdout
    );
    let second = p.lunora(&["codegen"]);
    second.assert_code(0);
    assert_eq!(
        second.stdout, "lunora: 1 container (transcoder): up to date\n",
        "nothing changed, one summary line"
    );
    let verbose = p.lunora(&["codegen", "-v"]);
    verbose.assert_code(0);
    assert!(
        verbose
            .stdout
            .contains(" unchanged lunora/_generated/containers.ts\n"),
        "{}",
        verbose.stdout
    );
    assert!(
        verbose
            .stdout
            .contains(" unchanged wrangler.jsonc: containers[] entry for TranscoderContainer\n"),
        "{}",
        verbose.stdout
    );
    let long = p.lunora(&["codegen", "--verbose"]);
    assert_eq!(long.stdout, verbose.stdout);
}

#[test]
fn human_progress_escapes_control_characters() {
    let p = TempProject::example_bare("transcoder");
    // A container `name` with a C1 control (CSI) and a bidi override ends up in a progress
    // detail (`name "…" added`); JSON quoting does not escape either.
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts").replace(
            "maxInstances: 5,",
            "maxInstances: 5,\n  name: \"tc\\u009b31m\\u202eevil\",",
        ),
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    let all = run.all();
    assert!(
        all.contains("name \"tc\\u{9b}31m\\u{202e}evil\" added"),
        "{all:?}"
    );
    assert!(
        !all.contains('\u{9b}') && !all.contains('\u{202e}'),
        "{all:?}"
    );
}

#[test]
fn watch_stamps_each_run_with_the_time() {
    let p = TempProject::example_bare("transcoder");
    let mut w = crate::support::Background::spawn(p.lunora_command(&["codegen", "--watch"], &[]));
    w.wait_for("the first run", |w| w.output().contains("watching"));
    p.save(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("maxInstances: 5", "maxInstances: 6"),
    );
    w.wait_for("a regeneration", |w| w.output().contains("regenerated in"));
    assert_eq!(w.signal_and_wait(libc::SIGTERM), 0);
    let out = w.output();
    let stamped = |needle: &str| {
        out.lines().any(|l| {
            let b = l.as_bytes();
            l.contains(needle)
                && b.len() > 11
                && b[0] == b'['
                && b[3] == b':'
                && b[6] == b':'
                && b[9] == b']'
                && [1, 2, 4, 5, 7, 8].iter().all(|&i| b[i].is_ascii_digit())
        })
    };
    assert!(stamped("lunora: generated in"), "{out}");
    assert!(stamped("lunora: regenerated in"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    let p = TempProject::example_bare("transcoder");
    let before = p.snapshot();
    for args in [
        &["generate", "lunora-container", "--name=a/b"][..],
        &["generate", "lunora-container", "--name=class"][..],
        &["generate", "lunora-container", "--name="][..],
        &["frobnicate"][..],
        &["containers", "frobnicate"][..],
        &["containers", "images", "frobnicate"][..],
        &["containers"][..],
        &["codegen", "--check", "--watch"][..],
    ] {
        let run = p.lunora(args);
        run.assert_code(2);
        assert!(run.stderr.contains("error"), "{args:?}: {}", run.stderr);
    }
    assert!(p.snapshot() == before, "a usage error wrote something");
    // A bad name says why.
    let run = p.lunora(&["generate", "lunora-container", "--name=a/b"]);
    assert!(
        run.stderr.contains("without path separators"),
        "{}",
        run.stderr
    );
    // --root that is not a directory.
    let file = p.path().join("wrangler.jsonc");
    for root in [file.as_path(), &p.path().join("missing")] {
        let run = crate::support::Run::from(
            std::process::Command::new(env!("CARGO_BIN_EXE_lunora"))
                .arg("--root")
                .arg(root)
                .arg("codegen")
                .output()
                .unwrap(),
        );
        run.assert_code(2);
        assert!(run.stderr.contains("--root"), "{}", run.stderr);
    }
    // An existing container name is not a usage error: the arguments are fine, the project is not.
    let run = p.lunora(&["generate", "lunora-container", "--name=transcoder"]);
    run.assert_code(1);
}

#[test]
fn completions_cover_every_subcommand_and_flag() {
    let p = TempProject::empty();
    let run = p.lunora(&["completions", "bash"]);
    run.assert_code(0);
    let bash = run.stdout;
    for word in [
        "codegen",
        "dev",
        "deploy",
        "doctor",
        "generate",
        "lunora-container",
        "containers",
        "build",
        "push",
        "images",
        "list",
        "delete",
        "info",
        "instances",
        "registries",
        "logs",
        "--follow",
        "--no-container-logs",
        "completions",
        "adopt",
        "rename",
        "remove",
        "--delete-data",
        "--check",
        "--watch",
        "--env",
        "--dry-run",
        "--name",
        "--port",
        "--root",
        "--format",
        "--verbose",
        "--help",
        "--version",
    ] {
        assert!(bash.contains(word), "bash completions miss `{word}`");
    }
    // What is offered after `lunora` and after `lunora containers` / `lunora containers images`.
    let offered = |words: &str| {
        bash.lines()
            .any(|l| l.trim().starts_with("opts=\"") && l.trim().ends_with(&format!("{words}\"")))
    };
    assert!(
        offered(
            "codegen dev deploy doctor generate adopt rename remove containers completions help"
        ),
        "{bash}"
    );
    assert!(
        offered("build push images list info instances delete registries logs help"),
        "{bash}"
    );
    assert!(offered("list delete help"), "{bash}");
    // The nested `containers images` level has its own completions.
    assert!(
        bash.contains("lunora__subcmd__containers__subcmd__images__subcmd__delete"),
        "{bash}"
    );
    let run = p.lunora(&["completions", "fish"]);
    let fish = run.stdout;
    assert!(
        fish.contains("__fish_seen_subcommand_from images"),
        "{fish}"
    );
    assert!(fish.contains("-a \"build\""), "{fish}");
    assert!(fish.contains("-a \"doctor\""), "{fish}");
}

#[test]
fn containers_build_and_push_inherit_the_terminal() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new().set("FAKE_STDIO_REPORT", "1");
    for args in [
        &[
            "containers",
            "build",
            "./containers/transcoder",
            "-t",
            "t:1",
            "--push",
        ][..],
        &["containers", "push", "t:1"][..],
        &["containers", "images", "list"][..],
    ] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_lunora"));
        cmd.arg("--root")
            .arg(p.path())
            .args(args)
            .env("NO_COLOR", "1");
        for (k, v) in f.envs() {
            cmd.env(k, v);
        }
        let mut run = crate::support::OnPty::spawn(cmd, 24, 80);
        assert_eq!(run.wait(), 0, "{}", run.screen());
        let screen = run.screen();
        for fd in 0..3 {
            assert!(
                screen.contains(&format!("wrangler containers: fd {fd} is a terminal")),
                "{args:?} fd {fd}:\n{screen}"
            );
        }
    }
    // `--help` after a subcommand is wrangler's, passed through (no Docker preflight).
    let f = Fakes::new();
    p.lunora_env(&["containers", "build", "--help"], &f.envs())
        .assert_code(0);
    assert_eq!(f.log(), "wrangler containers build --help\n");
}
