//! Issue 23.6, the last container, deleted by hand over a few days: the generated modules the
//! worker imports stay importable and empty, so the worker keeps building at every step, checked
//! with the real `wrangler deploy --dry-run`.

use crate::migrations::{wired_example, wrangler_accepts, wrangler_dry_run};

/// Regression (issue 23): deleting the last definition (by hand, then `codegen`) deleted the
/// generated modules the worker imports, and the build broke.
#[test]
fn deleting_the_last_definition_by_hand_keeps_the_worker_building() {
    let p = wired_example();
    let entry = p.read("src/server/index.ts");

    // Day 1: the definition goes by hand; codegen keeps the modules, empty, and says so.
    p.write(
        "lunora/containers.ts",
        "import { defineContainer } from \"@lunora/container\";\n",
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    assert!(
        run.all()
            .contains("kept as empty modules, so imports of them still resolve"),
        "{}",
        run.all()
    );
    assert_eq!(
        p.read("src/server/index.ts"),
        entry,
        "the entry is the user's"
    );
    // The wiring stays until the user deletes the data; wrangler refuses only that.
    let (code, out) = wrangler_dry_run(&p);
    assert_ne!(code, 0);
    assert!(out.contains("TranscoderContainer"), "{out}");
    assert!(!out.contains("Could not resolve"), "{out}");

    // Day 2: the data goes too; the worker, untouched, builds and deploys.
    p.lunora(&["remove", "transcoder", "--delete-data"])
        .assert_code(0);
    assert_eq!(p.read("src/server/index.ts"), entry);
    wrangler_accepts(&p);
    p.lunora(&["codegen", "--check"]).assert_code(0);

    // Day 3: a container again; the same modules fill up.
    p.lunora(&["generate", "lunora-container", "--name=thumbnailer"])
        .assert_code(0);
    assert!(p
        .read("lunora/_generated/containers.ts")
        .contains("export class ThumbnailerContainer"));
    wrangler_accepts(&p);
}
