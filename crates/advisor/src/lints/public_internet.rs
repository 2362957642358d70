//! `container_public_internet` (info): a container whose egress to the internet is left open
//! without saying so.
//!
//! Catches a container that leaves `enableInternet` out (the runtime's default is enabled), or
//! sets it from an expression codegen cannot read. Why: egress is billed per GB, and an open
//! network is a choice worth writing down; a literal `true` or `false` says the author decided.
//!
//! Invalid:
//! ```ts invalid
//! import { defineContainer } from "@lunora/container";
//! export const api = defineContainer({ image: "./c" });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const api = defineContainer({ image: "./c", enableInternet: false });
//! ```

use crate::codes::PUBLIC_INTERNET;
use lunora_diagnostic::Diagnostic;
use lunora_parser::ContainerSpec;

fn message_default(export_name: &str) -> String {
    format!(
        "`{export_name}` leaves `enableInternet` at the default (enabled); egress is billed per GB"
    )
}

fn message_expression(export_name: &str) -> String {
    format!("`{export_name}` sets `enableInternet` from an expression codegen cannot read, so egress may be enabled; egress is billed per GB")
}

const HELP_DEFAULT: &str =
    "set `enableInternet: false` to close egress, or `enableInternet: true` to opt in explicitly";
const HELP_EXPRESSION: &str =
    "write `enableInternet: false` or `enableInternet: true` if the value does not need to vary";

/// The finding for `c`: at the expression when `enableInternet` is one, else at the export name.
pub(crate) fn check(c: &ContainerSpec, file: &str) -> Option<Diagnostic> {
    if c.enable_internet.is_some() {
        return None;
    }
    Some(match c.enable_internet_at {
        // Set, but from an expression: its value is decided at runtime, not left at the default.
        Some(at) => Diagnostic::info(PUBLIC_INTERNET, message_expression(&c.export_name))
            .with_primary(file, at, "")
            .with_help(HELP_EXPRESSION),
        None => Diagnostic::info(PUBLIC_INTERNET, message_default(&c.export_name))
            .with_primary(file, c.span, "")
            .with_help(HELP_DEFAULT),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        crate::lints::examples::check_model_lint(
            include_str!("public_internet.rs"),
            PUBLIC_INTERNET,
        );
    }

    #[test]
    fn an_expression_is_reported_at_the_expression() {
        let src = "import { defineContainer } from \"@lunora/container\";\nexport const a = defineContainer({ image: \"./c\", enableInternet: process.env.OPEN === \"1\" });\n";
        let out = lunora_parser::parse_containers(src, "c.ts");
        let d = check(&out.containers[0], "c.ts").expect("a finding");
        let at = d.labels[0].span;
        assert_eq!(
            &src[at.start as usize..at.end as usize],
            "process.env.OPEN === \"1\""
        );
        assert!(d.message.contains("from an expression"), "{}", d.message);
        let src = src.replace("process.env.OPEN === \"1\"", "true");
        let out = lunora_parser::parse_containers(&src, "c.ts");
        assert!(check(&out.containers[0], "c.ts").is_none());
    }
}
