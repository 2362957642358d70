//! The rules of `defineContainer`'s fields, one module per rule or tight family of rules. Each
//! module holds its codes (from [`crate::codes`]), its messages at the top (every sentence a user
//! reads, in one place), a doc saying what it catches and why with an invalid and a valid
//! example, and its tests. The documented examples run as tests ([`examples::check`]): a block
//! fenced ```` ```ts invalid <code> ```` must yield exactly that one diagnostic, a block fenced
//! ```` ```ts valid ```` none at all.
//!
//! The declaration rules ([`declarations`]) are reported by `lib.rs`, which finds the
//! declarations; the rules about syntax and static evaluation are reported by `syntax.rs` and
//! `eval.rs` and documented, with examples run the same way, in [`static_evaluation`].

/// The test that runs the examples of a rule module's doc ([`examples::check`]); each rule's
/// `tests` module names its own file.
#[cfg(test)]
macro_rules! documented_examples {
    ($file:literal) => {
        #[test]
        fn documented_examples() {
            super::super::examples::check(include_str!($file));
        }
    };
}

pub(crate) mod class_name;
pub(super) mod custom_instance;
pub(crate) mod declarations;
pub(super) mod duration;
pub(super) mod entrypoint;
pub(super) mod export_name;
pub(super) mod hosts;
pub(super) mod image;
pub(super) mod instance_type;
pub(super) mod max_instances;
pub(super) mod name;
pub(super) mod not_static;
pub(super) mod ping_endpoint;
pub(super) mod ports;
pub(super) mod ready_on;
pub(super) mod ready_ports;
pub(super) mod registry;
pub(super) mod rollout;
pub(super) mod secrets;
pub(super) mod secrets_store;
mod static_evaluation;
pub(super) mod string_maps;
pub(super) mod unknown_key;
pub(super) mod wrong_type;

/// Every rule module's source, for the checks that span rules.
#[cfg(test)]
const SOURCES: &[(&str, &str)] = &[
    ("class_name", include_str!("class_name.rs")),
    ("custom_instance", include_str!("custom_instance.rs")),
    ("declarations", include_str!("declarations.rs")),
    ("duration", include_str!("duration.rs")),
    ("entrypoint", include_str!("entrypoint.rs")),
    ("export_name", include_str!("export_name.rs")),
    ("hosts", include_str!("hosts.rs")),
    ("image", include_str!("image.rs")),
    ("instance_type", include_str!("instance_type.rs")),
    ("max_instances", include_str!("max_instances.rs")),
    ("name", include_str!("name.rs")),
    ("not_static", include_str!("not_static.rs")),
    ("ping_endpoint", include_str!("ping_endpoint.rs")),
    ("ports", include_str!("ports.rs")),
    ("ready_on", include_str!("ready_on.rs")),
    ("ready_ports", include_str!("ready_ports.rs")),
    ("registry", include_str!("registry.rs")),
    ("rollout", include_str!("rollout.rs")),
    ("secrets", include_str!("secrets.rs")),
    ("secrets_store", include_str!("secrets_store.rs")),
    ("static_evaluation", include_str!("static_evaluation.rs")),
    ("string_maps", include_str!("string_maps.rs")),
    ("unknown_key", include_str!("unknown_key.rs")),
    ("wrong_type", include_str!("wrong_type.rs")),
];

/// Runs the examples of a rule module's doc.
#[cfg(test)]
pub(crate) mod examples {
    use crate::parse_containers;

    const FILE: &str = "lunora/containers.ts";

    /// An example block of a module doc: `Some(code)` for an invalid one, `None` for a valid one.
    pub struct Example {
        pub code: Option<String>,
        pub text: String,
    }

    /// The ```` ```ts valid ```` and ```` ```ts invalid <code> ```` blocks of the module doc
    /// (`//!` lines) of `source`.
    pub fn blocks(source: &str) -> Vec<Example> {
        let mut out = Vec::new();
        let mut open: Option<Example> = None;
        for line in source.lines().take_while(|l| l.starts_with("//!")) {
            let text = line.strip_prefix("//!").unwrap();
            let text = text.strip_prefix(' ').unwrap_or(text);
            match (&mut open, text.strip_prefix("```")) {
                (None, Some(info)) => {
                    let words: Vec<&str> = info.split_whitespace().collect();
                    open = match words.as_slice() {
                        ["ts", "valid"] => Some(Example {
                            code: None,
                            text: String::new(),
                        }),
                        ["ts", "invalid", code] => Some(Example {
                            code: Some(code.to_string()),
                            text: String::new(),
                        }),
                        _ => None,
                    };
                }
                (Some(_), Some("")) => out.push(open.take().unwrap()),
                (Some(example), _) => {
                    example.text.push_str(text);
                    example.text.push('\n');
                }
                (None, None) => {}
            }
        }
        assert!(open.is_none(), "an example block is not closed");
        out
    }

    /// Runs every example of `source`'s doc: an invalid one yields exactly one diagnostic, with
    /// its code; a valid one yields none and a container. Fails when the doc has no valid or no
    /// invalid example.
    pub fn check(source: &str) {
        let examples = blocks(source);
        assert!(
            examples.iter().any(|e| e.code.is_none()) && examples.iter().any(|e| e.code.is_some()),
            "a rule documents at least one valid and one invalid example"
        );
        for example in examples {
            let out = parse_containers(&example.text, FILE);
            let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
            match &example.code {
                Some(code) => {
                    assert!(
                        crate::codes::ALL.contains(&code.as_str()),
                        "`{code}` is not in the registry"
                    );
                    assert_eq!(codes, [code.as_str()], "invalid example:\n{}", example.text);
                }
                None => {
                    assert!(
                        codes.is_empty(),
                        "valid example yields {codes:?}:\n{}",
                        example.text
                    );
                    assert!(
                        !out.containers.is_empty(),
                        "valid example declares no container"
                    );
                }
            }
        }
    }

    /// Every code a rule module reports (`codes::NAME` it uses) has an invalid example in its
    /// doc, so each message is shown by a documented case.
    #[test]
    fn every_code_of_a_rule_has_an_invalid_example() {
        let mut missing = Vec::new();
        for (module, source) in super::SOURCES {
            let documented: Vec<String> =
                blocks(source).into_iter().filter_map(|e| e.code).collect();
            let body = source.split("#[cfg(test)]").next().unwrap();
            let used: Vec<&str> = crate::codes::ALL
                .iter()
                .copied()
                .filter(|code| {
                    let name = code_name(code);
                    [",", ")", ";", "}"]
                        .iter()
                        .any(|end| body.contains(&format!("{name}{end}")))
                })
                .collect();
            for code in used {
                if !documented.iter().any(|d| d == code) {
                    missing.push(format!("{module}: {code}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "codes without an invalid example: {missing:?}"
        );
    }

    /// `containers/invalid-port` → `INVALID_PORT`.
    fn code_name(code: &str) -> String {
        code.trim_start_matches("containers/")
            .replace('-', "_")
            .to_ascii_uppercase()
    }
}
