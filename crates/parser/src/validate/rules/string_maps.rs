//! `containers/invalid-env-name`, `containers/non-string-value`, and `containers/empty-value`
//! for a key: the string maps `env`, `labels` and `buildArgs`.
//!
//! Catches an `env` or `buildArgs` name (and a `secrets` or `secretsStore` name, which use the
//! same check) not matching `[A-Za-z_][A-Za-z0-9_]*`, a number or boolean where a string
//! belongs, and an empty `labels` key. Why: environment variables and build arguments are
//! strings with shell-safe names; `PORT: 8080` looks right and reaches the container as nothing
//! at all, since the runtime passes strings only.
//!
//! Invalid:
//! ```ts invalid containers/invalid-env-name
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", env: { "LOG-LEVEL": "info" }, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/non-string-value
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", env: { PORT: 8080 }, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/empty-value
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", labels: { "": "media" }, enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", env: { LOG_LEVEL: "info", PORT: "8080" }, labels: { team: "media" }, buildArgs: { NODE_VERSION: "22" }, enableInternet: false });
//! ```

use super::super::{Checker, KeySpans};
use crate::codes::{EMPTY_VALUE, INVALID_ENV_NAME, NON_STRING_VALUE};
use crate::eval::{number_to_string, Kind, Value};
use lunora_diagnostic::Span;
use std::collections::BTreeMap;

fn message_env_name(name: &str, path: &str, what: &str) -> String {
    format!("`{name}` in `{path}` is not a valid {what} name")
}

const HELP_ENV_NAME: &str =
    "use letters, digits and `_`, not starting with a digit (e.g. `API_KEY`)";

fn message_empty_key(field: &str) -> String {
    format!("`{field}` has an empty key")
}

const HELP_EMPTY_KEY: &str = "give the entry a name";

fn message_non_string(path: &str, found: &str) -> String {
    format!("`{path}` must be a string, not {found}")
}

fn help_non_string(key: &str, literal: &str) -> String {
    format!("quote it: `{key}: \"{literal}\"`")
}

/// True for `[A-Za-z_][A-Za-z0-9_]*`.
pub(crate) fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Checker<'_> {
    /// Whether `name` (a key of `path`, at `span`) is a valid `what` name ("variable",
    /// "secret"); reports it when not.
    pub(crate) fn env_name(&mut self, path: &str, name: &str, span: Span, what: &str) -> bool {
        if is_env_name(name) {
            return true;
        }
        self.error_at(
            INVALID_ENV_NAME,
            message_env_name(name, path, what),
            span,
            HELP_ENV_NAME,
        );
        false
    }

    /// A `{ NAME: "value" }` map. `names` checks keys as environment variable names. Returns
    /// `None` unless every entry is static and valid; the key spans are returned for collisions.
    pub(crate) fn string_map(
        &mut self,
        field: &str,
        value: &Value,
        deploy: bool,
        names: bool,
    ) -> (Option<BTreeMap<String, String>>, KeySpans) {
        let Some(props) = self.object(field, field, value, deploy) else {
            return (None, Vec::new());
        };
        let mut map = BTreeMap::new();
        let mut keys = Vec::new();
        let mut complete = true;
        for prop in props {
            keys.push((prop.key.clone(), prop.key_span));
            let path = format!("{field}.{}", prop.key);
            if names {
                complete &= self.env_name(field, &prop.key, prop.key_span, "variable");
            } else if prop.key.trim().is_empty() {
                self.error_at(
                    EMPTY_VALUE,
                    message_empty_key(field),
                    prop.key_span,
                    HELP_EMPTY_KEY,
                );
                complete = false;
            }
            match &prop.value.kind {
                Kind::Str(s) => {
                    map.insert(prop.key.clone(), s.clone());
                }
                // `{ KEY: undefined }` sets nothing, as at runtime.
                Kind::Undefined => {}
                Kind::Num(_) | Kind::Bool(_) => {
                    let literal = match &prop.value.kind {
                        Kind::Num(n) => number_to_string(*n),
                        Kind::Bool(b) => b.to_string(),
                        _ => unreachable!(),
                    };
                    self.error(
                        NON_STRING_VALUE,
                        message_non_string(&path, prop.value.type_name()),
                        &prop.value,
                        help_non_string(&prop.key, &literal),
                    );
                    complete = false;
                }
                Kind::Dynamic(d) => {
                    self.not_static(&path, field, d, deploy);
                    complete = false;
                }
                _ => {
                    self.wrong_type(&path, field, "a string", &prop.value);
                    complete = false;
                }
            }
        }
        (complete.then_some(map), keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    documented_examples!("string_maps.rs");

    #[test]
    fn env_names() {
        for ok in ["A", "_x", "API_KEY2"] {
            assert!(is_env_name(ok), "{ok}");
        }
        for bad in ["", "1X", "A-B", "É"] {
            assert!(!is_env_name(bad), "{bad}");
        }
    }
}
