//! `containers/ready-port-missing` and `containers/ready-port-undeclared` (warning): the ports
//! `readyOn` probes poll, against the declared ports.
//!
//! A probe without `port` in a container without `defaultPort` has nothing to poll, and every
//! start fails (an error). A probe on a port that is neither `defaultPort` nor in
//! `requiredPorts` works only if the app happens to listen there, since start-up does not wait
//! for that port (a warning). Nothing is said when a port involved cannot be read statically.
//!
//! Invalid:
//! ```ts invalid containers/ready-port-missing
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", readyOn: [{ path: "/ready" }], enableInternet: false });
//! ```
//!
//! ```ts invalid containers/ready-port-undeclared
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: 8080, readyOn: [{ path: "/ready", port: 9090 }], enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: 8080, requiredPorts: [8080, 9090], readyOn: [{ path: "/ready" }, { path: "/admin", port: 9090 }], enableInternet: false });
//! ```

use super::super::Checker;
use super::ready_on::{ProbePort, ProbePortAt};
use crate::codes::{READY_PORT_MISSING, READY_PORT_UNDECLARED};
use lunora_diagnostic::Diagnostic;

fn message_missing(i: usize) -> String {
    format!("`readyOn[{i}]` has no `port` and the container has no `defaultPort`, so the probe has no port to poll")
}

const HELP_MISSING: &str = "set `port` on the probe, or set `defaultPort`";

fn message_undeclared(i: usize, port: u16) -> String {
    format!("`readyOn[{i}]` probes port {port}, which is neither `defaultPort` nor in `requiredPorts`; start-up does not wait for it")
}

fn help_undeclared(port: u16, declared: &[u16]) -> String {
    if declared.is_empty() {
        format!("add `requiredPorts: [{port}]` (or `defaultPort: {port}`)")
    } else {
        let list = |ports: &[u16]| {
            ports
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut with = declared.to_vec();
        with.push(port);
        format!(
            "add {port} to `requiredPorts` (`requiredPorts: [{}]`), or probe one of {}",
            list(&with),
            list(declared)
        )
    }
}

/// What is known about a port field (`defaultPort`) for the `readyOn` port checks.
pub(crate) enum KnownPort {
    Absent,
    Known(u16),
    /// Dynamic or invalid: nothing can be concluded.
    Unknown,
}

/// `readyOn` probes against the declared ports: a probe without `port` in a container without
/// `defaultPort` has nothing to poll, and every start fails (`ready-port-missing`, an error);
/// a probe on a port that is neither `defaultPort` nor in `requiredPorts` works only if the app
/// happens to listen there, since start-up does not wait for that port (`ready-port-undeclared`,
/// a warning). Nothing is said when a port involved cannot be read statically.
pub(crate) fn check(
    c: &mut Checker<'_>,
    probes: &[ProbePortAt],
    default_port: KnownPort,
    required_ports: Option<Option<&[u16]>>,
) {
    for probe in probes {
        let i = probe.index;
        match (&probe.port, &default_port) {
            (ProbePort::Absent, KnownPort::Absent) => c.error_at(
                READY_PORT_MISSING,
                message_missing(i),
                probe.span,
                HELP_MISSING,
            ),
            (ProbePort::Given(port), _) => {
                let port = *port;
                let default = match default_port {
                    KnownPort::Known(p) => Some(p),
                    KnownPort::Absent => None,
                    KnownPort::Unknown => continue,
                };
                let required: &[u16] = match required_ports {
                    None => &[],
                    Some(Some(ports)) => ports,
                    Some(None) => continue,
                };
                if default == Some(port) || required.contains(&port) {
                    continue;
                }
                let mut declared: Vec<u16> = default.into_iter().collect();
                for p in required {
                    if !declared.contains(p) {
                        declared.push(*p);
                    }
                }
                c.diagnostics.push(
                    Diagnostic::warning(READY_PORT_UNDECLARED, message_undeclared(i, port))
                        .with_primary(c.file, probe.span, "")
                        .with_help(help_undeclared(port, &declared)),
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    documented_examples!("ready_ports.rs");
}
