//! `container_shell_entrypoint` (info): the command that runs is in shell form.
//!
//! Catches an ENTRYPOINT (or, without one, CMD) of the stage that runs written in shell form,
//! unless it starts with `exec` or the definition's `entrypoint` replaces it. Why: shell form runs
//! under `/bin/sh -c`, so Cloudflare's SIGTERM on rollouts goes to the shell, not to the server,
//! which is killed 15 minutes later without a graceful shutdown. `['node', 'x']` with single
//! quotes is not JSON, so it is shell form too.
//!
//! Invalid:
//! ```dockerfile invalid
//! FROM --platform=linux/amd64 node:22-slim
//! EXPOSE 8080
//! CMD node server.mjs
//! ```
//!
//! Valid:
//! ```dockerfile valid
//! FROM --platform=linux/amd64 node:22-slim
//! EXPOSE 8080
//! CMD ["node", "server.mjs"]
//! ```

use super::Ctx;
use crate::codes::SHELL_ENTRYPOINT;
use crate::dockerfile;
use lunora_diagnostic::Diagnostic;

fn message_single_quoted(keyword: &str, command: &str) -> String {
    format!(
        "`{keyword} {command}` is not JSON (exec form needs double quotes), so it runs in shell form under `/bin/sh -c`, and SIGTERM does not reach the process"
    )
}

fn help_single_quoted(keyword: &str, argv: &[String]) -> String {
    format!(
        "write `{keyword} {}` so Cloudflare's SIGTERM on rollouts reaches the process",
        json_array(argv)
    )
}

fn message_shell_form(keyword: &str, program: &str) -> String {
    format!(
        "`{keyword}` is in shell form, so `{program}` runs under `/bin/sh -c` and SIGTERM (sent by Cloudflare on rollouts, SIGKILL 15 minutes later) goes to the shell, not to `{program}`"
    )
}

fn help_exec_form(keyword: &str, argv: &[String]) -> String {
    format!("write `{keyword} {}` (exec form)", json_array(argv))
}

fn help_exec_prefix(keyword: &str, command: &str, program: &str) -> String {
    format!(
        "write `{keyword} exec {command}` (the shell then replaces itself with `{program}`), or the exec form `{keyword} [\"{program}\", …]`"
    )
}

fn help_script(keyword: &str, program: &str) -> String {
    format!(
        "move the shell logic into a script that ends with `exec {program} …`, and write `{keyword} [\"/path/to/script\"]` (exec form)"
    )
}

const LABEL: &str = "shell form";

/// The finding for the container of `ctx`.
pub(super) fn check(ctx: &Ctx<'_>) -> Option<Diagnostic> {
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
            message_single_quoted(keyword, command),
            help_single_quoted(keyword, &argv),
        )
    } else {
        let program = command.split_whitespace().next().unwrap_or(command);
        let help = match plain_words(command) {
            Some(argv) => help_exec_form(keyword, &argv),
            None if is_simple_command(command) => help_exec_prefix(keyword, command, program),
            None => help_script(keyword, program),
        };
        (message_shell_form(keyword, program), help)
    };
    let d = Diagnostic::info(SHELL_ENTRYPOINT, message)
        .with_primary(ctx.file, ins.span, LABEL)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        crate::lints::examples::check_dockerfile_lint(
            include_str!("shell_entrypoint.rs"),
            SHELL_ENTRYPOINT,
        );
    }

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
}
