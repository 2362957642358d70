//! Reads `lunora/containers.ts` statically (swc; the file is never executed) and turns it into
//! validated [`ContainerSpec`]s plus diagnostics. Pure: takes source text, touches no disk.

pub mod adopt;
pub mod codes;
mod entry;
mod eval;
pub mod model;
pub mod rules;
mod syntax;
mod validate;

pub use model::*;
pub use rules::CONFIG_KEYS;

use eval::{unwrap, Evaluator, Scope};
use lunora_diagnostic::{Diagnostic, Span};
use std::collections::HashSet;
use swc_common::Spanned;
use swc_ecma_ast::*;
use validate::Checker;

/// The module `defineContainer` must be imported from to count.
pub const CONTAINER_MODULE: &str = "@lunora/container";

/// The result of reading one `containers.ts`.
#[derive(Debug, Clone, Default)]
pub struct ParseOutput {
    /// In source order. Only containers without errors of their own are listed.
    pub containers: Vec<ContainerSpec>,
    /// Errors, warnings and advisor lints (`info`), in source order. Any error means the run
    /// must write nothing.
    pub diagnostics: Vec<Diagnostic>,
    /// Export names of every `export const <name> = defineContainer(…)`, errors or not, in
    /// source order: a container whose definition has an error is still declared.
    pub declared: Vec<String>,
    /// Whether `declared` is the whole set: false when the file does not parse, or a
    /// declaration's name cannot be read. Callers must then conclude nothing about any container.
    pub declarations_known: bool,
}

/// Parses and validates `source`. `file` is the name used in diagnostics (relative to the
/// project root, e.g. `lunora/containers.ts`). Never panics, whatever the input.
///
/// A container is a top-level `export const <name> = defineContainer({...})` where
/// `defineContainer` is imported from [`CONTAINER_MODULE`] (under any alias, or through a
/// namespace import); everything else in the file is ignored. Every label's span is a 0-based
/// byte range into `source` and names `file`. A syntax error yields only syntax diagnostics and
/// no containers. Advisor lints (codes `container_*`, severity `info`) are emitted only for
/// containers without errors. Codes are listed in [`codes`].
pub fn parse_containers(source: &str, file: &str) -> ParseOutput {
    with_deep_stack(|| parse_containers_on_stack(source, file))
}

/// Stack for parsing, walking and dropping one syntax tree. swc's expression parser and the
/// tree's destructor recurse once per nesting level; a dedicated, lazily committed stack keeps
/// deeply nested input from overflowing the caller's thread.
const PARSE_STACK_BYTES: usize = 64 << 20;

fn with_deep_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::grow(PARSE_STACK_BYTES, f)
}

fn parse_containers_on_stack(source: &str, file: &str) -> ParseOutput {
    let (module, map) = match syntax::parse_module(source, file, false) {
        Ok(parsed) => parsed,
        Err(diagnostics) => {
            return ParseOutput {
                diagnostics,
                ..ParseOutput::default()
            }
        }
    };
    let mut diagnostics = Vec::new();
    let mut containers: Vec<ContainerSpec> = Vec::new();
    let define = DefineContainer::find(&module);
    if define.is_empty() {
        return ParseOutput {
            declarations_known: true,
            ..ParseOutput::default()
        };
    }
    let mut declared = Vec::new();
    let mut declarations_known = true;
    let scope = Scope::collect(&module, map);
    // Local names exported by `export { name }` (no `from`).
    let exported_later: HashSet<&str> = module
        .body
        .iter()
        .filter_map(|item| match item {
            ModuleItem::ModuleDecl(ModuleDecl::ExportNamed(n)) if n.src.is_none() => Some(n),
            _ => None,
        })
        .flat_map(|n| n.specifiers.iter())
        .filter_map(|spec| match spec {
            ExportSpecifier::Named(ExportNamedSpecifier {
                orig: ModuleExportName::Ident(id),
                ..
            }) => Some(&*id.sym),
            _ => None,
        })
        .collect();
    // Export name and span of the first container seen for each binding, to report collisions
    // (a map: a scan per container was quadratic, 13% of a 20,000-container run).
    let mut bindings: std::collections::HashMap<String, (String, Span)> =
        std::collections::HashMap::new();
    // Facts checked across containers (the wrangler `name`s seen so far).
    let mut across = validate::AcrossContainers::default();
    for item in &module.body {
        let (var, exported) = match item {
            ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ExportDecl {
                decl: Decl::Var(var),
                ..
            })) => (var, true),
            ModuleItem::Stmt(Stmt::Decl(Decl::Var(var))) => (var, false),
            _ => continue,
        };
        for decl in &var.decls {
            let Some(init) = &decl.init else { continue };
            let Expr::Call(call) = unwrap(init) else {
                continue;
            };
            if !define.is_callee(&call.callee) {
                continue;
            }
            let Pat::Ident(name) = &decl.name else {
                declarations_known = false;
                diagnostics.push(
                    Diagnostic::error(
                        codes::INVALID_DECLARATION,
                        "a container must be bound to a single name",
                    )
                    .with_primary(file, map.span(decl.name.span()), "")
                    .with_help("write `export const <name> = defineContainer({ … })`"),
                );
                continue;
            };
            let export_name = name.id.sym.to_string();
            let name_span = map.span(name.id.span);
            if !exported || var.kind != VarDeclKind::Const {
                let what = if exported {
                    "declared with `let`/`var`"
                } else if exported_later.contains(&*name.id.sym) {
                    "exported by a separate `export { … }`"
                } else {
                    "not exported"
                };
                diagnostics.push(
                    Diagnostic::warning(
                        codes::IGNORED_DEFINITION,
                        format!("`{export_name}` is {what}, so it is not a container"),
                    )
                    .with_primary(file, name_span, "")
                    .with_help(format!(
                        "write `export const {export_name} = defineContainer({{ … }})`"
                    )),
                );
                continue;
            }
            declared.push(export_name.clone());
            let errors_before = diagnostics.iter().filter(|d| d.is_error()).count();
            // Checked first so that a colliding container gets no advisor lints.
            let binding = binding_for(&export_name);
            if let Some((first_name, first_span)) = bindings.get(&binding) {
                diagnostics.push(
                    Diagnostic::error(
                        codes::DUPLICATE_BINDING,
                        format!("`{export_name}` and `{first_name}` both map to the binding `{binding}`"),
                    )
                    .with_primary(file, name_span, "")
                    .with_secondary(file, *first_span, format!("`{first_name}` is declared here"))
                    .with_help(format!("rename `{export_name}` so its binding differs from `{first_name}`")),
                );
            } else {
                bindings.insert(binding, (export_name.clone(), name_span));
            }
            let config = match call.args.as_slice() {
                [arg] if arg.spread.is_none() => {
                    let mut evaluator = Evaluator::new(&scope, map, file, &mut diagnostics);
                    let value = evaluator.eval_config(&arg.expr);
                    Some((value, evaluator.incomplete))
                }
                _ => {
                    diagnostics.push(
                        Diagnostic::error(
                            codes::INVALID_CALL,
                            "`defineContainer` takes exactly one object argument",
                        )
                        .with_primary(file, map.span(call.span), "")
                        .with_help(
                            "write `defineContainer({ image: \"./containers/<name>\", … })`",
                        ),
                    );
                    None
                }
            };
            let spec = config.and_then(|(config, incomplete)| {
                let mut checker = Checker {
                    file,
                    diagnostics: &mut diagnostics,
                };
                validate::build_container(
                    &mut checker,
                    &mut across,
                    &export_name,
                    name_span,
                    &config,
                    errors_before,
                    incomplete,
                )
            });
            let has_errors = diagnostics.iter().filter(|d| d.is_error()).count() > errors_before;
            if let (Some(spec), false) = (spec, has_errors) {
                containers.push(spec);
            }
        }
    }
    finish(&mut diagnostics);
    ParseOutput {
        containers,
        diagnostics,
        declared,
        declarations_known,
    }
}

/// Sorts diagnostics into source order and drops exact repeats (a shared `const` evaluated for
/// several containers reports its problem once).
fn finish(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by_key(|d| d.primary_label().map(|l| l.span.start).unwrap_or(0));
    let mut seen: HashSet<(String, Option<Span>, String)> = HashSet::new();
    diagnostics.retain(|d| {
        seen.insert((
            d.code.clone(),
            d.primary_label().map(|l| l.span),
            d.message.clone(),
        ))
    });
}

/// The local names under which `defineContainer` from [`CONTAINER_MODULE`] is in scope.
struct DefineContainer {
    /// `import { defineContainer }` / `import { defineContainer as dc }`.
    direct: Vec<String>,
    /// `import * as lc from "@lunora/container"` (then `lc.defineContainer`).
    namespaces: Vec<String>,
}

impl DefineContainer {
    fn find(module: &Module) -> Self {
        let mut found = DefineContainer {
            direct: Vec::new(),
            namespaces: Vec::new(),
        };
        for item in &module.body {
            let ModuleItem::ModuleDecl(ModuleDecl::Import(import)) = item else {
                continue;
            };
            if import.type_only || *import.src.value.to_atom_lossy() != *CONTAINER_MODULE {
                continue;
            }
            for spec in &import.specifiers {
                match spec {
                    ImportSpecifier::Named(named) if !named.is_type_only => {
                        let imported = match &named.imported {
                            Some(ModuleExportName::Ident(id)) => id.sym.to_string(),
                            Some(ModuleExportName::Str(s)) => s.value.to_atom_lossy().to_string(),
                            None => named.local.sym.to_string(),
                        };
                        if imported == "defineContainer" {
                            found.direct.push(named.local.sym.to_string());
                        }
                    }
                    ImportSpecifier::Namespace(ns) => {
                        found.namespaces.push(ns.local.sym.to_string())
                    }
                    _ => {}
                }
            }
        }
        found
    }

    fn is_empty(&self) -> bool {
        self.direct.is_empty() && self.namespaces.is_empty()
    }

    fn is_callee(&self, callee: &Callee) -> bool {
        let Callee::Expr(expr) = callee else {
            return false;
        };
        match unwrap(expr) {
            Expr::Ident(id) => self.direct.iter().any(|d| *d == *id.sym),
            Expr::Member(m) => {
                let MemberProp::Ident(prop) = &m.prop else {
                    return false;
                };
                let Expr::Ident(obj) = unwrap(&m.obj) else {
                    return false;
                };
                &*prop.sym == "defineContainer" && self.namespaces.iter().any(|n| *n == *obj.sym)
            }
            _ => false,
        }
    }
}

/// What a worker entry module exports, as far as container classes are concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryExports {
    /// `export * from "<specifier>"` specifiers, as written.
    pub star_reexports: Vec<String>,
    /// Names exported as values (`export { A }`, `export { A } from "…"`, `export class A`, …);
    /// `export type` / `export { type A }` are excluded.
    pub value_names: Vec<String>,
}

/// Reads the exports of a worker entry module (TypeScript or JavaScript). A file that does not
/// parse yields the diagnostics and no exports.
pub fn entry_exports(source: &str, file: &str) -> Result<EntryExports, Vec<Diagnostic>> {
    with_deep_stack(|| entry::entry_exports(source, file))
}
