//! Reads `lunora/containers.ts` statically (swc; the file is never executed) and turns it into
//! validated [`ContainerSpec`]s plus diagnostics. Pure: takes source text, touches no disk.

pub mod model;

pub use model::*;

use lunora_diagnostic::Diagnostic;

/// The result of reading one `containers.ts`.
#[derive(Debug, Clone, Default)]
pub struct ParseOutput {
    /// In source order. Only containers without errors of their own are listed.
    pub containers: Vec<ContainerSpec>,
    /// Errors, warnings and advisor lints (`info`), in source order. Any error means the run
    /// must write nothing.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and validates `source`. `file` is the name used in diagnostics (relative to the
/// project root, e.g. `lunora/containers.ts`). Never panics, whatever the input.
pub fn parse_containers(source: &str, file: &str) -> ParseOutput {
    let _ = (source, file);
    ParseOutput::default()
}

/// What a worker entry module exports, as far as container classes are concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryExports {
    /// `export * from "<specifier>"` specifiers, as written.
    pub star_reexports: Vec<String>,
    /// Names exported as values (`export { A }`, `export { A } from "…"`, `export class A`, …);
    /// `export type` / `export { type A }` are excluded.
    pub value_names: Vec<String>,
}

/// Reads the exports of a worker entry module (TypeScript or JavaScript). A file that does not
/// parse yields the diagnostics and no exports.
pub fn entry_exports(source: &str, file: &str) -> Result<EntryExports, Vec<Diagnostic>> {
    let _ = (source, file);
    Ok(EntryExports::default())
}
