//! Reading hand-written container classes for `lunora adopt`: a worker module's
//! `class X extends Container` (from `@cloudflare/containers`), what each declares statically
//! (the class fields `Container` reads: `defaultPort`, `sleepAfter`, `envVars`, …) and everything
//! else it holds (methods, lifecycle hooks, a constructor, static or private members, fields whose
//! value only the running code knows), with spans, so that nothing is dropped silently.
//!
//! Pure: source text in, facts out. Values are read by the same static evaluator as
//! `containers.ts` (literals, module-scope `const`s, `as const`, spreads of `const` objects);
//! anything else is reported as dynamic, with the reason.

use crate::eval::{self, Evaluator, Kind, Scope};
use crate::syntax;
use lunora_diagnostic::{Diagnostic, Span};
use std::collections::HashMap;
use swc_common::Spanned;
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

mod types;

pub use crate::comments::comments_in;
use crate::comments::leading_comments;
pub use types::{
    CarriedField, Comment, ExportStatement, HandWrittenClass, ImportDecl, ImportName, MemberKind,
    OtherClass, OwnCode, ReExport, StaticValue, WorkerModule,
};

/// The module the hand-written classes extend `Container` from.
pub const CLOUDFLARE_CONTAINERS_MODULE: &str = "@cloudflare/containers";

/// Every package name `Container` is imported from: the current one, and `cf-containers`, the
/// name the same package was published under before its release.
pub const CONTAINER_MODULES: &[&str] = &[CLOUDFLARE_CONTAINERS_MODULE, "cf-containers"];

/// The top-level `export const` statements of a module, for removing one definition whole.
pub fn export_statements(
    source: &str,
    file: &str,
) -> Result<Vec<ExportStatement>, Vec<Diagnostic>> {
    stacker::grow(64 << 20, || {
        let (module, map) = syntax::parse_module(source, file, false)?;
        let mut out = Vec::new();
        for item in &module.body {
            let ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ExportDecl {
                decl: Decl::Var(var),
                span,
            })) = item
            else {
                continue;
            };
            let mut names = Vec::new();
            for d in &var.decls {
                let mut ids = Vec::new();
                eval::pat_idents(&d.name, &mut ids);
                names.extend(ids.iter().map(|id| id.sym.to_string()));
            }
            out.push(ExportStatement {
                names,
                span: map.span(*span),
            });
        }
        Ok(out)
    })
}

/// Class fields of `@cloudflare/containers`' `Container` that a definition carries, with the
/// definition key each becomes.
pub const CARRIED_FIELDS: &[(&str, &str)] = &[
    ("defaultPort", "defaultPort"),
    ("requiredPorts", "requiredPorts"),
    ("sleepAfter", "sleepAfter"),
    ("envVars", "env"),
    ("enableInternet", "enableInternet"),
    ("entrypoint", "entrypoint"),
    ("pingEndpoint", "pingEndpoint"),
    ("allowedHosts", "allowedHosts"),
    ("deniedHosts", "deniedHosts"),
    ("interceptHttps", "interceptHttps"),
    ("labels", "labels"),
];

const HOOKS: &[&str] = &["onStart", "onStop", "onError", "onActivityExpired"];

/// Reads the hand-written container classes of a worker module (`file` names it in diagnostics;
/// `.tsx`/`.jsx` parse with JSX). A module that does not parse yields its syntax errors.
pub fn hand_written_classes(source: &str, file: &str) -> Result<WorkerModule, Vec<Diagnostic>> {
    stacker::grow(64 << 20, || read(source, file))
}

fn read(source: &str, file: &str) -> Result<WorkerModule, Vec<Diagnostic>> {
    let tsx = file.ends_with(".tsx") || file.ends_with(".jsx");
    let (module, map) = syntax::parse_module(source, file, tsx)?;
    let mut out = WorkerModule::default();

    // Local names of `Container` from a containers package, and namespace imports of one.
    let mut direct: Vec<String> = Vec::new();
    let mut namespaces: Vec<String> = Vec::new();
    // Value imports: local name → (imported name, module).
    let mut imported: HashMap<String, (String, String)> = HashMap::new();
    for item in &module.body {
        let ModuleItem::ModuleDecl(ModuleDecl::Import(import)) = item else {
            continue;
        };
        let module_name = import.src.value.to_atom_lossy().to_string();
        let mut decl = ImportDecl {
            module: module_name.clone(),
            span: map.span(import.span),
            type_only: import.type_only,
            specifiers: Vec::new(),
        };
        for spec in &import.specifiers {
            let (local, named, name) = match spec {
                ImportSpecifier::Named(n) => (&n.local, true, eval::imported_name(n).to_string()),
                ImportSpecifier::Default(d) => (&d.local, false, "default".to_string()),
                ImportSpecifier::Namespace(n) => (&n.local, false, "*".to_string()),
            };
            decl.specifiers.push(ImportName {
                local: local.sym.to_string(),
                imported: name.clone(),
                span: map.span(spec.span()),
                named,
            });
            let type_only =
                import.type_only || matches!(spec, ImportSpecifier::Named(n) if n.is_type_only);
            if !type_only && name != "*" {
                imported.insert(local.sym.to_string(), (name.clone(), module_name.clone()));
            }
            if !CONTAINER_MODULES.contains(&module_name.as_str()) || type_only {
                continue;
            }
            match spec {
                ImportSpecifier::Named(_) if name == "Container" => {
                    direct.push(local.sym.to_string())
                }
                ImportSpecifier::Namespace(ns) => namespaces.push(ns.local.sym.to_string()),
                _ => {}
            }
        }
        out.imports.push(decl);
    }

    // What the module exports, by local name: `export { L as E }`, `export default L`, and
    // the re-exports of other modules.
    let mut exported_as: HashMap<String, Vec<String>> = HashMap::new();
    let mut separately: Vec<String> = Vec::new();
    for item in &module.body {
        match item {
            ModuleItem::ModuleDecl(ModuleDecl::ExportAll(all)) if !all.type_only => {
                out.star_exports.push((
                    all.src.value.to_atom_lossy().to_string(),
                    map.span(all.span),
                ));
            }
            ModuleItem::ModuleDecl(ModuleDecl::ExportNamed(n)) if !n.type_only => {
                for spec in &n.specifiers {
                    let ExportSpecifier::Named(named) = spec else {
                        continue;
                    };
                    if named.is_type_only {
                        continue;
                    }
                    let orig = export_name(&named.orig);
                    let exported = named.exported.as_ref().map_or(orig.clone(), export_name);
                    match &n.src {
                        Some(src) => out.re_exports.push(ReExport {
                            exported,
                            imported: orig,
                            module: src.value.to_atom_lossy().to_string(),
                            span: map.span(named.span),
                        }),
                        None => {
                            if let Some((name, from)) = imported.get(&orig) {
                                out.re_exports.push(ReExport {
                                    exported: exported.clone(),
                                    imported: name.clone(),
                                    module: from.clone(),
                                    span: map.span(named.span),
                                });
                            }
                            separately.push(orig.clone());
                            exported_as.entry(orig).or_default().push(exported);
                        }
                    }
                }
            }
            ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(e)) => {
                if let Expr::Ident(id) = eval::unwrap(&e.expr) {
                    let local = id.sym.to_string();
                    if let Some((name, from)) = imported.get(&local) {
                        out.re_exports.push(ReExport {
                            exported: "default".into(),
                            imported: name.clone(),
                            module: from.clone(),
                            span: map.span(e.span),
                        });
                    }
                    separately.push(local.clone());
                    exported_as.entry(local).or_default().push("default".into());
                }
            }
            _ => {}
        }
    }

    let mut refs = References {
        map,
        found: HashMap::new(),
    };
    module.visit_with(&mut refs);
    out.references = refs.found;

    let extends_container = |expr: &Expr| match eval::unwrap(expr) {
        Expr::Ident(id) => direct.iter().any(|d| *d == *id.sym),
        Expr::Member(m) => {
            matches!(&m.prop, MemberProp::Ident(p) if &*p.sym == "Container")
                && matches!(eval::unwrap(&m.obj), Expr::Ident(o) if namespaces.iter().any(|n| *n == *o.sym))
        }
        _ => false,
    };

    let scope = Scope::collect(&module, map);
    for item in &module.body {
        let (ident, class, inline, statement) = match item {
            ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ExportDecl {
                decl: Decl::Class(c),
                span,
            })) if !c.declare => (&c.ident, &c.class, Some(c.ident.sym.to_string()), *span),
            ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultDecl(ExportDefaultDecl {
                decl:
                    DefaultDecl::Class(ClassExpr {
                        ident: Some(id),
                        class,
                    }),
                span,
            })) => (id, class, Some("default".to_string()), *span),
            ModuleItem::Stmt(Stmt::Decl(Decl::Class(c))) if !c.declare => {
                (&c.ident, &c.class, None, c.class.span)
            }
            _ => continue,
        };
        let name = ident.sym.to_string();
        let mut names: Vec<String> = inline.iter().cloned().collect();
        names.extend(exported_as.get(&name).into_iter().flatten().cloned());
        let is_container = class.super_class.as_deref().is_some_and(&extends_container);
        if !is_container {
            let extends = class.super_class.as_deref().map(|s| {
                let text = source
                    .get(map.span(s.span()).start as usize..map.span(s.span()).end as usize)
                    .unwrap_or("")
                    .chars()
                    .take(80)
                    .collect::<String>();
                let root = match eval::unwrap(s) {
                    Expr::Ident(id) => Some(id.sym.to_string()),
                    Expr::Member(m) => match eval::unwrap(&m.obj) {
                        Expr::Ident(o) => Some(o.sym.to_string()),
                        _ => None,
                    },
                    _ => None,
                };
                let from = root.and_then(|r| {
                    imported.get(&r).map(|(_, m)| m.clone()).or_else(|| {
                        out.imports
                            .iter()
                            .find(|i| i.specifiers.iter().any(|sp| sp.local == r))
                            .map(|i| i.module.clone())
                    })
                });
                (text, from)
            });
            out.other_classes.push(OtherClass {
                name,
                name_span: map.span(ident.span),
                exported_as: names,
                extends,
            });
            continue;
        }
        let statement_span = map.span(statement);
        let mut hand = HandWrittenClass {
            exported_separately: separately.contains(&name) || inline.as_deref() == Some("default"),
            exported_inline: inline.as_deref() == Some(name.as_str()),
            exported_as: names,
            declared_in: None,
            name,
            name_span: map.span(ident.span),
            statement_span,
            leading_comments: leading_comments(source, statement_span.start as usize),
            inner_comments: comments_in(source, statement_span),
            fields: Vec::new(),
            own_code: Vec::new(),
        };
        for d in &class.decorators {
            hand.own_code.push(OwnCode {
                kind: MemberKind::Decorator,
                name: "@decorator".into(),
                span: map.span(d.span),
                why: None,
            });
        }
        for member in &class.body {
            read_member(member, &scope, map, file, &mut hand);
        }
        out.classes.push(hand);
    }
    Ok(out)
}

fn export_name(name: &ModuleExportName) -> String {
    match name {
        ModuleExportName::Ident(id) => id.sym.to_string(),
        ModuleExportName::Str(s) => s.value.to_atom_lossy().to_string(),
    }
}

fn prop_name(key: &PropName) -> Option<String> {
    match key {
        PropName::Ident(id) => Some(id.sym.to_string()),
        PropName::Str(s) => Some(s.value.to_atom_lossy().to_string()),
        PropName::Num(n) => Some(eval::number_to_string(n.value)),
        _ => None,
    }
}

fn read_member(
    member: &ClassMember,
    scope: &Scope<'_>,
    map: syntax::SourceMap,
    file: &str,
    class: &mut HandWrittenClass,
) {
    let span = map.span(member.span());
    let mut own = |kind: MemberKind, name: String, why: Option<String>| {
        class.own_code.push(OwnCode {
            kind,
            name,
            span,
            why,
        })
    };
    match member {
        ClassMember::Empty(_) => {}
        ClassMember::Constructor(_) => own(MemberKind::Constructor, "constructor".into(), None),
        ClassMember::Method(m) => {
            let name = prop_name(&m.key).unwrap_or_else(|| "[computed]".into());
            let kind = if m.is_static {
                MemberKind::Static
            } else {
                match m.kind {
                    MethodKind::Getter => MemberKind::Getter,
                    MethodKind::Setter => MemberKind::Setter,
                    MethodKind::Method if HOOKS.contains(&name.as_str()) => MemberKind::Hook,
                    MethodKind::Method => MemberKind::Method,
                }
            };
            own(kind, name, None);
        }
        ClassMember::PrivateMethod(m) => own(MemberKind::Private, format!("#{}", m.key.name), None),
        ClassMember::PrivateProp(p) => own(MemberKind::Private, format!("#{}", p.key.name), None),
        ClassMember::StaticBlock(_) => own(MemberKind::Static, "static { … }".into(), None),
        ClassMember::ClassProp(p) => {
            let name = prop_name(&p.key).unwrap_or_else(|| "[computed]".into());
            if p.is_static {
                return own(MemberKind::Static, name, None);
            }
            if !p.decorators.is_empty() {
                return own(MemberKind::Decorator, name, None);
            }
            let carried = CARRIED_FIELDS.iter().find(|(f, _)| *f == name);
            let Some(&(_, key)) = carried else {
                return own(MemberKind::Field, name, None);
            };
            let Some(init) = p.value.as_deref() else {
                return own(MemberKind::Declaration, name, None);
            };
            // `envVars = { X: this.env.X }`: a value the worker reads from its env at run time
            // is a secret of the same name, carried as `secrets: ["X"]` (never as a value).
            let (init, secrets) = match (key, init) {
                ("env", Expr::Object(lit)) => {
                    let (secrets, rest) = split_env_secrets(lit);
                    (rest.map(|r| Box::new(Expr::Object(r))), secrets)
                }
                _ => (None, Vec::new()),
            };
            let init: &Expr = init
                .as_deref()
                .unwrap_or(p.value.as_deref().expect("checked"));
            if !secrets.is_empty() {
                class.fields.push(CarriedField {
                    field: name.clone(),
                    key: "secrets",
                    span,
                    value: Ok(StaticValue::Array(
                        secrets.into_iter().map(StaticValue::Str).collect(),
                    )),
                });
            }
            if matches!(init, Expr::Object(o) if o.props.is_empty())
                && class.fields.iter().any(|f| f.key == "secrets")
            {
                return;
            }
            let value = static_value(init, scope, map, file);
            if let Err(why) = &value {
                own(MemberKind::DynamicField, name.clone(), Some(why.clone()));
            }
            class.fields.push(CarriedField {
                field: name,
                key,
                span,
                value,
            });
        }
        ClassMember::AutoAccessor(a) => {
            let name = match &a.key {
                Key::Public(k) => prop_name(k).unwrap_or_else(|| "[computed]".into()),
                Key::Private(k) => format!("#{}", k.name),
            };
            own(MemberKind::Other, format!("accessor {name}"), None)
        }
        ClassMember::TsIndexSignature(_) => {
            own(MemberKind::Other, "[index signature]".into(), None)
        }
    }
}

/// The names `X` of the `X: this.env.X` properties of an `envVars` object, and the object
/// without them (`None` when there were none).
fn split_env_secrets(lit: &ObjectLit) -> (Vec<String>, Option<ObjectLit>) {
    let mut secrets = Vec::new();
    let mut rest = lit.clone();
    rest.props.retain(|prop| {
        let PropOrSpread::Prop(prop) = prop else {
            return true;
        };
        let Prop::KeyValue(kv) = &**prop else {
            return true;
        };
        let (Some(key), Expr::Member(m)) = (prop_name(&kv.key), &*kv.value) else {
            return true;
        };
        let MemberProp::Ident(read) = &m.prop else {
            return true;
        };
        let Expr::Member(env) = &*m.obj else {
            return true;
        };
        let from_env = matches!(&*env.obj, Expr::This(_))
            && matches!(&env.prop, MemberProp::Ident(e) if &*e.sym == "env");
        if from_env && *read.sym == *key && !secrets.contains(&key) {
            secrets.push(key);
            false
        } else {
            true
        }
    });
    let changed = !secrets.is_empty();
    (secrets, changed.then_some(rest))
}

/// The value of `expr` when it is static, else why not.
fn static_value<'m>(
    expr: &'m Expr,
    scope: &Scope<'m>,
    map: syntax::SourceMap,
    file: &str,
) -> Result<StaticValue, String> {
    let mut diagnostics = Vec::new();
    // The evaluation budget is per value here: one hand-written field is one small value.
    let mut shared = eval::Shared::default();
    let value = {
        let mut evaluator = Evaluator::new(scope, map, file, &mut diagnostics, &mut shared);
        evaluator.eval_config(expr)
    };
    if let Some(d) = diagnostics.iter().find(|d| d.is_error()) {
        return Err(d.message.clone());
    }
    to_static(&value)
}

fn to_static(value: &eval::Value) -> Result<StaticValue, String> {
    Ok(match &value.kind {
        Kind::Str(s) => StaticValue::Str(s.clone()),
        Kind::Num(n) if n.is_finite() => StaticValue::Num(*n),
        Kind::Num(_) => return Err("it is not a finite number".into()),
        Kind::Bool(b) => StaticValue::Bool(*b),
        Kind::Null => StaticValue::Null,
        Kind::Undefined => return Err("it is `undefined`".into()),
        Kind::Array(items) => {
            StaticValue::Array(items.iter().map(to_static).collect::<Result<_, _>>()?)
        }
        Kind::Object(props) => StaticValue::Object(
            props
                .iter()
                .map(|p| Ok((p.key.clone(), to_static(&p.value)?)))
                .collect::<Result<_, String>>()?,
        ),
        Kind::Dynamic(d) if d.why.is_empty() => return Err("it cannot be read statically".into()),
        Kind::Dynamic(d) => return Err(d.why.clone()),
    })
}

/// Records every identifier outside import declarations.
struct References {
    map: syntax::SourceMap,
    found: HashMap<String, Vec<Span>>,
}

impl Visit for References {
    fn visit_import_decl(&mut self, _: &swc_ecma_ast::ImportDecl) {}

    fn visit_ident(&mut self, id: &Ident) {
        self.found
            .entry(id.sym.to_string())
            .or_default()
            .push(self.map.span(id.span));
    }
}

/// The idiomatic export name for a hand-written class: a trailing `Container` dropped (when
/// something is left), then lower camel case, a leading acronym lower-cased as one word
/// (`MyContainer` → `my`, `Sandbox` → `sandbox`, `FUSEDemo` → `fuseDemo`, `APIContainer` → `api`,
/// `MyHTTPServer` → `myHTTPServer`). The caller checks it against the export-name rule.
pub fn export_name_for_class(class: &str) -> String {
    let stem = match class.strip_suffix("Container") {
        Some(rest) if !rest.is_empty() => rest,
        _ => class,
    };
    let chars: Vec<char> = stem.chars().collect();
    let upper = chars.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let lower_until = match upper {
        0 => 0,
        n if n == chars.len() => n,
        1 => 1,
        // `FUSEDemo`: the last capital starts the next word when a lower-case letter follows.
        n if chars[n].is_ascii_lowercase() => n - 1,
        n => n,
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < lower_until {
                c.to_ascii_lowercase()
            } else {
                *c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
