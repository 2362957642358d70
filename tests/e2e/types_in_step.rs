//! Issue 23.4, types in step: a project typed `env: Env` from `wrangler types` output keeps
//! type-checking with the real tsc after every lunora command that changes `wrangler.jsonc`
//! (generate, rename, remove, adopt), because each reruns the project's own `wrangler types`;
//! `codegen --check` reports stale types with the command that fixes them.

use crate::migrations::{template_project, TSCONFIG};
use crate::support::TempProject;

/// Code typed with the `Env` that `wrangler types` writes: tsc fails with "Property
/// 'CONTAINER_X' is missing in type 'Env'" when a binding lunora wired is not in it.
const TYPED: &str = r#"import { createContainers } from "../../lunora/_generated/containerHandles";

export function handles(env: Env) {
  return createContainers(env);
}
"#;

#[track_caller]
fn tsc_accepts(p: &TempProject) {
    let tsc = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    assert_eq!(tsc.code, 0, "tsc rejected the worker:\n{}", tsc.all());
}

/// `wrangler types --check` with the given arguments (wrangler's own verdict on freshness).
#[track_caller]
fn wrangler_says_current(p: &TempProject, args: &[&str]) {
    let mut all = vec!["types"];
    all.extend(args);
    all.push("--check");
    let run = p.npm_tool("wrangler", &all, &[]);
    assert_eq!(
        run.code,
        0,
        "wrangler says the types are stale:\n{}",
        run.all()
    );
}

#[track_caller]
fn lunora_ok(p: &TempProject, args: &[&str]) -> String {
    let run = p.lunora(args);
    run.assert_code(0);
    run.all()
}

/// Regression (issue 23): after `generate`, `rename` or a new container, code typed `env: Env`
/// failed tsc ("Property 'CONTAINER_X' is missing in type 'Env'") and lunora never said to
/// rerun `wrangler types`.
#[test]
fn env_typed_code_checks_after_generate_rename_and_remove() {
    let p = TempProject::example("transcoder");
    p.write("tsconfig.json", TSCONFIG);
    p.write("src/server/typed.ts", TYPED);
    lunora_ok(&p, &["codegen"]);
    p.npm_tool("wrangler", &["types", "--include-runtime=false"], &[])
        .assert_code(0);
    tsc_accepts(&p);
    lunora_ok(&p, &["codegen", "--check"]);

    // Day 2: a second container.
    let out = lunora_ok(&p, &["generate", "lunora-container", "--name=ffmpeg"]);
    assert!(
        out.contains(
            "updated worker-configuration.d.ts: ran `wrangler types --include-runtime=false`"
        ),
        "{out}"
    );
    assert!(p
        .read("worker-configuration.d.ts")
        .contains("CONTAINER_FFMPEG:"));
    tsc_accepts(&p);
    wrangler_says_current(&p, &["--include-runtime=false"]);
    lunora_ok(&p, &["codegen", "--check"]);

    // Day 3: it gets a better name.
    let out = lunora_ok(&p, &["rename", "ffmpeg", "encoder"]);
    assert!(out.contains("updated worker-configuration.d.ts"), "{out}");
    let types = p.read("worker-configuration.d.ts");
    assert!(types.contains("CONTAINER_ENCODER:"), "{types}");
    assert!(!types.contains("CONTAINER_FFMPEG:"), "{types}");
    tsc_accepts(&p);
    wrangler_says_current(&p, &["--include-runtime=false"]);

    // Day 4: it goes, with its data.
    let out = lunora_ok(&p, &["remove", "encoder", "--delete-data"]);
    assert!(out.contains("updated worker-configuration.d.ts"), "{out}");
    assert!(!p
        .read("worker-configuration.d.ts")
        .contains("CONTAINER_ENCODER"));
    tsc_accepts(&p);
    wrangler_says_current(&p, &["--include-runtime=false"]);
    lunora_ok(&p, &["codegen", "--check"]);

    // Day 5: a binding added by hand; the types lag until `wrangler types` runs.
    let config = p.read("wrangler.jsonc").replacen(
        "\"observability\"",
        "\"kv_namespaces\": [{ \"binding\": \"CACHE\", \"id\": \"0123\" }],\n  \"observability\"",
        1,
    );
    p.write("wrangler.jsonc", &config);
    let check = p.lunora(&["codegen", "--check"]);
    check.assert_code(1);
    let said = check.all();
    assert!(
        said.contains("worker-configuration.d.ts is out of date")
            && said.contains("run `wrangler types --include-runtime=false`")
            && said.contains("1 file is out of date — run `wrangler types --include-runtime=false` for worker-configuration.d.ts")
            && !said.contains("run `lunora codegen`"),
        "{said}"
    );
    // A change lunora makes to the config is stale for the types too, with `lunora codegen`
    // as the fix, and that fix works.
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("maxInstances: 5", "maxInstances: 6"),
    );
    let check = p.lunora(&["codegen", "--check"]);
    check.assert_code(1);
    assert!(
        check
            .all()
            .contains("run `lunora codegen` (it reruns `wrangler types --include-runtime=false`"),
        "{}",
        check.all()
    );
    lunora_ok(&p, &["codegen"]);
    wrangler_says_current(&p, &["--include-runtime=false"]);
    lunora_ok(&p, &["codegen", "--check"]);
}

/// `lunora adopt` of the public containers template, whose `types` script writes to a path of
/// its own: the declaration file follows the adopted wiring, with the script's arguments.
#[test]
fn adopt_reruns_the_projects_types_script() {
    let p = template_project();
    p.write(
        "package.json",
        r#"{
  "name": "template",
  "private": true,
  "scripts": { "cf-typegen": "wrangler types src/env.d.ts --include-runtime=false" },
  "dependencies": { "@cloudflare/containers": "0.3.7" }
}
"#,
    );
    p.write(
        "tsconfig.json",
        &TSCONFIG.replace("\"worker-configuration.d.ts\"", "\"src/env.d.ts\""),
    );
    p.npm_tool(
        "wrangler",
        &["types", "src/env.d.ts", "--include-runtime=false"],
        &[],
    )
    .assert_code(0);
    tsc_accepts(&p);

    // The dry run says it would rerun the script's command, and writes nothing.
    let before = p.snapshot();
    let out = lunora_ok(&p, &["adopt", "--dry-run"]);
    assert!(
        out.contains("would update src/env.d.ts: by running `wrangler types src/env.d.ts --include-runtime=false` (the `cf-typegen` script in package.json)"),
        "{out}"
    );
    assert_eq!(before, p.snapshot());

    let out = lunora_ok(&p, &["adopt"]);
    assert!(
        out.contains("updated src/env.d.ts: ran `wrangler types src/env.d.ts --include-runtime=false` (the `cf-typegen` script in package.json)"),
        "{out}"
    );
    assert!(!p.exists("worker-configuration.d.ts"));
    tsc_accepts(&p);
    wrangler_says_current(&p, &["src/env.d.ts", "--include-runtime=false"]);
    lunora_ok(&p, &["codegen", "--check"]);
}

/// A `wrangler types` that fails after lunora changed the config is an error naming the
/// command, with exit 1; the config change itself stays written.
#[test]
fn a_failing_wrangler_types_is_reported() {
    let p = TempProject::example("transcoder");
    lunora_ok(&p, &["codegen"]);
    p.npm_tool("wrangler", &["types", "--include-runtime=false"], &[])
        .assert_code(0);
    // wrangler types rejects a KV binding without a name; lunora does not read it.
    let config = p.read("wrangler.jsonc").replacen(
        "\"observability\"",
        "\"kv_namespaces\": [{ \"id\": \"0123\" }],\n  \"observability\"",
        1,
    );
    p.write("wrangler.jsonc", &config);
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("maxInstances: 5", "maxInstances: 7"),
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(1);
    let said = run.all();
    assert!(
        said.contains("worker-configuration.d.ts was not regenerated: `wrangler types --include-runtime=false`")
            && said.contains("should have a string \"binding\" field"),
        "{said}"
    );
    assert!(p.read("wrangler.jsonc").contains("\"max_instances\": 7"));
}

/// `lunora dev` reruns `wrangler types` when a save changes the config, and a failure there is
/// reported without stopping the session (the types do not change what runs).
#[test]
fn dev_reports_a_failing_wrangler_types_and_goes_on() {
    use crate::support::{Background, Fakes};
    let p = TempProject::example_bare("transcoder");
    p.write(
        "worker-configuration.d.ts",
        "/* eslint-disable */\n// Generated by Wrangler by running `wrangler types --include-runtime=false` (hash: 0)\ninterface Env {}\n",
    );
    let f = Fakes::new();
    let output = f.file("dev-output.txt", "ready\n");
    let f = f
        .set("FAKE_DEV_OUTPUT", &output)
        .set("FAKE_WRANGLER_EXIT_TYPES", "3");
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    dev.wait_for("the watcher", |d| {
        d.output().contains("watching lunora/containers.ts")
    });
    p.save(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("maxInstances: 5", "maxInstances: 6"),
    );
    dev.wait_for("regeneration", |d| d.output().contains("regenerated in"));
    let out = dev.output();
    assert!(
        out.contains("worker-configuration.d.ts was not regenerated: `wrangler types --include-runtime=false`")
            && out.contains("failed (exit 3)"),
        "{out}"
    );
    assert_eq!(dev.signal_and_wait(libc::SIGINT), 0);
    let log = f.log();
    // Only after the save (the example's config was current at start); the dev server ran on.
    assert_eq!(
        log.matches("wrangler types --include-runtime=false\n")
            .count(),
        1,
        "{log}"
    );
    assert_eq!(log.matches("wrangler dev").count(), 1, "{log}");
}
