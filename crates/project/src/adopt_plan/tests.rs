//! In-memory tests of adopt's plan.

use super::*;
use crate::fs::MemoryFs;
use std::sync::Arc;

const WRANGLER: &str = r#"{
  "name": "app",
  "main": "src/index.ts",
  "containers": [{ "class_name": "Sandbox", "image": "./Dockerfile" }],
  "durable_objects": { "bindings": [{ "class_name": "Sandbox", "name": "SANDBOX" }] },
  "migrations": [{ "new_sqlite_classes": ["Sandbox"], "tag": "v1" }],
}
"#;

fn project(worker: &str) -> Project {
    let fs = MemoryFs::new()
        .dir("/app")
        .file("/app/wrangler.jsonc", WRANGLER)
        .file("/app/Dockerfile", "FROM scratch\n")
        .file("/app/src/index.ts", worker)
        .file("/app/package.json", "{\n  \"name\": \"app\"\n}\n");
    Project::new(Arc::new(fs), "/app".into())
}

fn planned(p: &Project) -> Box<AdoptPlan> {
    match plan_adopt(p, None).unwrap() {
        AdoptOutcome::Planned(plan) => plan,
        AdoptOutcome::Refused(r) => panic!("refused: {:?}", r.diagnostics),
        AdoptOutcome::NothingToAdopt(_) | AdoptOutcome::ConvertOnly { .. } => {
            panic!("nothing to adopt")
        }
    }
}

fn file<'a>(plan: &'a AdoptPlan, rel: &str) -> &'a str {
    &plan.files.iter().find(|(r, _)| r == rel).unwrap().1
}

/// The whole plan in memory: the class keeps its name (`className`), the wrangler config is
/// not among the files, the fully carried class goes and the packages are added.
#[test]
fn a_carried_class_is_adopted_without_touching_the_wrangler_config() {
    let p = project("import { Container } from \"@cloudflare/containers\";\nexport class Sandbox extends Container {\n  defaultPort = 8080;\n}\nexport default { fetch: () => new Response(\"\") };\n");
    let plan = planned(&p);
    assert!(plan.files.iter().all(|(r, _)| r != "wrangler.jsonc"));
    let defs = file(&plan, CONTAINERS_TS);
    assert!(defs.contains("export const sandbox = defineContainer({\n  className: \"Sandbox\",\n  image: \"./Dockerfile\",\n  defaultPort: 8080,\n});"), "{defs}");
    assert_eq!(
        file(&plan, "src/index.ts"),
        "export * from \"../lunora/_generated/containers\";\nexport default { fetch: () => new Response(\"\") };\n"
    );
    assert!(file(&plan, "package.json").contains("@lunora/container"));
    assert!(plan.kept.is_empty());
}

/// A class with code of its own is planned as a subclass, and the note names its member.
#[test]
fn a_class_with_a_fetch_is_planned_as_a_subclass() {
    let p = project("import { Container } from \"@cloudflare/containers\";\nexport class Sandbox extends Container {\n  defaultPort = 8080;\n  fetch(r: Request) { return new Response(\"mine\"); }\n}\n");
    let plan = planned(&p);
    let worker = file(&plan, "src/index.ts");
    assert!(
        worker.contains(
            "import { Sandbox as LunoraSandbox } from \"../lunora/_generated/containers\";"
        ),
        "{worker}"
    );
    assert!(
        worker.contains("export class Sandbox extends LunoraSandbox {\n  fetch(r: Request)"),
        "{worker}"
    );
    assert_eq!(plan.kept.len(), 1);
    assert!(
        plan.kept[0].message.contains("fetch (method, line 4)"),
        "{}",
        plan.kept[0].message
    );
}

/// Regression: the definition was written with a `{define}` placeholder replaced in the
/// whole text, so a value holding `{define}` was changed too.
#[test]
fn a_value_that_looks_like_the_placeholder_is_kept() {
    let p = project("import { Container } from \"@cloudflare/containers\";\nexport class Sandbox extends Container {\n  labels = { t: \"{define}\" };\n}\n");
    let plan = planned(&p);
    let defs = file(&plan, CONTAINERS_TS);
    assert!(defs.contains("labels: { t: \"{define}\" },"), "{defs}");
}

/// Regression: a kept class lost its carried fields but left their comments behind, above
/// whatever member followed; they move into the definition with their field.
#[test]
fn the_comments_of_a_carried_field_go_with_it() {
    let p = project("import { Container } from \"@cloudflare/containers\";\nexport class Sandbox extends Container {\n  // Port the server listens on.\n  defaultPort = 8080;\n\n  // Ours.\n  fetch(r: Request) { return new Response(\"mine\"); }\n}\n");
    let plan = planned(&p);
    let defs = file(&plan, CONTAINERS_TS);
    assert!(
        defs.contains("  // Port the server listens on.\n  defaultPort: 8080,\n"),
        "{defs}"
    );
    let worker = file(&plan, "src/index.ts");
    assert!(!worker.contains("Port the server"), "{worker}");
    assert!(
        worker.contains("export class Sandbox extends LunoraSandbox {\n  // Ours.\n  fetch("),
        "{worker}"
    );
}

/// Regression (public projects pinned `@cloudflare/containers` at 0.0.x): adopt kept the
/// declared range, which shares no version with the runtime's peer range, and said nothing;
/// the install then fails. The plan warns, naming both ranges.
#[test]
fn a_declared_base_range_the_runtime_cannot_use_is_warned_about() {
    let worker = "import { Container } from \"@cloudflare/containers\";\nexport class Sandbox extends Container {\n  defaultPort = 8080;\n}\n";
    let fs = MemoryFs::new()
        .dir("/app")
        .file("/app/wrangler.jsonc", WRANGLER)
        .file("/app/Dockerfile", "FROM scratch\n")
        .file("/app/src/index.ts", worker)
        .file(
            "/app/package.json",
            "{\n  \"name\": \"app\",\n  \"dependencies\": { \"@cloudflare/containers\": \"^0.0.8\" }\n}\n",
        );
    let plan = planned(&Project::new(Arc::new(fs), "/app".into()));
    let warning = plan
        .kept
        .iter()
        .find(|d| d.code == codes::ADOPT_PACKAGE_RANGE)
        .expect("a warning about the range");
    assert!(
        warning
            .message
            .contains("@cloudflare/containers \"^0.0.8\"")
            && warning.message.contains(">=0.3.7"),
        "{}",
        warning.message
    );
    // A range that overlaps says nothing.
    let p = project(worker);
    assert!(planned(&p)
        .kept
        .iter()
        .all(|d| d.code != codes::ADOPT_PACKAGE_RANGE));
}

const CARRIED: &str = "import { Container } from \"@cloudflare/containers\";\nexport class Sandbox extends Container {\n  defaultPort = 8080;\n}\n";

fn project_with(wrangler: &str, worker: &str) -> Project {
    let fs = MemoryFs::new()
        .dir("/app")
        .file("/app/wrangler.jsonc", wrangler)
        .file("/app/Dockerfile", "FROM scratch\n")
        .file("/app/src/index.ts", worker)
        .file("/app/package.json", "{\n  \"name\": \"app\"\n}\n");
    Project::new(Arc::new(fs), "/app".into())
}

fn primary_file(d: &Diagnostic) -> Option<&str> {
    d.labels.iter().find(|l| l.primary).map(|l| l.file.as_str())
}

fn converted(text: &str) -> Option<WranglerFile> {
    Some(WranglerFile {
        rel: "wrangler.jsonc".into(),
        text: text.into(),
        ignored: Some("wrangler.toml".into()),
    })
}

/// `--convert-toml` on a config with no containers converts only; without the flag the same
/// config is refused as having nothing to adopt.
#[test]
fn a_converted_config_without_containers_is_only_converted() {
    let plain = "{\n  \"name\": \"app\",\n  \"main\": \"src/index.ts\",\n}\n";
    let p = project_with(plain, CARRIED);
    match plan_adopt(&p, converted(plain)).unwrap() {
        AdoptOutcome::ConvertOnly { file, why } => {
            assert_eq!(file, ("wrangler.jsonc".to_string(), plain.to_string()));
            assert!(why.contains("no `containers`"), "{why}");
        }
        _ => panic!("not a conversion only"),
    }
    assert!(matches!(
        plan_adopt(&p, None).unwrap(),
        AdoptOutcome::Refused(_)
    ));
}

/// A converted config whose containers are all lunora's is only converted; without the flag
/// there is nothing to adopt.
#[test]
fn a_converted_config_with_only_lunora_containers_is_only_converted() {
    let fs = MemoryFs::new()
        .dir("/app")
        .file("/app/wrangler.jsonc", WRANGLER)
        .file("/app/Dockerfile", "FROM scratch\n")
        .file("/app/src/index.ts", "export * from \"../lunora/_generated/containers\";\n")
        .file("/app/lunora/containers.ts", "import { defineContainer } from \"@lunora/container\";\nexport const sandbox = defineContainer({\n  className: \"Sandbox\",\n  image: \"./Dockerfile\",\n});\n")
        .file("/app/package.json", "{\n  \"name\": \"app\"\n}\n");
    let p = Project::new(Arc::new(fs), "/app".into());
    assert!(matches!(
        plan_adopt(&p, converted(WRANGLER)).unwrap(),
        AdoptOutcome::ConvertOnly { .. }
    ));
    match plan_adopt(&p, None).unwrap() {
        AdoptOutcome::NothingToAdopt(where_) => {
            assert_eq!(where_, "already declared in lunora/containers.ts")
        }
        _ => panic!("expected nothing to adopt"),
    }
}

/// A converted config is written with the adoption even when adopt changes nothing in it.
#[test]
fn a_converted_config_is_written_with_the_adoption() {
    let p = project_with(WRANGLER, CARRIED);
    let AdoptOutcome::Planned(plan) = plan_adopt(&p, converted(WRANGLER)).unwrap() else {
        panic!("not planned");
    };
    assert!(plan.converted);
    assert_eq!(file(&plan, "wrangler.jsonc"), WRANGLER);
}

/// wrangler's deprecated `configuration` object is carried into the definition (image and a
/// custom size), removed from the entry, and warned about at the entry; another class's
/// entry is not touched.
#[test]
fn a_legacy_configuration_is_carried_removed_and_warned_about() {
    let wrangler = "{\n  \"name\": \"app\",\n  \"main\": \"src/index.ts\",\n  \"containers\": [\n    { \"class_name\": \"Sandbox\", \"configuration\": { \"image\": \"./Dockerfile\", \"vcpu\": 1, \"memory_mib\": 4096 } },\n  ],\n  \"durable_objects\": { \"bindings\": [{ \"class_name\": \"Sandbox\", \"name\": \"SANDBOX\" }] },\n  \"migrations\": [{ \"new_sqlite_classes\": [\"Sandbox\"], \"tag\": \"v1\" }],\n}\n";
    let plan = planned(&project_with(wrangler, CARRIED));
    let cfg = file(&plan, "wrangler.jsonc");
    assert!(!cfg.contains("configuration"), "{cfg}");
    assert!(cfg.contains("\"class_name\": \"Sandbox\""), "{cfg}");
    let defs = file(&plan, CONTAINERS_TS);
    assert!(defs.contains("image: \"./Dockerfile\""), "{defs}");
    assert!(defs.contains("vcpu: 1"), "{defs}");
    let legacy: Vec<_> = plan
        .kept
        .iter()
        .filter(|d| d.code == codes::ADOPT_LEGACY_VALUE)
        .collect();
    assert_eq!(legacy.len(), 1, "{:?}", plan.kept);
    assert!(
        legacy[0].message.starts_with("`Sandbox`: "),
        "{}",
        legacy[0].message
    );
    // A memory size alone is a custom size too (wrangler's default vCPU fills the gap).
    let memory_only = wrangler.replace("\"vcpu\": 1, ", "");
    let plan = planned(&project_with(&memory_only, CARRIED));
    let defs = file(&plan, CONTAINERS_TS);
    assert!(defs.contains("memoryMib: 4096"), "{defs}");
    // A size that is not a number is refused with the field.
    let bad = wrangler.replace("\"vcpu\": 1", "\"vcpu\": \"two\"");
    let AdoptOutcome::Refused(r) = plan_adopt(&project_with(&bad, CARRIED), None).unwrap() else {
        panic!("a non-number size was planned");
    };
    assert!(
        r.diagnostics[0]
            .message
            .contains("`configuration.vcpu` is not a number"),
        "{}",
        r.diagnostics[0].message
    );
}

/// A value the definition would reject is reported once, at the `containers[]` entry it
/// came from (not at a containers.ts that does not exist), and nothing is planned.
#[test]
fn an_invalid_value_is_reported_once_at_its_entry() {
    let wrangler = WRANGLER.replace(
        "\"image\": \"./Dockerfile\" }",
        "\"image\": \"./Dockerfile\", \"max_instances\": -3 }",
    );
    let AdoptOutcome::Refused(r) = plan_adopt(&project_with(&wrangler, CARRIED), None).unwrap()
    else {
        panic!("an invalid value was planned");
    };
    let errors: Vec<_> = r.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].message.starts_with("`Sandbox` cannot be adopted"),
        "{}",
        errors[0].message
    );
    let at = primary_file(errors[0]).expect("located");
    assert_eq!(at, "wrangler.jsonc", "{:?}", errors[0]);
}

/// A class the worker does not declare is refused at its `containers[]` entry.
#[test]
fn a_class_the_worker_lacks_is_refused_at_its_entry() {
    let AdoptOutcome::Refused(r) = plan_adopt(
        &project_with(
            WRANGLER,
            "export default { fetch: () => new Response(\"\") };\n",
        ),
        None,
    )
    .unwrap() else {
        panic!("planned a class the worker lacks");
    };
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(
        primary_file(&r.diagnostics[0]),
        Some("wrangler.jsonc"),
        "{:?}",
        r.diagnostics[0]
    );
    // At the entry itself, not just the file.
    let entry_at = WRANGLER
        .find("{ \"class_name\": \"Sandbox\", \"image\"")
        .unwrap();
    assert_eq!(
        r.diagnostics[0].labels[0].span.start as usize, entry_at,
        "{:?}",
        r.diagnostics[0]
    );
}

/// A constructor is refused with its line, and nothing is planned.
#[test]
fn a_constructor_is_refused_with_its_line() {
    let p = project("import { Container } from \"@cloudflare/containers\";\nexport class Sandbox extends Container {\n  constructor(ctx: any, env: any) { super(ctx, env, { defaultPort: 1 }); }\n}\n");
    let AdoptOutcome::Refused(r) = plan_adopt(&p, None).unwrap() else {
        panic!("planned a class with a constructor");
    };
    assert_eq!(r.diagnostics.len(), 1);
    assert!(
        r.diagnostics[0]
            .message
            .contains("its constructor (line 3)"),
        "{}",
        r.diagnostics[0].message
    );
}
