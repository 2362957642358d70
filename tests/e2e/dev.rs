//! `lunora dev` against fake dev servers: lifecycle lines rendered, other output untouched,
//! signals forwarded, the dev server's exit code kept, and the gates before it.

use crate::support::{write_script, Background, Fakes, TempProject};

const DEV_OUTPUT: &str = r#"Ready on http://localhost:8787
[wrangler:info] {"type":"container","container":"transcoder","instanceId":"a1b2c3d4e5f6a7b8","event":"start","level":"info","message":"started","timestamp":"2026-04-01T00:00:00.000Z"}
{"type":"container","container":"transcoder","instanceId":"a1b2c3d4e5f6a7b8","event":"error","level":"error","message":"exited unexpectedly","timestamp":"2026-04-01T00:00:01.000Z"}
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
        stdout.contains("\n[lunora] container:transcoder#a1b2c3d4  start\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n[lunora] container:transcoder#a1b2c3d4  error exited unexpectedly\n"),
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
    dev.wait_for("the watcher", |d| {
        d.output().contains("watching lunora/containers.ts")
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
fn dev_warns_without_docker_for_dockerfile_images_but_still_starts() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new().set("FAKE_DOCKER_EXIT", "1");
    let run = p.lunora_env(&["dev"], &f.envs());
    run.assert_code(0);
    assert!(
        run.all().contains("warning: no Docker engine answered"),
        "{}",
        run.all()
    );
    assert_eq!(f.log(), "docker info\nwrangler dev\n");
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
    assert!(run.all().contains("warning: `transcoder` uses registry.cloudflare.com/acme/transcoder:1: local dev cannot pull"), "{}", run.all());
}
