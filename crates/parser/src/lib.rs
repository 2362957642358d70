//! Reads `lunora/containers.ts` statically (swc; the file is never executed) and turns it into
//! validated [`ContainerSpec`]s plus diagnostics. Pure: takes source text, touches no disk.

pub mod adopt;
pub mod codes;
pub mod comments;
mod edit;
mod entry;
mod eval;
pub mod model;
pub mod rules;
mod scan;
mod syntax;
mod validate;

pub use model::*;
pub use rules::CONFIG_KEYS;
pub use validate::rules::class_name::is_valid as is_valid_class_name;
pub use validate::suggest;

use eval::{unwrap, Evaluator, Scope, Shared};
use lunora_diagnostic::{Diagnostic, Span};
use std::collections::{HashMap, HashSet};
use swc_common::Spanned;
use swc_ecma_ast::*;
use validate::rules::declarations;
use validate::Checker;

/// The module `defineContainer` must be imported from to count.
pub const CONTAINER_MODULE: &str = "@lunora/container";

/// The result of reading one `containers.ts`.
#[derive(Debug, Clone, Default)]
pub struct ParseOutput {
    /// In source order. Only containers without errors of their own are listed.
    pub containers: Vec<ContainerSpec>,
    /// Errors and warnings, in source order. Any error means the run must write nothing. (The
    /// advisor's lints over the model are added by `lunora_advisor::with_model_lints`.)
    pub diagnostics: Vec<Diagnostic>,
    /// Export names of every `export const <name> = defineContainer(…)`, errors or not, in
    /// source order: a container whose definition has an error is still declared.
    pub declared: Vec<String>,
    /// Whether `declared` is the whole set: false when the file does not parse, or a
    /// declaration's name cannot be read. Callers must then conclude nothing about any container.
    pub declarations_known: bool,
    /// How a new definition can call `defineContainer` in this file: its local name
    /// (`defineContainer`, `dc`) or `ns.defineContainer` through a namespace import; `None`
    /// when the file does not import it.
    pub define_container: Option<String>,
}

impl ParseOutput {
    /// The Durable Object class of the container declared as `export`: its `className` when the
    /// definition sets one, else the one the export name gives (also for a definition with
    /// errors, which has no spec).
    pub fn class_of(&self, export: &str) -> String {
        self.containers
            .iter()
            .find(|c| c.export_name == export)
            .map_or_else(|| class_name_for(export), |c| c.class_name.clone())
    }

    /// Whether the definition of `export` fixes its class with `className` (then renaming the
    /// export keeps the class, its storage and its container application).
    pub fn class_fixed(&self, export: &str) -> bool {
        self.class_of(export) != class_name_for(export)
    }
}

/// Parses and validates `source`. `file` is the name used in diagnostics (relative to the
/// project root, e.g. `lunora/containers.ts`). Never panics, whatever the input.
///
/// A container is a top-level `export const <name> = defineContainer({...})` where
/// `defineContainer` is imported from [`CONTAINER_MODULE`] (under any alias, or through a
/// namespace import); everything else in the file is ignored. Every label's span is a 0-based
/// byte range into `source` and names `file`. A syntax error yields only syntax diagnostics and
/// no containers. Codes are listed in [`codes`].
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
    let define = DefineContainer::find(&module, map);
    if define.is_empty() {
        return ParseOutput {
            declarations_known: true,
            ..ParseOutput::default()
        };
    }
    let mut declared = Vec::new();
    let mut declarations_known = true;
    let define_container = define.direct.first().cloned().or_else(|| {
        define
            .namespaces
            .first()
            .map(|ns| format!("{ns}.defineContainer"))
    });
    let scope = Scope::collect(&module, map);
    let mut shared = Shared::default();
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
    let mut bindings: HashMap<String, (String, Span)> = HashMap::new();
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
                if let (Some(alias), Pat::Ident(name)) =
                    (define.rejected_alias(&call.callee), &decl.name)
                {
                    let export_name = &name.id.sym;
                    let mut d = Diagnostic::warning(
                        codes::IGNORED_DEFINITION,
                        declarations::message_rejected_alias(export_name, &alias.name, &alias.why),
                    )
                    .with_primary(file, map.span(name.id.span), "")
                    .with_secondary(file, alias.span, alias.label.clone());
                    if let Some((span, label)) = &alias.related {
                        d = d.with_secondary(file, *span, label.clone());
                    }
                    diagnostics.push(d.with_help(declarations::help_rejected_alias(&alias.name)));
                }
                continue;
            }
            let Pat::Ident(name) = &decl.name else {
                declarations_known = false;
                diagnostics.push(
                    Diagnostic::error(codes::INVALID_DECLARATION, declarations::MESSAGE_PATTERN)
                        .with_primary(file, map.span(decl.name.span()), "")
                        .with_help(declarations::HELP_PATTERN),
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
                        declarations::message_not_exported(&export_name, what),
                    )
                    .with_primary(file, name_span, "")
                    .with_help(declarations::help_not_exported(&export_name)),
                );
                continue;
            }
            declared.push(export_name.clone());
            let errors_before = diagnostics.iter().filter(|d| d.is_error()).count();
            // Checked first so that a colliding container is not listed (nor linted).
            let binding = binding_for(&export_name);
            if let Some((first_name, first_span)) = bindings.get(&binding) {
                diagnostics.push(
                    Diagnostic::error(
                        codes::DUPLICATE_BINDING,
                        declarations::message_duplicate_binding(&export_name, first_name, &binding),
                    )
                    .with_primary(file, name_span, "")
                    .with_secondary(
                        file,
                        *first_span,
                        declarations::label_first_binding(first_name),
                    )
                    .with_help(declarations::help_duplicate_binding(
                        &export_name,
                        first_name,
                    )),
                );
            } else {
                bindings.insert(binding, (export_name.clone(), name_span));
            }
            let config = match call.args.as_slice() {
                [arg] if arg.spread.is_none() => {
                    let mut evaluator =
                        Evaluator::new(&scope, map, file, &mut diagnostics, &mut shared);
                    if evaluator.report_exhausted() {
                        None
                    } else {
                        let value = evaluator.eval_config(&arg.expr);
                        Some((value, evaluator.incomplete))
                    }
                }
                _ => {
                    diagnostics.push(
                        Diagnostic::error(codes::INVALID_CALL, declarations::MESSAGE_CALL)
                            .with_primary(file, map.span(call.span), "")
                            .with_help(declarations::HELP_CALL),
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
        define_container,
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
    /// `import { defineContainer }` / `import { defineContainer as dc }`, and module-scope
    /// `const` aliases of those (`const dc = defineContainer`, `const dc = lc.defineContainer`,
    /// `const { defineContainer: dc } = lc`, chains of them).
    direct: Vec<String>,
    /// `import * as lc from "@lunora/container"` (then `lc.defineContainer`), and `const`
    /// aliases of it.
    namespaces: Vec<String>,
    /// The names of `direct` and `namespaces`, for lookups (a list scan per alias was quadratic
    /// in the number of aliases).
    direct_set: HashSet<String>,
    namespace_set: HashSet<String>,
    /// Aliases that are not read as `defineContainer`, with the reason.
    rejected: HashMap<String, RejectedAlias>,
}

/// A module-scope alias of `defineContainer` that lunora does not follow.
struct RejectedAlias {
    name: String,
    /// Completes "`x` calls `dc`, which …".
    why: String,
    /// The alias declaration, and what to say there.
    span: Span,
    label: String,
    /// Where it is reassigned, when that is the reason.
    related: Option<(Span, String)>,
    /// An alias of the namespace (`let lc2 = lc`), not of `defineContainer` itself.
    namespace: bool,
}

/// A name a declaration binds to `defineContainer` (`true`) or to the namespace (`false`), and,
/// when it goes through a rejected alias, that alias's name and reason.
type Bound<'a> = (&'a Ident, bool, Option<(String, String)>);

/// Module-scope names assigned to somewhere in the file (`dc = …`, `dc++`), with the first spot.
struct Reassignments {
    map: syntax::SourceMap,
    found: HashMap<String, Span>,
}

impl swc_ecma_visit::Visit for Reassignments {
    fn visit_assign_expr(&mut self, n: &AssignExpr) {
        if let AssignTarget::Simple(SimpleAssignTarget::Ident(id)) = &n.left {
            self.found
                .entry(id.id.sym.to_string())
                .or_insert(self.map.span(n.span));
        }
        swc_ecma_visit::VisitWith::visit_children_with(n, self);
    }

    fn visit_update_expr(&mut self, n: &UpdateExpr) {
        if let Expr::Ident(id) = unwrap(&n.arg) {
            self.found
                .entry(id.sym.to_string())
                .or_insert(self.map.span(n.span));
        }
        swc_ecma_visit::VisitWith::visit_children_with(n, self);
    }
}

impl DefineContainer {
    fn find(module: &Module, map: syntax::SourceMap) -> Self {
        let mut found = DefineContainer {
            direct: Vec::new(),
            namespaces: Vec::new(),
            direct_set: HashSet::new(),
            namespace_set: HashSet::new(),
            rejected: HashMap::new(),
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
                        if eval::imported_name(named) == "defineContainer" {
                            found.add(named.local.sym.to_string(), true);
                        }
                    }
                    ImportSpecifier::Namespace(ns) => found.add(ns.local.sym.to_string(), false),
                    _ => {}
                }
            }
        }
        if !found.is_empty() {
            found.aliases(module, map);
        }
        found
    }

    /// Follows module-scope aliases in source order (a `const` is usable only after its
    /// declaration, so a chain is declared in order too).
    fn aliases(&mut self, module: &Module, map: syntax::SourceMap) {
        let mut reassigned = Reassignments {
            map,
            found: HashMap::new(),
        };
        swc_ecma_visit::VisitWith::visit_with(module, &mut reassigned);
        for item in &module.body {
            let var = match item {
                ModuleItem::Stmt(Stmt::Decl(Decl::Var(var))) => var,
                ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ExportDecl {
                    decl: Decl::Var(var),
                    ..
                })) => var,
                _ => continue,
            };
            if var.declare {
                continue;
            }
            for decl in &var.decls {
                let Some(init) = &decl.init else { continue };
                let mut bound: Vec<Bound> = Vec::new();
                match (&decl.name, unwrap(init)) {
                    (Pat::Ident(name), Expr::Ident(target)) => {
                        let target = &*target.sym;
                        if self.direct_set.contains(target) {
                            bound.push((&name.id, true, None));
                        } else if self.namespace_set.contains(target) {
                            bound.push((&name.id, false, None));
                        } else if let Some(r) = self.rejected.get(target) {
                            bound.push((
                                &name.id,
                                !r.namespace,
                                Some((r.name.clone(), r.why.clone())),
                            ));
                        }
                    }
                    (Pat::Ident(name), target @ Expr::Member(_)) => {
                        if self.is_namespace_member(target) {
                            bound.push((&name.id, true, None));
                        } else if let Some(r) = self.rejected_namespace_member(target) {
                            bound.push((&name.id, true, Some((r.name.clone(), r.why.clone()))));
                        }
                    }
                    (Pat::Object(pattern), Expr::Ident(target))
                        if self.namespace_set.contains(&*target.sym) =>
                    {
                        for prop in &pattern.props {
                            match prop {
                                ObjectPatProp::KeyValue(kv) => {
                                    let key_is_define = match &kv.key {
                                        PropName::Ident(k) => &*k.sym == "defineContainer",
                                        PropName::Str(k) => {
                                            *k.value.to_atom_lossy() == *"defineContainer"
                                        }
                                        _ => false,
                                    };
                                    if let (true, Pat::Ident(local)) = (key_is_define, &*kv.value) {
                                        bound.push((&local.id, true, None));
                                    }
                                }
                                ObjectPatProp::Assign(a) if &*a.key.sym == "defineContainer" => {
                                    bound.push((&a.key.id, true, None));
                                }
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
                let mut newly_rejected = Vec::new();
                for (local, is_define, inherited) in bound {
                    let name = local.sym.to_string();
                    let span = map.span(local.span);
                    let rejection = if let Some((target, why)) = inherited {
                        Some((format!("refers to `{target}`, which {why}"), None))
                    } else if var.kind != VarDeclKind::Const {
                        let kind = if var.kind == VarDeclKind::Let {
                            "let"
                        } else {
                            "var"
                        };
                        Some((format!("is declared with `{kind}`"), None))
                    } else {
                        reassigned.found.get(&name).map(|&at| {
                            (
                                "is assigned again elsewhere in this file".to_string(),
                                Some((at, "assigned here".to_string())),
                            )
                        })
                    };
                    match rejection {
                        Some((why, related)) => newly_rejected.push(RejectedAlias {
                            name,
                            why,
                            span,
                            label: "declared here".to_string(),
                            related,
                            namespace: !is_define,
                        }),
                        None => self.add(name, is_define),
                    }
                }
                for r in newly_rejected {
                    self.rejected.insert(r.name.clone(), r);
                }
            }
        }
    }

    fn is_namespace_member(&self, expr: &Expr) -> bool {
        let Expr::Member(m) = unwrap(expr) else {
            return false;
        };
        let is_define = match &m.prop {
            MemberProp::Ident(prop) => &*prop.sym == "defineContainer",
            MemberProp::Computed(c) => matches!(
                unwrap(&c.expr),
                Expr::Lit(Lit::Str(s)) if *s.value.to_atom_lossy() == *"defineContainer"
            ),
            _ => false,
        };
        let Expr::Ident(obj) = unwrap(&m.obj) else {
            return false;
        };
        is_define && self.namespace_set.contains(&*obj.sym)
    }

    /// Records `name` as `defineContainer` itself (`true`) or as the namespace.
    fn add(&mut self, name: String, is_define: bool) {
        let (list, set) = if is_define {
            (&mut self.direct, &mut self.direct_set)
        } else {
            (&mut self.namespaces, &mut self.namespace_set)
        };
        if set.insert(name.clone()) {
            list.push(name);
        }
    }

    /// `ns.defineContainer` where `ns` is a namespace alias lunora does not follow.
    fn rejected_namespace_member(&self, expr: &Expr) -> Option<&RejectedAlias> {
        let Expr::Member(m) = unwrap(expr) else {
            return None;
        };
        let MemberProp::Ident(prop) = &m.prop else {
            return None;
        };
        let Expr::Ident(obj) = unwrap(&m.obj) else {
            return None;
        };
        if &*prop.sym != "defineContainer" {
            return None;
        }
        self.rejected.get(&*obj.sym).filter(|r| r.namespace)
    }

    /// The alias `callee` goes through when it is one lunora does not follow.
    fn rejected_alias(&self, callee: &Callee) -> Option<&RejectedAlias> {
        let Callee::Expr(expr) = callee else {
            return None;
        };
        match unwrap(expr) {
            Expr::Ident(id) => self.rejected.get(&*id.sym).filter(|r| !r.namespace),
            member @ Expr::Member(_) => self.rejected_namespace_member(member),
            _ => None,
        }
    }

    fn is_empty(&self) -> bool {
        self.direct.is_empty() && self.namespaces.is_empty()
    }

    fn is_callee(&self, callee: &Callee) -> bool {
        let Callee::Expr(expr) = callee else {
            return false;
        };
        match unwrap(expr) {
            Expr::Ident(id) => self.direct_set.contains(&*id.sym),
            member @ Expr::Member(_) => self.is_namespace_member(member),
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
    /// Names the module itself declares at the top level, exported or not (variables, functions,
    /// classes, enums, namespaces), in source order. Imports and ambient (`declare`) declarations
    /// are not declarations here: see [`EntryExports::imported_names`].
    pub declared_names: Vec<String>,
    /// Local names bound by imports (`import { A }`, `import A = require(…)`), in source order.
    pub imported_names: Vec<String>,
    /// Where each top-level value name comes from: a declaration in this module, an import, or a
    /// named re-export (`export { A } from "…"`, under its exported name); a local
    /// `export { a as B }` gives `B` the origin of `a`. In source order.
    pub origins: Vec<NameOrigin>,
}

/// Where a name of a module comes from (see [`EntryExports::origins`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameOrigin {
    pub name: String,
    /// The declaration, import specifier or export specifier that binds it.
    pub span: Span,
    /// The specifier of the module it is imported or re-exported from, as written; `None` when
    /// this module declares it.
    pub from: Option<String>,
    /// The name it has in that module (`A` in `import { A as B }`); `None` for a declaration,
    /// and for a default or namespace import.
    pub imported: Option<String>,
}

/// Reads the exports of a worker entry module (TypeScript or JavaScript). A file that does not
/// parse yields the diagnostics and no exports.
pub fn entry_exports(source: &str, file: &str) -> Result<EntryExports, Vec<Diagnostic>> {
    with_deep_stack(|| entry::entry_exports(source, file))
}

/// Where `name` occurs as an identifier (a declaration or a reference, not a property name, a
/// string or a comment) in the module `source`, in source order. `Err` when `source` does not
/// parse.
pub fn identifier_uses(source: &str, file: &str, name: &str) -> Result<Vec<Span>, Vec<Diagnostic>> {
    with_deep_stack(|| {
        let (module, map) = syntax::parse_module(source, file, false)?;
        struct Uses<'a> {
            name: &'a str,
            map: syntax::SourceMap,
            out: Vec<Span>,
        }
        impl swc_ecma_visit::Visit for Uses<'_> {
            fn visit_ident(&mut self, ident: &swc_ecma_ast::Ident) {
                if &*ident.sym == self.name {
                    self.out.push(self.map.span(ident.span));
                }
            }
        }
        let mut uses = Uses {
            name,
            map,
            out: Vec::new(),
        };
        swc_ecma_visit::VisitWith::visit_with(&module, &mut uses);
        uses.out.sort_by_key(|s| s.start);
        Ok(uses.out)
    })
}

/// `source` with `statement` inserted as a top-level statement of its own, after the last
/// top-level import (or `export … from`) declaration, or before the first statement; positions
/// come from the syntax tree, so it never lands inside a string, template or comment. Existing
/// text is kept byte for byte. `Err` when `source` does not parse.
pub fn insert_statement(
    source: &str,
    file: &str,
    statement: &str,
) -> Result<String, Vec<Diagnostic>> {
    with_deep_stack(|| edit::insert_statement(source, file, statement))
}

/// `source` (a `containers.ts`) with `definition` appended, and the import of `defineContainer`
/// added after the file's imports when it has none (see [`insert_statement`]). Existing text is
/// kept byte for byte. `Err` when `source` does not parse or declares a `defineContainer` of its
/// own.
pub fn add_definition(source: &str, definition: &str) -> Result<String, Vec<Diagnostic>> {
    with_deep_stack(|| edit::add_definition(source, definition))
}
