//! The advisor through the real binary: Dockerfile lints located in the Dockerfile in every
//! format, the scaffold passing clean, typed `.port(n)` checked by the real tsc, the account
//! limits (an error writes nothing) and `codegen --cost`.

use crate::support::TempProject;
use serde_json::Value;

fn records(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn with_code<'a>(records: &'a [Value], code: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["code"] == code).collect()
}

const ADVISOR_DOCKERFILE_CODES: &[&str] = &[
    "container_port_not_exposed",
    "container_shell_entrypoint",
    "container_platform_not_amd64",
];

/// A multi-stage Dockerfile with all three problems, a continuation and an ARG in FROM.
const BAD_DOCKERFILE: &str = "# syntax=docker/dockerfile:1\n\
ARG NODE=22\n\
FROM --platform=$BUILDPLATFORM node:${NODE} AS build\n\
WORKDIR /src\n\
COPY . .\n\
RUN npm ci && \\\n    npm run build\n\
\n\
FROM node:${NODE}-slim\n\
COPY --from=build /src/dist /app\n\
EXPOSE 3000\n\
ENTRYPOINT node \\\n    /app/server.mjs\n";

#[test]
fn dockerfile_lints_are_located_in_the_dockerfile_in_every_format() {
    let p = TempProject::example("transcoder");
    p.write("containers/transcoder/Dockerfile", BAD_DOCKERFILE);

    let json = p.lunora(&["codegen", "--format", "json"]);
    // Advice, not errors: codegen still writes.
    json.assert_code(0);
    assert!(p.exists("lunora/_generated/containers.ts"));
    let all = records(&json.stdout);
    let port = with_code(&all, "container_port_not_exposed");
    assert_eq!(port.len(), 1, "{}", json.stdout);
    assert_eq!(port[0]["severity"], "warning");
    assert_eq!(port[0]["file"], "containers/transcoder/Dockerfile");
    assert_eq!(
        (port[0]["line"].as_u64(), port[0]["column"].as_u64()),
        (Some(11), Some(1))
    );
    assert!(port[0]["help"].as_str().unwrap().contains("`EXPOSE 8080`"));

    let shell = with_code(&all, "container_shell_entrypoint");
    assert_eq!(shell.len(), 1);
    assert_eq!(shell[0]["severity"], "info");
    assert_eq!(
        (shell[0]["line"].as_u64(), shell[0]["column"].as_u64()),
        (Some(12), Some(1))
    );
    assert_eq!(
        shell[0]["help"],
        "write `ENTRYPOINT [\"node\", \"/app/server.mjs\"]` (exec form)"
    );

    // The final stage's FROM (line 9); the builder on $BUILDPLATFORM is not judged.
    let platform = with_code(&all, "container_platform_not_amd64");
    assert_eq!(platform.len(), 1);
    assert_eq!(
        (platform[0]["line"].as_u64(), platform[0]["column"].as_u64()),
        (Some(9), Some(1))
    );
    assert_eq!(
        platform[0]["help"],
        "write `FROM --platform=linux/amd64 node:${NODE}-slim`"
    );

    // Human: a code frame of the Dockerfile line, and the container it is built for.
    let human = p.lunora(&["codegen"]);
    human.assert_code(0);
    assert!(
        human.stderr.contains(
            "warning[container_port_not_exposed]: port 8080 (`defaultPort`) of `transcoder` is not EXPOSEd by containers/transcoder/Dockerfile"
        ),
        "{}",
        human.stderr
    );
    assert!(
        human
            .stderr
            .contains(" --> containers/transcoder/Dockerfile:11:1\n"),
        "{}",
        human.stderr
    );
    assert!(
        human.stderr.contains("11 | EXPOSE 3000\n"),
        "{}",
        human.stderr
    );
    assert!(
        human.stderr.contains("12 | ENTRYPOINT node \\\n"),
        "{}",
        human.stderr
    );
    assert!(
        human
            .stderr
            .contains("`transcoder` is built from containers/transcoder/Dockerfile"),
        "{}",
        human.stderr
    );

    // GitHub annotations point into the Dockerfile.
    let github = p.lunora(&["codegen", "--format", "github"]);
    github.assert_code(0);
    assert!(
        github.stdout.contains(
            "::warning file=containers/transcoder/Dockerfile,line=11,col=1,title=container_port_not_exposed::"
        ),
        "{}",
        github.stdout
    );
    assert!(github.stdout.contains(
        "::notice file=containers/transcoder/Dockerfile,line=12,col=1,title=container_shell_entrypoint::"
    ));

    // Fixed as the help says: nothing left to say.
    p.write(
        "containers/transcoder/Dockerfile",
        &BAD_DOCKERFILE
            .replace(
                "FROM node:${NODE}-slim",
                "FROM --platform=linux/amd64 node:${NODE}-slim",
            )
            .replace("EXPOSE 3000", "EXPOSE 3000 8080")
            .replace(
                "ENTRYPOINT node \\\n    /app/server.mjs",
                "ENTRYPOINT [\"node\", \"/app/server.mjs\"]",
            ),
    );
    let fixed = p.lunora(&["codegen", "--format", "json"]);
    let all = records(&fixed.stdout);
    for code in ADVISOR_DOCKERFILE_CODES {
        assert!(
            with_code(&all, code).is_empty(),
            "{code} after the fix:\n{}",
            fixed.stdout
        );
    }
}

#[test]
fn the_scaffolded_container_and_the_example_have_no_dockerfile_lint() {
    let p = TempProject::example("transcoder");
    let example = p.lunora(&["codegen", "--format", "json"]);
    example.assert_code(0);
    let all = records(&example.stdout);
    for code in ADVISOR_DOCKERFILE_CODES {
        assert!(with_code(&all, code).is_empty(), "{}", example.stdout);
    }
    p.lunora(&[
        "generate",
        "lunora-container",
        "--name=image-resizer",
        "--port",
        "3000",
    ])
    .assert_code(0);
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let all = records(&run.stdout);
    for code in ADVISOR_DOCKERFILE_CODES {
        assert!(with_code(&all, code).is_empty(), "{}", run.stdout);
    }
    // The check is live: the scaffold with a different port is reported.
    let ts = p
        .read("lunora/containers.ts")
        .replace("defaultPort: 3000", "defaultPort: 3001");
    p.write("lunora/containers.ts", &ts);
    let moved = p.lunora(&["codegen", "--format", "json"]);
    let all = records(&moved.stdout);
    let port = with_code(&all, "container_port_not_exposed");
    assert_eq!(port.len(), 1, "{}", moved.stdout);
    assert_eq!(port[0]["file"], "containers/image-resizer/Dockerfile");
}

#[test]
fn a_registry_image_or_a_missing_dockerfile_gets_no_dockerfile_lint() {
    let p = TempProject::example("transcoder");
    std::fs::remove_file(p.path().join("containers/transcoder/Dockerfile")).unwrap();
    let run = p.lunora(&["codegen", "--format", "json"]);
    let all = records(&run.stdout);
    for code in ADVISOR_DOCKERFILE_CODES {
        assert!(with_code(&all, code).is_empty(), "{}", run.stdout);
    }
    assert_eq!(with_code(&all, "containers/image-not-found").len(), 1);
}

// ---- typed ports -----------------------------------------------------------------------------

const MULTIPORT_TS: &str = "import { defineContainer } from \"@lunora/container\";\n\n\
export const transcoder = defineContainer({\n  image: \"./containers/transcoder\",\n  defaultPort: 8080,\n  requiredPorts: [8080, 9090],\n  maxInstances: 5,\n  enableInternet: false,\n});\n";

fn port_call(port: u32) -> String {
    format!(
        "import type {{ ActionCtx }} from \"./transcode\";\n\
         export async function admin(ctx: ActionCtx, id: string) {{\n  \
           await ctx.containers.transcoder.get(id).port({port}).fetch(\"/admin\");\n  \
           await ctx.containers.transcoder.any().port({port}).fetch(\"/admin\");\n  \
           return ctx.containers.transcoder.port({port}).pool().fetch(\"/admin\");\n}}\n"
    )
}

#[test]
fn port_accepts_only_declared_ports_under_real_tsc() {
    let p = TempProject::example("transcoder");
    p.write("lunora/containers.ts", MULTIPORT_TS);
    p.lunora(&["codegen"]).assert_code(0);
    let handles = p.read("lunora/_generated/containerHandles.ts");
    assert!(
        handles.contains("transcoder: ContainerAccessor<8080 | 9090>;"),
        "{handles}"
    );

    p.write("src/server/admin.ts", &port_call(9090));
    // The Docker-free test double (plain `ContainerAccessor`s) still stands in for the narrowed
    // handles: the port parameter is backwards compatible.
    p.write(
        "src/server/double.ts",
        "import { createContainerTestContext } from \"@lunora/container\";\n\
         import type { Containers } from \"../../lunora/_generated/containerHandles\";\n\
         export const containers: Containers = createContainerTestContext({ transcoder: async () => new Response(\"ok\") });\n",
    );
    let ok = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    ok.assert_code(0);

    p.write("src/server/admin.ts", &port_call(7777));
    let bad = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    assert_ne!(bad.code, 0, "tsc accepted .port(7777):\n{}", bad.all());
    let out = bad.all();
    // On the accessor, the named handle and the pool handle alike.
    assert_eq!(
        out.matches("error TS2345: Argument of type '7777' is not assignable to parameter of type '8080 | 9090'.").count(),
        3,
        "{out}"
    );
    assert!(out.contains("src/server/admin.ts(3,"), "{out}");
}

#[test]
fn port_accepts_any_number_when_the_ports_are_not_static() {
    let p = TempProject::example("transcoder");
    p.write(
        "lunora/containers.ts",
        &MULTIPORT_TS.replace("defaultPort: 8080", "defaultPort: Number(\"8080\")"),
    );
    p.lunora(&["codegen"]).assert_code(0);
    let handles = p.read("lunora/_generated/containerHandles.ts");
    assert!(
        handles.contains("transcoder: ContainerAccessor;"),
        "{handles}"
    );
    p.write("src/server/admin.ts", &port_call(7777));
    p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[])
        .assert_code(0);
}

// ---- account limits and --cost ---------------------------------------------------------------

/// Three containers (sizes from spec/002): `encoder` standard-4 (4 vCPU, 12 GiB, 20 GB) × 20 =
/// 80 vCPU, 240 GiB, 400 GB; `api` standard-1 (1/2 vCPU, 4 GiB, 8 GB) × 10 = 5 vCPU, 40 GiB,
/// 80 GB; `worker` custom 2 vCPU / 8 GiB / 10 GB × N. With N = 6: 97 vCPU (97 %), 328 GiB (82 %),
/// 540 GB (27 %) → warning. With N = 8: 80 + 5 + 16 = 101 vCPU (101 %) → error.
fn three_containers(worker_instances: u32) -> String {
    format!(
        "import {{ defineContainer }} from \"@lunora/container\";\n\n\
export const encoder = defineContainer({{ image: {{ registry: \"docker.io/acme/encoder:1\" }}, instanceType: \"standard-4\", maxInstances: 20, enableInternet: false }});\n\
export const api = defineContainer({{ image: {{ registry: \"docker.io/acme/api:1\" }}, instanceType: \"standard-1\", maxInstances: 10, enableInternet: false }});\n\
export const worker = defineContainer({{ image: {{ registry: \"docker.io/acme/worker:1\" }}, instanceType: {{ vcpu: 2, memoryMib: 8192, diskMb: 10000 }}, maxInstances: {worker_instances}, enableInternet: false }});\n"
    )
}

/// The one `container_account_limits` record of a JSON run.
fn limits_record(run: &crate::support::Run) -> Option<Value> {
    let all = records(&run.stdout);
    let found = with_code(&all, "container_account_limits");
    assert!(found.len() <= 1, "{}", run.stdout);
    found.first().map(|v| (*v).clone())
}

/// Issue 23.3, over the edits a user makes in a week: the default limits warn (close to them and
/// above them) and never stop a run; the account's real limits in lunora.jsonc silence the
/// warning; a lint set to "error" stops codegen at its place; a typo in lunora.jsonc is a located
/// error with a "did you mean", and nothing is written while it is there.
#[test]
fn account_limits_warn_by_default_and_the_settings_file_states_real_limits_and_levels() {
    let p = TempProject::example("transcoder");

    // Day 1: 97 % of the default vCPU limit: a warning naming the default limits.
    p.write("lunora/containers.ts", &three_containers(6));
    let warn = p.lunora(&["codegen", "--format", "json"]);
    warn.assert_code(0);
    let d = limits_record(&warn).expect("a warning at 97%");
    assert_eq!(d["severity"], "warning");
    assert_eq!(
        d["message"],
        "with every container at `maxInstances`, the app needs 97 vCPU of 100 vCPU (97%), 328 GiB memory of 400 GiB (82%), 540 GB disk of 2 TB (27%): close to what the account may run at once (Cloudflare's default account limits)"
    );
    // At `encoder`, the largest share (line 3, column 14).
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(14))
    );
    assert!(d["help"]
        .as_str()
        .unwrap()
        .contains("state them in lunora.jsonc"));

    // Day 2: 101 % of the default: still a warning, and codegen writes (issue 23: Cloudflare
    // raises the limits per account, so the defaults must not block a project).
    p.write("lunora/containers.ts", &three_containers(8));
    let over = p.lunora(&["codegen"]);
    over.assert_code(0);
    assert!(
        over.stderr.contains("warning[container_account_limits]: with every container at `maxInstances`, the app needs 101 vCPU of 100 vCPU (101%)")
            && over.stderr.contains("more than the account may run at once (Cloudflare's default account limits)"),
        "{}",
        over.stderr
    );
    assert!(p.read("wrangler.jsonc").contains("\"max_instances\": 8"));

    // Day 3: the account's real limits, with a comment: the warning is gone.
    p.write(
        "lunora.jsonc",
        "{\n  // Cloudflare raised our limits (ticket 1234)\n  \"account\": { \"limits\": { \"vcpu\": 1000, \"memoryGib\": 4000, \"diskGb\": 20000 } },\n}\n",
    );
    let quiet = p.lunora(&["codegen", "--format", "json"]);
    quiet.assert_code(0);
    assert_eq!(limits_record(&quiet), None, "{}", quiet.stdout);
    // doctor names the limits in use.
    let doctor = p.lunora(&["doctor", "--format", "json"]);
    let settings = records(&doctor.stdout)
        .into_iter()
        .find(|r| r["code"] == "doctor/settings")
        .unwrap_or_else(|| panic!("{}", doctor.stdout));
    assert_eq!(settings["status"], "ok");
    assert_eq!(
        settings["message"],
        "lunora.jsonc: account limits 1000 vCPU, 4000 GiB memory, 20 TB disk"
    );

    // Day 4: more instances, close to the raised limits: the message names lunora.jsonc's
    // limits. `worker` × 400: 80 + 5 + 800 = 885 vCPU of 1000 (88.5 %).
    p.write("lunora/containers.ts", &three_containers(400));
    let close = p.lunora(&["codegen", "--format", "json"]);
    close.assert_code(0);
    let d = limits_record(&close).expect("88.5% of the raised limit");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("885 vCPU of 1000 vCPU (88.5%)")
            && d["message"]
                .as_str()
                .unwrap()
                .ends_with("(the account limits set in lunora.jsonc)"),
        "{d}"
    );

    // Day 5: the team wants the limits to stop CI: "error" fails codegen, located (at `worker`,
    // now the largest), and writes nothing.
    p.write(
        "lunora.jsonc",
        "{\n  \"account\": { \"limits\": { \"vcpu\": 1000, \"memoryGib\": 4000, \"diskGb\": 20000 } },\n  \"lints\": { \"container_account_limits\": \"error\", \"container_oversized_instance\": \"off\" },\n}\n",
    );
    p.write("lunora/containers.ts", &three_containers(450));
    let before = p.snapshot();
    let fail = p.lunora(&["codegen"]);
    fail.assert_code(1);
    assert!(
        fail.stderr.contains("error[container_account_limits]: with every container at `maxInstances`, the app needs 985 vCPU of 1000 vCPU (98.5%)")
            && fail.stderr.contains("--> lunora/containers.ts:5:14"),
        "{}",
        fail.stderr
    );
    // Turned off in the same file: no oversized-instance advice (two were printed before).
    assert!(
        !fail.stderr.contains("container_oversized_instance"),
        "{}",
        fail.stderr
    );
    assert!(
        over.stderr.contains("info[container_oversized_instance]"),
        "{}",
        over.stderr
    );
    assert!(
        fail.stdout.contains("nothing was written"),
        "{}",
        fail.stdout
    );
    assert_eq!(before, p.snapshot(), "an error run wrote files");

    // Day 6: a typo in the settings: located in lunora.jsonc with a "did you mean", nothing
    // written (containers.ts changed meanwhile, so a run would write).
    p.write(
        "lunora.jsonc",
        "{\n  \"account\": { \"limits\": { \"vcpu\": 1000, \"memoryGib\": 4000, \"diskGb\": 20000 } },\n  \"lints\": { \"container_acount_limits\": \"warn\" },\n}\n",
    );
    p.write("lunora/containers.ts", &three_containers(7));
    let before = p.snapshot();
    let typo = p.lunora(&["codegen", "--format", "json"]);
    typo.assert_code(1);
    let all = records(&typo.stdout);
    let e = with_code(&all, "settings/unknown-lint");
    assert_eq!(e.len(), 1, "{}", typo.stdout);
    assert_eq!(e[0]["file"], "lunora.jsonc");
    assert_eq!(
        (e[0]["line"].as_u64(), e[0]["column"].as_u64()),
        (Some(3), Some(14))
    );
    assert_eq!(e[0]["help"], "did you mean `container_account_limits`?");
    assert_eq!(
        before,
        p.snapshot(),
        "a run with a settings error wrote files"
    );
    // doctor names the settings file, not containers.ts.
    let doctor = p.lunora(&["doctor", "--format", "json"]);
    doctor.assert_code(1);
    assert!(
        doctor.stdout.contains("\"code\":\"doctor/settings\"")
            && !doctor.stdout.contains("doctor/containers"),
        "{}",
        doctor.stdout
    );

    // Day 7: fixed; a bad level is caught too, then the run writes again.
    p.write(
        "lunora.jsonc",
        "{ \"lints\": { \"container_account_limits\": \"warning\" } }\n",
    );
    let level = p.lunora(&["codegen"]);
    level.assert_code(1);
    assert!(
        level.stderr.contains("error[settings/invalid-value]")
            && level.stderr.contains("did you mean `\"warn\"`?"),
        "{}",
        level.stderr
    );
    p.write(
        "lunora.jsonc",
        "{ \"lints\": { \"container_account_limits\": \"warn\" } }\n",
    );
    p.lunora(&["codegen"]).assert_code(0);
    assert!(p.read("wrangler.jsonc").contains("\"max_instances\": 7"));
}

#[test]
fn cost_flag_prints_the_ceiling_in_human_and_json() {
    let p = TempProject::example("transcoder");
    let human = p.lunora(&["codegen", "--cost"]);
    human.assert_code(0);
    // standard-1 × 5: $0.074016 an hour each, $266.4576 for 720 h (see the advisor crate's tests
    // for the arithmetic).
    assert!(
        human.stdout.contains(
            "Cost ceiling (Cloudflare Containers prices from spec/002_fcd89639daf4fd92.txt"
        ),
        "{}",
        human.stdout
    );
    let row = human
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("transcoder "))
        .unwrap_or_else(|| panic!("{}", human.stdout));
    assert!(row.contains("standard-1: 0.5 vCPU, 4 GiB, 8 GB"), "{row}");
    assert!(
        row.contains("$0.0740") && row.trim_end().ends_with("$266.46"),
        "{row}"
    );
    assert!(human.stdout.contains("Billing is per 10 ms of active time"));
    assert!(human
        .stdout
        .contains("25 GiB-hours of memory, 375 vCPU-minutes, 200 GB-hours of disk"));

    let json = p.lunora(&["codegen", "--cost", "--format", "json"]);
    json.assert_code(0);
    let all = records(&json.stdout);
    let cost = with_code(&all, "lunora/cost");
    assert_eq!(cost.len(), 1, "{}", json.stdout);
    let c = cost[0];
    assert_eq!(c["severity"], "info");
    assert_eq!(c["file"], "lunora/containers.ts");
    assert_eq!(c["containers"][0]["exportName"], "transcoder");
    assert_eq!(c["containers"][0]["instanceHourUsd"], 0.074016);
    assert_eq!(c["containers"][0]["worstCaseMonthUsd"], 266.4576);
    // $266.4576 − the included usage ($0.45 + $0.225 + $0.0504 = $0.7254) = $265.7322.
    assert_eq!(c["total"]["worstCaseMonthAfterIncludedUsd"], 265.7322);
    assert_eq!(c["assumptions"]["monthDays"], 30.0);
    assert_eq!(c["assumptions"]["billing"], "per 10 ms of active time");

    // Without the flag: no cost record.
    let plain = p.lunora(&["codegen", "--format", "json"]);
    assert!(with_code(&records(&plain.stdout), "lunora/cost").is_empty());
    // --cost and --watch do not go together.
    p.lunora(&["codegen", "--cost", "--watch"]).assert_code(2);
}
