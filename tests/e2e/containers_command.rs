//! `lunora containers`: wrangler's `containers` commands passed through verbatim (lunora's own
//! flags consumed wherever they stand), the Docker preflight of `build` and `push`, the
//! project's own wrangler preferred, and the terminal inherited.

use crate::migrations::json_records;
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
    let records = json_records(&run.stdout);
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
    let records = json_records(&run.stdout);
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
    assert_eq!(json_records(&run.stdout)[0]["code"], "lunora/usage");

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
