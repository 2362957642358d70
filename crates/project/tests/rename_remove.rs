//! The planning halves of `lunora rename` and `lunora remove`, run in memory: a project that
//! `codegen` has wired is renamed or removed from, the transaction (the command's edits and
//! codegen on top) is applied to the in-memory files, and codegen run again must find nothing to
//! do. The whole commands are tested on disk in tests/e2e/rename_remove.rs.

use lunora_project::codes;
use lunora_project::fs::{Fs, MemoryFs};
use lunora_project::remove::RemovePlan;
use lunora_project::rename::RenamePlan;
use lunora_project::transaction::{transaction, Transaction};
use lunora_project::{plan, PlanOptions, Project};
use std::path::PathBuf;
use std::sync::Arc;

const ROOT: &str = "/app";

const WRANGLER: &str = r#"// the user's comment
{
  "name": "app",
  "main": "src/index.ts",
  "compatibility_date": "2026-04-01",
  "observability": { "enabled": true },
}
"#;

const CONTAINERS: &str = r#"import { defineContainer } from "@lunora/container";

/** Transcodes videos. */
export const transcoder = defineContainer({
  image: { registry: "docker.io/acme/transcoder:1.4" },
  defaultPort: 8080,
});

export const api = defineContainer({
  image: { registry: "docker.io/acme/api:1" },
  defaultPort: 3000,
});
"#;

const ENTRY: &str = "export * from \"../lunora/_generated/containers\";\n\nexport default { fetch() { return new Response(\"ok\"); } };\n";

fn project(fs: &MemoryFs) -> Project {
    Project::new(Arc::new(fs.clone()), PathBuf::from(ROOT))
}

/// `fs` with `changes` written (and deleted) as the CLI writes them.
fn written(mut fs: MemoryFs, changes: &[lunora_project::FileChange]) -> MemoryFs {
    for f in changes {
        if let Some(text) = &f.new {
            fs = fs.file(format!("{ROOT}/{}", f.rel), text.clone());
        }
    }
    fs
}

/// The project after `lunora codegen` wired it.
fn wired(containers: &str) -> MemoryFs {
    let fs = MemoryFs::new()
        .file(format!("{ROOT}/wrangler.jsonc"), WRANGLER)
        .file(format!("{ROOT}/lunora/containers.ts"), containers)
        .file(format!("{ROOT}/src/index.ts"), ENTRY);
    let first = plan(&project(&fs), &PlanOptions::default());
    assert!(!first.has_errors(), "{:?}", first.diagnostics);
    written(fs, &first.files)
}

fn read(fs: &MemoryFs, rel: &str) -> String {
    fs.read(&PathBuf::from(format!("{ROOT}/{rel}")))
        .unwrap()
        .unwrap_or_else(|| panic!("{rel} exists"))
}

/// `lunora rename old new` planned on `fs`, and its transaction.
fn rename(fs: &MemoryFs, old: &str, new: &str) -> (RenamePlan, Transaction) {
    let p = project(fs);
    let mut planned = lunora_project::rename::plan(&p, old, new)
        .unwrap()
        .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
    let staged = std::mem::take(&mut planned.staged);
    (
        planned,
        transaction(&p, staged, Some("wrangler.jsonc")).unwrap(),
    )
}

/// `lunora remove name [--delete-data]` planned on `fs`, and its transaction.
fn remove(fs: &MemoryFs, name: &str, delete_data: bool) -> (RemovePlan, Transaction) {
    let p = project(fs);
    let mut planned = lunora_project::remove::plan(&p, name, delete_data)
        .unwrap()
        .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
    assert!(planned.nothing_to_write().is_none());
    let staged = std::mem::take(&mut planned.staged);
    (
        planned,
        transaction(&p, staged, Some("wrangler.jsonc")).unwrap(),
    )
}

/// Applies `tx` and checks that codegen then changes nothing.
fn apply_and_recheck(fs: MemoryFs, tx: &Transaction) -> MemoryFs {
    assert!(!tx.has_errors(), "{:?}", tx.plan.diagnostics);
    let after = written(fs, &tx.files);
    let again = plan(&project(&after), &PlanOptions::default());
    let stale: Vec<&str> = again.stale_files().map(|f| f.rel.as_str()).collect();
    assert!(
        stale.is_empty(),
        "codegen after the command would write {stale:?}"
    );
    after
}

#[test]
fn rename_moves_storage_binding_and_entry_and_codegen_is_a_no_op() {
    let fs = wired(CONTAINERS);
    let (planned, tx) = rename(&fs, "transcoder", "videoTranscoder");
    let after = apply_and_recheck(fs, &tx);

    let ts = read(&after, "lunora/containers.ts");
    assert!(
        ts.contains("export const videoTranscoder = defineContainer({"),
        "{ts}"
    );
    assert!(ts.contains("/** Transcodes videos. */"), "{ts}");
    let cfg = read(&after, "wrangler.jsonc");
    assert!(cfg.starts_with("// the user's comment"), "{cfg}");
    assert!(cfg.contains(r#""from": "TranscoderContainer""#), "{cfg}");
    assert!(cfg.contains(r#""to": "VideoTranscoderContainer""#), "{cfg}");
    assert!(
        cfg.contains(r#""name": "CONTAINER_VIDEO_TRANSCODER""#),
        "{cfg}"
    );
    assert!(
        !cfg.contains(r#""class_name": "TranscoderContainer""#),
        "{cfg}"
    );
    // The application keeps the name wrangler derived from the old class, in the definition.
    assert!(ts.contains("name: \"app-transcodercontainer\""), "{ts}");

    let summary = planned.summary(&tx);
    assert!(
        summary.contains("(TranscoderContainer → VideoTranscoderContainer)"),
        "{summary}"
    );
    assert!(
        summary.contains("must read `env.CONTAINER_VIDEO_TRANSCODER`"),
        "{summary}"
    );
}

#[test]
fn rename_refuses_without_planning_anything() {
    let fs = wired(CONTAINERS);
    let p = project(&fs);
    let refused = |old: &str, new: &str| {
        lunora_project::rename::plan(&p, old, new)
            .unwrap()
            .err()
            .unwrap_or_else(|| panic!("rename {old} {new} was planned"))
    };
    let same = refused("api", "api");
    assert_eq!(same.diagnostics[0].code, codes::RENAME_REFUSED);
    let unknown = refused("nope", "other");
    assert_eq!(unknown.diagnostics[0].code, codes::UNKNOWN_CONTAINER);
    assert!(
        unknown.diagnostics[0].message.contains("`transcoder`"),
        "{:?}",
        unknown.diagnostics
    );
    let taken = refused("transcoder", "api");
    assert!(taken.diagnostics[0].message.contains("already declared"));
    // OtherContainer has storage of its own: renaming onto its class is refused, located.
    let with_other = fs.clone().file(
        format!("{ROOT}/wrangler.jsonc"),
        read(&fs, "wrangler.jsonc").replace(
            "\"migrations\": [",
            "\"migrations\": [{ \"tag\": \"v0\", \"new_sqlite_classes\": [\"OtherContainer\"] }, ",
        ),
    );
    let onto = lunora_project::rename::plan(&project(&with_other), "transcoder", "other")
        .unwrap()
        .err()
        .expect("refused");
    assert_eq!(onto.diagnostics[0].code, codes::RENAME_REFUSED);
    let label = onto.diagnostics[0].primary_label().expect("located");
    assert_eq!(label.file, "wrangler.jsonc");
}

#[test]
fn remove_keeps_wiring_and_data_without_delete_data() {
    let fs = wired(CONTAINERS);
    let (planned, tx) = remove(&fs, "transcoder", false);
    let after = apply_and_recheck(fs, &tx);
    let ts = read(&after, "lunora/containers.ts");
    assert!(
        !ts.contains("transcoder") && !ts.contains("Transcodes videos"),
        "{ts}"
    );
    assert!(ts.contains("export const api"), "{ts}");
    let cfg = read(&after, "wrangler.jsonc");
    assert!(
        cfg.contains(r#""class_name": "TranscoderContainer""#),
        "{cfg}"
    );
    assert!(!cfg.contains("deleted_classes"), "{cfg}");
    let summary = planned.summary(&tx);
    assert!(
        summary.contains("Kept in wrangler.jsonc: containers[] entry for TranscoderContainer"),
        "{summary}"
    );

    // Its wiring is all that is left, and lunora recorded it: the plan writes nothing and says so.
    let again = lunora_project::remove::plan(&project(&after), "transcoder", false)
        .unwrap()
        .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
    let note = again.nothing_to_write().expect("nothing to write");
    assert!(note.contains("--delete-data"), "{note}");
}

#[test]
fn remove_with_delete_data_ends_the_storage_and_keeps_the_comment() {
    let fs = wired(CONTAINERS);
    let (planned, tx) = remove(&fs, "transcoder", true);
    let after = apply_and_recheck(fs, &tx);
    let cfg = read(&after, "wrangler.jsonc");
    assert!(cfg.starts_with("// the user's comment"), "{cfg}");
    assert!(
        cfg.contains(r#""deleted_classes": ["TranscoderContainer"]"#),
        "{cfg}"
    );
    assert!(
        !cfg.contains(r#""class_name": "TranscoderContainer""#),
        "{cfg}"
    );
    assert!(cfg.contains(r#""class_name": "ApiContainer""#), "{cfg}");
    let summary = planned.summary(&tx);
    assert!(summary.contains("(migrations v2)"), "{summary}");
}

#[test]
fn removing_the_last_container_takes_the_entry_s_reexport_and_empties_the_generated_module() {
    let only = CONTAINERS
        .split("export const api")
        .next()
        .unwrap()
        .trim_end()
        .to_string()
        + "\n";
    let fs = wired(&only);
    let (_, tx) = remove(&fs, "transcoder", false);
    let entry = tx
        .files
        .iter()
        .find(|f| f.rel == "src/index.ts")
        .and_then(|f| f.new.clone())
        .expect("the entry is edited");
    assert!(!entry.contains("_generated"), "{entry}");
    assert!(entry.contains("export default"), "{entry}");
    let generated = tx
        .files
        .iter()
        .find(|f| f.rel == "lunora/_generated/containers.ts")
        .and_then(|f| f.new.clone())
        .expect("the generated module stays, so imports of it still resolve");
    assert!(!generated.contains("class "), "{generated}");
}

#[test]
fn remove_refuses_a_name_that_is_not_lunora_s() {
    let fs = wired(CONTAINERS);
    let refusal = lunora_project::remove::plan(&project(&fs), "nope", false)
        .unwrap()
        .err()
        .expect("refused");
    assert_eq!(refusal.diagnostics[0].code, codes::UNKNOWN_CONTAINER);
}
