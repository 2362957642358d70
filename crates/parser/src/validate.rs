//! Raw values → validated [`ContainerSpec`]: the one place where the rules of DESIGN.md
//! ("The input") are applied. Every violation is a located diagnostic; a container with any
//! error yields no spec.

use crate::eval::{number_to_string, Dynamic, Kind, Prop, Value};
use crate::model::*;
use lunora_diagnostic::{Diagnostic, Severity, Span};
use std::collections::BTreeMap;

use crate::codes::*;
use crate::rules::*;

/// Facts about the containers validated so far in one file, for rules that span containers.
#[derive(Debug, Default)]
pub(crate) struct AcrossContainers {
    /// wrangler `containers[].name` values seen, with the export and the span of the value.
    names: Vec<(String, String, Span)>,
}

/// What to write for a field, used in "not static" and "wrong type" help lines.
fn example(field: &str) -> &'static str {
    match field {
        "image" => "`image: \"./containers/<name>\"`, `image: { registry: \"docker.io/acme/app:1.0\" }` or `image: { build: \"./services/<name>\" }`",
        "defaultPort" => "`defaultPort: 8080`",
        "requiredPorts" => "`requiredPorts: [8080, 9090]`",
        "instanceType" => "`instanceType: \"standard-1\"` or `instanceType: { vcpu: 1, memoryMib: 4096, diskMb: 8000 }`",
        "maxInstances" => "`maxInstances: 5`",
        "sleepAfter" => "`sleepAfter: \"5m\"` (\"30s\", \"5m\", \"1h\") or a positive number of seconds",
        "hardTimeout" => "`hardTimeout: \"1h\"` (\"30s\", \"5m\", \"1h\") or a positive number of seconds",
        "readyOn" => "`readyOn: [{ path: \"/ready\" }, { path: \"/live\", port: 9090, status: 204 }]`",
        "pingEndpoint" => "`pingEndpoint: \"/healthz\"`",
        "env" => "`env: { LOG_LEVEL: \"info\" }`",
        "secrets" => "`secrets: [\"API_KEY\"]`",
        "secretsStore" => "`secretsStore: { STRIPE_KEY: \"STRIPE_SECRET\" }`",
        "buildArgs" => "`buildArgs: { NODE_VERSION: \"22\" }`",
        "entrypoint" => "`entrypoint: [\"node\", \"server.mjs\"]`",
        "enableInternet" => "`enableInternet: false`",
        "allowedHosts" => "`allowedHosts: [\"*.stripe.com\"]`",
        "deniedHosts" => "`deniedHosts: [\"*.evil.com\"]`",
        "interceptHttps" => "`interceptHttps: true`",
        "labels" => "`labels: { team: \"media\" }`",
        "name" => "`name: \"transcoder\"`",
        "rollout" => "`rollout: { stepPercentage: 25, gracePeriodSeconds: 300 }`",
        _ => "a literal value",
    }
}

/// Keys of a map as written, with their spans (for collision checks).
type KeySpans = Vec<(String, Span)>;

pub(crate) struct Checker<'a> {
    pub file: &'a str,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

/// True for `[A-Za-z_][A-Za-z0-9_]*`.
pub(crate) fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_integer(n: f64) -> bool {
    n.is_finite() && n.fract() == 0.0
}

/// Edit distance, case-insensitive; used for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a small edit distance.
pub(crate) fn suggest<'k>(word: &str, candidates: &[&'k str]) -> Option<&'k str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

impl Checker<'_> {
    fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// An error whose primary label is at `value`, plus a secondary label at the literal when the
    /// value came through a `const`.
    fn report(
        &mut self,
        severity: Severity,
        code: &str,
        message: String,
        value: &Value,
        help: Option<String>,
    ) {
        let mut d =
            Diagnostic::new(severity, code, message).with_primary(self.file, value.span, "");
        if let Some(origin) = value.origin {
            if origin != value.span {
                d = d.with_secondary(self.file, origin, "value defined here");
            }
        }
        d.help = help;
        self.diagnostics.push(d);
    }

    fn error(
        &mut self,
        code: &str,
        message: impl Into<String>,
        value: &Value,
        help: impl Into<String>,
    ) {
        self.report(
            Severity::Error,
            code,
            message.into(),
            value,
            Some(help.into()),
        );
    }

    fn error_at(
        &mut self,
        code: &str,
        message: impl Into<String>,
        span: Span,
        help: impl Into<String>,
    ) {
        self.diagnostics.push(
            Diagnostic::error(code, message)
                .with_primary(self.file, span, "")
                .with_help(help),
        );
    }

    fn wrong_type(&mut self, path: &str, field: &str, expected: &str, value: &Value) {
        self.error(
            WRONG_TYPE,
            format!("`{path}` must be {expected}, not {}", value.type_name()),
            value,
            format!("write {}", example(field)),
        );
    }

    /// Handles a value that is not static. Deploy fields report it (once); runtime fields accept it.
    fn not_static(&mut self, path: &str, field: &str, d: &Dynamic, deploy: bool) {
        if d.reported || !deploy {
            return;
        }
        let mut diag = Diagnostic::error(
            NOT_STATIC,
            format!(
                "`{path}` must be static because it is written into wrangler.jsonc: {}",
                d.why
            ),
        )
        .with_primary(self.file, d.culprit, "not a static value");
        if let Some((span, msg)) = &d.related {
            diag = diag.with_secondary(self.file, *span, msg.clone());
        }
        diag = diag.with_help(format!(
            "write {} (a literal or a `const` declared in this file)",
            example(field)
        ));
        self.diagnostics.push(diag);
    }

    /// `Some(kind)` for a present static value; `None` (after reporting when needed) otherwise.
    fn present<'v>(
        &mut self,
        path: &str,
        field: &str,
        value: &'v Value,
        deploy: bool,
    ) -> Option<&'v Kind> {
        match &value.kind {
            Kind::Undefined => None,
            Kind::Dynamic(d) => {
                self.not_static(path, field, d, deploy);
                None
            }
            kind => Some(kind),
        }
    }

    fn string<'v>(
        &mut self,
        path: &str,
        field: &str,
        value: &'v Value,
        deploy: bool,
    ) -> Option<&'v str> {
        match self.present(path, field, value, deploy)? {
            Kind::Str(s) => Some(s),
            _ => {
                self.wrong_type(path, field, "a string", value);
                None
            }
        }
    }

    fn number(&mut self, path: &str, field: &str, value: &Value, deploy: bool) -> Option<f64> {
        match self.present(path, field, value, deploy)? {
            Kind::Num(n) => Some(*n),
            _ => {
                self.wrong_type(path, field, "a number", value);
                None
            }
        }
    }

    fn boolean(&mut self, path: &str, field: &str, value: &Value) -> Option<bool> {
        match self.present(path, field, value, false)? {
            Kind::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(path, field, "`true` or `false`", value);
                None
            }
        }
    }

    fn array<'v>(
        &mut self,
        path: &str,
        field: &str,
        value: &'v Value,
        deploy: bool,
    ) -> Option<&'v [Value]> {
        match self.present(path, field, value, deploy)? {
            Kind::Array(items) => Some(items),
            _ => {
                self.wrong_type(path, field, "an array", value);
                None
            }
        }
    }

    fn object<'v>(
        &mut self,
        path: &str,
        field: &str,
        value: &'v Value,
        deploy: bool,
    ) -> Option<&'v [Prop]> {
        match self.present(path, field, value, deploy)? {
            Kind::Object(props) => Some(props),
            _ => {
                self.wrong_type(path, field, "an object", value);
                None
            }
        }
    }

    fn unknown_key(&mut self, prop: &Prop, where_: &str, known: &[&str]) {
        let help = match suggest(&prop.key, known) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "{where_} accepts: {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.error_at(
            UNKNOWN_KEY,
            format!("unknown key `{}` in {where_}", prop.key),
            prop.key_span,
            help,
        );
    }

    fn port(&mut self, path: &str, field: &str, value: &Value) -> Option<u16> {
        let n = self.number(path, field, value, false)?;
        if is_integer(n) && (PORT_MIN..=PORT_MAX).contains(&n) {
            Some(n as u16)
        } else {
            self.error(
                INVALID_PORT,
                format!(
                    "`{path}` must be an integer port in 1–65535, not {}",
                    number_to_string(n)
                ),
                value,
                format!("write a port such as {}", example(field)),
            );
            None
        }
    }

    fn duration(&mut self, path: &str, value: &Value) -> Option<Duration> {
        let kind = self.present(path, path, value, false)?;
        let parsed = match kind {
            Kind::Str(s) => parse_duration(s).map(|seconds| Duration {
                seconds,
                written: s.clone(),
            }),
            Kind::Num(n) if is_integer(*n) && *n > 0.0 && *n <= u64::MAX as f64 => Some(Duration {
                seconds: *n as u64,
                written: number_to_string(*n),
            }),
            Kind::Num(_) => None,
            _ => {
                self.wrong_type(
                    path,
                    path,
                    "a duration string or a number of seconds",
                    value,
                );
                return None;
            }
        };
        if parsed.is_none() {
            let shown = match kind {
                Kind::Str(s) => quoted(s),
                Kind::Num(n) => number_to_string(*n),
                _ => String::new(),
            };
            self.error(
                INVALID_DURATION,
                format!("`{path}` is not a valid duration: {shown}"),
                value,
                format!("write {}", example(path)),
            );
        }
        parsed
    }

    fn env_name(&mut self, path: &str, name: &str, span: Span, what: &str) -> bool {
        if is_env_name(name) {
            return true;
        }
        self.error_at(
            INVALID_ENV_NAME,
            format!("`{name}` in `{path}` is not a valid {what} name"),
            span,
            "use letters, digits and `_`, not starting with a digit (e.g. `API_KEY`)",
        );
        false
    }

    /// A `{ NAME: "value" }` map. `names` checks keys as environment variable names. Returns
    /// `None` unless every entry is static and valid; the key spans are returned for collisions.
    fn string_map(
        &mut self,
        field: &str,
        value: &Value,
        deploy: bool,
        names: bool,
    ) -> (Option<BTreeMap<String, String>>, KeySpans) {
        let Some(props) = self.object(field, field, value, deploy) else {
            return (None, Vec::new());
        };
        let mut map = BTreeMap::new();
        let mut keys = Vec::new();
        let mut complete = true;
        for prop in props {
            keys.push((prop.key.clone(), prop.key_span));
            let path = format!("{field}.{}", prop.key);
            if names {
                complete &= self.env_name(field, &prop.key, prop.key_span, "variable");
            } else if prop.key.trim().is_empty() {
                self.error_at(
                    EMPTY_VALUE,
                    format!("`{field}` has an empty key"),
                    prop.key_span,
                    "give the entry a name",
                );
                complete = false;
            }
            match &prop.value.kind {
                Kind::Str(s) => {
                    map.insert(prop.key.clone(), s.clone());
                }
                // `{ KEY: undefined }` sets nothing, as at runtime.
                Kind::Undefined => {}
                Kind::Num(_) | Kind::Bool(_) => {
                    let literal = match &prop.value.kind {
                        Kind::Num(n) => number_to_string(*n),
                        Kind::Bool(b) => b.to_string(),
                        _ => unreachable!(),
                    };
                    self.error(
                        NON_STRING_VALUE,
                        format!("`{path}` must be a string, not {}", prop.value.type_name()),
                        &prop.value,
                        format!("quote it: `{}: \"{literal}\"`", prop.key),
                    );
                    complete = false;
                }
                Kind::Dynamic(d) => {
                    self.not_static(&path, field, d, deploy);
                    complete = false;
                }
                _ => {
                    self.wrong_type(&path, field, "a string", &prop.value);
                    complete = false;
                }
            }
        }
        (complete.then_some(map), keys)
    }

    /// An array of strings; `None` unless every element is static and a string.
    fn string_list<'v>(
        &mut self,
        field: &str,
        value: &'v Value,
        deploy: bool,
    ) -> Option<Vec<(String, &'v Value)>> {
        let items = self.array(field, field, value, deploy)?;
        let mut out = Vec::with_capacity(items.len());
        let mut complete = true;
        for (i, item) in items.iter().enumerate() {
            let path = format!("{field}[{i}]");
            match &item.kind {
                Kind::Str(s) => out.push((s.clone(), item)),
                Kind::Dynamic(d) => {
                    self.not_static(&path, field, d, deploy);
                    complete = false;
                }
                _ => {
                    self.wrong_type(&path, field, "a string", item);
                    complete = false;
                }
            }
        }
        complete.then_some(out)
    }
}

/// `"30s"` / `"5m"` / `"1h"` → seconds, for positive amounts.
fn parse_duration(s: &str) -> Option<u64> {
    let unit = match s.as_bytes().last()? {
        b's' => 1,
        b'm' => 60,
        b'h' => 3600,
        _ => return None,
    };
    let digits = &s[..s.len() - 1];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds = digits.parse::<u64>().ok()?.checked_mul(unit)?;
    (seconds > 0).then_some(seconds)
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
fn check_registry_reference(c: &mut Checker<'_>, r: &str, value: &Value) -> bool {
    if let Some(scheme) = url_scheme(r) {
        c.error(
            INVALID_IMAGE,
            format!("`image.registry` must not include a scheme (`{scheme}`)"),
            value,
            format!("write {}", quoted(&r[scheme.len()..])),
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
            format!("registry image {} names no registry host", quoted(r)),
            value,
            format!(
                "write {} for Docker Hub, or {} for an image pushed with `wrangler containers push`",
                quoted(&qualified_docker_hub_reference(&tagged)),
                quoted(&format!("{CLOUDFLARE_REGISTRY}/{tagged}"))
            ),
        );
        return false;
    };
    if !is_supported_registry_host(host) {
        let hostname = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
        let help = if hostname == "registry-1.docker.io" || hostname == "index.docker.io" {
            format!(
                "write {} (Docker Hub is addressed as {DOCKER_HUB_REGISTRY})",
                quoted(&format!("{DOCKER_HUB_REGISTRY}{}", &r[host.len()..]))
            )
        } else {
            format!(
                "push the image to the Cloudflare Registry ({CLOUDFLARE_REGISTRY}), Docker Hub ({DOCKER_HUB_REGISTRY}) or Amazon ECR ({ECR_REGISTRY_EXAMPLE}), and reference it there"
            )
        };
        c.error(
            UNSUPPORTED_REGISTRY,
            format!("Cloudflare does not pull images from {host}"),
            value,
            help,
        );
        return false;
    }
    if !has_tag_or_digest(r) {
        let name = r.split('@').next().unwrap_or(r);
        c.error(
            REGISTRY_MISSING_TAG,
            format!("registry image {} has no tag or digest", quoted(r)),
            value,
            format!(
                "pin a version with a tag or a digest, e.g. {} or {}",
                quoted(&format!("{name}:1.0")),
                quoted(&format!("{name}@sha256:<digest>"))
            ),
        );
        return false;
    }
    true
}

/// `containers/app/` → `./containers/app`; absolute paths stay absolute.
fn normalise_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        format!("./{joined}")
    }
}

fn image_path_ok(c: &mut Checker<'_>, path: &str, value: &Value, what: &str) -> bool {
    if path.trim().is_empty() {
        c.error(
            EMPTY_IMAGE,
            format!("`{what}` is empty"),
            value,
            format!("write {}", example("image")),
        );
        return false;
    }
    if path.contains('\\') {
        c.error(
            INVALID_IMAGE_PATH,
            format!("`{what}` uses `\\` in a path"),
            value,
            format!(
                "use `/` as the separator: {}",
                quoted(&path.replace('\\', "/"))
            ),
        );
        return false;
    }
    true
}

fn check_image(c: &mut Checker<'_>, value: &Value) -> Option<ImageSource> {
    match c.present("image", "image", value, true)? {
        Kind::Str(s) => {
            if !image_path_ok(c, s, value, "image") {
                return None;
            }
            if looks_like_registry_reference(s) {
                let qualified = match registry_host(s) {
                    Some(_) => s.to_string(),
                    None => qualified_docker_hub_reference(s),
                };
                c.error(
                    REGISTRY_STRING_IMAGE,
                    format!("`image: {}` looks like a registry reference, but a string image is a local path", quoted(s)),
                    value,
                    format!("write `image: {{ registry: {} }}`", quoted(&qualified)),
                );
                return None;
            }
            Some(ImageSource::Local {
                path: normalise_path(s),
            })
        }
        Kind::Object(props) => {
            let mut source = None;
            let mut ok = true;
            for prop in props {
                match prop.key.as_str() {
                    "registry" => {
                        let Some(r) = c.string("image.registry", "image", &prop.value, true) else {
                            ok = false;
                            continue;
                        };
                        if r.trim().is_empty() {
                            c.error(
                                EMPTY_IMAGE,
                                "`image.registry` is empty",
                                &prop.value,
                                format!("write {}", example("image")),
                            );
                            ok = false;
                        } else if !check_registry_reference(c, r, &prop.value) {
                            ok = false;
                        } else if source.is_none() {
                            source = Some(ImageSource::Registry {
                                reference: r.to_string(),
                            });
                        }
                    }
                    "build" => {
                        let Some(dir) = c.string("image.build", "image", &prop.value, true) else {
                            ok = false;
                            continue;
                        };
                        if !image_path_ok(c, dir, &prop.value, "image.build") {
                            ok = false;
                        } else if source.is_none() {
                            source = Some(ImageSource::Build {
                                dir: normalise_path(dir),
                            });
                        }
                    }
                    _ => {
                        c.unknown_key(prop, "`image`", IMAGE_KEYS);
                        ok = false;
                    }
                }
            }
            let has = |k: &str| props.iter().any(|p| p.key == k);
            if has("registry") && has("build") {
                c.error(
                    INVALID_IMAGE,
                    "`image` sets both `registry` and `build`",
                    value,
                    "keep one: `{ registry: \"…:tag\" }` for a pre-built image, `{ build: \"./dir\" }` for Railpack",
                );
                return None;
            }
            if source.is_none() && ok {
                c.error(
                    INVALID_IMAGE,
                    "`image` object needs `registry` or `build`",
                    value,
                    format!("write {}", example("image")),
                );
            }
            if ok {
                source
            } else {
                None
            }
        }
        _ => {
            c.wrong_type(
                "image",
                "image",
                "a path string, `{ registry }` or `{ build }`",
                value,
            );
            None
        }
    }
}

fn check_instance_type(c: &mut Checker<'_>, value: &Value) -> Option<InstanceType> {
    match c.present("instanceType", "instanceType", value, true)? {
        Kind::Str(s) => {
            if NAMED_INSTANCE_TYPES.contains(&s.as_str()) {
                return Some(InstanceType::Named(s.clone()));
            }
            let (code, message, help) = match renamed_instance_type(s) {
                Some(renamed) => (
                    DEPRECATED_INSTANCE_TYPE,
                    format!(
                        "instance type {} is deprecated by wrangler (renamed to {})",
                        quoted(s),
                        quoted(renamed)
                    ),
                    format!(
                        "write `instanceType: {}` (the same size: {})",
                        quoted(renamed),
                        instance_size(renamed)
                            .map(|(v, m, d)| describe_size(v, m, d))
                            .unwrap_or_default()
                    ),
                ),
                None => (
                    UNKNOWN_INSTANCE_TYPE,
                    format!("unknown instance type {}", quoted(s)),
                    match suggest(s, NAMED_INSTANCE_TYPES) {
                        Some(m) => format!("did you mean `{m}`?"),
                        None => format!(
                            "use one of {}, or a custom `{{ vcpu, memoryMib, diskMb }}`",
                            NAMED_INSTANCE_TYPES.join(", ")
                        ),
                    },
                ),
            };
            c.error(code, message, value, help);
            None
        }
        Kind::Object(props) => check_custom_instance(c, value, props),
        _ => {
            c.wrong_type(
                "instanceType",
                "instanceType",
                "a named type or `{ vcpu, memoryMib, diskMb }`",
                value,
            );
            None
        }
    }
}

/// `1/16 vCPU, 256 MiB memory, 2 GB disk`, the way the spec's instance table writes sizes (the
/// runtime's `describeSize`).
pub(crate) fn describe_size(vcpu: f64, memory_mib: f64, disk_mb: f64) -> String {
    let inverse = 1.0 / vcpu;
    let vcpu = if vcpu < 1.0 && is_integer(inverse) {
        format!("1/{}", number_to_string(inverse))
    } else {
        number_to_string(vcpu)
    };
    let memory = if memory_mib % 1024.0 == 0.0 {
        format!("{} GiB", number_to_string(memory_mib / 1024.0))
    } else {
        format!("{} MiB", number_to_string(memory_mib))
    };
    let disk = if disk_mb % 1000.0 == 0.0 {
        format!("{} GB", number_to_string(disk_mb / 1000.0))
    } else {
        format!("{} MB", number_to_string(disk_mb))
    };
    format!("{vcpu} vCPU, {memory} memory, {disk} disk")
}

/// A custom `{ vcpu, memoryMib, diskMb }`. A field left out takes wrangler's default
/// (`DEFAULT_VCPU`, `DEFAULT_MEMORY_MIB`, `DEFAULT_DISK_MB`, from the rule table), the limits
/// apply to the resulting size, and messages say which values were defaulted. The model holds
/// the resulting size.
fn check_custom_instance(
    c: &mut Checker<'_>,
    value: &Value,
    props: &[Prop],
) -> Option<InstanceType> {
    const LIMITS_HELP: &str =
        "stay within vcpu ≤ 4, memoryMib ≤ 12288, diskMb ≤ 20000, ≥ 3072 MiB per vCPU, ≤ 2 GB disk per GiB of memory";
    let mut ok = true;
    let (mut vcpu, mut memory, mut disk) = (None, None, None);
    for prop in props {
        let path = format!("instanceType.{}", prop.key);
        match prop.key.as_str() {
            "vcpu" => match c.number(&path, "instanceType", &prop.value, true) {
                Some(n) if n > 0.0 && n <= MAX_VCPU => vcpu = Some((n, &prop.value)),
                Some(n) => {
                    c.error(
                        CUSTOM_INSTANCE_LIMITS,
                        format!(
                            "`instanceType.vcpu` must be more than 0 and at most {}, not {}",
                            number_to_string(MAX_VCPU),
                            number_to_string(n)
                        ),
                        &prop.value,
                        LIMITS_HELP,
                    );
                    ok = false;
                }
                None => ok &= matches!(prop.value.kind, Kind::Undefined),
            },
            "memoryMib" | "diskMb" => {
                let max = if prop.key == "memoryMib" {
                    MAX_MEMORY_MIB
                } else {
                    MAX_DISK_MB
                };
                match c.number(&path, "instanceType", &prop.value, true) {
                    Some(n) if is_integer(n) && n > 0.0 && n <= max => {
                        if prop.key == "memoryMib" {
                            memory = Some((n, &prop.value));
                        } else {
                            disk = Some((n, &prop.value));
                        }
                    }
                    Some(n) => {
                        c.error(
                            CUSTOM_INSTANCE_LIMITS,
                            format!(
                                "`{path}` must be a positive integer of at most {}, not {}",
                                number_to_string(max),
                                number_to_string(n)
                            ),
                            &prop.value,
                            LIMITS_HELP,
                        );
                        ok = false;
                    }
                    None => ok &= matches!(prop.value.kind, Kind::Undefined),
                }
            }
            _ => {
                c.unknown_key(prop, "a custom `instanceType`", CUSTOM_INSTANCE_TYPE_KEYS);
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    let v = vcpu.map_or(DEFAULT_VCPU, |(n, _)| n);
    let m = memory.map_or(DEFAULT_MEMORY_MIB, |(n, _)| n);
    let d = disk.map_or(DEFAULT_DISK_MB, |(n, _)| n);
    let note = |given: bool, key: &str| {
        if given {
            String::new()
        } else {
            format!(" (wrangler's default when `{key}` is left out)")
        }
    };
    let min_memory = (MIN_MEMORY_MIB_PER_VCPU * v).ceil();
    if m < min_memory {
        c.error(
            CUSTOM_INSTANCE_LIMITS,
            format!(
                "{} MiB of memory{} is too little for {} vCPU{} (at least {} MiB per vCPU)",
                number_to_string(m),
                note(memory.is_some(), "memoryMib"),
                number_to_string(v),
                note(vcpu.is_some(), "vcpu"),
                number_to_string(MIN_MEMORY_MIB_PER_VCPU)
            ),
            memory.map_or(value, |(_, at)| at),
            format!(
                "write `memoryMib: {}` or more, or lower `vcpu`",
                number_to_string(min_memory)
            ),
        );
        ok = false;
    }
    // Checked only when the memory fits the vCPUs: raising the memory changes the disk bound.
    let max_disk = (MAX_DISK_MB_PER_MEMORY_GIB * m / 1024.0).floor();
    if ok && d > max_disk {
        c.error(
            CUSTOM_INSTANCE_LIMITS,
            format!(
                "{} MB of disk{} is too much for {} MiB of memory{} (at most 2 GB of disk per GiB of memory)",
                number_to_string(d),
                note(disk.is_some(), "diskMb"),
                number_to_string(m),
                note(memory.is_some(), "memoryMib")
            ),
            disk.map_or(value, |(_, at)| at),
            format!(
                "write `diskMb: {}` or less, or raise `memoryMib` to {} or more; the named types (e.g. \"lite\") are not bound by this ratio",
                number_to_string(max_disk),
                number_to_string((d * 1024.0 / MAX_DISK_MB_PER_MEMORY_GIB).ceil())
            ),
        );
        ok = false;
    }
    ok.then_some(InstanceType::Custom {
        vcpu: v,
        memory_mib: m as u32,
        disk_mb: d as u32,
    })
}

fn check_rollout(c: &mut Checker<'_>, value: &Value) -> Option<Rollout> {
    let props = c.object("rollout", "rollout", value, true)?;
    let mut rollout = Rollout {
        step_percentage: None,
        grace_period_seconds: None,
    };
    let mut ok = true;
    const STEP_HELP: &str =
        "write one of 5, 10, 20, 25, 50, 100, or an ascending list of steps between 10 and 100 ending in 100, e.g. `[10, 50, 100]`";
    for prop in props {
        match prop.key.as_str() {
            "stepPercentage" => {
                match c.present("rollout.stepPercentage", "rollout", &prop.value, true) {
                    None => {
                        ok &= matches!(prop.value.kind, Kind::Undefined);
                    }
                    Some(Kind::Num(n)) => {
                        if ROLLOUT_STEPS.iter().any(|s| f64::from(*s) == *n) {
                            rollout.step_percentage = Some(StepPercentage::One(*n as u8));
                        } else {
                            c.error(
                                INVALID_ROLLOUT_STEP,
                                format!(
                                    "`rollout.stepPercentage` cannot be {}",
                                    number_to_string(*n)
                                ),
                                &prop.value,
                                STEP_HELP,
                            );
                            ok = false;
                        }
                    }
                    Some(Kind::Array(items)) => {
                        let mut steps = Vec::new();
                        for (i, item) in items.iter().enumerate() {
                            let path = format!("rollout.stepPercentage[{i}]");
                            let Some(n) = c.number(&path, "rollout", item, true) else {
                                ok = false;
                                continue;
                            };
                            let ascending =
                                steps.last().is_none_or(|&prev: &u8| n > f64::from(prev));
                            if !is_integer(n)
                                || !(ROLLOUT_STEP_LIST_MIN..=ROLLOUT_STEP_LIST_MAX).contains(&n)
                                || !ascending
                            {
                                c.error(
                                INVALID_ROLLOUT_STEP,
                                format!(
                                    "`{path}` is {}; steps must be integers from 10 to 100, each larger than the last",
                                    number_to_string(n)
                                ),
                                item,
                                STEP_HELP,
                            );
                                ok = false;
                            } else {
                                steps.push(n as u8);
                            }
                        }
                        if ok && steps.last().map(|&s| f64::from(s)) != Some(ROLLOUT_STEP_LIST_LAST)
                        {
                            c.error(
                                INVALID_ROLLOUT_STEP,
                                "`rollout.stepPercentage` must end with 100",
                                &prop.value,
                                STEP_HELP,
                            );
                            ok = false;
                        }
                        if ok {
                            rollout.step_percentage = Some(StepPercentage::Steps(steps));
                        }
                    }
                    Some(_) => {
                        c.wrong_type(
                            "rollout.stepPercentage",
                            "rollout",
                            "a number or an array of numbers",
                            &prop.value,
                        );
                        ok = false;
                    }
                }
            }
            "gracePeriodSeconds" => {
                match c.number("rollout.gracePeriodSeconds", "rollout", &prop.value, true) {
                    Some(n)
                        if is_integer(n)
                            && n >= GRACE_PERIOD_SECONDS_MIN
                            && n <= u64::MAX as f64 =>
                    {
                        rollout.grace_period_seconds = Some(n as u64)
                    }
                    Some(n) => {
                        c.error(
                        INVALID_GRACE_PERIOD,
                        format!(
                            "`rollout.gracePeriodSeconds` must be a whole number of seconds ≥ 0, not {}",
                            number_to_string(n)
                        ),
                        &prop.value,
                        "write e.g. `gracePeriodSeconds: 300`",
                    );
                        ok = false;
                    }
                    None => ok &= matches!(prop.value.kind, Kind::Undefined),
                }
            }
            _ => {
                c.unknown_key(prop, "`rollout`", ROLLOUT_KEYS);
                ok = false;
            }
        }
    }
    ok.then_some(rollout)
}

/// The port a `readyOn` probe polls, as far as it can be read.
enum ProbePort {
    /// `port` written as a valid static port.
    Given(u16),
    /// No `port`: the probe polls `defaultPort`.
    Absent,
    /// Dynamic or invalid (already reported): nothing can be concluded.
    Unknown,
}

/// One probe's port, with the span to report port problems at (the `port` value, else the probe).
struct ProbePortAt {
    index: usize,
    port: ProbePort,
    span: Span,
}

/// Validates `readyOn`. Returns the probes when every one is static and valid, plus what is
/// known about each probe's port (for the checks against `defaultPort` and `requiredPorts`).
fn check_ready_on(
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
                            format!("`{p}` is empty"),
                            &prop.value,
                            "write the path to probe, e.g. `{ path: \"/ready\" }`",
                        );
                        complete = false;
                    }
                    Some(s) if s.trim() != s => {
                        has_path = true;
                        c.error(
                            PADDED_VALUE,
                            format!("`{p}` has leading or trailing whitespace: {}", quoted(s)),
                            &prop.value,
                            format!("write {}", quoted(s.trim())),
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
                "status" => match c.number(&p, "readyOn", &prop.value, false) {
                    Some(n)
                        if is_integer(n) && (READY_STATUS_MIN..=READY_STATUS_MAX).contains(&n) =>
                    {
                        probe.status = Some(n as u16)
                    }
                    Some(n) => {
                        c.error(
                            INVALID_READY_STATUS,
                            format!(
                                "`{p}` must be an HTTP status code in 100–599, not {}",
                                number_to_string(n)
                            ),
                            &prop.value,
                            "write e.g. `status: 204`",
                        );
                        complete = false;
                    }
                    None => complete &= matches!(prop.value.kind, Kind::Undefined),
                },
                _ => {
                    c.unknown_key(prop, "a `readyOn` probe", READY_PROBE_KEYS);
                    complete = false;
                }
            }
        }
        if !has_path {
            c.error(
                MISSING_READY_PATH,
                format!("`{path_prefix}` has no `path`"),
                item,
                "write e.g. `{ path: \"/ready\" }`",
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

/// What is known about a port field (`defaultPort`) for the `readyOn` port checks.
enum KnownPort {
    Absent,
    Known(u16),
    /// Dynamic or invalid: nothing can be concluded.
    Unknown,
}

/// `readyOn` probes against the declared ports: a probe without `port` in a container without
/// `defaultPort` has nothing to poll, and every start fails (`ready-port-missing`, an error);
/// a probe on a port that is neither `defaultPort` nor in `requiredPorts` works only if the app
/// happens to listen there, since start-up does not wait for that port (`ready-port-undeclared`,
/// a warning). Nothing is said when a port involved cannot be read statically.
fn check_ready_ports(
    c: &mut Checker<'_>,
    probes: &[ProbePortAt],
    default_port: KnownPort,
    required_ports: Option<Option<&[u16]>>,
) {
    for probe in probes {
        let i = probe.index;
        match (&probe.port, &default_port) {
            (ProbePort::Absent, KnownPort::Absent) => c.error_at(
                READY_PORT_MISSING,
                format!("`readyOn[{i}]` has no `port` and the container has no `defaultPort`, so the probe has no port to poll"),
                probe.span,
                "set `port` on the probe, or set `defaultPort`",
            ),
            (ProbePort::Given(port), _) => {
                let port = *port;
                let default = match default_port {
                    KnownPort::Known(p) => Some(p),
                    KnownPort::Absent => None,
                    KnownPort::Unknown => continue,
                };
                let required: &[u16] = match required_ports {
                    None => &[],
                    Some(Some(ports)) => ports,
                    Some(None) => continue,
                };
                if default == Some(port) || required.contains(&port) {
                    continue;
                }
                let mut declared: Vec<u16> = default.into_iter().collect();
                for p in required {
                    if !declared.contains(p) {
                        declared.push(*p);
                    }
                }
                let help = if declared.is_empty() {
                    format!("add `requiredPorts: [{port}]` (or `defaultPort: {port}`)")
                } else {
                    let list = |ports: &[u16]| {
                        ports.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
                    };
                    let mut with = declared.clone();
                    with.push(port);
                    format!(
                        "add {port} to `requiredPorts` (`requiredPorts: [{}]`), or probe one of {}",
                        list(&with),
                        list(&declared)
                    )
                };
                c.diagnostics.push(
                    Diagnostic::warning(
                        READY_PORT_UNDECLARED,
                        format!("`readyOn[{i}]` probes port {port}, which is neither `defaultPort` nor in `requiredPorts`; start-up does not wait for it"),
                    )
                    .with_primary(c.file, probe.span, "")
                    .with_help(help),
                );
            }
            _ => {}
        }
    }
}

fn check_hosts(c: &mut Checker<'_>, field: &str, value: &Value) -> Option<Vec<String>> {
    let list = c.string_list(field, value, false)?;
    let mut ok = true;
    for (i, (host, item)) in list.iter().enumerate() {
        let bad = host.trim().is_empty()
            || host.contains("://")
            || host.contains('/')
            || host.contains(char::is_whitespace);
        if bad {
            c.error(
                INVALID_HOST,
                format!("`{field}[{i}]` is not a host name or glob: {}", quoted(host)),
                item,
                "write a host such as \"api.github.com\" or a glob such as \"*.stripe.com\" (no scheme, path or whitespace)",
            );
            ok = false;
        }
    }
    ok.then(|| list.into_iter().map(|(s, _)| s).collect())
}

/// Validates one `defineContainer` argument. `config` is the evaluated object; `name_span` is the
/// export name; `errors_before` is the error count before the container's value was evaluated.
/// `incomplete` means an unreadable spread was already reported, so absent keys are not
/// reported again. Returns `None` when any error was reported for this container since then.
pub(crate) fn build_container(
    c: &mut Checker<'_>,
    across: &mut AcrossContainers,
    export_name: &str,
    name_span: Span,
    config: &Value,
    errors_before: usize,
    incomplete: bool,
) -> Option<ContainerSpec> {
    let props: &[Prop] = match &config.kind {
        Kind::Object(props) => props,
        Kind::Dynamic(d) => {
            if !d.reported {
                c.error_at(
                    NOT_STATIC,
                    format!("the argument of `defineContainer` for `{export_name}` cannot be read statically: {}", d.why),
                    d.culprit,
                    "pass an object literal: `defineContainer({ image: \"./containers/<name>\", … })`",
                );
            }
            return None;
        }
        _ => {
            c.error(
                WRONG_TYPE,
                format!(
                    "`defineContainer` takes an object, not {}",
                    config.type_name()
                ),
                config,
                "pass an object literal: `defineContainer({ image: \"./containers/<name>\", … })`",
            );
            return None;
        }
    };

    if let Err(problem) = check_export_name(export_name) {
        c.error_at(
            INVALID_EXPORT_NAME,
            problem.message,
            name_span,
            problem.help,
        );
    }
    let get = |key: &str| props.iter().find(|p| p.key == key);
    for prop in props {
        if !CONFIG_KEYS.contains(&prop.key.as_str()) {
            c.unknown_key(prop, "`defineContainer`", CONFIG_KEYS);
        }
    }

    let image_prop = get("image").filter(|p| !matches!(p.value.kind, Kind::Undefined));
    let image = match image_prop {
        Some(p) => check_image(c, &p.value),
        None if incomplete => None,
        None => {
            c.error_at(
                MISSING_IMAGE,
                format!("container `{export_name}` has no `image`"),
                name_span,
                format!("add {}", example("image")),
            );
            None
        }
    };
    let image_span = image_prop.map(|p| p.value.span).unwrap_or(name_span);

    let default_port =
        get("defaultPort").and_then(|p| c.port("defaultPort", "defaultPort", &p.value));
    let required_ports = get("requiredPorts").and_then(|p| {
        let items = c.array("requiredPorts", "requiredPorts", &p.value, false)?;
        if items.is_empty() {
            c.error(
                EMPTY_REQUIRED_PORTS,
                "`requiredPorts` is empty",
                &p.value,
                "list at least one port, e.g. `requiredPorts: [8080]`, or remove the field",
            );
            return None;
        }
        let mut ports = Vec::new();
        let mut complete = true;
        for (i, item) in items.iter().enumerate() {
            match c.port(&format!("requiredPorts[{i}]"), "requiredPorts", item) {
                Some(port) => ports.push(port),
                None => complete = false,
            }
        }
        complete.then_some(ports)
    });
    let dynamic_ports = ["defaultPort", "requiredPorts"].iter().any(|k| {
        get(k).is_some_and(|p| match &p.value.kind {
            Kind::Dynamic(_) => true,
            Kind::Array(items) => items.iter().any(|i| matches!(i.kind, Kind::Dynamic(_))),
            _ => false,
        })
    });
    if let (Some(port), Some(ports), Some(p)) = (default_port, &required_ports, get("defaultPort"))
    {
        if !ports.contains(&port) {
            c.report(
                Severity::Warning,
                DEFAULT_PORT_NOT_REQUIRED,
                format!("`defaultPort` {port} is not in `requiredPorts`"),
                &p.value,
                Some(format!(
                    "add {port} to `requiredPorts`, or make `defaultPort` one of them"
                )),
            );
        }
    }

    let instance_type = get("instanceType").and_then(|p| check_instance_type(c, &p.value));
    let max_instances = get("maxInstances").and_then(|p| {
        let n = c.number("maxInstances", "maxInstances", &p.value, true)?;
        if is_integer(n) && n >= MAX_INSTANCES_MIN && n <= f64::from(u32::MAX) {
            Some(n as u32)
        } else {
            c.error(
                INVALID_MAX_INSTANCES,
                format!(
                    "`maxInstances` must be a whole number ≥ 1, not {}",
                    number_to_string(n)
                ),
                &p.value,
                "write e.g. `maxInstances: 5`",
            );
            None
        }
    });
    let sleep_after = get("sleepAfter").and_then(|p| c.duration("sleepAfter", &p.value));
    let hard_timeout = get("hardTimeout").and_then(|p| c.duration("hardTimeout", &p.value));
    let (ready_on, probe_ports) = match get("readyOn") {
        Some(p) => check_ready_on(c, &p.value),
        None => (None, Vec::new()),
    };
    // An unreadable spread may set any absent key, so absent means unknown then.
    let default_port_known = match get("defaultPort").map(|p| &p.value.kind) {
        None | Some(Kind::Undefined) if incomplete => KnownPort::Unknown,
        None | Some(Kind::Undefined) => KnownPort::Absent,
        Some(_) => default_port.map_or(KnownPort::Unknown, KnownPort::Known),
    };
    let required_known = match get("requiredPorts").map(|p| &p.value.kind) {
        None | Some(Kind::Undefined) if incomplete => Some(None),
        None | Some(Kind::Undefined) => None,
        Some(_) => Some(required_ports.as_deref()),
    };
    check_ready_ports(c, &probe_ports, default_port_known, required_known);
    let ping_endpoint = get("pingEndpoint").and_then(|p| {
        let s = c.string("pingEndpoint", "pingEndpoint", &p.value, false)?;
        if s.trim().is_empty() {
            c.error(
                EMPTY_VALUE,
                "`pingEndpoint` is empty",
                &p.value,
                format!("write {}", example("pingEndpoint")),
            );
            return None;
        }
        Some(s.to_string())
    });

    let (env, env_keys) = match get("env") {
        Some(p) => c.string_map("env", &p.value, false, true),
        None => (None, Vec::new()),
    };
    let mut secret_spans: Vec<(String, Span)> = Vec::new();
    // Lookups by name (a scan per name was quadratic: 100,000 secrets took 21 s).
    let mut secret_first: std::collections::HashMap<String, Span> =
        std::collections::HashMap::new();
    let secrets = get("secrets").and_then(|p| {
        let list = c.string_list("secrets", &p.value, false)?;
        let mut ok = true;
        let mut names = Vec::new();
        for (name, item) in &list {
            if !c.env_name("secrets", name, item.span, "secret") {
                ok = false;
                continue;
            }
            if let Some(first) = secret_first.get(name) {
                c.diagnostics.push(
                    Diagnostic::warning(
                        DUPLICATE_SECRET,
                        format!("secret `{name}` is listed twice"),
                    )
                    .with_primary(c.file, item.span, "")
                    .with_secondary(c.file, *first, "first listed here")
                    .with_help("remove the duplicate"),
                );
                continue;
            }
            secret_first.insert(name.clone(), item.span);
            secret_spans.push((name.clone(), item.span));
            names.push(name.clone());
        }
        ok.then_some(names)
    });
    let mut env_first: std::collections::HashMap<&str, &Span> = std::collections::HashMap::new();
    for (k, span) in &env_keys {
        env_first.entry(k.as_str()).or_insert(span);
    }
    for (name, span) in &secret_spans {
        if let Some(&env_span) = env_first.get(name.as_str()) {
            c.diagnostics.push(
                Diagnostic::error(ENV_SECRET_COLLISION, format!("`{name}` is both in `env` and in `secrets`"))
                    .with_primary(c.file, *span, "secret")
                    .with_secondary(c.file, *env_span, "also set in `env`")
                    .with_help(format!("keep `{name}` in one place: `secrets` for sensitive values, `env` for plain ones")),
            );
        }
    }
    let secrets_store = get("secretsStore").and_then(|p| {
        let props = c.object("secretsStore", "secretsStore", &p.value, false)?;
        let mut map = BTreeMap::new();
        let mut complete = true;
        for prop in props {
            complete &= c.env_name("secretsStore", &prop.key, prop.key_span, "variable");
            let other = env_first
                .get(prop.key.as_str())
                .map(|&s| (s, "`env`"))
                .or_else(|| secret_first.get(&prop.key).map(|s| (s, "`secrets`")));
            if let Some((span, field)) = other {
                c.diagnostics.push(
                    Diagnostic::error(
                        SECRETS_STORE_COLLISION,
                        format!("`{}` is set by `secretsStore` and by {field}", prop.key),
                    )
                    .with_primary(c.file, prop.key_span, "")
                    .with_secondary(c.file, *span, format!("also set in {field}"))
                    .with_help(format!("give the variable one source; rename it in `secretsStore` or remove it from {field}")),
                );
                complete = false;
            }
            let path = format!("secretsStore.{}", prop.key);
            match c.string(&path, "secretsStore", &prop.value, false) {
                Some(binding) if is_env_name(binding) => {
                    map.insert(prop.key.clone(), binding.to_string());
                }
                Some(binding) => {
                    c.error(
                        INVALID_BINDING_NAME,
                        format!("`{path}` is not a valid binding name: {}", quoted(binding)),
                        &prop.value,
                        "name the Secrets Store binding with letters, digits and `_`, e.g. \"STRIPE_SECRET\"",
                    );
                    complete = false;
                }
                None => complete = false,
            }
        }
        complete.then_some(map)
    });
    let build_args =
        get("buildArgs").and_then(|p| c.string_map("buildArgs", &p.value, true, true).0);
    let entrypoint = get("entrypoint").and_then(|p| {
        if matches!(&p.value.kind, Kind::Array(items) if items.is_empty()) {
            c.error(
                EMPTY_ENTRYPOINT,
                "`entrypoint` is empty",
                &p.value,
                "write the command, e.g. `entrypoint: [\"node\", \"server.mjs\"]`, or remove the field",
            );
            return None;
        }
        let list = c.string_list("entrypoint", &p.value, false)?;
        let mut ok = true;
        for (i, (part, item)) in list.iter().enumerate() {
            if part.trim().is_empty() {
                c.error(
                    EMPTY_VALUE,
                    format!(
                        "`entrypoint[{i}]` is {}",
                        if part.is_empty() { "empty" } else { "blank" }
                    ),
                    item,
                    "remove it, or write the argument, e.g. `entrypoint: [\"node\", \"server.mjs\"]`",
                );
                ok = false;
            }
        }
        ok.then(|| list.into_iter().map(|(s, _)| s).collect())
    });
    let enable_internet =
        get("enableInternet").and_then(|p| c.boolean("enableInternet", "enableInternet", &p.value));
    let allowed_hosts = get("allowedHosts").and_then(|p| check_hosts(c, "allowedHosts", &p.value));
    let denied_hosts = get("deniedHosts").and_then(|p| check_hosts(c, "deniedHosts", &p.value));
    let intercept_https =
        get("interceptHttps").and_then(|p| c.boolean("interceptHttps", "interceptHttps", &p.value));
    let labels = get("labels").and_then(|p| c.string_map("labels", &p.value, false, false).0);
    let name = get("name").and_then(|p| {
        let s = c.string("name", "name", &p.value, true)?;
        if s.trim().is_empty() {
            c.error(
                EMPTY_VALUE,
                "`name` is empty",
                &p.value,
                format!("write {}, or remove the field", example("name")),
            );
            return None;
        }
        if let Some((_, other, first)) = across.names.iter().find(|(n, _, _)| n == s) {
            c.diagnostics.push(
                Diagnostic::error(
                    DUPLICATE_NAME,
                    format!("`{export_name}` and `{other}` both set the wrangler container name {}", quoted(s)),
                )
                .with_primary(c.file, p.value.span, "")
                .with_secondary(c.file, *first, format!("`{other}` sets it here"))
                .with_help(format!("give `{export_name}` a `name` of its own, or remove the field to let wrangler name it")),
            );
            return None;
        }
        across
            .names
            .push((s.to_string(), export_name.to_string(), p.value.span));
        Some(s.to_string())
    });
    let rollout = get("rollout").and_then(|p| check_rollout(c, &p.value));

    if c.error_count() > errors_before {
        return None;
    }
    // Deploy fields are static by now (anything else was an error above).
    debug_assert!(DEPLOY_KEYS
        .iter()
        .all(|k| get(k).is_none_or(|p| !matches!(p.value.kind, Kind::Dynamic(_)))));
    let image = image?;

    let instance_type_at = get("instanceType")
        .filter(|_| instance_type.is_some())
        .map(|p| ValueAt {
            span: p.value.span,
            origin: p.value.origin.filter(|&o| o != p.value.span),
        });
    let enable_internet_at = get("enableInternet")
        .filter(|p| enable_internet.is_none() && !matches!(p.value.kind, Kind::Undefined))
        .map(|p| p.value.span);

    Some(ContainerSpec {
        export_name: export_name.to_string(),
        class_name: class_name_for(export_name),
        binding: binding_for(export_name),
        kebab_name: kebab_for(export_name),
        span: name_span,
        image,
        image_span,
        default_port,
        required_ports,
        dynamic_ports,
        instance_type,
        max_instances,
        sleep_after,
        hard_timeout,
        ready_on,
        ping_endpoint,
        env,
        secrets,
        secrets_store,
        build_args,
        entrypoint,
        enable_internet,
        allowed_hosts,
        denied_hosts,
        intercept_https,
        labels,
        name,
        rollout,
        instance_type_at,
        enable_internet_at,
    })
}
