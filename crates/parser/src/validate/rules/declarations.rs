//! `containers/ignored-definition` (warning), `containers/invalid-declaration`,
//! `containers/invalid-call` and `containers/duplicate-binding`: how a container is declared.
//!
//! A container is a top-level `export const <name> = defineContainer({ … })`, with
//! `defineContainer` imported from `@lunora/container` (under any alias). Catches a
//! `defineContainer` call that is not exported, is declared with `let`/`var`, is exported by a
//! separate `export { … }`, or calls an alias lunora does not follow (a warning: it is not a
//! container); a call bound to a destructuring pattern; a call with other than one argument; and
//! two exports that map to one `CONTAINER_*` binding. Why: codegen reads the file without
//! running it, so only this form is a container, and each container's binding must be its own.
//!
//! Invalid:
//! ```ts invalid containers/ignored-definition
//! import { defineContainer } from "@lunora/container";
//! const app = defineContainer({ image: "./c", enableInternet: false });
//! ```
//!
//! ```ts invalid containers/invalid-declaration
//! import { defineContainer } from "@lunora/container";
//! export const [app] = defineContainer({ image: "./c", enableInternet: false });
//! ```
//!
//! ```ts invalid containers/invalid-call
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c" }, { enableInternet: false });
//! ```
//!
//! ```ts invalid containers/duplicate-binding
//! import { defineContainer } from "@lunora/container";
//! export const imageResizer = defineContainer({ image: "./a", enableInternet: false });
//! export const image_resizer = defineContainer({ image: "./b", enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer as container } from "@lunora/container";
//! export const imageResizer = container({ image: "./a", enableInternet: false });
//! ```

/// "`app` calls `dc`, which <why>, so it is not a container".
pub(crate) fn message_rejected_alias(export_name: &str, alias: &str, why: &str) -> String {
    format!("`{export_name}` calls `{alias}`, which {why}, so it is not a container")
}

pub(crate) fn help_rejected_alias(alias: &str) -> String {
    format!(
        "declare the alias once with `const {alias} = defineContainer;`, or call `defineContainer` directly"
    )
}

pub(crate) const MESSAGE_PATTERN: &str = "a container must be bound to a single name";
pub(crate) const HELP_PATTERN: &str = "write `export const <name> = defineContainer({ … })`";

/// `what`: why the declaration is not a container's, e.g. "not exported".
pub(crate) fn message_not_exported(export_name: &str, what: &str) -> String {
    format!("`{export_name}` is {what}, so it is not a container")
}

pub(crate) fn help_not_exported(export_name: &str) -> String {
    format!("write `export const {export_name} = defineContainer({{ … }})`")
}

pub(crate) fn message_duplicate_binding(export_name: &str, first: &str, binding: &str) -> String {
    format!("`{export_name}` and `{first}` both map to the binding `{binding}`")
}

pub(crate) fn label_first_binding(first: &str) -> String {
    format!("`{first}` is declared here")
}

pub(crate) fn help_duplicate_binding(export_name: &str, first: &str) -> String {
    format!("rename `{export_name}` so its binding differs from `{first}`")
}

pub(crate) const MESSAGE_CALL: &str = "`defineContainer` takes exactly one object argument";
pub(crate) const HELP_CALL: &str = "write `defineContainer({ image: \"./containers/<name>\", … })`";

#[cfg(test)]
mod tests {
    documented_examples!("declarations.rs");
}
