//! The `generate` fuzz target's oracle (also replayed by `crates/parser/tests/corpus_replay.rs`).
//!
//! Contract, for arbitrary text as `lunora/containers.ts` that `lunora generate` accepts (it
//! parses and has no errors): adding a scaffolded definition with `add_definition` (the import
//! of `defineContainer` added when missing) only inserts text, and the result has no errors, the
//! containers it had (unchanged but for their positions) and the new one. A refusal is only for
//! a file with a `defineContainer` of its own.

use lunora_parser::{add_definition, entry_exports, parse_containers, ContainerSpec};

const FILE: &str = "lunora/containers.ts";
/// The scaffold definition `lunora generate` writes (`lunora_codegen::scaffold_definition`, whose
/// test checks this copy: the parser's tests replay this file and cannot depend on codegen).
const SCAFFOLD: &str = "export const {name} = {ident}({\n  image: \"./containers/fuzz\", // directory with a Dockerfile, or { registry: \"…:tag\" }\n  defaultPort: 8080,\n  instanceType: \"basic\", // lite | basic | standard-1..4 | { vcpu, memoryMib, diskMb }\n  maxInstances: 3,\n  sleepAfter: \"5m\",\n  enableInternet: false, // set true to allow outbound connections (egress is billed)\n});";

/// The scaffold definition, as `lunora generate` renders it.
pub fn definition(export_name: &str, define_ident: &str) -> String {
    SCAFFOLD
        .replace("{name}", export_name)
        .replace("{ident}", define_ident)
}

fn without_positions(c: &ContainerSpec) -> ContainerSpec {
    let mut c = c.clone();
    c.span = Default::default();
    c.image_span = Default::default();
    c
}

pub fn check(data: &[u8]) {
    let source = String::from_utf8_lossy(data);
    let before = parse_containers(&source, FILE);
    if before.diagnostics.iter().any(|d| d.is_error()) {
        return; // generate refuses such a file
    }
    let Ok(exports) = entry_exports(&source, FILE) else {
        panic!("parse_containers accepted a file entry_exports cannot parse:\n{source}");
    };
    let taken = |name: &str| {
        exports.value_names.iter().any(|n| n == name)
            || exports.declared_names.iter().any(|n| n == name)
            || before
                .containers
                .iter()
                .any(|c| c.binding == lunora_parser::binding_for(name))
    };
    let Some(name) = (0..100)
        .map(|i| format!("fuzzScaffold{i}"))
        .find(|n| !taken(n))
    else {
        return;
    };
    let ident = before
        .define_container
        .clone()
        .unwrap_or_else(|| "defineContainer".to_string());
    let definition = definition(&name, &ident);
    let edited = match add_definition(&source, &definition) {
        Ok(edited) => edited,
        Err(d) => {
            assert!(
                before.define_container.is_none()
                    && d.iter().all(|d| d.code == "containers/invalid-declaration")
                    && exports
                        .declared_names
                        .iter()
                        .any(|n| n == "defineContainer"),
                "refused: {d:?}\n{source}"
            );
            return;
        }
    };
    assert!(
        crate::checks_entry::is_subsequence(source.as_bytes(), edited.as_bytes()),
        "the edit changed existing text\n--- before\n{source}\n--- after\n{edited}"
    );
    let after = parse_containers(&edited, FILE);
    let errors: Vec<_> = after.diagnostics.iter().filter(|d| d.is_error()).collect();
    // The appended definition is valid; only calls the added import makes real may have errors
    // (and `generate` then refuses).
    let appended_at = edited
        .rfind(&format!("export const {name} = "))
        .expect("the definition is appended");
    let import_added = before.define_container.is_none();
    assert!(
        errors.is_empty()
            || (import_added
                && errors.iter().all(|d| d
                    .primary_label()
                    .is_some_and(|l| (l.span.start as usize) < appended_at))),
        "the scaffolded file has errors: {errors:?}\n--- before\n{source}\n--- after\n{edited}"
    );
    if !errors.is_empty() {
        return;
    }
    assert!(
        after.containers.iter().any(|c| c.export_name == name),
        "--- after\n{edited}"
    );
    // Every container the file had is still there, unchanged but for its position; without the
    // import before, the import may have made more of them real.
    let after_old: Vec<ContainerSpec> = after
        .containers
        .iter()
        .filter(|c| c.export_name != name)
        .map(without_positions)
        .collect();
    for c in before.containers.iter().map(without_positions) {
        assert!(
            after_old.contains(&c),
            "`{}` changed\n--- after\n{edited}",
            c.export_name
        );
    }
    if !import_added {
        assert_eq!(
            after.containers.len(),
            before.containers.len() + 1,
            "--- after\n{edited}"
        );
    }
}
