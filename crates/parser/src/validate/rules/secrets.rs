//! `containers/duplicate-secret` (warning) and `containers/env-secret-collision`: `secrets`.
//!
//! Catches a secret listed twice, and a name that is both a secret and an `env` entry (names are
//! checked like `env` names, see [`super::string_maps`]). Why: the container gets one value per
//! name; with the same name in `env` and `secrets`, which one wins is not what the file says,
//! and a sensitive value may end up in plain config.
//!
//! Invalid:
//! ```ts invalid containers/duplicate-secret
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", secrets: ["API_KEY", "API_KEY"], enableInternet: false });
//! ```
//!
//! ```ts invalid containers/env-secret-collision
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", env: { API_KEY: "dev" }, secrets: ["API_KEY"], enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", env: { LOG_LEVEL: "info" }, secrets: ["API_KEY"], enableInternet: false });
//! ```

use super::super::Checker;
use crate::codes::{DUPLICATE_SECRET, ENV_SECRET_COLLISION};
use crate::eval::Value;
use lunora_diagnostic::{Diagnostic, Span};
use std::collections::HashMap;

fn message_duplicate(name: &str) -> String {
    format!("secret `{name}` is listed twice")
}

const LABEL_FIRST: &str = "first listed here";
const HELP_DUPLICATE: &str = "remove the duplicate";

fn message_collision(name: &str) -> String {
    format!("`{name}` is both in `env` and in `secrets`")
}

const LABEL_SECRET: &str = "secret";
const LABEL_ENV: &str = "also set in `env`";

fn help_collision(name: &str) -> String {
    format!("keep `{name}` in one place: `secrets` for sensitive values, `env` for plain ones")
}

/// The secrets a container lists, by name, for the collision checks.
#[derive(Default)]
pub(crate) struct Listed {
    /// Where each name is first listed (a map: a scan per name was quadratic, 100,000 secrets
    /// took 21 s).
    pub first: HashMap<String, Span>,
    /// Each name once, in order, with where it is listed.
    pub spans: Vec<(String, Span)>,
}

/// The `secrets` at `value`, or `None` after reporting (or when one is dynamic). What is listed
/// goes into `listed`, also when the list as a whole is rejected.
pub(crate) fn check(
    c: &mut Checker<'_>,
    value: &Value,
    listed: &mut Listed,
) -> Option<Vec<String>> {
    let list = c.string_list("secrets", value, false)?;
    let mut ok = true;
    let mut names = Vec::new();
    for (name, item) in &list {
        if !c.env_name("secrets", name, item.span, "secret") {
            ok = false;
            continue;
        }
        if let Some(first) = listed.first.get(name) {
            c.diagnostics.push(
                Diagnostic::warning(DUPLICATE_SECRET, message_duplicate(name))
                    .with_primary(c.file, item.span, "")
                    .with_secondary(c.file, *first, LABEL_FIRST)
                    .with_help(HELP_DUPLICATE),
            );
            continue;
        }
        listed.first.insert(name.clone(), item.span);
        listed.spans.push((name.clone(), item.span));
        names.push(name.clone());
    }
    ok.then_some(names)
}

/// Reports every listed secret that `env` sets too (`env_first`: where each `env` key is first
/// written).
pub(crate) fn collisions_with_env(
    c: &mut Checker<'_>,
    listed: &Listed,
    env_first: &HashMap<&str, &Span>,
) {
    for (name, span) in &listed.spans {
        if let Some(&env_span) = env_first.get(name.as_str()) {
            c.diagnostics.push(
                Diagnostic::error(ENV_SECRET_COLLISION, message_collision(name))
                    .with_primary(c.file, *span, LABEL_SECRET)
                    .with_secondary(c.file, *env_span, LABEL_ENV)
                    .with_help(help_collision(name)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    documented_examples!("secrets.rs");
}
