//! `containers/missing-ready-path`, `containers/invalid-ready-status`,
//! `containers/padded-value`, and `containers/empty-value` for a path: the `readyOn` probes.
//!
//! Catches a probe without `path`, an empty path or one with leading or trailing whitespace, and
//! a `status` outside 100–599 (a `port` is checked like any port, see [`super::ports`]). Why: the
//! runtime polls each probe until it answers with the status; a probe that cannot be right makes
//! every start time out. How the probe ports relate to the declared ports is
//! [`super::ready_ports`].
//!
//! Invalid:
//! ```ts invalid containers/missing-ready-path
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: 8080, readyOn: [{ status: 204 }], enableInternet: false });
//! ```
//!
//! ```ts invalid containers/invalid-ready-status
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: 8080, readyOn: [{ path: "/ready", status: 99 }], enableInternet: false });
//! ```
//!
//! ```ts invalid containers/padded-value
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: 8080, readyOn: [{ path: "/ready " }], enableInternet: false });
//! ```
//!
//! ```ts invalid containers/empty-value
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: 8080, readyOn: [{ path: "" }], enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", defaultPort: 8080, readyOn: [{ path: "/ready" }, { path: "live", status: 204 }], enableInternet: false });
//! ```

use super::super::{is_integer, quoted, Checker, RangeError};
use crate::codes::{EMPTY_VALUE, INVALID_READY_STATUS, MISSING_READY_PATH, PADDED_VALUE};
use crate::eval::{number_to_string, Kind, Value};
use crate::model::ReadyProbe;
use crate::rules::{READY_PROBE_KEYS, READY_STATUS_MAX, READY_STATUS_MIN};
use lunora_diagnostic::Span;

fn message_empty_path(path: &str) -> String {
    format!("`{path}` is empty")
}

const HELP_EMPTY_PATH: &str = "write the path to probe, e.g. `{ path: \"/ready\" }`";

fn message_padded(path: &str, written: &str) -> String {
    format!(
        "`{path}` has leading or trailing whitespace: {}",
        quoted(written)
    )
}

fn help_padded(written: &str) -> String {
    format!("write {}", quoted(written.trim()))
}

fn message_status(path: &str, n: f64) -> String {
    format!(
        "`{path}` must be an HTTP status code in 100–599, not {}",
        number_to_string(n)
    )
}

const HELP_STATUS: &str = "write e.g. `status: 204`";

fn message_missing_path(probe: &str) -> String {
    format!("`{probe}` has no `path`")
}

const HELP_MISSING_PATH: &str = "write e.g. `{ path: \"/ready\" }`";

/// The port a `readyOn` probe polls, as far as it can be read.
pub(crate) enum ProbePort {
    /// `port` written as a valid static port.
    Given(u16),
    /// No `port`: the probe polls `defaultPort`.
    Absent,
    /// Dynamic or invalid (already reported): nothing can be concluded.
    Unknown,
}

/// One probe's port, with the span to report port problems at (the `port` value, else the probe).
pub(crate) struct ProbePortAt {
    pub index: usize,
    pub port: ProbePort,
    pub span: Span,
}

/// Validates `readyOn`. Returns the probes when every one is static and valid, plus what is
/// known about each probe's port (for the checks against `defaultPort` and `requiredPorts`).
pub(crate) fn check(
    c: &mut Checker<'_>,
    value: &Value,
) -> (Option<Vec<ReadyProbe>>, Vec<ProbePortAt>) {
    let mut ports = Vec::new();
    let Some(items) = c.array("readyOn", "readyOn", value, false) else {
        return (None, ports);
    };
    let mut probes = Vec::with_capacity(items.len());
    let mut complete = true;
    for (i, item) in items.iter().enumerate() {
        let path_prefix = format!("readyOn[{i}]");
        let Some(props) = c.object(&path_prefix, "readyOn", item, false) else {
            complete = false;
            continue;
        };
        let mut probe = ReadyProbe {
            path: String::new(),
            port: None,
            status: None,
        };
        let mut has_path = false;
        let mut port = ProbePort::Absent;
        let mut port_span = item.span;
        for prop in props {
            let p = format!("{path_prefix}.{}", prop.key);
            match prop.key.as_str() {
                "path" => match c.string(&p, "readyOn", &prop.value, false) {
                    Some(s) if s.trim().is_empty() => {
                        has_path = true;
                        c.error(
                            EMPTY_VALUE,
                            message_empty_path(&p),
                            &prop.value,
                            HELP_EMPTY_PATH,
                        );
                        complete = false;
                    }
                    Some(s) if s.trim() != s => {
                        has_path = true;
                        c.error(
                            PADDED_VALUE,
                            message_padded(&p, s),
                            &prop.value,
                            help_padded(s),
                        );
                        complete = false;
                    }
                    Some(s) => {
                        has_path = true;
                        probe.path = if s.starts_with('/') {
                            s.to_string()
                        } else {
                            format!("/{s}")
                        };
                    }
                    None => {
                        complete = false;
                        has_path |= !matches!(prop.value.kind, Kind::Undefined);
                    }
                },
                "port" => {
                    probe.port = c.port(&p, "readyOn", &prop.value);
                    port_span = prop.value.span;
                    port = match probe.port {
                        Some(n) => ProbePort::Given(n),
                        None if matches!(prop.value.kind, Kind::Undefined) => ProbePort::Absent,
                        None => {
                            complete = false;
                            ProbePort::Unknown
                        }
                    };
                }
                "status" => {
                    let read = c.number(&p, "readyOn", &prop.value, false);
                    let error = RangeError {
                        code: INVALID_READY_STATUS,
                        message: &|n| message_status(&p, n),
                        help: HELP_STATUS,
                    };
                    let valid = |n: f64| {
                        is_integer(n) && (READY_STATUS_MIN..=READY_STATUS_MAX).contains(&n)
                    };
                    if let Some(n) = c.in_range(read, &prop.value, valid, error, &mut complete) {
                        probe.status = Some(n as u16);
                    }
                }
                _ => {
                    c.unknown_key(prop, "a `readyOn` probe", READY_PROBE_KEYS);
                    complete = false;
                }
            }
        }
        if !has_path {
            c.error(
                MISSING_READY_PATH,
                message_missing_path(&path_prefix),
                item,
                HELP_MISSING_PATH,
            );
            complete = false;
        }
        ports.push(ProbePortAt {
            index: i,
            port,
            span: port_span,
        });
        probes.push(probe);
    }
    (complete.then_some(probes), ports)
}

#[cfg(test)]
mod tests {
    documented_examples!("ready_on.rs");
}
