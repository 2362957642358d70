//! Static evaluation of the expressions inside `defineContainer({...})`: the "raw" layer.
//!
//! An expression becomes a [`Value`] that keeps the span of every piece, or a [`Dynamic`] that
//! says why it cannot be known without running the file. Problems that are errors wherever they
//! appear (a spread cycle, a mutated `const`, a shorthand naming a `let`) are reported here, once;
//! whether a merely dynamic value is an error depends on the field and is decided in `validate`.

mod numbers;
mod scope;
mod values;
mod writes;

pub(crate) use numbers::number_to_string;
pub(crate) use scope::{imported_name, pat_idents, BindingKind, Scope};
pub(crate) use values::{Dynamic, Kind, Prop, Value};

use crate::codes::*;
use crate::syntax::SourceMap;
use lunora_diagnostic::{Diagnostic, Span};
use std::collections::{HashMap, HashSet};
use swc_common::Spanned;
use swc_ecma_ast::*;

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
