//! `containers/secrets-store-collision` and `containers/invalid-binding-name`: `secretsStore`.
//!
//! Catches a variable set by `secretsStore` and also by `env` or `secrets`, and a Secrets Store
//! binding name that is not an identifier (variable names are checked like `env` names, see
//! [`super::string_maps`]). Why: a variable needs one source, and the binding name becomes a
//! property of the Worker's `env`, so it must be a valid name there.
//!
//! Invalid:
//! ```ts invalid containers/secrets-store-collision
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", env: { STRIPE_KEY: "test" }, secretsStore: { STRIPE_KEY: "STRIPE_SECRET" }, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/invalid-binding-name
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", secretsStore: { STRIPE_KEY: "stripe-secret" }, enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", secretsStore: { STRIPE_KEY: "STRIPE_SECRET" }, enableInternet: false });
//! ```

use super::super::{quoted, Checker};
use super::string_maps::is_env_name;
use crate::codes::{INVALID_BINDING_NAME, SECRETS_STORE_COLLISION};
use crate::eval::Value;
use lunora_diagnostic::{Diagnostic, Span};
use std::collections::{BTreeMap, HashMap};

fn message_collision(key: &str, field: &str) -> String {
    format!("`{key}` is set by `secretsStore` and by {field}")
}

fn label_collision(field: &str) -> String {
    format!("also set in {field}")
}

fn help_collision(field: &str) -> String {
    format!("give the variable one source; rename it in `secretsStore` or remove it from {field}")
}

fn message_binding(path: &str, binding: &str) -> String {
    format!("`{path}` is not a valid binding name: {}", quoted(binding))
}

const HELP_BINDING: &str =
    "name the Secrets Store binding with letters, digits and `_`, e.g. \"STRIPE_SECRET\"";

/// The `secretsStore` at `value`, or `None` after reporting (or when part of it is dynamic).
/// `env_first` and `secret_first` say where `env` and `secrets` set each name.
pub(crate) fn check(
    c: &mut Checker<'_>,
    value: &Value,
    env_first: &HashMap<&str, &Span>,
    secret_first: &HashMap<String, Span>,
) -> Option<BTreeMap<String, String>> {
    let props = c.object("secretsStore", "secretsStore", value, false)?;
    let mut map = BTreeMap::new();
    let mut complete = true;
    for prop in props {
        complete &= c.env_name("secretsStore", &prop.key, prop.key_span, "variable");
        let other = env_first
            .get(prop.key.as_str())
            .map(|&s| (s, "`env`"))
            .or_else(|| secret_first.get(&prop.key).map(|s| (s, "`secrets`")));
        if let Some((span, field)) = other {
            c.diagnostics.push(
                Diagnostic::error(SECRETS_STORE_COLLISION, message_collision(&prop.key, field))
                    .with_primary(c.file, prop.key_span, "")
                    .with_secondary(c.file, *span, label_collision(field))
                    .with_help(help_collision(field)),
            );
            complete = false;
        }
        let path = format!("secretsStore.{}", prop.key);
        match c.string(&path, "secretsStore", &prop.value, false) {
            Some(binding) if is_env_name(binding) => {
                map.insert(prop.key.clone(), binding.to_string());
            }
            Some(binding) => {
                c.error(
                    INVALID_BINDING_NAME,
                    message_binding(&path, binding),
                    &prop.value,
                    HELP_BINDING,
                );
                complete = false;
            }
            None => complete = false,
        }
    }
    complete.then_some(map)
}

#[cfg(test)]
mod tests {
    documented_examples!("secrets_store.rs");
}
