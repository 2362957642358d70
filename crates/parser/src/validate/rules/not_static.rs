//! `containers/not-static`: a deploy field (`image`, `instanceType`, `maxInstances`, `name`,
//! `buildArgs`, `rollout`) or the `defineContainer` argument that is not static.
//!
//! Catches a deploy field set from an expression the file's own literals and `const`s cannot
//! decide (an environment variable, a function call, a `let`). Why: these fields are written into
//! `wrangler.jsonc` at codegen, before anything runs; runtime fields may be dynamic and are left
//! to the runtime.
//!
//! Invalid:
//! ```ts invalid containers/not-static
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: process.env.IMAGE, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/not-static
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer(makeConfig());
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! const IMAGE = "./containers/app";
//! export const app = defineContainer({ image: IMAGE, enableInternet: false });
//! ```

use super::super::{example, Checker};
use crate::codes::NOT_STATIC;
use crate::eval::Dynamic;
use lunora_diagnostic::Diagnostic;

fn message(path: &str, why: &str) -> String {
    format!("`{path}` must be static because it is written into wrangler.jsonc: {why}")
}

const LABEL: &str = "not a static value";

fn help(field: &str) -> String {
    format!(
        "write {} (a literal or a `const` declared in this file)",
        example(field)
    )
}

fn message_argument(export_name: &str, why: &str) -> String {
    format!(
        "the argument of `defineContainer` for `{export_name}` cannot be read statically: {why}"
    )
}

/// Also for the argument of `defineContainer` (see [`super::wrong_type`]).
pub(super) const HELP_ARGUMENT: &str =
    "pass an object literal: `defineContainer({ image: \"./containers/<name>\", … })`";

/// Reports the argument of `defineContainer` for `export_name` when it cannot be read
/// statically (unless the evaluator already did).
pub(crate) fn argument(c: &mut Checker<'_>, export_name: &str, d: &Dynamic) {
    if !d.reported {
        c.error_at(
            NOT_STATIC,
            message_argument(export_name, &d.why),
            d.culprit,
            HELP_ARGUMENT,
        );
    }
}

impl Checker<'_> {
    /// Handles a value that is not static. Deploy fields report it (once); runtime fields accept it.
    pub(crate) fn not_static(&mut self, path: &str, field: &str, d: &Dynamic, deploy: bool) {
        if d.reported || !deploy {
            return;
        }
        let mut diag = Diagnostic::error(NOT_STATIC, message(path, &d.why))
            .with_primary(self.file, d.culprit, LABEL);
        if let Some((span, msg)) = &d.related {
            diag = diag.with_secondary(self.file, *span, msg.clone());
        }
        diag = diag.with_help(help(field));
        self.diagnostics.push(diag);
    }
}

#[cfg(test)]
mod tests {
    documented_examples!("not_static.rs");
}
