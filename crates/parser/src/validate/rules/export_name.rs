//! `containers/invalid-export-name`: an export name from which no valid class, binding, image
//! tag or directory follows.
//!
//! Catches non-ASCII names, `$`, leading, trailing or doubled `_`, an `Object.prototype` member
//! and a Windows device name (the rules and their sentences are [`crate::check_export_name`]'s,
//! shared with `lunora generate`). Why: the export name becomes the Durable Object class
//! (`AppContainer`), the binding (`CONTAINER_APP`) and the image tag; a name that maps to an
//! invalid or colliding one of those breaks deploy.
//!
//! Invalid:
//! ```ts invalid containers/invalid-export-name
//! import { defineContainer } from "@lunora/container";
//! export const my$app = defineContainer({ image: "./c", enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const myApp = defineContainer({ image: "./c", enableInternet: false });
//! ```

use super::super::Checker;
use crate::codes::INVALID_EXPORT_NAME;
use crate::model::check_export_name;
use lunora_diagnostic::Span;

/// Reports `export_name` (written at `name_span`) when it is not a valid container name.
pub(crate) fn check(c: &mut Checker<'_>, export_name: &str, name_span: Span) {
    if let Err(problem) = check_export_name(export_name) {
        c.error_at(
            INVALID_EXPORT_NAME,
            problem.message,
            name_span,
            problem.help,
        );
    }
}

#[cfg(test)]
mod tests {
    documented_examples!("export_name.rs");
}
