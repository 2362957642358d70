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
    /// `defaultPort` or `requiredPorts` (or one of its items) is an expression only the runtime
    /// can read, so the two fields above may not list every port the container declares.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dynamic_ports: bool,
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
    /// Where `instanceType` is written, when `instance_type` is `Some`: for lints over the model
    /// (the advisor's `container_oversized_instance`). Not serialised.
    #[serde(skip)]
    pub instance_type_at: Option<ValueAt>,
    /// Where `enableInternet` is written when it is an expression codegen cannot read (then
    /// `enable_internet` is `None`); `None` when it is a literal or left out. Not serialised.
    #[serde(skip)]
    pub enable_internet_at: Option<Span>,
}

/// Where a value is written: its span in the container, and the literal it came from when it
/// was read through a `const` declared elsewhere in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ValueAt {
    pub span: Span,
    pub origin: Option<Span>,
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

// Naming has one home, `lunora-naming`; re-exported so callers of the parser keep compiling.
pub use lunora_naming::{
    binding_for, camel_case_name, class_name_for, dash_case_name, kebab_for, railpack_tag_for,
};

/// Property names every JavaScript object inherits from `Object.prototype` (those not starting
/// with `_`, which the name rule excludes anyway). `ctx.containers` is keyed by export name, so
/// one of these would collide with the inherited member.
const OBJECT_PROTOTYPE_NAMES: &[&str] = &[
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "toString",
    "valueOf",
];

/// Device names Windows reserves in every directory (`con`, `nul`, `com1`, …); a scaffold
/// directory `containers/<dir>` cannot be one.
pub fn is_windows_device_name(dir: &str) -> bool {
    let dir = dir.to_ascii_lowercase();
    let dir = dir.as_str();
    matches!(dir, "con" | "prn" | "aux" | "nul")
        || ((dir.starts_with("com") || dir.starts_with("lpt"))
            && dir.len() == 4
            && matches!(dir.as_bytes()[3], b'1'..=b'9'))
}

/// Why an export name cannot name a container, with what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportNameProblem {
    /// Says what is wrong, naming the export.
    pub message: String,
    /// What to write instead.
    pub help: String,
}

/// The rule for a container's export name, chosen so that every name derived from it is valid:
/// ASCII letters and digits, starting with a letter, optionally words joined by single `_`
/// (`^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$`). Then the class `<Name>Container` is a JavaScript
/// identifier, the binding is `CONTAINER_[A-Z0-9_]+`, the Railpack tag `lunora-<stem>:build` is a
/// valid Docker reference (lower-case alphanumerics joined by single `-` or `_`) and the scaffold
/// directory `containers/<dir>` is `[a-z0-9-]+`. Names inherited from `Object.prototype` and
/// names whose directory is a Windows device name are refused too.
pub fn check_export_name(name: &str) -> Result<(), ExportNameProblem> {
    let example = "for example `imageResizer` or `image_resizer`";
    let problem = |why: String, help: String| {
        Err(ExportNameProblem {
            message: format!("`{name}` cannot name a container: {why}"),
            help,
        })
    };
    if let Some(c) = name.chars().find(|c| !c.is_ascii()) {
        return problem(
            format!("`{c}` is not ASCII, and the class, `CONTAINER_*` binding and image tag made from the name must be ASCII"),
            format!("rename it with ASCII letters and digits, {example}"),
        );
    }
    if let Some(c) = name
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
    {
        return problem(
            format!("`{c}` is not a letter, digit or `_`"),
            format!("rename it with letters and digits, {example}"),
        );
    }
    if name.contains('$') {
        let without: String = name.chars().filter(|&c| c != '$').collect();
        let help = match check_export_name(&without) {
            Ok(()) => format!("rename it to `{without}`"),
            Err(_) => format!("rename it with letters and digits, {example}"),
        };
        return problem(
            "`$` is not allowed in the image tag or the `CONTAINER_*` binding made from the name"
                .to_string(),
            help,
        );
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        let trimmed = name.trim_start_matches('_');
        let help = if trimmed.starts_with(|c: char| c.is_ascii_alphabetic())
            && check_export_name(trimmed).is_ok()
        {
            format!("rename it to `{trimmed}`")
        } else {
            format!("start it with a letter, {example}")
        };
        return problem("it must start with a letter".to_string(), help);
    }
    if name.ends_with('_') || name.contains("__") {
        let collapsed = name
            .split('_')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        return problem(
            "`_` must join two words (no trailing or doubled `_`), because the image tag allows only single separators".to_string(),
            format!("rename it to `{collapsed}`"),
        );
    }
    if name == "then" {
        return problem(
            "`ctx.containers.then` would make the handles object look like a promise, so `await` on it would call this container".to_string(),
            format!("choose another name, e.g. `{name}Service`"),
        );
    }
    if OBJECT_PROTOTYPE_NAMES.contains(&name) {
        return problem(
            format!("every JavaScript object already has a `{name}` member, so `ctx.containers.{name}` would not be this container"),
            format!("choose another name, e.g. `{name}Service`"),
        );
    }
    let dir = dash_case_name(name);
    if is_windows_device_name(&dir) {
        return problem(
            format!("its directory `containers/{dir}` is a reserved device name on Windows"),
            format!("choose another name, e.g. `{name}Service`"),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases checked by hand against Lunora's sources (anolilab/lunora):
    /// `packages/container/src/define-container.ts` (`containerClassName`, `containerBindingName`,
    /// `containerBuildTag`; its tests in `packages/container/__tests__/define-container.test.ts`
    /// assert `ffmpeg2Pass` → `CONTAINER_FFMPEG2_PASS`) and `.vis/templates/_helpers/case.ts`
    /// (`camelCase`, `dashCase`, used by `.vis/templates/lunora-container.ts` for the export name and
    /// the `containers/<dir>` scaffold directory).
    #[test]
    fn naming_matches_lunora() {
        // export name, class, binding, Railpack tag, scaffold directory (dashCase of the name)
        let cases: &[(&str, &str, &str, &str, &str)] = &[
            (
                "transcoder",
                "TranscoderContainer",
                "CONTAINER_TRANSCODER",
                "lunora-transcoder:build",
                "transcoder",
            ),
            (
                "imageResizer",
                "ImageResizerContainer",
                "CONTAINER_IMAGE_RESIZER",
                "lunora-image-resizer:build",
                "image-resizer",
            ),
            (
                "ffmpeg2Pass",
                "Ffmpeg2PassContainer",
                "CONTAINER_FFMPEG2_PASS",
                "lunora-ffmpeg2-pass:build",
                "ffmpeg2-pass",
            ),
            (
                "myHTTPServer",
                "MyHTTPServerContainer",
                "CONTAINER_MY_HTTPSERVER",
                "lunora-my-httpserver:build",
                "my-httpserver",
            ),
            (
                "HTTPServer",
                "HTTPServerContainer",
                "CONTAINER_HTTPSERVER",
                "lunora-httpserver:build",
                "httpserver",
            ),
            (
                "image_resizer",
                "Image_resizerContainer",
                "CONTAINER_IMAGE_RESIZER",
                "lunora-image_resizer:build",
                "image-resizer",
            ),
            (
                "ffmpeg2",
                "Ffmpeg2Container",
                "CONTAINER_FFMPEG2",
                "lunora-ffmpeg2:build",
                "ffmpeg2",
            ),
            (
                "a2b",
                "A2bContainer",
                "CONTAINER_A2B",
                "lunora-a2b:build",
                "a2b",
            ),
            (
                "provisionBox",
                "ProvisionBoxContainer",
                "CONTAINER_PROVISION_BOX",
                "lunora-provision-box:build",
                "provision-box",
            ),
        ];
        for &(export, class, binding, tag, dir) in cases {
            assert_eq!(class_name_for(export), class, "class of {export}");
            assert_eq!(binding_for(export), binding, "binding of {export}");
            assert_eq!(railpack_tag_for(export), tag, "tag of {export}");
            assert_eq!(dash_case_name(export), dir, "directory of {export}");
            assert_eq!(
                check_export_name(export),
                Ok(()),
                "{export} is a valid name"
            );
        }
    }

    /// `generate --name=<raw>`: the export name is Lunora's `camelCase(raw)`, the directory its
    /// `dashCase(raw)` (`.vis/templates/lunora-container.ts`).
    #[test]
    fn generate_names_match_lunora() {
        let cases: &[(&str, &str, &str)] = &[
            ("ffmpeg2Pass", "ffmpeg2Pass", "ffmpeg2-pass"),
            ("image-resizer", "imageResizer", "image-resizer"),
            ("image_resizer", "imageResizer", "image-resizer"),
            ("imageResizer", "imageResizer", "image-resizer"),
            ("transcoder", "transcoder", "transcoder"),
            ("Transcoder", "transcoder", "transcoder"),
            ("my-HTTP-server", "myHTTPServer", "my-http-server"),
            ("a-1", "a1", "a-1"),
            ("video--encoder", "videoEncoder", "video--encoder"),
            ("clear presence", "clearPresence", "clear-presence"),
            ("a-", "a-", "a-"),
            ("a__", "a_", "a-"),
        ];
        for &(raw, export, dir) in cases {
            assert_eq!(camel_case_name(raw), export, "export name for --name={raw}");
            assert_eq!(dash_case_name(raw), dir, "directory for --name={raw}");
        }
    }

    #[test]
    fn export_names_whose_derived_names_would_be_invalid_are_refused() {
        for bad in [
            "ñandú",
            "$",
            "_",
            "__proto__",
            "_internal",
            "a$b",
            "a__b",
            "a_",
            "constructor",
            "toString",
            "valueOf",
            "hasOwnProperty",
            "isPrototypeOf",
            "propertyIsEnumerable",
            "toLocaleString",
            "then",
            "con",
            "Con",
            "aux",
            "nul",
            "com1",
            "lpt9",
        ] {
            let problem = check_export_name(bad).expect_err(bad);
            assert!(
                problem
                    .message
                    .starts_with(&format!("`{bad}` cannot name a container: ")),
                "{problem:?}"
            );
            assert!(!problem.help.is_empty());
        }
        assert_eq!(
            check_export_name("$foo").unwrap_err().help,
            "rename it to `foo`"
        );
        assert_eq!(
            check_export_name("_internal").unwrap_err().help,
            "rename it to `internal`"
        );
        assert_eq!(
            check_export_name("a__b").unwrap_err().help,
            "rename it to `a_b`"
        );
        for good in [
            "a", "A", "x1", "a_b", "a_2", "console", "com10", "comx", "lpt",
        ] {
            assert_eq!(check_export_name(good), Ok(()), "{good}");
        }
    }
}
