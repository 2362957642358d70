//! `lunora codegen` on the transcoder example, from a user-written wrangler.jsonc to TypeScript
//! that tsc accepts and a config the real wrangler accepts.

use crate::support::TempProject;

/// The example's wrangler.jsonc as a user writes it, before lunora has wired anything.
const FRESH_WRANGLER: &str = r#"// wrangler.jsonc for the transcoder example.
{
  "$schema": "node_modules/wrangler/config-schema.json",
  "name": "lunora-transcoder-example",
  "main": "src/server/index.ts",
  "compatibility_date": "2026-04-01",
  // Containers need the Workers Paid plan.
  "vars": {
    "LOG_LEVEL": "info", // read by the app
  },
}
"#;

fn fresh_example() -> TempProject {
    let p = TempProject::example("transcoder");
    p.write("wrangler.jsonc", FRESH_WRANGLER);
    p
}

#[test]
fn codegen_writes_classes_handles_and_wiring() {
    let p = fresh_example();
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("wrote lunora/_generated/containers.ts"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("wrote lunora/_generated/containerHandles.ts"),
        "{}",
        run.stdout
    );

    let classes = p.read("lunora/_generated/containers.ts");
    assert!(classes.contains("export class TranscoderContainer extends LunoraContainer"));
    assert!(classes.contains("export { ContainerProxy } from \"@lunora/container/do\""));
    let handles = p.read("lunora/_generated/containerHandles.ts");
    assert!(handles.contains("CONTAINER_TRANSCODER: DurableObjectNamespace<TranscoderContainer>"));
    assert!(handles.contains("maxInstances: 5"));

    let cfg = p.read("wrangler.jsonc");
    // The user's comments survive.
    assert!(cfg.contains("// wrangler.jsonc for the transcoder example."));
    assert!(cfg.contains("// Containers need the Workers Paid plan."));
    assert!(cfg.contains("// read by the app"));
    let value = parse_jsonc(&cfg);
    assert_eq!(
        value["durable_objects"]["bindings"][0]["class_name"],
        "TranscoderContainer"
    );
    assert_eq!(
        value["durable_objects"]["bindings"][0]["name"],
        "CONTAINER_TRANSCODER"
    );
    assert_eq!(value["migrations"][0]["tag"], "v1");
    assert_eq!(
        value["migrations"][0]["new_sqlite_classes"][0],
        "TranscoderContainer"
    );
    let c = &value["containers"][0];
    assert_eq!(c["class_name"], "TranscoderContainer");
    assert_eq!(c["image"], "./containers/transcoder/Dockerfile");
    assert_eq!(c["instance_type"], "standard-1");
    assert_eq!(c["max_instances"], 5);
    assert_eq!(value["observability"]["enabled"], true);
}

#[test]
fn generated_code_type_checks_with_real_tsc() {
    let p = fresh_example();
    p.lunora(&["codegen"]).assert_code(0);
    let tsc = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    tsc.assert_code(0);
}

#[test]
fn an_undeclared_container_does_not_type_check() {
    let p = fresh_example();
    p.lunora(&["codegen"]).assert_code(0);
    p.write(
        "src/server/nope.ts",
        "import type { ActionCtx } from \"./transcode\";\n\
         export async function nope(ctx: ActionCtx) {\n  return ctx.containers.nope.get(\"x\").fetch(\"/\");\n}\n",
    );
    let tsc = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    assert_ne!(
        tsc.code,
        0,
        "tsc accepted ctx.containers.nope:\n{}",
        tsc.all()
    );
    assert!(
        tsc.all().contains("Property 'nope' does not exist"),
        "{}",
        tsc.all()
    );
    assert!(tsc.all().contains("src/server/nope.ts"), "{}", tsc.all());
}

#[test]
fn real_wrangler_accepts_the_reconciled_config() {
    let p = fresh_example();
    p.lunora(&["codegen"]).assert_code(0);
    p.npm_tool("wrangler", &["types", "--include-runtime=false"], &[])
        .assert_code(0);
    let types = p.read("worker-configuration.d.ts");
    assert!(types.contains("CONTAINER_TRANSCODER"), "{types}");
    let out = p.path().join("dist-dry-run");
    let run = p.npm_tool(
        "wrangler",
        &["deploy", "--dry-run", "--outdir", out.to_str().unwrap()],
        &[(
            "WRANGLER_DOCKER_BIN",
            crate::support::fake("docker").to_str().unwrap(),
        )],
    );
    run.assert_code(0);
    assert!(
        run.all()
            .contains("env.CONTAINER_TRANSCODER (TranscoderContainer)"),
        "{}",
        run.all()
    );
}

#[test]
fn second_run_changes_no_byte_and_check_passes() {
    let p = fresh_example();
    p.lunora(&["codegen"]).assert_code(0);
    let before = p.snapshot();
    let second = p.lunora(&["codegen"]);
    second.assert_code(0);
    assert!(!second.stdout.contains("wrote"), "{}", second.stdout);
    assert_eq!(before, p.snapshot(), "a second run changed files");
    p.lunora(&["codegen", "--check"]).assert_code(0);
    assert_eq!(before, p.snapshot());
}

#[test]
fn check_reports_a_stale_max_instances_and_writes_nothing() {
    let p = fresh_example();
    p.lunora(&["codegen"]).assert_code(0);
    let ts = p
        .read("lunora/containers.ts")
        .replace("maxInstances: 5", "maxInstances: 7");
    p.write("lunora/containers.ts", &ts);
    let before = p.snapshot();
    let run = p.lunora(&["codegen", "--check"]);
    run.assert_code(1);
    assert!(run.stdout.contains("-  { binding: \"CONTAINER_TRANSCODER\", exportName: \"transcoder\", maxInstances: 5 },"), "{}", run.stdout);
    assert!(run.stdout.contains("+  { binding: \"CONTAINER_TRANSCODER\", exportName: \"transcoder\", maxInstances: 7 },"), "{}", run.stdout);
    assert!(
        run.stdout.contains("\"max_instances\": 7"),
        "wrangler.jsonc diff missing:\n{}",
        run.stdout
    );
    assert_eq!(before, p.snapshot(), "--check wrote files");
}

#[test]
fn syntax_error_is_located_and_nothing_is_touched() {
    let p = fresh_example();
    p.write(
        "lunora/containers.ts",
        "import { defineContainer } from \"@lunora/container\";\n\nexport const transcoder = defineContainer({\n  image: \"./containers/transcoder\",\n  defaultPort: 8080,,\n});\n",
    );
    let before = p.snapshot();
    let run = p.lunora(&["codegen"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("lunora/containers.ts:5:"),
        "{}",
        run.stderr
    );
    assert_eq!(before, p.snapshot(), "a failed run touched files");
    assert!(!p.exists("lunora/_generated"));

    let json = p.lunora(&["codegen", "--format", "json"]);
    json.assert_code(1);
    let first: serde_json::Value =
        serde_json::from_str(json.stdout.lines().next().expect("a JSON line")).unwrap();
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "lunora/containers.ts");
    assert_eq!(first["line"], 5);
    assert!(first["column"].as_u64().unwrap() >= 1);
    assert_eq!(before, p.snapshot());
}

fn parse_jsonc(text: &str) -> serde_json::Value {
    jsonc_parser::parse_to_serde_value(text, &Default::default()).expect("valid JSONC")
}

#[test]
fn removing_every_container_keeps_wiring_and_says_what_to_do() {
    let p = fresh_example();
    p.lunora(&["codegen"]).assert_code(0);
    let wired = p.read("wrangler.jsonc");
    p.write(
        "lunora/containers.ts",
        "import { defineContainer } from \"@lunora/container\";\n",
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    // The generated modules stay, empty, so the worker's imports of them still resolve
    // (issue 23.6: deleting them broke the build)…
    assert!(!p.read("lunora/_generated/containers.ts").contains("class "));
    assert!(!p
        .read("lunora/_generated/containerHandles.ts")
        .contains("CONTAINER_TRANSCODER"));
    assert!(
        run.stdout.contains("wrote lunora/_generated/containers.ts")
            && run.stdout.contains(
                "lunora/_generated/containers.ts and lunora/_generated/containerHandles.ts kept as empty modules"
            ),
        "{}",
        run.stdout
    );
    // …the Durable Object wiring stays (deleting a class deletes its data), with a warning
    // naming each leftover; the worker entry's re-export still resolves, so it is not flagged.
    assert_eq!(p.read("wrangler.jsonc"), wired);
    assert!(
        run.stderr.contains("warning[wrangler/leftover-container]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("TranscoderContainer"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("lunora/stale-reexport"),
        "{}",
        run.stderr
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
    let tsc = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    // The only type errors are the calls of the removed container, which the user deletes.
    assert!(
        tsc.all()
            .lines()
            .filter(|l| l.contains("error TS"))
            .all(|l| l.contains("Property 'transcoder' does not exist")),
        "{}",
        tsc.all()
    );
}

/// A worker entry that re-exports a generated module lunora never wrote (none is declared, and
/// none was generated) would not build: the warning names the line to delete.
#[test]
fn a_reexport_of_a_module_never_generated_is_flagged() {
    let p = fresh_example();
    p.write(
        "lunora/containers.ts",
        "import { defineContainer } from \"@lunora/container\";\n",
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(!p.exists("lunora/_generated/containers.ts"));
    assert!(
        run.stderr.contains("warning[lunora/stale-reexport]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("delete `export * from \"../../lunora/_generated/containers\";`"),
        "{}",
        run.stderr
    );
    // Located at the line to delete (line 3 of the example's entry).
    assert!(
        run.stderr.contains("--> src/server/index.ts:3:1"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_toml_only_project_is_told_to_convert_and_its_config_is_untouched() {
    let p = TempProject::example("transcoder");
    std::fs::remove_file(p.path().join("wrangler.jsonc")).unwrap();
    let toml =
        "name = \"t\"\nmain = \"src/server/index.ts\"\ncompatibility_date = \"2026-04-01\"\n";
    p.write("wrangler.toml", toml);
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("warning[wrangler/toml-unsupported]"),
        "{}",
        run.stderr
    );
    assert_eq!(p.read("wrangler.toml"), toml);
    assert!(p.exists("lunora/_generated/containers.ts"));
}

/// Regression: a missing image path was a warning and codegen exited 0 with a config wrangler
/// then rejected. It is an error at the `image` value, and nothing is written.
#[test]
fn a_missing_image_path_is_an_error_at_the_image_value() {
    let p = fresh_example();
    std::fs::remove_dir_all(p.path().join("containers/transcoder")).unwrap();
    let before = p.snapshot();
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(1);
    let error = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["code"] == "containers/image-not-found")
        .unwrap_or_else(|| panic!("no image-not-found error in\n{}", run.stdout));
    assert_eq!(error["severity"], "error");
    assert_eq!(error["file"], "lunora/containers.ts");
    // `image: "./containers/transcoder",` is on line 5; the value starts at column 10.
    assert_eq!(error["line"], 5);
    assert_eq!(error["column"], 10);
    assert!(error["help"]
        .as_str()
        .unwrap()
        .contains("lunora generate lunora-container --name=transcoder"));
    assert_eq!(before, p.snapshot(), "a run with an error wrote files");
    // A directory without a Dockerfile is an error too.
    p.write("containers/transcoder/README.md", "no Dockerfile here\n");
    let run = p.lunora(&["codegen"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("is the directory ./containers/transcoder, which has no Dockerfile"),
        "{}",
        run.stderr
    );
}

/// Regression (issue 27): a container exported as `lunora` generated
/// `class LunoraContainer extends LunoraContainer`. The base is imported under another name, and
/// the real tsc accepts the result, the handles included.
#[test]
fn a_container_named_lunora_type_checks_with_real_tsc() {
    let p = fresh_example();
    let mut ts = p.read("lunora/containers.ts");
    ts.push_str(
        "\nexport const lunora = defineContainer({\n  image: { registry: \"docker.io/acme/lunora:1\" },\n  defaultPort: 8080,\n});\n",
    );
    p.write("lunora/containers.ts", &ts);
    p.lunora(&["codegen"]).assert_code(0);
    let classes = p.read("lunora/_generated/containers.ts");
    assert!(
        classes.contains(
            "import { LunoraContainer as LunoraContainerBase } from \"@lunora/container/do\";"
        ),
        "{classes}"
    );
    assert!(classes.contains("export class LunoraContainer extends LunoraContainerBase {"));
    p.write(
        "src/server/lunora-use.ts",
        "import type { ActionCtx } from \"./transcode\";\n\
         export async function useIt(ctx: ActionCtx) {\n  return ctx.containers.lunora.get(\"x\").port(8080).fetch(\"/\");\n}\n",
    );
    let tsc = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    assert_eq!(tsc.code, 0, "tsc rejected it:\n{}", tsc.all());
}

#[test]
fn a_binding_name_that_is_not_an_identifier_broke_the_generated_typescript() {
    // Wrangler allows any string as a binding name; `MY-BINDING` went raw into the generated
    // `ContainersEnv`, which neither tsc nor wrangler's build accepted. `*/` would have closed a
    // doc comment.
    let p = fresh_example();
    p.lunora(&["codegen"]).assert_code(0);
    let wrangler = p
        .read("wrangler.jsonc")
        .replace("\"CONTAINER_TRANSCODER\"", "\"MY-BINDING*/x\"");
    assert!(wrangler.contains("MY-BINDING"), "{wrangler}");
    p.write("wrangler.jsonc", &wrangler);
    p.lunora(&["codegen"]).assert_code(0);
    let handles = p.read("lunora/_generated/containerHandles.ts");
    assert!(
        handles.contains("\"MY-BINDING*/x\": DurableObjectNamespace<TranscoderContainer>;"),
        "{handles}"
    );
    assert!(
        p.read("lunora/_generated/containers.ts")
            .contains("(binding `MY-BINDING*\\/x`)"),
        "the doc comment must not be closed"
    );
    p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[])
        .assert_code(0);
    let out = p.path().join("dist-dry-run");
    let run = p.npm_tool(
        "wrangler",
        &["deploy", "--dry-run", "--outdir", out.to_str().unwrap()],
        &[(
            "WRANGLER_DOCKER_BIN",
            crate::support::fake("docker").to_str().unwrap(),
        )],
    );
    run.assert_code(0);
    assert!(
        run.all().contains("MY-BINDING*/x (TranscoderContainer)"),
        "{}",
        run.all()
    );
}
