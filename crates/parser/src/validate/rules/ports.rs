//! `containers/invalid-port`, `containers/empty-required-ports`,
//! `containers/default-port-not-required` (warning): `defaultPort` and `requiredPorts`.
//!
//! Catches a port outside the integers 1–65535 (in `defaultPort`, `requiredPorts` or a
//! `readyOn` probe), `requiredPorts: []`, and a `defaultPort` that is not one of the
//! `requiredPorts`. Why: the runtime waits for every required port before a container counts as
//! started, and sends requests to `defaultPort`; an empty list or a default outside the list
//! means start-up does not wait for the port traffic goes to.
//!
//! Invalid:
//! ```ts invalid containers/invalid-port
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: 70000, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/empty-required-ports
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", requiredPorts: [], enableInternet: false });
//! ```
//!
//! ```ts invalid containers/default-port-not-required
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: 8080, requiredPorts: [9090], enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: 8080, requiredPorts: [8080, 9090], enableInternet: false });
//! ```

use super::super::{example, is_integer, Checker};
use crate::codes::{DEFAULT_PORT_NOT_REQUIRED, EMPTY_REQUIRED_PORTS, INVALID_PORT};
use crate::eval::{number_to_string, Value};
use crate::rules::{PORT_MAX, PORT_MIN};
use lunora_diagnostic::Severity;

fn message_invalid(path: &str, n: f64) -> String {
    format!(
        "`{path}` must be an integer port in 1–65535, not {}",
        number_to_string(n)
    )
}

fn help_invalid(field: &str) -> String {
    format!("write a port such as {}", example(field))
}

const MESSAGE_EMPTY: &str = "`requiredPorts` is empty";
const HELP_EMPTY: &str =
    "list at least one port, e.g. `requiredPorts: [8080]`, or remove the field";

fn message_not_required(port: u16) -> String {
    format!("`defaultPort` {port} is not in `requiredPorts`")
}

fn help_not_required(port: u16) -> String {
    format!("add {port} to `requiredPorts`, or make `defaultPort` one of them")
}

impl Checker<'_> {
    /// The port at `path` (in `field`), or `None` after reporting (or when it is dynamic).
    pub(crate) fn port(&mut self, path: &str, field: &str, value: &Value) -> Option<u16> {
        let n = self.number(path, field, value, false)?;
        if is_integer(n) && (PORT_MIN..=PORT_MAX).contains(&n) {
            Some(n as u16)
        } else {
            self.error(
                INVALID_PORT,
                message_invalid(path, n),
                value,
                help_invalid(field),
            );
            None
        }
    }
}

/// The `requiredPorts` at `value`, or `None` after reporting (or when one is dynamic).
pub(crate) fn required_ports(c: &mut Checker<'_>, value: &Value) -> Option<Vec<u16>> {
    let items = c.array("requiredPorts", "requiredPorts", value, false)?;
    if items.is_empty() {
        c.error(EMPTY_REQUIRED_PORTS, MESSAGE_EMPTY, value, HELP_EMPTY);
        return None;
    }
    let mut ports = Vec::new();
    let mut complete = true;
    for (i, item) in items.iter().enumerate() {
        match c.port(&format!("requiredPorts[{i}]"), "requiredPorts", item) {
            Some(port) => ports.push(port),
            None => complete = false,
        }
    }
    complete.then_some(ports)
}

/// Warns when `default_port` (written at `value`) is not one of `required`.
pub(crate) fn default_port_in_required(
    c: &mut Checker<'_>,
    default_port: u16,
    required: &[u16],
    value: &Value,
) {
    if !required.contains(&default_port) {
        c.report(
            Severity::Warning,
            DEFAULT_PORT_NOT_REQUIRED,
            message_not_required(default_port),
            value,
            Some(help_not_required(default_port)),
        );
    }
}

#[cfg(test)]
mod tests {
    documented_examples!("ports.rs");
}
