//! The advisor's lints, one per module, each with its code, messages, documented examples
//! (run as tests by [`examples`]) and tests.
//!
//! Over the validated model ([`lint_containers`]): [`oversized_instance`], [`public_internet`];
//! over all containers at once: [`account_limits`]. Over a Dockerfile and the containers built
//! from it ([`lint_dockerfile`]): [`port_not_exposed`], [`shell_entrypoint`],
//! [`platform_not_amd64`]; each looks at the stage that runs (the last one) and the stages it is
//! built on, and says nothing when the Dockerfile leaves the answer open.

pub(crate) mod account_limits;
mod oversized_instance;
mod platform_not_amd64;
mod port_not_exposed;
mod public_internet;
mod shell_entrypoint;

use crate::dockerfile::{self, Build};
use lunora_diagnostic::Diagnostic;
use lunora_parser::{ContainerSpec, ParseOutput};
use std::collections::BTreeMap;

/// The lints over the validated model of `file`, container by container in source order:
/// `container_oversized_instance` (info), then `container_public_internet` (info). The parser
/// lists only containers without errors, so containers with errors get no lints.
pub fn lint_containers(containers: &[ContainerSpec], file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in containers {
        out.extend(oversized_instance::check(c, file));
        out.extend(public_internet::check(c, file));
    }
    out
}

/// `parsed` (the output of `lunora_parser::parse_containers` for `file`) with the lints of
/// [`lint_containers`] among its diagnostics, in source order (by primary label; a lint after
/// the parser's diagnostics at the same place).
pub fn with_model_lints(mut parsed: ParseOutput, file: &str) -> ParseOutput {
    let lints = lint_containers(&parsed.containers, file);
    if !lints.is_empty() {
        parsed.diagnostics.extend(lints);
        // Stable: equal positions keep the parser's diagnostics first.
        parsed
            .diagnostics
            .sort_by_key(|d| d.primary_label().map(|l| l.span.start).unwrap_or(0));
    }
    parsed
}

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
        out.extend(over_budget(&ctx));
        out.extend(port_not_exposed::check(&ctx));
        out.extend(shell_entrypoint::check(&ctx));
        out.extend(platform_not_amd64::check(&ctx));
    }
    merge(out)
}

/// `container_dockerfile_budget` (info), at the instruction where substitution ran out of budget.
fn over_budget(ctx: &Ctx<'_>) -> Option<Diagnostic> {
    let idx = ctx.build.over_budget?;
    let ins = ctx.build.instruction(idx);
    Some(ctx.built_here(
        Diagnostic::info(
            crate::codes::DOCKERFILE_BUDGET,
            format!(
                "{}'s variables expand beyond what lunora reads ({} MiB of substituted text); what depends on them from here on is not checked",
                ctx.file,
                dockerfile::Budget::UNITS >> 20
            ),
        )
        .with_primary(ctx.file, ins.span, "substitution stops here")
        .with_help("this is only a note: the build itself is unaffected, but check that these values are meant to grow like this"),
    ))
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

/// Runs the examples a lint's doc comment shows: fenced blocks tagged `invalid` must yield
/// exactly the lint's code, blocks tagged `valid` nothing. A `ts` block is a whole
/// `containers.ts`; a `dockerfile` block is the Dockerfile of [`examples::CONTAINER`].
#[cfg(test)]
pub(crate) mod examples {
    use super::*;

    /// The `containers.ts` Dockerfile examples are linted for: one container on port 8080.
    pub const CONTAINER: &str = "import { defineContainer } from \"@lunora/container\";\nexport const app = defineContainer({ image: \"./containers/app\", defaultPort: 8080, enableInternet: false });\n";
    const FILE: &str = "lunora/containers.ts";

    /// `(valid, text)` of every block fenced as ```` ```<lang> valid ```` or ```` invalid ````
    /// in the module doc (`//!` lines) of `source`.
    pub fn blocks(source: &str, lang: &str) -> Vec<(bool, String)> {
        let mut out = Vec::new();
        let mut open: Option<(bool, String)> = None;
        for line in source.lines().take_while(|l| l.starts_with("//!")) {
            let text = line.strip_prefix("//!").unwrap();
            let text = text.strip_prefix(' ').unwrap_or(text);
            match (&mut open, text.strip_prefix("```")) {
                (None, Some(info)) => {
                    let mut words = info.split_whitespace();
                    if words.next() == Some(lang) {
                        match words.next() {
                            Some("valid") => open = Some((true, String::new())),
                            Some("invalid") => open = Some((false, String::new())),
                            _ => {}
                        }
                    }
                }
                (Some(_), Some("")) => out.push(open.take().unwrap()),
                (Some((_, body)), _) => {
                    body.push_str(text);
                    body.push('\n');
                }
                (None, None) => {}
            }
        }
        assert!(open.is_none(), "an example block is not closed");
        assert!(
            out.iter().any(|(v, _)| *v) && out.iter().any(|(v, _)| !*v),
            "a lint documents at least one valid and one invalid `{lang}` example"
        );
        out
    }

    fn parse(text: &str) -> ParseOutput {
        let parsed = lunora_parser::parse_containers(text, FILE);
        assert!(
            parsed.diagnostics.iter().all(|d| !d.is_error()),
            "example does not parse cleanly: {:?}\n{text}",
            parsed.diagnostics
        );
        parsed
    }

    fn assert_codes(found: Vec<Diagnostic>, valid: bool, code: &str, text: &str) {
        let codes: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
        let want: Vec<&str> = if valid { vec![] } else { vec![code] };
        assert_eq!(
            codes,
            want,
            "example ({}):\n{text}",
            if valid { "valid" } else { "invalid" }
        );
    }

    /// For the lints of [`lint_containers`].
    pub fn check_model_lint(source: &str, code: &str) {
        for (valid, text) in blocks(source, "ts") {
            let found = lint_containers(&parse(&text).containers, FILE);
            assert_codes(found, valid, code, &text);
        }
    }

    /// For [`account_limits::account_limits`].
    pub fn check_account_lint(source: &str, code: &str) {
        for (valid, text) in blocks(source, "ts") {
            let found = account_limits::account_limits(&parse(&text).containers, FILE);
            assert_codes(found.into_iter().collect(), valid, code, &text);
        }
    }

    /// For the lints of [`lint_dockerfile`].
    pub fn check_dockerfile_lint(source: &str, code: &str) {
        let parsed = parse(CONTAINER);
        let users: Vec<&ContainerSpec> = parsed.containers.iter().collect();
        for (valid, text) in blocks(source, "dockerfile") {
            let found = lint_dockerfile(
                DockerfileText {
                    file: "containers/app/Dockerfile",
                    text: &text,
                },
                &users,
                FILE,
            );
            assert_codes(found, valid, code, &text);
        }
    }
}
