//! Renders the generated TypeScript from validated container specs. Pure: model in, file texts out.
//!
//! Output is deterministic (containers sorted by export name) and each file starts with a header
//! naming the command that regenerates it and a hash of the inputs it was rendered from.

use lunora_parser::ContainerSpec;
use minijinja::{Environment, Value};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::OnceLock;

pub mod definition;
mod paths;

pub use definition::{render_definition, scaffold_definition, Definition, DefinitionField};
pub use paths::{
    is_generated, normalize, reexport_line, relative_specifier, specifier_is_generated,
    specifier_is_generated_containers, CONTAINERS_FILE, CONTAINERS_TS, GENERATED_CONTAINERS_MODULE,
    GENERATED_DIR, GENERATED_MARKER, HANDLES_FILE, MANIFEST_FILE, OWNED_FILES,
};

/// The runtime's base class of every generated class.
const BASE_CLASS: &str = "LunoraContainer";

/// The command printed in headers.
pub const REGENERATE_COMMAND: &str = "lunora codegen";

/// One rendered file. `path` is relative to the project root, with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: &'static str,
    pub contents: String,
}

#[derive(Serialize)]
struct ContainerContext<'a> {
    export_name: &'a str,
    class_name: &'a str,
    binding: &'a str,
    max_instances: Option<u32>,
    /// The ports `.port(n)` accepts, ascending: `defaultPort` ∪ `requiredPorts`. Empty when the
    /// container declares none or they are not all static; the handle then accepts any `number`.
    /// Left out of the hashed context when empty, so files without ports keep their hash.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ports: Vec<u16>,
}

static TEMPLATES: OnceLock<Environment<'static>> = OnceLock::new();

fn templates() -> &'static Environment<'static> {
    TEMPLATES.get_or_init(|| {
        let mut env = Environment::new();
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .keep_trailing_newline(true)
                .build()
                .expect("default delimiters are valid"),
        );
        env.add_filter("ts_key", |s: String| ts_key(&s));
        env.add_filter("doc_text", |s: String| doc_text(&s));
        env.add_template(
            "containers.ts",
            include_str!("../../../templates/containers.ts.jinja"),
        )
        .expect("containers template compiles");
        env.add_template(
            "containerHandles.ts",
            include_str!("../../../templates/containerHandles.ts.jinja"),
        )
        .expect("handles template compiles");
        env.add_template(
            "definition.ts",
            include_str!("../../../templates/definition.ts.jinja"),
        )
        .expect("definition template compiles");
        env
    })
}

/// `name` as a TypeScript property name: itself when it is an identifier, else a string
/// literal. Binding names come from the wrangler config, where any string is allowed
/// (`"MY-BINDING"`); an interface member must not take one raw.
pub fn ts_key(name: &str) -> String {
    let mut chars = name.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident {
        name.to_string()
    } else {
        serde_json::to_string(name).expect("a string serializes")
    }
}

/// `text` made safe inside a `/** … */` comment: it cannot close the comment or break the
/// line, and control characters are shown escaped.
pub fn doc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&c.escape_unicode().to_string())
            }
            _ => out.push(c),
        }
    }
    out.replace("*/", "*\\/")
}

/// Renders the generated modules for `containers`. No containers → no files (the caller deletes
/// any it owns). The result does not depend on the order of `containers`.
pub fn render(containers: &[ContainerSpec]) -> Vec<GeneratedFile> {
    render_wired(containers, &HashMap::new())
}

/// Like [`render`], with the binding each class is wired under in the wrangler config
/// (`bindings`: class → binding) where it is not the one the model names (a class bound by hand
/// under another name keeps it). The validated specs are not changed.
pub fn render_wired(
    containers: &[ContainerSpec],
    bindings: &HashMap<String, String>,
) -> Vec<GeneratedFile> {
    if containers.is_empty() {
        return Vec::new();
    }
    render_modules(containers, bindings)
}

/// The generated modules with no container in them: still valid modules exporting the same
/// names (`createContainers`, `ContainersEnv`, `Containers`, `ContainerProxy`, …), so a worker
/// that imports them keeps building after its last container is removed (issue 23.6).
pub fn render_empty() -> Vec<GeneratedFile> {
    render_modules(&[], &HashMap::new())
}

fn render_modules(
    containers: &[ContainerSpec],
    bindings: &HashMap<String, String>,
) -> Vec<GeneratedFile> {
    let mut sorted: Vec<&ContainerSpec> = containers.iter().collect();
    sorted.sort_by(|a, b| a.export_name.cmp(&b.export_name));
    let ctx: Vec<ContainerContext<'_>> = sorted
        .iter()
        .map(|c| ContainerContext {
            export_name: &c.export_name,
            class_name: &c.class_name,
            binding: bindings.get(&c.class_name).unwrap_or(&c.binding),
            max_instances: c.max_instances,
            ports: declared_ports(c),
        })
        .collect();

    // The hash covers exactly what the templates read plus the generator version, so edits to
    // containers.ts that do not change the output (comments, sleepAfter) do not churn the files.
    let hash = inputs_hash(&ctx);
    // A container exported as `lunora` is the class `LunoraContainer`: the runtime's base is then
    // imported under another name, so the generated class does not extend itself.
    let base_class = if ctx.iter().any(|c| c.class_name == BASE_CLASS) {
        "LunoraContainerBase"
    } else {
        BASE_CLASS
    };
    let header = header(&hash);
    let env = templates();
    let render = |name: &str| -> String {
        env.get_template(name)
            .and_then(|t| {
                t.render(minijinja::context! {
                    header => header.as_str(),
                    base_class => base_class,
                    containers => Value::from(minijinja::value::Serde(&ctx)),
                    definitions_import => "../containers",
                })
            })
            .expect("templates render with a validated model")
    };
    vec![
        GeneratedFile {
            path: CONTAINERS_FILE,
            contents: render("containers.ts"),
        },
        GeneratedFile {
            path: HANDLES_FILE,
            contents: render("containerHandles.ts"),
        },
    ]
}

/// The ports a container declares for `.port(n)`: `defaultPort` and `requiredPorts`, sorted and
/// deduplicated. `readyOn` ports are not included: a probe port outside the two is itself a
/// mistake (`containers/ready-port-undeclared`), and declaring it in `requiredPorts` makes it
/// routable. When either field is dynamic the list could be incomplete, so it is empty (any port).
fn declared_ports(c: &ContainerSpec) -> Vec<u16> {
    if c.dynamic_ports {
        return Vec::new();
    }
    let mut ports: Vec<u16> = c
        .default_port
        .into_iter()
        .chain(c.required_ports.iter().flatten().copied())
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

fn inputs_hash(ctx: &[ContainerContext<'_>]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(b"\0");
    hasher.update(serde_json::to_vec(ctx).expect("context serialises"));
    let digest = hasher.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn header(hash: &str) -> String {
    format!(
        "// {GENERATED_MARKER} {version}. Do not edit: changes are overwritten.\n\
         // Source: lunora/containers.ts. Regenerate with `{cmd}`.\n\
         // Inputs hash: {hash}\n",
        version = env!("CARGO_PKG_VERSION"),
        cmd = REGENERATE_COMMAND,
    )
}

#[cfg(test)]
mod tests;
