//! `lunora dev` against fake dev servers: lifecycle lines rendered, other output untouched,
//! signals forwarded, the dev server's exit code kept, and the gates before it.

use crate::support::{write_script, Background, Fakes, OnPty, TempProject};
use std::process::Command;

const DEV_OUTPUT: &str = r#"Ready on http://localhost:8787
[wrangler:info] {"type":"container","container":"transcoder","instanceId":"a1b2c3d4e5f6a7b8","event":"start","level":"info","message":"started","timestamp":"2026-04-01T00:00:00.000Z"}
{"type":"container","container":"transcoder","instanceId":"a1b2c3d4e5f6a7b8","event":"error","level":"error","message":"exited unexpectedly","timestamp":"2026-04-01T00:00:01.000Z"}
{"type":"container","container":"transcoder","instanceId":"a1b2c3d4e5f6a7b8","event":"stop","level":"info","message":"stopped","detail":"exit code 137","exitCode":137,"timestamp":"2026-04-01T00:00:02.000Z"}
{"type":"container","container":"transcoder","instanceId":"a1b2c3d4e5f6a7b8","event":"stop","level":"info","message":"stopped","detail":"hard timeout (1h) reached","timestamp":"2026-04-01T00:00:03.000Z"}
{"type":"request","path":"/videos/1"}
  indented line, kept as is  
"#;

#[test]
fn dev_renders_lifecycle_lines_forwards_sigterm_and_keeps_the_exit_code() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new();
    let output = f.file("dev-output.txt", DEV_OUTPUT);
    let f = f
        .set("FAKE_DEV_OUTPUT", &output)
        .set("FAKE_DEV_SIGNAL_EXIT", "7");
    let mut dev = Background::spawn(p.lunora_command(&["dev", "--", "--port", "9999"], &f.envs()));
    dev.wait_for("the dev server", |d| {
        d.stdout.lock().unwrap().contains("fake dev ready")
    });
    let code = dev.signal_and_wait(libc::SIGTERM);
    let stdout = dev.stdout.lock().unwrap().clone();
    let stderr = dev.stderr.lock().unwrap().clone();
    assert_eq!(
        code, 7,
        "lunora dev exits with the dev server's code\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("\n[lunora] container:transcoder#a1b2c3d4 start\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n[lunora] container:transcoder#a1b2c3d4 error exited unexpectedly\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n[lunora] container:transcoder#a1b2c3d4 stop exit code 137\n"),
        "the stop's detail is kept: {stdout}"
    );
    assert!(
        stdout
            .contains("\n[lunora] container:transcoder#a1b2c3d4 stop hard timeout (1h) reached\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("\"type\":\"container\""), "{stdout}");
    assert!(
        stdout.contains("Ready on http://localhost:8787\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n{\"type\":\"request\",\"path\":\"/videos/1\"}\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n  indented line, kept as is  \n"),
        "{stdout}"
    );
    assert!(
        stderr.contains("wrangler dev: a line on stderr\n"),
        "stderr passes through to stderr: {stderr}"
    );
    assert!(!stdout.contains("a line on stderr"), "{stdout}");
    let log = f.log();
    assert!(log.contains("wrangler dev --port 9999\n"), "{log}");
    assert!(
        log.contains("wrangler got TERM\n"),
        "the signal reached the child: {log}"
    );
    assert!(
        p.exists("lunora/_generated/containers.ts"),
        "codegen ran first"
    );
}

#[test]
fn dev_regenerates_while_the_dev_server_runs() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new();
    let output = f.file("dev-output.txt", "ready\n");
    let f = f.set("FAKE_DEV_OUTPUT", &output);
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    // The fake handles SIGINT once it says it is ready.
    dev.wait_for("the watcher and the dev server", |d| {
        let out = d.output();
        out.contains("watching lunora/containers.ts") && out.contains("fake dev ready")
    });
    p.save(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("maxInstances: 5", "maxInstances: 6"),
    );
    dev.wait_for("regeneration", |_| {
        p.read("wrangler.jsonc").contains("\"max_instances\": 6")
    });
    assert_eq!(dev.signal_and_wait(libc::SIGINT), 0);
    assert!(f.log().contains("wrangler got INT"), "{}", f.log());
}

#[test]
fn dev_exits_with_the_code_of_a_dev_server_that_stops_by_itself() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new().set("FAKE_WRANGLER_EXIT", "4");
    let run = p.lunora_env(&["dev"], &f.envs());
    run.assert_code(4);
}

#[test]
fn dev_warns_without_docker_and_says_how_to_run_without_containers() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new().set("FAKE_DOCKER_EXIT", "1");
    let run = p.lunora_env(&["dev"], &f.envs());
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("warning[doctor/docker]: no Docker engine answered"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "to run without containers meanwhile: `lunora dev -- --enable-containers=false`"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(f.log(), "docker info\nwrangler dev\n");
}

#[test]
fn dev_says_nothing_about_docker_when_containers_are_turned_off() {
    let p = TempProject::example_bare("transcoder");
    for args in [
        &["dev", "--", "--enable-containers=false"][..],
        &[
            "dev",
            "--",
            "--port",
            "8788",
            "--enable-containers",
            "false",
        ][..],
        &["dev", "--", "--no-enable-containers"][..],
    ] {
        let f = Fakes::new().set("FAKE_DOCKER_EXIT", "1");
        let run = p.lunora_env(args, &f.envs());
        run.assert_code(0);
        assert!(!run.all().contains("Docker"), "{args:?}: {}", run.all());
        assert!(!run.all().contains("doctor/"), "{args:?}: {}", run.all());
        assert!(!f.log().contains("docker info"), "{args:?}: {}", f.log());
        assert!(f.log().starts_with("wrangler dev "), "{}", f.log());
    }
    // `"dev": { "enable_containers": false }` in the wrangler config turns them off too.
    p.write(
        "wrangler.jsonc",
        &p.read("wrangler.jsonc").replace(
            "\"observability\": {",
            "\"dev\": { \"enable_containers\": false },\n  \"observability\": {",
        ),
    );
    let f = Fakes::new().set("FAKE_DOCKER_EXIT", "1");
    let run = p.lunora_env(&["dev"], &f.envs());
    run.assert_code(0);
    assert!(!run.all().contains("Docker"), "{}", run.all());
    assert_eq!(f.log(), "wrangler dev\n");
}

#[test]
fn dev_without_docker_in_a_vite_project_points_at_the_config_setting() {
    let p = TempProject::example_bare("transcoder");
    p.write("vite.config.ts", "export default {};\n");
    let f = Fakes::new().set("FAKE_DOCKER_EXIT", "1");
    let run = p.lunora_env(&["dev"], &f.envs());
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("set `\"dev\": { \"enable_containers\": false }` in the wrangler config"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("--enable-containers"),
        "{}",
        run.stderr
    );
}

#[test]
fn dev_prints_only_the_prerequisites_that_fail_every_one_of_them() {
    // All in place: no prerequisite is mentioned.
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new();
    let run = p.lunora_env(&["dev"], &f.envs());
    run.assert_code(0);
    assert!(!run.all().contains("doctor/"), "{}", run.all());
    assert!(!run.all().contains("Node"), "{}", run.all());

    // No Docker and no packages: both reported, and the dev server still starts.
    std::fs::remove_dir_all(p.path().join("node_modules")).unwrap();
    let f = Fakes::new().set("FAKE_DOCKER_EXIT", "1");
    let run = p.lunora_env(&["dev"], &f.envs());
    run.assert_code(0);
    assert!(
        run.stderr.contains("warning[doctor/docker]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning[doctor/packages]: @lunora/container and @cloudflare/containers are not installed"),
        "{}",
        run.stderr
    );
    // package.json declares @lunora/container: only the undeclared one is added, at the range
    // @lunora/container supports (a bare name would take the newest release).
    assert!(
        run.stderr
            .contains("`npm i '@cloudflare/containers@>=0.3.7 <0.4'`"),
        "{}",
        run.stderr
    );
    assert!(f.log().ends_with("wrangler dev\n"), "{}", f.log());
}

#[test]
fn dev_is_silent_about_docker_for_registry_only_projects() {
    let p = TempProject::example_bare("transcoder");
    let ts = p.read("lunora/containers.ts").replace(
        "image: \"./containers/transcoder\"",
        "image: { registry: \"docker.io/acme/transcoder:1.4\" }",
    );
    p.write("lunora/containers.ts", &ts);
    let f = Fakes::new().set("FAKE_DOCKER_EXIT", "1");
    let run = p.lunora_env(&["dev"], &f.envs());
    run.assert_code(0);
    assert!(!run.all().contains("Docker engine"), "{}", run.all());
    assert_eq!(f.log(), "wrangler dev\n");
}

#[test]
fn dev_reminds_about_a_missing_reexport() {
    let p = TempProject::example_bare("transcoder");
    let entry = p.read("src/server/index.ts").replace(
        "export * from \"../../lunora/_generated/containers\";\n",
        "",
    );
    p.write("src/server/index.ts", &entry);
    let f = Fakes::new();
    let run = p.lunora_env(&["dev"], &f.envs());
    run.assert_code(0);
    assert!(
        run.stderr.contains("lunora/missing-reexport"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("export * from \"../../lunora/_generated/containers\";"),
        "{}",
        run.stderr
    );
}

#[test]
fn dev_stops_on_codegen_errors_without_spawning() {
    let p = TempProject::example_bare("transcoder");
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("sleepAfter: \"5m\"", "sleepAfter: \"5 minutes\""),
    );
    let f = Fakes::new();
    p.lunora_env(&["dev"], &f.envs()).assert_code(1);
    assert_eq!(f.log(), "");
}

#[test]
fn dev_runs_vite_in_a_vite_project_preferring_node_modules_bin() {
    let p = TempProject::example_bare("transcoder");
    p.write("vite.config.ts", "export default {};\n");
    let f = Fakes::new();
    p.lunora_env(&["dev", "--", "--host"], &f.envs())
        .assert_code(0);
    assert_eq!(f.log(), "docker info\nvite dev --host\n");

    write_script(
        &p.path().join("node_modules/.bin/vite"),
        r#"printf 'local-vite %s\n' "$*" >> "$FAKE_LOG""#,
    );
    write_script(
        &p.path().join("node_modules/.bin/wrangler"),
        r#"printf 'local-wrangler %s\n' "$*" >> "$FAKE_LOG""#,
    );
    let f = Fakes::new();
    p.lunora_env(&["dev"], &f.envs()).assert_code(0);
    assert_eq!(f.log(), "docker info\nlocal-vite dev\n");

    std::fs::remove_file(p.path().join("vite.config.ts")).unwrap();
    let f = Fakes::new();
    p.lunora_env(&["dev"], &f.envs()).assert_code(0);
    assert_eq!(f.log(), "docker info\nlocal-wrangler dev\n");
}

#[test]
fn dev_exits_128_plus_the_signal_that_killed_the_dev_server() {
    let p = TempProject::example_bare("transcoder");
    write_script(
        &p.path().join("node_modules/.bin/wrangler"),
        "kill -KILL $$",
    );
    let f = Fakes::new();
    p.lunora_env(&["dev"], &f.envs())
        .assert_code(128 + libc::SIGKILL);
}

#[test]
fn dev_warns_that_cloudflare_registry_images_cannot_run_locally() {
    let p = TempProject::example_bare("transcoder");
    let ts = p.read("lunora/containers.ts").replace(
        "image: \"./containers/transcoder\"",
        "image: { registry: \"registry.cloudflare.com/acme/transcoder:1\" }",
    );
    p.write("lunora/containers.ts", &ts);
    let f = Fakes::new();
    let run = p.lunora_env(&["dev"], &f.envs());
    run.assert_code(0);
    assert!(run.stderr.contains("warning: `transcoder` uses registry.cloudflare.com/acme/transcoder:1: local dev cannot pull"), "{}", run.all());
}

/// `lunora dev` on a terminal, as a user runs it: the test is the terminal (a pty).
fn dev_on_a_terminal(p: &TempProject, f: &Fakes, no_color: bool) -> OnPty {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lunora"));
    cmd.arg("--root").arg(p.path()).arg("dev");
    for (k, v) in f.envs() {
        cmd.env(k, v);
    }
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    OnPty::spawn(cmd, 24, 80)
}

#[test]
fn dev_on_a_terminal_gives_wrangler_a_terminal_keys_resizes_and_rewritten_lines() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new();
    let output = f.file("dev-output.txt", DEV_OUTPUT);
    let f = f
        .set("FAKE_DEV_TTY", "1")
        .set("FAKE_DEV_OUTPUT", &output)
        .set("FAKE_DEV_SIGNAL_EXIT", "7");
    let mut dev = dev_on_a_terminal(&p, &f, false);
    let before = {
        // The terminal as the user's shell left it (cooked: line editing, echo, signal keys).
        let t = dev.termios();
        assert_ne!(t.c_lflag & libc::ICANON, 0);
        t
    };
    dev.wait_for("[x] to exit");
    let screen = dev.screen();
    // wrangler runs on a terminal, of the user's size, so it shows its shortcuts.
    assert!(screen.contains("fake: stdin is a terminal\n"), "{screen}");
    assert!(screen.contains("fake: stdout is a terminal\n"), "{screen}");
    assert!(screen.contains("fake: size 24 80\n"), "{screen}");
    // Lifecycle lines are still rewritten as they pass, detail included; others untouched.
    assert!(
        screen.contains("\n[lunora] container:transcoder#a1b2c3d4 stop exit code 137\n"),
        "{screen}"
    );
    assert!(
        screen
            .contains("\n[lunora] container:transcoder#a1b2c3d4 stop hard timeout (1h) reached\n"),
        "{screen}"
    );
    assert!(
        screen.contains("\n[lunora] container:transcoder#a1b2c3d4 start\n"),
        "{screen}"
    );
    // On a terminal without NO_COLOR, `error` is red.
    assert!(
        screen.contains(
            "[lunora] container:transcoder#a1b2c3d4 \x1b[1;31merror\x1b[0m exited unexpectedly\n"
        ),
        "{screen:?}"
    );
    assert!(!screen.contains("\"type\":\"container\""), "{screen}");
    assert!(
        screen.contains("\n  indented line, kept as is  \n"),
        "{screen}"
    );

    // lunora's terminal is raw while wrangler runs: one key, without Enter, reaches wrangler.
    let raw = dev.termios();
    assert_eq!(raw.c_lflag & (libc::ICANON | libc::ECHO | libc::ISIG), 0);
    dev.send(b"r");
    dev.wait_for("fake: got key r\n");

    // A resize reaches wrangler's terminal.
    dev.resize(40, 100);
    dev.wait_for("fake: size 40 100\n");

    // Ctrl-C is a key like any other: wrangler's terminal turns it into SIGINT for wrangler.
    dev.send(b"\x03");
    let code = dev.wait();
    assert_eq!(
        code,
        7,
        "lunora exits with wrangler's code\n{}",
        dev.screen()
    );
    assert!(f.log().contains("wrangler got INT\n"), "{}", f.log());

    // The terminal is restored.
    let after = dev.termios();
    assert_eq!(after.c_lflag, before.c_lflag);
    assert_eq!(after.c_iflag, before.c_iflag);
}

#[test]
fn dev_on_a_terminal_restores_it_when_lunora_is_terminated() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new()
        .set("FAKE_DEV_TTY", "1")
        .set("FAKE_DEV_SIGNAL_EXIT", "0");
    let mut dev = dev_on_a_terminal(&p, &f, true);
    let before = dev.termios();
    dev.wait_for("[x] to exit");
    // (The fake reacts to signals between commands: let it finish reading its key first.)
    dev.send(b"x");
    dev.wait_for("fake: got key x");
    unsafe {
        libc::kill(dev.child.id() as i32, libc::SIGTERM);
    }
    assert_eq!(dev.wait(), 0);
    assert!(f.log().contains("wrangler got TERM\n"), "{}", f.log());
    let after = dev.termios();
    assert_eq!(after.c_lflag, before.c_lflag);
    assert_eq!(after.c_iflag, before.c_iflag);
}

#[test]
fn dev_on_a_terminal_respects_no_color_and_escapes_control_characters() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new();
    let output = f.file(
        "dev-output.txt",
        "{\"type\":\"container\",\"container\":\"transcoder\",\"instanceId\":\"a1b2c3d4e5f6a7b8\",\"event\":\"error\",\"detail\":\"boom \\u001b]52;c;aGk=\\u0007 done\"}\n",
    );
    let f = f.set("FAKE_DEV_TTY", "1").set("FAKE_DEV_OUTPUT", &output);
    let dev = dev_on_a_terminal(&p, &f, true);
    dev.wait_for("[x] to exit");
    let screen = dev.screen();
    assert!(
        screen.contains(
            "[lunora] container:transcoder#a1b2c3d4 error boom \\u{1b}]52;c;aGk=\\u{7} done\n"
        ),
        "{screen:?}"
    );
    assert!(!screen.contains("\x1b]52"), "{screen:?}");
    assert!(!screen.contains("\x1b[1;31m"), "NO_COLOR: {screen:?}");
}

#[test]
fn dev_off_a_terminal_gives_wrangler_pipes_as_before() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new().set("FAKE_DEV_TTY", "1");
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    dev.wait_for("the dev server", |d| d.output().contains("fake: got key"));
    let out = dev.output();
    assert!(out.contains("fake: stdin is not a terminal"), "{out}");
    assert!(out.contains("fake: stdout is not a terminal"), "{out}");
    assert_eq!(dev.signal_and_wait(libc::SIGTERM), 0);
}

/// Issue 24: a save that made wrangler exit (a definition `defineContainer` rejects at module
/// load, "The Workers runtime failed to start") ended the whole `lunora dev` session with exit 1.
#[test]
fn dev_session_survives_a_save_that_stops_the_dev_server_and_restarts_after_the_fix() {
    let p = TempProject::example_bare("transcoder");
    // A dev server that, like wrangler 4.86, exits 1 when it reloads a definition that throws
    // at module load, and stays up otherwise.
    write_script(
        &p.path().join("node_modules/.bin/wrangler"),
        r#"printf 'wrangler %s\n' "$*" >> "$FAKE_LOG"
trap 'exit 0' INT TERM
echo "fake dev ready"
while :; do
  if grep -q sleepAftr lunora/containers.ts; then
    echo "The Workers runtime failed to start" >&2
    exit 1
  fi
  sleep 0.05
done"#,
    );
    let f = Fakes::new();
    let original = p.read("lunora/containers.ts");
    let typo = original.replacen(
        "defineContainer({",
        "defineContainer({\n  sleepAftr: \"3s\",",
        1,
    );
    assert_ne!(typo, original);
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    // Saved once the watcher is up (a save before it is not seen, as before).
    dev.wait_for("the dev server and the watcher", |d| {
        let out = d.stdout.lock().unwrap();
        out.contains("fake dev ready") && out.contains("lunora: watching lunora/containers.ts")
    });
    p.save("lunora/containers.ts", &typo);
    dev.wait_for("the session to go on", |d| {
        d.stdout.lock().unwrap().contains(
            "lunora: the dev server stopped (exit code 1) after a change; the session goes on",
        )
    });
    assert!(dev
        .stderr
        .lock()
        .unwrap()
        .contains("error[containers/unknown-key]"));
    // Still waiting for a fix: no restart of a definition that would fail again.
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(f.log().matches("wrangler dev").count(), 1, "{}", f.log());
    p.save("lunora/containers.ts", &original);
    dev.wait_for("the restart", |d| {
        d.stdout.lock().unwrap().matches("fake dev ready").count() == 2
    });
    assert_eq!(dev.signal_and_wait(libc::SIGINT), 0);
    assert_eq!(f.log().matches("wrangler dev").count(), 2, "{}", f.log());
}

/// A save made after dev's first codegen and before its watcher started was never seen: the
/// watcher took the saved file as already generated. (The Docker check runs in that window, so
/// a Docker CLI that saves the file makes the race certain.)
#[test]
fn dev_sees_a_save_made_before_its_watcher_started() {
    let p = TempProject::example_bare("transcoder");
    let docker = p.path().join("save-then-docker");
    write_script(
        &docker,
        &format!(
            "sed 's/maxInstances: 5/maxInstances: 6/' '{root}/lunora/containers.ts' > '{root}/c.tmp'\n\
             mv '{root}/c.tmp' '{root}/lunora/containers.ts'\nexit 0",
            root = p.path().display()
        ),
    );
    let f = Fakes::new();
    let output = f.file("dev-output.txt", "ready\n");
    let f = f
        .set("FAKE_DEV_OUTPUT", &output)
        .set("WRANGLER_DOCKER_BIN", &docker.to_string_lossy());
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    dev.wait_for("the regeneration of the early save", |d| {
        p.read("wrangler.jsonc").contains("\"max_instances\": 6")
            && d.output().contains("fake dev ready")
    });
    assert!(p.read("lunora/containers.ts").contains("maxInstances: 6"));
    assert_eq!(dev.signal_and_wait(libc::SIGINT), 0);
    assert!(
        dev.output().contains("lunora: regenerated in"),
        "{}",
        dev.output()
    );
}

/// wrangler builds container images only when it starts: a save that changed what an image is
/// built from kept the old image running until the user restarted `lunora dev`.
#[test]
fn dev_restarts_the_dev_server_when_an_image_changes_but_not_for_other_fields() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new();
    let output = f.file("dev-output.txt", "ready\n");
    let f = f.set("FAKE_DEV_OUTPUT", &output);
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    dev.wait_for("the watcher and the dev server", |d| {
        let out = d.output();
        out.contains("watching lunora/containers.ts") && out.contains("fake dev ready")
    });
    let original = p.read("lunora/containers.ts");
    // Not an image change: regenerated, no restart.
    p.save(
        "lunora/containers.ts",
        &original.replace("maxInstances: 5", "maxInstances: 6"),
    );
    dev.wait_for("regeneration", |_| {
        p.read("wrangler.jsonc").contains("\"max_instances\": 6")
    });
    p.save(
        "lunora/containers.ts",
        &original.replace(
            "maxInstances: 5,",
            "maxInstances: 6,\n  buildArgs: { FLAVOUR: \"v2\" },",
        ),
    );
    dev.wait_for("the restarted dev server", |d| {
        d.stdout.lock().unwrap().matches("fake dev ready").count() == 2
    });
    let out = dev.output();
    assert!(
        out.contains("lunora: restarting the dev server: `transcoder`'s image changed, and container images are built only when it starts"),
        "{out}"
    );
    assert_eq!(out.matches("restarting the dev server").count(), 1, "{out}");
    assert_eq!(dev.signal_and_wait(libc::SIGINT), 0);
}

/// With containers off there are no images to build: a changed image is only regenerated.
#[test]
fn dev_with_containers_off_does_not_restart_for_an_image_change() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new();
    let output = f.file("dev-output.txt", "ready\n");
    let f = f.set("FAKE_DEV_OUTPUT", &output);
    let mut dev =
        Background::spawn(p.lunora_command(&["dev", "--", "--enable-containers=false"], &f.envs()));
    dev.wait_for("the watcher and the dev server", |d| {
        let out = d.output();
        out.contains("watching lunora/containers.ts") && out.contains("fake dev ready")
    });
    p.save(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts").replace(
            "maxInstances: 5,",
            "maxInstances: 5,\n  buildArgs: { FLAVOUR: \"v2\" },",
        ),
    );
    dev.wait_for("regeneration", |d| {
        d.output().contains("lunora: regenerated in")
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(dev.signal_and_wait(libc::SIGINT), 0);
    assert!(
        !dev.output().contains("restarting the dev server"),
        "{}",
        dev.output()
    );
    assert_eq!(f.log().matches("wrangler dev").count(), 1, "{}", f.log());
}
