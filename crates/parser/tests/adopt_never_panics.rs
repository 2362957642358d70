//! Robustness of `lunora adopt`'s reader: mutated worker modules with hand-written container
//! classes never make `hand_written_classes` or `export_statements` panic, and every span they
//! report lies inside the source, on character boundaries (the CLI slices the text with them).
//! Case count: `PROPTEST_CASES` (default 256).

use lunora_diagnostic::Span;
use lunora_parser::adopt::{export_statements, hand_written_classes};
use proptest::prelude::*;

const SEED: &str = r#"import { Container, getContainer } from "@cloudflare/containers";
import * as cf from "@cloudflare/containers";
const PORT = 8080; // é ✓
/** doc */
export class MyContainer extends Container<Env> {
  // port
  defaultPort = PORT;
  sleepAfter = `2m`;
  envVars = { A: "x/*y*/", "b-c": '//' };
  override onStart() { console.log("/* not a comment */"); }
  #p = 1;
  static s = 2;
}
class Other extends cf.Container { entrypoint = ["a", ...[]]; }
export { Other };
export const c = 1, d = 2;
export default { fetch: (r: Request, env: Env) => getContainer(env.X).fetch(r) };
"#;

fn mutation() -> impl Strategy<Value = Vec<(usize, Option<char>)>> {
    proptest::collection::vec(
        (
            0usize..SEED.len(),
            proptest::option::of(prop::sample::select(
                "{}[]()\"'`,:;./*\\ \n=é✓\u{feff}"
                    .chars()
                    .collect::<Vec<_>>(),
            )),
        ),
        0..6,
    )
}

fn apply(edits: &[(usize, Option<char>)]) -> String {
    let mut chars: Vec<char> = SEED.chars().collect();
    for &(at, c) in edits {
        let at = at % (chars.len() + 1);
        match c {
            Some(c) => chars.insert(at, c),
            None if at < chars.len() => {
                chars.remove(at);
            }
            None => {}
        }
    }
    chars.into_iter().collect()
}

fn check_span(text: &str, span: Span) -> Result<(), TestCaseError> {
    prop_assert!(
        span.start <= span.end && span.end as usize <= text.len(),
        "{span:?} out of {}",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize),
        "{span:?} not on a boundary"
    );
    Ok(())
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_workers_never_panic(edits in mutation()) {
        let text = apply(&edits);
        if let Ok(module) = hand_written_classes(&text, "src/index.ts") {
            for c in &module.classes {
                for span in [c.name_span, c.statement_span] {
                    check_span(&text, span)?;
                }
                for comment in c.leading_comments.iter().chain(&c.inner_comments) {
                    check_span(&text, comment.span)?;
                    prop_assert_eq!(&text[comment.span.start as usize..comment.span.end as usize], comment.text.as_str());
                }
                for f in &c.fields {
                    check_span(&text, f.span)?;
                }
                for o in &c.own_code {
                    check_span(&text, o.span)?;
                }
            }
            for i in &module.imports {
                check_span(&text, i.span)?;
                for s in &i.specifiers {
                    check_span(&text, s.span)?;
                }
            }
            for spans in module.references.values() {
                for s in spans {
                    check_span(&text, *s)?;
                }
            }
        }
        if let Ok(statements) = export_statements(&text, "lunora/containers.ts") {
            for s in statements {
                check_span(&text, s.span)?;
            }
        }
    }
}

#[test]
fn the_seed_reads_as_written() {
    let module = hand_written_classes(SEED, "src/index.ts").unwrap();
    let names: Vec<&str> = module.classes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["MyContainer", "Other"]);
    let texts: Vec<&str> = module.classes[0]
        .inner_comments
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(texts, ["// port"], "no comment found inside strings");
    assert!(module.classes[1].exported_separately);
    let statements = export_statements(SEED, "x.ts").unwrap();
    assert!(statements.iter().any(|s| s.names == ["c", "d"]));
}
