//! Fixture tests of the Dockerfile lints: for each, a hit, a miss and a case the Dockerfile leaves
//! open (which must say nothing). Containers come from the real parser, so the specs are what the
//! CLI would pass; the fixtures are files under `tests/fixtures/dockerfiles/`.

use lunora_advisor::codes::{
    DOCKERFILE_BUDGET, PLATFORM_NOT_AMD64, PORT_NOT_EXPOSED, SHELL_ENTRYPOINT,
};
use lunora_advisor::{lint_dockerfile, DockerfileText};
use lunora_diagnostic::{render_human, HumanOptions, Severity, SourceText, Sources};
use lunora_parser::ContainerSpec;

const CONTAINERS_TS: &str = "lunora/containers.ts";

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/dockerfiles/{name}.Dockerfile",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `containers.ts` with one container `app` whose definition has `fields` (after `image`).
fn containers_ts(fields: &str) -> String {
    format!(
        "import {{ defineContainer }} from \"@lunora/container\";\n\nexport const app = defineContainer({{\n  image: \"./containers/app\",\n  enableInternet: false,\n  {fields}\n}});\n"
    )
}

fn spec(ts: &str) -> ContainerSpec {
    let out = lunora_parser::parse_containers(ts, CONTAINERS_TS);
    assert!(
        !out.diagnostics.iter().any(|d| d.is_error()),
        "fixture definition has errors: {:?}",
        out.diagnostics
    );
    out.containers.into_iter().next().expect("one container")
}

struct Linted {
    diagnostics: Vec<lunora_diagnostic::Diagnostic>,
    sources: Sources,
    dockerfile: String,
}

impl Linted {
    fn codes(&self) -> Vec<&str> {
        self.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    fn only(&self, code: &str) -> &lunora_diagnostic::Diagnostic {
        let found: Vec<_> = self.diagnostics.iter().filter(|d| d.code == code).collect();
        assert_eq!(
            found.len(),
            1,
            "expected one {code}, got {:#?}",
            self.diagnostics
        );
        found[0]
    }

    /// 1-based line and column of `code`'s primary label in the Dockerfile.
    fn at(&self, code: &str) -> (u32, u32) {
        let d = self.only(code);
        let label = d.primary_label().unwrap();
        assert_eq!(label.file, "containers/app/Dockerfile");
        let pos = SourceText::new(&self.dockerfile).line_col(label.span.start);
        (pos.line, pos.column)
    }

    fn human(&self) -> String {
        render_human(
            &self.diagnostics,
            &self.sources,
            HumanOptions { color: false },
        )
    }
}

fn lint(name: &str, fields: &str) -> Linted {
    let dockerfile = fixture(name);
    let ts = containers_ts(fields);
    let c = spec(&ts);
    let diagnostics = lint_dockerfile(
        DockerfileText {
            file: "containers/app/Dockerfile",
            text: &dockerfile,
        },
        &[&c],
        CONTAINERS_TS,
    );
    let mut sources = Sources::new();
    sources.insert(CONTAINERS_TS, ts);
    sources.insert("containers/app/Dockerfile", dockerfile.clone());
    Linted {
        diagnostics,
        sources,
        dockerfile,
    }
}

// ---- container_port_not_exposed -------------------------------------------------------------

#[test]
fn port_hit_default_port_not_exposed() {
    let l = lint("port_hit_other_port", "defaultPort: 3000,");
    assert_eq!(l.codes(), [PORT_NOT_EXPOSED]);
    let d = l.only(PORT_NOT_EXPOSED);
    assert_eq!(d.severity, Severity::Warning);
    // Located at the EXPOSE that is there (line 4), with the line to add.
    assert_eq!(l.at(PORT_NOT_EXPOSED), (4, 1));
    assert!(
        d.help.as_deref().unwrap().contains("`EXPOSE 3000`"),
        "{d:?}"
    );
    insta::assert_snapshot!(l.human());
}

#[test]
fn port_miss_when_exposed() {
    let l = lint("port_hit_other_port", "defaultPort: 8080,");
    assert_eq!(l.codes(), Vec::<&str>::new());
}

#[test]
fn port_ranges_and_protocols() {
    // 8005 is inside 8000-8010/tcp, 9090/TCP is tcp: nothing to say.
    let ok = lint(
        "port_ranges_and_protocols",
        "defaultPort: 8005, requiredPorts: [8005, 9090, 8010],",
    );
    assert_eq!(ok.codes(), Vec::<&str>::new());
    // 5353 is EXPOSEd for udp only; 8011 is just past the range.
    let l = lint(
        "port_ranges_and_protocols",
        "defaultPort: 8000, requiredPorts: [8000, 5353, 8011],",
    );
    let d = l.only(PORT_NOT_EXPOSED);
    assert!(
        d.message
            .contains("ports 5353 (`requiredPorts`) and 8011 (`requiredPorts`)"),
        "{}",
        d.message
    );
    assert!(d.help.as_deref().unwrap().contains("`EXPOSE 5353 8011`"));
    // The last EXPOSE of the final stage.
    assert_eq!(l.at(PORT_NOT_EXPOSED), (3, 1));
}

#[test]
fn port_variables_resolve_from_arg_env_and_defaults() {
    // EXPOSE $PORT ${ADMIN_PORT}/tcp ${METRICS_PORT:-9464} → 8080, 9090, 9464.
    let ok = lint(
        "port_variables",
        "defaultPort: 8080, requiredPorts: [8080, 9090, 9464],",
    );
    assert_eq!(ok.codes(), Vec::<&str>::new());
    // Every word resolved, so a port outside them is a finding (not a "cannot decide").
    let one_off = lint(
        "port_variables",
        "defaultPort: 8080, requiredPorts: [8080, 9090, 9464, 9465],",
    );
    assert!(one_off
        .only(PORT_NOT_EXPOSED)
        .message
        .contains("port 9465 (`requiredPorts`)"));
    assert!(one_off
        .human()
        .contains("the image EXPOSEs 8080, 9090 and 9464"));
    let metrics = lint(
        "port_variables",
        "defaultPort: 8080, requiredPorts: [8080, 9100], buildArgs: { METRICS_PORT: \"9100\" },",
    );
    assert_eq!(metrics.codes(), Vec::<&str>::new());
    // buildArgs override the ARG default: PORT is 3000, so 8080 is no longer EXPOSEd.
    let l = lint(
        "port_variables",
        "defaultPort: 8080, buildArgs: { PORT: \"3000\" },",
    );
    assert_eq!(l.codes(), [PORT_NOT_EXPOSED]);
    let moved = lint(
        "port_variables",
        "defaultPort: 3000, buildArgs: { PORT: \"3000\" },",
    );
    assert_eq!(moved.codes(), Vec::<&str>::new());
}

#[test]
fn port_cannot_decide_with_an_unknown_variable() {
    // `ARG PORT` without a default: the EXPOSE could name any port.
    let l = lint("port_unknown_variable", "defaultPort: 3000,");
    assert_eq!(l.codes(), Vec::<&str>::new());
    // A build argument makes it known.
    let known = lint(
        "port_unknown_variable",
        "defaultPort: 3000, buildArgs: { PORT: \"9999\" },",
    );
    assert_eq!(known.codes(), [PORT_NOT_EXPOSED]);
}

#[test]
fn port_cannot_decide_on_an_external_base_without_expose() {
    let l = lint("port_external_base_no_expose", "defaultPort: 80,");
    assert_eq!(l.codes(), Vec::<&str>::new());
}

#[test]
fn port_hit_on_scratch_without_expose() {
    // scratch EXPOSEs nothing, so nothing is EXPOSEd at all; located at the final FROM.
    let l = lint("port_scratch_no_expose", "defaultPort: 8080,");
    assert_eq!(l.codes(), [PORT_NOT_EXPOSED]);
    assert_eq!(l.at(PORT_NOT_EXPOSED), (6, 1));
    assert!(l.human().contains("the final stage EXPOSEs no port"));
}

#[test]
fn port_expose_is_inherited_from_the_base_stage() {
    let l = lint("multistage_inherits_expose", "defaultPort: 8080,");
    assert_eq!(l.codes(), Vec::<&str>::new());
    let hit = lint("multistage_inherits_expose", "defaultPort: 3000,");
    assert_eq!(hit.codes(), [PORT_NOT_EXPOSED]);
    // The inherited EXPOSE, in stage `base`.
    assert_eq!(hit.at(PORT_NOT_EXPOSED), (5, 1));
}

#[test]
fn port_expose_of_a_builder_stage_does_not_count() {
    let l = lint(
        "multistage_builder_expose_does_not_count",
        "defaultPort: 8080, requiredPorts: [8080, 3000],",
    );
    assert_eq!(l.codes(), [PORT_NOT_EXPOSED]);
    assert!(l.only(PORT_NOT_EXPOSED).message.contains("port 3000"));
    assert_eq!(l.at(PORT_NOT_EXPOSED), (7, 1));
}

#[test]
fn port_ready_on_probe_ports_are_checked() {
    let l = lint(
        "port_hit_other_port",
        "defaultPort: 8080, readyOn: [{ path: \"/ready\" }, { path: \"/live\", port: 9091 }],",
    );
    let d = l.only(PORT_NOT_EXPOSED);
    assert!(
        d.message.contains("port 9091 (`readyOn` /live)"),
        "{}",
        d.message
    );
}

#[test]
fn port_miss_without_declared_ports() {
    let l = lint("port_scratch_no_expose", "");
    assert_eq!(l.codes(), Vec::<&str>::new());
}

// ---- container_shell_entrypoint -------------------------------------------------------------

#[test]
fn shell_entrypoint_hit() {
    let l = lint("shell_entrypoint", "defaultPort: 8080,");
    assert_eq!(l.codes(), [SHELL_ENTRYPOINT]);
    let d = l.only(SHELL_ENTRYPOINT);
    assert_eq!(d.severity, Severity::Info);
    assert_eq!(l.at(SHELL_ENTRYPOINT), (5, 1));
    assert_eq!(
        d.help.as_deref(),
        Some("write `ENTRYPOINT [\"node\", \"server.mjs\"]` (exec form)")
    );
    insta::assert_snapshot!(l.human());
}

#[test]
fn exec_entrypoint_miss() {
    let l = lint("port_hit_other_port", "defaultPort: 8080,");
    assert!(!l.codes().contains(&SHELL_ENTRYPOINT));
}

#[test]
fn shell_entrypoint_across_continuation_lines() {
    let l = lint("shell_entrypoint_continued", "defaultPort: 8080,");
    let d = l.only(SHELL_ENTRYPOINT);
    assert_eq!(l.at(SHELL_ENTRYPOINT), (3, 1));
    // The comment line inside the continuation is not part of the command.
    assert_eq!(
        d.help.as_deref(),
        Some("write `ENTRYPOINT [\"node\", \"server.mjs\", \"--verbose\"]` (exec form)")
    );
}

#[test]
fn exec_entrypoint_across_continuation_and_blank_lines_is_exec() {
    let l = lint("exec_entrypoint_continued", "defaultPort: 8080,");
    assert_eq!(l.codes(), Vec::<&str>::new());
}

#[test]
fn shell_cmd_without_entrypoint_hit_with_exec_prefix_help() {
    let l = lint("shell_cmd_without_entrypoint", "defaultPort: 8000,");
    let d = l.only(SHELL_ENTRYPOINT);
    assert_eq!(l.at(SHELL_ENTRYPOINT), (3, 1));
    assert!(
        d.message.contains("`CMD` is in shell form"),
        "{}",
        d.message
    );
    // `$PORT` needs the shell, so the help keeps it and adds `exec`.
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .starts_with("write `CMD exec uvicorn main:app --host 0.0.0.0 --port $PORT`"),
        "{:?}",
        d.help
    );
}

#[test]
fn exec_entrypoint_with_shell_cmd_miss() {
    // CMD only supplies arguments to the exec-form ENTRYPOINT.
    let l = lint("exec_entrypoint_shell_cmd", "defaultPort: 8080,");
    assert_eq!(l.codes(), Vec::<&str>::new());
}

#[test]
fn shell_entrypoint_with_exec_prefix_miss() {
    let l = lint("shell_exec_prefix", "defaultPort: 8080,");
    assert_eq!(l.codes(), Vec::<&str>::new());
}

#[test]
fn single_quoted_array_is_shell_form() {
    let l = lint("single_quoted_entrypoint", "defaultPort: 8080,");
    let d = l.only(SHELL_ENTRYPOINT);
    assert!(d.message.contains("not JSON"), "{}", d.message);
    assert!(d
        .help
        .as_deref()
        .unwrap()
        .contains("`ENTRYPOINT [\"node\", \"server.mjs\"]`"));
}

#[test]
fn shell_entrypoint_inherited_from_the_base_stage() {
    let l = lint("shell_entrypoint_in_base_stage", "defaultPort: 8080,");
    assert_eq!(l.codes(), [SHELL_ENTRYPOINT]);
    assert_eq!(l.at(SHELL_ENTRYPOINT), (2, 1));
}

#[test]
fn shell_pipeline_gets_script_help() {
    let l = lint("shell_pipeline", "defaultPort: 8080,");
    let d = l.only(SHELL_ENTRYPOINT);
    assert!(
        d.help.as_deref().unwrap().contains("script"),
        "{:?}",
        d.help
    );
}

#[test]
fn shell_cannot_decide_when_the_base_image_supplies_the_command() {
    let l = lint("no_command_external_base", "defaultPort: 80,");
    assert_eq!(l.codes(), Vec::<&str>::new());
}

#[test]
fn shell_entrypoint_is_moot_with_a_definition_entrypoint() {
    let l = lint(
        "shell_entrypoint",
        "defaultPort: 8080, entrypoint: [\"node\", \"server.mjs\"],",
    );
    assert_eq!(l.codes(), Vec::<&str>::new());
}

// ---- container_platform_not_amd64 -----------------------------------------------------------

#[test]
fn platform_missing_hit() {
    let l = lint("platform_missing", "defaultPort: 8080,");
    assert_eq!(l.codes(), [PLATFORM_NOT_AMD64]);
    let d = l.only(PLATFORM_NOT_AMD64);
    assert_eq!(d.severity, Severity::Info);
    assert_eq!(l.at(PLATFORM_NOT_AMD64), (1, 1));
    assert_eq!(
        d.help.as_deref(),
        Some("write `FROM --platform=linux/amd64 node:22-slim AS run`")
    );
    insta::assert_snapshot!(l.human());
}

#[test]
fn platform_pinned_miss() {
    let l = lint("port_hit_other_port", "defaultPort: 8080,");
    assert!(!l.codes().contains(&PLATFORM_NOT_AMD64));
}

#[test]
fn platform_other_platform_is_a_warning_at_the_flag() {
    let l = lint("platform_arm64", "defaultPort: 8080,");
    let d = l.only(PLATFORM_NOT_AMD64);
    assert_eq!(d.severity, Severity::Warning);
    // `--platform=linux/arm64` starts at column 6.
    assert_eq!(l.at(PLATFORM_NOT_AMD64), (1, 6));
    assert_eq!(
        d.help.as_deref(),
        Some("write `FROM --platform=linux/amd64 node:22-slim`")
    );
}

#[test]
fn platform_cannot_decide_with_buildplatform() {
    let l = lint("platform_buildplatform", "defaultPort: 8080,");
    assert_eq!(l.codes(), Vec::<&str>::new());
}

#[test]
fn platform_targetplatform_is_the_same_as_no_flag() {
    let l = lint("platform_targetplatform", "defaultPort: 8080,");
    assert_eq!(l.codes(), [PLATFORM_NOT_AMD64]);
    assert_eq!(l.only(PLATFORM_NOT_AMD64).severity, Severity::Info);
}

#[test]
fn platform_from_arg_resolves_with_defaults_and_build_args() {
    let ok = lint("platform_from_arg", "defaultPort: 8080,");
    assert_eq!(ok.codes(), Vec::<&str>::new());
    let l = lint(
        "platform_from_arg",
        "defaultPort: 8080, buildArgs: { PLATFORM: \"linux/arm64\" },",
    );
    let d = l.only(PLATFORM_NOT_AMD64);
    assert_eq!(d.severity, Severity::Warning);
    assert!(
        d.message.contains("(`$PLATFORM` is `linux/arm64`)"),
        "{}",
        d.message
    );
    assert_eq!(l.at(PLATFORM_NOT_AMD64), (3, 6));
}

#[test]
fn platform_cannot_decide_with_an_unknown_image() {
    let l = lint("platform_unknown_image", "defaultPort: 8080,");
    assert_eq!(l.codes(), Vec::<&str>::new());
}

#[test]
fn platform_builder_stages_are_not_judged() {
    // A builder on $BUILDPLATFORM cross-compiling for the target is the recommended pattern.
    let l = lint("platform_cross_compile", "defaultPort: 8080,");
    assert_eq!(l.codes(), Vec::<&str>::new());
}

#[test]
fn platform_of_the_base_stage_is_judged() {
    let l = lint("platform_missing_in_base_stage", "defaultPort: 8080,");
    assert_eq!(l.codes(), [PLATFORM_NOT_AMD64]);
    assert_eq!(l.at(PLATFORM_NOT_AMD64), (1, 1));
    assert_eq!(
        l.only(PLATFORM_NOT_AMD64).help.as_deref(),
        Some("write `FROM --platform=linux/amd64 node:22-slim AS base`")
    );
}

#[test]
fn platform_cannot_decide_for_scratch() {
    let l = lint("platform_scratch", "defaultPort: 8080,");
    assert_eq!(l.codes(), Vec::<&str>::new());
}

// ---- the reader ------------------------------------------------------------------------------

#[test]
fn continuations_in_from_and_expose() {
    let l = lint("from_continued", "defaultPort: 8080,");
    assert_eq!(l.codes(), Vec::<&str>::new());
    let hit = lint("from_continued", "defaultPort: 3000,");
    // The EXPOSE instruction starts on line 4 and continues on line 5.
    assert_eq!(hit.at(PORT_NOT_EXPOSED), (4, 1));
}

#[test]
fn escape_directive_backtick() {
    let l = lint("escape_backtick", "defaultPort: 8080,");
    // EXPOSE `\n 8080 is joined; the shell-form ENTRYPOINT across a backtick continuation is
    // found; the FROM (no --platform) is reported.
    let mut codes = l.codes();
    codes.sort();
    assert_eq!(codes, [PLATFORM_NOT_AMD64, SHELL_ENTRYPOINT]);
    assert_eq!(
        l.only(SHELL_ENTRYPOINT).help.as_deref(),
        Some("write `ENTRYPOINT [\"node\", \"server.mjs\"]` (exec form)")
    );
    assert_eq!(l.at(SHELL_ENTRYPOINT), (6, 1));
}

#[test]
fn heredoc_bodies_are_not_instructions() {
    let l = lint("heredoc", "defaultPort: 8080, requiredPorts: [8080, 1234],");
    // `EXPOSE 1234`, a shell ENTRYPOINT and an arm64 FROM sit inside heredocs: only the port
    // finding remains.
    assert_eq!(l.codes(), [PORT_NOT_EXPOSED]);
    assert!(l.only(PORT_NOT_EXPOSED).message.contains("port 1234"));
    assert_eq!(l.at(PORT_NOT_EXPOSED), (10, 1));
}

#[test]
fn bom_and_crlf_positions() {
    let l = lint("bom_crlf", "defaultPort: 8080,");
    let mut codes = l.codes();
    codes.sort();
    assert_eq!(codes, [PLATFORM_NOT_AMD64, SHELL_ENTRYPOINT]);
    assert_eq!(l.at(SHELL_ENTRYPOINT), (3, 1));
    // The label does not run into the CR.
    let d = l.only(SHELL_ENTRYPOINT);
    let span = d.primary_label().unwrap().span;
    assert_eq!(
        &l.dockerfile[span.start as usize..span.end as usize],
        "ENTRYPOINT node server.mjs"
    );
}

#[test]
fn the_scaffold_template_produces_no_lint() {
    let template = include_str!("../../../templates/Dockerfile.jinja");
    for port in [8080, 3000] {
        let text = template
            .replace("{{ export_name }}", "app")
            .replace("{{ port }}", &port.to_string());
        assert!(!text.contains("{{"), "template has other variables: {text}");
        let ts = containers_ts(&format!("defaultPort: {port},"));
        let c = spec(&ts);
        let d = lint_dockerfile(
            DockerfileText {
                file: "containers/app/Dockerfile",
                text: &text,
            },
            &[&c],
            CONTAINERS_TS,
        );
        assert!(d.is_empty(), "{d:#?}");
    }
    // And the example app's Dockerfile (rendered from it).
    assert!(lint("scaffold_example", "defaultPort: 8080,")
        .codes()
        .is_empty());
}

#[test]
fn one_finding_for_containers_sharing_a_dockerfile() {
    let ts = "import { defineContainer } from \"@lunora/container\";\n\
              export const a = defineContainer({ image: \"./containers/app\", defaultPort: 8080, enableInternet: false });\n\
              export const b = defineContainer({ image: \"./containers/app\", defaultPort: 3000, enableInternet: false });\n";
    let out = lunora_parser::parse_containers(ts, CONTAINERS_TS);
    let refs: Vec<&ContainerSpec> = out.containers.iter().collect();
    let text = fixture("shell_entrypoint");
    let d = lint_dockerfile(
        DockerfileText {
            file: "containers/app/Dockerfile",
            text: &text,
        },
        &refs,
        CONTAINERS_TS,
    );
    let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
    // The shell ENTRYPOINT once (labelled at both containers); the port only for `b`.
    assert_eq!(codes, [SHELL_ENTRYPOINT, PORT_NOT_EXPOSED]);
    assert_eq!(d[0].labels.iter().filter(|l| !l.primary).count(), 2);
    assert!(d[1].message.contains("of `b`"));
}

// ---- the spec's own Dockerfiles (spec/002) ---------------------------------------------------

#[test]
fn spec_r2_fuse_example_only_lacks_the_platform() {
    // Continuations through a quoted multi-line printf, exec ENTRYPOINT + CMD, no EXPOSE on an
    // alpine base (which may EXPOSE ports itself): only the missing --platform is certain.
    let l = lint("spec_r2_fuse", "defaultPort: 8000,");
    assert_eq!(l.codes(), [PLATFORM_NOT_AMD64]);
    assert_eq!(l.at(PLATFORM_NOT_AMD64), (1, 1));
    assert_eq!(
        l.only(PLATFORM_NOT_AMD64).help.as_deref(),
        Some("write `FROM --platform=linux/amd64 alpine:3.20`")
    );
}

#[test]
fn spec_python_example_only_lacks_the_platform() {
    let l = lint("spec_python", "defaultPort: 8000,");
    assert_eq!(l.codes(), [PLATFORM_NOT_AMD64]);
}

// ---- container_dockerfile_budget: every Dockerfile is read in bounded work (issue 27) -------

fn lint_text(dockerfile: String, fields: &str) -> (Linted, std::time::Duration) {
    let ts = containers_ts(fields);
    let c = spec(&ts);
    let started = std::time::Instant::now();
    let diagnostics = lint_dockerfile(
        DockerfileText {
            file: "containers/app/Dockerfile",
            text: &dockerfile,
        },
        &[&c],
        CONTAINERS_TS,
    );
    let took = started.elapsed();
    let mut sources = Sources::new();
    sources.insert(CONTAINERS_TS, ts);
    sources.insert("containers/app/Dockerfile", dockerfile.clone());
    (
        Linted {
            diagnostics,
            sources,
            dockerfile,
        },
        took,
    )
}

/// Generous: these took seconds to minutes (or ran out of memory) before; now milliseconds.
const BOUND: std::time::Duration = std::time::Duration::from_secs(5);

#[test]
fn env_doubling_per_line_expanded_exponentially() {
    // 60 lines of `ENV A=$A$A` wanted 2^60 bytes (28 lines took 790 MB).
    let text = format!(
        "FROM scratch\nENV A=a\n{}EXPOSE $A\n",
        "ENV A=$A$A\n".repeat(60)
    );
    let (linted, took) = lint_text(text, "defaultPort: 8080,");
    assert!(took < BOUND, "took {took:?}");
    // The doublings so far have cost about 2^23 characters when the 22nd (line 24) would
    // overrun the 4 MiB budget.
    assert_eq!(linted.at(DOCKERFILE_BUDGET), (24, 1), "{}", linted.human());
    assert_eq!(
        linted.only(DOCKERFILE_BUDGET).severity,
        Severity::Info,
        "a note, never an error"
    );
    // What depends on the unknown value is not judged.
    assert_eq!(linted.codes(), [DOCKERFILE_BUDGET], "{}", linted.human());
}

#[test]
fn an_ordinary_dockerfile_gets_no_budget_note() {
    let text = "FROM scratch\nARG P=80\nENV A=$P$P B=${A:-x}\nEXPOSE $A\n".to_string();
    let (linted, _) = lint_text(text, "defaultPort: 9090,");
    assert_eq!(linted.codes(), [PORT_NOT_EXPOSED], "{}", linted.human());
}

#[test]
fn forty_thousand_stages_were_read_in_quadratic_time() {
    let mut text = String::from("FROM scratch AS s0\nEXPOSE 8080\n");
    for i in 0..40_000 {
        text.push_str(&format!("FROM s{i} AS s{}\n", i + 1));
    }
    assert!(text.len() < 1 << 20);
    let (linted, took) = lint_text(text, "defaultPort: 8080,");
    assert!(took < BOUND, "took {took:?}");
    // The EXPOSE of the first stage reaches the last through the whole chain.
    assert_eq!(linted.codes(), Vec::<&str>::new(), "{}", linted.human());
}

#[test]
fn a_chain_of_stages_each_adding_env_copied_every_variable_into_every_stage() {
    // 30,000 stages, each built on the one before and adding one ENV: copying every stage's
    // variables into the next took 4 GB before.
    let mut text = String::from("FROM scratch AS s0\n");
    for i in 0..30_000 {
        text.push_str(&format!("FROM s{i} AS s{}\nENV V{i}=x\n", i + 1));
    }
    text.push_str("EXPOSE ${V1:-1}\n");
    assert!(text.len() < 1 << 20);
    let (linted, took) = lint_text(text, "defaultPort: 8080,");
    assert!(took < BOUND, "took {took:?}");
    assert!(
        linted.codes().contains(&DOCKERFILE_BUDGET),
        "{}",
        linted.human()
    );
    assert!(
        !linted.codes().contains(&PORT_NOT_EXPOSED),
        "{}",
        linted.human()
    );
}

#[test]
fn forty_thousand_env_lines_each_copied_the_whole_environment() {
    let mut text = String::from("FROM scratch\n");
    for i in 0..40_000 {
        text.push_str(&format!("ENV V{i}=1\n"));
    }
    text.push_str("EXPOSE $V39999\n");
    let (linted, took) = lint_text(text, "defaultPort: 1,");
    assert!(took < BOUND, "took {took:?}");
    assert_eq!(linted.codes(), Vec::<&str>::new(), "{}", linted.human());
}
