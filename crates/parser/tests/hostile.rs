//! Hostile input (issue 12): every recursive form, exponential constants and huge literals end
//! in well under a second with a located error or a correct result, in `containers.ts` and in a
//! worker entry. Inputs are generated (`support/hostile.rs`), not committed; each test asserts the
//! outcome (code, line, column), never the time — `scripts/hostile-timings.sh` measures that.

#[path = "support/hostile.rs"]
mod hostile;

use hostile::*;
use lunora_diagnostic::SourceText;
use lunora_parser::{entry_exports, parse_containers};

const FILE: &str = "lunora/containers.ts";
const N: usize = 100_000;

/// `(code, line, column)` of every error.
fn errors(source: &str) -> Vec<(String, u32, u32)> {
    let text = SourceText::new(source);
    parse_containers(source, FILE)
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let at = text.line_col(d.primary_label().expect("located").span.start);
            (d.code.clone(), at.line, at.column)
        })
        .collect()
}

fn entry_errors(source: &str, file: &str) -> Vec<(String, u32, u32)> {
    let text = SourceText::new(source);
    entry_exports(source, file)
        .err()
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let at = text.line_col(d.primary_label().expect("located").span.start);
            (d.code.clone(), at.line, at.column)
        })
        .collect()
}

fn deep(line: u32, column: u32) -> Vec<(String, u32, u32)> {
    vec![("containers/too-deeply-nested".to_string(), line, column)]
}

/// Each form as `(name, 100k-deep expression)`.
fn forms() -> Vec<(&'static str, String)> {
    vec![
        ("nested arrows", nested_arrows(N)),
        ("nested templates", nested_templates(N)),
        ("unary minus", unary_minus_chain(N)),
        ("type assertions", type_assertions(N)),
        ("not", not_chain(N)),
        ("typeof", typeof_chain(N)),
        ("await", await_chain(N)),
        ("new", new_chain(N)),
        ("binary operators", binary_chain(N)),
        ("exponents", exponent_chain(N)),
        ("conditionals", conditional_chain(N)),
        ("assignments", assignment_chain(N)),
        ("member accesses", member_chain(N)),
        ("calls", call_chain(N)),
        ("nested arrays", nested_arrays(N)),
    ]
}

/// The largest `n` at most `max` for which `accepted(n)`; `accepted` must be monotonic.
fn largest_accepted(max: usize, accepted: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, max);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if accepted(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

fn refused(diagnostics: &[lunora_diagnostic::Diagnostic]) -> bool {
    diagnostics
        .iter()
        .any(|d| d.code == "containers/too-deeply-nested")
}

// ---- containers.ts: one test per finding of issue 12 ------------------------------------------

#[test]
fn r12_nested_arrows_crashed_the_parser() {
    assert_eq!(errors(&in_config(&nested_arrows(N))), deep(4, 3996));
}

#[test]
fn r12_nested_templates_crashed_the_parser() {
    assert_eq!(errors(&in_config(&nested_templates(N))), deep(4, 3000));
}

#[test]
fn r12_long_unary_chains_took_minutes() {
    assert_eq!(errors(&in_config(&unary_minus_chain(N))), deep(4, 2002));
}

#[test]
fn r12_type_assertions_took_minutes() {
    assert_eq!(errors(&in_config(&type_assertions(N))), deep(4, 4988));
}

#[test]
fn r12_chains_of_not_typeof_await_new_were_unbounded() {
    assert_eq!(errors(&in_config(&not_chain(N))), deep(4, 1005));
    assert_eq!(errors(&in_config(&typeof_chain(N))), deep(4, 6987));
    assert_eq!(errors(&in_config(&await_chain(N))), deep(4, 5990));
    assert_eq!(errors(&in_config(&new_chain(N))), deep(4, 3996));
}

#[test]
fn r12_operator_chains_without_brackets_were_unbounded() {
    // Left-associative chains: the tree is as deep as the chain (10,000 links allowed).
    assert_eq!(errors(&in_config(&binary_chain(N))), deep(4, 20007));
    assert_eq!(errors(&in_config(&member_chain(N))), deep(4, 20007));
    assert_eq!(errors(&in_config(&call_chain(N))), deep(4, 20007));
    // Right-associative ones recurse in the parser (1,000 levels).
    assert_eq!(errors(&in_config(&exponent_chain(N))), deep(4, 3000));
    assert_eq!(errors(&in_config(&conditional_chain(N))), deep(4, 3997));
    assert_eq!(errors(&in_config(&assignment_chain(N))), deep(4, 2003));
}

#[test]
fn r12_doubling_spreads_never_finished() {
    // Each const is evaluated once: 40 levels of `{ ...a, ...a }` are 40 small objects.
    let out = parse_containers(&doubling_spreads(40), FILE);
    assert!(
        out.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        out.diagnostics
    );
    assert_eq!(out.containers.len(), 1);
    let env: Vec<_> = out.containers[0].env.iter().flatten().collect();
    assert_eq!(format!("{env:?}"), r#"[("k", "v")]"#);
}

#[test]
fn r12_doubling_templates_ran_out_of_memory() {
    // 2^41 bytes at `a40`: the string budget (16 MiB) runs out copying `a21` (4 MiB) into
    // `a22`, line 24.
    assert_eq!(
        errors(&doubling_templates(40)),
        vec![("containers/evaluation-too-large".to_string(), 24, 22)]
    );
}

#[test]
fn r12_doubling_arrays_never_finished() {
    // 2^40 elements at `a40`: the value budget (1,000,000) runs out copying `a19` (2^19
    // elements) into `a20` the second time, line 22.
    assert_eq!(
        errors(&doubling_arrays(40)),
        vec![("containers/evaluation-too-large".to_string(), 22, 25)]
    );
}

#[test]
fn r12_many_object_keys_were_quadratic() {
    let out = parse_containers(&in_config(&many_keys(N)), FILE);
    assert!(out.diagnostics.iter().all(|d| !d.is_error()));
    assert_eq!(out.containers[0].env.as_ref().map(|e| e.len()), Some(N));
}

#[test]
fn r12_many_secrets_were_quadratic() {
    // 100,000 secrets (21 s before, a scan per name); the last repeats the first.
    let src = many_secrets(N).replace("]", ", \"S0\"]");
    let out = parse_containers(&src, FILE);
    assert!(out.diagnostics.iter().all(|d| !d.is_error()));
    assert_eq!(out.containers[0].secrets.as_ref().map(Vec::len), Some(N));
    let warnings: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "containers/duplicate-secret")
        .collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        warnings[0].labels[1].span.start as usize,
        src.find("\"S0\"").unwrap()
    );
}

#[test]
fn mutated_alias_chains_were_quadratic() {
    // A write through the last of 100,000 aliases reaches the first (minutes before: a
    // fixed-point loop over every constant, once per link).
    assert_eq!(
        errors(&mutated_alias_chain(N)),
        vec![("containers/mutated-const".to_string(), 100_004, 36)]
    );
}

#[test]
fn many_aliases_of_define_container_stay_linear() {
    let out = parse_containers(&many_aliases(N), FILE);
    assert!(out.diagnostics.iter().all(|d| !d.is_error()));
    assert_eq!(out.containers.len(), 1);
}

#[test]
fn r12_values_nested_through_constants_were_unbounded() {
    // `const a1 = [a0]` 5,000 times: each line is shallow, the value is 5,000 deep.
    let mut src = format!("{IMPORT}const a0 = 1;\n");
    for i in 1..=5000 {
        src.push_str(&format!("const a{i} = [a{}];\n", i - 1));
    }
    src.push_str("export const app = defineContainer({ image: \"./c\", entrypoint: a5000 });\n");
    let found = errors(&src);
    // Reported once, at the reference where the value gets too deep (`a4500` in `a4501`).
    assert_eq!(
        found[0],
        ("containers/too-deeply-nested".to_string(), 4503, 15),
        "{found:?}"
    );
    assert_eq!(
        found.iter().filter(|e| e.0 == found[0].0).count(),
        1,
        "{found:?}"
    );
    // 100,000 plain aliases (`const a1 = a0`): the same limit, no stack overflow.
    let mut src = format!("{IMPORT}const a0 = {{ K: \"v\" }};\n");
    for i in 1..=N {
        src.push_str(&format!("const a{i} = a{};\n", i - 1));
    }
    src.push_str(&format!(
        "export const app = defineContainer({{ image: \"./c\", env: a{N} }});\n"
    ));
    let found = errors(&src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "containers/too-deeply-nested");
}

#[test]
fn a_shared_constant_with_an_error_fails_every_container_that_uses_it() {
    // `base` is evaluated once (for `a`); its evaluation error (a computed key) must still count
    // for `b`, so neither becomes a container.
    let src = format!(
        "{IMPORT}const base = {{ image: \"./c\", [Math.random()]: 1 }};\n\
         export const a = defineContainer({{ ...base }});\n\
         export const b = defineContainer({{ ...base }});\n"
    );
    let out = parse_containers(&src, FILE);
    assert!(out.containers.is_empty(), "{:?}", out.containers);
    assert_eq!(
        errors(&src),
        vec![("containers/computed-key".to_string(), 2, 30)]
    );
}

// ---- the worker entry ------------------------------------------------------------------------

#[test]
fn r12_the_worker_entry_had_the_same_problems() {
    let expected = [
        ("nested arrows", 4014),
        ("nested templates", 3016),
        ("unary minus", 2016),
        ("type assertions", 5008),
        ("not", 1017),
        ("typeof", 7011),
        ("await", 6012),
        ("new", 4014),
        ("binary operators", 20019),
        ("exponents", 3016),
        ("conditionals", 4015),
        ("assignments", 2017),
        ("member accesses", 20019),
        ("calls", 20019),
        ("nested arrays", 1017),
    ];
    let forms = forms();
    assert_eq!(forms.len(), expected.len());
    for ((name, expr), (expected_name, column)) in forms.iter().zip(expected) {
        assert_eq!(*name, expected_name);
        assert_eq!(
            entry_errors(&in_entry(expr), "src/index.ts"),
            deep(1, column),
            "{name}"
        );
    }
}

#[test]
fn r12_nested_jsx_in_a_tsx_worker_entry_is_refused() {
    let src = format!(
        "export const x = {}{};\n",
        "<a>".repeat(N),
        "</a>".repeat(N)
    );
    assert_eq!(entry_errors(&src, "src/index.tsx"), deep(1, 3015));
    // Ordinary JSX (text with quotes, attributes, expressions) is read normally.
    let src = "export const x = <a b=\"it's\" c={1}>don't {y} <b/></a>;\nexport class C {}\n";
    assert_eq!(
        entry_exports(src, "src/index.tsx").unwrap().value_names,
        ["x", "C"]
    );
}

#[test]
fn r12_brackets_hidden_in_strings_after_an_ambiguous_slash_are_counted() {
    // `case 1: {}` is a block, so the `/` after it starts a regular expression and the
    // brackets that follow are code. A scan that took the `{}` for an object literal would read
    // `/ "…` as a division and a string, and miss them.
    let src = format!(
        "switch (x) {{ case 1: {{}} /\"/; {}1{} }}\nexport {{}};\n",
        "(".repeat(N),
        ")".repeat(N)
    );
    let found = entry_errors(&src, "src/index.ts");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "containers/too-deeply-nested");
    // And if the scan gets a `/` wrong anyway, brackets inside what it skips still count.
    let src = format!("x = \"{}\";\n", "(".repeat(N));
    assert_eq!(entry_errors(&src, "src/index.ts"), deep(1, 1005));
}

// ---- the limits are safe and not too tight ---------------------------------------------------

/// Every recursive form, at the deepest nesting the scan accepts, parses (and is evaluated)
/// without overflowing the parse stack — in the unoptimised test build, where frames are
/// largest. And each form is accepted at least 300 levels deep (real code needs a few dozen).
#[test]
fn every_form_at_its_limit_parses_without_overflowing_the_stack() {
    type Form = (&'static str, fn(usize) -> String, usize);
    let expression_forms: &[Form] = &[
        ("nested arrows", nested_arrows, 300),
        ("nested templates", nested_templates, 300),
        ("unary minus", unary_minus_chain, 300),
        ("type assertions", type_assertions, 300),
        ("not", not_chain, 300),
        ("typeof", typeof_chain, 300),
        ("await", await_chain, 300),
        ("new", new_chain, 300),
        ("exponents", exponent_chain, 300),
        ("conditionals", conditional_chain, 300),
        ("assignments", assignment_chain, 300),
        ("nested arrays", nested_arrays, 300),
        (
            "parentheses",
            |n| format!("{}1{}", "(".repeat(n), ")".repeat(n)),
            300,
        ),
        (
            "objects",
            |n| format!("{}1{}", "{a:".repeat(n), "}".repeat(n)),
            300,
        ),
        (
            "arrow bodies",
            |n| format!("{}1{}", "()=>{return ".repeat(n), "}".repeat(n)),
            300,
        ),
        (
            "class expressions",
            |n| format!("{}X{}", "class extends (".repeat(n), "){}".repeat(n)),
            300,
        ),
        (
            "async calls",
            |n| format!("{}1{}", "async(".repeat(n), ")".repeat(n)),
            300,
        ),
        ("comparisons", |n| format!("{}1", "a<".repeat(n)), 300),
        (
            "comparisons in arguments",
            |n| format!("f({}1)", "a<1,".repeat(n)),
            300,
        ),
        ("member accesses", member_chain, 5000),
        ("calls", call_chain, 5000),
        ("binary operators", binary_chain, 5000),
        (
            "non-null assertions",
            |n| format!("x{}", "!".repeat(n)),
            5000,
        ),
        ("`as` chains", |n| format!("x{}", " as any".repeat(n)), 5000),
    ];
    let statement_forms: &[Form] = &[
        ("if statements", |n| format!("{}x;", "if(a)".repeat(n)), 300),
        (
            "blocks",
            |n| format!("{}x;{}", "{".repeat(n), "}".repeat(n)),
            300,
        ),
        (
            "else if",
            |n| format!("if(a){{}}{}", "else if(a){}".repeat(n)),
            300,
        ),
        (
            "labels",
            |n| (0..n).map(|i| format!("l{i}:")).collect::<String>() + "x;",
            300,
        ),
        (
            "while loops",
            |n| format!("{}x;", "while(a)".repeat(n)),
            300,
        ),
        (
            "do-while loops",
            |n| format!("{}x;{}", "do ".repeat(n), " while(a)".repeat(n)),
            300,
        ),
        (
            "type arguments",
            |n| format!("type T = {}X{};", "A<".repeat(n), ">".repeat(n)),
            300,
        ),
        (
            "keyof",
            |n| format!("type T = {}X;", "keyof ".repeat(n)),
            300,
        ),
        (
            "function types",
            |n| format!("type T = {}X;", "()=>".repeat(n)),
            300,
        ),
        (
            "conditional types",
            |n| format!("type T = {}X;", "A extends B ? C : ".repeat(n)),
            300,
        ),
        (
            "array types",
            |n| format!("type T = X{};", "[]".repeat(n)),
            5000,
        ),
    ];
    let mut limits = Vec::new();
    for &(name, form, at_least) in expression_forms {
        let containers = largest_accepted(20_000, |n| {
            !refused(&parse_containers(&in_config(&form(n)), FILE).diagnostics)
        });
        let entry = largest_accepted(20_000, |n| {
            !entry_exports(&in_entry(&form(n)), "src/index.ts")
                .err()
                .is_some_and(|d| refused(&d))
        });
        assert!(
            containers >= at_least && entry >= at_least,
            "{name}: {containers}, {entry}"
        );
        limits.push(format!("{name}: {containers} / {entry}"));
    }
    for &(name, form, at_least) in statement_forms {
        let entry = largest_accepted(20_000, |n| {
            !entry_exports(&form(n), "src/index.ts")
                .err()
                .is_some_and(|d| refused(&d))
        });
        assert!(entry >= at_least, "{name}: {entry}");
        limits.push(format!("{name}: {entry}"));
    }
    let jsx = largest_accepted(20_000, |n| {
        let src = format!("x = {}{};", "<a>".repeat(n), "</a>".repeat(n));
        !entry_exports(&src, "src/index.tsx")
            .err()
            .is_some_and(|d| refused(&d))
    });
    assert!(jsx >= 300, "jsx: {jsx}");
    limits.push(format!("jsx: {jsx}"));
    eprintln!(
        "deepest accepted (containers.ts / worker entry):\n  {}",
        limits.join("\n  ")
    );
}
