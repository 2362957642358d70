//! Issue 23.5, dry runs that plan: `lunora deploy --dry-run` on a stale tree (a fresh checkout,
//! a definition changed since the last codegen) lists every file codegen would write and every
//! step deploy would run, has the real `wrangler deploy --dry-run` check the result on a
//! temporary copy, leaves the project byte for byte as it was, and exits 0.

use crate::support::{fake, TempProject};

fn dry_run(p: &TempProject, args: &[&str]) -> crate::support::Run {
    let mut all = vec!["deploy", "--dry-run"];
    all.extend(args);
    let docker = fake("docker");
    p.lunora_env(
        &all,
        &[
            ("WRANGLER_DOCKER_BIN", docker.to_str().unwrap()),
            ("WRANGLER_SEND_METRICS", "false"),
            ("CI", "true"),
        ],
    )
}

/// Regression (issue 23): `deploy --dry-run` refused a fresh checkout ("generated files are
/// out of date … run `lunora codegen`, then `lunora deploy --dry-run` again") instead of
/// showing what deploy would do.
#[test]
fn dry_run_on_a_stale_tree_plans_and_checks_a_copy_over_successive_edits() {
    let p = TempProject::example("transcoder");
    p.write(
        "wrangler.jsonc",
        &p.read("wrangler.jsonc").replacen(
            "\"observability\"",
            "\"env\": { \"staging\": { \"name\": \"transcoder-staging\" } },\n  \"observability\"",
            1,
        ),
    );

    // Day 1: a fresh checkout: nothing generated yet.
    let before = p.snapshot();
    let run = dry_run(&p, &[]);
    run.assert_code(0);
    let out = run.all();
    for line in [
        "would write lunora/_generated/containers.ts",
        "would write lunora/_generated/containerHandles.ts",
        "would write lunora/_generated/classes.json",
        "would add wrangler.jsonc: env.staging.containers[] entry for TranscoderContainer",
        "1. write wrangler.jsonc, lunora/_generated/containers.ts, lunora/_generated/containerHandles.ts, lunora/_generated/classes.json (listed above)",
        "2. run `wrangler deploy`",
        "lunora: dry run: `wrangler deploy --dry-run` on a temporary copy of the project",
        // wrangler's own verdict, on the copy: it bundled the worker with the container bound.
        "env.CONTAINER_TRANSCODER (TranscoderContainer)",
        "--dry-run: exiting now.",
    ] {
        assert!(out.contains(line), "missing `{line}` in\n{out}");
    }
    assert_eq!(before, p.snapshot(), "the dry run wrote in the project");
    assert!(!p.exists(".wrangler"), "wrangler ran in the project");

    // Day 2: codegen ran, then the definition changed: the staging env's dry run plans the
    // update and checks it.
    p.lunora(&["codegen"]).assert_code(0);
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("maxInstances: 5", "maxInstances: 8"),
    );
    let before = p.snapshot();
    let run = dry_run(&p, &["--env", "staging", "--", "--outdir", "dist"]);
    run.assert_code(0);
    let out = run.all();
    for line in [
        "would update wrangler.jsonc: containers[] entry for TranscoderContainer (max_instances 5 → 8)",
        "2. run `wrangler deploy --env staging --outdir dist`",
        "`wrangler deploy --dry-run --env staging --outdir dist` on a temporary copy",
        "a relative --outdir lands in that copy, which is deleted afterwards",
        "--dry-run: exiting now.",
    ] {
        assert!(out.contains(line), "missing `{line}` in\n{out}");
    }
    assert_eq!(before, p.snapshot(), "the dry run wrote in the project");
    assert!(!p.exists("dist"));

    // Day 3: the same tree once codegen ran: wrangler checks it in place, as before.
    p.lunora(&["codegen"]).assert_code(0);
    let run = dry_run(&p, &[]);
    run.assert_code(0);
    let out = run.all();
    assert!(
        out.contains("lunora: dry run: `wrangler deploy --dry-run`\n")
            && !out.contains("temporary copy")
            && out.contains("--dry-run: exiting now."),
        "{out}"
    );
}
