//! Completions, help (an example for every command) and usage errors (`lunora containers` is in
//! containers_command.rs, output formats in output_formats.rs).

use crate::support::TempProject;

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
fn help_shows_examples_for_each_command() {
    let p = TempProject::empty();
    for (cmd, example) in [
        ("adopt", "lunora adopt --dry-run"),
        ("rename", "lunora rename transcoder videoTranscoder"),
        ("remove", "lunora remove transcoder --delete-data"),
    ] {
        let run = p.lunora(&[cmd, "--help"]);
        run.assert_code(0);
        assert!(
            run.stdout.contains(example),
            "{cmd} --help:\n{}",
            run.stdout
        );
    }
    let completions = p.lunora(&["completions", "bash"]);
    completions.assert_code(0);
    for word in ["adopt", "rename", "remove", "--delete-data", "--dry-run"] {
        assert!(completions.stdout.contains(word), "completions lack {word}");
    }
    let usage = p.lunora(&["rename", "only-one"]);
    usage.assert_code(2);
}
