//! The Dockerfile lints: `container_port_not_exposed`, `container_shell_entrypoint`,
//! `container_platform_not_amd64`. Each looks at the stage that runs (the last one) and the
//! stages it is built on; each says nothing when the Dockerfile leaves the answer open.

use crate::codes::{PLATFORM_NOT_AMD64, PORT_NOT_EXPOSED, SHELL_ENTRYPOINT};
use crate::dockerfile::{self, Base, Build, ExposedPorts, Instruction, Platform};
use lunora_diagnostic::Diagnostic;
use lunora_parser::ContainerSpec;
use std::collections::BTreeMap;

/// A Dockerfile's text and the name diagnostics use for it (relative to the project root).
#[derive(Debug, Clone, Copy)]
pub struct DockerfileText<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

/// Lints one Dockerfile for the containers built from it (`users`; several containers may share
/// one). Each container is judged with its own `buildArgs`; identical findings for several
/// containers are reported once, with a label at each container in `containers_file`.
///
/// Severities: `container_port_not_exposed` is a warning (local dev cannot reach the port, for
/// certain); `container_shell_entrypoint` is `info` like the spec's advisor lints (shutdown is
/// degraded, nothing fails); `container_platform_not_amd64` is `info` when `--platform` is
/// missing (wrangler itself builds for linux/amd64, other builds may not) and a warning when it
/// names another platform (that image cannot run on Cloudflare).
pub fn lint_dockerfile(
    dockerfile: DockerfileText<'_>,
    users: &[&ContainerSpec],
    containers_file: &str,
) -> Vec<Diagnostic> {
    let parsed = dockerfile::parse(dockerfile.text);
    let no_args = BTreeMap::new();
    let mut out = Vec::new();
    for c in users {
        let build = dockerfile::resolve(&parsed, c.build_args.as_ref().unwrap_or(&no_args));
        let ctx = Ctx {
            build: &build,
            file: dockerfile.file,
            container: c,
            containers_file,
        };
        out.extend(port_not_exposed(&ctx));
        out.extend(shell_entrypoint(&ctx));
        out.extend(platform_not_amd64(&ctx));
    }
    merge(out)
}

struct Ctx<'a> {
    build: &'a Build<'a>,
    file: &'a str,
    container: &'a ContainerSpec,
    containers_file: &'a str,
}

impl Ctx<'_> {
    fn built_here(&self, d: Diagnostic) -> Diagnostic {
        d.with_secondary(
            self.containers_file,
            self.container.span,
            format!(
                "`{}` is built from {}",
                self.container.export_name, self.file
            ),
        )
    }
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

fn port_not_exposed(ctx: &Ctx<'_>) -> Option<Diagnostic> {
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
    let message = if missing.len() == 1 {
        format!(
            "port {} of `{}` is not EXPOSEd by {}; local dev reaches only EXPOSEd ports",
            described[0], c.export_name, ctx.file
        )
    } else {
        format!(
            "ports {} of `{}` are not EXPOSEd by {}; local dev reaches only EXPOSEd ports",
            join_and(&described),
            c.export_name,
            ctx.file
        )
    };
    let line = format!(
        "EXPOSE {}",
        missing
            .iter()
            .map(|(p, _)| p.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let (span, label) = match last_expose {
        Some(i) => (
            build.instruction(i).span,
            format!("the image EXPOSEs {}", describe_exposed(&exposed)),
        ),
        None => (
            build.instruction(final_stage.from).span,
            "the final stage EXPOSEs no port".to_string(),
        ),
    };
    // A registry base image may EXPOSE the port itself; the added line is harmless then.
    let base_note = match &root.base {
        Base::Image(image) => format!("; harmless if `{image}` already EXPOSEs it"),
        _ => String::new(),
    };
    let d = Diagnostic::warning(PORT_NOT_EXPOSED, message)
        .with_primary(ctx.file, span, label)
        .with_help(format!(
            "add `{line}` to the final stage of {} (production exposes every port; local dev only the EXPOSEd ones{base_note})",
            ctx.file
        ));
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

fn shell_entrypoint(ctx: &Ctx<'_>) -> Option<Diagnostic> {
    // The definition's `entrypoint` replaces ENTRYPOINT/CMD on every start.
    if ctx.container.entrypoint.is_some() {
        return None;
    }
    let build = ctx.build;
    let chain = build.chain();
    let entrypoint = chain
        .iter()
        .find_map(|&s| build.stages[s].entrypoint)
        // `ENTRYPOINT []` clears it; CMD then runs.
        .filter(|&i| {
            build
                .instruction(i)
                .exec_form()
                .is_none_or(|v| !v.is_empty())
        });
    let idx = entrypoint.or_else(|| chain.iter().find_map(|&s| build.stages[s].cmd))?;
    let ins = build.instruction(idx);
    if ins.exec_form().is_some() {
        return None;
    }
    let command = ins.args.trim();
    if command.is_empty() || starts_with_word(command, "exec") {
        // `ENTRYPOINT exec node server.mjs`: the shell replaces itself with the process.
        return None;
    }
    let keyword = ins.keyword.as_str();
    let (message, help) = if let Some(argv) = single_quoted_array(command) {
        (
            format!(
                "`{keyword} {command}` is not JSON (exec form needs double quotes), so it runs in shell form under `/bin/sh -c`, and SIGTERM does not reach the process"
            ),
            format!(
                "write `{keyword} {}` so Cloudflare's SIGTERM on rollouts reaches the process",
                json_array(&argv)
            ),
        )
    } else {
        let program = command.split_whitespace().next().unwrap_or(command);
        let message = format!(
            "`{keyword}` is in shell form, so `{program}` runs under `/bin/sh -c` and SIGTERM (sent by Cloudflare on rollouts, SIGKILL 15 minutes later) goes to the shell, not to `{program}`"
        );
        let help = match plain_words(command) {
            Some(argv) => format!("write `{keyword} {}` (exec form)", json_array(&argv)),
            None if is_simple_command(command) => format!(
                "write `{keyword} exec {command}` (the shell then replaces itself with `{program}`), or the exec form `{keyword} [\"{program}\", …]`"
            ),
            None => format!(
                "move the shell logic into a script that ends with `exec {program} …`, and write `{keyword} [\"/path/to/script\"]` (exec form)"
            ),
        };
        (message, help)
    };
    let d = Diagnostic::info(SHELL_ENTRYPOINT, message)
        .with_primary(ctx.file, ins.span, "shell form")
        .with_help(help);
    Some(ctx.built_here(d))
}

fn starts_with_word(s: &str, word: &str) -> bool {
    s.strip_prefix(word)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

/// `['node', 'server.mjs']`: what users write meaning exec form.
fn single_quoted_array(command: &str) -> Option<Vec<String>> {
    if !command.starts_with('[') || !command.contains('\'') || command.contains('"') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(&command.replace('\'', "\"")).ok()
}

fn json_array(argv: &[String]) -> String {
    serde_json::to_string(argv)
        .unwrap_or_default()
        .replace("\",\"", "\", \"")
}

/// The argv of a command with no shell syntax beyond whitespace and plain quotes, i.e. one whose
/// exec form means the same thing. `None` when it uses variables, globs, pipes, redirections, ….
fn plain_words(command: &str) -> Option<Vec<String>> {
    const SHELL: &[char] = &[
        '$', '`', '|', '&', ';', '<', '>', '(', ')', '*', '?', '[', ']', '~', '{', '}', '\\', '!',
        '#', '\n',
    ];
    if command.contains(SHELL) {
        return None;
    }
    let mut argv = Vec::new();
    for (_, word) in dockerfile::split_words(command) {
        let mut out = String::new();
        let mut quote = None;
        for c in word.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => out.push(c),
                None if c == '"' || c == '\'' => quote = Some(c),
                None => out.push(c),
            }
        }
        if quote.is_some() {
            return None;
        }
        argv.push(out);
    }
    // `FOO=bar node x` sets a variable first: not a program.
    if argv.first().is_none_or(|p| p.contains('=')) {
        return None;
    }
    Some(argv)
}

/// One command (variables and redirections allowed), so `exec` can be put in front of it.
fn is_simple_command(command: &str) -> bool {
    !command.contains(['|', '&', ';', '\n', '(', ')', '`'])
        && command
            .split_whitespace()
            .next()
            .is_some_and(|p| !p.contains('='))
}

fn platform_not_amd64(ctx: &Ctx<'_>) -> Option<Diagnostic> {
    let build = ctx.build;
    // The image's layers come from the base image of the final stage's chain; stages it only
    // COPYs from are not judged: builders often run on $BUILDPLATFORM and cross-compile, and
    // many artifacts (bundles, assets) do not depend on the architecture.
    let root = build.root()?;
    let Base::Image(image) = &root.base else {
        // `scratch` has no layers (the copied files decide); an unknown name cannot be judged.
        return None;
    };
    let from = build.instruction(root.from);
    match &root.platform {
        Platform::Unknown => None,
        Platform::Named(p) if is_amd64(p) => None,
        Platform::Target => {
            let d = Diagnostic::info(
                PLATFORM_NOT_AMD64,
                format!(
                    "`FROM {image}` in {} does not pin `--platform=linux/amd64`; built on an arm64 machine (Apple Silicon) without `--platform linux/amd64`, the image is arm64, and Cloudflare runs only linux/amd64",
                    ctx.file
                ),
            )
            .with_primary(ctx.file, from.span, "no --platform")
            .with_help(format!("write `{}`", from_line(from)));
            Some(ctx.built_here(d))
        }
        Platform::Named(p) => {
            let written = from
                .flags()
                .0
                .into_iter()
                .find(|f| f.name == "platform")
                .and_then(|f| f.value)
                .unwrap_or_default();
            let via = if written.contains('$') {
                format!(" (`{written}` is `{p}`)")
            } else {
                String::new()
            };
            let d = Diagnostic::warning(
                PLATFORM_NOT_AMD64,
                format!(
                    "the final image of {} is built `FROM --platform={p}`{via}; Cloudflare Containers run only linux/amd64 images",
                    ctx.file
                ),
            )
            .with_primary(ctx.file, root.platform_span.unwrap_or(from.span), p.clone())
            .with_help(format!("write `{}`", from_line(from)));
            Some(ctx.built_here(d))
        }
    }
}

/// `linux/amd64` (also `linux/amd64/v2`, `linux/x86_64`, or `amd64` with the OS left out).
fn is_amd64(platform: &str) -> bool {
    let p = platform.trim().to_ascii_lowercase();
    let arch_ok = |a: &str| matches!(a, "amd64" | "x86_64" | "x86-64");
    match p.split('/').collect::<Vec<_>>().as_slice() {
        [arch] => arch_ok(arch),
        ["linux", arch] | ["linux", arch, _] => arch_ok(arch),
        _ => false,
    }
}

/// The `FROM` line with `--platform=linux/amd64` (other flags, the image and `AS name` kept).
fn from_line(from: &Instruction) -> String {
    let (flags, rest_at) = from.flags();
    let words = from.words();
    let mut parts = vec!["FROM".to_string(), "--platform=linux/amd64".to_string()];
    parts.extend(
        flags
            .iter()
            .filter(|f| f.name != "platform")
            .map(|f| from.args[f.range.clone()].to_string()),
    );
    parts.extend(words[rest_at..].iter().map(|(_, w)| w.to_string()));
    parts.join(" ")
}

/// Reports identical findings (same code, message, help and primary label) once, keeping every
/// secondary label.
fn merge(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in diagnostics {
        let key = |x: &Diagnostic| {
            (
                x.code.clone(),
                x.severity,
                x.message.clone(),
                x.help.clone(),
                x.labels.iter().find(|l| l.primary).cloned(),
            )
        };
        match out.iter_mut().find(|o| key(o) == key(&d)) {
            Some(existing) => {
                for l in d.labels.into_iter().filter(|l| !l.primary) {
                    if !existing.labels.contains(&l) {
                        existing.labels.push(l);
                    }
                }
            }
            None => out.push(d),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_only_for_commands_exec_form_keeps_the_meaning_of() {
        assert_eq!(
            plain_words("node server.mjs"),
            Some(vec!["node".to_string(), "server.mjs".to_string()])
        );
        assert_eq!(
            plain_words("python -m 'http.server' 8000"),
            Some(vec![
                "python".to_string(),
                "-m".to_string(),
                "http.server".to_string(),
                "8000".to_string()
            ])
        );
        assert_eq!(plain_words("node server.mjs --port $PORT"), None);
        assert_eq!(plain_words("node a | tee log"), None);
        assert_eq!(plain_words("PORT=1 node a"), None);
    }

    #[test]
    fn amd64_spellings() {
        for ok in [
            "linux/amd64",
            "LINUX/AMD64",
            "linux/amd64/v2",
            "linux/x86_64",
            "amd64",
        ] {
            assert!(is_amd64(ok), "{ok}");
        }
        for bad in [
            "linux/arm64",
            "linux/arm64/v8",
            "windows/amd64",
            "arm64",
            "",
        ] {
            assert!(!is_amd64(bad), "{bad}");
        }
    }
}
