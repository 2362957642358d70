//! `lunora rename` and `lunora remove` (with and without `--delete-data`) on the transcoder
//! example, and the accidental-rename hint of `codegen`. Every outcome is checked with the real
//! `wrangler deploy --dry-run`, with the real `tsc` where the worker must type-check, and with
//! the independent replay of the migrations in `migrations.rs` (storage follows the class
//! through `renamed_classes`, `deleted_classes` ends it).

use crate::migrations::{
    bound_class, count, json_records, parse_jsonc, replay, wired_example, wrangler_accepts,
    wrangler_dry_run,
};
use crate::support::fake;

#[test]
fn rename_moves_storage_binding_and_entry_and_codegen_is_a_no_op() {
    let p = wired_example();
    let defs_before = p.read("lunora/containers.ts");
    let run = p.lunora(&["rename", "transcoder", "videoTranscoder"]);
    run.assert_code(0);
    // Only the export name changed in containers.ts, and the definition pins the container
    // application's name wrangler derived from the old class (see tests/e2e/adopt.rs).
    assert_eq!(
        p.read("lunora/containers.ts"),
        defs_before.replace(
            "export const transcoder = defineContainer({",
            "export const videoTranscoder = defineContainer({\n  name: \"lunora-transcoder-example-transcodercontainer\", // the container application's name before `lunora rename`: Cloudflare keeps that application"
        )
    );
    let text = p.read("wrangler.jsonc");
    let cfg = parse_jsonc(&text);
    assert_eq!(
        bound_class(&cfg, "CONTAINER_VIDEO_TRANSCODER"),
        "VideoTranscoderContainer"
    );
    assert_eq!(count(&cfg, "/durable_objects/bindings"), 1, "{cfg}");
    assert_eq!(count(&cfg, "/containers"), 1, "{cfg}");
    assert_eq!(
        cfg["containers"][0]["class_name"],
        "VideoTranscoderContainer"
    );
    let held = replay(&cfg["migrations"]);
    assert_eq!(
        held.get("VideoTranscoderContainer").map(String::as_str),
        Some("TranscoderContainer@v1"),
        "{held:?}"
    );
    assert_eq!(held.len(), 1, "{held:?}");
    assert!(
        text.contains("// read by the app, not by the container"),
        "comments kept"
    );
    let record = p.read("lunora/_generated/classes.json");
    assert!(
        record.contains("VideoTranscoderContainer") && !record.contains("\"TranscoderContainer\""),
        "{record}"
    );
    let handles = p.read("lunora/_generated/containerHandles.ts");
    assert!(
        handles.contains(
            "CONTAINER_VIDEO_TRANSCODER: DurableObjectNamespace<VideoTranscoderContainer>"
        ),
        "{handles}"
    );
    assert!(
        run.all().contains("containers.videoTranscoder"),
        "{}",
        run.all()
    );

    let check = p.lunora(&["codegen", "--check"]);
    check.assert_code(0);
    let codegen = p.lunora(&["codegen", "--format", "json"]);
    codegen.assert_code(0);
    assert!(
        !codegen.stdout.contains("leftover"),
        "the old class is not called leftover: {}",
        codegen.stdout
    );
    let dry = wrangler_accepts(&p);
    assert!(
        dry.contains("env.CONTAINER_VIDEO_TRANSCODER (VideoTranscoderContainer)"),
        "{dry}"
    );
}

/// A binding the user named is kept on rename; only lunora's own name follows the export.
#[test]
fn rename_keeps_a_hand_chosen_binding_name() {
    let p = wired_example();
    let text = p
        .read("wrangler.jsonc")
        .replace("\"CONTAINER_TRANSCODER\"", "\"TRANSCODER\"");
    p.write("wrangler.jsonc", &text);
    p.lunora(&["codegen"]).assert_code(0);
    p.lunora(&["rename", "transcoder", "encoder"])
        .assert_code(0);
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(bound_class(&cfg, "TRANSCODER"), "EncoderContainer");
    assert_eq!(
        replay(&cfg["migrations"])["EncoderContainer"],
        "TranscoderContainer@v1"
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
    wrangler_accepts(&p);
}

/// Regression-style refusals of `rename`, each writing nothing.
#[test]
fn rename_refusals() {
    let p = wired_example();
    let before = p.snapshot();
    let unknown = p.lunora(&["rename", "nope", "other"]);
    unknown.assert_code(1);
    assert!(
        unknown.all().contains(
            "there is no container `nope` to rename (the declared containers are `transcoder`)"
        ),
        "{}",
        unknown.all()
    );
    let invalid = p.lunora(&["rename", "transcoder", "video-transcoder"]);
    invalid.assert_code(2);
    assert!(
        invalid.all().contains("cannot name a container"),
        "{}",
        invalid.all()
    );
    // NEW's class already has storage.
    let mut text = p.read("wrangler.jsonc");
    text = text.replace("\"tag\": \"v1\",\n    },", "\"tag\": \"v1\",\n    },\n    { \"new_sqlite_classes\": [\"EncoderContainer\"], \"tag\": \"v2\" },");
    p.write("wrangler.jsonc", &text);
    let snapshot = p.snapshot();
    let taken = p.lunora(&["rename", "transcoder", "encoder", "--format", "json"]);
    taken.assert_code(1);
    let records = json_records(&taken.stdout);
    let refusal = records
        .iter()
        .find(|r| r["code"] == "lunora/rename-refused")
        .expect("a refusal record");
    assert!(
        refusal["message"]
            .as_str()
            .unwrap()
            .contains("EncoderContainer (the class of `encoder`) already exists"),
        "{refusal}"
    );
    assert_eq!(refusal["file"], "wrangler.jsonc");
    assert!(refusal["line"].as_u64().is_some());
    assert_eq!(snapshot, p.snapshot());
    p.write(
        "wrangler.jsonc",
        &before
            .iter()
            .find(|(f, _)| f == "wrangler.jsonc")
            .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
            .unwrap(),
    );
    // NEW taken by another definition; OLD with an error.
    let defs = p.read("lunora/containers.ts");
    p.write("lunora/containers.ts", &format!("{defs}\nexport const encoder = defineContainer({{ image: \"./containers/transcoder\", enableInternet: false }});\n"));
    let snapshot = p.snapshot();
    let clash = p.lunora(&["rename", "transcoder", "encoder"]);
    clash.assert_code(1);
    assert!(
        clash.all().contains("`encoder` is already declared"),
        "{}",
        clash.all()
    );
    p.write(
        "lunora/containers.ts",
        &defs.replace("defaultPort: 8080", "defaultPrt: 8080"),
    );
    let broken = p.lunora(&["rename", "transcoder", "encoder"]);
    broken.assert_code(1);
    assert!(
        broken.all().contains("`transcoder` has errors"),
        "{}",
        broken.all()
    );
    assert!(snapshot
        .iter()
        .all(|(f, _)| f != "lunora/_generated/classes.json"
            || p.read(f).contains("TranscoderContainer")));
}

#[test]
fn remove_without_delete_data_keeps_wiring_and_storage_and_says_what_wrangler_does() {
    let p = wired_example();
    // A second container, so the app still builds without the transcoder.
    p.lunora(&["generate", "lunora-container", "--name=thumbnailer"])
        .assert_code(0);
    let defs = p.read("lunora/containers.ts");
    let cfg_before = p.read("wrangler.jsonc");
    let run = p.lunora(&["remove", "transcoder"]);
    run.assert_code(0);
    let after = p.read("lunora/containers.ts");
    assert!(!after.contains("transcoder = defineContainer"), "{after}");
    assert!(after.contains("export const thumbnailer"), "{after}");
    // Everything before the removed definition is kept byte for byte (the file's comment too).
    let start = defs.find("export const transcoder").unwrap();
    assert!(after.starts_with(&defs[..start]), "{after}");
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(
        parse_jsonc(&cfg_before)["containers"],
        cfg["containers"],
        "entries kept"
    );
    assert_eq!(
        bound_class(&cfg, "CONTAINER_TRANSCODER"),
        "TranscoderContainer"
    );
    assert_eq!(
        replay(&cfg["migrations"])["TranscoderContainer"],
        "TranscoderContainer@v1"
    );
    let out = run.all();
    assert!(
        out.contains("the stored data of every TranscoderContainer instance"),
        "{out}"
    );
    let wrangler_says = "Your Worker depends on the following Durable Objects, which are not exported in your entrypoint file: TranscoderContainer";
    assert!(out.contains(wrangler_says), "{out}");
    // What the output says wrangler does is what wrangler does.
    let (code, dry) = wrangler_dry_run(&p);
    assert_ne!(code, 0, "{dry}");
    assert!(dry.contains(wrangler_says), "{dry}");
    // The leftover warning points at the flag and says what it deletes.
    let codegen = p.lunora(&["codegen", "--format", "json"]);
    let leftover = json_records(&codegen.stdout)
        .into_iter()
        .find(|r| r["code"] == "wrangler/leftover-container")
        .expect("leftover");
    assert!(
        leftover["help"]
            .as_str()
            .unwrap()
            .contains("lunora remove transcoder --delete-data"),
        "{leftover}"
    );

    // Then --delete-data on the export that is already gone finishes the job.
    let finish = p.lunora(&["remove", "transcoder", "--delete-data"]);
    finish.assert_code(0);
    assert!(
        finish.all().contains("is deleted at the next deploy"),
        "{}",
        finish.all()
    );
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert!(!replay(&cfg["migrations"]).contains_key("TranscoderContainer"));
    wrangler_accepts(&p);
    p.lunora(&["codegen", "--check"]).assert_code(0);
}

#[test]
fn remove_with_delete_data_removes_wiring_and_appends_deleted_classes() {
    let p = wired_example();
    p.lunora(&["generate", "lunora-container", "--name=thumbnailer"])
        .assert_code(0);
    let run = p.lunora(&["remove", "transcoder", "--delete-data"]);
    run.assert_code(0);
    let out = run.all();
    assert!(
        out.contains("The data of `transcoder` is deleted at the next deploy"),
        "{out}"
    );
    assert!(out.contains("deleted_classes"), "{out}");
    let text = p.read("wrangler.jsonc");
    let cfg = parse_jsonc(&text);
    assert!(
        cfg["containers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["class_name"] != "TranscoderContainer"),
        "{cfg}"
    );
    assert!(
        cfg["durable_objects"]["bindings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["class_name"] != "TranscoderContainer"),
        "{cfg}"
    );
    let held = replay(&cfg["migrations"]);
    assert!(!held.contains_key("TranscoderContainer"), "{held:?}");
    assert!(held.contains_key("ThumbnailerContainer"), "{held:?}");
    assert!(text.contains("// read by the app, not by the container"));
    assert!(!p
        .read("lunora/_generated/classes.json")
        .contains("\"TranscoderContainer\""));
    p.lunora(&["codegen", "--check"]).assert_code(0);
    let dry = wrangler_accepts(&p);
    assert!(!dry.contains("TranscoderContainer"), "{dry}");
}

/// Regression (issue 23): removing the last container deleted the generated modules the worker
/// imports, and the build broke. They stay, empty; the worker's `export *` of the classes (which
/// lunora added) goes; the handles import keeps resolving, and the output says both.
#[test]
fn removing_the_last_container_keeps_the_worker_building() {
    let p = wired_example();
    let run = p.lunora(&["remove", "transcoder", "--delete-data"]);
    run.assert_code(0);
    assert!(!p.read("lunora/_generated/containers.ts").contains("class "));
    assert!(p
        .read("lunora/_generated/containerHandles.ts")
        .contains("export function createContainers"));
    let worker = p.read("src/server/index.ts");
    assert!(
        !worker.contains("export * from \"../../lunora/_generated/containers\""),
        "{worker}"
    );
    assert!(
        worker.starts_with("// Worker entry."),
        "comments kept: {worker}"
    );
    let said = run.all();
    assert!(
        said.contains("src/server/index.ts: the `export *` of the generated classes went with the last class")
            && said.contains("src/server/index.ts:5 imports ../../lunora/_generated/containerHandles: lunora keeps that generated module, empty"),
        "{said}"
    );
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert!(replay(&cfg["migrations"]).is_empty());
    // The worker, untouched since, builds and deploys.
    wrangler_accepts(&p);
    p.lunora(&["codegen", "--check"]).assert_code(0);
    // A codegen later changes nothing.
    let again = p.lunora(&["codegen"]);
    again.assert_code(0);
    assert!(again.all().contains("up to date"), "{}", again.all());
}

#[test]
fn remove_refusals() {
    let p = wired_example();
    let before = p.snapshot();
    let unknown = p.lunora(&["remove", "nope"]);
    unknown.assert_code(1);
    assert!(
        unknown
            .all()
            .contains("there is no container `nope` to remove"),
        "{}",
        unknown.all()
    );
    // A hand-wired class is not lunora's to delete.
    let text = p.read("wrangler.jsonc").replace(
        "\"tag\": \"v1\",\n    },",
        "\"tag\": \"v1\",\n    },\n    { \"new_sqlite_classes\": [\"HandContainer\"], \"tag\": \"v2\" },",
    );
    p.write("wrangler.jsonc", &text);
    let hand = p.lunora(&["remove", "hand", "--delete-data"]);
    hand.assert_code(1);
    assert!(
        hand.all().contains("lunora did not generate it"),
        "{}",
        hand.all()
    );
    p.write(
        "wrangler.jsonc",
        &String::from_utf8(
            before
                .iter()
                .find(|(f, _)| f == "wrangler.jsonc")
                .unwrap()
                .1
                .clone(),
        )
        .unwrap(),
    );
    assert_eq!(before, p.snapshot());
}

/// Renaming the export by hand: codegen warns with the exact command and holds the new class
/// back (a migration creating it would make the rename impossible); the command then finishes
/// the rename with the data.
#[test]
fn accidental_rename_is_caught_with_the_exact_command() {
    let p = wired_example();
    let defs = p.read("lunora/containers.ts");
    p.write(
        "lunora/containers.ts",
        &defs.replace("export const transcoder", "export const videoTranscoder"),
    );
    let cfg_before = p.read("wrangler.jsonc");
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let records = json_records(&run.stdout);
    let hint = records
        .iter()
        .find(|r| r["code"] == "lunora/possible-rename")
        .unwrap_or_else(|| panic!("no hint: {}", run.stdout));
    assert_eq!(hint["severity"], "warning");
    assert!(
        hint["message"]
            .as_str()
            .unwrap()
            .contains("run `lunora rename transcoder videoTranscoder`"),
        "{hint}"
    );
    assert!(
        hint["message"].as_str().unwrap().contains("orphaned"),
        "{hint}"
    );
    assert_eq!(hint["file"], "lunora/containers.ts");
    assert!(
        !records
            .iter()
            .any(|r| r["code"] == "wrangler/leftover-container"),
        "{}",
        run.stdout
    );
    // Held back: the new class got no binding, entry or migration.
    assert_eq!(p.read("wrangler.jsonc"), cfg_before);

    p.lunora(&["rename", "transcoder", "videoTranscoder"])
        .assert_code(0);
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    assert_eq!(
        replay(&cfg["migrations"])["VideoTranscoderContainer"],
        "TranscoderContainer@v1"
    );
    assert_eq!(
        bound_class(&cfg, "CONTAINER_VIDEO_TRANSCODER"),
        "VideoTranscoderContainer"
    );
    let after = p.lunora(&["codegen", "--check", "--format", "json"]);
    after.assert_code(0);
    assert!(
        !after.stdout.contains("possible-rename"),
        "{}",
        after.stdout
    );
    wrangler_accepts(&p);
}

/// Two gone, one new: the hint names every pair it cannot tell apart. A new container next to
/// nothing gone gets no hint.
#[test]
fn rename_hint_names_the_candidates_and_is_silent_without_any() {
    let p = wired_example();
    p.lunora(&["generate", "lunora-container", "--name=thumbnailer"])
        .assert_code(0);
    let defs = p.read("lunora/containers.ts");
    let start = defs.find("export const transcoder").unwrap();
    let only_new = format!(
        "{}export const encoder = defineContainer({{ image: \"./containers/elsewhere\", enableInternet: false }});\n",
        &defs[..start]
    );
    std::fs::create_dir_all(p.path().join("containers/elsewhere")).unwrap();
    p.write("containers/elsewhere/Dockerfile", "FROM scratch\n");
    p.write("lunora/containers.ts", &only_new);
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let hint = json_records(&run.stdout)
        .into_iter()
        .find(|r| r["code"] == "lunora/possible-rename")
        .expect("a hint");
    let message = hint["message"].as_str().unwrap();
    assert!(
        message.contains("`lunora rename transcoder encoder`")
            && message.contains("`lunora rename thumbnailer encoder`"),
        "{message}"
    );

    let q = wired_example();
    q.lunora(&["generate", "lunora-container", "--name=thumbnailer"])
        .assert_code(0);
    let fresh = q.lunora(&["codegen", "--format", "json"]);
    assert!(
        !fresh.stdout.contains("possible-rename"),
        "{}",
        fresh.stdout
    );
}

/// An env block with its own migrations gets the rename in its own array, and its binding and
/// entry move too; wrangler accepts the env.
#[test]
fn rename_reaches_env_blocks_with_their_own_migrations() {
    let p = wired_example();
    let text = p.read("wrangler.jsonc").replace(
        "  \"observability\": {",
        "  \"env\": {\n    \"staging\": {\n      \"name\": \"transcoder-staging\",\n      \"durable_objects\": { \"bindings\": [] },\n      \"migrations\": [{ \"tag\": \"s1\", \"new_sqlite_classes\": [\"TranscoderContainer\"] }],\n    },\n  },\n  \"observability\": {",
    );
    p.write("wrangler.jsonc", &text);
    p.lunora(&["codegen"]).assert_code(0);
    p.lunora(&["rename", "transcoder", "videoTranscoder"])
        .assert_code(0);
    let cfg = parse_jsonc(&p.read("wrangler.jsonc"));
    let staging = &cfg["env"]["staging"];
    assert_eq!(
        replay(&staging["migrations"])["VideoTranscoderContainer"],
        "TranscoderContainer@s1",
        "{staging}"
    );
    assert_eq!(
        replay(&cfg["migrations"])["VideoTranscoderContainer"],
        "TranscoderContainer@v1"
    );
    assert_eq!(
        bound_class(staging, "CONTAINER_VIDEO_TRANSCODER"),
        "VideoTranscoderContainer"
    );
    assert_eq!(count(staging, "/durable_objects/bindings"), 1, "{staging}");
    assert_eq!(count(staging, "/containers"), 1, "{staging}");
    p.lunora(&["codegen", "--check"]).assert_code(0);
    wrangler_accepts(&p);
    let out = p.path().join("dist-staging");
    let run = p.npm_tool(
        "wrangler",
        &[
            "deploy",
            "--dry-run",
            "--env",
            "staging",
            "--outdir",
            out.to_str().unwrap(),
        ],
        &[("WRANGLER_DOCKER_BIN", fake("docker").to_str().unwrap())],
    );
    run.assert_code(0);
    assert!(
        run.all()
            .contains("env.CONTAINER_VIDEO_TRANSCODER (VideoTranscoderContainer)"),
        "{}",
        run.all()
    );
}
