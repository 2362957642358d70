//! `containers/duplicate-name` and `containers/empty-value` for `name`: the wrangler container
//! name is empty, or another container of the file sets the same one.
//!
//! Why: `name` is written as `containers[].name` in `wrangler.jsonc`; Cloudflare identifies a
//! container application by it, so two containers with one name overwrite each other at deploy,
//! and an empty one is rejected.
//!
//! Invalid:
//! ```ts invalid containers/duplicate-name
//! import { defineContainer } from "@lunora/container";
//! export const api = defineContainer({ image: "./a", name: "backend", enableInternet: false });
//! export const worker = defineContainer({ image: "./b", name: "backend", enableInternet: false });
//! ```
//!
//! ```ts invalid containers/empty-value
//! import { defineContainer } from "@lunora/container";
//! export const api = defineContainer({ image: "./a", name: "", enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const api = defineContainer({ image: "./a", name: "backend-api", enableInternet: false });
//! export const worker = defineContainer({ image: "./b", name: "backend-worker", enableInternet: false });
//! ```

use super::super::{example, quoted, AcrossContainers, Checker};
use crate::codes::{DUPLICATE_NAME, EMPTY_VALUE};
use crate::eval::Value;
use lunora_diagnostic::Diagnostic;

const MESSAGE_EMPTY: &str = "`name` is empty";

fn help_empty() -> String {
    format!("write {}, or remove the field", example("name"))
}

fn message_duplicate(export_name: &str, other: &str, name: &str) -> String {
    format!(
        "`{export_name}` and `{other}` both set the wrangler container name {}",
        quoted(name)
    )
}

fn label_first(other: &str) -> String {
    format!("`{other}` sets it here")
}

fn help_duplicate(export_name: &str) -> String {
    format!("give `{export_name}` a `name` of its own, or remove the field to let wrangler name it")
}

/// The `name` of container `export_name` at `value`, or `None` after reporting. Names are
/// remembered in `across` for the containers that follow.
pub(crate) fn check(
    c: &mut Checker<'_>,
    across: &mut AcrossContainers,
    export_name: &str,
    value: &Value,
) -> Option<String> {
    let s = c.string("name", "name", value, true)?;
    if s.trim().is_empty() {
        c.error(EMPTY_VALUE, MESSAGE_EMPTY, value, help_empty());
        return None;
    }
    if let Some((_, other, first)) = across.names.iter().find(|(n, _, _)| n == s) {
        c.diagnostics.push(
            Diagnostic::error(DUPLICATE_NAME, message_duplicate(export_name, other, s))
                .with_primary(c.file, value.span, "")
                .with_secondary(c.file, *first, label_first(other))
                .with_help(help_duplicate(export_name)),
        );
        return None;
    }
    across
        .names
        .push((s.to_string(), export_name.to_string(), value.span));
    Some(s.to_string())
}

#[cfg(test)]
mod tests {
    documented_examples!("name.rs");
}
