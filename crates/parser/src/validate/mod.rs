//! Raw values → validated [`ContainerSpec`]: the one place where the rules of DESIGN.md
//! ("The input") are applied. Every violation is a located diagnostic; a container with any
//! error yields no spec. The rules themselves, one module each with its messages, documented
//! examples and tests, are in [`rules`]; this module holds what they share and the order in
//! which a definition's fields are checked.

pub(crate) mod rules;

pub use rules::unknown_key::suggest;

use crate::eval::{Kind, Prop, Value};
use crate::model::*;
use crate::rules::{CONFIG_KEYS, DEPLOY_KEYS};
use lunora_diagnostic::{Diagnostic, Severity, Span};
use rules::*;
use std::collections::HashMap;

/// Facts about the containers validated so far in one file, for rules that span containers.
#[derive(Debug, Default)]
pub(crate) struct AcrossContainers {
    /// wrangler `containers[].name` values seen, with the export and the span of the value.
    names: Vec<(String, String, Span)>,
    /// Durable Object classes seen, with the export and where the class comes from.
    classes: Vec<(String, String, Span, bool)>,
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
        "className" => "`className: \"Sandbox\"`",
        "rollout" => "`rollout: { stepPercentage: 25, gracePeriodSeconds: 300 }`",
        _ => "a literal value",
    }
}

/// Keys of a map as written, with their spans (for collision checks).
type KeySpans = Vec<(String, Span)>;

/// How [`Checker::in_range`] reports a number out of its range.
struct RangeError<'a> {
    code: &'a str,
    message: &'a dyn Fn(f64) -> String,
    help: &'a str,
}

pub(crate) struct Checker<'a> {
    pub file: &'a str,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

fn is_integer(n: f64) -> bool {
    n.is_finite() && n.fract() == 0.0
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
        self.typed(path, field, value, deploy, "a string", |kind| match kind {
            Kind::Str(s) => Some(s.as_str()),
            _ => None,
        })
    }

    fn number(&mut self, path: &str, field: &str, value: &Value, deploy: bool) -> Option<f64> {
        self.typed(path, field, value, deploy, "a number", |kind| match kind {
            Kind::Num(n) => Some(*n),
            _ => None,
        })
    }

    /// A number nested in an object, once read with [`Checker::number`]: `Some(n)` when
    /// `valid(n)`. A number `valid` rejects is reported with `error`; that, or a value that is
    /// neither a number nor `undefined` (already reported), clears `ok`.
    fn in_range(
        &mut self,
        read: Option<f64>,
        value: &Value,
        valid: impl FnOnce(f64) -> bool,
        error: RangeError<'_>,
        ok: &mut bool,
    ) -> Option<f64> {
        match read {
            Some(n) if valid(n) => Some(n),
            Some(n) => {
                self.error(error.code, (error.message)(n), value, error.help);
                *ok = false;
                None
            }
            None => {
                *ok &= matches!(value.kind, Kind::Undefined);
                None
            }
        }
    }

    fn boolean(&mut self, path: &str, field: &str, value: &Value) -> Option<bool> {
        self.typed(
            path,
            field,
            value,
            false,
            "`true` or `false`",
            |kind| match kind {
                Kind::Bool(b) => Some(*b),
                _ => None,
            },
        )
    }

    fn array<'v>(
        &mut self,
        path: &str,
        field: &str,
        value: &'v Value,
        deploy: bool,
    ) -> Option<&'v [Value]> {
        self.typed(path, field, value, deploy, "an array", |kind| match kind {
            Kind::Array(items) => Some(&items[..]),
            _ => None,
        })
    }

    fn object<'v>(
        &mut self,
        path: &str,
        field: &str,
        value: &'v Value,
        deploy: bool,
    ) -> Option<&'v [Prop]> {
        self.typed(path, field, value, deploy, "an object", |kind| match kind {
            Kind::Object(props) => Some(&props[..]),
            _ => None,
        })
    }

    /// A present static value of one type: `pick` takes it out of the value's kind; a value of
    /// another kind is reported as not `expected`.
    fn typed<'v, T>(
        &mut self,
        path: &str,
        field: &str,
        value: &'v Value,
        deploy: bool,
        expected: &str,
        pick: impl FnOnce(&'v Kind) -> Option<T>,
    ) -> Option<T> {
        let found = pick(self.present(path, field, value, deploy)?);
        if found.is_none() {
            self.wrong_type(path, field, expected, value);
        }
        found
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
            not_static::argument(c, export_name, d);
            return None;
        }
        _ => {
            wrong_type::argument(c, config);
            return None;
        }
    };

    export_name::check(c, export_name, name_span);
    let get = |key: &str| props.iter().find(|p| p.key == key);
    for prop in props {
        if !CONFIG_KEYS.contains(&prop.key.as_str()) {
            c.unknown_key(prop, "`defineContainer`", CONFIG_KEYS);
        }
    }

    let image_prop = get("image").filter(|p| !matches!(p.value.kind, Kind::Undefined));
    let image = image::check(c, image_prop, export_name, name_span, incomplete);
    let image_span = image_prop.map(|p| p.value.span).unwrap_or(name_span);

    let default_port =
        get("defaultPort").and_then(|p| c.port("defaultPort", "defaultPort", &p.value));
    let required_ports = get("requiredPorts").and_then(|p| ports::required_ports(c, &p.value));
    let dynamic_ports = ["defaultPort", "requiredPorts"].iter().any(|k| {
        get(k).is_some_and(|p| match &p.value.kind {
            Kind::Dynamic(_) => true,
            Kind::Array(items) => items.iter().any(|i| matches!(i.kind, Kind::Dynamic(_))),
            _ => false,
        })
    });
    if let (Some(port), Some(required), Some(p)) =
        (default_port, &required_ports, get("defaultPort"))
    {
        ports::default_port_in_required(c, port, required, &p.value);
    }

    let instance_type = get("instanceType").and_then(|p| instance_type::check(c, &p.value));
    let max_instances = get("maxInstances").and_then(|p| max_instances::check(c, &p.value));
    let sleep_after = get("sleepAfter").and_then(|p| c.duration("sleepAfter", &p.value));
    let hard_timeout = get("hardTimeout").and_then(|p| c.duration("hardTimeout", &p.value));
    let (ready_on, probe_ports) = match get("readyOn") {
        Some(p) => ready_on::check(c, &p.value),
        None => (None, Vec::new()),
    };
    // An unreadable spread may set any absent key, so absent means unknown then.
    let default_port_known = match get("defaultPort").map(|p| &p.value.kind) {
        None | Some(Kind::Undefined) if incomplete => ready_ports::KnownPort::Unknown,
        None | Some(Kind::Undefined) => ready_ports::KnownPort::Absent,
        Some(_) => default_port.map_or(
            ready_ports::KnownPort::Unknown,
            ready_ports::KnownPort::Known,
        ),
    };
    let required_known = match get("requiredPorts").map(|p| &p.value.kind) {
        None | Some(Kind::Undefined) if incomplete => Some(None),
        None | Some(Kind::Undefined) => None,
        Some(_) => Some(required_ports.as_deref()),
    };
    ready_ports::check(c, &probe_ports, default_port_known, required_known);
    let ping_endpoint = get("pingEndpoint").and_then(|p| ping_endpoint::check(c, &p.value));

    let (env, env_keys) = match get("env") {
        Some(p) => c.string_map("env", &p.value, false, true),
        None => (None, Vec::new()),
    };
    let mut listed = secrets::Listed::default();
    let secrets = get("secrets").and_then(|p| secrets::check(c, &p.value, &mut listed));
    let mut env_first: HashMap<&str, &Span> = HashMap::new();
    for (k, span) in &env_keys {
        env_first.entry(k.as_str()).or_insert(span);
    }
    secrets::collisions_with_env(c, &listed, &env_first);
    let secrets_store = get("secretsStore")
        .and_then(|p| secrets_store::check(c, &p.value, &env_first, &listed.first));
    let build_args =
        get("buildArgs").and_then(|p| c.string_map("buildArgs", &p.value, true, true).0);
    let entrypoint = get("entrypoint").and_then(|p| entrypoint::check(c, &p.value));
    let enable_internet =
        get("enableInternet").and_then(|p| c.boolean("enableInternet", "enableInternet", &p.value));
    let allowed_hosts = get("allowedHosts").and_then(|p| hosts::check(c, "allowedHosts", &p.value));
    let denied_hosts = get("deniedHosts").and_then(|p| hosts::check(c, "deniedHosts", &p.value));
    let intercept_https =
        get("interceptHttps").and_then(|p| c.boolean("interceptHttps", "interceptHttps", &p.value));
    let labels = get("labels").and_then(|p| c.string_map("labels", &p.value, false, false).0);
    let name = get("name").and_then(|p| name::check(c, across, export_name, &p.value));
    let rollout = get("rollout").and_then(|p| rollout::check(c, &p.value));
    let fixed_class = get("className").and_then(|p| class_name::check(c, &p.value));
    let class_name = fixed_class
        .clone()
        .unwrap_or_else(|| class_name_for(export_name));
    let class_at = get("className").map_or(name_span, |p| p.value.span);
    class_name::check_unique(
        c,
        &mut across.classes,
        export_name,
        &class_name,
        class_at,
        fixed_class.is_some(),
    );

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
        class_name,
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
