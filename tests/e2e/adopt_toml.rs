//! `wrangler.toml` projects: `lunora adopt` says so (and so do codegen and doctor), and
//! `lunora adopt --convert-toml` converts the config to `wrangler.jsonc` first — every key and
//! comment kept, checked against wrangler's own reading of both files — then adopts. The TOML
//! file is left as it is.

use crate::migrations::{parse_jsonc, replay, wrangler_accepts, wrangler_dry_run, DOCKERFILE};
use crate::support::{workspace, TempProject};

const RICH_TOML: &str = r#"# A worker without containers yet.
name = "toml-rich" # the worker
main = "src/index.ts"
compatibility_date = "2025-05-23"
compatibility_flags = ["nodejs_compat"]
workers_dev = false
routes = [
  { pattern = "example.com/*", zone_name = "example.com" }, # the zone
  # more routes later
]

[vars]
MODE = "prod"
"WITH SPACE" = 'literal # not a comment'
RATIO = 0.25
LIMITS.max = 3 # a dotted key

# Key-value namespaces.
[[kv_namespaces]]
binding = "CACHE"
id = "0123456789abcdef0123456789abcdef"

[[d1_databases]]
binding = "DB"
database_name = "main"
database_id = "00000000-0000-0000-0000-000000000000"

[observability]
enabled = true

[triggers]
crons = ["0 * * * *"]

# Staging.
[env.staging]
name = "toml-rich-staging"
vars = { MODE = "staging" }
routes = [{ pattern = "staging.example.com/*", zone_name = "example.com" }]

[[env.staging.kv_namespaces]]
binding = "CACHE"
id = "fedcba9876543210fedcba9876543210"
"#;

/// The config wrangler 4.86 resolves from `config` for `env` (its own reader), without the
/// fields that name the file itself.
fn wrangler_reads(p: &TempProject, config: &str, env: Option<&str>) -> serde_json::Value {
    let script = "const { unstable_readConfig } = require(process.argv[1]);\n\
        const c = unstable_readConfig({ config: process.argv[2], env: process.argv[3] || undefined });\n\
        for (const k of Object.keys(c)) if (/path/i.test(k)) delete c[k];\n\
        console.log(JSON.stringify(c));";
    let out = std::process::Command::new("node")
        .args([
            "-e",
            script,
            workspace().join("node_modules/wrangler").to_str().unwrap(),
            p.path().join(config).to_str().unwrap(),
            env.unwrap_or(""),
        ])
        .current_dir(p.path())
        .env("WRANGLER_SEND_METRICS", "false")
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "wrangler does not read {config}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).expect("json")
}

/// Regression for "a wrangler.toml project gets `no wrangler.jsonc or wrangler.json, so there
/// is no hand-wired container to adopt`, with no word of TOML": adopt names the file and the
/// flag; with it, wrangler.jsonc holds every key (wrangler resolves the same config from both
/// files, at the top level and in the environment) and every comment, and wrangler.toml stays.
#[test]
fn a_toml_project_is_told_so_and_converted_with_every_key_and_comment() {
    let p = TempProject::empty();
    p.write("wrangler.toml", RICH_TOML);
    p.write(
        "src/index.ts",
        "export default { fetch: () => new Response(\"\") };\n",
    );
    let before = p.snapshot();
    let told = p.lunora(&["adopt"]);
    assert_eq!(told.code, 1, "{}", told.all());
    assert!(
        told.all().contains("configured by wrangler.toml"),
        "{}",
        told.all()
    );
    assert!(
        told.all().contains("`lunora adopt --convert-toml`"),
        "{}",
        told.all()
    );
    let doctor = p.lunora(&["doctor"]);
    assert!(
        doctor.all().contains("lunora adopt --convert-toml"),
        "{}",
        doctor.all()
    );
    let dry = p.lunora(&["adopt", "--convert-toml", "--dry-run"]);
    dry.assert_code(0);
    assert!(
        dry.all().contains("would create wrangler.jsonc"),
        "{}",
        dry.all()
    );
    assert_eq!(before, p.snapshot(), "nothing written before the real run");

    let run = p.lunora(&["adopt", "--convert-toml"]);
    run.assert_code(0);
    assert!(
        run.all()
            .contains("converted wrangler.toml to wrangler.jsonc"),
        "{}",
        run.all()
    );
    assert_eq!(
        p.read("wrangler.toml"),
        RICH_TOML,
        "the TOML file is kept as it was"
    );
    for env in [None, Some("staging")] {
        assert_eq!(
            wrangler_reads(&p, "wrangler.toml", env),
            wrangler_reads(&p, "wrangler.jsonc", env),
            "wrangler resolves another config from the converted file ({env:?})"
        );
    }
    let jsonc = p.read("wrangler.jsonc");
    for comment in [
        "// A worker without containers yet.\n",
        "\"name\": \"toml-rich\", // the worker\n",
        "{ \"pattern\": \"example.com/*\", \"zone_name\": \"example.com\" }, // the zone\n",
        "// more routes later\n",
        "// a dotted key",
        "// Key-value namespaces.\n",
        "// Staging.\n",
    ] {
        assert!(jsonc.contains(comment), "`{comment}` missing:\n{jsonc}");
    }
    assert!(
        jsonc.contains("\"WITH SPACE\": \"literal # not a comment\""),
        "{jsonc}"
    );
    // lunora reads the result, and a second conversion is not offered: the JSON config wins.
    p.lunora(&["codegen"]).assert_code(0);
    let again = p.lunora(&["adopt", "--convert-toml"]);
    assert!(
        !again.all().contains("converted wrangler.toml"),
        "{}",
        again.all()
    );
}

const SANDBOX_TOML: &str = r#"# The sandbox worker.
name = "toml-sandbox"
main = "src/index.ts"
compatibility_date = "2025-05-23"

# One sandbox per user.
[[containers]]
class_name = "Sandbox"
image = "./Dockerfile" # built locally
max_instances = 3
instance_type = "standard"

[[durable_objects.bindings]]
name = "SANDBOX"
class_name = "Sandbox"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Sandbox"]

[vars]
MODE = "prod"
"#;

/// A hand-wired TOML project is converted and adopted in one step: the real wrangler deploys
/// it before and after, the storage follows the class wrangler binds, and the keys and
/// comments lunora does not manage are still there.
#[test]
fn a_hand_wired_toml_project_is_converted_and_adopted() {
    let p = TempProject::empty();
    p.write("wrangler.toml", SANDBOX_TOML);
    p.write("Dockerfile", DOCKERFILE);
    p.write(
        "src/index.ts",
        "import { Container } from \"@cloudflare/containers\";\n\nexport class Sandbox extends Container {\n  defaultPort = 3000;\n}\n\nexport default {\n  async fetch(request: Request, env: any): Promise<Response> {\n    return env.SANDBOX.get(env.SANDBOX.idFromName(\"a\")).fetch(request);\n  },\n};\n",
    );
    let (code, out) = wrangler_dry_run(&p);
    assert_eq!(code, 0, "wrangler deploys the TOML project:\n{out}");
    let run = p.lunora(&["adopt", "--convert-toml"]);
    run.assert_code(0);
    assert!(
        run.all()
            .contains("Converted wrangler.toml to wrangler.jsonc"),
        "{}",
        run.all()
    );
    let text = p.read("wrangler.jsonc");
    for kept in [
        "// The sandbox worker.",
        "// One sandbox per user.",
        "// built locally",
    ] {
        assert!(text.contains(kept), "`{kept}` missing:\n{text}");
    }
    let cfg = parse_jsonc(&text);
    assert_eq!(cfg["vars"]["MODE"], "prod");
    let bound = cfg["durable_objects"]["bindings"][0]["class_name"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(replay(&cfg["migrations"])[&bound], "Sandbox@v1");
    assert!(p
        .read("lunora/containers.ts")
        .contains("instanceType: \"standard-1\""));
    p.lunora(&["codegen", "--check"]).assert_code(0);
    wrangler_accepts(&p);
}

/// Hostile TOML: a located error at the line of wrangler.toml that is wrong, and nothing is
/// written.
#[test]
fn hostile_toml_is_refused_at_its_line() {
    for (text, at) in [
        (
            "name = \"a\"\nmain = \"src/index.ts\"\nname = \"b\"\n",
            "--> wrangler.toml:3:",
        ),
        ("name = \"a\"\n[vars]\nX = nan\n", "--> wrangler.toml:3:"),
        ("name = \"a\"\n[vars\n", "--> wrangler.toml:2:"),
    ] {
        let p = TempProject::empty();
        p.write("wrangler.toml", text);
        let before = p.snapshot();
        let run = p.lunora(&["adopt", "--convert-toml"]);
        assert_eq!(run.code, 1, "{text}: {}", run.all());
        assert!(run.all().contains(at), "{text}: {}", run.all());
        assert!(run.all().contains("nothing was written"), "{}", run.all());
        assert_eq!(
            before,
            p.snapshot(),
            "{text}: a refused conversion wrote files"
        );
    }
}
