//! The module-scope names an expression may refer to, and how each is bound.

use super::writes::{mentioned, MutationFinder};
use crate::syntax::SourceMap;
use lunora_diagnostic::Span;
use std::collections::{HashMap, HashSet};
use swc_ecma_ast::*;
use swc_ecma_visit::VisitWith;

/// How a module-scope name is bound, for names that are not usable `const`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BindingKind {
    Let,
    Var,
    Function,
    Class,
    Import,
    Other,
}

impl BindingKind {
    pub(super) fn describe(self) -> &'static str {
        match self {
            BindingKind::Let => "declared with `let`",
            BindingKind::Var => "declared with `var`",
            BindingKind::Function => "a function",
            BindingKind::Class => "a class",
            BindingKind::Import => "imported from another module",
            BindingKind::Other => "not a module-scope `const` with a literal value",
        }
    }
}

/// Module-scope names visible to the evaluator.
#[derive(Default)]
pub(crate) struct Scope<'m> {
    /// `const NAME = <init>`: the initializer and the span of the name.
    pub consts: HashMap<&'m str, (&'m Expr, Span)>,
    pub others: HashMap<&'m str, (BindingKind, Span)>,
    /// `const`s the file writes to somewhere (`cfg.x = …`, `delete cfg.x`, `Object.assign(cfg, …)`):
    /// the first such write.
    pub mutated: HashMap<String, Span>,
}

impl<'m> Scope<'m> {
    pub fn collect(module: &'m Module, map: SourceMap) -> Self {
        let mut scope = Scope::default();
        for item in &module.body {
            let decl = match item {
                ModuleItem::Stmt(Stmt::Decl(d)) => d,
                ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => &e.decl,
                ModuleItem::ModuleDecl(ModuleDecl::Import(import)) => {
                    for local in import_locals(import) {
                        scope
                            .others
                            .insert(&local.sym, (BindingKind::Import, map.span(local.span)));
                    }
                    continue;
                }
                _ => continue,
            };
            match decl {
                Decl::Var(var) => {
                    let kind = match var.kind {
                        VarDeclKind::Const => None,
                        VarDeclKind::Let => Some(BindingKind::Let),
                        VarDeclKind::Var => Some(BindingKind::Var),
                    };
                    for d in &var.decls {
                        match (&d.name, kind, &d.init) {
                            (Pat::Ident(id), None, Some(init)) if !var.declare => {
                                scope
                                    .consts
                                    .insert(&id.id.sym, (init, map.span(id.id.span)));
                            }
                            (pat, kind, _) => {
                                let mut names = Vec::new();
                                pat_idents(pat, &mut names);
                                for id in names {
                                    scope.others.insert(
                                        &id.sym,
                                        (kind.unwrap_or(BindingKind::Other), map.span(id.span)),
                                    );
                                }
                            }
                        }
                    }
                }
                Decl::Fn(f) => {
                    scope.others.insert(
                        &f.ident.sym,
                        (BindingKind::Function, map.span(f.ident.span)),
                    );
                }
                Decl::Class(c) => {
                    scope
                        .others
                        .insert(&c.ident.sym, (BindingKind::Class, map.span(c.ident.span)));
                }
                _ => {}
            }
        }
        let imports: HashSet<String> = scope
            .others
            .iter()
            .filter(|(_, (kind, _))| *kind == BindingKind::Import)
            .map(|(name, _)| name.to_string())
            .collect();
        let mut finder = MutationFinder {
            map,
            found: HashMap::new(),
            imports: &imports,
        };
        module.visit_with(&mut finder);
        scope.mutated = finder.found;
        // Writing into a `const` writes into every object its value holds or shares: an alias
        // (`const a = cfg`), a containing literal (`const o = { a: cfg }; o.a.x = 1`) and a spread
        // (`const c = { ...cfg }` shares cfg's nested objects). Each written name passes the write
        // on to every name its initializer mentions, once per name (a worklist, linear in the file).
        let mut written: Vec<(String, Span)> = scope
            .mutated
            .iter()
            .map(|(name, span)| (name.clone(), *span))
            .collect();
        written.sort_by_key(|(name, span)| (span.start, name.clone()));
        let mut passed_on: HashSet<String> = HashSet::new();
        while let Some((name, span)) = written.pop() {
            if !passed_on.insert(name.clone()) {
                continue;
            }
            let Some((init, _)) = scope.consts.get(name.as_str()) else {
                continue;
            };
            let mut held = Vec::new();
            mentioned(init, &mut held);
            for target in held {
                if scope.consts.contains_key(target.as_str())
                    && !scope.mutated.contains_key(&target)
                {
                    scope.mutated.insert(target.clone(), span);
                    written.push((target, span));
                }
            }
        }
        scope
    }
}

/// The local name each specifier of an `import` binds.
pub(crate) fn import_locals(import: &ImportDecl) -> impl Iterator<Item = &Ident> {
    import.specifiers.iter().map(|spec| match spec {
        ImportSpecifier::Named(n) => &n.local,
        ImportSpecifier::Default(d) => &d.local,
        ImportSpecifier::Namespace(n) => &n.local,
    })
}

/// The name a named import specifier imports (`b` in `import { b as c }`, `c` in `import { c }`).
pub(crate) fn imported_name(spec: &ImportNamedSpecifier) -> String {
    match &spec.imported {
        Some(ModuleExportName::Ident(id)) => id.sym.to_string(),
        Some(ModuleExportName::Str(s)) => s.value.to_atom_lossy().to_string(),
        None => spec.local.sym.to_string(),
    }
}

/// Every identifier bound by a pattern.
pub(crate) fn pat_idents<'a>(pat: &'a Pat, out: &mut Vec<&'a Ident>) {
    match pat {
        Pat::Ident(id) => out.push(&id.id),
        Pat::Array(a) => a.elems.iter().flatten().for_each(|p| pat_idents(p, out)),
        Pat::Rest(r) => pat_idents(&r.arg, out),
        Pat::Object(o) => {
            for p in &o.props {
                match p {
                    ObjectPatProp::KeyValue(kv) => pat_idents(&kv.value, out),
                    ObjectPatProp::Assign(a) => out.push(&a.key.id),
                    ObjectPatProp::Rest(r) => pat_idents(&r.arg, out),
                }
            }
        }
        Pat::Assign(a) => pat_idents(&a.left, out),
        Pat::Invalid(_) | Pat::Expr(_) => {}
    }
}
