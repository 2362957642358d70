//! `lunora codegen` against wrangler configs as real projects have them: diagnostics that tell
//! the truth after errors, ownership of classes, existing bindings, environments, local images as
//! wrangler reads them, config file forms, and paths that must stay inside the root. Every
//! project that ends with containers wired is checked with the real `wrangler deploy --dry-run`
//! for each environment it wires.

use crate::support::{fake, TempProject};

const DEFINITION: &str = "import { defineContainer } from \"@lunora/container\";\n\n\
export const transcoder = defineContainer({\n  image: \"./containers/transcoder\",\n  defaultPort: 8080,\n  maxInstances: 5,\n  enableInternet: false,\n});\n";

const FRESH_WRANGLER: &str = r#"// a user's config, before lunora wired anything
{
  "name": "lunora-transcoder-example",
  "main": "src/server/index.ts",
  "compatibility_date": "2026-04-01",
}
"#;

fn fresh() -> TempProject {
    let p = TempProject::example("transcoder");
    p.write("wrangler.jsonc", FRESH_WRANGLER);
    p.write("lunora/containers.ts", DEFINITION);
    p
}

fn parse_jsonc(text: &str) -> serde_json::Value {
    jsonc_parser::parse_to_serde_value(
        text.strip_prefix('\u{feff}').unwrap_or(text),
        &Default::default(),
    )
    .expect("valid JSONC")
}

/// The real `wrangler deploy --dry-run` (with `--env NAME`) accepts the project as it is.
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

fn json_records(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Regression (issue 10): one typo (`defaultPrt`) next to a wired container printed the error,
/// then `leftover-container` with `deleted_classes` advice. A container with an error is still
/// declared: only the error is reported, and nothing is written.
#[test]
fn typo_in_containers_ts_next_to_wired_containers_reports_only_the_error() {
    let p = fresh();
    p.lunora(&["codegen"]).assert_code(0);
    p.write(
        "lunora/containers.ts",
        &DEFINITION.replace("defaultPort", "defaultPrt"),
    );
    let before = p.snapshot();
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(1);
    let records = json_records(&run.stdout);
    assert!(!records.is_empty(), "{}", run.all());
    for r in &records {
        assert_eq!(r["severity"], "error", "only the error is reported: {r}");
        assert_eq!(r["file"], "lunora/containers.ts", "{r}");
    }
    assert!(!run.all().contains("deleted_classes"), "{}", run.all());
    assert_eq!(before, p.snapshot(), "a run with an error wrote files");
    let human = p.lunora(&["codegen"]);
    assert!(!human.stderr.contains("warning"), "{}", human.stderr);
    assert!(
        human.all().contains("1 error — nothing was written"),
        "{}",
        human.all()
    );
}

/// Regression (issue 10): a missing comma printed "`lunora/_generated/containers.ts` was
/// removed" although nothing was written. A syntax error concludes nothing about any container.
#[test]
fn missing_comma_reports_the_syntax_error_and_nothing_was_removed() {
    let p = fresh();
    p.lunora(&["codegen"]).assert_code(0);
    p.write(
        "lunora/containers.ts",
        &DEFINITION.replace("defaultPort: 8080,", "defaultPort: 8080"),
    );
    let before = p.snapshot();
    let run = p.lunora(&["codegen"]);
    run.assert_code(1);
    let all = run.all();
    for word in ["removed", "warning", "leftover", "re-export", "stale"] {
        assert!(!all.contains(word), "`{word}` after a syntax error:\n{all}");
    }
    assert!(all.contains("nothing was written"), "{all}");
    assert!(p.exists("lunora/_generated/containers.ts"));
    assert_eq!(before, p.snapshot());
}

/// The transcoder example as a project that wired `MyContainer` by hand before lunora: its
/// Dockerfile directory is `containers/my`, `wrangler.jsonc` is `name` plus the given
/// `containers[]` entry (bound as `MY_CONTAINER`, declared by migration v1), the worker entry
/// re-exports the generated classes, and `lunora/containers.ts` is `definition`.
fn hand_wired_my(name: &str, container_entry: &str, definition: &str) -> TempProject {
    let p = TempProject::example("transcoder");
    std::fs::rename(
        p.path().join("containers/transcoder"),
        p.path().join("containers/my"),
    )
    .unwrap();
    p.write("lunora/containers.ts", definition);
    p.write(
        "wrangler.jsonc",
        &format!(
            r#"{{
  "name": "{name}",
  "main": "src/server/index.ts",
  "compatibility_date": "2026-04-01",
  "containers": [{container_entry}],
  "durable_objects": {{ "bindings": [{{ "name": "MY_CONTAINER", "class_name": "MyContainer" }}] }},
  "migrations": [{{ "tag": "v1", "new_sqlite_classes": ["MyContainer"] }}],
}}
"#
        ),
    );
    p.write(
        "src/server/index.ts",
        "export * from \"../../lunora/_generated/containers\";\nexport default { fetch: () => new Response(\"ok\") };\n",
    );
    p.write("src/server/transcode.ts", "export {};\n");
    p
}

/// Regression (issue 10): a class bound by hand as `MY_CONTAINER` got a second binding
/// `CONTAINER_MY`. The binding is kept, the handles and `ContainersEnv` use it, said once as info.
#[test]
fn hand_bound_my_container_keeps_its_binding_and_the_handles_use_it() {
    let p = hand_wired_my(
        "hand-bound",
        r#"{ "class_name": "MyContainer", "image": "./containers/my/Dockerfile", "max_instances": 2 }"#,
        "import { defineContainer } from \"@lunora/container\";\n\nexport const my = defineContainer({ image: \"./containers/my\", maxInstances: 2, enableInternet: false });\n",
    );
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let infos: Vec<serde_json::Value> = json_records(&run.stdout)
        .into_iter()
        .filter(|r| r["code"] == "wrangler/binding-reused")
        .collect();
    assert_eq!(infos.len(), 1, "{}", run.stdout);
    assert_eq!(infos[0]["severity"], "info");
    let text = p.read("wrangler.jsonc");
    let line = infos[0]["line"].as_u64().unwrap() as usize;
    assert!(
        text.lines()
            .nth(line - 1)
            .unwrap()
            .contains("\"MY_CONTAINER\""),
        "at the binding: {}\n{text}",
        infos[0]
    );
    let cfg = parse_jsonc(&text);
    let bindings = cfg["durable_objects"]["bindings"].as_array().unwrap();
    assert_eq!(bindings.len(), 1, "no second binding: {cfg}");
    let handles = p.read("lunora/_generated/containerHandles.ts");
    assert!(
        handles.contains("MY_CONTAINER: DurableObjectNamespace<MyContainer>"),
        "{handles}"
    );
    assert!(
        handles.contains("{ binding: \"MY_CONTAINER\", exportName: \"my\""),
        "{handles}"
    );
    assert!(!handles.contains("CONTAINER_MY"), "{handles}");
    let out = wrangler_accepts(&p, None);
    assert!(out.contains("env.MY_CONTAINER (MyContainer)"), "{out}");
    // The second run changes nothing and reports the reuse again (it is still true).
    let before = p.snapshot();
    p.lunora(&["codegen"]).assert_code(0);
    assert_eq!(before, p.snapshot());
}

/// A hand-wired class whose entry sets `max_instances` and `instance_type`, then declared in
/// lunora/containers.ts without them: the first run removed both (a production container silently
/// back to `lite`). lunora removes only fields it wrote: the hand-set ones stay, on every run, with
/// one info; once the definition sets a field, lunora owns it, and removing it from the
/// definition removes it from the config.
#[test]
fn hand_set_fields_of_a_class_lunora_takes_over_are_kept_until_the_definition_owns_them() {
    let definition = |extra: &str| {
        format!("import {{ defineContainer }} from \"@lunora/container\";\n\nexport const my = defineContainer({{ image: \"./containers/my\", enableInternet: false{extra} }});\n")
    };
    let p = hand_wired_my(
        "hand-wired",
        r#"{ "class_name": "MyContainer", "image": "./containers/my/Dockerfile", "max_instances": 3, "instance_type": "standard-1" }"#,
        &definition(""),
    );
    let entry = |p: &TempProject| parse_jsonc(&p.read("wrangler.jsonc"))["containers"][0].clone();
    for run_no in 1..=2 {
        let run = p.lunora(&["codegen", "--format", "json"]);
        run.assert_code(0);
        let kept: Vec<serde_json::Value> = json_records(&run.stdout)
            .into_iter()
            .filter(|r| r["code"] == "wrangler/hand-set-kept")
            .collect();
        assert_eq!(kept.len(), 1, "run {run_no}: {}", run.stdout);
        assert_eq!(kept[0]["severity"], "info");
        let message = kept[0]["message"].as_str().unwrap();
        assert!(
            message.contains("`instance_type` \"standard-1\"")
                && message.contains("`max_instances` 3"),
            "{message}"
        );
        let e = entry(&p);
        assert_eq!(e["max_instances"], 3, "run {run_no}: {e}");
        assert_eq!(e["instance_type"], "standard-1", "run {run_no}: {e}");
    }
    wrangler_accepts(&p, None);
    // The definition takes max_instances over: written, recorded, no longer "kept".
    p.write("lunora/containers.ts", &definition(", maxInstances: 4"));
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    assert_eq!(entry(&p)["max_instances"], 4);
    let kept: Vec<serde_json::Value> = json_records(&run.stdout)
        .into_iter()
        .filter(|r| r["code"] == "wrangler/hand-set-kept")
        .collect();
    assert_eq!(kept.len(), 1, "{}", run.stdout);
    assert!(
        !kept[0]["message"]
            .as_str()
            .unwrap()
            .contains("max_instances"),
        "{}",
        kept[0]
    );
    let record = p.read("lunora/_generated/classes.json");
    assert!(record.contains("\"max_instances\""), "{record}");
    // Dropped from the definition: lunora wrote it, so it goes; instance_type stays.
    p.write("lunora/containers.ts", &definition(""));
    p.lunora(&["codegen"]).assert_code(0);
    let e = entry(&p);
    assert!(e.get("max_instances").is_none(), "{e}");
    assert_eq!(e["instance_type"], "standard-1", "{e}");
    wrangler_accepts(&p, None);
}

/// Regression (issue 10): hand-wired classes whose names end in `Container` were called "no
/// longer declared", with `deleted_classes` advice. Only classes lunora generated can be left
/// over, and the warning stays while their wiring does.
#[test]
fn hand_wired_container_class_is_never_called_leftover() {
    let p = fresh();
    p.write(
        "wrangler.jsonc",
        r#"{
  "name": "mixed",
  "main": "src/server/index.ts",
  "compatibility_date": "2026-04-01",
  "containers": [{ "class_name": "SandboxContainer", "image": "./containers/transcoder/Dockerfile", "max_instances": 1 }],
  "durable_objects": { "bindings": [{ "class_name": "SandboxContainer", "name": "SANDBOX" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["SandboxContainer"] }],
}
"#,
    );
    p.write(
        "src/server/index.ts",
        "export * from \"../../lunora/_generated/containers\";\nexport class SandboxContainer {}\nexport default { fetch: () => new Response(\"ok\") };\n",
    );
    p.write("src/server/transcode.ts", "export {};\n");
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("leftover"), "{}", run.stderr);
    wrangler_accepts(&p, None);

    // Now the generated container goes: it is a leftover (lunora generated it), SandboxContainer
    // is not — on this run and the next.
    p.write(
        "lunora/containers.ts",
        "import { defineContainer } from \"@lunora/container\";\n",
    );
    for round in 0..2 {
        let run = p.lunora(&["codegen", "--format", "json"]);
        run.assert_code(0);
        let leftovers: Vec<serde_json::Value> = json_records(&run.stdout)
            .into_iter()
            .filter(|r| r["code"] == "wrangler/leftover-container")
            .collect();
        assert_eq!(leftovers.len(), 1, "round {round}: {}", run.stdout);
        let message = leftovers[0]["message"].as_str().unwrap();
        assert!(message.contains("TranscoderContainer"), "{message}");
        assert!(!run.stdout.contains("`SandboxContainer` is no longer"));
        let help = leftovers[0]["help"].as_str().unwrap();
        assert!(
            help.contains("lunora remove transcoder --delete-data")
                && help.contains("`--delete-data` deletes the stored data"),
            "deleted_classes only with a plain statement that it deletes data: {help}"
        );
    }
}

/// A project whose generated directory is not committed (a fresh clone): with no record of what
/// lunora generated, nothing is called a leftover.
#[test]
fn without_a_record_no_class_is_called_leftover() {
    let p = TempProject::example("transcoder");
    p.write(
        "lunora/containers.ts",
        "import { defineContainer } from \"@lunora/container\";\n",
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("leftover"), "{}", run.stderr);
}

/// Issue 17: starting from a config with no containers, a declared container whose class the
/// worker entry does not export is not wired; once exported, it is.
#[test]
fn unexported_class_is_not_wired_until_the_entry_exports_it() {
    let p = fresh();
    p.write(
        "src/server/index.ts",
        "export default { fetch: () => new Response(\"ok\") };\n",
    );
    p.write("src/server/transcode.ts", "export {};\n");
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("warning[lunora/missing-reexport]"),
        "{}",
        run.stderr
    );
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    for key in ["containers", "durable_objects", "migrations"] {
        assert!(
            cfg.get(key).is_none(),
            "{key} written for an unexported class: {cfg}"
        );
    }
    p.write(
        "src/server/index.ts",
        "export * from \"../../lunora/_generated/containers\";\nexport default { fetch: () => new Response(\"ok\") };\n",
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("missing-reexport"), "{}", run.stderr);
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(cfg["containers"][0]["class_name"], "TranscoderContainer");
    assert_eq!(
        cfg["durable_objects"]["bindings"][0]["name"],
        "CONTAINER_TRANSCODER"
    );
    wrangler_accepts(&p, None);
}

const ENVS_WRANGLER: &str = r#"{
  "name": "video",
  "main": "src/server/index.ts",
  "compatibility_date": "2026-04-01",
  "containers": [
    { "class_name": "TranscoderContainer", "image": "./containers/transcoder/Dockerfile", "image_build_context": "./containers/transcoder", "max_instances": 5 },
  ],
  "durable_objects": { "bindings": [{ "class_name": "TranscoderContainer", "name": "CONTAINER_TRANSCODER" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["TranscoderContainer"] }],
  "env": {
    "staging": {
      "name": "video-staging",
      "containers": [
        {
          "class_name": "TranscoderContainer",
          "image": "registry.cloudflare.com/acme/transcoder:1.2", // pinned
          "name": "transcoder-staging",
          "max_instances": 1,
        },
      ],
      "durable_objects": { "bindings": [{ "class_name": "TranscoderContainer", "name": "CONTAINER_TRANSCODER" }] },
      "migrations": [{ "tag": "s1", "new_sqlite_classes": ["TranscoderContainer"] }],
    },
    "preview": { "name": "video-preview" },
  },
  "observability": { "enabled": true },
}
"#;

/// Regression (issue 10): `--env staging` replaced staging's pinned image, `name` and
/// `max_instances`; and a new container went only into the top-level migrations although staging
/// has its own. Also the CLI-level test of `codegen --env` (issue 17).
#[test]
fn codegen_env_staging_keeps_pinned_values_and_uses_its_own_migrations() {
    let p = fresh();
    p.write("wrangler.jsonc", ENVS_WRANGLER);
    // A second container, so there is something new to wire everywhere.
    std::fs::create_dir_all(p.path().join("containers/api")).unwrap();
    p.write("containers/api/Dockerfile", "FROM alpine:3.20\n");
    p.write(
        "lunora/containers.ts",
        &format!("{DEFINITION}export const api = defineContainer({{ image: \"./containers/api\", enableInternet: false }});\n"),
    );
    let run = p.lunora(&["codegen", "--env", "staging", "--format", "json"]);
    run.assert_code(0);
    let text = p.read("wrangler.jsonc");
    assert!(text.contains("\"registry.cloudflare.com/acme/transcoder:1.2\", // pinned"));
    let cfg = parse_jsonc(&text);
    let staging = &cfg["env"]["staging"];
    let pinned = &staging["containers"][0];
    assert_eq!(
        pinned["image"],
        "registry.cloudflare.com/acme/transcoder:1.2"
    );
    assert_eq!(pinned["name"], "transcoder-staging");
    assert_eq!(pinned["max_instances"], 1);
    assert_eq!(staging["containers"][1]["class_name"], "ApiContainer");
    assert_eq!(
        staging["durable_objects"]["bindings"][1]["name"],
        "CONTAINER_API"
    );
    let staging_migrations = staging["migrations"].as_array().unwrap();
    assert_eq!(staging_migrations.len(), 2, "{staging}");
    assert_eq!(
        staging_migrations[1]["new_sqlite_classes"][0],
        "ApiContainer"
    );
    assert_eq!(
        cfg["migrations"][1]["new_sqlite_classes"][0],
        "ApiContainer"
    );
    // preview had no containers yet: wrangler inherits none into it, so it is wired too
    // (issue 23: every env block is kept in step).
    assert_eq!(
        cfg["env"]["preview"]["durable_objects"]["bindings"][1]["name"],
        "CONTAINER_API"
    );
    let kept: Vec<serde_json::Value> = json_records(&run.stdout)
        .into_iter()
        .filter(|r| r["code"] == "wrangler/env-values-kept")
        .collect();
    assert_eq!(kept.len(), 1, "once: {}", run.stdout);
    assert_eq!(kept[0]["severity"], "info");
    assert!(kept[0]["message"]
        .as_str()
        .unwrap()
        .contains("max_instances 1"));
    wrangler_accepts(&p, None);
    wrangler_accepts(&p, Some("staging"));
    wrangler_accepts(&p, Some("preview"));
    // A second run changes nothing.
    let before = p.snapshot();
    p.lunora(&["codegen", "--env", "staging"]).assert_code(0);
    p.lunora(&["codegen"]).assert_code(0);
    assert_eq!(before, p.snapshot());
}

/// `--env NAME` wires an environment that has no containers yet; an unknown one is an error
/// that lists the environments there are, and nothing is written.
#[test]
fn codegen_env_wires_a_new_env_and_rejects_an_unknown_one() {
    let p = fresh();
    p.write("wrangler.jsonc", ENVS_WRANGLER);
    let before = p.snapshot();
    let run = p.lunora(&["codegen", "--env", "prod", "--format", "json"]);
    run.assert_code(1);
    let error = &json_records(&run.stdout)[0];
    assert_eq!(error["code"], "wrangler/missing-env");
    assert_eq!(error["file"], "wrangler.jsonc");
    assert_eq!(error["line"], 10, "at the env object: {error}");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("`staging`") && message.contains("`preview`"),
        "{message}"
    );
    assert_eq!(before, p.snapshot());

    p.lunora(&["codegen", "--env", "preview"]).assert_code(0);
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    let preview = &cfg["env"]["preview"];
    assert_eq!(
        preview["containers"][0]["class_name"],
        "TranscoderContainer"
    );
    assert_eq!(preview["containers"][0]["max_instances"], 5);
    assert_eq!(
        preview["durable_objects"]["bindings"][0]["name"],
        "CONTAINER_TRANSCODER"
    );
    assert!(
        preview.get("migrations").is_none(),
        "inherits the top level's"
    );
    wrangler_accepts(&p, Some("preview"));
    // From now on preview wires containers, so a plain run keeps it in step.
    let before = p.snapshot();
    p.lunora(&["codegen"]).assert_code(0);
    assert_eq!(before, p.snapshot());
}

/// Regression (issue 10): `image: "./SandboxDockerfile"` (a file) became
/// `./SandboxDockerfile/Dockerfile`, and wrangler rejected the config.
#[test]
fn file_named_dockerfile_is_the_dockerfile_and_its_directory_the_context() {
    let p = fresh();
    p.write(
        "SandboxDockerfile",
        "FROM --platform=linux/amd64 alpine:3.20\n",
    );
    p.write(
        "lunora/containers.ts",
        &DEFINITION.replace("./containers/transcoder", "./SandboxDockerfile"),
    );
    p.lunora(&["codegen"]).assert_code(0);
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(cfg["containers"][0]["image"], "./SandboxDockerfile");
    assert_eq!(cfg["containers"][0]["image_build_context"], ".");
    wrangler_accepts(&p, None);
}

/// Regression (issue 12): with both files present wrangler reads `wrangler.json`, but lunora
/// edited `wrangler.jsonc`.
#[test]
fn with_wrangler_json_and_jsonc_the_json_one_is_edited_and_the_other_named() {
    let p = fresh();
    std::fs::remove_file(p.path().join("wrangler.jsonc")).unwrap();
    let json = "{\n  \"name\": \"both\",\n  \"main\": \"src/server/index.ts\",\n  \"compatibility_date\": \"2026-04-01\"\n}\n";
    let jsonc = "// not read by wrangler\n{ \"name\": \"other\" }\n";
    p.write("wrangler.json", json);
    p.write("wrangler.jsonc", jsonc);
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("warning[wrangler/ignored-config]"),
        "{}",
        run.stderr
    );
    assert_eq!(p.read("wrangler.jsonc"), jsonc);
    let cfg: serde_json::Value = serde_json::from_str(&p.read("wrangler.json")).unwrap();
    assert_eq!(cfg["containers"][0]["class_name"], "TranscoderContainer");
    wrangler_accepts(&p, None);
}

/// Regression (issue 12): a byte order mark in wrangler.jsonc was a parse error; wrangler
/// accepts it. It is kept.
#[test]
fn bom_in_wrangler_jsonc_is_accepted_and_kept() {
    let p = fresh();
    p.write("wrangler.jsonc", &format!("\u{feff}{FRESH_WRANGLER}"));
    p.lunora(&["codegen"]).assert_code(0);
    let text = p.read("wrangler.jsonc");
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(
        parse_jsonc(&text)["containers"][0]["class_name"],
        "TranscoderContainer"
    );
    wrangler_accepts(&p, None);
}

/// Regression (issue 12): `lunora/_generated` symlinked to a directory outside the root was
/// written into, and with no containers its files were deleted.
#[test]
fn generated_dir_symlinked_outside_the_root_is_an_error_and_nothing_is_touched() {
    let p = fresh();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("containers.ts");
    std::fs::write(&victim, "// Generated by lunora, but not this project's\n").unwrap();
    std::os::unix::fs::symlink(outside.path(), p.path().join("lunora/_generated")).unwrap();
    let before = p.snapshot();
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(1);
    let errors: Vec<serde_json::Value> = json_records(&run.stdout)
        .into_iter()
        .filter(|r| r["code"] == "lunora/path-outside-root")
        .collect();
    assert!(!errors.is_empty(), "{}", run.stdout);
    assert_eq!(errors[0]["severity"], "error");
    assert_eq!(before, p.snapshot(), "nothing is written");
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        1,
        "nothing appears outside the root"
    );

    // With no containers declared, nothing outside is deleted either.
    p.write(
        "lunora/containers.ts",
        "import { defineContainer } from \"@lunora/container\";\n",
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(1);
    assert!(victim.exists(), "a file outside the root was deleted");
}

/// Issue 12: lunora deletes only files that carry its generated header.
#[test]
fn a_file_without_the_generated_header_is_not_deleted() {
    let p = fresh();
    let mine = "// my own classes, not lunora's\nexport class Mine {}\n";
    p.write("lunora/_generated/containers.ts", mine);
    p.write(
        "lunora/containers.ts",
        "import { defineContainer } from \"@lunora/container\";\n",
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("warning[lunora/not-generated]"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("removed"), "{}", run.stdout);
    assert_eq!(p.read("lunora/_generated/containers.ts"), mine);
}

/// Regression (issue 12): a symlinked wrangler.jsonc was replaced by a regular file, so the
/// shared target was never updated. Inside the root it is edited through the link.
#[test]
fn symlinked_wrangler_config_is_edited_through_to_its_target() {
    let p = fresh();
    p.write("config/wrangler.shared.jsonc", FRESH_WRANGLER);
    std::fs::remove_file(p.path().join("wrangler.jsonc")).unwrap();
    std::os::unix::fs::symlink(
        "config/wrangler.shared.jsonc",
        p.path().join("wrangler.jsonc"),
    )
    .unwrap();
    p.lunora(&["codegen"]).assert_code(0);
    let link = std::fs::symlink_metadata(p.path().join("wrangler.jsonc")).unwrap();
    assert!(link.file_type().is_symlink(), "the symlink stays a symlink");
    let target = p.read("config/wrangler.shared.jsonc");
    assert!(target.contains("\"TranscoderContainer\""), "{target}");
}

/// Issue 12: a symlinked wrangler.jsonc whose target is outside the root is an error.
#[test]
fn symlinked_wrangler_config_outside_the_root_is_an_error() {
    let p = fresh();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("wrangler.jsonc");
    std::fs::write(&target, FRESH_WRANGLER).unwrap();
    std::fs::remove_file(p.path().join("wrangler.jsonc")).unwrap();
    std::os::unix::fs::symlink(&target, p.path().join("wrangler.jsonc")).unwrap();
    let before = p.snapshot();
    let run = p.lunora(&["codegen"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("error[lunora/path-outside-root]"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), FRESH_WRANGLER);
    assert_eq!(before, p.snapshot());
}

/// Regression (issue 12): a `main` of `/abs/other.ts` or `../x.ts` made `generate` edit a file
/// outside the project.
#[test]
fn generate_refuses_a_worker_entry_outside_the_root() {
    let outside = tempfile::tempdir().unwrap();
    let other = outside.path().join("other.ts");
    let text = "export default {};\n";
    std::fs::write(&other, text).unwrap();
    for main in [
        other.to_string_lossy().into_owned(),
        format!(
            "../{}/other.ts",
            outside.path().file_name().unwrap().to_string_lossy()
        ),
    ] {
        let p = TempProject::empty();
        p.write(
            "wrangler.jsonc",
            &format!("{{ \"name\": \"x\", \"main\": {main:?}, \"compatibility_date\": \"2026-04-01\" }}\n"),
        );
        let before = p.snapshot();
        let run = p.lunora(&["generate", "lunora-container", "--name=api"]);
        assert_ne!(run.code, 0, "{}", run.all());
        assert!(
            run.all().contains("outside the project root"),
            "{}",
            run.all()
        );
        assert_eq!(std::fs::read_to_string(&other).unwrap(), text, "{main}");
        assert_eq!(before, p.snapshot(), "{main}: nothing is written");
    }
}
