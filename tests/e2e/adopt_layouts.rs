//! `lunora adopt` on the layouts hand-wired workers really have: a class declared in another
//! module and re-exported (`export { X } from "./x"`, an alias, another module's `export
//! default`), a class extending `Container` from `cf-containers` (the package's pre-release
//! name), and wrangler's legacy values (`instance_type: "standard"`, `configuration.image`).
//! Each outcome is checked with the real `wrangler deploy --dry-run` and the independent
//! migration replay; each refusal names the real reason at the real file and line.

use crate::migrations::{parse_jsonc, replay, wrangler_accepts, wrangler_dry_run, DOCKERFILE};
use crate::support::{workspace, TempProject};

const WRANGLER: &str = r#"{
  "name": "layout-app",
  "main": "src/index.ts",
  "compatibility_date": "2025-05-23",
  "containers": [
    {
      "class_name": "Sandbox",
      "image": "./Dockerfile",
      "max_instances": 3,
    },
  ],
  "durable_objects": {
    "bindings": [{ "class_name": "Sandbox", "name": "SANDBOX" }],
  },
  "migrations": [{ "new_sqlite_classes": ["Sandbox"], "tag": "v1" }],
}
"#;

const HANDLER: &str = "export default {\n  async fetch(request: Request, env: any): Promise<Response> {\n    return env.SANDBOX.get(env.SANDBOX.idFromName(\"a\")).fetch(request);\n  },\n};\n";

/// A project whose worker entry is `entry` and whose other modules are `modules`.
fn project(entry: &str, modules: &[(&str, &str)]) -> TempProject {
    let p = TempProject::empty();
    p.write("wrangler.jsonc", WRANGLER);
    p.write("Dockerfile", DOCKERFILE);
    p.write("src/index.ts", entry);
    for (rel, text) in modules {
        p.write(rel, text);
    }
    p
}

/// Adopts, then checks what every layout must give: the definition carries the class's
/// settings, the storage follows the class wrangler binds, codegen has nothing left to do, and
/// the real wrangler deploys the result.
#[track_caller]
fn adopt_and_check(p: &TempProject, class: &str) -> String {
    wrangler_accepts(p);
    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    let out = run.all();
    let defs = p.read("lunora/containers.ts");
    assert!(defs.contains("  defaultPort: 3000,\n"), "{defs}\n{out}");
    assert!(defs.contains("  maxInstances: 3,\n"), "{defs}");
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    let bound = cfg["durable_objects"]["bindings"][0]["class_name"]
        .as_str()
        .unwrap()
        .to_string();
    let storage = replay(&cfg["migrations"]);
    assert_eq!(
        storage.get(&bound).map(String::as_str),
        Some(format!("{class}@v1").as_str()),
        "the bound class {bound} holds {class}'s storage: {storage:?}"
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
    wrangler_accepts(p);
    out
}

const SANDBOX_CLASS: &str = "import { Container } from \"@cloudflare/containers\";\n\n/** One sandbox per user. */\nexport class Sandbox extends Container {\n  defaultPort = 3000;\n}\n";

/// Regression for "a class defined in another module and re-exported is refused": adopt reads
/// it where it is declared, carries its settings, and keeps it there (adopt edits only the
/// entry), saying so at the class's own file and line.
#[test]
fn adopt_follows_export_from_another_module() {
    let p = project(
        &format!("export {{ Sandbox }} from \"./sandbox\";\n\n{HANDLER}"),
        &[("src/sandbox.ts", SANDBOX_CLASS)],
    );
    let out = adopt_and_check(&p, "Sandbox");
    assert!(
        out.contains(
            "`Sandbox` stays in src/sandbox.ts as you wrote it (adopt edits only the worker entry)"
        ),
        "{out}"
    );
    assert!(out.contains("--> src/sandbox.ts:4:14"), "{out}");
    assert_eq!(
        p.read("src/sandbox.ts"),
        SANDBOX_CLASS,
        "the module is not edited"
    );
}

/// `export { Impl as Sandbox }` in the entry, and `import` + `export { }` of another module's
/// `export default`: the class wrangler binds is found under its exported name.
#[test]
fn adopt_follows_aliases_and_default_exports() {
    let aliased = SANDBOX_CLASS.replace("export class Sandbox", "class SandboxImpl");
    let p = project(
        &format!("{aliased}export {{ SandboxImpl as Sandbox }};\n\n{HANDLER}"),
        &[],
    );
    let out = adopt_and_check(&p, "Sandbox");
    assert!(out.contains("Sandbox` → `sandbox`"), "{out}");

    let default_class =
        SANDBOX_CLASS.replace("export class Sandbox", "export default class Sandbox");
    let p = project(
        &format!("import Sandbox from \"./sandbox.js\";\nexport {{ Sandbox }};\n\n{HANDLER}"),
        &[("src/sandbox.ts", &default_class)],
    );
    adopt_and_check(&p, "Sandbox");

    let p = project(
        &format!("export * from \"./containers\";\n\n{HANDLER}"),
        &[
            (
                "src/containers/index.ts",
                "export { default as Sandbox } from \"./sandbox\";\n",
            ),
            ("src/containers/sandbox.ts", &default_class),
        ],
    );
    adopt_and_check(&p, "Sandbox");
}

/// Regression for "a class extending the base from `cf-containers` is refused with a wrong
/// reason (`does not declare it`)": the pre-release package name is the same base.
#[test]
fn adopt_recognises_the_cf_containers_base() {
    let p = project(
        &format!(
            "{}\n{HANDLER}",
            SANDBOX_CLASS.replace("@cloudflare/containers", "cf-containers")
        ),
        &[],
    );
    // A stand-in for the pre-release package: the same base class under the old name.
    std::fs::remove_file(p.path().join("node_modules")).unwrap();
    for package in ["@lunora/container", "@cloudflare/containers"] {
        let link = p.path().join("node_modules").join(package);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(workspace().join("node_modules").join(package), &link).unwrap();
    }
    p.write(
        "node_modules/cf-containers/package.json",
        "{ \"name\": \"cf-containers\", \"version\": \"0.0.28\", \"type\": \"module\", \"main\": \"index.js\" }\n",
    );
    p.write(
        "node_modules/cf-containers/index.js",
        "export * from \"@cloudflare/containers\";\n",
    );
    let out = adopt_and_check(&p, "Sandbox");
    assert!(!out.contains("does not declare"), "{out}");
    assert!(
        !p.read("src/index.ts").contains("class Sandbox"),
        "fully carried, so removed"
    );
}

/// Regression for "`instance_type: \"standard\"` is refused, at a lunora/containers.ts line
/// that does not exist": wrangler 4.86 deploys it (with a deprecation warning), so adopt
/// carries it as "standard-1" and says so at the entry; the same for "dev" → "lite" and for the
/// deprecated `configuration.image` (the `configuration` object goes, its image is `image`).
#[test]
fn adopt_carries_wranglers_legacy_values_in_their_current_form() {
    let entry = format!("{SANDBOX_CLASS}\n{HANDLER}");
    for (legacy, current, warned) in [
        (
            "\"image\": \"./Dockerfile\",\n      \"instance_type\": \"standard\",",
            "instanceType: \"standard-1\",",
            "`instance_type: \"standard\"` is wrangler's old name for \"standard-1\"",
        ),
        (
            "\"image\": \"./Dockerfile\",\n      \"instance_type\": \"dev\",",
            "instanceType: \"lite\",",
            "old name for \"lite\"",
        ),
        (
            "\"configuration\": { \"image\": \"./Dockerfile\" }, // legacy",
            "image: \"./Dockerfile\",",
            "`configuration.image` is `image`",
        ),
    ] {
        let p = project(&entry, &[]);
        p.write(
            "wrangler.jsonc",
            &WRANGLER.replace("\"image\": \"./Dockerfile\",", legacy),
        );
        let (code, before) = wrangler_dry_run(&p);
        assert_eq!(code, 0, "wrangler deploys the legacy value:\n{before}");
        assert!(
            before.contains("deprecated") || before.contains("renamed"),
            "{before}"
        );
        let out = adopt_and_check(&p, "Sandbox");
        assert!(out.contains("lunora/adopt-legacy-value"), "{out}");
        assert!(out.contains(warned), "{legacy}: {out}");
        assert!(
            out.contains("--> wrangler.jsonc:6:5"),
            "located at the entry: {out}"
        );
        assert!(
            p.read("lunora/containers.ts").contains(current),
            "{}",
            p.read("lunora/containers.ts")
        );
        let cfg = p.read("wrangler.jsonc");
        assert!(!cfg.contains("\"configuration\""), "{cfg}");
        let (_, after) = wrangler_dry_run(&p);
        assert!(
            !after.contains("deprecated") && !after.contains("has been renamed"),
            "wrangler has nothing left to warn about:\n{after}"
        );
    }
}

/// Every refusal names the real reason at the real file and line, and nothing is written.
#[test]
fn adopt_refusals_name_the_module_and_line_that_say_why() {
    let cases: Vec<(&str, TempProject, &str)> = vec![
        (
            "another base class",
            project(
                &format!("export {{ Sandbox }} from \"./sandbox\";\n\n{HANDLER}"),
                &[(
                    "src/sandbox.ts",
                    "import { DurableObject } from \"cloudflare:workers\";\n\nexport class Sandbox extends DurableObject {}\n",
                )],
            ),
            "`class Sandbox` at src/sandbox.ts:3 extends `DurableObject` (from \"cloudflare:workers\"), not `Container`",
        ),
        (
            "missing module",
            project(&format!("export {{ Sandbox }} from \"./gone\";\n\n{HANDLER}"), &[]),
            "src/index.ts:1 exports `Sandbox` from \"./gone\", which does not resolve to a file of the project",
        ),
        (
            "a size given twice",
            {
                let p = project(&format!("{SANDBOX_CLASS}\n{HANDLER}"), &[]);
                p.write(
                    "wrangler.jsonc",
                    &WRANGLER.replace(
                        "\"max_instances\": 3,",
                        "\"max_instances\": 3, \"instance_type\": \"lite\", \"configuration\": { \"vcpu\": 1 },",
                    ),
                );
                p
            },
            "it sets a size both in `configuration` and in `instance_type`",
        ),
        (
            "a value lunora rejects, from the class",
            project(
                &format!("{}\n{HANDLER}", SANDBOX_CLASS.replace("3000", "70000")),
                &[],
            ),
            "--> src/index.ts:5:3",
        ),
        (
            "a value lunora rejects, from the entry",
            {
                let p = project(&format!("{SANDBOX_CLASS}\n{HANDLER}"), &[]);
                p.write(
                    "wrangler.jsonc",
                    &WRANGLER.replace("\"max_instances\": 3", "\"max_instances\": 0"),
                );
                p
            },
            "change `max_instances` in wrangler.jsonc",
        ),
    ];
    for (name, p, reason) in cases {
        let before = p.snapshot();
        let run = p.lunora(&["adopt"]);
        assert_eq!(run.code, 1, "{name}:\n{}", run.all());
        assert!(
            run.all().contains(reason),
            "{name}: `{reason}` missing:\n{}",
            run.all()
        );
        assert!(
            !run.all().contains("lunora/containers.ts:"),
            "{name}: points at a file that does not exist:\n{}",
            run.all()
        );
        assert_eq!(before, p.snapshot(), "{name}: a refused adopt wrote files");
    }
}

/// Regression for "adopt writes `image_build_context: \".\"` at the top level only, and from then
/// on every `--env` run prints an info about a value the user never set": an environment
/// block that spells the same Dockerfile another way (`Dockerfile` for `./Dockerfile`) is the
/// same image, so it gets the same wiring, and no run reports a difference that is lunora's
/// own spelling.
#[test]
fn no_value_lunora_wrote_is_reported_as_the_users() {
    // lunora's class name, so adopt renames nothing and the run shows only codegen's wiring.
    let p = project(
        &format!("{SANDBOX_CLASS}\n{HANDLER}").replace("class Sandbox ", "class SandboxContainer "),
        &[],
    );
    p.write(
        "wrangler.jsonc",
        &WRANGLER
            .replace("\"Sandbox\"", "\"SandboxContainer\"")
            .replace("\"./Dockerfile\"", "\"Dockerfile\"")
            .replace(
                "  \"migrations\": [",
                "  \"env\": {\n    \"staging\": {\n      \"name\": \"layout-staging\",\n      \"containers\": [{ \"class_name\": \"SandboxContainer\", \"image\": \"Dockerfile\", \"max_instances\": 3 }],\n      \"durable_objects\": { \"bindings\": [{ \"class_name\": \"SandboxContainer\", \"name\": \"SANDBOX\" }] },\n    },\n  },\n  \"migrations\": [",
            ),
    );
    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    assert!(!run.all().contains("env-values-kept"), "{}", run.all());
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(cfg["containers"][0]["image_build_context"], ".");
    assert_eq!(
        cfg["env"]["staging"]["containers"][0]["image_build_context"], ".",
        "the block gets what the top level gets"
    );
    for _ in 0..2 {
        let again = p.lunora(&["codegen"]);
        again.assert_code(0);
        assert!(!again.all().contains("env-values-kept"), "{}", again.all());
        assert!(!again.all().contains("hand-set-kept"), "{}", again.all());
    }
    // A value the user did set in the block is still reported (and kept).
    let text = p.read("wrangler.jsonc");
    p.write(
        "wrangler.jsonc",
        &text
            .replacen("\"max_instances\": 3", "\"max_instances\": 1", 2)
            .replacen("\"max_instances\": 1", "\"max_instances\": 3", 1),
    );
    let edited = p.lunora(&["codegen"]);
    edited.assert_code(0);
    assert!(
        edited.all().contains("max_instances 1 (definition: 3)"),
        "{}",
        edited.all()
    );
    wrangler_accepts(&p);
}

/// Regression: the definition of a class declared in another module was rendered with the
/// class's spans applied to the worker entry's text: a wrong comment was carried, and when the
/// entry was shorter, adopt panicked slicing it. The field's own comment comes from its module.
#[test]
fn a_class_in_another_module_is_rendered_from_that_module() {
    let class = "import { Container } from \"@cloudflare/containers\";\n\n\n\n\nexport class Sandbox extends Container {\n  defaultPort = 3000; // the app's port\n}\n";
    let p = project(
        "export { Sandbox } from \"./sandbox\";\nexport default { fetch() { return new Response(\"ok\"); } };\n",
        &[("src/sandbox.ts", class)],
    );
    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    let defs = p.read("lunora/containers.ts");
    assert!(
        defs.contains("  defaultPort: 3000, // the app's port\n"),
        "{defs}\n{}",
        run.all()
    );
    assert_eq!(p.read("src/sandbox.ts"), class, "the module is not edited");
}
