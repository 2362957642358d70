//! `containers/empty-value` for `pingEndpoint`: an empty or blank health-check path.
//!
//! Why: the runtime would ping the empty path, which no server answers as intended; leaving
//! the field out keeps the default.
//!
//! Invalid:
//! ```ts invalid containers/empty-value
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", pingEndpoint: " ", enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", pingEndpoint: "/healthz", enableInternet: false });
//! ```

use super::super::{example, Checker};
use crate::codes::EMPTY_VALUE;
use crate::eval::Value;

const MESSAGE: &str = "`pingEndpoint` is empty";

fn help() -> String {
    format!("write {}", example("pingEndpoint"))
}

/// The `pingEndpoint` at `value`, or `None` after reporting (or when it is dynamic).
pub(crate) fn check(c: &mut Checker<'_>, value: &Value) -> Option<String> {
    let s = c.string("pingEndpoint", "pingEndpoint", value, false)?;
    if s.trim().is_empty() {
        c.error(EMPTY_VALUE, MESSAGE, value, help());
        return None;
    }
    Some(s.to_string())
}

#[cfg(test)]
mod tests {
    documented_examples!("ping_endpoint.rs");
}
