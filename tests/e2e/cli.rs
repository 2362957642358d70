//! `lunora containers` pass-through, completions, help and usage errors.

use crate::support::{write_script, Fakes, TempProject};

#[test]
fn containers_passes_arguments_verbatim_and_keeps_the_exit_code() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new().set("FAKE_LOG_CWD", "1");
    p.lunora_env(
        &["containers", "images", "list", "--json", "--root", "x"],
        &f.envs(),
    )
    .assert_code(0);
    assert_eq!(
        f.log(),
        format!(
            "wrangler containers images list --json --root x\ncwd {}\n",
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
