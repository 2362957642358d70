//! Every "after" fixture that declares containers is accepted by the real wrangler
//! (`node_modules/.bin/wrangler`, installed by `npm ci` at the workspace root): `wrangler types`
//! validates the config schema and values, `wrangler deploy --dry-run` checks that every Durable
//! Object class is exported and that each container's `class_name` has a binding. The dry run is
//! repeated with `--env NAME` for every environment block the fixture wires (its own
//! `containers` or `durable_objects`) and the fixture's `--env`. A fixture whose report warns that
//! wrangler rejects the file must be rejected, for the reason the warning gives.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Warnings that announce a config wrangler itself rejects, with the words of wrangler's own
/// rejection (checked, so that a failure for another reason does not count as proof).
const REJECTION_WARNINGS: [(&str, &str); 2] = [
    (
        "wrangler/null-migration",
        "Cannot destructure property 'tag'",
    ),
    (
        "wrangler/missing-name",
        "Must have either a top level \"name\" and \"containers.class_name\" field defined, or have field \"containers.name\" defined.",
    ),
];

fn wrangler_bin() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bin = root.join("node_modules/.bin/wrangler");
    assert!(
        bin.exists(),
        "{} is missing: run `npm ci` in the workspace root ({}) so this test can run the real wrangler",
        bin.display(),
        root.canonicalize().unwrap_or(root.clone()).display()
    );
    bin
}

/// Class names of every Durable Object binding and container entry, top level and in `env.*`.
fn classes(config: &Value) -> Vec<String> {
    let mut scopes = vec![config];
    if let Some(envs) = config.get("env").and_then(Value::as_object) {
        scopes.extend(envs.values());
    }
    let mut out = Vec::new();
    for scope in scopes {
        let bindings = scope
            .pointer("/durable_objects/bindings")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let containers = scope
            .get("containers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for entry in bindings.iter().chain(&containers) {
            if let Some(class) = entry.get("class_name").and_then(Value::as_str) {
                if !out.iter().any(|c| c == class) {
                    out.push(class.to_string());
                }
            }
        }
    }
    out
}

/// Image paths and build contexts that must exist on disk for wrangler to accept them.
fn local_paths(config: &Value) -> Vec<(String, bool)> {
    let mut scopes = vec![config];
    if let Some(envs) = config.get("env").and_then(Value::as_object) {
        scopes.extend(envs.values());
    }
    let mut out = Vec::new();
    for scope in scopes {
        for entry in scope
            .get("containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(image) = entry.get("image").and_then(Value::as_str) {
                if image.starts_with('.') || image.starts_with('/') {
                    out.push((image.to_string(), true));
                }
            }
            if let Some(context) = entry.get("image_build_context").and_then(Value::as_str) {
                out.push((context.to_string(), false));
            }
        }
    }
    out
}

fn to_serde(value: jsonc_parser::JsonValue<'_>) -> Value {
    use jsonc_parser::JsonValue as J;
    match value {
        J::String(s) => Value::String(s.into_owned()),
        J::Number(n) => serde_json::from_str(n).unwrap_or(Value::Null),
        J::Boolean(b) => Value::Bool(b),
        J::Null => Value::Null,
        J::Array(items) => Value::Array(items.into_iter().map(to_serde).collect()),
        J::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k.into_owned(), to_serde(v)))
                .collect(),
        ),
    }
}

/// A stand-in for `docker` that succeeds like `/bin/true` but first drains its stdin: wrangler
/// pipes the Dockerfile into `docker build`, and `/bin/true` exiting before the write makes
/// wrangler fail now and then with EPIPE.
fn fake_docker(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("fake-docker.sh");
    std::fs::write(&path, "#!/bin/sh\ncat > /dev/null\nexit 0\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn run(bin: &Path, dir: &Path, args: &[&str]) -> Result<(), String> {
    let tools = dir.join(".tools");
    std::fs::create_dir_all(&tools).unwrap();
    let output = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .env("WRANGLER_DOCKER_BIN", fake_docker(&tools))
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .env("WRANGLER_LOG_PATH", dir.join("logs"))
        .output()
        .map_err(|e| format!("could not run {}: {e}", bin.display()))?;
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() && !all.contains("Unexpected fields") {
        Ok(())
    } else {
        Err(format!(
            "`wrangler {}` failed ({})\n--- stdout\n{}\n--- stderr\n{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

#[test]
fn wrangler_accepts_every_reconciled_fixture() {
    let bin = wrangler_bin();
    let mut checked = 0;
    let mut checked_envs = 0;
    let mut failures = Vec::new();
    for fixture in common::load_all() {
        let expected_path = fixture.expected_path();
        let Ok(expected) = std::fs::read_to_string(&expected_path) else {
            continue;
        };
        // The test's own reading skips a byte order mark; wrangler gets the file as written.
        let config = jsonc_parser::parse_to_value(
            expected.strip_prefix('\u{feff}').unwrap_or(&expected),
            &Default::default(),
        )
        .unwrap_or_else(|e| panic!("{}: expected file does not parse: {e}", fixture.name))
        .map(to_serde)
        .unwrap_or(Value::Null);
        let classes = classes(&config);
        let declares_containers = config.get("containers").is_some()
            || config
                .get("env")
                .and_then(Value::as_object)
                .is_some_and(|e| e.values().any(|v| v.get("containers").is_some()));
        if !declares_containers {
            continue;
        }

        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let config_name = if fixture.input_file.ends_with(".json") {
            "wrangler.json"
        } else {
            "wrangler.jsonc"
        };
        std::fs::write(dir.join(config_name), &expected).unwrap();
        let main = config
            .get("main")
            .and_then(Value::as_str)
            .unwrap_or("src/index.js")
            .to_string();
        let mut entry = String::new();
        for class in &classes {
            entry.push_str(&format!("export class {class} {{}}\n"));
        }
        entry.push_str("export default { fetch() { return new Response(\"ok\"); } };\n");
        let main_path = dir.join(&main);
        std::fs::create_dir_all(main_path.parent().unwrap()).unwrap();
        std::fs::write(&main_path, entry).unwrap();
        for (path, is_dockerfile) in local_paths(&config) {
            let path = dir.join(&path);
            let docker_dir = if is_dockerfile
                && path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("Dockerfile"))
            {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, "FROM scratch\n").unwrap();
                continue;
            } else {
                path
            };
            std::fs::create_dir_all(&docker_dir).unwrap();
            if is_dockerfile {
                std::fs::write(docker_dir.join("Dockerfile"), "FROM scratch\n").unwrap();
            }
        }

        let mut deploy: Vec<String> = ["deploy", "--dry-run", "--outdir", "out"]
            .map(String::from)
            .to_vec();
        if config.get("main").is_none() {
            deploy.push(main.clone());
        }
        if config.get("compatibility_date").is_none() {
            deploy.extend(["--compatibility-date".into(), "2025-11-14".into()]);
        }
        if config.get("name").is_none() {
            deploy.extend(["--name".into(), "fixture".into()]);
        }
        // The top level, then every environment the fixture wires.
        let mut envs: Vec<Option<String>> = vec![None];
        if let Some(blocks) = config.get("env").and_then(Value::as_object) {
            for (name, block) in blocks {
                if block.get("containers").is_some() || block.get("durable_objects").is_some() {
                    envs.push(Some(name.clone()));
                }
            }
        }
        if let Some(env) = &fixture.env {
            if !envs.contains(&Some(env.clone())) {
                envs.push(Some(env.clone()));
            }
        }
        let report = std::fs::read_to_string(fixture.dir.join("report.txt")).unwrap_or_default();
        let warned = REJECTION_WARNINGS
            .iter()
            .find(|(code, _)| report.contains(*code));
        let mut result = Ok(());
        for env in &envs {
            let mut types: Vec<&str> = vec!["types", "--include-runtime=false"];
            let mut deploy: Vec<&str> = deploy.iter().map(String::as_str).collect();
            if let Some(env) = env {
                types.extend(["--env", env.as_str()]);
                deploy.extend(["--env", env.as_str()]);
            }
            result = run(&bin, dir, &types).and_then(|()| run(&bin, dir, &deploy));
            if result.is_err() {
                break;
            }
            checked_envs += 1;
        }
        match (warned, result) {
            (None, Err(e)) => failures.push(format!("{}: {e}", fixture.name)),
            (Some((code, _)), Ok(())) => failures.push(format!(
                "{}: reported {code} but wrangler accepted the file",
                fixture.name
            )),
            (Some((code, reason)), Err(e)) if !e.contains(reason) => failures.push(format!(
                "{}: reported {code}, and wrangler rejected the file, but not with {reason:?}:\n{e}",
                fixture.name
            )),
            _ => {}
        }
        checked += 1;
    }
    assert!(checked > 0, "no fixture declares containers");
    eprintln!("wrangler checked {checked} fixtures, {checked_envs} (fixture, env) pairs accepted");
    if !failures.is_empty() {
        panic!(
            "wrangler rejected {} of {checked} fixture(s):\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
}
