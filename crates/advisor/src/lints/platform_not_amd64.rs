//! `container_platform_not_amd64` (info when `--platform` is missing, warning when it names
//! another platform): the base image of the stage that runs is not pinned to linux/amd64.
//!
//! Why: Cloudflare runs only linux/amd64 images. Built on an arm64 machine (Apple Silicon)
//! without `--platform`, the image is arm64 and fails to start after deploy. Stages the final
//! one only COPYs from are not judged (builders often cross-compile), nor is `scratch`.
//!
//! Invalid:
//! ```dockerfile invalid
//! FROM node:22-slim
//! EXPOSE 8080
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
use crate::codes::PLATFORM_NOT_AMD64;
use crate::dockerfile::{Base, Instruction, Platform};
use lunora_diagnostic::Diagnostic;

fn message_missing(image: &str, file: &str) -> String {
    format!(
        "`FROM {image}` in {file} does not pin `--platform=linux/amd64`; built on an arm64 machine (Apple Silicon) without `--platform linux/amd64`, the image is arm64, and Cloudflare runs only linux/amd64"
    )
}

const LABEL_MISSING: &str = "no --platform";

/// `via`: how a platform written with a variable resolved, e.g. " (`$TARGETPLATFORM` is `linux/arm64`)".
fn message_other(file: &str, platform: &str, via: &str) -> String {
    format!(
        "the final image of {file} is built `FROM --platform={platform}`{via}; Cloudflare Containers run only linux/amd64 images"
    )
}

fn help(from: &Instruction) -> String {
    format!("write `{}`", from_line(from))
}

/// The finding for the container of `ctx`.
pub(super) fn check(ctx: &Ctx<'_>) -> Option<Diagnostic> {
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
            let d = Diagnostic::info(PLATFORM_NOT_AMD64, message_missing(image, ctx.file))
                .with_primary(ctx.file, from.span, LABEL_MISSING)
                .with_help(help(from));
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
            let d = Diagnostic::warning(PLATFORM_NOT_AMD64, message_other(ctx.file, p, &via))
                .with_primary(ctx.file, root.platform_span.unwrap_or(from.span), p.clone())
                .with_help(help(from));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        crate::lints::examples::check_dockerfile_lint(
            include_str!("platform_not_amd64.rs"),
            PLATFORM_NOT_AMD64,
        );
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
