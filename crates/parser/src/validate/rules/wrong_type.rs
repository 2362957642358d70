//! `containers/wrong-type`: a value of the wrong type (a string where a number belongs, …).
//!
//! Catches a static value whose type the field does not take, anywhere in the definition. Why:
//! wrangler and the runtime would reject it or, worse, coerce it; the message says what the
//! field takes and the help what to write.
//!
//! Invalid:
//! ```ts invalid containers/wrong-type
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: "8080", enableInternet: false });
//! ```
//!
//! ```ts invalid containers/wrong-type
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer("./containers/app");
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: 8080, enableInternet: false });
//! ```

use super::super::{example, Checker};
use crate::codes::WRONG_TYPE;
use crate::eval::Value;

fn message(path: &str, expected: &str, found: &str) -> String {
    format!("`{path}` must be {expected}, not {found}")
}

fn help(field: &str) -> String {
    format!("write {}", example(field))
}

fn message_argument(found: &str) -> String {
    format!("`defineContainer` takes an object, not {found}")
}

/// Reports an argument of `defineContainer` that is a static value other than an object.
pub(crate) fn argument(c: &mut Checker<'_>, config: &Value) {
    c.error(
        WRONG_TYPE,
        message_argument(config.type_name()),
        config,
        super::not_static::HELP_ARGUMENT,
    );
}

impl Checker<'_> {
    /// Reports that `value` at `path` (in `field`) is not `expected` ("a number", "an array", …).
    pub(crate) fn wrong_type(&mut self, path: &str, field: &str, expected: &str, value: &Value) {
        self.error(
            WRONG_TYPE,
            message(path, expected, value.type_name()),
            value,
            help(field),
        );
    }
}

#[cfg(test)]
mod tests {
    documented_examples!("wrong_type.rs");
}
