//! `container_port_not_exposed` (warning): a port the container connects to that the image
//! does not EXPOSE.
//!
//! Catches `defaultPort`, a `requiredPorts` entry or a `readyOn` port that no EXPOSE of the stage
//! that runs (or the stages it is built on) covers. Why: in production every port is reachable,
//! but local dev (`wrangler dev`) reaches only EXPOSEd ports, so the app works when deployed and
//! fails locally. Says nothing when the EXPOSEd ports cannot be read, or when there is no EXPOSE
//! and the base image may declare it.
//!
//! Invalid (the container listens on 8080):
//! ```dockerfile invalid
//! FROM --platform=linux/amd64 node:22-slim
//! EXPOSE 3000
//! CMD ["node", "server.mjs"]
//! ```
//!
//! Valid:
//! ```dockerfile valid
//! FROM --platform=linux/amd64 node:22-slim
//! EXPOSE 8080
//! CMD ["node", "server.mjs"]
//! ```

use super::Ctx;
use crate::codes::PORT_NOT_EXPOSED;
use crate::dockerfile::{Base, ExposedPorts};
use lunora_diagnostic::Diagnostic;
use lunora_parser::ContainerSpec;

/// `described`: each missing port with the fields that name it, e.g. "8080 (`defaultPort`)".
fn message(described: &[String], export_name: &str, file: &str) -> String {
    if described.len() == 1 {
        format!(
            "port {} of `{export_name}` is not EXPOSEd by {file}; local dev reaches only EXPOSEd ports",
            described[0]
        )
    } else {
        format!(
            "ports {} of `{export_name}` are not EXPOSEd by {file}; local dev reaches only EXPOSEd ports",
            join_and(described)
        )
    }
}

fn label_exposes(exposed: &[ExposedPorts]) -> String {
    format!("the image EXPOSEs {}", describe_exposed(exposed))
}

const LABEL_NO_EXPOSE: &str = "the final stage EXPOSEs no port";

/// `line`: the EXPOSE line to add. A registry base image may EXPOSE the port itself; the added
/// line is harmless then.
fn help(line: &str, file: &str, base_image: Option<&str>) -> String {
    let base_note = match base_image {
        Some(image) => format!("; harmless if `{image}` already EXPOSEs it"),
        None => String::new(),
    };
    format!(
        "add `{line}` to the final stage of {file} (production exposes every port; local dev only the EXPOSEd ones{base_note})"
    )
}

/// The ports a container connects to, each with the fields that name it.
fn wanted_ports(c: &ContainerSpec) -> Vec<(u16, Vec<String>)> {
    let mut out: Vec<(u16, Vec<String>)> = Vec::new();
    let mut add = |port: u16, why: String| match out.iter_mut().find(|(p, _)| *p == port) {
        Some((_, whys)) => {
            if !whys.contains(&why) {
                whys.push(why)
            }
        }
        None => out.push((port, vec![why])),
    };
    if let Some(p) = c.default_port {
        add(p, "`defaultPort`".to_string());
    }
    for &p in c.required_ports.iter().flatten() {
        add(p, "`requiredPorts`".to_string());
    }
    for probe in c.ready_on.iter().flatten() {
        if let Some(p) = probe.port.or(c.default_port) {
            add(p, format!("`readyOn` {}", probe.path));
        }
    }
    out
}

/// The finding for the container of `ctx`.
pub(super) fn check(ctx: &Ctx<'_>) -> Option<Diagnostic> {
    let wanted = wanted_ports(ctx.container);
    if wanted.is_empty() {
        return None;
    }
    let build = ctx.build;
    let chain = build.chain();
    let final_stage = &build.stages[*chain.first()?];
    let mut exposed: Vec<ExposedPorts> = Vec::new();
    let mut last_expose: Option<usize> = None;
    for &s in &chain {
        for e in &build.stages[s].exposes {
            // An EXPOSE whose value is unknown could open any port.
            exposed.extend(e.ports.as_ref()?);
            last_expose = last_expose.max(Some(e.instruction));
        }
    }
    // A base image may EXPOSE ports itself; with no EXPOSE here there is nothing to compare.
    let root = &build.stages[*chain.last()?];
    if last_expose.is_none() && root.base != Base::Scratch {
        return None;
    }
    let missing: Vec<&(u16, Vec<String>)> = wanted
        .iter()
        .filter(|(p, _)| {
            !exposed
                .iter()
                .any(|e| e.tcp && e.first <= *p && *p <= e.last)
        })
        .collect();
    if missing.is_empty() {
        return None;
    }
    let c = ctx.container;
    let described: Vec<String> = missing
        .iter()
        .map(|(p, whys)| format!("{p} ({})", whys.join(", ")))
        .collect();
    let message = message(&described, &c.export_name, ctx.file);
    let line = format!(
        "EXPOSE {}",
        missing
            .iter()
            .map(|(p, _)| p.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let (span, label) = match last_expose {
        Some(i) => (build.instruction(i).span, label_exposes(&exposed)),
        None => (
            build.instruction(final_stage.from).span,
            LABEL_NO_EXPOSE.to_string(),
        ),
    };
    let base_image = match &root.base {
        Base::Image(image) => Some(image.as_str()),
        _ => None,
    };
    let d = Diagnostic::warning(PORT_NOT_EXPOSED, message)
        .with_primary(ctx.file, span, label)
        .with_help(help(&line, ctx.file, base_image));
    Some(ctx.built_here(d))
}

fn describe_exposed(exposed: &[ExposedPorts]) -> String {
    let words: Vec<String> = exposed
        .iter()
        .map(|e| {
            let range = if e.first == e.last {
                e.first.to_string()
            } else {
                format!("{}-{}", e.first, e.last)
            };
            if e.tcp {
                range
            } else {
                format!("{range} (not tcp)")
            }
        })
        .collect();
    if words.is_empty() {
        "no port".to_string()
    } else {
        join_and(&words)
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        crate::lints::examples::check_dockerfile_lint(
            include_str!("port_not_exposed.rs"),
            PORT_NOT_EXPOSED,
        );
    }

    #[test]
    fn lists_join_with_and() {
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&items(&["a"])), "a");
        assert_eq!(join_and(&items(&["a", "b", "c"])), "a, b and c");
    }
}
