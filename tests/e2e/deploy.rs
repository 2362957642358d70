//! `lunora deploy`: every gate (all failures at once), nothing but read-only checks spawned
//! after a failed gate, Railpack build + push, pass-through arguments, `--dry-run` (every gate,
//! then wrangler's own dry run), the terminal inherited, and where programs are found.

use crate::support::{write_script, Fakes, OnPty, TempProject};
use std::process::Command;

/// Only the read-only checks ran: nothing was built, pushed or deployed.
#[track_caller]
fn only_checks_ran(f: &Fakes) {
    let log = f.log();
    for line in log.lines() {
        assert!(
            matches!(line, "docker info" | "railpack --version"),
            "`{line}` ran after a failed gate:\n{log}"
        );
    }
}

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
    only_checks_ran(&f);
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
    only_checks_ran(&f);
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
    assert_eq!(f.log(), "docker info\nrailpack --version\n");
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
fn dry_run_runs_every_gate_then_wranglers_own_dry_run() {
    let p = with_railpack();
    // Stale output (a fresh checkout): the gates run, what would be written and every step
    // are listed, and wrangler's dry run checks them on a temporary copy, not in the project.
    let f = fakes().set("FAKE_LOG_CWD", "1");
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
    for step in [
        "1. write wrangler.jsonc, lunora/_generated/containers.ts",
        "2. run `railpack build ./services/report-worker",
        "3. run `wrangler containers push lunora-report-worker:build`",
        "4. run `wrangler deploy --minify`",
        "`wrangler deploy --dry-run --minify` on a temporary copy of the project",
    ] {
        assert!(
            run.stdout.contains(step),
            "missing `{step}` in\n{}",
            run.stdout
        );
    }
    let log = f.log();
    let lines: Vec<&str> = log.lines().filter(|l| !l.starts_with("cwd ")).collect();
    assert_eq!(
        lines,
        [
            "docker info",
            "railpack --version",
            "wrangler deploy --dry-run --minify"
        ],
        "{log}"
    );
    let cwd = log
        .split("wrangler deploy --dry-run --minify\ncwd ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_default();
    assert!(
        cwd.contains("lunora-dry-run-") && !cwd.starts_with(&p.path().display().to_string()),
        "wrangler ran in {cwd:?}: {log}"
    );
    assert!(!std::path::Path::new(cwd).exists(), "the copy is removed");
    // wrangler's verdict on the copy is the dry run's.
    let f = fakes().set("FAKE_WRANGLER_EXIT_DEPLOY", "9");
    p.lunora_env(&["deploy", "--dry-run"], &f.envs())
        .assert_code(9);
    assert_eq!(before, p.snapshot(), "a failed dry run changed local files");

    // Current output: the read-only checks, then wrangler's own dry run; no build, no push.
    p.lunora(&["codegen"]).assert_code(0);
    let f = fakes();
    let before = p.snapshot();
    let run = p.lunora_env(&["deploy", "--dry-run", "--", "--minify"], &f.envs());
    run.assert_code(0);
    assert_eq!(before, p.snapshot(), "a dry run changed local files");
    assert_eq!(
        f.log(),
        "docker info\nrailpack --version\nwrangler deploy --dry-run --minify\n"
    );
    // The checks that ran are listed.
    for check in [
        "✓ the worker entry exports every container class",
        "✓ every Dockerfile and build directory exists",
        "✓ a Docker engine answers (`docker info`)",
        "✓ railpack 0.0.0-fake",
        "✓ BUILDKIT_HOST=docker-container://buildkit",
        "✓ @lunora/container 0.1.0 with @cloudflare/containers",
        "✓ wrangler.jsonc (compatibility_date 2026-04-01)",
    ] {
        assert!(
            run.stdout.contains(check),
            "missing `{check}` in\n{}",
            run.stdout
        );
    }
    for cmd in [
        "railpack build ./services/report-worker --name lunora-report-worker:build --platform linux/amd64 --env NODE_VERSION=22",
        "wrangler containers push lunora-report-worker:build",
    ] {
        assert!(run.stdout.contains(cmd), "missing `{cmd}` in\n{}", run.stdout);
    }

    // wrangler's dry run failing fails the dry run, with its exit code.
    let f = fakes().set("FAKE_WRANGLER_EXIT_DEPLOY", "9");
    p.lunora_env(&["deploy", "--dry-run"], &f.envs())
        .assert_code(9);
}

#[test]
fn dry_run_runs_the_real_wranglers_dry_run_on_the_example() {
    let p = TempProject::example("transcoder");
    p.lunora(&["codegen"]).assert_code(0);
    // wrangler builds Dockerfile images with $WRANGLER_DOCKER_BIN (piping the Dockerfile into
    // it): the fake docker reads it and succeeds; no engine is needed to bundle.
    let docker = crate::support::fake("docker");
    let run = p.lunora_env(
        &["deploy", "--dry-run", "--", "--outdir", "dist"],
        &[
            ("WRANGLER_DOCKER_BIN", docker.to_str().unwrap()),
            ("WRANGLER_SEND_METRICS", "false"),
            ("CI", "true"),
        ],
    );
    run.assert_code(0);
    let all = run.all();
    assert!(
        all.contains("lunora: dry run: `wrangler deploy --dry-run --outdir dist`"),
        "{all}"
    );
    // wrangler's own output: it bundled the worker and stopped before uploading.
    assert!(all.contains("--dry-run: exiting now."), "{all}");
    assert!(
        p.exists("dist/index.js"),
        "wrangler wrote its bundle:\n{all}"
    );
}

#[test]
fn missing_reexport_stops_deploy_at_the_worker_entry_with_the_line_to_add() {
    let p = TempProject::example_bare("transcoder");
    let entry = p.read("src/server/index.ts").replace(
        "export * from \"../../lunora/_generated/containers\";\n",
        "",
    );
    p.write("src/server/index.ts", &entry);
    let f = fakes();
    let before = p.snapshot();
    let run = p.lunora_env(&["deploy"], &f.envs());
    run.assert_code(1);
    let err = &run.stderr;
    assert!(err.contains("error[deploy/missing-reexport]: the worker entry src/server/index.ts does not export TranscoderContainer"), "{err}");
    // The example's config still binds the class (wired by an earlier run): say so, not "was not added".
    assert!(
        err.contains("wrangler.jsonc binds TranscoderContainer"),
        "{err}"
    );
    assert!(!err.contains("was not added"), "{err}");
    let last_line = entry.trim_end().lines().count();
    assert!(
        err.contains(&format!("--> src/server/index.ts:{last_line}:")),
        "located at the worker entry: {err}"
    );
    assert!(
        err.contains(
            "add `export * from \"../../lunora/_generated/containers\";` to src/server/index.ts"
        ),
        "{err}"
    );
    assert!(
        !err.contains("warning[lunora/missing-reexport]"),
        "one report, not two: {err}"
    );
    assert_eq!(before, p.snapshot(), "a stopped deploy wrote files");
    only_checks_ran(&f);

    // As JSON: one error record at the entry, with line and column.
    let f = fakes();
    let run = p.lunora_env(&["deploy", "--format", "json"], &f.envs());
    run.assert_code(1);
    let record: serde_json::Value = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON line"))
        .find(|v| v["code"] == "deploy/missing-reexport")
        .expect("a deploy/missing-reexport record");
    assert_eq!(record["severity"], "error");
    assert_eq!(record["file"], "src/server/index.ts");
    assert_eq!(record["line"], last_line);

    // Exported again: the deploy goes through.
    p.write(
        "src/server/index.ts",
        &format!("export * from \"../../lunora/_generated/containers\";\n{entry}"),
    );
    let f = fakes();
    p.lunora_env(&["deploy"], &f.envs()).assert_code(0);
    assert!(f.log().ends_with("wrangler deploy\n"), "{}", f.log());
}

#[test]
fn codegen_keeps_a_missing_reexport_a_warning_that_says_what_is_true() {
    let p = TempProject::example_bare("transcoder");
    let entry = p.read("src/server/index.ts").replace(
        "export * from \"../../lunora/_generated/containers\";\n",
        "",
    );
    p.write("src/server/index.ts", &entry);
    // Still wired from an earlier run: the entries are left as they are.
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("warning[lunora/missing-reexport]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "its entries for the `transcoder` container in wrangler.jsonc were left as they are"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("was not added"), "{}", run.stderr);

    // Never wired: then it was indeed not added.
    p.write(
        "wrangler.jsonc",
        "{\n  \"name\": \"x\",\n  \"main\": \"src/server/index.ts\",\n  \"compatibility_date\": \"2026-04-01\"\n}\n",
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("so the `transcoder` container was not added to wrangler.jsonc"),
        "{}",
        run.stderr
    );
    assert!(!p.read("wrangler.jsonc").contains("TranscoderContainer"));
}

#[test]
fn every_missing_prerequisite_is_reported_at_once() {
    let p = with_railpack();
    // No Docker engine, no railpack, no BUILDKIT_HOST, no packages, no compatibility_date.
    let bin = tempfile::tempdir().unwrap();
    for tool in ["docker", "wrangler"] {
        std::os::unix::fs::symlink(crate::support::fake(tool), bin.path().join(tool)).unwrap();
    }
    std::os::unix::fs::symlink(which("node"), bin.path().join("node")).unwrap();
    std::fs::remove_dir_all(p.path().join("node_modules")).unwrap();
    p.write(
        "wrangler.jsonc",
        &p.read("wrangler.jsonc")
            .replace("\"compatibility_date\": \"2026-04-01\",", ""),
    );
    let f = Fakes::new()
        .set("PATH", &format!("{}:/usr/bin:/bin", bin.path().display()))
        .set("FAKE_DOCKER_EXIT", "1")
        .set("BUILDKIT_HOST", "");
    let run = p.lunora_env(&["deploy"], &f.envs());
    run.assert_code(1);
    let err = &run.stderr;
    for want in [
        "error[doctor/docker]: no Docker engine answered",
        "error[doctor/railpack]: `railpack` was not found on PATH, but reportWorker uses `image: { build }`",
        "error[doctor/buildkit]: BUILDKIT_HOST is not set",
        "error[doctor/packages]: @lunora/container and @cloudflare/containers are not installed",
        "error[doctor/wrangler-config]: wrangler.jsonc has no compatibility_date",
        "deploy stopped by 5 errors; nothing was written, built, pushed or deployed",
    ] {
        assert!(err.contains(want) || run.stdout.contains(want), "missing `{want}` in\n{}", run.all());
    }
    assert_eq!(f.log(), "docker info\n");
}

fn which(tool: &str) -> std::path::PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{tool} is not on PATH"))
}

#[test]
fn deploy_steps_inherit_the_terminal() {
    let p = with_railpack();
    let f = fakes().set("FAKE_STDIO_REPORT", "1");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lunora"));
    cmd.arg("--root")
        .arg(p.path())
        .arg("deploy")
        .env("NO_COLOR", "1");
    for (k, v) in f.envs() {
        cmd.env(k, v);
    }
    let mut run = OnPty::spawn(cmd, 24, 80);
    assert_eq!(run.wait(), 0, "{}", run.screen());
    let screen = run.screen();
    for program in ["railpack build", "wrangler containers", "wrangler deploy"] {
        for fd in 0..3 {
            assert!(
                screen.contains(&format!("{program}: fd {fd} is a terminal")),
                "{program} fd {fd}:\n{screen}"
            );
        }
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
