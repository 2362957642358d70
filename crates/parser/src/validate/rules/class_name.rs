//! `containers/invalid-class-name` and `containers/duplicate-class` for `className`: the Durable
//! Object class a container keeps instead of lunora's `<Export>Container`.
//!
//! Why: `lunora adopt` writes `className` so that a hand-wired class (`Sandbox`) keeps its name,
//! and with it its stored data and its container application, without any migration. The name is
//! declared by the generated module and written into `wrangler.jsonc` as `class_name`, so it must
//! be an identifier that module can declare (not one of its own names, not a reserved word), and
//! two containers cannot share one class.
//!
//! Invalid:
//! ```ts invalid containers/invalid-class-name
//! import { defineContainer } from "@lunora/container";
//! export const sandbox = defineContainer({ image: "./a", className: "my-sandbox", enableInternet: false });
//! ```
//!
//! ```ts invalid containers/duplicate-class
//! import { defineContainer } from "@lunora/container";
//! export const api = defineContainer({ image: "./a", enableInternet: false });
//! export const worker = defineContainer({ image: "./b", className: "ApiContainer", enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const sandbox = defineContainer({ image: "./a", className: "Sandbox", enableInternet: false });
//! ```

use super::super::{quoted, Checker};
use crate::codes::{DUPLICATE_CLASS, INVALID_CLASS_NAME};
use crate::eval::Value;
use lunora_diagnostic::{Diagnostic, Span};

/// Names of the generated module's own bindings, which a class cannot take.
const RESERVED: &[&str] = &["ContainerProxy", "LunoraContainerBase", "definitions"];

fn message_invalid(name: &str) -> String {
    format!(
        "`className` {} is not a class name the generated module can declare",
        quoted(name)
    )
}

const HELP_INVALID: &str = "write an identifier such as `className: \"Sandbox\"` (not ContainerProxy, LunoraContainerBase, definitions or a reserved word), or remove the field";

fn message_duplicate(export_name: &str, other: &str, class: &str) -> String {
    format!("`{export_name}` and `{other}` both have the Durable Object class {class}")
}

fn label_first(other: &str) -> String {
    format!("`{other}`'s class")
}

fn help_duplicate(export_name: &str) -> String {
    format!("give `{export_name}` a `className` of its own, or remove the field")
}

/// Whether `name` is a class name the generated module can declare.
pub fn is_valid(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !RESERVED.contains(&name)
        && !lunora_naming::RESERVED_WORDS.contains(&name)
}

/// The `className` at `value`, or `None` after reporting.
pub(crate) fn check(c: &mut Checker<'_>, value: &Value) -> Option<String> {
    let s = c.string("className", "className", value, true)?;
    if !is_valid(s) {
        c.error(INVALID_CLASS_NAME, message_invalid(s), value, HELP_INVALID);
        return None;
    }
    Some(s.to_string())
}

/// Reports `class` of `export_name` (written at `at`; `explicit`: set by `className`) when a
/// container before it in the file has the same class and one of the two sets it by
/// `className` (two derived classes that collide are `containers/duplicate-binding` already);
/// otherwise remembers it in `seen` for the containers that follow.
pub(crate) fn check_unique(
    c: &mut Checker<'_>,
    seen: &mut Vec<(String, String, Span, bool)>,
    export_name: &str,
    class: &str,
    at: Span,
    explicit: bool,
) -> bool {
    if let Some((_, other, first, _)) = seen
        .iter()
        .find(|(n, _, _, e)| n == class && (explicit || *e))
    {
        c.diagnostics.push(
            Diagnostic::error(
                DUPLICATE_CLASS,
                message_duplicate(export_name, other, class),
            )
            .with_primary(c.file, at, "")
            .with_secondary(c.file, *first, label_first(other))
            .with_help(help_duplicate(export_name)),
        );
        return false;
    }
    seen.push((class.to_string(), export_name.to_string(), at, explicit));
    true
}

#[cfg(test)]
mod tests {
    documented_examples!("class_name.rs");

    #[test]
    fn identifiers_only_and_none_of_the_generated_modules_names() {
        assert!(super::is_valid("Sandbox"));
        assert!(super::is_valid("$Box_2"));
        for bad in [
            "",
            "my-box",
            "2Box",
            "ContainerProxy",
            "definitions",
            "class",
            "Säge",
        ] {
            assert!(!super::is_valid(bad), "{bad}");
        }
    }
}
