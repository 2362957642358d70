//! `lunora codegen --watch`: saves regenerate, a broken save keeps watching, SIGTERM exits 0.

use crate::support::{Background, TempProject};

fn max_instances(p: &TempProject) -> Option<String> {
    let cfg = p.read("wrangler.jsonc");
    let line = cfg.lines().find(|l| l.contains("\"max_instances\""))?;
    Some(
        line.trim()
            .trim_start_matches("\"max_instances\":")
            .trim()
            .trim_end_matches(',')
            .to_string(),
    )
}

#[test]
fn watch_regenerates_on_save_survives_a_broken_save_and_exits_0_on_sigterm() {
    let p = TempProject::example_bare("transcoder");
    let source = p.read("lunora/containers.ts");
    let mut w = Background::spawn(p.lunora_command(&["codegen", "--watch"], &[]));
    w.wait_for("the watcher to start", |w| {
        w.output().contains("watching lunora/containers.ts")
    });
    assert!(
        p.exists("lunora/_generated/containers.ts"),
        "the first run generates"
    );

    p.save(
        "lunora/containers.ts",
        &source.replace("maxInstances: 5", "maxInstances: 7"),
    );
    w.wait_for("max_instances 7 in wrangler.jsonc", |_| {
        max_instances(&p).as_deref() == Some("7")
    });
    w.wait_for("the regeneration line", |w| {
        w.output().contains("regenerated in")
    });
    assert!(p
        .read("lunora/_generated/containerHandles.ts")
        .contains("maxInstances: 7"));

    // A broken save: diagnostics, nothing written, still watching.
    let handles_before = p.read("lunora/_generated/containerHandles.ts");
    p.save(
        "lunora/containers.ts",
        &source.replace("maxInstances: 5", "maxInstances: 0"),
    );
    w.wait_for("the error report", |w| {
        w.output().contains("not regenerated")
    });
    assert_eq!(
        p.read("lunora/_generated/containerHandles.ts"),
        handles_before
    );
    assert_eq!(max_instances(&p).as_deref(), Some("7"));

    // The next good save regenerates.
    p.save(
        "lunora/containers.ts",
        &source.replace("maxInstances: 5", "maxInstances: 9"),
    );
    w.wait_for("max_instances 9 in wrangler.jsonc", |_| {
        max_instances(&p).as_deref() == Some("9")
    });
    w.wait_for("generated handles", |_| {
        p.read("lunora/_generated/containerHandles.ts")
            .contains("maxInstances: 9")
    });

    assert_eq!(w.signal_and_wait(libc::SIGTERM), 0, "{}", w.output());
}

#[test]
fn watch_does_not_rerun_on_its_own_writes() {
    let p = TempProject::example_bare("transcoder");
    let source = p.read("lunora/containers.ts");
    let mut w = Background::spawn(p.lunora_command(&["codegen", "--watch"], &[]));
    w.wait_for("the watcher to start", |w| {
        w.output().contains("watching lunora/containers.ts")
    });
    p.save(
        "lunora/containers.ts",
        &source.replace("maxInstances: 5", "maxInstances: 6"),
    );
    w.wait_for("one regeneration", |w| {
        w.output().contains("regenerated in")
    });
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(
        w.output().matches("regenerated in").count(),
        1,
        "{}",
        w.output()
    );
    assert_eq!(w.signal_and_wait(libc::SIGINT), 0);
}

#[test]
fn watch_follows_the_worker_entry_too() {
    let p = TempProject::example_bare("transcoder");
    let entry = p.read("src/server/index.ts");
    let line = "export * from \"../../lunora/_generated/containers\";\n";
    p.write("src/server/index.ts", &entry.replace(line, ""));
    let mut w = Background::spawn(p.lunora_command(&["codegen", "--watch"], &[]));
    w.wait_for("the watcher to start", |w| {
        w.output().contains("watching lunora/containers.ts")
    });
    assert!(
        !p.read("wrangler.jsonc").contains("\"containers\"")
            || w.output().contains("missing-reexport")
    );
    // Adding the re-export wires the container.
    p.save("src/server/index.ts", &entry);
    w.wait_for("the regeneration", |w| {
        w.output().contains("regenerated in")
    });
    assert!(p
        .read("wrangler.jsonc")
        .contains("\"class_name\": \"TranscoderContainer\""));
    assert_eq!(w.signal_and_wait(libc::SIGTERM), 0);
}

#[test]
fn watch_lost_a_save_made_while_a_run_was_in_progress() {
    let p = TempProject::example_bare("transcoder");
    let source = p.read("lunora/containers.ts");
    // 900 more containers make each run take a few hundred milliseconds, so the second save
    // below lands while the run for the first is still going.
    let many: String = (0..900)
        .map(|i| {
            format!(
                "export const filler{i} = defineContainer({{ image: {{ registry: \"docker.io/acme/x:1\" }}, instanceType: \"lite\", enableInternet: false, maxInstances: 1 }});\n"
            )
        })
        .collect();
    let mut w = Background::spawn(p.lunora_command(&["codegen", "--watch"], &[]));
    w.wait_for("the watcher to start", |w| {
        w.output().contains("watching lunora/containers.ts")
    });
    p.save(
        "lunora/containers.ts",
        &format!(
            "{}{many}",
            source.replace("maxInstances: 5", "maxInstances: 6")
        ),
    );
    std::thread::sleep(std::time::Duration::from_millis(120));
    p.save(
        "lunora/containers.ts",
        &format!(
            "{}{many}",
            source.replace("maxInstances: 5", "maxInstances: 8")
        ),
    );
    // The final output matches the final file, however the saves and runs interleaved.
    w.wait_for("max_instances 8 in wrangler.jsonc", |_| {
        max_instances(&p).as_deref() == Some("8")
    });
    w.wait_for("generated handles for the last save", |_| {
        p.read("lunora/_generated/containerHandles.ts")
            .contains("maxInstances: 8")
    });
    assert_eq!(w.signal_and_wait(libc::SIGTERM), 0, "{}", w.output());
}
