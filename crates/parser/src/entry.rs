//! Exports of a worker entry module, for the check that generated container classes are
//! re-exported by the deployed Worker.

use crate::eval::pat_idents;
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
    let push = |out: &mut EntryExports, name: String| {
        if !out.value_names.contains(&name) {
            out.value_names.push(name);
        }
    };
    for item in &module.body {
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
