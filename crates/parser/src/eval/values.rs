//! The values the evaluator produces: each piece with the span where it is written.

use lunora_diagnostic::Span;

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
