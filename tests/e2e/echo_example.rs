//! The echo example (`examples/echo`), which the README runs under `lunora dev` with a real engine
//! (and the real-container suite runs for real): its committed wiring is exactly what codegen
//! writes, and its worker type-checks against the generated code with the real tsc.

use crate::support::{workspace, TempProject};

#[test]
fn echo_example_wiring_is_what_codegen_writes_and_it_type_checks() {
    let p = TempProject::example("echo");
    let committed = p.read("wrangler.jsonc");
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert_eq!(
        p.read("wrangler.jsonc"),
        committed,
        "examples/echo/wrangler.jsonc is not what codegen writes\n{}",
        run.all()
    );
    assert!(
        !run.all().contains("warning"),
        "the example has no warnings: {}",
        run.all()
    );
    p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[])
        .assert_code(0);
    // The image is FROM scratch around the binary build.sh makes: nothing to pull.
    let dockerfile =
        std::fs::read_to_string(workspace().join("examples/echo/containers/echo/Dockerfile"))
            .unwrap();
    let from: Vec<&str> = dockerfile
        .lines()
        .filter(|l| l.starts_with("FROM"))
        .collect();
    assert_eq!(from, ["FROM --platform=linux/amd64 scratch"]);
}
