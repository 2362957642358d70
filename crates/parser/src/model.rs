//! The validated model of `lunora/containers.ts`. Codegen and the CLI only ever see these types;
//! every value in them has passed the rules in DESIGN.md ("The input").
//!
//! Spans are byte ranges into the `containers.ts` text, kept for diagnostics raised later (the
//! CLI's checks that a Dockerfile exists, say).

use lunora_diagnostic::Span;
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything `lunora` knows about one `export const <name> = defineContainer({...})`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainerSpec {
    /// The exported identifier, e.g. `imageResizer`.
    pub export_name: String,
    /// `ImageResizerContainer`.
    pub class_name: String,
    /// `CONTAINER_IMAGE_RESIZER`.
    pub binding: String,
    /// `image-resizer` (used for the Railpack tag `lunora-image-resizer:build` and scaffolds).
    pub kebab_name: String,
    /// Span of the export name in the declaration.
    #[serde(serialize_with = "serialize_span")]
    pub span: Span,

    pub image: ImageSource,
    #[serde(serialize_with = "serialize_span")]
    pub image_span: Span,
    pub default_port: Option<u16>,
    pub required_ports: Option<Vec<u16>>,
    pub instance_type: Option<InstanceType>,
    pub max_instances: Option<u32>,
    pub sleep_after: Option<Duration>,
    pub hard_timeout: Option<Duration>,
    pub ready_on: Option<Vec<ReadyProbe>>,
    pub ping_endpoint: Option<String>,
    /// Static `env` entries. `None` when absent *or* when `env` is a dynamic expression.
    pub env: Option<BTreeMap<String, String>>,
    /// Names of Worker secrets (never values).
    pub secrets: Option<Vec<String>>,
    /// container env-var name → Secrets Store binding name.
    pub secrets_store: Option<BTreeMap<String, String>>,
    /// wrangler `image_vars`.
    pub build_args: Option<BTreeMap<String, String>>,
    pub entrypoint: Option<Vec<String>>,
    /// `Some` only when written as a literal `true`/`false`.
    pub enable_internet: Option<bool>,
    pub allowed_hosts: Option<Vec<String>>,
    pub denied_hosts: Option<Vec<String>>,
    pub intercept_https: Option<bool>,
    pub labels: Option<BTreeMap<String, String>>,
    /// wrangler `containers[].name` override.
    pub name: Option<String>,
    pub rollout: Option<Rollout>,
}

/// Spans serialise as `[start, end]` byte offsets (the diagnostic crate's `Span` has no serde).
fn serialize_span<S: serde::Serializer>(span: &Span, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeTuple;
    let mut t = s.serialize_tuple(2)?;
    t.serialize_element(&span.start)?;
    t.serialize_element(&span.end)?;
    t.end()
}

/// Where the image comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ImageSource {
    /// A local path, as written (normalised to start with `./` unless absolute, no trailing `/`).
    /// Whether it names a Dockerfile or a directory holding one is decided on disk by the CLI:
    /// the parser never touches the disk.
    Local { path: String },
    /// A pre-built image reference with a `:tag` or `@digest`.
    Registry { reference: String },
    /// A source directory built with Railpack and pushed as `lunora-<kebab>:build`.
    Build { dir: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum InstanceType {
    /// `lite`, `basic`, `standard-1` … `standard-4`.
    Named(String),
    Custom {
        vcpu: f64,
        memory_mib: u32,
        disk_mb: u32,
    },
}

/// `"5m"`-style durations are kept as written; `seconds` is the resolved value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duration {
    pub seconds: u64,
    /// The form the user wrote, e.g. `"5m"` or `300`.
    pub written: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadyProbe {
    /// Always starts with `/`.
    pub path: String,
    pub port: Option<u16>,
    pub status: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rollout {
    pub step_percentage: Option<StepPercentage>,
    pub grace_period_seconds: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum StepPercentage {
    One(u8),
    Steps(Vec<u8>),
}

/// `imageResizer` → `ImageResizerContainer`.
pub fn class_name_for(export_name: &str) -> String {
    let mut out = String::new();
    for word in words(export_name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(&chars.as_str().to_lowercase());
        }
    }
    out.push_str("Container");
    out
}

/// `imageResizer` → `CONTAINER_IMAGE_RESIZER`; `image_resizer` maps to the same binding.
pub fn binding_for(export_name: &str) -> String {
    let upper: Vec<String> = words(export_name)
        .iter()
        .map(|w| w.to_uppercase())
        .collect();
    format!("CONTAINER_{}", upper.join("_"))
}

/// `imageResizer` → `image-resizer`.
pub fn kebab_for(export_name: &str) -> String {
    let lower: Vec<String> = words(export_name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect();
    lower.join("-")
}

/// Splits an identifier into words at `_`, `-`, `$`, and lower→upper boundaries
/// (`HTTPServer` → `HTTP`, `Server`).
pub fn words(ident: &str) -> Vec<String> {
    let chars: Vec<char> = ident.chars().collect();
    let mut words = Vec::new();
    let mut cur = String::new();
    for i in 0..chars.len() {
        let c = chars[i];
        if c == '_' || c == '-' || c == '$' || c.is_whitespace() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&prev) = cur.chars().last().as_ref() {
            let next = chars.get(i + 1).copied();
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_uppercase()
                    && c.is_uppercase()
                    && next.is_some_and(|n| n.is_lowercase()));
            if boundary {
                words.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming_follows_design() {
        assert_eq!(class_name_for("imageResizer"), "ImageResizerContainer");
        assert_eq!(binding_for("imageResizer"), "CONTAINER_IMAGE_RESIZER");
        assert_eq!(kebab_for("imageResizer"), "image-resizer");
        assert_eq!(binding_for("image_resizer"), "CONTAINER_IMAGE_RESIZER");
        assert_eq!(class_name_for("transcoder"), "TranscoderContainer");
        assert_eq!(binding_for("HTTPServer"), "CONTAINER_HTTP_SERVER");
        assert_eq!(class_name_for("ffmpeg2"), "Ffmpeg2Container");
        assert_eq!(binding_for("ffmpeg2"), "CONTAINER_FFMPEG2");
    }
}
