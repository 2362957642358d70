//! `containers/invalid-max-instances`: `maxInstances` that is not a whole number ≥ 1.
//!
//! Why: wrangler writes it as `containers[].max_instances`, which must be a positive integer;
//! `0` or `2.5` would fail at deploy.
//!
//! Invalid:
//! ```ts invalid containers/invalid-max-instances
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", maxInstances: 0, enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", maxInstances: 5, enableInternet: false });
//! ```

use super::super::{is_integer, Checker};
use crate::codes::INVALID_MAX_INSTANCES;
use crate::eval::{number_to_string, Value};
use crate::rules::MAX_INSTANCES_MIN;

fn message(n: f64) -> String {
    format!(
        "`maxInstances` must be a whole number ≥ 1, not {}",
        number_to_string(n)
    )
}

const HELP: &str = "write e.g. `maxInstances: 5`";

/// The `maxInstances` at `value`, or `None` after reporting.
pub(crate) fn check(c: &mut Checker<'_>, value: &Value) -> Option<u32> {
    let n = c.number("maxInstances", "maxInstances", value, true)?;
    if is_integer(n) && n >= MAX_INSTANCES_MIN && n <= f64::from(u32::MAX) {
        Some(n as u32)
    } else {
        c.error(INVALID_MAX_INSTANCES, message(n), value, HELP);
        None
    }
}

#[cfg(test)]
mod tests {
    documented_examples!("max_instances.rs");
}
