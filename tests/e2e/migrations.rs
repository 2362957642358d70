//! Data-safe migrations, whole commands on temp projects: `lunora adopt` on projects shaped like
//! the public Cloudflare containers template and like a `Sandbox` project, and the helpers every
//! migration test shares (`rename_remove.rs` has `lunora rename` and `lunora remove`). Every
//! outcome is checked with the real `wrangler deploy --dry-run`, with the real `tsc` where the
//! worker must type-check, and with a replay of the migrations written here, independently of
//! lunora's own (storage follows the class through `renamed_classes`, `deleted_classes` ends it).

use crate::support::{fake, TempProject};
use serde_json::Value;
use std::collections::BTreeMap;

pub(crate) fn parse_jsonc(text: &str) -> Value {
    jsonc_parser::parse_to_serde_value(
        text.strip_prefix('\u{feff}').unwrap_or(text),
        &Default::default(),
    )
    .expect("valid JSONC")
}

pub(crate) fn json_records(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Replays a `migrations` array: which storage each class holds afterwards. A storage is named
/// after the class and tag that created it (`MyContainer@v1`); a rename moves it, a deletion
/// ends it. Written from Cloudflare's documented semantics, not from lunora's code.
pub(crate) fn replay(migrations: &Value) -> BTreeMap<String, String> {
    let mut held: BTreeMap<String, String> = BTreeMap::new();
    for m in migrations.as_array().into_iter().flatten() {
        let tag = m["tag"].as_str().unwrap_or("?");
        for key in ["new_classes", "new_sqlite_classes"] {
            for c in m[key].as_array().into_iter().flatten() {
                let c = c.as_str().unwrap();
                assert!(!held.contains_key(c), "migration {tag} creates {c} twice");
                held.insert(c.to_string(), format!("{c}@{tag}"));
            }
        }
        for r in m["renamed_classes"].as_array().into_iter().flatten() {
            let (from, to) = (r["from"].as_str().unwrap(), r["to"].as_str().unwrap());
            let storage = held
                .remove(from)
                .unwrap_or_else(|| panic!("migration {tag} renames {from}, which has no storage"));
            assert!(
                !held.contains_key(to),
                "migration {tag} renames onto {to}, which exists"
            );
            held.insert(to.to_string(), storage);
        }
        for c in m["deleted_classes"].as_array().into_iter().flatten() {
            let c = c.as_str().unwrap();
            held.remove(c)
                .unwrap_or_else(|| panic!("migration {tag} deletes {c}, which has no storage"));
        }
    }
    held
}

/// The class a binding names at the top level.
pub(crate) fn bound_class(cfg: &Value, binding: &str) -> String {
    cfg["durable_objects"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == binding)
        .unwrap_or_else(|| panic!("no binding {binding}: {cfg}"))["class_name"]
        .as_str()
        .unwrap()
        .to_string()
}

pub(crate) fn count(cfg: &Value, pointer: &str) -> usize {
    cfg.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// The real `wrangler deploy --dry-run`; returns (exit code, output).
pub(crate) fn wrangler_dry_run(p: &TempProject) -> (i32, String) {
    let out = p.path().join("dist-dry-run");
    let run = p.npm_tool(
        "wrangler",
        &["deploy", "--dry-run", "--outdir", out.to_str().unwrap()],
        &[("WRANGLER_DOCKER_BIN", fake("docker").to_str().unwrap())],
    );
    (run.code, run.all())
}

#[track_caller]
pub(crate) fn wrangler_accepts(p: &TempProject) -> String {
    let (code, out) = wrangler_dry_run(p);
    assert_eq!(code, 0, "wrangler rejected the project:\n{out}");
    out
}

/// `wrangler types` as the user runs it, then the real `tsc` in strict mode.
#[track_caller]
pub(crate) fn tsc_accepts(p: &TempProject) {
    p.npm_tool("wrangler", &["types", "--include-runtime=false"], &[])
        .assert_code(0);
    let tsc = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    assert_eq!(tsc.code, 0, "tsc rejected the worker:\n{}", tsc.all());
}

pub(crate) const TSCONFIG: &str = r#"{
  "compilerOptions": {
    "target": "ES2022",
    "module": "ES2022",
    "moduleResolution": "bundler",
    "lib": ["ES2022"],
    "types": ["@cloudflare/workers-types"],
    "strict": true,
    "noEmit": true,
    "skipLibCheck": false
  },
  "include": ["src/**/*.ts", "lunora/**/*.ts", "worker-configuration.d.ts"]
}
"#;

pub(crate) const TEMPLATE_WRANGLER: &str = r#"/**
 * For more details on how to configure Wrangler, refer to:
 * https://developers.cloudflare.com/workers/wrangler/configuration/
 */
{
	"$schema": "node_modules/wrangler/config-schema.json",
	"name": "cloudflare-containers-template",
	"main": "src/index.ts",
	"compatibility_date": "2025-05-23",
	"compatibility_flags": ["nodejs_compat"],
	"observability": {
		"enabled": true
	},
	"containers": [
		{
			"class_name": "MyContainer",
			"image": "./Dockerfile",
			"max_instances": 10
		}
	],
	"durable_objects": {
		"bindings": [
			{
				"class_name": "MyContainer",
				"name": "MY_CONTAINER"
			}
		]
	},
	"migrations": [
		{
			"new_sqlite_classes": ["MyContainer"],
			"tag": "v1"
		}
	]
}
"#;

pub(crate) const TEMPLATE_WORKER: &str = r#"import { Container, getContainer, getRandom } from "@cloudflare/containers";

export class MyContainer extends Container<Env> {
  // Port the container listens on (default: 8080)
  defaultPort = 8080;
  // Time before container sleeps due to inactivity (default: 30s)
  sleepAfter = "2m";
  // Environment variables passed to the container
  envVars = {
    MESSAGE: "I was passed in via the container class!",
  };

  // Optional lifecycle hooks
  override onStart() {
    console.log("Container successfully started");
  }

  override onStop() {
    console.log("Container successfully shut down");
  }

  override onError(error: unknown) {
    console.log("Container error:", error);
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/lb")) {
      const container = await getRandom(env.MY_CONTAINER, 3);
      return await container.fetch(request);
    }
    const container = getContainer(env.MY_CONTAINER);
    return await container.fetch(request);
  },
};
"#;

pub(crate) const DOCKERFILE: &str =
    "FROM --platform=linux/amd64 node:22-slim\nEXPOSE 8080\nCMD [\"node\", \"server.js\"]\n";

/// A project shaped like the public Cloudflare containers template.
pub(crate) fn template_project() -> TempProject {
    let p = TempProject::empty();
    p.write("wrangler.jsonc", TEMPLATE_WRANGLER);
    p.write("Dockerfile", DOCKERFILE);
    p.write("src/index.ts", TEMPLATE_WORKER);
    p.write("tsconfig.json", TSCONFIG);
    p
}

pub(crate) const SANDBOX_WRANGLER: &str = r#"{
  "name": "sandbox-app",
  "main": "src/index.ts",
  "compatibility_date": "2025-05-23",
  // The sandbox runs untrusted code.
  "containers": [
    {
      "class_name": "Sandbox",
      "image": "./SandboxDockerfile",
      "instance_type": { "vcpu": 1, "memory_mib": 4096, "disk_mb": 8000 }, // custom size
      "max_instances": 5,
      "image_vars": { "NODE_ENV": "production" },
      "rollout_step_percentage": 25,
      "rollout_kind": "full_auto",
    },
  ],
  "durable_objects": {
    "bindings": [{ "class_name": "Sandbox", "name": "SANDBOX" }],
  },
  "migrations": [{ "new_sqlite_classes": ["Sandbox"], "tag": "v1" }],
}
"#;

pub(crate) const SANDBOX_WORKER: &str = r#"import { Container } from "@cloudflare/containers";

const PORT = 3000;

/** One sandbox per user. */
export class Sandbox extends Container {
  defaultPort = PORT; // the server's port
  sleepAfter = "5m";
  enableInternet = false;
  // Labels for metrics.
  labels = { team: "sandbox" };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const stub = env.SANDBOX.get(env.SANDBOX.idFromName("user"));
    return stub.fetch(request);
  },
};
"#;

/// A project with a `Sandbox` class (a name `<Export>Container` cannot produce) whose settings
/// are all static.
pub(crate) fn sandbox_project() -> TempProject {
    let p = TempProject::empty();
    p.write("wrangler.jsonc", SANDBOX_WRANGLER);
    p.write("SandboxDockerfile", DOCKERFILE);
    p.write("src/index.ts", SANDBOX_WORKER);
    p.write("tsconfig.json", TSCONFIG);
    p
}

#[test]
fn adopt_dry_run_prints_the_plan_and_writes_nothing() {
    let p = sandbox_project();
    let before = p.snapshot();
    let run = p.lunora(&["adopt", "--dry-run"]);
    run.assert_code(0);
    assert_eq!(before, p.snapshot(), "a dry run wrote files");
    let out = run.all();
    for expected in [
        "would create lunora/containers.ts",
        "would update src/index.ts",
        "would create lunora/_generated/containers.ts",
        "Dry run: nothing was written.",
        // The edits themselves, as diffs.
        "+++ b/lunora/containers.ts",
        "+export const sandbox = defineContainer({",
        "+  className: \"Sandbox\",",
        "-export class Sandbox extends Container {",
    ] {
        assert!(out.contains(expected), "missing `{expected}`:\n{out}");
    }
    // Adopting renames nothing: no migration, no binding or entry moved.
    for unexpected in ["renamed_classes", "SandboxContainer", "now for"] {
        assert!(!out.contains(unexpected), "`{unexpected}`:\n{out}");
    }
}

#[test]
fn adopt_cloudflare_template_keeps_the_class_its_binding_and_its_storage() {
    let p = template_project();
    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    let out = run.all();

    let defs = p.read("lunora/containers.ts");
    for line in [
        "export const my = defineContainer({",
        "  image: \"./Dockerfile\",",
        "  maxInstances: 10,",
        "  defaultPort: 8080,",
        "  sleepAfter: \"2m\",",
        "  env: { MESSAGE: \"I was passed in via the container class!\" },",
    ] {
        assert!(defs.contains(line), "missing `{line}`:\n{defs}");
    }
    // The class has hooks: it stays as a subclass of the generated class, without the fields
    // its definition now carries, and the output names each hook with its line.
    let worker = p.read("src/index.ts");
    assert!(
        worker.contains("export * from \"../lunora/_generated/containers\";\nimport { MyContainer as LunoraMyContainer } from \"../lunora/_generated/containers\";\n"),
        "{worker}"
    );
    assert!(
        worker.contains("export class MyContainer extends LunoraMyContainer {"),
        "{worker}"
    );
    for gone in ["defaultPort = 8080", "sleepAfter = \"2m\"", "envVars"] {
        assert!(
            !worker.contains(gone),
            "`{gone}` is carried, so it left the class:\n{worker}"
        );
    }
    for kept in [
        "import { getContainer, getRandom } from \"@cloudflare/containers\";",
        "  // Optional lifecycle hooks\n  override onStart() {",
        "const container = getContainer(env.MY_CONTAINER);",
    ] {
        assert!(worker.contains(kept), "`{kept}` kept:\n{worker}");
    }
    for member in [
        "onStart (lifecycle hook, line 14)",
        "onStop (lifecycle hook, line 18)",
        "onError (lifecycle hook, line 22)",
    ] {
        assert!(out.contains(member), "`{member}` not named:\n{out}");
    }
    assert!(
        out.contains("now as a subclass of lunora's generated class"),
        "{out}"
    );

    // Same class name: no migration; the binding is the user's; nothing duplicated.
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(count(&cfg, "/migrations"), 1, "{cfg}");
    assert_eq!(count(&cfg, "/durable_objects/bindings"), 1, "{cfg}");
    assert_eq!(count(&cfg, "/containers"), 1, "{cfg}");
    assert_eq!(bound_class(&cfg, "MY_CONTAINER"), "MyContainer");
    assert_eq!(replay(&cfg["migrations"])["MyContainer"], "MyContainer@v1");
    let handles = p.read("lunora/_generated/containerHandles.ts");
    assert!(
        handles.contains("{ binding: \"MY_CONTAINER\", exportName: \"my\""),
        "{handles}"
    );
    assert!(p
        .read("wrangler.jsonc")
        .contains("For more details on how to configure Wrangler"));

    p.lunora(&["codegen", "--check"]).assert_code(0);
    let dry = wrangler_accepts(&p);
    assert!(dry.contains("env.MY_CONTAINER (MyContainer)"), "{dry}");
    tsc_accepts(&p);
    // A second adopt has nothing to do and changes nothing.
    let before = p.snapshot();
    let again = p.lunora(&["adopt"]);
    again.assert_code(0);
    assert!(again.all().contains("nothing to adopt"), "{}", again.all());
    assert_eq!(before, p.snapshot());
}

#[test]
fn adopt_sandbox_keeps_its_class_name_and_storage_and_removes_the_class() {
    let p = sandbox_project();
    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    let out = run.all();

    let defs = p.read("lunora/containers.ts");
    let expected = r#"// lunora/containers.ts: declare containers here; `lunora codegen` generates the rest.
import { defineContainer } from "@lunora/container";

/** One sandbox per user. */
export const sandbox = defineContainer({
  className: "Sandbox",
  image: "./SandboxDockerfile",
  buildArgs: { NODE_ENV: "production" },
  instanceType: { vcpu: 1, memoryMib: 4096, diskMb: 8000 },
  maxInstances: 5,
  rollout: { stepPercentage: 25 },
  defaultPort: 3000, // the server's port
  sleepAfter: "5m",
  enableInternet: false,
  // Labels for metrics.
  labels: { team: "sandbox" },
});
"#;
    assert_eq!(defs, expected);
    // Everything in the class was carried over: it goes, with its doc comment and the import
    // only it used; the rest of the worker stays byte for byte.
    let worker = p.read("src/index.ts");
    assert_eq!(
        worker,
        "export * from \"../lunora/_generated/containers\";\n\nconst PORT = 3000;\n\nexport default {\n  async fetch(request: Request, env: Env): Promise<Response> {\n    const stub = env.SANDBOX.get(env.SANDBOX.idFromName(\"user\"));\n    return stub.fetch(request);\n  },\n};\n"
    );

    let text = p.read("wrangler.jsonc");
    let cfg = parse_jsonc(&text);
    assert_eq!(bound_class(&cfg, "SANDBOX"), "Sandbox");
    let held = replay(&cfg["migrations"]);
    assert_eq!(
        held.get("Sandbox").map(String::as_str),
        Some("Sandbox@v1"),
        "{held:?}"
    );
    assert_eq!(count(&cfg, "/migrations"), 1, "no migration: {cfg}");
    assert_eq!(count(&cfg, "/durable_objects/bindings"), 1, "{cfg}");
    assert_eq!(count(&cfg, "/containers"), 1, "{cfg}");
    let entry = &cfg["containers"][0];
    assert_eq!(entry["class_name"], "Sandbox");
    assert_eq!(entry["rollout_kind"], "full_auto", "a user field stays");
    assert_eq!(entry["instance_type"]["memory_mib"], 4096);
    assert!(
        text.contains("// custom size") && text.contains("// The sandbox runs untrusted code.")
    );
    assert!(out.contains("keeps its name (`className`)"), "{out}");
    let handles = p.read("lunora/_generated/containerHandles.ts");
    assert!(
        handles.contains("SANDBOX: DurableObjectNamespace<Sandbox>"),
        "the kept binding: {handles}"
    );
    assert!(out.contains("ContainersEnv"), "the untyped-Env note: {out}");

    p.lunora(&["codegen", "--check"]).assert_code(0);
    let dry = wrangler_accepts(&p);
    assert!(dry.contains("env.SANDBOX (Sandbox)"), "{dry}");
    tsc_accepts(&p);
}

#[test]
fn adopt_format_json_prints_records() {
    let p = sandbox_project();
    let run = p.lunora(&["adopt", "--format", "json"]);
    run.assert_code(0);
    let records = json_records(&run.stdout);
    assert!(
        records.iter().any(|r| r["code"] == "lunora/adopted"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("renamed_classes"),
        "adopting renames nothing: {}",
        run.stdout
    );
}

/// Regression-style: every class adopt cannot take over safely stops the whole run, with a
/// located reason, and nothing is written.
#[test]
fn adopt_refuses_what_it_cannot_do_safely_and_writes_nothing() {
    type Setup = Box<dyn Fn(&TempProject)>;
    let cases: Vec<(&str, Setup, &str)> = vec![
        (
            "kv-backed",
            Box::new(|p| {
                p.write(
                    "wrangler.jsonc",
                    &SANDBOX_WRANGLER.replace("\"new_sqlite_classes\"", "\"new_classes\""),
                )
            }),
            "key-value backed",
        ),
        (
            "no binding",
            Box::new(|p| {
                p.write(
                    "wrangler.jsonc",
                    &SANDBOX_WRANGLER.replace(
                        "[{ \"class_name\": \"Sandbox\", \"name\": \"SANDBOX\" }]",
                        "[]",
                    ),
                )
            }),
            "no `durable_objects.bindings` entry names `Sandbox`",
        ),
        (
            "no migration",
            Box::new(|p| {
                p.write(
                    "wrangler.jsonc",
                    &SANDBOX_WRANGLER.replace(
                        "[{ \"new_sqlite_classes\": [\"Sandbox\"], \"tag\": \"v1\" }]",
                        "[]",
                    ),
                )
            }),
            "no migration in `migrations` declares `Sandbox`",
        ),
        (
            "class not found",
            Box::new(|p| {
                p.write("src/index.ts", "export { Sandbox } from \"./sandbox\";\nexport default { fetch: () => new Response(\"\") };\n")
            }),
            // The re-export is followed; the module it names is missing.
            "src/index.ts:1 exports `Sandbox` from \"./sandbox\", which does not resolve to a file of the project",
        ),
        (
            "missing image",
            Box::new(|p| std::fs::remove_file(p.path().join("SandboxDockerfile")).unwrap()),
            "its image ./SandboxDockerfile does not exist",
        ),
        (
            "build context elsewhere",
            Box::new(|p| {
                p.write(
                    "wrangler.jsonc",
                    &SANDBOX_WRANGLER.replace(
                        "\"max_instances\": 5,",
                        "\"max_instances\": 5, \"image_build_context\": \"./src\",",
                    ),
                )
            }),
            "with the context ./src",
        ),
        (
            "binding names differ across blocks",
            Box::new(|p| {
                p.write("wrangler.jsonc", &SANDBOX_WRANGLER.replace(
                "  \"migrations\": [{",
                "  \"env\": { \"staging\": { \"name\": \"s\", \"durable_objects\": { \"bindings\": [{ \"class_name\": \"Sandbox\", \"name\": \"SANDBOX_STAGING\" }] } } },\n  \"migrations\": [{",
            ))
            }),
            "bound under different names (`SANDBOX`, `SANDBOX_STAGING`)",
        ),
        (
            "a constructor, whose options a subclass would drop",
            Box::new(|p| {
                p.write(
                    "src/index.ts",
                    &SANDBOX_WORKER.replace(
                        "  sleepAfter = \"5m\";",
                        "  sleepAfter = \"5m\";\n  constructor(ctx: DurableObjectState, env: Env) {\n    super(ctx, env, { defaultPort: 9000 });\n  }",
                    ),
                )
            }),
            "its constructor (line 9)",
        ),
        (
            "registry image without a host",
            Box::new(|p| {
                p.write(
                    "wrangler.jsonc",
                    &SANDBOX_WRANGLER.replace("\"./SandboxDockerfile\"", "\"nginx:1.27\""),
                )
            }),
            "docker.io/library/nginx:1.27",
        ),
        (
            "invalid carried value",
            Box::new(|p| {
                p.write(
                    "wrangler.jsonc",
                    &SANDBOX_WRANGLER.replace("\"max_instances\": 5", "\"max_instances\": 0"),
                )
            }),
            // Located at the entry the value comes from (the definitions file does not exist).
            "`Sandbox` cannot be adopted: `maxInstances` must be a whole number ≥ 1, not 0 (from the containers[] entry of `Sandbox`",
        ),
    ];
    for (name, setup, reason) in cases {
        let p = sandbox_project();
        setup(&p);
        let before = p.snapshot();
        let run = p.lunora(&["adopt"]);
        assert_eq!(run.code, 1, "{name}: exit code\n{}", run.all());
        assert!(
            run.all().contains(reason),
            "{name}: reason `{reason}` missing:\n{}",
            run.all()
        );
        assert!(
            run.all().contains("nothing was written"),
            "{name}:\n{}",
            run.all()
        );
        assert_eq!(before, p.snapshot(), "{name}: a refused adopt wrote files");
    }
}

/// All or nothing: with one class that cannot be adopted, the other is not adopted either, and
/// the plan names both.
#[test]
fn adopt_is_all_or_nothing() {
    let p = sandbox_project();
    p.write(
        "wrangler.jsonc",
        &SANDBOX_WRANGLER.replace(
            "  ],\n  \"durable_objects\"",
            "    { \"class_name\": \"Ghost\", \"image\": \"./SandboxDockerfile\" },\n  ],\n  \"durable_objects\"",
        ),
    );
    let before = p.snapshot();
    let run = p.lunora(&["adopt", "--format", "json"]);
    run.assert_code(1);
    assert_eq!(before, p.snapshot());
    let records = json_records(&run.stdout);
    let unsafe_: Vec<&Value> = records
        .iter()
        .filter(|r| r["code"] == "lunora/adopt-unsafe")
        .collect();
    assert_eq!(unsafe_.len(), 1, "{}", run.stdout);
    assert_eq!(unsafe_[0]["file"], "wrangler.jsonc");
    assert!(
        unsafe_[0]["line"].as_u64().is_some(),
        "located: {}",
        unsafe_[0]
    );
    assert!(
        run.stderr
            .contains("`Sandbox` could be adopted as `sandbox`"),
        "{}",
        run.stderr
    );
}

/// A class with a value only the running code knows stays in the worker, the field is named
/// with its line and why, and nothing of it is dropped.
#[test]
fn adopt_keeps_a_class_with_a_dynamic_value_and_names_it() {
    let p = sandbox_project();
    let worker = SANDBOX_WORKER.replace(
        "sleepAfter = \"5m\";",
        "sleepAfter = Math.random() > 0.5 ? \"5m\" : \"1m\";",
    );
    p.write("src/index.ts", &worker);
    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    let out = run.all();
    assert!(
        out.contains("sleepAfter (field with a value known only at run time, line 8"),
        "{out}"
    );
    assert!(
        out.contains("`env.SANDBOX` still reaches it"),
        "what the binding reaches is said: {out}"
    );
    let after = p.read("src/index.ts");
    assert!(
        after.contains("export class Sandbox extends LunoraSandbox {\n  sleepAfter = Math.random() > 0.5 ? \"5m\" : \"1m\";\n"),
        "the class is kept as a subclass with its dynamic value:\n{after}"
    );
    assert!(
        !p.read("lunora/containers.ts").contains("sleepAfter"),
        "a dynamic value is not carried"
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
    wrangler_accepts(&p);
}

/// An existing containers.ts gets the definition appended (and the import when it lacks it);
/// an export that clashes is refused.
#[test]
fn adopt_appends_to_an_existing_containers_ts() {
    let p = sandbox_project();
    p.write("lunora/containers.ts", "// my containers\n");
    p.lunora(&["adopt"]).assert_code(0);
    let defs = p.read("lunora/containers.ts");
    assert!(defs.starts_with("// my containers\nimport { defineContainer } from \"@lunora/container\";\n\n/** One sandbox per user. */\nexport const sandbox"), "{defs}");

    let q = sandbox_project();
    q.write("lunora/containers.ts", "export const sandbox = 1;\n");
    let before = q.snapshot();
    let run = q.lunora(&["adopt"]);
    run.assert_code(1);
    assert!(
        run.all().contains("already exports `sandbox`"),
        "{}",
        run.all()
    );
    assert_eq!(before, q.snapshot());
}

/// The transcoder example wired by codegen, as a starting point for rename and remove.
pub(crate) fn wired_example() -> TempProject {
    let p = TempProject::example("transcoder");
    p.lunora(&["codegen"]).assert_code(0);
    p
}

/// A class the worker names elsewhere (here as a type) is kept: removing it would leave the name
/// unresolved, since `export *` does not bring the generated class into the module's scope.
#[test]
fn adopt_keeps_a_class_the_worker_uses_elsewhere() {
    let p = sandbox_project();
    let worker = SANDBOX_WORKER.replace(
        "    const stub = env.SANDBOX.get(env.SANDBOX.idFromName(\"user\"));",
        "    const stub = env.SANDBOX.get(env.SANDBOX.idFromName(\"user\")) as unknown as DurableObjectStub<Sandbox>;",
    );
    p.write("src/index.ts", &worker);
    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    assert!(
        run.all()
            .contains("src/index.ts uses `Sandbox` elsewhere (line 16)"),
        "{}",
        run.all()
    );
    assert!(p
        .read("src/index.ts")
        .contains("export class Sandbox extends LunoraSandbox {"));
    wrangler_accepts(&p);
}

/// Every path adopt writes must resolve inside the root: a `lunora/` that is a symlink out of
/// the project is refused, and nothing is written anywhere.
#[test]
fn adopt_refuses_to_write_outside_the_root() {
    let p = sandbox_project();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), p.path().join("lunora")).unwrap();
    let before = p.snapshot();
    let run = p.lunora(&["adopt"]);
    run.assert_code(1);
    assert!(
        run.all().contains("outside the project root"),
        "{}",
        run.all()
    );
    assert_eq!(before, p.snapshot());
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "wrote outside the root"
    );
}

/// A registry image stays a registry image (`{ registry }`); wrangler pulls it as before.
#[test]
fn adopt_carries_a_registry_image() {
    let p = sandbox_project();
    p.write(
        "wrangler.jsonc",
        &SANDBOX_WRANGLER.replace(
            "\"./SandboxDockerfile\"",
            "\"docker.io/library/nginx:1.27\"",
        ),
    );
    p.lunora(&["adopt"]).assert_code(0);
    let defs = p.read("lunora/containers.ts");
    assert!(
        defs.contains("  image: { registry: \"docker.io/library/nginx:1.27\" },"),
        "{defs}"
    );
    assert!(
        !defs.contains("buildArgs"),
        "image_vars only apply to built images: {defs}"
    );
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(
        cfg["containers"][0]["image"],
        "docker.io/library/nginx:1.27"
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
    wrangler_accepts(&p);
}
