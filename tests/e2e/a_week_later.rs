//! Issue 23, over a week of ordinary edits: every `env.<name>` block is wired by a plain
//! `codegen` (wrangler inherits neither `containers` nor `durable_objects`), the values lunora
//! wrote there follow the definition, values set there by hand are kept, and a block with an
//! explicit `"containers": []` runs without containers and is left alone. Every step is checked
//! with the real `wrangler deploy --dry-run` for each environment.

use crate::support::{fake, TempProject};

fn definition(max_instances: u32) -> String {
    format!(
        "import {{ defineContainer }} from \"@lunora/container\";\n\n\
export const transcoder = defineContainer({{\n  image: \"./containers/transcoder\",\n  defaultPort: 8080,\n  maxInstances: {max_instances},\n  enableInternet: false,\n}});\n"
    )
}

const WRANGLER: &str = r#"{
  "name": "video",
  "main": "src/server/index.ts",
  "compatibility_date": "2026-04-01",
  "env": {
    // staging deploys with --env staging
    "staging": { "name": "video-staging" },
  },
}
"#;

fn cfg(p: &TempProject) -> serde_json::Value {
    jsonc_parser::parse_to_serde_value(&p.read("wrangler.jsonc"), &Default::default())
        .expect("valid JSONC")
}

#[track_caller]
fn wrangler_accepts(p: &TempProject, env: Option<&str>) -> String {
    let out = p.path().join("dist-dry-run");
    let mut args = vec!["deploy", "--dry-run", "--outdir", out.to_str().unwrap()];
    if let Some(env) = env {
        args.extend(["--env", env]);
    }
    let run = p.npm_tool(
        "wrangler",
        &args,
        &[("WRANGLER_DOCKER_BIN", fake("docker").to_str().unwrap())],
    );
    run.assert_code(0);
    run.all()
}

#[track_caller]
fn codegen(p: &TempProject) -> String {
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    run.all()
}

fn set_in_staging(p: &TempProject, from: &str, to: &str) {
    let text = p.read("wrangler.jsonc");
    let staging = text.find("\"staging\"").unwrap();
    let at = staging + text[staging..].find(from).expect("in staging");
    p.write(
        "wrangler.jsonc",
        &format!("{}{to}{}", &text[..at], &text[at + from.len()..]),
    );
}

/// Regression (issue 23): a new env block was not wired by plain `codegen` ("up to date"), and
/// after a change of `maxInstances` the values lunora itself had written into `env.staging`
/// stayed behind. Day by day: wire, change the definition, hand-set a staging value, add an
/// environment, add one that runs without containers.
#[test]
fn env_blocks_follow_the_definition_over_a_week_of_edits() {
    let p = TempProject::example("transcoder");
    p.write("wrangler.jsonc", WRANGLER);
    p.write("lunora/containers.ts", &definition(5));

    // Day 1: a plain codegen wires the top level and staging.
    codegen(&p);
    let c = cfg(&p);
    assert_eq!(c["containers"][0]["max_instances"], 5);
    assert_eq!(c["env"]["staging"]["containers"][0]["max_instances"], 5);
    assert_eq!(
        c["env"]["staging"]["durable_objects"]["bindings"][0]["name"],
        "CONTAINER_TRANSCODER"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&p.read("lunora/_generated/classes.json")).unwrap();
    assert_eq!(
        manifest["envs"]["staging"]["TranscoderContainer"]["max_instances"], 5,
        "{manifest}"
    );
    assert!(p
        .read("wrangler.jsonc")
        .contains("// staging deploys with --env staging"));
    wrangler_accepts(&p, None);
    wrangler_accepts(&p, Some("staging"));

    // Day 2: more instances. Staging follows, since lunora wrote its value.
    p.write("lunora/containers.ts", &definition(7));
    let out = codegen(&p);
    assert!(!out.contains("env-values-kept"), "{out}");
    let c = cfg(&p);
    assert_eq!(c["containers"][0]["max_instances"], 7);
    assert_eq!(c["env"]["staging"]["containers"][0]["max_instances"], 7);
    wrangler_accepts(&p, Some("staging"));

    // Day 3: staging is pinned to 2 by hand; the definition moves on to 9.
    set_in_staging(&p, "\"max_instances\": 7", "\"max_instances\": 2");
    p.write("lunora/containers.ts", &definition(9));
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let c = cfg(&p);
    assert_eq!(c["containers"][0]["max_instances"], 9);
    assert_eq!(
        c["env"]["staging"]["containers"][0]["max_instances"], 2,
        "hand-set, kept"
    );
    assert!(
        run.stdout.contains("wrangler/env-values-kept") && run.stdout.contains("max_instances 2"),
        "{}",
        run.stdout
    );
    // And stays kept on the next change too.
    p.write("lunora/containers.ts", &definition(10));
    codegen(&p);
    let c = cfg(&p);
    assert_eq!(c["containers"][0]["max_instances"], 10);
    assert_eq!(c["env"]["staging"]["containers"][0]["max_instances"], 2);

    // Day 4: a production environment and a docs one that runs without containers.
    let text = p.read("wrangler.jsonc").replace(
        "// staging deploys with --env staging",
        "\"production\": { \"name\": \"video-production\" },\n    // docs: no containers there\n    \"docs\": { \"name\": \"video-docs\", \"containers\": [] },\n    // staging deploys with --env staging",
    );
    p.write("wrangler.jsonc", &text);
    codegen(&p);
    let c = cfg(&p);
    assert_eq!(c["env"]["production"]["containers"][0]["max_instances"], 10);
    assert_eq!(
        c["env"]["production"]["durable_objects"]["bindings"][0]["name"],
        "CONTAINER_TRANSCODER"
    );
    assert_eq!(
        c["env"]["docs"],
        serde_json::json!({ "name": "video-docs", "containers": [] }),
        "an explicit empty containers[] is left alone"
    );
    assert!(p
        .read("wrangler.jsonc")
        .contains("// docs: no containers there"));
    wrangler_accepts(&p, Some("production"));
    wrangler_accepts(&p, Some("docs"));
    wrangler_accepts(&p, Some("staging"));
    wrangler_accepts(&p, None);

    // Nothing left to do: a second run and `--check` agree.
    let before = p.snapshot();
    codegen(&p);
    assert_eq!(before, p.snapshot());
    p.lunora(&["codegen", "--check"]).assert_code(0);
    // `--env docs` respects the block's choice too.
    p.lunora(&["codegen", "--env", "docs"]).assert_code(0);
    assert_eq!(before, p.snapshot());
}

/// A manifest written before environments were recorded says nothing about what lunora wrote in
/// an env block: nothing there is changed or removed on a guess, and the next run records it.
#[test]
fn manifest_without_env_records_changes_nothing_in_env_blocks() {
    let p = TempProject::example("transcoder");
    p.write("wrangler.jsonc", WRANGLER);
    p.write("lunora/containers.ts", &definition(5));
    codegen(&p);
    // The record as an older lunora wrote it: no `envs`.
    let mut manifest: serde_json::Value =
        serde_json::from_str(&p.read("lunora/_generated/classes.json")).unwrap();
    manifest.as_object_mut().unwrap().remove("envs");
    p.write(
        "lunora/_generated/classes.json",
        &(serde_json::to_string_pretty(&manifest).unwrap() + "\n"),
    );
    p.write("lunora/containers.ts", &definition(6));
    let out = codegen(&p);
    let c = cfg(&p);
    assert_eq!(c["containers"][0]["max_instances"], 6);
    assert_eq!(
        c["env"]["staging"]["containers"][0]["max_instances"], 5,
        "not lunora's by record"
    );
    assert!(out.contains("env-values-kept"), "{out}");
    wrangler_accepts(&p, Some("staging"));
}

/// Regression (issues 23 and 27): a wrangler.jsonc that does not parse (a missing comma, or
/// 100,000 nested arrays) also got "has no `main`" although it has one. Every command that reads
/// it reports the parse error alone, at its place, and writes nothing.
#[test]
fn config_that_does_not_parse_gets_only_the_parse_error() {
    let p = TempProject::example("transcoder");
    p.write("lunora/containers.ts", &definition(5));
    let depth = 100_000;
    let deep = format!(
        "{{\"name\": \"video\", \"deep\": {}{}, \"main\": \"src/server/index.ts\", \"compatibility_date\": \"2026-04-01\"}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let missing_comma = "{\n  \"name\": \"video\"\n  \"main\": \"src/server/index.ts\",\n  \"compatibility_date\": \"2026-04-01\",\n}\n";
    for (text, line) in [(deep.as_str(), 1), (missing_comma, 2)] {
        p.write("wrangler.jsonc", text);
        let before = p.snapshot();
        for args in [
            &["codegen", "--format", "json"][..],
            &["deploy", "--dry-run", "--format", "json"][..],
            &["codegen", "--check", "--format", "json"][..],
        ] {
            let run = p.lunora(args);
            run.assert_code(1);
            let records: Vec<serde_json::Value> = run
                .stdout
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .filter(|r: &serde_json::Value| {
                    r["severity"] == "error" || r["severity"] == "warning"
                })
                .collect();
            assert_eq!(records.len(), 1, "{args:?}: one diagnostic: {}", run.stdout);
            assert_eq!(records[0]["code"], "wrangler/parse-error", "{args:?}");
            assert_eq!(records[0]["line"], line, "{args:?}");
            assert!(
                !run.all().contains("has no `main`"),
                "{args:?}: {}",
                run.all()
            );
            assert_eq!(before, p.snapshot(), "{args:?} wrote nothing");
        }
        let doctor = p.lunora(&["doctor"]);
        assert!(doctor.all().contains("does not parse"), "{}", doctor.all());
        assert!(!doctor.all().contains("has no `main`"), "{}", doctor.all());
    }
}

/// Regression (issue 23): a hand-set `containers[]` value wrangler rejects (`"instance_type":
/// "mega"` on a class the definition does not size, a rollout out of order) was kept with an info
/// and the deploy failed later. It is an error at its place with the valid values, nothing is
/// written, and the real wrangler agrees it rejects the value; once fixed, both accept.
#[test]
fn hand_set_value_wrangler_rejects_is_an_error_at_its_place() {
    let p = TempProject::example("transcoder");
    p.write("wrangler.jsonc", WRANGLER);
    p.write("lunora/containers.ts", &definition(5));
    codegen(&p);
    // The user sizes the class by hand, with a type that does not exist.
    let text = p.read("wrangler.jsonc");
    // The top level's entry comes after the env block.
    let at = text.rfind("\"max_instances\": 5,").unwrap();
    let text = format!(
        "{}\"max_instances\": 5,\n      \"instance_type\": \"mega\",{}",
        &text[..at],
        &text[at + "\"max_instances\": 5,".len()..]
    );
    p.write("wrangler.jsonc", &text);
    let line = text.lines().position(|l| l.contains("\"mega\"")).unwrap() + 1;
    let wrangler = p.npm_tool(
        "wrangler",
        &[
            "deploy",
            "--dry-run",
            "--outdir",
            p.path().join("dist-dry-run").to_str().unwrap(),
        ],
        &[("WRANGLER_DOCKER_BIN", fake("docker").to_str().unwrap())],
    );
    assert_ne!(
        wrangler.code,
        0,
        "wrangler rejects it too: {}",
        wrangler.all()
    );
    let before = p.snapshot();
    p.write("lunora/containers.ts", &definition(6));
    let before_def = p.snapshot();
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(1);
    let error: serde_json::Value = run
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|r| r["code"] == "wrangler/invalid-kept-value")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(error["severity"], "error");
    assert_eq!(error["line"], line, "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("\"mega\"") && message.contains("\"standard-1\""),
        "{message}"
    );
    assert_eq!(before_def, p.snapshot(), "nothing written");
    drop(before);

    // Fixed by hand to a real type: kept, and wrangler accepts the result.
    p.write(
        "wrangler.jsonc",
        &text.replace("\"mega\"", "\"standard-2\""),
    );
    codegen(&p);
    let c = cfg(&p);
    assert_eq!(c["containers"][0]["instance_type"], "standard-2");
    assert_eq!(c["containers"][0]["max_instances"], 6);
    wrangler_accepts(&p, None);

    // In staging, a rollout out of order set by hand: an error there too.
    set_in_staging(
        &p,
        "\"max_instances\": 6,",
        "\"max_instances\": 6,\n          \"rollout_step_percentage\": [50, 20, 100],",
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(1);
    assert!(
        run.all().contains("wrangler/invalid-kept-value") && run.all().contains("ascending"),
        "{}",
        run.all()
    );
    set_in_staging(&p, "[50, 20, 100]", "[20, 50, 100]");
    codegen(&p);
    wrangler_accepts(&p, Some("staging"));
}

/// Regression (issue 27): a Durable Object binding with `script_name` (a class of another worker)
/// was reused as the container's binding, so container calls went to the other worker. It is an
/// error at the binding (the real wrangler refuses that config too) and nothing is written; a
/// binding to another worker's *other* class stays beside the container's own, and wrangler
/// accepts that.
#[test]
fn binding_to_another_workers_class_is_never_reused() {
    let p = TempProject::example("transcoder");
    let config = |class: &str| {
        format!(
            r#"{{
  "name": "video",
  "main": "src/server/index.ts",
  "compatibility_date": "2026-04-01",
  "durable_objects": {{
    "bindings": [
      {{ "name": "MEDIA_TRANSCODER", "class_name": "{class}", "script_name": "media-worker" }},
    ],
  }},
}}
"#
        )
    };
    p.write("wrangler.jsonc", &config("TranscoderContainer"));
    p.write("lunora/containers.ts", &definition(5));
    let before = p.snapshot();
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(1);
    assert!(!run.stdout.contains("binding-reused"), "{}", run.stdout);
    let error: serde_json::Value = run
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|r| r["code"] == "wrangler/binding-conflict")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(error["line"], 7, "{error}");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("MEDIA_TRANSCODER"));
    assert_eq!(before, p.snapshot(), "nothing written");

    // The other worker's class is another one: it stays, the container gets its own binding.
    p.write("wrangler.jsonc", &config("MediaTranscoder"));
    codegen(&p);
    let c = cfg(&p);
    let bindings = c["durable_objects"]["bindings"].as_array().unwrap();
    assert_eq!(bindings.len(), 2, "{c}");
    assert_eq!(bindings[0]["script_name"], "media-worker", "untouched");
    assert_eq!(bindings[1]["name"], "CONTAINER_TRANSCODER");
    assert_eq!(bindings[1]["class_name"], "TranscoderContainer");
    wrangler_accepts(&p, None);
    let before = p.snapshot();
    codegen(&p);
    assert_eq!(before, p.snapshot());
}
