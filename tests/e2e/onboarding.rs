//! Starting from an empty Workers project: the root is found from any directory inside it (and
//! outside one, lunora says so instead of reporting success), `generate` adds the runtime
//! packages to package.json and prints the install command and a `createContainers(env)` snippet
//! that compiles, and `codegen` with nothing declared says how to scaffold.

use crate::support::{lunora_in, Fakes, TempProject};
use std::fs;
use std::path::Path;

/// A Worker as `npm create cloudflare` leaves it: tab-indented package.json, wrangler.jsonc,
/// src/index.ts, tsconfig.json; node_modules linked to the workspace's (for tsc).
fn empty_worker() -> TempProject {
    let p = TempProject::empty();
    p.write(
        "package.json",
        "{\n\t\"name\": \"my-worker\",\n\t\"version\": \"0.0.0\",\n\t\"private\": true,\n\t\"scripts\": {\n\t\t\"deploy\": \"wrangler deploy\",\n\t\t\"dev\": \"wrangler dev\"\n\t},\n\t\"devDependencies\": {\n\t\t\"typescript\": \"5.9.3\",\n\t\t\"wrangler\": \"4.86.0\"\n\t}\n}\n",
    );
    p.write(
        "wrangler.jsonc",
        "{\n  \"name\": \"my-worker\",\n  \"main\": \"src/index.ts\",\n  \"compatibility_date\": \"2026-04-01\"\n}\n",
    );
    p.write(
        "src/index.ts",
        "export default {\n  async fetch(): Promise<Response> {\n    return new Response(\"Hello World!\");\n  },\n};\n",
    );
    p.write(
        "tsconfig.json",
        r#"{
  "compilerOptions": {
    "target": "ES2022",
    "module": "ES2022",
    "moduleResolution": "bundler",
    "lib": ["ES2022"],
    "types": ["@cloudflare/workers-types"],
    "strict": true,
    "noEmit": true,
    "isolatedModules": true,
    "verbatimModuleSyntax": true
  },
  "include": ["src/**/*.ts", "lunora/**/*.ts"]
}
"#,
    );
    p
}

#[test]
fn codegen_below_the_root_finds_it() {
    let p = TempProject::example_bare("transcoder");
    let src = p.path().join("src/server");
    // Nothing generated yet: --check from src/ must see that, not pass vacuously.
    let run = lunora_in(&src, &["codegen", "--check"], &[]);
    run.assert_code(1);
    assert!(
        run.stdout.contains("lunora/_generated/containers.ts"),
        "{}",
        run.all()
    );

    lunora_in(&src, &["codegen"], &[]).assert_code(0);
    assert!(p.exists("lunora/_generated/containers.ts"));
    assert!(p.exists("lunora/_generated/containerHandles.ts"));
    assert!(
        !src.join("lunora").exists(),
        "nothing is written below the root"
    );
    for dir in ["src/server", "src", "lunora", "containers/transcoder"] {
        let run = lunora_in(&p.path().join(dir), &["codegen", "--check"], &[]);
        run.assert_code(0);
        assert!(
            run.stdout.contains("1 container (transcoder): up to date"),
            "{dir}: {}",
            run.all()
        );
    }
}

#[test]
fn outside_any_project_is_a_usage_error() {
    let dir = tempfile::Builder::new()
        .prefix("lunora-e2e-")
        .tempdir()
        .unwrap();
    let cwd = dir.path().join("a/b");
    fs::create_dir_all(&cwd).unwrap();
    for args in [
        &["codegen", "--check"][..],
        &["codegen"],
        &["codegen", "--check", "--format", "json"],
        &["dev"],
        &["deploy", "--dry-run"],
        &["generate", "lunora-container", "--name=transcoder"],
    ] {
        let run = lunora_in(&cwd, args, &[]);
        run.assert_code(2);
        // Under `--format json` the error is a JSON record on stdout (issue 12), else stderr.
        let text = if args.contains(&"json") {
            let record: serde_json::Value = serde_json::from_str(run.stdout.trim())
                .unwrap_or_else(|e| panic!("{args:?}: not one JSON record ({e}): {}", run.all()));
            assert_eq!(record["code"], "lunora/usage", "{args:?}: {record}");
            assert_eq!(record["severity"], "error", "{args:?}: {record}");
            record["message"].as_str().unwrap_or_default().to_string()
        } else {
            run.stderr.clone()
        };
        assert!(
            text.contains("no project found in ")
                && text.contains("wrangler.jsonc")
                && text.contains("--root"),
            "{args:?}: {}",
            run.all()
        );
        assert!(!run.all().contains("up to date"), "{args:?}: {}", run.all());
    }
    assert_eq!(
        fs::read_dir(&cwd).unwrap().count(),
        0,
        "nothing was written"
    );

    let run = lunora_in(
        &cwd,
        &["codegen", "--root", "does-not-exist", "--check"],
        &[],
    );
    run.assert_code(2);
    assert!(
        run.stderr.contains("does-not-exist") && run.stderr.contains("no such directory"),
        "{}",
        run.stderr
    );
}

#[test]
fn root_flag_wins_over_discovery() {
    let a = TempProject::example_bare("transcoder");
    let b = TempProject::example_bare("transcoder");
    let root_b = b.path().to_string_lossy().into_owned();
    lunora_in(&a.path().join("src"), &["codegen", "--root", &root_b], &[]).assert_code(0);
    assert!(b.exists("lunora/_generated/containers.ts"));
    assert!(!a.exists("lunora/_generated/containers.ts"));
}

/// The directory lunora treats as the root, observed through where it runs `wrangler containers`
/// (the fake logs its working directory).
fn root_seen_from(cwd: &Path) -> String {
    let f = Fakes::new().set("FAKE_LOG_CWD", "1");
    lunora_in(cwd, &["containers", "list"], &f.envs()).assert_code(0);
    let log = f.log();
    log.lines()
        .find_map(|l| l.strip_prefix("cwd "))
        .unwrap_or_else(|| panic!("no cwd in {log}"))
        .to_string()
}

#[test]
fn the_nearest_marker_is_the_root() {
    let dir = tempfile::Builder::new()
        .prefix("lunora-e2e-")
        .tempdir()
        .unwrap();
    let top = dir.path().canonicalize().unwrap();
    let write = |rel: &str, text: &str| {
        let p = top.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    };
    write("wrangler.jsonc", "{}\n");
    write("apps/web/wrangler.toml", "name = \"web\"\n");
    write("apps/web/src/index.ts", "");
    write("apps/json/wrangler.json", "{}\n");
    write("apps/lunora-app/package.json", "{}\n");
    write("apps/lunora-app/lunora/schema.ts", "");
    write("apps/declared/lunora/containers.ts", "");
    // A directory that merely holds something named lunora/ (a clone of lunora itself) is not one.
    write("tools/lunora/crates/cli/main.rs", "");

    let shown = |p: &Path| p.display().to_string();
    assert_eq!(
        root_seen_from(&top.join("apps/web/src")),
        shown(&top.join("apps/web"))
    );
    assert_eq!(
        root_seen_from(&top.join("apps/json")),
        shown(&top.join("apps/json"))
    );
    assert_eq!(
        root_seen_from(&top.join("apps/lunora-app/lunora")),
        shown(&top.join("apps/lunora-app"))
    );
    assert_eq!(
        root_seen_from(&top.join("apps/declared/lunora")),
        shown(&top.join("apps/declared"))
    );
    assert_eq!(
        root_seen_from(&top.join("tools/lunora/crates")),
        shown(&top)
    );
}

#[test]
fn containers_runs_outside_a_project_in_the_current_directory() {
    let dir = tempfile::Builder::new()
        .prefix("lunora-e2e-")
        .tempdir()
        .unwrap();
    let cwd = dir.path().canonicalize().unwrap();
    assert_eq!(root_seen_from(&cwd), cwd.display().to_string());
}

#[test]
fn codegen_with_nothing_declared_says_how_to_scaffold() {
    let p = empty_worker();
    let src = p.path().join("src");
    for args in [&["codegen"][..], &["codegen", "--check"]] {
        let run = lunora_in(&src, args, &[]);
        run.assert_code(0);
        assert!(
            run.stdout.contains("no containers declared")
                && run
                    .stdout
                    .contains("to add one: `lunora generate lunora-container --name=<name>`"),
            "{args:?}: {}",
            run.stdout
        );
    }
}

#[test]
fn generate_in_an_empty_worker_adds_the_runtime_packages_and_a_snippet_that_compiles() {
    let p = empty_worker();
    p.write("yarn.lock", "");
    let run = lunora_in(
        &p.path().join("src"),
        &["generate", "lunora-container", "--name=image-resizer"],
        &[],
    );
    run.assert_code(0);
    let runtime_range = {
        let manifest: serde_json::Value = serde_json::from_str(
            &fs::read_to_string(
                crate::support::workspace().join("packages/container/package.json"),
            )
            .unwrap(),
        )
        .unwrap();
        manifest["peerDependencies"]["@cloudflare/containers"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let version = env!("CARGO_PKG_VERSION");
    // Appended at the end, in the file's tab indentation, keys sorted; nothing else touched.
    assert_eq!(
        p.read("package.json"),
        format!("{{\n\t\"name\": \"my-worker\",\n\t\"version\": \"0.0.0\",\n\t\"private\": true,\n\t\"scripts\": {{\n\t\t\"deploy\": \"wrangler deploy\",\n\t\t\"dev\": \"wrangler dev\"\n\t}},\n\t\"devDependencies\": {{\n\t\t\"typescript\": \"5.9.3\",\n\t\t\"wrangler\": \"4.86.0\"\n\t}},\n\t\"dependencies\": {{\n\t\t\"@cloudflare/containers\": \"{runtime_range}\",\n\t\t\"@lunora/container\": \"^{version}\"\n\t}}\n}}\n")
    );
    let out = &run.stdout;
    assert!(out.contains("updated package.json"), "{out}");
    assert!(
        out.contains(&format!("Added to package.json (dependencies): @lunora/container@^{version} and @cloudflare/containers@{runtime_range}.")),
        "{out}"
    );
    assert!(
        out.contains("1. Install the new dependencies: `yarn install`."),
        "{out}"
    );
    assert!(
        out.contains("Call it from your worker (src/index.ts)"),
        "{out}"
    );
    assert!(
        out.contains("Run `lunora dev`"),
        "no @lunora/cli in package.json: lunora is on PATH\n{out}"
    );

    // The snippet, pasted into the worker as printed, type-checks against the generated handles.
    let snippet: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("import {") || l.starts_with("const "))
        .collect();
    assert_eq!(snippet.len(), 3, "{out}");
    assert_eq!(
        snippet[0],
        "import { createContainers, type ContainersEnv } from \"../lunora/_generated/containerHandles\";"
    );
    assert_eq!(snippet[1], "const containers = createContainers(env);");
    let entry = p.read("src/index.ts");
    assert!(
        entry.starts_with("export * from \"../lunora/_generated/containers\";\n"),
        "{entry}"
    );
    p.write(
        "src/index.ts",
        &format!(
            "export * from \"../lunora/_generated/containers\";\n{}\n\nexport default {{\n  async fetch(request: Request, env: ContainersEnv): Promise<Response> {{\n    {}\n    {}\n    return response;\n  }},\n}} satisfies ExportedHandler<ContainersEnv>;\n",
            snippet[0], snippet[1], snippet[2]
        ),
    );
    let tsc = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    assert_eq!(
        tsc.code,
        0,
        "the printed snippet does not compile:\n{}",
        tsc.all()
    );

    // A second container: the packages are there, package.json is not touched again.
    let before = p.read("package.json");
    let run = lunora_in(
        p.path(),
        &["generate", "lunora-container", "--name=thumbnailer"],
        &[],
    );
    run.assert_code(0);
    assert_eq!(p.read("package.json"), before);
    assert!(
        !run.stdout.contains("Added to package.json"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("Install the new dependencies"),
        "{}",
        run.stdout
    );
}

#[test]
fn generate_keeps_where_the_user_declared_a_package_and_uses_their_runner() {
    let p = empty_worker();
    p.write("pnpm-lock.yaml", "");
    p.write(
        "package.json",
        "{\n  \"name\": \"w\",\n  \"devDependencies\": {\n    \"@lunora/cli\": \"0.1.0\",\n    \"@lunora/container\": \"0.1.0\"\n  }\n}\n",
    );
    let run = lunora_in(
        p.path(),
        &["generate", "lunora-container", "--name=worker"],
        &[],
    );
    run.assert_code(0);
    let manifest = p.read("package.json");
    assert!(
        manifest.starts_with("{\n  \"name\": \"w\",\n  \"devDependencies\": {\n    \"@lunora/cli\": \"0.1.0\",\n    \"@lunora/container\": \"0.1.0\"\n  },\n  \"dependencies\": {\n    \"@cloudflare/containers\": "),
        "{manifest}"
    );
    assert_eq!(
        manifest.matches("@lunora/container").count(),
        1,
        "{manifest}"
    );
    assert!(
        run.stdout.contains("`pnpm install`") && run.stdout.contains("Run `pnpm exec lunora dev`"),
        "{}",
        run.stdout
    );
}

#[test]
fn generate_without_a_usable_package_json_says_what_to_install() {
    let p = empty_worker();
    fs::remove_file(p.path().join("package.json")).unwrap();
    let run = lunora_in(
        p.path(),
        &["generate", "lunora-container", "--name=worker"],
        &[],
    );
    run.assert_code(0);
    assert!(!p.exists("package.json"), "no package.json is invented");
    assert!(
        run.stdout.contains("Note: there is no package.json")
            && run.stdout.contains(&format!(
                "npm install '@lunora/container@^{}' '@cloudflare/containers@",
                env!("CARGO_PKG_VERSION")
            )),
        "{}",
        run.stdout
    );

    let q = empty_worker();
    let broken = "{\n  \"name\": \"w\",\n}\n";
    q.write("package.json", broken);
    let run = lunora_in(
        q.path(),
        &["generate", "lunora-container", "--name=worker"],
        &[],
    );
    run.assert_code(0);
    assert_eq!(q.read("package.json"), broken, "left byte for byte");
    assert!(
        run.stdout
            .contains("Note: package.json was left alone: it is not valid JSON"),
        "{}",
        run.stdout
    );
}
