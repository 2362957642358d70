//! What [`super::hand_written_classes`] reads from a worker module: the classes, their carried
//! fields, the rest of their code, the module's imports, with spans.

use lunora_diagnostic::Span;
use std::collections::HashMap;

/// A statically known value of a class field.
#[derive(Debug, Clone, PartialEq)]
pub enum StaticValue {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Array(Vec<StaticValue>),
    /// Keys in source order.
    Object(Vec<(String, StaticValue)>),
}

/// A field of a hand-written class that lunora's definition has a key for.
#[derive(Debug, Clone, PartialEq)]
pub struct CarriedField {
    /// The class field as written (`envVars`).
    pub field: String,
    /// The `defineContainer` key it becomes (`env`).
    pub key: &'static str,
    /// The whole member (`envVars = { … };`).
    pub span: Span,
    /// `Err(why)` when the value is not static.
    pub value: Result<StaticValue, String>,
}

/// What a member of a hand-written class is, when lunora cannot carry it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    Constructor,
    /// `onStart`, `onStop`, `onError`, `onActivityExpired`.
    Hook,
    Method,
    Getter,
    Setter,
    /// A field lunora has no key for (`manualStart`, a field of the user's own).
    Field,
    /// A field lunora has a key for, whose value only the running code knows.
    DynamicField,
    /// A field declared without a value.
    Declaration,
    Static,
    Private,
    Decorator,
    Other,
}

impl MemberKind {
    pub fn describe(self) -> &'static str {
        match self {
            MemberKind::Constructor => "constructor",
            MemberKind::Hook => "lifecycle hook",
            MemberKind::Method => "method",
            MemberKind::Getter => "getter",
            MemberKind::Setter => "setter",
            MemberKind::Field => "field lunora has no setting for",
            MemberKind::DynamicField => "field with a value known only at run time",
            MemberKind::Declaration => "field declared without a value",
            MemberKind::Static => "static member",
            MemberKind::Private => "private member",
            MemberKind::Decorator => "decorator",
            MemberKind::Other => "member",
        }
    }
}

/// A part of a hand-written class that `lunora adopt` cannot carry over into a definition.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnCode {
    pub kind: MemberKind,
    /// The member's name (`onStart`, `constructor`, `#secret`, …).
    pub name: String,
    pub span: Span,
    /// For a dynamic field: why its value is not static.
    pub why: Option<String>,
}

pub use crate::comments::Comment;

/// One `class X extends Container` of a worker module.
#[derive(Debug, Clone, PartialEq)]
pub struct HandWrittenClass {
    pub name: String,
    pub name_span: Span,
    /// The whole statement, `export` included.
    pub statement_span: Span,
    /// `export class X` (a named export in the statement itself).
    pub exported_inline: bool,
    /// Exported by a separate `export { X }` (or `export default X`).
    pub exported_separately: bool,
    /// Every name the module exports the class under, in source order: its own (`export class
    /// X`), aliases (`export { X as Y }`), `default`.
    pub exported_as: Vec<String>,
    /// The module that declares it, when that is not the worker entry (set by the caller that
    /// followed the entry's re-exports to it; `None` from [`super::hand_written_classes`]).
    pub declared_in: Option<String>,
    /// The comment lines directly above the statement (its doc comment).
    pub leading_comments: Vec<Comment>,
    /// Comments inside the statement.
    pub inner_comments: Vec<Comment>,
    /// Fields lunora's definition has keys for, in source order.
    pub fields: Vec<CarriedField>,
    /// Everything else, in source order. Empty means the class is fully described by `fields`.
    pub own_code: Vec<OwnCode>,
}

/// One import declaration of the module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportDecl {
    pub module: String,
    pub span: Span,
    pub type_only: bool,
    /// `{ a, b as c }` specifiers; default and namespace imports are listed with `named: false`.
    pub specifiers: Vec<ImportName>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportName {
    pub local: String,
    /// The name the other module exports it under: `default` for a default import, `*` for a
    /// namespace import.
    pub imported: String,
    pub span: Span,
    /// Inside `{ … }`.
    pub named: bool,
}

/// What `lunora adopt` needs to know about a worker module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkerModule {
    pub classes: Vec<HandWrittenClass>,
    pub imports: Vec<ImportDecl>,
    /// Every identifier written in the module outside import declarations (declarations, uses
    /// and type references), by name: an import is unused once none of these is left.
    pub references: HashMap<String, Vec<Span>>,
    /// `export * from "<specifier>"` statements (not `export type *`), with their spans.
    pub star_exports: Vec<(String, Span)>,
    /// Value names the module exports from another module: `export { I as E } from "m"`, and
    /// `export { L as E }` / `export default L` of a name `L` it imports (not type-only).
    pub re_exports: Vec<ReExport>,
    /// Classes that extend something other than `Container`, with what they extend.
    pub other_classes: Vec<OtherClass>,
    /// For a class the worker config names but no module of the worker declares as a container
    /// class: why, with the file and line (filled by the caller that followed the re-exports).
    pub unresolved: HashMap<String, String>,
}

/// `export { imported as exported } from "module"` (or its import-then-export spelling).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReExport {
    pub exported: String,
    /// `default` for a default export of the other module.
    pub imported: String,
    pub module: String,
    pub span: Span,
}

/// A class declaration whose superclass is not `Container` from a containers package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherClass {
    pub name: String,
    pub name_span: Span,
    pub exported_as: Vec<String>,
    /// The superclass as written (`Base`, `DurableObject`), and the module it is imported from.
    pub extends: Option<(String, Option<String>)>,
}

/// A top-level `export const …` statement (of `lunora/containers.ts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportStatement {
    /// The names it declares, in order.
    pub names: Vec<String>,
    /// The whole statement, `export` and `;` included.
    pub span: Span,
}
