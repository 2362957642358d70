//! The mutated-`const` tracking: which module-scope objects the file writes into.

use super::unwrap;
use crate::syntax::SourceMap;
use lunora_diagnostic::Span;
use std::collections::{HashMap, HashSet};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

/// Finds writes into objects held by module-scope names, anywhere in the file.
///
/// Contract: whatever a write's target expression could evaluate to counts as written. The
/// target is followed through parentheses, type assertions, sequences (`(0, cfg).x = 1`),
/// conditionals, logical operators, assignments and optional chains; any other target
/// (`[cfg][0].x`, `pick(cfg).x`) counts every name it mentions. A name passed to a function that
/// is not imported (one declared in this file may write into its argument) counts as written too.
pub(super) struct MutationFinder<'s> {
    pub(super) map: SourceMap,
    pub(super) found: HashMap<String, Span>,
    /// Names imported into the file: calls to them are not followed (the runtime's
    /// `defineContainer` copies its argument and writes nothing).
    pub(super) imports: &'s HashSet<String>,
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
pub(super) fn mentioned(expr: &Expr, out: &mut Vec<String>) {
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
