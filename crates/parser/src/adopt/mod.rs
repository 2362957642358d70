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

use crate::comments::leading_comments;
pub use crate::comments::comments_in;
pub use types::{
    CarriedField, Comment, ExportStatement, HandWrittenClass, ImportDecl, ImportName, MemberKind,
    OwnCode, StaticValue, WorkerModule,
};

/// The module the hand-written classes extend `Container` from.
pub const CLOUDFLARE_CONTAINERS_MODULE: &str = "@cloudflare/containers";

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

    // Local names of `Container` from @cloudflare/containers, and namespace imports of it.
    let mut direct: Vec<String> = Vec::new();
    let mut namespaces: Vec<String> = Vec::new();
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
            let (local, named) = match spec {
                ImportSpecifier::Named(n) => (&n.local, true),
                ImportSpecifier::Default(d) => (&d.local, false),
                ImportSpecifier::Namespace(n) => (&n.local, false),
            };
            decl.specifiers.push(ImportName {
                local: local.sym.to_string(),
                span: map.span(spec.span()),
                named,
            });
            if module_name != CLOUDFLARE_CONTAINERS_MODULE || import.type_only {
                continue;
            }
            match spec {
                ImportSpecifier::Named(n) if !n.is_type_only => {
                    let imported = match &n.imported {
                        Some(ModuleExportName::Ident(id)) => id.sym.to_string(),
                        Some(ModuleExportName::Str(s)) => s.value.to_atom_lossy().to_string(),
                        None => n.local.sym.to_string(),
                    };
                    if imported == "Container" {
                        direct.push(n.local.sym.to_string());
                    }
                }
                ImportSpecifier::Namespace(ns) => namespaces.push(ns.local.sym.to_string()),
                _ => {}
            }
        }
        out.imports.push(decl);
    }

    for item in &module.body {
        if let ModuleItem::ModuleDecl(ModuleDecl::ExportAll(all)) = item {
            if !all.type_only {
                out.star_exports.push((
                    all.src.value.to_atom_lossy().to_string(),
                    map.span(all.span),
                ));
            }
        }
    }
    let mut refs = References {
        map,
        found: HashMap::new(),
    };
    module.visit_with(&mut refs);
    out.references = refs.found;

    if direct.is_empty() && namespaces.is_empty() {
        return Ok(out);
    }
    let extends_container = |expr: &Expr| match eval::unwrap(expr) {
        Expr::Ident(id) => direct.iter().any(|d| *d == *id.sym),
        Expr::Member(m) => {
            matches!(&m.prop, MemberProp::Ident(p) if &*p.sym == "Container")
                && matches!(eval::unwrap(&m.obj), Expr::Ident(o) if namespaces.iter().any(|n| *n == *o.sym))
        }
        _ => false,
    };

    // Names exported by `export { X }` / `export { X as Y }` / `export default X`.
    let mut separately: Vec<String> = Vec::new();
    for item in &module.body {
        match item {
            ModuleItem::ModuleDecl(ModuleDecl::ExportNamed(n)) if n.src.is_none() => {
                for spec in &n.specifiers {
                    if let ExportSpecifier::Named(ExportNamedSpecifier {
                        orig: ModuleExportName::Ident(id),
                        ..
                    }) = spec
                    {
                        separately.push(id.sym.to_string());
                    }
                }
            }
            ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(e)) => {
                if let Expr::Ident(id) = eval::unwrap(&e.expr) {
                    separately.push(id.sym.to_string());
                }
            }
            _ => {}
        }
    }

    let scope = Scope::collect(&module, map);
    for item in &module.body {
        let (class_decl, exported_inline, statement) = match item {
            ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ExportDecl {
                decl: Decl::Class(c),
                span,
            })) => (c, true, *span),
            ModuleItem::Stmt(Stmt::Decl(Decl::Class(c))) => (c, false, c.class.span),
            _ => continue,
        };
        if class_decl.declare {
            continue;
        }
        let Some(superclass) = &class_decl.class.super_class else {
            continue;
        };
        if !extends_container(superclass) {
            continue;
        }
        let name = class_decl.ident.sym.to_string();
        let statement_span = map.span(statement);
        let mut class = HandWrittenClass {
            exported_separately: separately.contains(&name),
            name,
            name_span: map.span(class_decl.ident.span),
            statement_span,
            exported_inline,
            leading_comments: leading_comments(source, statement_span.start as usize),
            inner_comments: comments_in(source, statement_span),
            fields: Vec::new(),
            own_code: Vec::new(),
        };
        for d in &class_decl.class.decorators {
            class.own_code.push(OwnCode {
                kind: MemberKind::Decorator,
                name: "@decorator".into(),
                span: map.span(d.span),
                why: None,
            });
        }
        for member in &class_decl.class.body {
            read_member(member, &scope, map, file, &mut class);
        }
        out.classes.push(class);
    }
    Ok(out)
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
mod tests {
    use super::*;

    #[test]
    fn export_names_for_hand_written_classes() {
        for (class, export) in [
            ("MyContainer", "my"),
            ("Sandbox", "sandbox"),
            ("FUSEDemo", "fuseDemo"),
            ("APIContainer", "api"),
            ("MyHTTPServer", "myHTTPServer"),
            ("HTTPServerContainer", "httpServer"),
            ("Container", "container"),
            ("XContainer", "x"),
            ("S3Sync", "s3Sync"),
            ("TranscoderContainer", "transcoder"),
        ] {
            assert_eq!(export_name_for_class(class), export, "{class}");
        }
    }

    const TEMPLATE: &str = r#"import { Container, getContainer, getRandom } from "@cloudflare/containers";
import { Hono } from "hono";

const PORT = 8080;

// The container class.
export class MyContainer extends Container<Env> {
  // Port the container listens on (default: 8080)
  defaultPort = PORT;
  // Time before container sleeps due to inactivity (default: 30s)
  sleepAfter = "2m";
  // Environment variables passed to the container
  envVars = {
    MESSAGE: "I was passed in via the container class!",
  };

  // Optional lifecycle hooks
  override onStart() {
    console.log("Container successfully started");
  }

  override onStop() {
    console.log("Container successfully shut down");
  }
}

export class Plain extends Container {
  defaultPort = 3000;
  enableInternet = false;
  entrypoint = ["node", "server.js"] as const;
}

class NotAContainer {}

export default {
  fetch: (r: Request, env: Env) => getContainer(env.MY_CONTAINER).fetch(r),
};
"#;

    #[test]
    fn reads_the_cloudflare_template() {
        let m = hand_written_classes(TEMPLATE, "src/index.ts").unwrap();
        assert_eq!(m.classes.len(), 2);
        let c = &m.classes[0];
        assert_eq!(c.name, "MyContainer");
        assert!(c.exported_inline && !c.exported_separately);
        let fields: Vec<(&str, &StaticValue)> = c
            .fields
            .iter()
            .map(|f| (f.key, f.value.as_ref().unwrap()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("defaultPort", &StaticValue::Num(8080.0)),
                ("sleepAfter", &StaticValue::Str("2m".into())),
                (
                    "env",
                    &StaticValue::Object(vec![(
                        "MESSAGE".into(),
                        StaticValue::Str("I was passed in via the container class!".into())
                    )])
                ),
            ]
        );
        let own: Vec<(&str, MemberKind)> = c
            .own_code
            .iter()
            .map(|o| (o.name.as_str(), o.kind))
            .collect();
        assert_eq!(
            own,
            vec![("onStart", MemberKind::Hook), ("onStop", MemberKind::Hook)]
        );
        assert_eq!(c.leading_comments.len(), 1);
        assert_eq!(c.leading_comments[0].text, "// The container class.");
        assert!(c
            .inner_comments
            .iter()
            .any(|k| k.text == "// Optional lifecycle hooks"));
        assert!(
            &TEMPLATE[c.statement_span.start as usize..].starts_with("export class MyContainer")
        );
        assert!(TEMPLATE[..c.statement_span.end as usize].ends_with(");\n  }\n}"));

        let p = &m.classes[1];
        assert!(p.own_code.is_empty(), "{:?}", p.own_code);
        assert_eq!(p.fields.len(), 3);
        // `Container` is used only by the classes; `getContainer` elsewhere too.
        let outside = |name: &str| {
            m.references[name].iter().any(|s| {
                !m.classes
                    .iter()
                    .any(|c| c.statement_span.start <= s.start && s.end <= c.statement_span.end)
            })
        };
        assert!(!outside("Container"));
        assert!(outside("getContainer"));
        assert!(!m.references.contains_key("getRandom"));
        assert_eq!(m.imports[0].specifiers.len(), 3);
    }

    #[test]
    fn dynamic_values_constructors_and_aliases_are_own_code() {
        let src = r#"import * as cf from "@cloudflare/containers";
import { Container as Base } from "@cloudflare/containers";
let port = 1;
export class A extends cf.Container {
  defaultPort = port;
  envVars = { TOKEN: this.env.TOKEN };
  manualStart = true;
  constructor(ctx: any, env: any) { super(ctx, env); }
  static x = 1;
  #secret = 2;
  get status() { return 1; }
}
class B extends Base {}
export { B };
class C extends Other {}
"#;
        let m = hand_written_classes(src, "w.ts").unwrap();
        assert_eq!(m.classes.len(), 2);
        let a = &m.classes[0];
        let kinds: Vec<MemberKind> = a.own_code.iter().map(|o| o.kind).collect();
        assert_eq!(
            kinds,
            vec![
                MemberKind::DynamicField,
                MemberKind::DynamicField,
                MemberKind::Field,
                MemberKind::Constructor,
                MemberKind::Static,
                MemberKind::Private,
                MemberKind::Getter
            ]
        );
        assert!(a.own_code[0].why.as_deref().unwrap().contains("`let`"));
        let b = &m.classes[1];
        assert!(!b.exported_inline && b.exported_separately);
    }

    #[test]
    fn a_module_that_does_not_parse_is_an_error() {
        assert!(hand_written_classes("export class {", "w.ts").is_err());
    }
}
