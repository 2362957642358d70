//! `lunora adopt` on hand-wired projects as they are found: the packages the adopted worker
//! imports, the Durable Object class names and container applications it keeps, and the
//! layouts it follows. Every outcome is checked with the real `wrangler deploy --dry-run` and
//! the independent migration replay of `migrations.rs`.

use crate::migrations::{
    parse_jsonc, sandbox_project, wrangler_accepts, DOCKERFILE, SANDBOX_WORKER, SANDBOX_WRANGLER,
    TSCONFIG,
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
