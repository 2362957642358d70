//! `lunora adopt` on hand-wired projects as they are found: the packages the adopted worker
//! imports, the Durable Object class names and container applications it keeps, and the
//! layouts it follows. Every outcome is checked with the real `wrangler deploy --dry-run` and
//! the independent migration replay of `migrations.rs`.

use crate::migrations::{
    parse_jsonc, replay, sandbox_project, wired_example, wrangler_accepts, DOCKERFILE,
    SANDBOX_WORKER, SANDBOX_WRANGLER, TSCONFIG,
};
use crate::support::{workspace, TempProject};
use serde_json::Value;

/// A sandbox project with no `node_modules` at all.
fn bare_sandbox_project() -> TempProject {
    let dir = tempfile::Builder::new()
        .prefix("lunora-e2e-")
        .tempdir()
        .expect("tempdir");
    let p = TempProject { dir };
    p.write("wrangler.jsonc", SANDBOX_WRANGLER);
    p.write("SandboxDockerfile", DOCKERFILE);
    p.write("src/index.ts", SANDBOX_WORKER);
    p.write("tsconfig.json", TSCONFIG);
    p
}

/// `node_modules` holding exactly the packages package.json's `dependencies` declare, linked
/// from the workspace (what an install of them gives, without a registry).
fn install_declared(p: &TempProject) {
    let manifest: Value = serde_json::from_str(&p.read("package.json")).unwrap();
    for name in manifest["dependencies"].as_object().unwrap().keys() {
        let link = p.path().join("node_modules").join(name);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(workspace().join("node_modules").join(name), &link)
            .expect("link a package");
    }
}

/// The `(name, range)` pairs `lunora generate` writes into a fresh package.json.
fn generate_ranges() -> Vec<(String, String)> {
    let p = TempProject::example("transcoder");
    p.write("package.json", "{\n  \"name\": \"x\"\n}\n");
    p.lunora(&["generate", "lunora-container", "--name=probe"])
        .assert_code(0);
    let manifest: Value = serde_json::from_str(&p.read("package.json")).unwrap();
    let deps = manifest["dependencies"].as_object().unwrap();
    ["@lunora/container", "@cloudflare/containers"]
        .iter()
        .map(|n| {
            let range = deps
                .get(*n)
                .unwrap_or_else(|| panic!("generate wrote no {n}"));
            (n.to_string(), range.as_str().unwrap().to_string())
        })
        .collect()
}

/// Regression for "the adopted worker does not build": adopt declares `@lunora/container` at
/// generate's range, the closing steps install before they deploy, and the worker builds with
/// only what package.json declares.
#[test]
fn adopted_worker_builds_with_only_the_packages_package_json_declares() {
    let p = bare_sandbox_project();
    let manifest = "{\n  \"name\": \"sandbox-app\",\n  \"private\": true,\n  \"dependencies\": {\n    \"@cloudflare/containers\": \"^0.3.0\"\n  },\n  \"devDependencies\": {\n    \"wrangler\": \"4.86.0\"\n  }\n}\n";
    p.write("package.json", manifest);
    p.write("package-lock.json", "{}\n");
    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    let out = run.all();

    let ranges = generate_ranges();
    let after: Value = serde_json::from_str(&p.read("package.json")).unwrap();
    assert_eq!(
        after["dependencies"]["@lunora/container"], ranges[0].1,
        "generate's range"
    );
    assert_eq!(
        after["dependencies"]["@cloudflare/containers"], "^0.3.0",
        "the user's own range stays"
    );
    assert_eq!(after["devDependencies"]["wrangler"], "4.86.0");
    assert!(
        out.contains(&format!(
            "Added to package.json (dependencies): @lunora/container@{}.",
            ranges[0].1
        )),
        "{out}"
    );
    let install = out
        .find("1. install the new dependencies: `npm install`")
        .unwrap_or_else(|| panic!("no install step:\n{out}"));
    let deploy = out.find(". deploy.").expect("a deploy step");
    assert!(install < deploy, "install comes before deploy:\n{out}");
    assert!(out.contains("`npx wrangler types`"), "{out}");

    install_declared(&p);
    wrangler_accepts(&p);
}

/// With no runtime package declared, both are added at generate's ranges, and the lockfile's
/// package manager is the one in the printed commands; a dry run says so and writes nothing.
#[test]
fn adopt_adds_both_runtime_packages_and_names_the_lockfiles_package_manager() {
    let p = sandbox_project();
    p.write("package.json", "{\n  \"name\": \"sandbox-app\"\n}\n");
    p.write("pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
    let before = p.snapshot();
    let dry = p.lunora(&["adopt", "--dry-run"]);
    dry.assert_code(0);
    assert_eq!(before, p.snapshot(), "a dry run wrote files");
    assert!(
        dry.all().contains("Would add to package.json"),
        "{}",
        dry.all()
    );

    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    let out = run.all();
    let after: Value = serde_json::from_str(&p.read("package.json")).unwrap();
    for (name, range) in generate_ranges() {
        assert_eq!(after["dependencies"][&name], range.as_str(), "{name}");
    }
    assert!(
        out.contains("1. install the new dependencies: `pnpm install`"),
        "{out}"
    );
    assert!(out.contains("`pnpm exec wrangler types`"), "{out}");
    assert!(!out.contains("`npm install`"), "{out}");
}

/// Without a package.json, adopt says which packages the worker now needs, first.
#[test]
fn adopt_without_package_json_names_the_packages_to_add() {
    let p = sandbox_project();
    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    let out = run.all();
    assert!(!p.exists("package.json"), "adopt creates no package.json");
    assert!(
        out.contains("there is no package.json; the worker now imports @lunora/container@"),
        "{out}"
    );
    let add = out
        .find("1. add the packages named above to package.json and run `npm install`")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(add < out.find(". deploy.").unwrap(), "{out}");
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert!(cfg["containers"].is_array());
}

/// The container application name of each `containers[]` entry, as wrangler's own config reader
/// (`unstable_readConfig` of the workspace's wrangler 4.86) derives it for `env`.
pub(crate) fn wrangler_application_names(
    p: &TempProject,
    env: Option<&str>,
) -> Vec<(String, String)> {
    let script = "const { unstable_readConfig } = require(process.argv[1]);\n\
        const c = unstable_readConfig({ config: process.argv[2], env: process.argv[3] || undefined });\n\
        console.log(JSON.stringify((c.containers || []).map((x) => [x.class_name, x.name])));";
    let out = std::process::Command::new("node")
        .args([
            "-e",
            script,
            workspace().join("node_modules/wrangler").to_str().unwrap(),
            p.path().join("wrangler.jsonc").to_str().unwrap(),
            env.unwrap_or(""),
        ])
        .current_dir(p.path())
        .env("WRANGLER_SEND_METRICS", "false")
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

pub(crate) fn application_of(names: &[(String, String)], class: &str) -> String {
    names
        .iter()
        .find(|(c, _)| c == class)
        .unwrap_or_else(|| panic!("no entry for {class}: {names:?}"))
        .1
        .clone()
}

/// Regression for "renaming a class changes the container application": after `lunora rename`,
/// wrangler's own reader gives the renamed class the application name it derived for the old
/// class, at top level and in an environment block with its own entry; codegen keeps it.
#[test]
fn rename_keeps_the_container_application_wrangler_derived() {
    let p = wired_example();
    let text = p.read("wrangler.jsonc").replace(
        "  \"observability\": {",
        "  \"env\": {\n    \"staging\": {\n      \"name\": \"transcoder-staging\",\n      \"containers\": [{ \"class_name\": \"TranscoderContainer\", \"image\": \"./containers/transcoder/Dockerfile\", \"image_build_context\": \"./containers/transcoder\" }],\n      \"durable_objects\": { \"bindings\": [{ \"class_name\": \"TranscoderContainer\", \"name\": \"CONTAINER_TRANSCODER\" }] },\n      \"migrations\": [{ \"tag\": \"s1\", \"new_sqlite_classes\": [\"TranscoderContainer\"] }],\n    },\n  },\n  \"observability\": {",
    );
    p.write("wrangler.jsonc", &text);
    p.lunora(&["codegen"]).assert_code(0);
    let top_before = application_of(&wrangler_application_names(&p, None), "TranscoderContainer");
    let staging_before = application_of(
        &wrangler_application_names(&p, Some("staging")),
        "TranscoderContainer",
    );
    // wrangler's rule, computed here independently of lunora.
    assert_eq!(top_before, "lunora-transcoder-example-transcodercontainer");
    assert_eq!(
        staging_before,
        "transcoder-staging-transcodercontainer-staging"
    );

    let run = p.lunora(&["rename", "transcoder", "videoTranscoder"]);
    run.assert_code(0);
    assert_eq!(
        application_of(
            &wrangler_application_names(&p, None),
            "VideoTranscoderContainer"
        ),
        top_before
    );
    assert_eq!(
        application_of(
            &wrangler_application_names(&p, Some("staging")),
            "VideoTranscoderContainer"
        ),
        staging_before
    );
    let defs = p.read("lunora/containers.ts");
    assert!(
        defs.contains(&format!(
            "name: \"{top_before}\", // the container application's name before `lunora rename`"
        )),
        "{defs}"
    );
    // The storage still follows the class in both blocks.
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(
        replay(&cfg["migrations"])["VideoTranscoderContainer"],
        "TranscoderContainer@v1"
    );
    assert_eq!(
        replay(&cfg["env"]["staging"]["migrations"])["VideoTranscoderContainer"],
        "TranscoderContainer@s1"
    );
    // The pinned name is lunora's now: codegen keeps it, says nothing about a hand-set value,
    // and has nothing to change.
    let again = p.lunora(&["codegen"]);
    again.assert_code(0);
    assert!(!again.all().contains("hand-set-kept"), "{}", again.all());
    p.lunora(&["codegen", "--check"]).assert_code(0);
    assert_eq!(
        application_of(
            &wrangler_application_names(&p, None),
            "VideoTranscoderContainer"
        ),
        top_before
    );
    wrangler_accepts(&p);
}

/// An entry that already names its application keeps that name through a rename, untouched.
#[test]
fn rename_leaves_an_explicit_application_name_alone() {
    let p = wired_example();
    let text = p.read("wrangler.jsonc").replace(
        "\"max_instances\": 5,",
        "\"max_instances\": 5,\n      \"name\": \"media-jobs\",",
    );
    p.write("wrangler.jsonc", &text);
    p.lunora(&["rename", "transcoder", "videoTranscoder"])
        .assert_code(0);
    assert_eq!(
        application_of(
            &wrangler_application_names(&p, None),
            "VideoTranscoderContainer"
        ),
        "media-jobs"
    );
    assert!(
        !p.read("lunora/containers.ts").contains("lunora rename"),
        "a hand-set name stays the user's"
    );
    assert_eq!(
        p.read("wrangler.jsonc")
            .matches("\"name\": \"media-jobs\"")
            .count(),
        1
    );
}

/// Regression for "adopting renames a class": `Sandbox` keeps its Durable Object class name
/// (`className`), so its storage needs no migration and its container application, which
/// wrangler names after the class, is the same one wrangler derived before.
#[test]
fn adopt_keeps_the_class_name_and_container_application() {
    let p = sandbox_project();
    let before = application_of(&wrangler_application_names(&p, None), "Sandbox");
    assert_eq!(before, "sandbox-app-sandbox");
    p.lunora(&["adopt"]).assert_code(0);
    assert_eq!(
        application_of(&wrangler_application_names(&p, None), "Sandbox"),
        before
    );
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(cfg["migrations"].as_array().unwrap().len(), 1, "{cfg}");
    assert_eq!(replay(&cfg["migrations"])["Sandbox"], "Sandbox@v1");
    assert!(
        !p.read("lunora/containers.ts").contains("name:"),
        "nothing to pin"
    );
    let again = p.lunora(&["codegen"]);
    again.assert_code(0);
    assert!(!again.all().contains("hand-set-kept"), "{}", again.all());
    p.lunora(&["codegen", "--check"]).assert_code(0);
    let dry = wrangler_accepts(&p);
    assert!(dry.contains("env.SANDBOX (Sandbox)"), "{dry}");
}

/// Regression for "declare-first writes a second containers[] entry whose application name
/// equals a hand-wired one": codegen stops with the error at the hand-wired entry and writes
/// nothing (the dry run accepted such a config; the real deploy fails after the upload).
#[test]
fn codegen_refuses_a_second_entry_for_a_taken_application_name() {
    let p = sandbox_project();
    p.write(
        "wrangler.jsonc",
        &SANDBOX_WRANGLER.replace(
            "\"max_instances\": 5,",
            "\"max_instances\": 5, \"name\": \"shared-app\",",
        ),
    );
    p.write(
        "lunora/containers.ts",
        "import { defineContainer } from \"@lunora/container\";\n\nexport const jobs = defineContainer({\n  image: \"./SandboxDockerfile\",\n  name: \"shared-app\",\n});\n",
    );
    p.write(
        "src/index.ts",
        &format!("export * from \"../lunora/_generated/containers\";\n{SANDBOX_WORKER}"),
    );
    let before = p.snapshot();
    let run = p.lunora(&["codegen"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let out = run.all();
    assert!(out.contains("wrangler/duplicate-application"), "{out}");
    assert!(
        out.contains("container application `shared-app`: `Sandbox` and `JobsContainer`"),
        "{out}"
    );
    assert!(
        out.contains("--> wrangler.jsonc:7:5"),
        "located at the hand-wired entry: {out}"
    );
    assert_eq!(before, p.snapshot(), "a refused run wrote files");
}

/// Regression for "for `this.env.X` adopt advises writing the value itself": an `envVars` entry
/// read from the worker's env under its own name becomes `secrets: ["X"]`, static ones stay
/// `env`, and the class is carried whole (removed), so nothing it did is dropped.
#[test]
fn adopt_carries_env_reads_as_secrets() {
    let p = sandbox_project();
    p.write(
        "src/index.ts",
        &SANDBOX_WORKER.replace(
            "  enableInternet = false;",
            "  enableInternet = false;\n  envVars = { DATABASE_URL: this.env.DATABASE_URL, MODE: \"prod\" };",
        ),
    );
    let run = p.lunora(&["adopt"]);
    run.assert_code(0);
    let defs = p.read("lunora/containers.ts");
    assert!(defs.contains("  secrets: [\"DATABASE_URL\"],\n"), "{defs}");
    assert!(defs.contains("  env: { MODE: \"prod\" },\n"), "{defs}");
    assert!(!defs.contains("this.env"), "{defs}");
    assert!(
        !p.read("src/index.ts").contains("class Sandbox"),
        "fully carried, so removed"
    );
    assert!(
        !run.all().contains("write the value itself"),
        "{}",
        run.all()
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
    wrangler_accepts(&p);
}

/// A `__proto__` build variable in the wrangler config is carried as an own property.
#[test]
fn adopt_writes_a_proto_key_as_an_own_property() {
    let p = sandbox_project();
    p.write(
        "wrangler.jsonc",
        &SANDBOX_WRANGLER.replace(
            "\"image_vars\": { \"NODE_ENV\": \"production\" }",
            "\"image_vars\": { \"NODE_ENV\": \"production\", \"__proto__\": \"x\" }",
        ),
    );
    p.lunora(&["adopt"]).assert_code(0);
    let defs = p.read("lunora/containers.ts");
    assert!(
        defs.contains("buildArgs: { NODE_ENV: \"production\", [\"__proto__\"]: \"x\" },"),
        "{defs}"
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(cfg["containers"][0]["image_vars"]["__proto__"], "x");
}
