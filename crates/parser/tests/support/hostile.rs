//! Hostile `containers.ts` / worker-entry inputs, generated (not committed as fixtures). Shared by
//! `tests/hostile.rs` (outcomes: code, line, column) and `examples/hostile_timings.rs` (timings).
#![allow(dead_code)] // each includer uses a subset

/// The import every generated `containers.ts` starts with (line 1).
pub const IMPORT: &str = "import { defineContainer } from \"@lunora/container\";\n";

/// A `containers.ts` whose one container has `env: <expr>` on line 4, column 8.
pub fn in_config(expr: &str) -> String {
    format!(
        "{IMPORT}\nexport const app = defineContainer({{\n  env: {expr},\n  image: \"./c\",\n}});\n"
    )
}

/// A worker entry whose line 1 is `export const x = <expr>;` (expression at column 18).
pub fn in_entry(expr: &str) -> String {
    format!("export const x = {expr};\nexport * from \"../lunora/_generated/containers\";\n")
}

pub fn nested_arrows(n: usize) -> String {
    format!("{}1", "()=>".repeat(n))
}

pub fn nested_templates(n: usize) -> String {
    format!("{}x{}", "`${".repeat(n), "}`".repeat(n))
}

pub fn unary_minus_chain(n: usize) -> String {
    format!("{}1", "- ".repeat(n))
}

pub fn type_assertions(n: usize) -> String {
    format!("{}1", "<any>".repeat(n))
}

pub fn not_chain(n: usize) -> String {
    format!("{}1", "!".repeat(n))
}

pub fn typeof_chain(n: usize) -> String {
    format!("{}1", "typeof ".repeat(n))
}

pub fn await_chain(n: usize) -> String {
    format!("{}1", "await ".repeat(n))
}

pub fn new_chain(n: usize) -> String {
    format!("{}X", "new ".repeat(n))
}

pub fn binary_chain(n: usize) -> String {
    format!("1{}", "+1".repeat(n))
}

pub fn exponent_chain(n: usize) -> String {
    format!("1{}", "**1".repeat(n))
}

pub fn conditional_chain(n: usize) -> String {
    format!("{}1", "a?1:".repeat(n))
}

pub fn assignment_chain(n: usize) -> String {
    format!("{}1", "a=".repeat(n))
}

pub fn member_chain(n: usize) -> String {
    format!("a{}", ".b".repeat(n))
}

pub fn call_chain(n: usize) -> String {
    format!("a{}", "()".repeat(n))
}

/// `n` consts, each an object spreading the previous one twice; the container spreads the last.
pub fn doubling_spreads(n: usize) -> String {
    let mut s = format!("{IMPORT}const a0 = {{ k: \"v\" }};\n");
    for i in 1..=n {
        s.push_str(&format!(
            "const a{i} = {{ ...a{p}, ...a{p} }};\n",
            p = i - 1
        ));
    }
    s.push_str(&format!(
        "export const app = defineContainer({{ image: \"./c\", env: a{n} }});\n"
    ));
    s
}

/// `n` consts, each a template literal repeating the previous one twice (2^n bytes at the end).
pub fn doubling_templates(n: usize) -> String {
    let mut s = format!("{IMPORT}const a0 = \"xx\";\n");
    for i in 1..=n {
        s.push_str(&format!("const a{i} = `${{a{p}}}${{a{p}}}`;\n", p = i - 1));
    }
    s.push_str(&format!(
        "export const app = defineContainer({{ image: \"./c\", name: a{n} }});\n"
    ));
    s
}

/// `n` consts, each an array holding the previous one twice (a tree of 2^n leaves).
pub fn doubling_arrays(n: usize) -> String {
    let mut s = format!("{IMPORT}const a0 = [1];\n");
    for i in 1..=n {
        s.push_str(&format!("const a{i} = [...a{p}, ...a{p}];\n", p = i - 1));
    }
    s.push_str(&format!(
        "export const app = defineContainer({{ image: \"./c\", requiredPorts: a{n} }});\n"
    ));
    s
}

/// An object literal with `n` distinct keys.
pub fn many_keys(n: usize) -> String {
    let mut s = String::from("{ ");
    for i in 0..n {
        s.push_str(&format!("K{i}: \"v\", "));
    }
    s.push('}');
    s
}

/// An array literal with `n` elements.
pub fn many_elements(n: usize) -> String {
    let mut s = String::from("[");
    for _ in 0..n {
        s.push_str("\"v\",");
    }
    s.push(']');
    s
}

/// `n` brackets deep: `[[[…]]]`.
pub fn nested_arrays(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

/// `n` ordinary containers (a 20,000-container file is the scale the benchmarks reach).
pub fn many_containers(n: usize) -> String {
    let mut s = String::from(IMPORT);
    for i in 0..n {
        s.push_str(&format!(
            "export const app{i} = defineContainer({{\n  image: {{ registry: \"docker.io/acme/app{i}:1\" }},\n  defaultPort: 8080,\n  instanceType: \"basic\",\n  maxInstances: 3,\n  enableInternet: false,\n}});\n"
        ));
    }
    s
}

/// A `secrets` list of `n` distinct names.
pub fn many_secrets(n: usize) -> String {
    let names: Vec<String> = (0..n).map(|i| format!("\"S{i}\"")).collect();
    format!(
        "{IMPORT}\nexport const app = defineContainer({{\n  image: \"./c\",\n  secrets: [{}],\n}});\n",
        names.join(", ")
    )
}

/// `n` chained aliases of `defineContainer` (`const d1 = d0; …`), the last one called.
pub fn many_aliases(n: usize) -> String {
    let mut s = format!("{IMPORT}const d0 = defineContainer;\n");
    for i in 1..=n {
        s.push_str(&format!("const d{i} = d{};\n", i - 1));
    }
    s.push_str(&format!("export const app = d{n}({{ image: \"./c\" }});\n"));
    s
}

/// `n` chained `const` aliases of an object, the last one written to (so all of them are).
pub fn mutated_alias_chain(n: usize) -> String {
    let mut s = format!("{IMPORT}const a0 = {{ image: \"./c\" }};\n");
    for i in 1..=n {
        s.push_str(&format!("const a{i} = a{};\n", i - 1));
    }
    s.push_str(&format!(
        "a{n}.image = \"./d\";\nexport const app = defineContainer(a0);\n"
    ));
    s
}
