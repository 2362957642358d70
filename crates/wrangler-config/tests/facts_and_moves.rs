//! The facts `lunora rename`, `remove` and `adopt` decide on (`facts`, `ConfigFacts`), and the
//! binding moves of a rename, tested in wrangler-config itself. These were exercised only through
//! the CLI, so mutants of them survived this crate's tests: application names, migrations that
//! apply in an environment, which scopes wire a class, has_storage, spans after a BOM, the entry
//! fields of the right class, and which binding a rename renames.

use lunora_wrangler_config::{
    derived_application_name, facts, move_binding, ChangeKind, ConfigFormat, StorageKind,
};
use serde_json::Value;

const CONFIG: &str = r#"{
  "name": "app",
  "main": "src/index.ts",
  "durable_objects": { "bindings": [
    { "name": "A", "class_name": "AContainer" },
    { "name": "OTHER", "class_name": "OtherContainer" }
  ] },
  "containers": [
    { "class_name": "OtherContainer", "image": "docker.io/acme/other:1" },
    { "class_name": "AContainer", "image": "docker.io/acme/a:1", "max_instances": 3 },
    { "class_name": "Named", "image": "docker.io/acme/n:1", "name": "pinned-app" }
  ],
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["AContainer", "OtherContainer"] }],
  "env": {
    "own": {
      "name": "app-own",
      "containers": [{ "class_name": "AContainer", "image": "docker.io/acme/a:1" }],
      "migrations": [{ "tag": "v1", "new_classes": ["KvOnly"] }]
    },
    "inherits": {
      "durable_objects": { "bindings": [{ "name": "ENV_ONLY", "class_name": "EnvOnly" }] }
    }
  }
}
"#;

#[test]
fn facts_name_applications_and_migrations_per_scope() {
    let f = facts(CONFIG, "wrangler.jsonc").unwrap();
    let top = &f.scopes[0];
    let own = f
        .scopes
        .iter()
        .find(|s| s.env.as_deref() == Some("own"))
        .unwrap();
    let inherits = f
        .scopes
        .iter()
        .find(|s| s.env.as_deref() == Some("inherits"))
        .unwrap();
    // A pinned `name` wins; else wrangler's derivation from the scope's worker name.
    assert_eq!(
        f.application_name(top, "Named").as_deref(),
        Some("pinned-app")
    );
    assert_eq!(
        f.application_name(top, "AContainer"),
        Some(derived_application_name("app", "AContainer", None))
    );
    assert_eq!(
        f.application_name(own, "AContainer"),
        Some(derived_application_name(
            "app-own",
            "AContainer",
            Some("own")
        ))
    );
    assert_ne!(
        f.application_name(top, "AContainer"),
        f.application_name(top, "OtherContainer")
    );
    assert_eq!(f.application_name(top, "Missing"), None);
    // A block without a worker name of its own gives no derived name.
    assert_eq!(f.application_name(inherits, "EnvOnly"), None);

    // An environment with its own migrations reads them; one without reads the top level's.
    assert!(f.migrations_of(own).contains_key("KvOnly"));
    assert!(!f.migrations_of(own).contains_key("AContainer"));
    assert_eq!(
        f.migrations_of(inherits)["AContainer"].storage,
        StorageKind::Sqlite
    );
    assert_eq!(
        f.migrations_of(own)["KvOnly"].storage,
        StorageKind::KeyValue
    );

    // Scopes wiring a class: by a binding or by a containers[] entry alone.
    let wiring = |class: &str| -> Vec<Option<String>> {
        f.scopes_wiring(class).map(|s| s.env.clone()).collect()
    };
    assert_eq!(wiring("AContainer"), [None, Some("own".to_string())]);
    assert_eq!(wiring("Named"), [None]);
    assert_eq!(wiring("EnvOnly"), [Some("inherits".to_string())]);
    assert!(wiring("Missing").is_empty());

    // has_storage: any migrations array, an environment's own included.
    assert!(f.has_storage("AContainer"));
    assert!(f.has_storage("KvOnly"));
    assert!(!f.has_storage("Named"));
    assert!(!f.has_storage("EnvOnly"));

    // Each entry's fields are its own class's.
    let a = top
        .containers
        .iter()
        .find(|c| c.class_name == "AContainer")
        .unwrap();
    assert_eq!(a.fields["image"], Value::from("docker.io/acme/a:1"));
    assert_eq!(a.fields["max_instances"], Value::from(3));
}

#[test]
fn facts_spans_count_a_leading_bom() {
    let plain = facts(CONFIG, "wrangler.jsonc").unwrap();
    let with_bom = format!("\u{feff}{CONFIG}");
    let f = facts(&with_bom, "wrangler.jsonc").unwrap();
    let bom = '\u{feff}'.len_utf8() as u32;
    for (a, b) in plain.scopes[0].bindings.iter().zip(&f.scopes[0].bindings) {
        assert_eq!(
            (a.span.start + bom, a.span.end + bom),
            (b.span.start, b.span.end)
        );
        assert_eq!(
            &with_bom[b.span.start as usize..b.span.end as usize],
            &CONFIG[a.span.start as usize..a.span.end as usize]
        );
    }
    let entry = &f.scopes[0].containers[1];
    assert!(with_bom[entry.span.start as usize..entry.span.end as usize].contains("\"AContainer\""));
    let declared = &f.scopes[0].migrations.as_ref().unwrap()["AContainer"];
    assert!(
        with_bom[declared.span.start as usize..declared.span.end as usize].contains("AContainer")
    );
}

#[test]
fn a_rename_moves_only_the_binding_named_after_the_old_export() {
    let text = r#"{
  "durable_objects": { "bindings": [
    { "name": "OLD", "class_name": "OldContainer" },
    { "name": "KEPT", "class_name": "OldContainer" },
    { "name": "THIRD", "class_name": "ThirdContainer" }
  ] }
}
"#;
    let out = move_binding(
        text,
        ConfigFormat::Jsonc,
        "wrangler.jsonc",
        "OldContainer",
        "NewContainer",
        Some(("OLD", "NEW")),
    )
    .unwrap();
    assert!(
        out.text
            .contains(r#"{ "name": "NEW", "class_name": "NewContainer" }"#),
        "{}",
        out.text
    );
    assert!(
        out.text
            .contains(r#"{ "name": "KEPT", "class_name": "NewContainer" }"#),
        "{}",
        out.text
    );
    assert!(
        out.text
            .contains(r#"{ "name": "THIRD", "class_name": "ThirdContainer" }"#),
        "{}",
        out.text
    );
    let what: Vec<(ChangeKind, &str)> = out
        .changes
        .iter()
        .map(|c| (c.kind, c.what.as_str()))
        .collect();
    assert!(
        what.contains(&(
            ChangeKind::Updated,
            "durable_objects.bindings OLD → OldContainer is now NEW → NewContainer"
        )),
        "{what:?}"
    );
    assert!(
        what.contains(&(
            ChangeKind::Updated,
            "durable_objects.bindings KEPT now → NewContainer (was OldContainer)"
        )),
        "{what:?}"
    );
}

#[test]
fn a_rename_onto_a_name_that_already_binds_the_new_class_removes_the_duplicate() {
    let text = r#"{
  "durable_objects": { "bindings": [
    { "name": "OLD", "class_name": "OldContainer" },
    { "name": "NEW", "class_name": "NewContainer" }
  ] }
}
"#;
    let out = move_binding(
        text,
        ConfigFormat::Jsonc,
        "wrangler.jsonc",
        "OldContainer",
        "NewContainer",
        Some(("OLD", "NEW")),
    )
    .unwrap();
    assert!(!out.text.contains("OldContainer"), "{}", out.text);
    assert_eq!(out.text.matches("\"NEW\"").count(), 1, "{}", out.text);
    assert_eq!(out.changes[0].kind, ChangeKind::Removed);
    // Run again: the binding is already moved, nothing changes.
    let again = move_binding(
        &out.text,
        ConfigFormat::Jsonc,
        "wrangler.jsonc",
        "OldContainer",
        "NewContainer",
        Some(("OLD", "NEW")),
    )
    .unwrap();
    assert_eq!(again.text, out.text);
    assert!(again
        .changes
        .iter()
        .all(|c| c.kind == ChangeKind::Unchanged));
    assert_eq!(again.changes.len(), 1, "{:?}", again.changes);
}

#[test]
fn a_rename_onto_a_name_of_a_third_class_is_refused() {
    let text = r#"{
  "durable_objects": { "bindings": [
    { "name": "OLD", "class_name": "OldContainer" },
    { "name": "NEW", "class_name": "ThirdContainer" }
  ] }
}
"#;
    let errors = move_binding(
        text,
        ConfigFormat::Jsonc,
        "wrangler.jsonc",
        "OldContainer",
        "NewContainer",
        Some(("OLD", "NEW")),
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "wrangler/binding-conflict");
    assert!(
        errors[0]
            .message
            .contains("NEW already points at `ThirdContainer`"),
        "{}",
        errors[0].message
    );
    // A name kept as it is never conflicts with a binding of the moved class itself.
    let text = r#"{ "durable_objects": { "bindings": [{ "name": "OLD", "class_name": "OldContainer" }] } }"#;
    let out = move_binding(
        text,
        ConfigFormat::Jsonc,
        "wrangler.jsonc",
        "OldContainer",
        "NewContainer",
        None,
    )
    .unwrap();
    assert!(
        out.text
            .contains(r#""name": "OLD", "class_name": "NewContainer""#),
        "{}",
        out.text
    );
}

#[test]
fn a_migration_appended_to_a_file_with_trailing_commas_has_them_too() {
    let text = "{\n  \"durable_objects\": { \"bindings\": [{ \"name\": \"OLD\", \"class_name\": \"OldContainer\" }] },\n  \"migrations\": [\n    {\n      \"tag\": \"v1\",\n      \"new_sqlite_classes\": [\"OldContainer\"],\n    },\n  ],\n}\n";
    let renames = [lunora_wrangler_config::Rename {
        from: "OldContainer".into(),
        to: "NewContainer".into(),
    }];
    let out = lunora_wrangler_config::append_rename(
        text,
        ConfigFormat::Jsonc,
        "wrangler.jsonc",
        &renames,
    )
    .unwrap();
    let added = &out.text[out.text.find("\"renamed_classes\"").unwrap()..];
    assert!(added.contains("\"tag\": \"v2\",\n"), "{}", out.text);
    // Strict JSON never gets them.
    let json = text.replace(",\n    },\n  ],\n}", "\n    }\n  ]\n}");
    let out =
        lunora_wrangler_config::append_rename(&json, ConfigFormat::Json, "wrangler.json", &renames)
            .unwrap();
    assert!(
        !out.text.contains(",\n    }") && !out.text.contains(",\n  ]"),
        "{}",
        out.text
    );
}

#[test]
fn r27_rename_looked_up_each_of_thousands_of_environment_blocks_by_walking_all_of_them() {
    // 4,800 blocks took 1.4 s (release) in rename; every block's binding must still move.
    let envs: Vec<String> = (0..3000)
        .map(|i| {
            format!(
                r#""e{i}":{{"durable_objects":{{"bindings":[{{"class_name":"AContainer","name":"A"}}]}}}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"name":"app","durable_objects":{{"bindings":[{{"class_name":"AContainer","name":"A"}}]}},"env":{{{}}}}}"#,
        envs.join(",")
    );
    let out = move_binding(
        &text,
        ConfigFormat::Jsonc,
        "wrangler.jsonc",
        "AContainer",
        "BContainer",
        None,
    )
    .unwrap();
    let v: Value = serde_json::from_str(&out.text).unwrap();
    assert_eq!(
        v["durable_objects"]["bindings"][0]["class_name"],
        "BContainer"
    );
    for i in 0..3000 {
        let b = &v["env"][format!("e{i}")]["durable_objects"]["bindings"][0];
        assert_eq!(b["class_name"], "BContainer", "e{i}");
        assert_eq!(b["name"], "A", "e{i}");
    }
    assert!(!out.text.contains("AContainer"));
}
