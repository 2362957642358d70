//! Static evaluation of the expressions inside `defineContainer({...})`: the "raw" layer.
//!
//! An expression becomes a [`Value`] that keeps the span of every piece, or a [`Dynamic`] that
//! says why it cannot be known without running the file. Problems that are errors wherever they
//! appear (a spread cycle, a mutated `const`, a shorthand naming a `let`) are reported here, once;
//! whether a merely dynamic value is an error depends on the field and is decided in `validate`.

use crate::codes::*;
use crate::syntax::SourceMap;
use lunora_diagnostic::{Diagnostic, Span};
use std::collections::{HashMap, HashSet};
use swc_common::Spanned;
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

/// A statically read value with the span where it is written.
#[derive(Debug, Clone)]
pub(crate) struct Value {
    pub kind: Kind,
    /// Where the value is written; for a `const` reference, the reference.
    pub span: Span,
    /// For a value reached through `const` references: the literal in the declaration.
    pub origin: Option<Span>,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Undefined,
    Array(Vec<Value>),
    Object(Vec<Prop>),
    Dynamic(Dynamic),
}

#[derive(Debug, Clone)]
pub(crate) struct Prop {
    pub key: String,
    pub key_span: Span,
    pub value: Value,
}

/// Why a value is not statically known.
#[derive(Debug, Clone)]
pub(crate) struct Dynamic {
    /// The part of the expression that is not static (the call, the `let` reference, …).
    pub culprit: Span,
    /// Completes "…is not static: <why>".
    pub why: String,
    /// An error about this value was already reported; do not report it again.
    pub reported: bool,
    /// Related place (the `let` declaration, the mutation), shown as a secondary label.
    pub related: Option<(Span, String)>,
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Str(_) => "a string",
            Kind::Num(_) => "a number",
            Kind::Bool(_) => "a boolean",
            Kind::Null => "null",
            Kind::Undefined => "undefined",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
            Kind::Dynamic(_) => "a dynamic expression",
        }
    }
}

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
    fn describe(self) -> &'static str {
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
                    for spec in &import.specifiers {
                        let local = match spec {
                            ImportSpecifier::Named(n) => &n.local,
                            ImportSpecifier::Default(d) => &d.local,
                            ImportSpecifier::Namespace(n) => &n.local,
                        };
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

/// Finds writes into objects held by module-scope names, anywhere in the file.
///
/// Contract: whatever a write's target expression could evaluate to counts as written. The
/// target is followed through parentheses, type assertions, sequences (`(0, cfg).x = 1`),
/// conditionals, logical operators, assignments and optional chains; any other target
/// (`[cfg][0].x`, `pick(cfg).x`) counts every name it mentions. A name passed to a function that
/// is not imported (one declared in this file may write into its argument) counts as written too.
struct MutationFinder<'s> {
    map: SourceMap,
    found: HashMap<String, Span>,
    /// Names imported into the file: calls to them are not followed (the runtime's
    /// `defineContainer` copies its argument and writes nothing).
    imports: &'s HashSet<String>,
}

impl MutationFinder<'_> {
    /// `for (cfg.x of …)`: the loop writes into `cfg.x` on every turn.
    fn for_head(&mut self, head: &ForHead, span: swc_common::Span) {
        if let ForHead::Pat(pat) = head {
            if let Pat::Expr(expr) = &**pat {
                if let Expr::Member(m) = unwrap(expr) {
                    self.record(&m.obj, span);
                }
            }
        }
    }

    fn record(&mut self, target: &Expr, span: swc_common::Span) {
        let mut roots = Vec::new();
        written_roots(target, &mut roots);
        let span = self.map.span(span);
        for name in roots {
            self.found.entry(name).or_insert(span);
        }
    }
}

/// The names whose objects `expr` may evaluate to (or hold).
fn written_roots(expr: &Expr, out: &mut Vec<String>) {
    match unwrap(expr) {
        Expr::Ident(id) => out.push(id.sym.to_string()),
        Expr::Member(m) => written_roots(&m.obj, out),
        Expr::OptChain(o) => match &*o.base {
            OptChainBase::Member(m) => written_roots(&m.obj, out),
            OptChainBase::Call(_) => mentioned(expr, out),
        },
        Expr::Seq(s) => {
            if let Some(last) = s.exprs.last() {
                written_roots(last, out);
            }
        }
        Expr::Cond(c) => {
            written_roots(&c.cons, out);
            written_roots(&c.alt, out);
        }
        Expr::Bin(b)
            if matches!(
                b.op,
                BinaryOp::LogicalOr | BinaryOp::LogicalAnd | BinaryOp::NullishCoalescing
            ) =>
        {
            written_roots(&b.left, out);
            written_roots(&b.right, out);
        }
        Expr::Assign(a) => written_roots(&a.right, out),
        Expr::Lit(_) | Expr::Tpl(_) => {}
        other => mentioned(other, out),
    }
}

/// Every name an expression mentions.
fn mentioned(expr: &Expr, out: &mut Vec<String>) {
    struct Names<'o>(&'o mut Vec<String>);
    impl Visit for Names<'_> {
        fn visit_ident(&mut self, id: &Ident) {
            self.0.push(id.sym.to_string());
        }
    }
    expr.visit_with(&mut Names(out));
}

const MUTATING_METHODS: &[&str] = &[
    "push",
    "pop",
    "shift",
    "unshift",
    "splice",
    "sort",
    "reverse",
    "fill",
    "copyWithin",
];

impl Visit for MutationFinder<'_> {
    fn visit_assign_expr(&mut self, n: &AssignExpr) {
        match &n.left {
            AssignTarget::Simple(SimpleAssignTarget::Member(m)) => self.record(&m.obj, n.span),
            AssignTarget::Simple(SimpleAssignTarget::OptChain(o)) => {
                self.record(&Expr::OptChain(o.clone()), n.span)
            }
            AssignTarget::Simple(SimpleAssignTarget::Paren(p)) => self.record(&p.expr, n.span),
            AssignTarget::Pat(p) => {
                // `({ a: cfg.x } = …)`, `[cfg.x] = …`: every object a pattern writes into.
                struct Targets<'f, 's>(&'f mut MutationFinder<'s>, swc_common::Span);
                impl Visit for Targets<'_, '_> {
                    fn visit_member_expr(&mut self, m: &MemberExpr) {
                        self.0.record(&m.obj, self.1);
                    }
                }
                p.visit_with(&mut Targets(self, n.span));
            }
            _ => {}
        }
        n.visit_children_with(self);
    }

    fn visit_for_of_stmt(&mut self, n: &ForOfStmt) {
        self.for_head(&n.left, n.span);
        n.visit_children_with(self);
    }

    fn visit_for_in_stmt(&mut self, n: &ForInStmt) {
        self.for_head(&n.left, n.span);
        n.visit_children_with(self);
    }

    fn visit_update_expr(&mut self, n: &UpdateExpr) {
        if let Expr::Member(m) = unwrap(&n.arg) {
            self.record(&m.obj, n.span);
        }
        n.visit_children_with(self);
    }

    fn visit_unary_expr(&mut self, n: &UnaryExpr) {
        if n.op == UnaryOp::Delete {
            match unwrap(&n.arg) {
                Expr::Member(m) => self.record(&m.obj, n.span),
                Expr::OptChain(o) => {
                    if let OptChainBase::Member(m) = &*o.base {
                        self.record(&m.obj, n.span)
                    }
                }
                _ => {}
            }
        }
        n.visit_children_with(self);
    }

    fn visit_opt_call(&mut self, n: &OptCall) {
        // `cfg.list?.push(x)`: a mutating method called through an optional chain.
        let member = match unwrap(&n.callee) {
            Expr::Member(m) => Some(m),
            Expr::OptChain(o) => match &*o.base {
                OptChainBase::Member(m) => Some(m),
                OptChainBase::Call(_) => None,
            },
            _ => None,
        };
        if let Some(m) = member {
            if matches!(&m.prop, MemberProp::Ident(p) if MUTATING_METHODS.contains(&p.sym.as_ref()))
            {
                self.record(&m.obj, n.span);
            }
        }
        n.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, n: &CallExpr) {
        if let Callee::Expr(callee) = &n.callee {
            match unwrap(callee) {
                Expr::Member(m) => {
                    let method = match &m.prop {
                        MemberProp::Ident(p) => Some(p.sym.as_ref()),
                        _ => None,
                    };
                    // By method name, whatever the object (`const O = Object; O.assign(cfg, …)`).
                    let writes_first_arg = matches!(
                        method,
                        Some(
                            "assign"
                                | "defineProperty"
                                | "defineProperties"
                                | "setPrototypeOf"
                                | "set"
                                | "deleteProperty"
                        )
                    );
                    if matches!(method, Some("call" | "apply" | "bind")) {
                        // `Array.prototype.push.call(cfg.list, …)`: any argument may be written.
                        for arg in &n.args {
                            self.record(&arg.expr, n.span);
                        }
                    } else if writes_first_arg {
                        if let Some(first) = n.args.first() {
                            self.record(&first.expr, n.span);
                        }
                    } else if method.is_some_and(|m| MUTATING_METHODS.contains(&m)) {
                        self.record(&m.obj, n.span);
                    }
                }
                Expr::Ident(f) if !self.imports.contains(f.sym.as_ref()) => {
                    for arg in &n.args {
                        self.record(&arg.expr, n.span);
                    }
                }
                Expr::Fn(_) | Expr::Arrow(_) => {
                    for arg in &n.args {
                        self.record(&arg.expr, n.span);
                    }
                }
                _ => {}
            }
        }
        n.visit_children_with(self);
    }
}

/// Strips what does not change a value: parentheses, `as`, `satisfies`, `as const`, `<T>x`, `x!`.
pub(crate) fn unwrap(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Paren(p) => &p.expr,
            Expr::TsAs(a) => &a.expr,
            Expr::TsSatisfies(s) => &s.expr,
            Expr::TsConstAssertion(c) => &c.expr,
            Expr::TsTypeAssertion(t) => &t.expr,
            Expr::TsNonNull(n) => &n.expr,
            Expr::TsInstantiation(i) => &i.expr,
            _ => return expr,
        }
    }
}

/// Values past which evaluating one file stops with [`EVALUATION_TOO_LARGE`]: no real
/// configuration comes close, and constants that spread or repeat each other can otherwise
/// describe values of exponential size in a few lines.
pub(crate) const MAX_VALUES: u64 = 1_000_000;
/// Bytes of strings past which evaluating one file stops with [`EVALUATION_TOO_LARGE`].
pub(crate) const MAX_STRING_BYTES: u64 = 16 << 20;
/// Evaluation steps (expressions visited) past which evaluating one file stops.
pub(crate) const MAX_STEPS: u64 = 10_000_000;
/// Nesting of an evaluated value, counting the constants it goes through, past which
/// evaluation stops with [`TOO_DEEPLY_NESTED`].
pub(crate) const MAX_VALUE_DEPTH: u32 = 1000;

/// One `const` evaluated once, reused by every later reference.
struct Evaluated<'m> {
    value: Value,
    /// A spread in it could not be read (only tracked for the `defineContainer` argument).
    incomplete: bool,
    /// Diagnostics its evaluation reported, repeated for each container that uses it (so that
    /// container counts as having errors; [`crate::finish`] drops the repeats).
    diagnostics: Vec<Diagnostic>,
    /// How deep `value` is, in evaluation levels.
    depth: u32,
    /// Size of `value`, charged again for every copy.
    values: u64,
    string_bytes: u64,
    _name: std::marker::PhantomData<&'m ()>,
}

/// State shared by the evaluations of one file: evaluated `const`s and the size budget.
#[derive(Default)]
pub(crate) struct Shared<'m> {
    evaluated: HashMap<(&'m str, bool), Evaluated<'m>>,
    values: u64,
    string_bytes: u64,
    steps: u64,
    /// The budget ran out; the error that said so (repeated for every later container).
    exhausted: Option<Diagnostic>,
}

/// Evaluates expressions of one file against its module scope; reports into `diagnostics`.
pub(crate) struct Evaluator<'a, 'm> {
    pub scope: &'a Scope<'m>,
    pub map: SourceMap,
    pub file: &'a str,
    pub diagnostics: &'a mut Vec<Diagnostic>,
    shared: &'a mut Shared<'m>,
    /// `const` names being resolved, outermost first, to detect cycles.
    stack: Vec<&'m str>,
    /// Current evaluation depth, and the deepest reached (for [`Evaluated::depth`]).
    depth: u32,
    deepest: u32,
    /// A spread in the `defineContainer` object could not be read, so the object may lack keys
    /// it has at runtime; "missing field" errors would be noise.
    pub incomplete: bool,
}

impl<'a, 'm> Evaluator<'a, 'm> {
    pub fn new(
        scope: &'a Scope<'m>,
        map: SourceMap,
        file: &'a str,
        diagnostics: &'a mut Vec<Diagnostic>,
        shared: &'a mut Shared<'m>,
    ) -> Self {
        Evaluator {
            scope,
            map,
            file,
            diagnostics,
            shared,
            stack: Vec::new(),
            depth: 0,
            deepest: 0,
            incomplete: false,
        }
    }

    /// Charges `values` values and `string_bytes` bytes of strings to the file's budget;
    /// `false` (after reporting, once per file) when it is exhausted.
    fn charge(&mut self, values: u64, string_bytes: u64, at: Span) -> bool {
        if self.shared.exhausted.is_some() {
            return false;
        }
        self.shared.values += values;
        self.shared.string_bytes += string_bytes;
        let over = if self.shared.values > MAX_VALUES {
            format!("more than {MAX_VALUES} values")
        } else if self.shared.string_bytes > MAX_STRING_BYTES {
            format!("more than {} MiB of strings", MAX_STRING_BYTES >> 20)
        } else if self.shared.steps > MAX_STEPS {
            format!("more than {MAX_STEPS} evaluation steps")
        } else {
            return true;
        };
        let d = Diagnostic::error(
            EVALUATION_TOO_LARGE,
            format!("reading this value statically takes {over}, so lunora stops here"),
        )
        .with_primary(self.file, at, "")
        .with_help(
            "a container's configuration is small: look for constants that spread, repeat or substitute each other many times",
        );
        self.diagnostics.push(d.clone());
        self.shared.exhausted = Some(d);
        false
    }

    /// Repeats the budget error for a container evaluated after the budget ran out; `true`
    /// when it did.
    pub fn report_exhausted(&mut self) -> bool {
        match &self.shared.exhausted {
            Some(d) => {
                self.diagnostics.push(d.clone());
                true
            }
            None => false,
        }
    }

    fn dynamic(&self, culprit: Span, why: impl Into<String>) -> Kind {
        Kind::Dynamic(Dynamic {
            culprit,
            why: why.into(),
            reported: false,
            related: None,
        })
    }

    fn reported(culprit: Span) -> Kind {
        Kind::Dynamic(Dynamic {
            culprit,
            why: String::new(),
            reported: true,
            related: None,
        })
    }

    fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Evaluates `expr`. `top_level` marks the object passed to `defineContainer`, where a spread
    /// that cannot be read is an error (it could hide deploy fields).
    pub fn eval_config(&mut self, expr: &'m Expr) -> Value {
        self.eval_inner(expr, true)
    }

    fn eval_inner(&mut self, expr: &'m Expr, top_level: bool) -> Value {
        let expr = unwrap(expr);
        let span = self.map.span(expr.span());
        self.shared.steps += 1;
        if !self.charge(1, 0, span) {
            return Value {
                kind: Self::reported(span),
                span,
                origin: None,
            };
        }
        if self.depth >= MAX_VALUE_DEPTH {
            self.error(too_deep(self.file, span));
            return Value {
                kind: Self::reported(span),
                span,
                origin: None,
            };
        }
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
        let value = self.eval_expr(expr, span, top_level);
        self.depth -= 1;
        value
    }

    fn eval_expr(&mut self, expr: &'m Expr, span: Span, top_level: bool) -> Value {
        let kind = match expr {
            Expr::Lit(lit) => match lit {
                Lit::Str(s) => {
                    let text = s.value.to_atom_lossy().to_string();
                    if !self.charge(0, text.len() as u64, span) {
                        Self::reported(span)
                    } else {
                        Kind::Str(text)
                    }
                }
                Lit::Num(n) => Kind::Num(n.value),
                Lit::Bool(b) => Kind::Bool(b.value),
                Lit::Null(_) => Kind::Null,
                Lit::BigInt(_) => self.dynamic(span, "BigInt values are not supported here"),
                Lit::Regex(_) => self.dynamic(span, "a regular expression is not a plain value"),
                _ => self.dynamic(span, "this literal is not a plain value"),
            },
            Expr::Tpl(tpl) => return self.eval_template(tpl, span),
            Expr::Unary(u) if matches!(u.op, UnaryOp::Minus | UnaryOp::Plus) => {
                let inner = self.eval_inner(&u.arg, false);
                match inner.kind {
                    Kind::Num(n) => {
                        return Value {
                            kind: Kind::Num(if u.op == UnaryOp::Minus { -n } else { n }),
                            span,
                            origin: inner.origin,
                        }
                    }
                    Kind::Dynamic(d) => Kind::Dynamic(d),
                    _ => self.dynamic(span, "only numbers can be negated statically"),
                }
            }
            // `(a, b)` is `b` when what comes before it has no effect (literals, names).
            Expr::Seq(seq)
                if seq.exprs[..seq.exprs.len().saturating_sub(1)]
                    .iter()
                    .all(|e| matches!(unwrap(e), Expr::Lit(_) | Expr::Ident(_))) =>
            {
                match seq.exprs.last() {
                    Some(last) => return self.eval_inner(last, top_level),
                    None => self.dynamic(span, "it is computed when the file runs"),
                }
            }
            Expr::Ident(id) => return self.eval_ident(id, span, false, top_level),
            Expr::Array(arr) => self.eval_array(arr, span),
            Expr::Object(obj) => self.eval_object(obj, top_level),
            Expr::Call(_) | Expr::New(_) => {
                self.dynamic(span, "it is computed by a call when the file runs")
            }
            Expr::Member(_) | Expr::OptChain(_) => self.dynamic(
                span,
                "property reads are not evaluated; write the value itself",
            ),
            Expr::Fn(_) | Expr::Arrow(_) => self.dynamic(span, "it is a function"),
            Expr::Await(_) => self.dynamic(span, "it is awaited when the file runs"),
            Expr::Cond(_) | Expr::Bin(_) => {
                self.dynamic(span, "expressions are not evaluated; write the result")
            }
            _ => self.dynamic(span, "it is computed when the file runs"),
        };
        Value {
            kind,
            span,
            origin: None,
        }
    }

    fn eval_template(&mut self, tpl: &'m Tpl, span: Span) -> Value {
        let mut out = String::new();
        for (i, quasi) in tpl.quasis.iter().enumerate() {
            match &quasi.cooked {
                Some(cooked) => out.push_str(&cooked.to_atom_lossy()),
                None => {
                    let kind = self.dynamic(span, "the template literal has an invalid escape");
                    return Value {
                        kind,
                        span,
                        origin: None,
                    };
                }
            }
            if let Some(expr) = tpl.exprs.get(i) {
                let value = self.eval_inner(expr, false);
                let piece = match value.kind {
                    Kind::Str(s) => s,
                    Kind::Num(n) => number_to_string(n),
                    Kind::Bool(b) => (if b { "true" } else { "false" }).to_string(),
                    Kind::Dynamic(d) => {
                        return Value {
                            kind: Kind::Dynamic(d),
                            span,
                            origin: None,
                        }
                    }
                    _ => {
                        let kind = self.dynamic(
                            value.span,
                            "only strings and numbers are substituted statically",
                        );
                        return Value {
                            kind,
                            span,
                            origin: None,
                        };
                    }
                };
                // The substituted string was charged already; the copy made here is new.
                if !self.charge(0, piece.len() as u64, span) {
                    return Value {
                        kind: Self::reported(span),
                        span,
                        origin: None,
                    };
                }
                out.push_str(&piece);
            }
        }
        Value {
            kind: Kind::Str(out),
            span,
            origin: None,
        }
    }

    /// Resolves a module-scope name. `shorthand` is `{ name }` inside an object.
    fn eval_ident(&mut self, id: &'m Ident, span: Span, shorthand: bool, top_level: bool) -> Value {
        let name: &'m str = &id.sym;
        let kind = match name {
            "undefined" => Kind::Undefined,
            "NaN" => Kind::Num(f64::NAN),
            "Infinity" => Kind::Num(f64::INFINITY),
            _ => {
                if let Some(&(init, decl_span)) = self.scope.consts.get(name) {
                    if let Some(&mutation) = self.scope.mutated.get(name) {
                        self.error(
                            Diagnostic::error(MUTATED_CONST, format!("`{name}` is modified elsewhere in this file"))
                                .with_primary(self.file, span, "its value here cannot be trusted")
                                .with_secondary(self.file, mutation, "modified here")
                                .with_help(format!(
                                    "write the final value in the declaration of `{name}` and remove the modification"
                                )),
                        );
                        Self::reported(span)
                    } else if self.stack.contains(&name) {
                        self.error(
                            Diagnostic::error(
                                CYCLIC_REFERENCE,
                                format!("`{name}` refers back to itself"),
                            )
                            .with_primary(self.file, span, "cycle closes here")
                            .with_secondary(self.file, decl_span, "declared here")
                            .with_help(
                                "break the cycle: one of these constants must hold a literal value",
                            ),
                        );
                        Self::reported(span)
                    } else {
                        let inner = match self.evaluated(name, init, top_level, span) {
                            Some(inner) => inner,
                            None => {
                                return Value {
                                    kind: Self::reported(span),
                                    span,
                                    origin: None,
                                }
                            }
                        };
                        let kind = match inner.kind {
                            // Point at the reference (near the container); the declaration is context.
                            Kind::Dynamic(d) if !d.reported => Kind::Dynamic(Dynamic {
                                culprit: span,
                                why: format!("`{name}` is not static: {}", d.why),
                                reported: false,
                                related: Some((d.culprit, "not static here".to_string())),
                            }),
                            kind => kind,
                        };
                        return Value {
                            origin: inner.origin.or(Some(inner.span)),
                            kind,
                            span,
                        };
                    }
                } else if let Some(&(kind, decl_span)) = self.scope.others.get(name) {
                    if shorthand && matches!(kind, BindingKind::Let | BindingKind::Var) {
                        self.error(
                            Diagnostic::error(
                                MUTABLE_BINDING,
                                format!("`{name}` is {}", kind.describe()),
                            )
                            .with_primary(self.file, span, "its value can change before it is read")
                            .with_secondary(self.file, decl_span, "declared here")
                            .with_help(format!("declare `{name}` with `const`")),
                        );
                        Self::reported(span)
                    } else {
                        Kind::Dynamic(Dynamic {
                            culprit: span,
                            why: format!("`{name}` is {}", kind.describe()),
                            reported: false,
                            related: Some((decl_span, "declared here".to_string())),
                        })
                    }
                } else {
                    self.dynamic(
                        span,
                        format!("`{name}` is not declared at the top level of this file"),
                    )
                }
            }
        };
        Value {
            kind,
            span,
            origin: None,
        }
    }

    /// The value of the module-scope `const name = init`, evaluated the first time it is
    /// needed and copied for every later reference (`None` when the copy does not fit the
    /// budget or the depth limit; reported).
    fn evaluated(
        &mut self,
        name: &'m str,
        init: &'m Expr,
        top_level: bool,
        at: Span,
    ) -> Option<Value> {
        if !self.shared.evaluated.contains_key(&(name, top_level)) {
            let diagnostics_before = self.diagnostics.len();
            let (incomplete_before, deepest_before) = (self.incomplete, self.deepest);
            self.incomplete = false;
            self.deepest = self.depth;
            self.stack.push(name);
            let value = self.eval_inner(init, top_level);
            self.stack.pop();
            let mut seen = HashSet::new();
            let diagnostics: Vec<Diagnostic> = self.diagnostics[diagnostics_before..]
                .iter()
                .filter(|d| {
                    seen.insert((
                        d.code.clone(),
                        d.primary_label().map(|l| l.span),
                        d.message.clone(),
                    ))
                })
                .cloned()
                .collect();
            let (values, string_bytes) = size_of(&value);
            let entry = Evaluated {
                value,
                incomplete: self.incomplete,
                diagnostics,
                depth: self.deepest - self.depth,
                values,
                string_bytes,
                _name: std::marker::PhantomData,
            };
            self.incomplete |= incomplete_before;
            self.deepest = self.deepest.max(deepest_before);
            let value = entry.value.clone();
            self.shared.evaluated.insert((name, top_level), entry);
            return Some(value);
        }
        let entry = &self.shared.evaluated[&(name, top_level)];
        let (values, bytes, depth) = (entry.values, entry.string_bytes, entry.depth);
        if self.depth + depth > MAX_VALUE_DEPTH {
            self.error(too_deep(self.file, at));
            return None;
        }
        if !self.charge(values, bytes, at) {
            return None;
        }
        let entry = &self.shared.evaluated[&(name, top_level)];
        let value = entry.value.clone();
        self.incomplete |= entry.incomplete;
        let repeated = entry.diagnostics.clone();
        self.diagnostics.extend(repeated);
        self.deepest = self.deepest.max(self.depth + depth);
        Some(value)
    }

    fn eval_array(&mut self, arr: &'m ArrayLit, span: Span) -> Kind {
        let mut items = Vec::with_capacity(arr.elems.len());
        for elem in &arr.elems {
            let Some(elem) = elem else {
                items.push(Value {
                    kind: Kind::Undefined,
                    span,
                    origin: None,
                });
                continue;
            };
            let value = self.eval_inner(&elem.expr, false);
            if elem.spread.is_some() {
                match value.kind {
                    Kind::Array(inner) => items.extend(inner),
                    Kind::Dynamic(d) => return Kind::Dynamic(d),
                    _ => {
                        return self.dynamic(value.span, "only arrays can be spread into an array")
                    }
                }
            } else {
                items.push(value);
            }
        }
        Kind::Array(items)
    }

    fn eval_object(&mut self, obj: &'m ObjectLit, top_level: bool) -> Kind {
        // `index`: key → position in `props`; `direct` marks keys written in this literal (not
        // spread in).
        let mut props: Vec<Prop> = Vec::with_capacity(obj.props.len());
        let mut index: HashMap<String, usize> = HashMap::with_capacity(obj.props.len());
        let mut direct: HashMap<String, Span> = HashMap::new();
        let mut dynamic: Option<Dynamic> = None;
        for prop in &obj.props {
            let (key, key_span, value) = match prop {
                PropOrSpread::Spread(spread) => {
                    let value = self.eval_inner(&spread.expr, false);
                    match value.kind {
                        Kind::Object(inner) => {
                            for p in inner {
                                upsert(&mut props, &mut index, p);
                            }
                        }
                        Kind::Null | Kind::Undefined => {}
                        Kind::Dynamic(d) => {
                            if top_level {
                                self.incomplete = true;
                                if !d.reported {
                                    let mut diag = Diagnostic::error(
                                        NON_STATIC_SPREAD,
                                        "this spread cannot be read statically, so it could hide deploy fields",
                                    )
                                    .with_primary(self.file, d.culprit, d.why.clone());
                                    if let Some((s, m)) = &d.related {
                                        diag = diag.with_secondary(self.file, *s, m.clone());
                                    }
                                    self.error(diag.with_help(
                                        "spread only a `const` object literal declared in this file, or write the fields out",
                                    ));
                                }
                            } else if dynamic.is_none() {
                                dynamic = Some(d);
                            }
                        }
                        _ => {
                            self.error(
                                Diagnostic::error(
                                    WRONG_TYPE,
                                    format!("cannot spread {} into an object", value.type_name()),
                                )
                                .with_primary(self.file, value.span, "")
                                .with_help("spread only a `const` object literal"),
                            );
                        }
                    }
                    continue;
                }
                PropOrSpread::Prop(prop) => match &**prop {
                    swc_ecma_ast::Prop::Shorthand(id) => {
                        let span = self.map.span(id.span);
                        let value = self.eval_ident(id, span, true, false);
                        (id.sym.to_string(), span, value)
                    }
                    swc_ecma_ast::Prop::KeyValue(kv) if is_proto_setter(&kv.key) => {
                        // `__proto__: v` (not computed) sets the prototype; it is no field.
                        let value = self.eval_inner(&kv.value, false);
                        match value.kind {
                            Kind::Object(_) | Kind::Array(_) => {
                                let span = self.map.span(kv.key.span());
                                self.error(
                                    Diagnostic::error(
                                        NOT_STATIC,
                                        "`__proto__:` here sets the object's prototype, so its fields would be inherited, not its own",
                                    )
                                    .with_primary(self.file, span, "sets the prototype")
                                    .with_help("write the fields into the object itself; for a field named `__proto__`, write `[\"__proto__\"]: …`"),
                                );
                                if dynamic.is_none() {
                                    dynamic = Some(Dynamic {
                                        culprit: span,
                                        why: String::new(),
                                        reported: true,
                                        related: None,
                                    });
                                }
                            }
                            Kind::Dynamic(d) => {
                                if dynamic.is_none() {
                                    dynamic = Some(d);
                                }
                            }
                            // null or a primitive: JavaScript ignores it (null: no prototype).
                            _ => {}
                        }
                        continue;
                    }
                    swc_ecma_ast::Prop::KeyValue(kv) => {
                        let Some((key, key_span)) = self.prop_key(&kv.key) else {
                            continue;
                        };
                        (key, key_span, self.eval_inner(&kv.value, false))
                    }
                    // Accessors and methods are code, not data: a located "not static" value.
                    swc_ecma_ast::Prop::Method(_)
                    | swc_ecma_ast::Prop::Getter(_)
                    | swc_ecma_ast::Prop::Setter(_) => {
                        let (prop_key, span, reason) = match &**prop {
                            swc_ecma_ast::Prop::Method(m) => {
                                (&m.key, m.function.span, "it is a method")
                            }
                            swc_ecma_ast::Prop::Getter(g) => (&g.key, g.span, "it is a getter"),
                            swc_ecma_ast::Prop::Setter(s) => (&s.key, s.span, "it is a setter"),
                            _ => unreachable!("matched above"),
                        };
                        let Some((key, key_span)) = self.prop_key(prop_key) else {
                            continue;
                        };
                        let span = self.map.span(span);
                        let kind = self.dynamic(span, reason);
                        (
                            key,
                            key_span,
                            Value {
                                kind,
                                span,
                                origin: None,
                            },
                        )
                    }
                    swc_ecma_ast::Prop::Assign(a) => {
                        let span = self.map.span(a.span);
                        let kind = self.dynamic(span, "this is not a valid property");
                        (
                            a.key.sym.to_string(),
                            span,
                            Value {
                                kind,
                                span,
                                origin: None,
                            },
                        )
                    }
                },
            };
            if let Some(first) = direct.insert(key.clone(), key_span) {
                self.error(
                    Diagnostic::warning(
                        DUPLICATE_KEY,
                        format!("`{key}` is set twice in this object; the last one wins"),
                    )
                    .with_primary(self.file, key_span, "this value is used")
                    .with_secondary(self.file, first, "this one is ignored")
                    .with_help(format!("remove one of the `{key}` entries")),
                );
            }
            upsert(
                &mut props,
                &mut index,
                Prop {
                    key,
                    key_span,
                    value,
                },
            );
        }
        match dynamic {
            Some(d) => Kind::Dynamic(d),
            None => Kind::Object(props),
        }
    }

    /// The static name of a property key; reports and returns `None` for a computed key that
    /// is not static.
    fn prop_key(&mut self, key: &'m PropName) -> Option<(String, Span)> {
        let span = self.map.span(key.span());
        let name = match key {
            PropName::Ident(id) => id.sym.to_string(),
            PropName::Str(s) => s.value.to_atom_lossy().to_string(),
            PropName::Num(n) => number_to_string(n.value),
            PropName::BigInt(b) => b.value.to_string(),
            PropName::Computed(c) => {
                let value = self.eval_inner(&c.expr, false);
                match value.kind {
                    Kind::Str(s) => s,
                    Kind::Num(n) => number_to_string(n),
                    Kind::Dynamic(d) if d.reported => return None,
                    _ => {
                        self.error(
                            Diagnostic::error(
                                COMPUTED_KEY,
                                "this computed key cannot be read statically",
                            )
                            .with_primary(self.file, span, "")
                            .with_help(
                                "write the key as a plain name or a string, e.g. `sleepAfter: …`",
                            ),
                        );
                        return None;
                    }
                }
            }
        };
        Some((name, span))
    }
}

/// Inserts or replaces (last wins, like JavaScript; the first position is kept). `index` maps
/// each key of `props` to its position.
fn upsert(props: &mut Vec<Prop>, index: &mut HashMap<String, usize>, prop: Prop) {
    match index.get(&prop.key) {
        Some(&at) => props[at] = prop,
        None => {
            index.insert(prop.key.clone(), props.len());
            props.push(prop);
        }
    }
}

/// Values and string bytes in `value`: what a copy of it costs.
fn size_of(value: &Value) -> (u64, u64) {
    match &value.kind {
        Kind::Str(s) => (1, s.len() as u64),
        Kind::Array(items) => items
            .iter()
            .map(size_of)
            .fold((1, 0), |(v, b), (iv, ib)| (v + iv, b + ib)),
        Kind::Object(props) => props.iter().fold((1, 0), |(v, b), p| {
            let (iv, ib) = size_of(&p.value);
            (v + iv, b + ib + p.key.len() as u64)
        }),
        _ => (1, 0),
    }
}

fn too_deep(file: &str, at: Span) -> Diagnostic {
    Diagnostic::error(
        TOO_DEEPLY_NESTED,
        format!(
            "this value is nested more than {MAX_VALUE_DEPTH} levels deep, counting the constants it refers to"
        ),
    )
    .with_primary(file, at, "")
    .with_help("flatten the value: a container's configuration needs only a few levels")
}

/// Whether a non-computed key is `__proto__`, which in an object literal sets the prototype
/// instead of making a field.
fn is_proto_setter(key: &PropName) -> bool {
    match key {
        PropName::Ident(id) => id.sym == "__proto__",
        PropName::Str(s) => &*s.value.to_atom_lossy() == "__proto__",
        _ => false,
    }
}

/// JavaScript's `String(n)` (Number::toString), exactly: the shortest digits that round-trip,
/// positional from 1e-6 up to (not including) 1e21, exponential (`1e+21`, `1.5e-7`) outside.
pub(crate) fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_string();
    }
    if n == 0.0 {
        return "0".to_string();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    if n < 0.0 {
        return format!("-{}", number_to_string(-n));
    }
    // Rust's `{:e}` gives the shortest round-trip digits: `d[.ddd]e<exp>`.
    let sci = format!("{n:e}");
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("{:e} exponent is an integer");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let point = exp + 1; // ECMAScript's n: the decimal point's position after the first digit
    if k <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - k) as usize))
    } else if 0 < point && point <= 21 {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let sign = if point - 1 < 0 { '-' } else { '+' };
        let e = (point - 1).abs();
        if k == 1 {
            format!("{digits}e{sign}{e}")
        } else {
            format!("{}.{}e{sign}{e}", &digits[..1], &digits[1..])
        }
    }
}

#[cfg(test)]
mod number_tests {
    use super::number_to_string;

    /// Expected strings are what `String(n)` gives in Node.
    #[test]
    fn numbers_print_as_javascript_prints_them() {
        for (n, js) in [
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1.5e21, "1.5e+21"),
            (0.1, "0.1"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (-2.5, "-2.5"),
            (8080.0, "8080"),
            (0.000123, "0.000123"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (-0.0, "0"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
            (123.456, "123.456"),
            (0.1 + 0.2, "0.30000000000000004"),
        ] {
            assert_eq!(number_to_string(n), js, "{n:?}");
        }
    }
}
