//! The example app, after `lunora codegen`, in the real Workers runtime (workerd via wrangler's
//! `unstable_dev`, containers disabled because no Docker engine runs here): the worker boots with
//! the generated classes exported, and a request through the generated `ctx.containers` handle
//! reaches the container's Durable Object. With containers disabled, the generated class refuses
//! with "containers are disabled in this dev session" — that answer is the proof the request got
//! there.

use crate::support::{workspace, TempProject};
use std::process::Command;

#[test]
fn example_worker_boots_and_routes_through_the_generated_handles() {
    let p = TempProject::example("transcoder");
    p.lunora(&["codegen"]).assert_code(0);
    crate::support::npm_bin("wrangler");
    let script = workspace().join("tests/e2e/workerd/serve-once.mjs");
    let requests =
        r#"[{"method":"POST","path":"/videos/v1/transcode"},{"method":"GET","path":"/"}]"#;
    let out = Command::new("node")
        .arg(&script)
        .arg(p.path())
        .arg(requests)
        .env("NO_COLOR", "1")
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "serve-once failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    let responses: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(responses.len(), 2, "{stdout}");

    // POST /videos/v1/transcode → transcode() → ctx.containers.transcoder.get("v1").fetch(…)
    // → TranscoderContainer (generated) → LunoraContainer, which refuses, saying why.
    assert_eq!(responses[0]["status"], 502, "{stdout}");
    let body = responses[0]["body"].as_str().unwrap();
    assert!(
        body.contains(
            "Container \"transcoder\" cannot start: containers are disabled in this dev session"
        ) && !body.contains("Have you correctly setup your Wrangler config"),
        "{body}"
    );
    // The generated class is what workerd constructed.
    assert!(
        stderr.contains("TranscoderContainer") && stderr.contains("LunoraContainer"),
        "{stderr}"
    );

    // The worker itself serves other routes.
    assert_eq!(responses[1]["status"], 404);
}
