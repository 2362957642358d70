//! `lunora containers logs NAME [--follow]` and the container output inside `lunora dev`,
//! against the fake `docker` (tests/fakes/docker): which instances are read, how their lines are
//! tagged, and what happens without an engine.

use crate::support::{Background, Fakes, TempProject};

const ID: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
const OTHER_ID: &str = "ffffffff00000000ffffffff00000000ffffffff00000000ffffffff00000000";

/// The names `docker ps` lists: one instance of the example's transcoder, its egress sidecar,
/// and the same class in another worker.
fn ps() -> String {
    format!(
        "workerd-lunora-transcoder-example-TranscoderContainer-{ID}\n\
         workerd-lunora-transcoder-example-TranscoderContainer-{ID}-proxy\n\
         workerd-someone-else-TranscoderContainer-{OTHER_ID}\n"
    )
}

fn fakes_with_one_instance() -> Fakes {
    let f = Fakes::new();
    let ps = f.file("ps.txt", &ps());
    let out = f.file("out.txt", "listening on 8080\n\x1b]52;c;aGk=\x07sneaky\n");
    let err = f.file("err.txt", "warning: low disk\n");
    f.set("FAKE_DOCKER_PS", &ps)
        .set("FAKE_DOCKER_LOGS_OUT", &out)
        .set("FAKE_DOCKER_LOGS_ERR", &err)
}

#[test]
fn containers_logs_shows_the_named_containers_instances_tagged_with_stderr_marked() {
    let p = TempProject::example_bare("transcoder");
    let f = fakes_with_one_instance();
    let run = p.lunora_env(&["containers", "logs", "transcoder"], &f.envs());
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("[lunora] container:transcoder#a1b2c3d4 | listening on 8080\n"),
        "{}",
        run.all()
    );
    assert!(
        run.stdout
            .contains("[lunora] container:transcoder#a1b2c3d4 stderr | warning: low disk\n"),
        "{}",
        run.all()
    );
    // A container's control characters never reach the terminal.
    assert!(
        !run.stdout.contains('\x1b') && !run.stdout.contains('\x07'),
        "{:?}",
        run.stdout
    );
    // Only this project's instance is read: not its sidecar, not another worker's.
    let log = f.log();
    assert!(
        log.contains("docker ps --all --no-trunc --format {{.Names}}\n"),
        "{log}"
    );
    let logs_calls: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("docker logs"))
        .collect();
    assert_eq!(
        logs_calls,
        [
            format!("docker logs workerd-lunora-transcoder-example-TranscoderContainer-{ID}")
                .as_str()
        ],
        "{log}"
    );
}

#[test]
fn containers_logs_uses_wrangler_docker_bin() {
    let p = TempProject::example_bare("transcoder");
    let f = fakes_with_one_instance().set("WRANGLER_DOCKER_BIN", "/bin/false");
    let run = p.lunora_env(&["containers", "logs", "transcoder"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stderr.contains("`/bin/false ps` failed"),
        "{}",
        run.all()
    );
    assert!(!f.log().contains("docker ps"), "{}", f.log());
}

#[test]
fn containers_logs_without_an_engine_says_how_to_reach_one() {
    let p = TempProject::example_bare("transcoder");
    let f = fakes_with_one_instance().set("FAKE_DOCKER_EXIT", "1");
    let run = p.lunora_env(&["containers", "logs", "transcoder"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stderr.contains(
            "error: could not ask the local Docker engine for `transcoder`'s instances: `docker ps` failed"
        ) && run.stderr.contains("DOCKER_HOST")
            && run.stderr.contains("WRANGLER_DOCKER_BIN"),
        "{}",
        run.all()
    );
    assert_eq!(run.stdout, "", "{}", run.all());
}

#[test]
fn containers_logs_names_the_containers_there_are_and_needs_a_name() {
    let p = TempProject::example_bare("transcoder");
    let f = fakes_with_one_instance();
    let run = p.lunora_env(&["containers", "logs", "transcodr"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stderr.contains(
            "error: no container `transcodr` in lunora/containers.ts (it defines `transcoder`)"
        ),
        "{}",
        run.all()
    );
    assert!(
        !f.log().contains("docker"),
        "no engine call for a bad name: {}",
        f.log()
    );
    let run = p.lunora_env(&["containers", "logs"], &f.envs());
    run.assert_code(2);
    assert!(run.stderr.contains("<NAME>"), "{}", run.all());
}

#[test]
fn containers_logs_with_no_instance_says_when_there_are_some() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new();
    let run = p.lunora_env(&["containers", "logs", "transcoder"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stderr.contains("error: no local instance of `transcoder`: instances exist while `lunora dev` runs them"),
        "{}",
        run.all()
    );
}

#[test]
fn containers_logs_follow_keeps_reading_until_ctrl_c() {
    let p = TempProject::example_bare("transcoder");
    let f = fakes_with_one_instance();
    let mut run = Background::spawn(
        p.lunora_command(&["containers", "logs", "transcoder", "--follow"], &f.envs()),
    );
    run.wait_for("the first line", |r| {
        r.stdout
            .lock()
            .unwrap()
            .contains("[lunora] container:transcoder#a1b2c3d4 | listening on 8080\n")
    });
    assert_eq!(run.signal_and_wait(libc::SIGINT), 0);
    let log = f.log();
    assert!(
        log.contains(&format!(
            "docker logs --follow workerd-lunora-transcoder-example-TranscoderContainer-{ID}"
        )),
        "{log}"
    );
    // Following looks at running instances only.
    assert!(
        log.contains("docker ps --no-trunc --format {{.Names}}\n"),
        "{log}"
    );
}

#[test]
fn dev_shows_container_output_inline_unless_no_container_logs() {
    let p = TempProject::example_bare("transcoder");
    let f = fakes_with_one_instance();
    let dev_output = f.file("dev-output.txt", "Ready on http://localhost:8787\n");
    let f = f.set("FAKE_DEV_OUTPUT", &dev_output);
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    dev.wait_for("a container line", |d| {
        d.stdout
            .lock()
            .unwrap()
            .contains("[lunora] container:transcoder#a1b2c3d4 stderr | warning: low disk\n")
    });
    dev.signal_and_wait(libc::SIGTERM);
    let log = f.log();
    assert!(log.contains("docker logs --follow --since "), "{log}");

    let f = fakes_with_one_instance();
    let dev_output = f.file("dev-output.txt", "Ready on http://localhost:8787\n");
    let f = f.set("FAKE_DEV_OUTPUT", &dev_output);
    let mut dev = Background::spawn(p.lunora_command(&["dev", "--no-container-logs"], &f.envs()));
    dev.wait_for("the dev server", |d| {
        d.stdout.lock().unwrap().contains("fake dev ready")
    });
    std::thread::sleep(std::time::Duration::from_millis(1200));
    dev.signal_and_wait(libc::SIGTERM);
    let stdout = dev.stdout.lock().unwrap().clone();
    assert!(!stdout.contains("[lunora] container:"), "{stdout}");
    assert!(!f.log().contains("docker ps"), "{}", f.log());
}

/// Issue 24: a container added by a save while `lunora dev` ran showed its output only after a
/// restart of lunora.
#[test]
fn dev_shows_the_output_of_a_container_added_mid_session() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new();
    let ps = f.file(
        "ps.txt",
        &format!("workerd-lunora-transcoder-example-ThumbnailerContainer-{ID}\n"),
    );
    let out = f.file("out.txt", "thumbnails ready\n");
    let dev_output = f.file("dev-output.txt", "Ready on http://localhost:8787\n");
    let f = f
        .set("FAKE_DOCKER_PS", &ps)
        .set("FAKE_DOCKER_LOGS_OUT", &out)
        .set("FAKE_DEV_OUTPUT", &dev_output);
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    dev.wait_for("the watcher and a look at the engine", |d| {
        d.output().contains("watching lunora/containers.ts") && f.log().contains("docker ps")
    });
    let original = p.read("lunora/containers.ts");
    p.save(
        "lunora/containers.ts",
        &format!(
            "{original}\nexport const thumbnailer = defineContainer({{\n  image: \"./containers/transcoder\",\n  defaultPort: 8080,\n}});\n"
        ),
    );
    dev.wait_for("the new container's output", |d| {
        d.stdout
            .lock()
            .unwrap()
            .contains("[lunora] container:thumbnailer#a1b2c3d4 | thumbnails ready\n")
    });
    // wrangler builds container images only when it starts: lunora restarts it.
    dev.wait_for("the restarted dev server", |d| {
        d.stdout.lock().unwrap().matches("fake dev ready").count() == 2
    });
    let out = dev.output();
    assert!(
        out.contains("lunora: restarting the dev server: `thumbnailer` was added, and container images are built only when it starts"),
        "{out}"
    );
    assert!(
        f.log().contains("wrangler got INT"),
        "stopped as with Ctrl-C: {}",
        f.log()
    );
    assert_eq!(dev.signal_and_wait(libc::SIGTERM), 0);
}

/// Issue 24: on a terminal, a container line was printed inside a line the dev server had not
/// finished (a progress line, a prompt).
#[test]
fn dev_on_a_terminal_never_prints_a_container_line_inside_the_dev_servers_line() {
    let p = TempProject::example_bare("transcoder");
    // Each step waits for the test: the dev server opens its line, the instance appears, the
    // dev server ends its line.
    crate::support::write_script(
        &p.path().join("node_modules/.bin/wrangler"),
        r#"trap 'exit 0' INT TERM
while [ ! -e "$FAKE_OPEN" ]; do sleep 0.05; done
printf 'building... '
while [ ! -e "$FAKE_GO" ]; do sleep 0.05; done
echo 'built'
while :; do sleep 0.05; done"#,
    );
    let f = Fakes::new();
    let out = f.file("out.txt", "listening on 8080\n");
    let listed = f.file("ps.txt", "");
    let (open, go) = (f.file("open", ""), f.file("go", ""));
    for file in [&listed, &open, &go] {
        std::fs::remove_file(file).unwrap();
    }
    let f = f
        .set("FAKE_DOCKER_PS", &listed)
        .set("FAKE_DOCKER_LOGS_OUT", &out)
        .set("FAKE_OPEN", &open)
        .set("FAKE_GO", &go);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_lunora"));
    cmd.arg("--root")
        .arg(p.path())
        .arg("dev")
        .env("NO_COLOR", "1");
    for (k, v) in f.envs() {
        cmd.env(k, v);
    }
    let mut dev = crate::support::OnPty::spawn(cmd, 24, 120);
    dev.wait_for("watching lunora/containers.ts");
    std::fs::write(&open, "").unwrap();
    dev.wait_for("building... ");
    std::fs::write(&listed, ps()).unwrap();
    dev.wait_for("[lunora] container:transcoder#a1b2c3d4 | listening on 8080");
    std::fs::write(&go, "").unwrap();
    dev.wait_for("built");
    let screen = dev.screen();
    assert!(
        screen.contains(
            "building... \n[lunora] container:transcoder#a1b2c3d4 | listening on 8080\nbuilt"
        ),
        "after a bounded wait, on a fresh line: {screen:?}"
    );
    unsafe {
        libc::kill(dev.child.id() as i32, libc::SIGTERM);
    }
    assert_eq!(dev.wait(), 0);
}
