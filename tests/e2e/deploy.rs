//! `lunora deploy`: gate order, nothing spawned after a failed gate, Railpack build + push,
//! pass-through arguments, `--dry-run`, and where programs are found.

use crate::support::{write_script, Fakes, TempProject};

/// The transcoder example plus a Railpack `{ build }` container with a build argument.
fn with_railpack() -> TempProject {
    let p = TempProject::example_bare("transcoder");
    let ts = p.read("lunora/containers.ts");
    p.write(
        "lunora/containers.ts",
        &format!(
            "{ts}\nexport const reportWorker = defineContainer({{\n  image: {{ build: \"./services/report-worker\" }},\n  \
             buildArgs: {{ NODE_VERSION: \"22\" }},\n  defaultPort: 8080,\n  enableInternet: false,\n}});\n"
        ),
    );
    p.write(
        "services/report-worker/package.json",
        "{ \"name\": \"report-worker\" }\n",
    );
    p
}

fn fakes() -> Fakes {
    Fakes::new().set("BUILDKIT_HOST", "docker-container://buildkit")
}

#[test]
fn deploy_runs_every_gate_in_order_then_builds_pushes_and_deploys() {
    let p = with_railpack();
    let f = fakes().set("FAKE_LOG_CWD", "1");
    let run = p.lunora_env(&["deploy", "--", "--minify", "--var", "A:b c"], &f.envs());
    run.assert_code(0);
    let root = p.path().display().to_string();
    let expected = [
        "docker info".to_string(),
        "railpack --version".into(),
        format!("cwd {root}"),
        "railpack build ./services/report-worker --name lunora-report-worker:build --platform linux/amd64 --env NODE_VERSION=22"
            .into(),
        format!("cwd {root}"),
        "wrangler containers push lunora-report-worker:build".into(),
        format!("cwd {root}"),
        "wrangler deploy --minify --var A:b c".into(),
        format!("cwd {root}"),
    ];
    let log = f.log();
    for want in &expected {
        assert!(log.contains(want.as_str()), "missing `{want}` in\n{log}");
    }
    let order: Vec<&str> = log.lines().filter(|l| !l.starts_with("cwd")).collect();
    assert_eq!(
        order,
        expected
            .iter()
            .filter(|l| !l.starts_with("cwd"))
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    // The config deploys the pushed Railpack image.
    assert!(p
        .read("wrangler.jsonc")
        .contains("\"registry.cloudflare.com/lunora-report-worker:build\""));
}

#[test]
fn deploy_passes_env_to_wrangler() {
    let p = TempProject::example_bare("transcoder");
    p.write(
        "wrangler.jsonc",
        &p.read("wrangler.jsonc").replace(
            "\"observability\": {",
            "\"env\": { \"staging\": {} },\n  \"observability\": {",
        ),
    );
    let f = fakes();
    p.lunora_env(
        &["deploy", "--env", "staging", "--", "--dry-run"],
        &f.envs(),
    )
    .assert_code(0);
    assert_eq!(
        f.log(),
        "docker info\nwrangler deploy --env staging --dry-run\n"
    );
}

#[test]
fn codegen_errors_stop_deploy_before_anything_runs() {
    let p = TempProject::example_bare("transcoder");
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("maxInstances: 5", "maxInstances: 0"),
    );
    let f = fakes();
    let run = p.lunora_env(&["deploy"], &f.envs());
    run.assert_code(1);
    assert_eq!(f.log(), "", "nothing may run after codegen fails");
}

#[test]
fn missing_build_directory_is_located_at_the_image_and_stops_deploy() {
    let p = with_railpack();
    std::fs::remove_dir_all(p.path().join("services")).unwrap();
    let f = fakes();
    let run = p.lunora_env(&["deploy"], &f.envs());
    run.assert_code(1);
    let err = run.stderr.clone();
    assert!(err.contains("deploy/missing-image-source"), "{err}");
    assert!(
        err.contains("`reportWorker`") && err.contains("./services/report-worker"),
        "{err}"
    );
    let line = p
        .read("lunora/containers.ts")
        .lines()
        .position(|l| l.contains("build: \"./services"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("lunora/containers.ts:{line}:")),
        "{err}"
    );
    assert_eq!(f.log(), "");
}

#[test]
fn missing_dockerfile_stops_deploy() {
    let p = TempProject::example_bare("transcoder");
    std::fs::remove_file(p.path().join("containers/transcoder/Dockerfile")).unwrap();
    let f = fakes();
    let run = p.lunora_env(&["deploy"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stderr.contains(
            "the image of `transcoder` is the directory ./containers/transcoder, which has no Dockerfile"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(f.log(), "");
}

#[test]
fn docker_preflight_failure_stops_deploy() {
    let p = with_railpack();
    let f = fakes().set("FAKE_DOCKER_EXIT", "1");
    let run = p.lunora_env(&["deploy"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stderr.contains("start Docker Desktop or Colima"),
        "{}",
        run.stderr
    );
    assert_eq!(f.log(), "docker info\n");
}

#[test]
fn no_docker_preflight_for_registry_and_railpack_only_projects() {
    let p = with_railpack();
    let ts = p.read("lunora/containers.ts").replace(
        "image: \"./containers/transcoder\"",
        "image: { registry: \"docker.io/acme/transcoder:1.4\" }",
    );
    p.write("lunora/containers.ts", &ts);
    let f = fakes();
    p.lunora_env(&["deploy"], &f.envs()).assert_code(0);
    assert!(!f.log().contains("docker"), "{}", f.log());
    assert!(f.log().starts_with("railpack --version\n"), "{}", f.log());
}

#[test]
fn railpack_preflight_gives_setup_directions() {
    let p = with_railpack();
    // railpack itself fails.
    let f = fakes().set("FAKE_RAILPACK_EXIT", "1");
    let run = p.lunora_env(&["deploy"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stderr.contains("https://railpack.com/install.sh"),
        "{}",
        run.stderr
    );
    assert_eq!(f.log(), "docker info\nrailpack --version\n");

    // BUILDKIT_HOST unset.
    let f = Fakes::new().set("BUILDKIT_HOST", "");
    let run = p.lunora_env(&["deploy"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stderr.contains("BUILDKIT_HOST is not set"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("docker run --rm --privileged -d --name buildkit moby/buildkit"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("export BUILDKIT_HOST=docker-container://buildkit"),
        "{}",
        run.stderr
    );
    assert_eq!(f.log(), "docker info\nrailpack --version\n");
}

#[test]
fn failed_railpack_build_stops_before_push_and_deploy() {
    let p = with_railpack();
    let f = fakes().set("FAKE_RAILPACK_EXIT_BUILD", "3");
    let run = p.lunora_env(&["deploy"], &f.envs());
    run.assert_code(3);
    let log = f.log();
    assert!(log.contains("railpack build"), "{log}");
    assert!(!log.contains("wrangler"), "{log}");
}

#[test]
fn failed_push_stops_before_deploy_and_wrangler_exit_code_is_kept() {
    let p = with_railpack();
    let f = fakes().set("FAKE_WRANGLER_EXIT_CONTAINERS", "4");
    p.lunora_env(&["deploy"], &f.envs()).assert_code(4);
    assert!(!f.log().contains("wrangler deploy"), "{}", f.log());

    let f = fakes().set("FAKE_WRANGLER_EXIT_DEPLOY", "5");
    p.lunora_env(&["deploy"], &f.envs()).assert_code(5);
    assert!(f.log().ends_with("wrangler deploy\n"), "{}", f.log());
}

#[test]
fn dry_run_checks_and_prints_without_running() {
    let p = with_railpack();
    let f = fakes();
    let before = p.snapshot();
    let run = p.lunora_env(&["deploy", "--dry-run", "--", "--minify"], &f.envs());
    run.assert_code(0);
    assert_eq!(before, p.snapshot(), "a dry run changed local files");
    assert!(
        run.stdout
            .contains("would write lunora/_generated/containers.ts"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("would add wrangler.jsonc: containers[] entry for ReportWorkerContainer"),
        "{}",
        run.stdout
    );
    assert_eq!(
        f.log(),
        "docker info\nrailpack --version\n",
        "only the read-only checks run"
    );
    for cmd in [
        "railpack build ./services/report-worker --name lunora-report-worker:build --platform linux/amd64 --env NODE_VERSION=22",
        "wrangler containers push lunora-report-worker:build",
        "wrangler deploy --minify",
    ] {
        assert!(run.stdout.contains(cmd), "missing `{cmd}` in\n{}", run.stdout);
    }
}

#[test]
fn project_node_modules_bin_wins_over_path() {
    let p = TempProject::example_bare("transcoder");
    let f = fakes();
    write_script(
        &p.path().join("node_modules/.bin/wrangler"),
        r#"printf 'local-wrangler %s\n' "$*" >> "$FAKE_LOG""#,
    );
    p.lunora_env(&["deploy"], &f.envs()).assert_code(0);
    assert_eq!(f.log(), "docker info\nlocal-wrangler deploy\n");
}

#[test]
fn missing_wrangler_says_how_to_install_it() {
    let p = TempProject::example_bare("transcoder");
    let bin = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(crate::support::fake("docker"), bin.path().join("docker")).unwrap();
    let f = Fakes::new().set("PATH", &format!("{}:/usr/bin:/bin", bin.path().display()));
    let run = p.lunora_env(&["deploy"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stderr.contains("`wrangler` was not found") && run.stderr.contains("npm i -D wrangler"),
        "{}",
        run.stderr
    );
    assert!(!f.log().contains("wrangler"), "{}", f.log());
}
