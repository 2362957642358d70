//! Robustness of what `lunora codegen` writes: a run killed mid-write leaves every file old or
//! new, concurrent runs never corrupt a file, secret values never reach an output, and an image
//! outside the project root is reported.

use crate::support::TempProject;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Files codegen writes (relative to the root).
const OUTPUTS: &[&str] = &[
    "lunora/_generated/containers.ts",
    "lunora/_generated/containerHandles.ts",
    "wrangler.jsonc",
];

const WRANGLER: &str = r#"// wrangler.jsonc of a generated test app.
{
  "name": "lunora-safety",
  "main": "src/index.ts", // worker entry
  "compatibility_date": "2026-04-01",
  /* everything below is lunora's */
}
"#;

const ENTRY: &str = "export * from \"../lunora/_generated/containers\";\nexport default { fetch: () => new Response(\"ok\") };\n";

/// A `containers.ts` with `n` containers; `max` is every container's `maxInstances`, so two
/// values give two versions whose outputs all differ. Sizes stay within the account limits at
/// up to 300 × 2 instances (basic and standard-1 would need more memory than an account may run
/// at once by default, which `container_account_limits` warns about), so the output stays quiet.
fn containers_ts(n: usize, max: u32) -> String {
    let mut s = String::from("import { defineContainer } from \"@lunora/container\";\n\n");
    for i in 0..n {
        s.push_str(&format!(
            "export const service{i} = defineContainer({{\n  image: \"./containers/service{i}\",\n  instanceType: \"lite\",\n  maxInstances: {max},\n  sleepAfter: \"5m\",\n  enableInternet: false,\n  secrets: [\"API_KEY\"],\n}});\n",
        ));
    }
    s
}

fn app(n: usize, max: u32) -> TempProject {
    let p = TempProject::empty();
    for i in 0..n {
        p.write(
            &format!("containers/service{i}/Dockerfile"),
            "FROM --platform=linux/amd64 alpine:3.20\n",
        );
    }
    p.write("lunora/containers.ts", &containers_ts(n, max));
    p.write("wrangler.jsonc", WRANGLER);
    p.write("src/index.ts", ENTRY);
    p
}

fn spawn_codegen(p: &TempProject) -> Child {
    Command::new(env!("CARGO_BIN_EXE_lunora"))
        .args(["codegen", "--root"])
        .arg(p.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn lunora")
}

fn outputs(p: &TempProject) -> BTreeMap<&'static str, Vec<u8>> {
    OUTPUTS
        .iter()
        .map(|rel| (*rel, std::fs::read(p.path().join(rel)).unwrap_or_default()))
        .collect()
}

/// Files under `dir` (recursively, not following node_modules) whose name ends in `.tmp`.
fn temp_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "node_modules" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            out.extend(temp_files(&path));
        } else if name.ends_with(".tmp") {
            out.push(path.display().to_string());
        }
    }
    out
}

/// A small deterministic generator for kill delays (no rand dependency); the seed is printed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// The state of the outputs for version `max`, from a clean sequential run.
fn expected_outputs(n: usize, max: u32) -> BTreeMap<&'static str, Vec<u8>> {
    let p = app(n, max);
    p.lunora(&["codegen"]).assert_code(0);
    outputs(&p)
}

#[test]
fn sigkill_mid_write_leaves_each_file_old_or_new() {
    // 300 containers: large enough outputs that kills land mid-write (see the counts it prints),
    // small enough that the debug binary used by `cargo test` keeps this test to seconds.
    const N: usize = 300;
    let before = expected_outputs(N, 1);
    let after = {
        let p = app(N, 1);
        p.lunora(&["codegen"]).assert_code(0);
        p.write("lunora/containers.ts", &containers_ts(N, 2));
        p.lunora(&["codegen"]).assert_code(0);
        outputs(&p)
    };
    for rel in OUTPUTS {
        assert_ne!(
            before[rel], after[rel],
            "{rel}: the edit must change every output"
        );
    }

    let p = app(N, 1);
    p.lunora(&["codegen"]).assert_code(0);
    assert_eq!(outputs(&p), before);
    p.write("lunora/containers.ts", &containers_ts(N, 2));

    // How long a whole run takes here, so the kills land before, during and after the writes.
    let t = Instant::now();
    p.lunora(&["codegen"]).assert_code(0);
    let full = t.elapsed();
    assert_eq!(outputs(&p), after);

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("kill-delay seed {seed}, full run {full:?}");
    let mut rng = Lcg(seed);
    let (mut old, mut new, mut mixed, mut with_temp, mut temps_before) = (0, 0, 0, 0, 0);
    for round in 0..24 {
        for rel in OUTPUTS {
            std::fs::write(p.path().join(rel), &before[rel]).unwrap();
        }
        let earlier = temp_files(p.path()).len();
        let mut child = spawn_codegen(&p);
        let delay = if round % 2 == 0 {
            // Random, mostly late in the run, where the writes are.
            let d = full.mul_f64(0.4 + (rng.next() % 800) as f64 / 1000.0);
            std::thread::sleep(d);
            d
        } else {
            // Inside the write phase: as soon as this run's first temp file shows up, plus 0–2 ms.
            let t = Instant::now();
            while temp_files(p.path()).len() == earlier && t.elapsed() < full * 3 {
                std::hint::spin_loop();
            }
            std::thread::sleep(Duration::from_micros(rng.next() % 2000));
            t.elapsed()
        };
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = outputs(&p);
        let mut states = Vec::new();
        for rel in OUTPUTS {
            let state = if now[rel] == before[rel] {
                "old"
            } else if now[rel] == after[rel] {
                "new"
            } else {
                panic!("round {round} (delay {delay:?}): {rel} is neither the old nor the new version ({} bytes)", now[rel].len());
            };
            states.push(state);
        }
        match (
            states.iter().all(|s| *s == "old"),
            states.iter().all(|s| *s == "new"),
        ) {
            (true, _) => old += 1,
            (_, true) => new += 1,
            _ => mixed += 1,
        }
        // Leftovers of a killed write may only be lunora's own `.<name>.*.tmp` files (of the
        // outputs, or of the record of owned classes, which both versions share).
        let temps = temp_files(p.path());
        with_temp += usize::from(temps.len() > temps_before);
        temps_before = temps.len();
        for tmp in temps {
            let name = Path::new(&tmp)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                OUTPUTS
                    .iter()
                    .chain(&["lunora/_generated/classes.json"])
                    .any(|o| name.starts_with(&format!(
                        ".{}.",
                        Path::new(o).file_name().unwrap().to_string_lossy()
                    ))),
                "unexpected temp file {tmp}"
            );
        }
    }
    eprintln!("after SIGKILL: {old} all old, {new} all new, {mixed} mixed (each file whole); {with_temp} killed mid-write (left a temp file)");
    assert!(
        with_temp > 0,
        "no kill landed inside the write phase, so nothing was tested: {old} old, {new} new, {mixed} mixed"
    );

    // The next run completes the job and leaves no temp file behind.
    p.lunora(&["codegen"]).assert_code(0);
    assert_eq!(outputs(&p), after);
    let stale = temp_files(p.path());
    assert!(
        stale.iter().all(|t| is_recent(t)),
        "stale temp files survived the next run: {stale:?}"
    );
}

fn is_recent(path: &str) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(|m| m.elapsed().unwrap_or_default() < Duration::from_secs(60))
        .unwrap_or(false)
}

#[test]
fn stale_temp_files_from_a_crashed_run_are_removed_by_the_next_write() {
    let p = app(2, 1);
    p.lunora(&["codegen"]).assert_code(0);
    let stale = p.path().join("lunora/_generated/.containers.ts.AbC123.tmp");
    let fresh = p.path().join("lunora/_generated/.containers.ts.XyZ789.tmp");
    let foreign = p.path().join("lunora/_generated/.notes.tmp");
    for f in [&stale, &fresh, &foreign] {
        std::fs::write(f, "partial").unwrap();
    }
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    p.write("lunora/containers.ts", &containers_ts(2, 3));
    p.lunora(&["codegen"]).assert_code(0);
    assert!(!stale.exists(), "an hour-old temp file of ours is removed");
    assert!(
        fresh.exists(),
        "a recent temp file may belong to a run in progress and is kept"
    );
    assert!(
        foreign.exists(),
        "files that are not ours are never touched"
    );
}

#[test]
fn concurrent_runs_never_corrupt_a_file() {
    const N: usize = 200;
    let versions = [expected_outputs(N, 1), expected_outputs(N, 2)];
    let p = app(N, 1);
    for round in 0..6 {
        // Several runs at once, with containers.ts replaced (atomically, as editors do) between
        // spawns so they disagree about what to write.
        let mut children = Vec::new();
        for k in 0..4 {
            let max = 1 + ((round + k) % 2) as u32;
            let tmp = p.path().join("lunora/.containers.ts.edit");
            std::fs::write(&tmp, containers_ts(N, max)).unwrap();
            std::fs::rename(&tmp, p.path().join("lunora/containers.ts")).unwrap();
            children.push(spawn_codegen(&p));
        }
        for mut c in children {
            let status = c.wait().unwrap();
            assert!(
                status.success(),
                "round {round}: a concurrent run failed: {status}"
            );
        }
        let now = outputs(&p);
        for rel in OUTPUTS {
            assert!(
                versions.iter().any(|v| v[rel] == now[rel]),
                "round {round}: {rel} is not a whole version:\n{}",
                String::from_utf8_lossy(&now[rel])
            );
        }
        assert_eq!(
            temp_files(p.path()),
            Vec::<String>::new(),
            "round {round}: runs that finished left temp files"
        );
    }
    // Once the runs are over, one more brings everything in line with containers.ts.
    p.write("lunora/containers.ts", &containers_ts(N, 2));
    p.lunora(&["codegen"]).assert_code(0);
    assert_eq!(outputs(&p), versions[1]);
}

#[test]
fn secret_values_never_reach_an_output() {
    const VALUES: &[&str] = &[
        "sk_live_DEVVARS_5ecret",
        "hunter2-from-process-env",
        "postgres://app:pa55-in-env-literal@db.internal/app",
        "ghp_envFileSecret0000",
    ];
    let p = TempProject::empty();
    p.write(
        "lunora/containers.ts",
        r#"import { defineContainer } from "@lunora/container";

const dbUrl = "postgres://app:pa55-in-env-literal@db.internal/app";

export const api = defineContainer({
  image: "./containers/api",
  enableInternet: true,
  env: { DATABASE_URL: dbUrl, LOG_LEVEL: "debug" },
  secrets: ["TRANSCODER_API_KEY", "GITHUB_TOKEN"],
  secretsStore: { STRIPE_KEY: "STRIPE_SECRET_BINDING" },
});
"#,
    );
    p.write("wrangler.jsonc", WRANGLER);
    p.write("src/index.ts", ENTRY);
    p.write("containers/api/Dockerfile", "FROM alpine:3.20\n");
    p.write(
        ".dev.vars",
        "TRANSCODER_API_KEY=sk_live_DEVVARS_5ecret\nGITHUB_TOKEN=\"ghp_envFileSecret0000\"\n",
    );
    p.write(".env", "TRANSCODER_API_KEY=sk_live_DEVVARS_5ecret\n");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lunora"));
    cmd.args(["codegen", "--root"])
        .arg(p.path())
        .env("NO_COLOR", "1")
        .env("TRANSCODER_API_KEY", "hunter2-from-process-env");
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // Every file the run left, except the inputs that hold the values on purpose: a new
    // output file is checked too, and the outputs must be among them.
    const INPUTS: &[&str] = &[
        ".dev.vars",
        ".env",
        "lunora/containers.ts",
        "containers/api/Dockerfile",
    ];
    let outputs: Vec<(String, Vec<u8>)> = p
        .snapshot()
        .into_iter()
        .filter(|(rel, _)| !INPUTS.contains(&rel.as_str()))
        .collect();
    for rel in OUTPUTS {
        assert!(
            outputs.iter().any(|(r, _)| r == rel),
            "{rel} was not written: {:?}",
            outputs.iter().map(|(r, _)| r).collect::<Vec<_>>()
        );
    }
    for (rel, bytes) in &outputs {
        let text = String::from_utf8_lossy(bytes);
        for v in VALUES {
            assert!(
                !text.contains(v),
                "{rel} contains the secret value {v:?}:\n{text}"
            );
        }
    }
    for v in VALUES {
        assert!(
            !printed.contains(v),
            "lunora printed the secret value {v:?}:\n{printed}"
        );
    }
    // Names are expected to appear: the runtime forwards secrets by name.
    let classes_and_handles = p.read("lunora/_generated/containers.ts")
        + &p.read("lunora/_generated/containerHandles.ts");
    assert!(
        !classes_and_handles.contains("DATABASE_URL"),
        "env stays in containers.ts (one source of truth)"
    );
}

#[test]
fn image_outside_the_root_is_a_located_warning() {
    // The project is `<tmp>/app`, so `../shared` is a sibling this test owns.
    let outer = tempfile::Builder::new()
        .prefix("lunora-e2e-")
        .tempdir()
        .unwrap();
    let root = outer.path().join("app");
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let outside = outer.path().join("images/api");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
    write("containers/inside/Dockerfile", "FROM alpine:3.20\n");
    write("../shared/Dockerfile", "FROM alpine:3.20\n");
    write("../elsewhere/Dockerfile", "FROM alpine:3.20\n");
    write(
        "lunora/containers.ts",
        &format!(
            r#"import {{ defineContainer }} from "@lunora/container";

export const inside = defineContainer({{ image: "./containers/inside", enableInternet: false }});
export const sibling = defineContainer({{
  image: "../shared/Dockerfile",
  enableInternet: false,
}});
export const absolute = defineContainer({{ image: "{}", enableInternet: false }});
export const sneaky = defineContainer({{ image: "./containers/../../elsewhere", enableInternet: false }});
"#,
            outside.display()
        ),
    );
    write("wrangler.jsonc", WRANGLER);
    write("src/index.ts", ENTRY);
    let out = Command::new(env!("CARGO_BIN_EXE_lunora"))
        .args(["codegen", "--format", "json", "--root"])
        .arg(&root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every stdout line is a JSON record: a malformed one fails the test instead of vanishing.
    let records: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let warnings: Vec<&serde_json::Value> = records
        .iter()
        .filter(|v| v["code"] == "containers/image-outside-root")
        .collect();
    let located: Vec<(u64, u64)> = warnings
        .iter()
        .map(|w| (w["line"].as_u64().unwrap(), w["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(located, vec![(5, 10), (8, 50), (9, 48)], "{stdout}");
    for w in &warnings {
        assert_eq!(w["severity"], "warning");
        assert_eq!(w["file"], "lunora/containers.ts");
    }
    assert!(warnings[0]["message"].as_str().unwrap().contains("sibling"));
}
