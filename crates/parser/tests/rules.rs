//! Specific codes at specific positions for the key rules (independent of the snapshots).

use lunora_diagnostic::{Severity, SourceText};
use lunora_parser::{parse_containers, ImageSource, InstanceType, StepPercentage};

const FILE: &str = "lunora/containers.ts";

/// `(code, line, column)` of every diagnostic, columns 1-based in characters.
/// The advisor's model lints are included, as `lunora codegen` shows them.
fn found(source: &str) -> Vec<(String, u32, u32)> {
    let text = SourceText::new(source);
    lunora_advisor::with_model_lints(parse_containers(source, FILE), FILE)
        .diagnostics
        .iter()
        .map(|d| {
            let label = d.primary_label().expect("every diagnostic is located");
            assert_eq!(label.file, FILE);
            let pos = text.line_col(label.span.start);
            (d.code.clone(), pos.line, pos.column)
        })
        .collect()
}

/// Errors and warnings only (advisor lints filtered out).
fn problems(source: &str) -> Vec<(String, u32, u32)> {
    found(source)
        .into_iter()
        .filter(|(code, _, _)| code.starts_with("containers/"))
        .collect()
}

/// A one-container file whose config object starts on line 3; `fields` go on line 4.
fn one(fields: &str) -> String {
    format!(
        "import {{ defineContainer }} from \"@lunora/container\";\n\nexport const app = defineContainer({{\n  {fields}\n}});\n"
    )
}

fn assert_one(fields: &str, code: &str, needle: &str) {
    let source = one(fields);
    let col = fields.find(needle).expect("needle in fields") as u32 + 3;
    assert_eq!(
        problems(&source),
        vec![(code.to_string(), 4, col)],
        "for `{fields}`"
    );
    assert!(
        parse_containers(&source, FILE).containers.is_empty(),
        "container with errors is omitted"
    );
}

#[test]
fn ports() {
    assert_one(
        r#"image: "./c", defaultPort: 0"#,
        "containers/invalid-port",
        "0",
    );
    assert_one(
        r#"image: "./c", defaultPort: 65536"#,
        "containers/invalid-port",
        "65536",
    );
    assert_one(
        r#"image: "./c", defaultPort: 80.5"#,
        "containers/invalid-port",
        "80.5",
    );
    assert_one(
        r#"image: "./c", defaultPort: -1"#,
        "containers/invalid-port",
        "-1",
    );
    assert_one(
        r#"image: "./c", requiredPorts: [8080, 70000]"#,
        "containers/invalid-port",
        "70000",
    );
    assert_one(
        r#"image: "./c", requiredPorts: []"#,
        "containers/empty-required-ports",
        "[]",
    );
    assert_one(
        r#"image: "./c", readyOn: [{ path: "/", port: 0 }]"#,
        "containers/invalid-port",
        "0 }",
    );
    assert_one(
        r#"image: "./c", defaultPort: "8080""#,
        "containers/wrong-type",
        "\"8080\"",
    );
    let ok = parse_containers(
        &one(r#"image: "./c", defaultPort: 1, requiredPorts: [1, 65535]"#),
        FILE,
    );
    assert_eq!(ok.containers[0].required_ports, Some(vec![1, 65535]));
}

#[test]
fn durations() {
    for bad in [
        r#""5 minutes""#,
        "0",
        "1.5",
        r#""10d""#,
        r#""m""#,
        r#""-5s""#,
        r#""5M""#,
        r#""0s""#,
    ] {
        assert_one(
            &format!(r#"image: "./c", sleepAfter: {bad}"#),
            "containers/invalid-duration",
            bad,
        );
    }
    assert_one(
        r#"image: "./c", hardTimeout: "1 h""#,
        "containers/invalid-duration",
        "\"1 h\"",
    );
    let out = parse_containers(
        &one(r#"image: "./c", sleepAfter: "90s", hardTimeout: 7200"#),
        FILE,
    );
    let c = &out.containers[0];
    assert_eq!(
        c.sleep_after
            .as_ref()
            .map(|d| (d.seconds, d.written.as_str())),
        Some((90, "90s"))
    );
    assert_eq!(
        c.hard_timeout
            .as_ref()
            .map(|d| (d.seconds, d.written.as_str())),
        Some((7200, "7200"))
    );
}

#[test]
fn instance_types() {
    assert_one(
        r#"image: "./c", instanceType: "standard-5""#,
        "containers/unknown-instance-type",
        "\"standard-5\"",
    );
    assert_one(
        r#"image: "./c", instanceType: "dev""#,
        "containers/deprecated-instance-type",
        "\"dev\"",
    );
    assert_one(
        r#"image: "./c", instanceType: "standard""#,
        "containers/deprecated-instance-type",
        "\"standard\"",
    );
    assert_one(
        r#"image: "./c", instanceType: { vcpu: 5, memoryMib: 12288, diskMb: 1000 }"#,
        "containers/custom-instance-limits",
        "5",
    );
    assert_one(
        r#"image: "./c", instanceType: { vcpu: 1, memoryMib: 2048, diskMb: 1000 }"#,
        "containers/custom-instance-limits",
        "2048",
    );
    assert_one(
        r#"image: "./c", instanceType: { vcpu: 1, memoryMib: 4096, diskMb: 8001 }"#,
        "containers/custom-instance-limits",
        "8001",
    );
    // Left-out fields take wrangler's defaults (vcpu 1/16, memoryMib 256, diskMb 2000) and the
    // ratios apply to the resulting size: 1 vCPU with the default 256 MiB is too little memory.
    assert_one(
        r#"image: "./c", instanceType: { vcpu: 1 }"#,
        "containers/custom-instance-limits",
        "{ vcpu",
    );
    assert_one(
        r#"image: "./c", instanceType: { memoryMib: 512 }"#,
        "containers/custom-instance-limits",
        "{ memoryMib",
    );
    let custom = |fields: &str| {
        parse_containers(
            &one(&format!("image: \"./c\", instanceType: {fields}")),
            FILE,
        )
        .containers[0]
            .instance_type
            .clone()
    };
    assert_eq!(
        custom("{ vcpu: 1, memoryMib: 4096 }"),
        Some(InstanceType::Custom {
            vcpu: 1.0,
            memory_mib: 4096,
            disk_mb: 2000
        })
    );
    assert_eq!(
        custom("{ memoryMib: 1024 }"),
        Some(InstanceType::Custom {
            vcpu: 0.0625,
            memory_mib: 1024,
            disk_mb: 2000
        })
    );
    let out = parse_containers(
        &one(r#"image: "./c", instanceType: { vcpu: 1, memoryMib: 4096, diskMb: 8000 }"#),
        FILE,
    );
    assert_eq!(
        out.containers[0].instance_type,
        Some(InstanceType::Custom {
            vcpu: 1.0,
            memory_mib: 4096,
            disk_mb: 8000
        })
    );
}

#[test]
fn max_instances_and_rollout() {
    assert_one(
        r#"image: "./c", maxInstances: 0"#,
        "containers/invalid-max-instances",
        "0",
    );
    assert_one(
        r#"image: "./c", maxInstances: 1.5"#,
        "containers/invalid-max-instances",
        "1.5",
    );
    assert_one(
        r#"image: "./c", rollout: { stepPercentage: 30 }"#,
        "containers/invalid-rollout-step",
        "30",
    );
    assert_one(
        r#"image: "./c", rollout: { stepPercentage: [20, 10, 100] }"#,
        "containers/invalid-rollout-step",
        "10,",
    );
    assert_one(
        r#"image: "./c", rollout: { stepPercentage: [10, 90] }"#,
        "containers/invalid-rollout-step",
        "[10",
    );
    assert_one(
        r#"image: "./c", rollout: { gracePeriodSeconds: -1 }"#,
        "containers/invalid-grace-period",
        "-1",
    );
    let out = parse_containers(
        &one(r#"image: "./c", rollout: { stepPercentage: [10, 100], gracePeriodSeconds: 0 }"#),
        FILE,
    );
    let rollout = out.containers[0].rollout.clone().unwrap();
    assert_eq!(
        rollout.step_percentage,
        Some(StepPercentage::Steps(vec![10, 100]))
    );
    assert_eq!(rollout.grace_period_seconds, Some(0));
}

#[test]
fn images() {
    assert_one(
        r#"image: "docker.io/acme/x:1.4""#,
        "containers/registry-string-image",
        "\"docker",
    );
    assert_one(
        r#"image: "nginx:1.27""#,
        "containers/registry-string-image",
        "\"nginx",
    );
    assert_one(
        r#"image: { registry: "docker.io/acme/x" }"#,
        "containers/registry-missing-tag",
        "\"docker",
    );
    assert_one(r#"image: """#, "containers/empty-image", "\"\"");
    assert_one(
        r#"image: "containers\\app""#,
        "containers/invalid-image-path",
        "\"containers",
    );
    // Missing image: reported at the export name (line 3, column 14).
    assert_eq!(
        problems(&one("defaultPort: 8080")),
        vec![("containers/missing-image".to_string(), 3, 14)]
    );

    let image = |s: &str| {
        parse_containers(&one(&format!("image: {s}")), FILE).containers[0]
            .image
            .clone()
    };
    // A local path is kept as written (normalised); the CLI decides on disk what it names.
    let local = |p: &str| ImageSource::Local { path: p.into() };
    assert_eq!(image(r#""containers/app/""#), local("./containers/app"));
    assert_eq!(
        image(r#""./app/Dockerfile.gpu""#),
        local("./app/Dockerfile.gpu")
    );
    assert_eq!(
        image(r#""./SandboxDockerfile""#),
        local("./SandboxDockerfile")
    );
    assert_eq!(image(r#""/abs/app""#), local("/abs/app"));
    assert_eq!(
        image(r#"{ registry: "registry.cloudflare.com/a/b@sha256:ab12" }"#),
        ImageSource::Registry {
            reference: "registry.cloudflare.com/a/b@sha256:ab12".into()
        }
    );
    assert_eq!(
        image(r#"{ build: "svc/x/" }"#),
        ImageSource::Build {
            dir: "./svc/x".into()
        }
    );
}

#[test]
fn names_and_collisions() {
    assert_one(
        r#"image: "./c", env: { "1X": "a" }"#,
        "containers/invalid-env-name",
        "\"1X\"",
    );
    assert_one(
        r#"image: "./c", secrets: ["A-B"]"#,
        "containers/invalid-env-name",
        "\"A-B\"",
    );
    assert_one(
        r#"image: "./c", buildArgs: { "A B": "1" }"#,
        "containers/invalid-env-name",
        "\"A B\"",
    );
    assert_one(
        r#"image: "./c", env: { PORT: 8080 }"#,
        "containers/non-string-value",
        "8080",
    );
    assert_one(
        r#"image: "./c", env: { K: "v" }, secrets: ["K"]"#,
        "containers/env-secret-collision",
        "\"K\"]",
    );
    assert_one(
        r#"image: "./c", secrets: ["K"], secretsStore: { K: "S" }"#,
        "containers/secrets-store-collision",
        "K: ",
    );
    assert_one(
        r#"image: "./c", entrypoint: []"#,
        "containers/empty-entrypoint",
        "[]",
    );
    assert_one(
        r#"image: "./c", defaultPort: 80, readyOn: [{ path: "/r", status: 600 }]"#,
        "containers/invalid-ready-status",
        "600",
    );
    assert_one(
        r#"image: "./c", enableInternet: "no""#,
        "containers/wrong-type",
        "\"no\"",
    );
    assert_one(
        r#"image: "./c", name: """#,
        "containers/empty-value",
        "\"\"",
    );
    assert_one(
        r#"image: "./c", allowedHosts: [""]"#,
        "containers/invalid-host",
        "\"\"",
    );
    let out = parse_containers(
        &one(r#"image: "./c", defaultPort: 80, readyOn: [{ path: "ready" }]"#),
        FILE,
    );
    assert_eq!(
        out.containers[0].ready_on.as_ref().unwrap()[0].path,
        "/ready"
    );
}

#[test]
fn unknown_key_points_at_the_key_with_a_suggestion() {
    let source = one(r#"image: "./c", sleepAftr: "5m""#);
    let out = parse_containers(&source, FILE);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "containers/unknown-key")
        .unwrap();
    assert_eq!(d.help.as_deref(), Some("did you mean `sleepAfter`?"));
    assert_eq!(
        problems(&source),
        vec![("containers/unknown-key".to_string(), 4, 17)]
    );
}

#[test]
fn deploy_fields_must_be_static_runtime_fields_need_not() {
    let pre = "import { defineContainer } from \"@lunora/container\";\nlet n = 2;\n";
    let src =
        format!("{pre}export const a = defineContainer({{ image: \"./c\", maxInstances: n }});\n");
    assert_eq!(
        problems(&src),
        vec![("containers/not-static".to_string(), 3, 64)]
    );
    let src = format!(
        "{pre}export const a = defineContainer({{ image: \"./c\", defaultPort: n, env: f() }});\n"
    );
    let out = parse_containers(&src, FILE);
    assert!(
        out.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        out.diagnostics
    );
    assert_eq!(out.containers[0].default_port, None);
    assert_eq!(out.containers[0].env, None);
    // A shorthand naming a `let` is an error wherever it appears.
    let src =
        format!("{pre}export const a = defineContainer({{ image: \"./c\", env: {{ n }} }});\n");
    assert_eq!(
        problems(&src),
        vec![("containers/mutable-binding".to_string(), 3, 57)]
    );
}

#[test]
fn static_evaluation_forms() {
    let src = r#"import { defineContainer as dc } from "@lunora/container";
const a = b;
const b = 8080 as const;
const base = { ...inner, image: "./c" } satisfies object;
const inner = { maxInstances: (3) };
export const x = dc({ ...base, defaultPort: <number>a!, sleepAfter: `5m`, ["hard" + ""]: undefined }),
  y = dc({ image: "./d", ["sleepAfter"]: "1h" });
"#;
    let out = parse_containers(src, FILE);
    // `["hard" + ""]` is a computed key that is not a plain static value.
    assert_eq!(
        problems(src),
        vec![("containers/computed-key".to_string(), 6, 75)]
    );
    assert_eq!(out.containers.len(), 1);
    assert_eq!(out.containers[0].export_name, "y");
    let src = src.replace(", [\"hard\" + \"\"]: undefined", "");
    let out = parse_containers(&src, FILE);
    assert!(!out.diagnostics.iter().any(|d| d.is_error()));
    let x = &out.containers[0];
    assert_eq!((x.default_port, x.max_instances), (Some(8080), Some(3)));
    assert_eq!(out.containers.len(), 2);
}

#[test]
fn spreads_and_mutations() {
    let src = r#"import { defineContainer } from "@lunora/container";
import { shared } from "./shared";
const a = { ...b };
const b = { ...a };
const m = { image: "./c" };
m.image = "./d";
export const one = defineContainer({ ...shared, image: "./c" });
export const two = defineContainer({ image: "./c", ...a });
export const three = defineContainer({ ...m });
"#;
    assert_eq!(
        problems(src),
        vec![
            ("containers/cyclic-reference".to_string(), 4, 16),
            ("containers/non-static-spread".to_string(), 7, 41),
            ("containers/mutated-const".to_string(), 9, 43),
        ]
    );
}

#[test]
fn import_must_come_from_lunora_container() {
    let src = "import { defineContainer } from \"./local\";\nexport const a = defineContainer({ image: 1 });\n";
    let out = parse_containers(src, FILE);
    assert!(out.containers.is_empty() && out.diagnostics.is_empty());
    let src = "import { defineContainer as make } from \"@lunora/container\";\nexport const a = make({ image: \"./c\", enableInternet: true });\n";
    assert_eq!(parse_containers(src, FILE).containers.len(), 1);
}

#[test]
fn duplicate_binding_has_a_secondary_label_at_the_first() {
    let src = "import { defineContainer } from \"@lunora/container\";\nexport const imageResizer = defineContainer({ image: \"./a\" });\nexport const image_resizer = defineContainer({ image: \"./b\" });\n";
    let out = parse_containers(src, FILE);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "containers/duplicate-binding")
        .unwrap();
    let text = SourceText::new(src);
    let primary = text.line_col(d.labels[0].span.start);
    let secondary = d.labels.iter().find(|l| !l.primary).unwrap();
    assert_eq!((primary.line, primary.column), (3, 14));
    assert_eq!(text.line_col(secondary.span.start).line, 2);
    assert_eq!(out.containers.len(), 1);
}

#[test]
fn lints_have_exact_codes_and_only_for_clean_containers() {
    let src = one(r#"image: "./c", instanceType: "standard-4""#);
    let codes: Vec<_> = found(&src).into_iter().map(|f| f.0).collect();
    assert_eq!(
        codes,
        vec!["container_public_internet", "container_oversized_instance"]
    );
    let out = lunora_advisor::with_model_lints(parse_containers(&src, FILE), FILE);
    assert!(out.diagnostics.iter().all(|d| d.severity == Severity::Info));
    let src = one(r#"image: "./c", instanceType: "standard-4", defaultPort: 0"#);
    let codes: Vec<_> = found(&src).into_iter().map(|f| f.0).collect();
    assert_eq!(codes, vec!["containers/invalid-port"]);
    let src = one(r#"image: "./c", enableInternet: false"#);
    assert!(found(&src).is_empty());
}

#[test]
fn registry_references_need_a_host_cloudflare_pulls_from() {
    assert_one(
        r#"image: { registry: "nginx:1.27" }"#,
        "containers/registry-missing-host",
        "\"nginx",
    );
    assert_one(
        r#"image: { registry: "acme/app:1" }"#,
        "containers/registry-missing-host",
        "\"acme",
    );
    assert_one(
        r#"image: { registry: "ghcr.io/acme/app:1" }"#,
        "containers/unsupported-registry",
        "\"ghcr",
    );
    assert_one(
        r#"image: { registry: "localhost:5000/app:1" }"#,
        "containers/unsupported-registry",
        "\"localhost",
    );
    assert_one(
        r#"image: { registry: "https://docker.io/acme/app:1" }"#,
        "containers/invalid-image",
        "\"https",
    );
    let help = |fields: &str| {
        parse_containers(&one(fields), FILE).diagnostics[0]
            .help
            .clone()
            .unwrap()
    };
    assert!(
        help(r#"image: { registry: "nginx:1.27" }"#).contains("\"docker.io/library/nginx:1.27\"")
    );
    assert!(help(r#"image: { registry: "acme/app:1" }"#).contains("\"docker.io/acme/app:1\""));
    let unsupported = help(r#"image: { registry: "ghcr.io/acme/app:1" }"#);
    for host in ["registry.cloudflare.com", "docker.io", "dkr.ecr"] {
        assert!(unsupported.contains(host), "{unsupported}");
    }
    assert!(
        help(r#"image: { registry: "registry-1.docker.io/acme/app:1" }"#)
            .contains("\"docker.io/acme/app:1\"")
    );
    assert!(
        help(r#"image: "nginx:1.27""#).contains("{ registry: \"docker.io/library/nginx:1.27\" }")
    );
    for ok in [
        "docker.io/library/nginx:1.27",
        "registry.cloudflare.com/acme/app:1",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1",
        "Docker.io/acme/app@sha256:ab12",
    ] {
        let out = parse_containers(&one(&format!("image: {{ registry: \"{ok}\" }}")), FILE);
        assert_eq!(
            problems(&one(&format!("image: {{ registry: \"{ok}\" }}"))),
            vec![],
            "{ok}"
        );
        assert_eq!(out.containers.len(), 1, "{ok}");
    }
}

#[test]
fn blank_and_padded_values_are_errors_at_the_value() {
    assert_one(
        r#"image: "./c", defaultPort: 80, readyOn: [{ path: " " }]"#,
        "containers/empty-value",
        "\" \"",
    );
    assert_one(
        r#"image: "./c", defaultPort: 80, readyOn: [{ path: " /ready" }]"#,
        "containers/padded-value",
        "\" /ready\"",
    );
    assert_one(
        r#"image: "./c", entrypoint: ["node", ""]"#,
        "containers/empty-value",
        "\"\"",
    );
    assert_one(
        r#"image: "./c", entrypoint: ["node", "  "]"#,
        "containers/empty-value",
        "\"  \"",
    );
    assert_one(
        r#"image: "./c", labels: { " ": "x" }"#,
        "containers/empty-value",
        "\" \"",
    );
    assert_one(
        r#"image: "./c", deniedHosts: [" evil.com"]"#,
        "containers/invalid-host",
        "\" evil",
    );
    assert_one(
        r#"image: "./c", allowedHosts: ["   "]"#,
        "containers/invalid-host",
        "\"   \"",
    );
}

#[test]
fn ready_on_ports_against_declared_ports() {
    // No port on the probe, no defaultPort: the runtime has nothing to poll and fails every start.
    assert_one(
        r#"image: "./c", readyOn: [{ path: "/ready" }]"#,
        "containers/ready-port-missing",
        "{ path",
    );
    assert_one(
        r#"image: "./c", requiredPorts: [9090], readyOn: [{ path: "/ready" }]"#,
        "containers/ready-port-missing",
        "{ path",
    );
    // A port nobody waits for is a warning at the port; the container is still generated.
    let source =
        one(r#"image: "./c", defaultPort: 8080, readyOn: [{ path: "/live", port: 9090 }]"#);
    let col = source.lines().nth(3).unwrap().find("9090").unwrap() as u32 + 1;
    assert_eq!(
        problems(&source),
        vec![("containers/ready-port-undeclared".to_string(), 4, col)]
    );
    let out = parse_containers(&source, FILE);
    assert_eq!(out.containers.len(), 1);
    let warning = &out
        .diagnostics
        .iter()
        .find(|d| d.code == "containers/ready-port-undeclared")
        .unwrap();
    assert_eq!(warning.severity, Severity::Warning);
    assert!(
        warning
            .help
            .as_deref()
            .unwrap()
            .contains("requiredPorts: [8080, 9090]"),
        "{warning:?}"
    );
    // Declared ports, and ports that cannot be read, say nothing.
    for fields in [
        r#"image: "./c", defaultPort: 8080, readyOn: [{ path: "/r" }, { path: "/l", port: 8080 }]"#,
        r#"image: "./c", defaultPort: 8080, requiredPorts: [8080, 9090], readyOn: [{ path: "/l", port: 9090 }]"#,
        r#"image: "./c", defaultPort: PORT, readyOn: [{ path: "/r" }, { path: "/l", port: 9090 }]"#,
        r#"image: "./c", defaultPort: 8080, requiredPorts: PORTS, readyOn: [{ path: "/l", port: 9090 }]"#,
        r#"image: "./c", readyOn: [{ path: "/l", port: P }]"#,
        r#"...BASE, image: "./c", readyOn: [{ path: "/r" }]"#,
    ] {
        let source = format!(
            "import {{ defineContainer }} from \"@lunora/container\";\nimport {{ PORT, PORTS, P, BASE }} from \"./p\";\nexport const app = defineContainer({{\n  {fields}\n}});\n"
        );
        let found: Vec<_> = problems(&source)
            .into_iter()
            .filter(|(c, ..)| c.starts_with("containers/ready-port"))
            .collect();
        assert_eq!(found, vec![], "{fields}");
    }
}

#[test]
fn export_names_must_give_valid_derived_names() {
    for name in [
        "ñandú",
        "$",
        "_",
        "__proto__",
        "a__b",
        "constructor",
        "toString",
        "con",
    ] {
        let source = format!(
            "import {{ defineContainer }} from \"@lunora/container\";\n\nexport const {name} = defineContainer({{ image: \"./c\", enableInternet: false }});\n"
        );
        let out = parse_containers(&source, FILE);
        assert!(out.containers.is_empty(), "{name} was accepted");
        assert_eq!(
            found(&source),
            vec![("containers/invalid-export-name".to_string(), 3, 14)],
            "{name}"
        );
        let d = &out.diagnostics[0];
        assert!(d.message.contains(&format!("`{name}`")), "{}", d.message);
        assert!(d.help.is_some());
    }
    let out = parse_containers(
        "import { defineContainer } from \"@lunora/container\";\nexport const ffmpeg2Pass = defineContainer({ image: { build: \"./b\" } });\nexport const myHTTPServer = defineContainer({ image: \"./m\" });\n",
        FILE,
    );
    let names: Vec<_> = out
        .containers
        .iter()
        .map(|c| {
            (
                c.class_name.as_str(),
                c.binding.as_str(),
                c.kebab_name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            (
                "Ffmpeg2PassContainer",
                "CONTAINER_FFMPEG2_PASS",
                "ffmpeg2-pass"
            ),
            (
                "MyHTTPServerContainer",
                "CONTAINER_MY_HTTPSERVER",
                "my-httpserver"
            ),
        ]
    );
}

#[test]
fn two_containers_with_one_wrangler_name_are_an_error_at_both() {
    let source = "import { defineContainer } from \"@lunora/container\";\nexport const a = defineContainer({ image: \"./a\", name: \"media\" });\nexport const b = defineContainer({ image: \"./b\", name: \"media\" });\nexport const c = defineContainer({ image: \"./c\", name: \"other\" });\n";
    let out = parse_containers(source, FILE);
    let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let d = errors[0];
    assert_eq!(d.code, "containers/duplicate-name");
    let text = SourceText::new(source);
    let at = |span: lunora_diagnostic::Span| {
        let p = text.line_col(span.start);
        (p.line, p.column)
    };
    assert_eq!(at(d.primary_label().unwrap().span), (3, 56));
    let secondary: Vec<_> = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .map(|l| at(l.span))
        .collect();
    assert_eq!(secondary, vec![(2, 56)]);
    let exported: Vec<_> = out
        .containers
        .iter()
        .map(|c| c.export_name.as_str())
        .collect();
    assert_eq!(
        exported,
        vec!["a", "c"],
        "the second container is not generated"
    );
}
