//! Times one hostile input (see `tests/support/hostile.rs`) through `parse_containers` or
//! `entry_exports` and prints `case  target  ms  outcome` (best of three runs). Driven by `scripts/hostile-timings.sh`,
//! which runs each case in its own process under a timeout (a case that overflows the stack or
//! runs out of memory takes only its own process down).
//!
//! Usage: `cargo run --release -p lunora-parser --example hostile_timings -- <case> [containers|entry]`

#[path = "../tests/support/hostile.rs"]
mod hostile;

use hostile::*;
use lunora_diagnostic::SourceText;
use std::time::Instant;

const N: usize = 100_000;

fn expression(case: &str) -> Option<String> {
    Some(match case {
        "nested-arrows" => nested_arrows(N),
        "nested-templates" => nested_templates(N),
        "unary-minus" => unary_minus_chain(N),
        "type-assertions" => type_assertions(N),
        "not-chain" => not_chain(N),
        "typeof-chain" => typeof_chain(N),
        "await-chain" => await_chain(N),
        "new-chain" => new_chain(N),
        "binary-chain" => binary_chain(N),
        "exponent-chain" => exponent_chain(N),
        "conditional-chain" => conditional_chain(N),
        "assignment-chain" => assignment_chain(N),
        "member-chain" => member_chain(N),
        "call-chain" => call_chain(N),
        "many-keys" => many_keys(N),
        "many-elements" => many_elements(N),
        "nested-arrays" => nested_arrays(N),
        // The slowest forms for swc, just inside the limits (the deepest the scan accepts, see
        // `every_form_at_its_limit_parses_without_overflowing_the_stack`).
        "assertions-at-limit" => type_assertions(996),
        "comparisons-at-limit" => "a<".repeat(497) + "1",
        "comparison-args-at-limit" => format!("f({}1)", "a<1,".repeat(353)),
        _ => return None,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let case = args.first().map(String::as_str).unwrap_or("");
    let target = args.get(1).map(String::as_str).unwrap_or("containers");
    let source = match (case, expression(case)) {
        (_, Some(expr)) if target == "entry" => in_entry(&expr),
        (_, Some(expr)) => in_config(&expr),
        ("doubling-spreads", _) => doubling_spreads(40),
        ("doubling-templates", _) => doubling_templates(40),
        ("doubling-arrays", _) => doubling_arrays(40),
        ("many-containers", _) => many_containers(20_000),
        ("many-secrets", _) => many_secrets(N),
        ("many-aliases", _) => many_aliases(N),
        ("mutated-alias-chain", _) => mutated_alias_chain(N),
        // 10,000 statements of 100 type assertions each: the speculation budget is per file.
        ("assertion-statements", _) => {
            format!("{}x = {}1;\n", IMPORT, "<any>".repeat(100)).repeat(10_000)
        }
        _ => {
            eprintln!("unknown case `{case}`");
            std::process::exit(2);
        }
    };
    let text = SourceText::new(&source);
    // The best of three runs: the machine is shared, and the slowest run measures the neighbours.
    let mut ms = f64::INFINITY;
    let mut diagnostics = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        diagnostics = if target == "entry" {
            lunora_parser::entry_exports(&source, "src/index.ts")
                .err()
                .unwrap_or_default()
        } else {
            lunora_parser::parse_containers(&source, "lunora/containers.ts").diagnostics
        };
        ms = ms.min(started.elapsed().as_secs_f64() * 1000.0);
    }
    let outcome = match diagnostics.iter().find(|d| d.is_error()) {
        Some(d) => {
            let at = d.primary_label().map(|l| text.line_col(l.span.start));
            match at {
                Some(p) => format!("{} at {}:{}", d.code, p.line, p.column),
                None => d.code.clone(),
            }
        }
        None => "no error".to_string(),
    };
    println!(
        "{case:<20} {target:<10} {ms:>10.1} ms  {outcome}  ({} bytes)",
        source.len()
    );
}
