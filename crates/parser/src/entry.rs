//! Exports of a worker entry module, for the check that generated container classes are
//! re-exported by the deployed Worker.

use crate::eval::{imported_name, pat_idents};
use crate::syntax::{self, SourceMap};
use crate::{EntryExports, NameOrigin};
use lunora_diagnostic::{Diagnostic, Span};
use swc_common::Spanned;
use swc_ecma_ast::*;

fn export_name(name: &ModuleExportName) -> String {
    match name {
        ModuleExportName::Ident(id) => id.sym.to_string(),
        ModuleExportName::Str(s) => s.value.to_atom_lossy().to_string(),
    }
}

pub(crate) fn entry_exports(source: &str, file: &str) -> Result<EntryExports, Vec<Diagnostic>> {
    let tsx = file.ends_with(".tsx") || file.ends_with(".jsx");
    let (module, map) = syntax::parse_module(source, file, tsx)?;
    let mut out = EntryExports::default();
    // A set beside the list: `contains` on the list was quadratic in the number of exports.
    let mut seen = std::collections::HashSet::new();
    let mut push = |out: &mut EntryExports, name: String| {
        if seen.insert(name.clone()) {
            out.value_names.push(name);
        }
    };
    // Local `export { a as B }`: resolved against the module's own names once all are known.
    let mut local_aliases: Vec<(String, String, Span)> = Vec::new();
    for item in &module.body {
        origins(item, &map, &mut out);
        let ModuleItem::ModuleDecl(decl) = item else {
            continue;
        };
        match decl {
            ModuleDecl::ExportAll(all) if !all.type_only => {
                out.star_reexports
                    .push(all.src.value.to_atom_lossy().to_string());
            }
            ModuleDecl::ExportNamed(named) if !named.type_only => {
                let from = named
                    .src
                    .as_ref()
                    .map(|s| s.value.to_atom_lossy().to_string());
                for spec in &named.specifiers {
                    match spec {
                        ExportSpecifier::Named(n) if !n.is_type_only => {
                            let exported = export_name(n.exported.as_ref().unwrap_or(&n.orig));
                            let at = map.span(n.span);
                            match &from {
                                Some(from) => out.origins.push(NameOrigin {
                                    name: exported.clone(),
                                    span: at,
                                    from: Some(from.clone()),
                                    imported: Some(export_name(&n.orig)),
                                }),
                                None => {
                                    local_aliases.push((exported.clone(), export_name(&n.orig), at))
                                }
                            }
                            push(&mut out, exported);
                        }
                        ExportSpecifier::Namespace(ns) => {
                            if let Some(from) = &from {
                                out.origins.push(NameOrigin {
                                    name: export_name(&ns.name),
                                    span: map.span(ns.span),
                                    from: Some(from.clone()),
                                    imported: None,
                                });
                            }
                            push(&mut out, export_name(&ns.name))
                        }
                        ExportSpecifier::Default(d) => push(&mut out, d.exported.sym.to_string()),
                        ExportSpecifier::Named(_) => {}
                    }
                }
            }
            ModuleDecl::ExportDecl(export) => match &export.decl {
                Decl::Class(c) if !c.declare => push(&mut out, c.ident.sym.to_string()),
                Decl::Fn(f) if !f.declare => push(&mut out, f.ident.sym.to_string()),
                Decl::Var(v) if !v.declare => {
                    for d in &v.decls {
                        let mut ids = Vec::new();
                        pat_idents(&d.name, &mut ids);
                        for id in ids {
                            push(&mut out, id.sym.to_string());
                        }
                    }
                }
                Decl::TsEnum(e) if !e.declare => push(&mut out, e.id.sym.to_string()),
                Decl::TsModule(m) if !m.declare => {
                    if let TsModuleName::Ident(id) = &m.id {
                        push(&mut out, id.sym.to_string());
                    }
                }
                _ => {}
            },
            ModuleDecl::ExportDefaultDecl(d)
                if !matches!(d.decl, DefaultDecl::TsInterfaceDecl(_)) =>
            {
                push(&mut out, "default".to_string());
            }
            ModuleDecl::ExportDefaultExpr(_) => push(&mut out, "default".to_string()),
            ModuleDecl::TsImportEquals(i) if i.is_export && !i.is_type_only => {
                push(&mut out, i.id.sym.to_string())
            }
            _ => {}
        }
    }
    for (exported, orig, at) in local_aliases {
        if exported == orig {
            continue;
        }
        let origin = out.origins.iter().find(|o| o.name == orig).cloned();
        if let Some(origin) = origin {
            out.origins.push(NameOrigin {
                name: exported,
                span: if origin.from.is_some() {
                    origin.span
                } else {
                    at
                },
                ..origin
            });
        }
    }
    Ok(out)
}

/// The top-level names `item` binds: its declarations (ambient `declare` ones excluded: they
/// declare nothing at run time) and its imports, each with its origin.
fn origins(item: &ModuleItem, map: &SourceMap, out: &mut EntryExports) {
    let decl = match item {
        ModuleItem::ModuleDecl(ModuleDecl::Import(import)) => {
            let from = import.src.value.to_atom_lossy().to_string();
            for spec in &import.specifiers {
                let (local, imported) = match spec {
                    ImportSpecifier::Named(n) => (&n.local, Some(imported_name(n))),
                    ImportSpecifier::Default(d) => (&d.local, None),
                    ImportSpecifier::Namespace(n) => (&n.local, None),
                };
                out.imported_names.push(local.sym.to_string());
                out.origins.push(NameOrigin {
                    name: local.sym.to_string(),
                    span: map.span(spec.span()),
                    from: Some(from.clone()),
                    imported,
                });
            }
            return;
        }
        ModuleItem::ModuleDecl(ModuleDecl::TsImportEquals(i)) => {
            out.imported_names.push(i.id.sym.to_string());
            return;
        }
        ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => &e.decl,
        ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultDecl(d)) => {
            let ident = match &d.decl {
                DefaultDecl::Class(c) => c.ident.as_ref(),
                DefaultDecl::Fn(f) => f.ident.as_ref(),
                DefaultDecl::TsInterfaceDecl(_) => None,
            };
            if let Some(id) = ident {
                declare(out, id, map.span(d.span));
            }
            return;
        }
        ModuleItem::Stmt(Stmt::Decl(d)) => d,
        _ => return,
    };
    let at = map.span(decl.span());
    match decl {
        Decl::Class(c) if !c.declare => declare(out, &c.ident, at),
        Decl::Fn(f) if !f.declare => declare(out, &f.ident, at),
        Decl::Var(v) if !v.declare => {
            for d in &v.decls {
                let mut ids = Vec::new();
                pat_idents(&d.name, &mut ids);
                for id in ids {
                    declare(out, id, map.span(d.span));
                }
            }
        }
        Decl::Using(u) => {
            for d in &u.decls {
                let mut ids = Vec::new();
                pat_idents(&d.name, &mut ids);
                for id in ids {
                    declare(out, id, map.span(d.span));
                }
            }
        }
        Decl::TsEnum(e) if !e.declare => declare(out, &e.id, at),
        Decl::TsModule(m) if !m.declare => {
            if let TsModuleName::Ident(id) = &m.id {
                declare(out, id, at);
            }
        }
        _ => {}
    }
}

fn declare(out: &mut EntryExports, id: &Ident, span: Span) {
    out.declared_names.push(id.sym.to_string());
    out.origins.push(NameOrigin {
        name: id.sym.to_string(),
        span,
        from: None,
        imported: None,
    });
}
