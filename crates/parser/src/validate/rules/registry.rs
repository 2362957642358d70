//! `containers/registry-missing-host`, `containers/unsupported-registry`,
//! `containers/registry-missing-tag`, and `containers/invalid-image` for a scheme: a
//! `{ registry }` image reference Cloudflare cannot pull.
//!
//! Catches a reference without a registry host (`nginx:1.27`: Docker would read Docker Hub,
//! Cloudflare needs it written), a host other than the Cloudflare Registry, Docker Hub
//! (`docker.io`) or Amazon ECR, a reference without a `:tag` or `@digest`, and one written as a
//! URL. Why: wrangler passes the reference on as written, and each of these fails at deploy
//! (or, untagged, deploys whatever `latest` is that day). The first problem is reported.
//!
//! Invalid:
//! ```ts invalid containers/registry-missing-host
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: { registry: "nginx:1.27" }, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/unsupported-registry
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: { registry: "ghcr.io/acme/app:1.0" }, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/registry-missing-tag
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: { registry: "docker.io/acme/app" }, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/invalid-image
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: { registry: "https://docker.io/acme/app:1.0" }, enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: { registry: "docker.io/acme/app:1.0" }, enableInternet: false });
//! ```

use super::super::{quoted, Checker};
use crate::codes::{
    INVALID_IMAGE, REGISTRY_MISSING_HOST, REGISTRY_MISSING_TAG, UNSUPPORTED_REGISTRY,
};
use crate::eval::Value;
use crate::rules::{CLOUDFLARE_REGISTRY, DOCKER_HUB_REGISTRY, ECR_REGISTRY_EXAMPLE};

fn message_scheme(scheme: &str) -> String {
    format!("`image.registry` must not include a scheme (`{scheme}`)")
}

fn help_scheme(without: &str) -> String {
    format!("write {}", quoted(without))
}

fn message_missing_host(reference: &str) -> String {
    format!(
        "registry image {} names no registry host",
        quoted(reference)
    )
}

fn help_missing_host(tagged: &str) -> String {
    format!(
        "write {} for Docker Hub, or {} for an image pushed with `wrangler containers push`",
        quoted(&qualified_docker_hub_reference(tagged)),
        quoted(&format!("{CLOUDFLARE_REGISTRY}/{tagged}"))
    )
}

fn message_unsupported(host: &str) -> String {
    format!("Cloudflare does not pull images from {host}")
}

fn help_docker_hub_alias(reference_on_docker_io: &str) -> String {
    format!(
        "write {} (Docker Hub is addressed as {DOCKER_HUB_REGISTRY})",
        quoted(reference_on_docker_io)
    )
}

fn help_unsupported() -> String {
    format!(
        "push the image to the Cloudflare Registry ({CLOUDFLARE_REGISTRY}), Docker Hub ({DOCKER_HUB_REGISTRY}) or Amazon ECR ({ECR_REGISTRY_EXAMPLE}), and reference it there"
    )
}

fn message_missing_tag(reference: &str) -> String {
    format!("registry image {} has no tag or digest", quoted(reference))
}

fn help_missing_tag(name: &str) -> String {
    format!(
        "pin a version with a tag or a digest, e.g. {} or {}",
        quoted(&format!("{name}:1.0")),
        quoted(&format!("{name}@sha256:<digest>"))
    )
}

/// True when a string `image` is a registry reference rather than a local path (same heuristic
/// as the runtime's `looksLikeRegistryReference`).
pub(crate) fn looks_like_registry_reference(image: &str) -> bool {
    if image.starts_with("./")
        || image.starts_with("../")
        || image.starts_with('/')
        || image.starts_with('~')
        || image == "."
        || image == ".."
    {
        return false;
    }
    if image.contains("@sha256:") {
        return true;
    }
    let first = image.split('/').next().unwrap_or("");
    if image.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost") {
        return true;
    }
    // `nginx:1.27` or `acme/api:2`: lower-case path segments and a tag.
    let Some((name, tag)) = image.rsplit_once(':') else {
        return false;
    };
    let segment_ok = |s: &str| {
        let mut c = s.chars();
        matches!(c.next(), Some(f) if f.is_ascii_lowercase() || f.is_ascii_digit())
            && c.all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            })
    };
    let tag_ok = {
        let mut c = tag.chars();
        matches!(c.next(), Some(f) if f.is_ascii_alphanumeric() || f == '_')
            && c.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    tag_ok && !name.is_empty() && name.split('/').all(segment_ok)
}

/// A registry reference carries a `:tag` after its last `/` (`[A-Za-z0-9_][A-Za-z0-9._-]*`, Docker's
/// tag grammar), or an `@algorithm:hex` digest (the runtime's `hasTagOrDigest`, same grammar).
pub(crate) fn has_tag_or_digest(reference: &str) -> bool {
    if let Some((_, digest)) = reference.rsplit_once('@') {
        return digest.split_once(':').is_some_and(|(alg, hex)| {
            alg.starts_with(|c: char| c.is_ascii_alphanumeric())
                && alg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '_' | '-'))
                && !hex.is_empty()
                && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
    }
    let last = reference.rsplit('/').next().unwrap_or(reference);
    last.split_once(':').is_some_and(|(name, tag)| {
        !name.is_empty()
            && tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            && tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    })
}

/// The registry host of a reference, as Docker reads it: the first `/`-separated component when
/// it contains `.` or `:` or is `localhost`; `None` for `nginx:1.27` or `acme/app:1`.
pub(crate) fn registry_host(reference: &str) -> Option<&str> {
    let (first, _) = reference.split_once('/')?;
    (first.contains('.') || first.contains(':') || first == "localhost").then_some(first)
}

/// `^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$` (the table's `registries.ecrPattern`,
/// which `build.rs` checks against this implementation).
fn is_ecr_host(host: &str) -> bool {
    let Some(rest) = host.strip_suffix(".amazonaws.com") else {
        return false;
    };
    let Some((account, region)) = rest.split_once(".dkr.ecr.") else {
        return false;
    };
    account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// True for the registries Cloudflare pulls from; port and case are ignored, as wrangler's URL
/// parse ignores them.
pub(crate) fn is_supported_registry_host(host: &str) -> bool {
    let hostname = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    hostname == CLOUDFLARE_REGISTRY || hostname == DOCKER_HUB_REGISTRY || is_ecr_host(&hostname)
}

/// `nginx:1.27` → `docker.io/library/nginx:1.27`; `acme/app:1` → `docker.io/acme/app:1`.
pub(crate) fn qualified_docker_hub_reference(reference: &str) -> String {
    if reference.contains('/') {
        format!("{DOCKER_HUB_REGISTRY}/{reference}")
    } else {
        format!("{DOCKER_HUB_REGISTRY}/library/{reference}")
    }
}

/// `https://` in `https://docker.io/x:1`.
fn url_scheme(reference: &str) -> Option<&str> {
    let (scheme, _) = reference.split_once("://")?;
    (scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
    .then(|| &reference[..scheme.len() + 3])
}

/// Checks a `{ registry }` reference (not blank): no scheme, a registry host Cloudflare pulls
/// from, and a tag or digest. Reports the first problem at `value`.
pub(crate) fn check(c: &mut Checker<'_>, r: &str, value: &Value) -> bool {
    if let Some(scheme) = url_scheme(r) {
        c.error(
            INVALID_IMAGE,
            message_scheme(scheme),
            value,
            help_scheme(&r[scheme.len()..]),
        );
        return false;
    }
    let Some(host) = registry_host(r) else {
        let tagged = if has_tag_or_digest(r) {
            r.to_string()
        } else {
            format!("{r}:<tag>")
        };
        c.error(
            REGISTRY_MISSING_HOST,
            message_missing_host(r),
            value,
            help_missing_host(&tagged),
        );
        return false;
    };
    if !is_supported_registry_host(host) {
        let hostname = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
        let help = if hostname == "registry-1.docker.io" || hostname == "index.docker.io" {
            help_docker_hub_alias(&format!("{DOCKER_HUB_REGISTRY}{}", &r[host.len()..]))
        } else {
            help_unsupported()
        };
        c.error(UNSUPPORTED_REGISTRY, message_unsupported(host), value, help);
        return false;
    }
    if !has_tag_or_digest(r) {
        let name = r.split('@').next().unwrap_or(r);
        c.error(
            REGISTRY_MISSING_TAG,
            message_missing_tag(r),
            value,
            help_missing_tag(name),
        );
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    documented_examples!("registry.rs");

    #[test]
    fn references_as_docker_reads_them() {
        assert!(looks_like_registry_reference("nginx:1.27"));
        assert!(looks_like_registry_reference("ghcr.io/acme/app"));
        assert!(!looks_like_registry_reference("./containers/app"));
        assert!(!looks_like_registry_reference("containers/app/Dockerfile"));
        assert!(has_tag_or_digest("localhost:5000/app:1"));
        assert!(!has_tag_or_digest("localhost:5000/app"));
        assert_eq!(registry_host("nginx:1.27"), None);
        assert_eq!(
            registry_host("registry.cloudflare.com/a/b:1"),
            Some("registry.cloudflare.com")
        );
        assert!(is_supported_registry_host(
            "123456789012.dkr.ecr.us-east-1.amazonaws.com"
        ));
        assert!(!is_supported_registry_host(
            "12345.dkr.ecr.us-east-1.amazonaws.com"
        ));
    }
}
