//! `lunora adopt` on classes whose behaviour a definition cannot hold (a custom `fetch`, a
//! lifecycle hook, `manualStart`, a value only the running code knows): each stays in the worker
//! as a subclass of lunora's generated class, and the class wrangler's real bundle exports under
//! the bound name is that subclass, with its code. Also: an adopted class keeps its name through
//! `lunora rename` and `lunora remove --delete-data` names the class that really holds the data.

use crate::adopt::{application_of, wrangler_application_names};
use crate::migrations::{
    bound_class, parse_jsonc, replay, sandbox_project, tsc_accepts, wrangler_accepts,
    SANDBOX_WORKER,
};
use crate::support::TempProject;

/// The source of the class wrangler's dry-run bundle exports as `name`: the class expression
/// bound to the local the bundle's `export { … }` list gives that name.
fn bundled_class(p: &TempProject, name: &str) -> String {
    let bundle = std::fs::read_to_string(p.path().join("dist-dry-run/index.js")).expect("bundle");
    let list = &bundle[bundle.rfind("export {").expect("an export list")..];
    let local = list
        .split(|c| c == '{' || c == '}' || c == ',')
        .map(str::trim)
        .find_map(|item| match item.split_once(" as ") {
            Some((local, exported)) if exported == name => Some(local.to_string()),
            None if item == name => Some(item.to_string()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("the bundle does not export {name}: {list}"));
    let start = bundle
        .find(&format!("var {local} = class "))
        .unwrap_or_else(|| panic!("no class {local} in the bundle"));
    let end = start + bundle[start..].find("\n};\n").expect("the class ends");
    bundle[start..end].to_string()
}

/// Adopts the sandbox project with `class_body` added to the class, checks the run and the
/// result with the real wrangler and tsc, and returns (worker, definitions, bound class source).
fn adopt_with(class_body: &str) -> (TempProject, String, String, String) {
    let p = sandbox_project();
    p.write(
        "src/index.ts",
        &SANDBOX_WORKER.replace(
            "  labels = { team: \"sandbox\" };\n",
            &format!("  labels = {{ team: \"sandbox\" }};\n{class_body}"),
        ),
    );
    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    assert!(
        run.all()
            .contains("now as a subclass of lunora's generated class"),
        "{}",
        run.all()
    );
    let worker = p.read("src/index.ts");
    assert!(
        worker.contains(
            "import { Sandbox as LunoraSandbox } from \"../lunora/_generated/containers\";"
        ),
        "{worker}"
    );
    assert!(
        worker.contains("export class Sandbox extends LunoraSandbox {"),
        "{worker}"
    );
    // The carried settings left the class for the definition.
    for gone in ["defaultPort = PORT", "sleepAfter = \"5m\"", "labels = {"] {
        assert!(!worker.contains(gone), "`{gone}` stayed:\n{worker}");
    }
    let defs = p.read("lunora/containers.ts");
    assert!(defs.contains("  className: \"Sandbox\",\n"), "{defs}");
    assert!(
        defs.contains("  defaultPort: 3000, // the server's port\n"),
        "{defs}"
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
    let dry = wrangler_accepts(&p);
    assert!(dry.contains("env.SANDBOX (Sandbox)"), "{dry}");
    let bound = bundled_class(&p, "Sandbox");
    tsc_accepts(&p);
    // No migration: the storage is the class's own.
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(replay(&cfg["migrations"])["Sandbox"], "Sandbox@v1");
    assert_eq!(bound_class(&cfg, "SANDBOX"), "Sandbox");
    (p, worker, defs, bound)
}

/// Regression for "a custom fetch that routes ports stops at the next deploy".
#[test]
fn adopt_keeps_a_custom_fetch_where_the_binding_reaches_it() {
    let (_p, _, _, bound) = adopt_with(
        "  override async fetch(request: Request): Promise<Response> {\n    if (new URL(request.url).pathname === \"/admin\") return this.containerFetch(request, 9090);\n    return super.fetch(request);\n  }\n",
    );
    assert!(
        bound.contains("extends Sandbox"),
        "the generated class is its base: {bound}"
    );
    assert!(
        bound.contains("this.containerFetch(request, 9090)"),
        "{bound}"
    );
}

/// Regression for "lifecycle hooks are dropped": the hook runs in the bound class.
#[test]
fn adopt_keeps_a_lifecycle_hook() {
    let (_p, _, _, bound) =
        adopt_with("  override onStart() {\n    console.log(\"sandbox up\");\n  }\n");
    assert!(bound.contains("console.log(\"sandbox up\")"), "{bound}");
}

/// Regression for "`manualStart = true` is dropped".
#[test]
fn adopt_keeps_manual_start() {
    let (_p, worker, defs, bound) = adopt_with("  manualStart = true;\n");
    assert!(worker.contains("  manualStart = true;\n"), "{worker}");
    assert!(!defs.contains("manualStart"), "{defs}");
    assert!(bound.contains("manualStart = true"), "{bound}");
}

/// Regression for "computed values are dropped": a value only the running code knows stays in
/// the class, next to the settings the definition took.
#[test]
fn adopt_keeps_a_computed_value() {
    let (_p, worker, defs, bound) =
        adopt_with("  entrypoint = [\"node\", `server-${Date.now() % 2}.js`];\n");
    assert!(
        worker.contains("  entrypoint = [\"node\", `server-"),
        "{worker}"
    );
    assert!(!defs.contains("entrypoint"), "{defs}");
    assert!(
        bound.contains("entrypoint = [\"node\", `server-"),
        "{bound}"
    );
}

/// An adopted class keeps its name, storage and container application through `lunora rename`
/// (the export changes; `className` stays), checked against wrangler's own derivation of the
/// application name and the migration replay; the command says no data moved.
#[test]
fn rename_after_adopt_keeps_the_class_and_the_container_application() {
    let p = sandbox_project();
    let before = application_of(&wrangler_application_names(&p, None), "Sandbox");
    p.lunora(&["adopt"]).assert_code(0);
    let run = p.lunora(&["rename", "sandbox", "box"]);
    run.assert_code(0);
    let out = run.all();
    assert!(!out.contains("renamed_classes"), "{out}");
    assert!(!out.contains("BoxContainer"), "{out}");
    let defs = p.read("lunora/containers.ts");
    assert!(
        defs.contains("export const box = defineContainer({\n  className: \"Sandbox\","),
        "{defs}"
    );
    assert_eq!(
        application_of(&wrangler_application_names(&p, None), "Sandbox"),
        before
    );
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(cfg["migrations"].as_array().unwrap().len(), 1, "{cfg}");
    assert_eq!(replay(&cfg["migrations"])["Sandbox"], "Sandbox@v1");
    assert_eq!(bound_class(&cfg, "SANDBOX"), "Sandbox");
    p.lunora(&["codegen", "--check"]).assert_code(0);
    wrangler_accepts(&p);
}

/// `lunora remove --delete-data` of an adopted container deletes the class that holds its data
/// (`Sandbox`), not the one its export name would give.
#[test]
fn remove_after_adopt_deletes_the_adopted_class() {
    let p = sandbox_project();
    p.lunora(&["adopt"]).assert_code(0);
    let run = p.lunora(&["remove", "sandbox", "--delete-data"]);
    run.assert_code(0);
    let out = run.all();
    assert!(out.contains("every Sandbox instance"), "{out}");
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert!(!replay(&cfg["migrations"]).contains_key("Sandbox"), "{cfg}");
    assert_eq!(
        cfg["durable_objects"]["bindings"]
            .as_array()
            .map_or(0, Vec::len),
        0,
        "{cfg}"
    );
}

/// Regression for "a held-back class is wired on the second run": after a hand rename, the new
/// class was recorded as lunora's, so the next `lunora codegen` no longer saw it as new and wired
/// it (a migration creating it), which makes the rename impossible and orphans the data. It
/// stays held back, run after run, and `lunora rename` still moves the data.
#[test]
fn a_held_back_class_stays_held_back_on_the_next_run() {
    let p = crate::migrations::wired_example();
    let defs = p.read("lunora/containers.ts");
    p.write(
        "lunora/containers.ts",
        &defs.replace("export const transcoder", "export const videoTranscoder"),
    );
    for run in 0..2 {
        let out = p.lunora(&["codegen"]);
        assert!(
            out.all().contains("lunora/possible-rename"),
            "run {run}: {}",
            out.all()
        );
        let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
        assert!(
            !replay(&cfg["migrations"]).contains_key("VideoTranscoderContainer"),
            "run {run} created the new class: {cfg}"
        );
    }
    p.lunora(&["rename", "transcoder", "videoTranscoder"])
        .assert_code(0);
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(
        replay(&cfg["migrations"])["VideoTranscoderContainer"],
        "TranscoderContainer@v1"
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
}

/// Removing an adopted definition's `className` would change its class: codegen says so (not
/// "run `lunora rename sandbox sandbox`"), holds the new class back on every run, and putting
/// the `className` back restores the adopted state with nothing to change.
#[test]
fn removing_class_name_is_caught_and_reversible() {
    let p = sandbox_project();
    p.lunora(&["adopt"]).assert_code(0);
    let adopted = p.snapshot();
    let defs = p.read("lunora/containers.ts");
    p.write(
        "lunora/containers.ts",
        &defs.replace("  className: \"Sandbox\",\n", ""),
    );
    for run in 0..2 {
        let out = p.lunora(&["codegen"]);
        let all = out.all();
        assert!(
            all.contains("the class of `sandbox` changed from Sandbox to SandboxContainer"),
            "run {run}: {all}"
        );
        assert!(!all.contains("lunora rename sandbox sandbox"), "{all}");
        assert!(!p.read("wrangler.jsonc").contains("SandboxContainer"));
    }
    p.write("lunora/containers.ts", &defs);
    p.lunora(&["codegen"]).assert_code(0);
    p.lunora(&["codegen", "--check"]).assert_code(0);
    assert!(
        adopted == p.snapshot(),
        "the adopted state is back, byte for byte"
    );
}
