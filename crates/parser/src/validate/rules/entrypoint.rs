//! `containers/empty-entrypoint` and `containers/empty-value` for `entrypoint`: an empty
//! command, or an empty or blank argument.
//!
//! Why: `entrypoint: []` replaces the image's ENTRYPOINT/CMD with nothing, so the container has
//! no process to start; an empty argument is passed to the program as `""` and is almost always
//! a leftover.
//!
//! Invalid:
//! ```ts invalid containers/empty-entrypoint
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", entrypoint: [], enableInternet: false });
//! ```
//!
//! ```ts invalid containers/empty-value
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", entrypoint: ["node", ""], enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", entrypoint: ["node", "server.mjs"], enableInternet: false });
//! ```

use super::super::Checker;
use crate::codes::{EMPTY_ENTRYPOINT, EMPTY_VALUE};
use crate::eval::{Kind, Value};

const MESSAGE_EMPTY: &str = "`entrypoint` is empty";
const HELP_EMPTY: &str =
    "write the command, e.g. `entrypoint: [\"node\", \"server.mjs\"]`, or remove the field";

fn message_empty_argument(i: usize, part: &str) -> String {
    format!(
        "`entrypoint[{i}]` is {}",
        if part.is_empty() { "empty" } else { "blank" }
    )
}

const HELP_EMPTY_ARGUMENT: &str =
    "remove it, or write the argument, e.g. `entrypoint: [\"node\", \"server.mjs\"]`";

/// The `entrypoint` at `value`, or `None` after reporting (or when part of it is dynamic).
pub(crate) fn check(c: &mut Checker<'_>, value: &Value) -> Option<Vec<String>> {
    if matches!(&value.kind, Kind::Array(items) if items.is_empty()) {
        c.error(EMPTY_ENTRYPOINT, MESSAGE_EMPTY, value, HELP_EMPTY);
        return None;
    }
    let list = c.string_list("entrypoint", value, false)?;
    let mut ok = true;
    for (i, (part, item)) in list.iter().enumerate() {
        if part.trim().is_empty() {
            c.error(
                EMPTY_VALUE,
                message_empty_argument(i, part),
                item,
                HELP_EMPTY_ARGUMENT,
            );
            ok = false;
        }
    }
    ok.then(|| list.into_iter().map(|(s, _)| s).collect())
}

#[cfg(test)]
mod tests {
    documented_examples!("entrypoint.rs");
}
