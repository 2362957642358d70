//! Exports of a worker entry module, for the check that generated container classes are
//! re-exported by the deployed Worker.

use crate::eval::{import_locals, pat_idents};
use crate::syntax;
use crate::EntryExports;
use lunora_diagnostic::Diagnostic;
use swc_ecma_ast::*;

fn export_name(name: &ModuleExportName) -> String {
    match name {
        ModuleExportName::Ident(id) => id.sym.to_string(),
        ModuleExportName::Str(s) => s.value.to_atom_lossy().to_string(),
    }
}

pub(crate) fn entry_exports(source: &str, file: &str) -> Result<EntryExports, Vec<Diagnostic>> {
    let tsx = file.ends_with(".tsx") || file.ends_with(".jsx");
    let (module, _) = syntax::parse_module(source, file, tsx)?;
    let mut out = EntryExports::default();
    // A set beside the list: `contains` on the list was quadratic in the number of exports.
    let mut seen = std::collections::HashSet::new();
    let mut push = |out: &mut EntryExports, name: String| {
        if seen.insert(name.clone()) {
            out.value_names.push(name);
        }
    };
    for item in &module.body {
        declared(item, &mut out.declared_names);
        let ModuleItem::ModuleDecl(decl) = item else {
            continue;
        };
        match decl {
            ModuleDecl::ExportAll(all) if !all.type_only => {
                out.star_reexports
                    .push(all.src.value.to_atom_lossy().to_string());
            }
            ModuleDecl::ExportNamed(named) if !named.type_only => {
                for spec in &named.specifiers {
                    match spec {
                        ExportSpecifier::Named(n) if !n.is_type_only => {
                            push(
                                &mut out,
                                export_name(n.exported.as_ref().unwrap_or(&n.orig)),
                            );
                        }
                        ExportSpecifier::Namespace(ns) => push(&mut out, export_name(&ns.name)),
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
    Ok(out)
}

/// The names `item` declares at the top level.
fn declared(item: &ModuleItem, out: &mut Vec<String>) {
    let decl = match item {
        ModuleItem::ModuleDecl(ModuleDecl::Import(import)) => {
            out.extend(import_locals(import).map(|local| local.sym.to_string()));
            return;
        }
        ModuleItem::ModuleDecl(ModuleDecl::TsImportEquals(i)) => {
            out.push(i.id.sym.to_string());
            return;
        }
        ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => &e.decl,
        ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultDecl(d)) => {
            match &d.decl {
                DefaultDecl::Class(c) => out.extend(c.ident.as_ref().map(|i| i.sym.to_string())),
                DefaultDecl::Fn(f) => out.extend(f.ident.as_ref().map(|i| i.sym.to_string())),
                DefaultDecl::TsInterfaceDecl(_) => {}
            }
            return;
        }
        ModuleItem::Stmt(Stmt::Decl(d)) => d,
        _ => return,
    };
    match decl {
        Decl::Class(c) => out.push(c.ident.sym.to_string()),
        Decl::Fn(f) => out.push(f.ident.sym.to_string()),
        Decl::Var(v) => {
            for d in &v.decls {
                let mut ids = Vec::new();
                pat_idents(&d.name, &mut ids);
                out.extend(ids.into_iter().map(|id| id.sym.to_string()));
            }
        }
        Decl::Using(u) => {
            for d in &u.decls {
                let mut ids = Vec::new();
                pat_idents(&d.name, &mut ids);
                out.extend(ids.into_iter().map(|id| id.sym.to_string()));
            }
        }
        Decl::TsEnum(e) => out.push(e.id.sym.to_string()),
        Decl::TsModule(m) => {
            if let TsModuleName::Ident(id) = &m.id {
                out.push(id.sym.to_string());
            }
        }
        Decl::TsInterface(_) | Decl::TsTypeAlias(_) => {}
    }
}
