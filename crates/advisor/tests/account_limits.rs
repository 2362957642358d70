//! `container_account_limits` and the `--cost` ceiling on fixtures whose figures are worked out
//! by hand in the comments (sizes and prices from spec/002_fcd89639daf4fd92.txt).

use lunora_advisor::codes::ACCOUNT_LIMITS;
use lunora_advisor::platform::Size;
use lunora_advisor::{account_limits, account_limits_within, cost, AccountLimits};
use lunora_diagnostic::{render_human, HumanOptions, Severity, SourceText, Sources};
use lunora_parser::ContainerSpec;

const FILE: &str = "lunora/containers.ts";

fn parse(body: &str) -> (String, Vec<ContainerSpec>) {
    let ts = format!("import {{ defineContainer }} from \"@lunora/container\";\n\n{body}");
    let out = lunora_parser::parse_containers(&ts, FILE);
    assert!(
        !out.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        out.diagnostics
    );
    (ts, out.containers)
}

/// Three containers:
/// * `encoder`: standard-4 (4 vCPU, 12 GiB, 20 GB) × 20 = 80 vCPU, 240 GiB, 400 GB
/// * `api`: standard-1 (1/2 vCPU, 4 GiB, 8 GB) × 10 = 5 vCPU, 40 GiB, 80 GB
/// * `worker`: custom 2 vCPU, 8192 MiB = 8 GiB, 10000 MB = 10 GB, × 6 = 12 vCPU, 48 GiB, 60 GB
///
/// Totals: 80 + 5 + 12 = 97 vCPU of 100 (97 %); 240 + 40 + 48 = 328 GiB of 400 (82 %);
/// 400 + 80 + 60 = 540 GB of 2000 (27 %). The tightest is vCPU, at 97 % ≥ 80 %: a warning.
const THREE: &str = r#"export const encoder = defineContainer({
  image: { registry: "docker.io/acme/encoder:1" },
  instanceType: "standard-4",
  maxInstances: 20,
  enableInternet: false,
});
export const api = defineContainer({
  image: { registry: "docker.io/acme/api:1" },
  instanceType: "standard-1",
  maxInstances: 10,
  enableInternet: false,
});
export const worker = defineContainer({
  image: { registry: "docker.io/acme/worker:1" },
  instanceType: { vcpu: 2, memoryMib: 8192, diskMb: 10000 },
  maxInstances: 6,
  enableInternet: false,
});
"#;

#[test]
fn three_containers_close_to_the_limits_warn_with_the_figures() {
    let (ts, containers) = parse(THREE);
    let d = account_limits(&containers, FILE).expect("97% of the vCPU limit warns");
    assert_eq!(d.code, ACCOUNT_LIMITS);
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.message,
        "with every container at `maxInstances`, the app needs 97 vCPU of 100 vCPU (97%), \
         328 GiB memory of 400 GiB (82%), 540 GB disk of 2 TB (27%): close to what the account \
         may run at once (Cloudflare's default account limits)"
    );
    // Ranked by the tightest resource (vCPU): encoder 80, worker 12, api 5.
    let labels: Vec<&str> = d.labels.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(
        labels,
        [
            "80 vCPU (20 × standard-4)",
            "12 vCPU (6 × custom)",
            "5 vCPU (10 × standard-1)"
        ]
    );
    let primary = d.primary_label().unwrap();
    assert_eq!(primary.file, FILE);
    let pos = SourceText::new(&ts).line_col(primary.span.start);
    assert_eq!((pos.line, pos.column), (3, 14), "at `encoder`");
    let help = d.help.as_deref().unwrap();
    assert!(
        help.starts_with("lower `maxInstances` or the instance type of the largest: `encoder` 80 vCPU (20 × standard-4), `worker` 12 vCPU (6 × custom), `api` 5 vCPU (10 × standard-1);"),
        "{help}"
    );
    let mut sources = Sources::new();
    sources.insert(FILE, ts);
    insta::assert_snapshot!(render_human(&[d], &sources, HumanOptions { color: false }));
}

#[test]
fn above_the_default_limit_is_a_warning_and_a_missing_max_instances_counts_wrangler_default() {
    // THREE plus `batch`: basic (1/4 vCPU, 1 GiB, 4 GB) without maxInstances → wrangler's
    // default 20 → 5 vCPU, 20 GiB, 80 GB. vCPU 97 + 5 = 102 of 100 (102 %): above the default
    // limit, still a warning (Cloudflare raises limits per account; a project that wants it to
    // stop the run sets the lint to "error");
    // memory 328 + 20 = 348 GiB (87 %); disk 540 + 80 = 620 GB (31 %).
    let body = format!(
        "{THREE}export const batch = defineContainer({{\n  image: {{ registry: \"docker.io/acme/batch:1\" }},\n  instanceType: \"basic\",\n  enableInternet: false,\n}});\n"
    );
    let (_, containers) = parse(&body);
    let d = account_limits(&containers, FILE).unwrap();
    assert_eq!(d.severity, Severity::Warning);
    assert!(
        d.message.contains("102 vCPU of 100 vCPU (102%)")
            && d.message.contains("348 GiB memory of 400 GiB (87%)")
            && d.message.contains("620 GB disk of 2 TB (31%)")
            && d.message.ends_with(
                "more than the account may run at once (Cloudflare's default account limits)"
            ),
        "{}",
        d.message
    );
    let help = d.help.as_deref().unwrap();
    assert!(
        help.contains("; `batch` sets no `maxInstances`, counted at wrangler's default of 20; the default account limits are 100 vCPU, 400 GiB memory and 2 TB disk at once"),
        "{help}"
    );
    assert!(
        help.ends_with("state them in lunora.jsonc: `\"account\": { \"limits\": { \"vcpu\": 1000, \"memoryGib\": 4000, \"diskGb\": 20000 } }`"),
        "{help}"
    );
}

#[test]
fn below_eighty_percent_says_nothing_and_eighty_warns() {
    // standard-4 × 19 = 76 vCPU (76 %), 228 GiB (57 %), 380 GB (19 %): nothing.
    let one = |n: u32| {
        format!("export const encoder = defineContainer({{ image: {{ registry: \"docker.io/a/e:1\" }}, instanceType: \"standard-4\", maxInstances: {n}, enableInternet: false }});\n")
    };
    let (_, c19) = parse(&one(19));
    assert_eq!(account_limits(&c19, FILE), None);
    // × 20 = 80 vCPU, exactly 80 %: the issue's example, a warning.
    let (_, c20) = parse(&one(20));
    let d = account_limits(&c20, FILE).unwrap();
    assert_eq!(d.severity, Severity::Warning);
    assert!(
        d.message.contains("80 vCPU of 100 vCPU (80%)"),
        "{}",
        d.message
    );
    assert!(d.message.contains("240 GiB memory of 400 GiB (60%)"));
    // × 26 = 104 vCPU: above the limit, a warning by default.
    let (_, c26) = parse(&one(26));
    let d = account_limits(&c26, FILE).unwrap();
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("more than the account may run at once"));
}

#[test]
fn memory_can_be_the_tightest_resource() {
    // standard-2 (1 vCPU, 6 GiB, 12 GB) × 60 = 60 vCPU (60 %), 360 GiB (90 %), 720 GB (36 %).
    let (_, c) = parse("export const m = defineContainer({ image: { registry: \"docker.io/a/m:1\" }, instanceType: \"standard-2\", maxInstances: 60, enableInternet: false });\n");
    let d = account_limits(&c, FILE).unwrap();
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.primary_label().unwrap().message,
        "360 GiB memory (60 × standard-2)"
    );
}

#[test]
fn no_instance_type_counts_as_lite() {
    // No instanceType → wrangler's `lite` (1/16 vCPU, 256 MiB, 2 GB). × 1000 instances:
    // 62.5 vCPU (62.5 %), 250 GiB (62.5 %), 2000 GB = 2 TB (100 %, not above it): a warning on disk.
    let (_, c) = parse("export const tiny = defineContainer({ image: { registry: \"docker.io/a/t:1\" }, maxInstances: 1000, enableInternet: false });\n");
    let d = account_limits(&c, FILE).unwrap();
    assert_eq!(d.severity, Severity::Warning);
    assert!(
        d.message.contains("62.5 vCPU of 100 vCPU (62.5%)"),
        "{}",
        d.message
    );
    assert!(d.message.contains("2000 GB disk of 2 TB (100%)"));
    assert_eq!(
        d.primary_label().unwrap().message,
        "2000 GB disk (1000 × lite (default))"
    );
}

#[test]
fn an_account_with_raised_limits_is_judged_against_them_and_the_message_names_them() {
    // standard-4 × 26 = 104 vCPU, 312 GiB, 520 GB: above the default 100 vCPU.
    let (_, c) = parse("export const encoder = defineContainer({ image: { registry: \"docker.io/a/e:1\" }, instanceType: \"standard-4\", maxInstances: 26, enableInternet: false });\n");
    let raised = |vcpu: f64, disk_gb: f64| AccountLimits {
        size: Size {
            vcpu,
            memory_gib: 400.0,
            disk_gb,
        },
        configured_in: Some("lunora.jsonc".to_string()),
    };
    // 1000 vCPU: 10.4 %; memory 312 of 400 GiB is 78 %: nothing.
    assert_eq!(
        account_limits_within(&c, FILE, &raised(1000.0, 2000.0)),
        None
    );
    // 128 vCPU: 104 of 128 is 81.3 %: close, named as the project's limits.
    let d = account_limits_within(&c, FILE, &raised(128.0, 2500.0)).unwrap();
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.message,
        "with every container at `maxInstances`, the app needs 104 vCPU of 128 vCPU (81.3%), \
         312 GiB memory of 400 GiB (78%), 520 GB disk of 2500 GB (20.8%): close to what the \
         account may run at once (the account limits set in lunora.jsonc)"
    );
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .ends_with("; the account limits in lunora.jsonc are 128 vCPU, 400 GiB memory and 2500 GB disk at once"),
        "{:?}",
        d.help
    );
}

// ---- --cost ----------------------------------------------------------------------------------

#[test]
fn cost_ceiling_by_hand() {
    let (_, containers) = parse(
        "export const transcoder = defineContainer({ image: { registry: \"docker.io/a/t:1\" }, instanceType: \"standard-1\", maxInstances: 5, enableInternet: false });\n\
         export const tiny = defineContainer({ image: { registry: \"docker.io/a/l:1\" }, enableInternet: false });\n",
    );
    let r = cost::cost_report(&containers);
    // Sorted by export name: tiny, transcoder.
    assert_eq!(r.containers[0].export_name, "tiny");
    let tiny = &r.containers[0];
    let t = &r.containers[1];
    // standard-1, one hour: 0.5 vCPU × $0.000020 × 3600 = $0.036; 4 GiB × $0.0000025 × 3600 =
    // $0.036; 8 GB × $0.00000007 × 3600 = $0.002016. Total $0.074016.
    assert_eq!(t.instance_hour_usd, 0.074016);
    // × 5 instances = $0.37008 per hour; × 720 h (30 days) = $266.4576.
    assert_eq!(t.max_instances_hour_usd, 0.37008);
    assert_eq!(t.worst_case_month_usd, 266.4576);
    // lite (no instanceType), no maxInstances → 20: 0.0625 × 0.00002 × 3600 = $0.0045;
    // 0.25 × 0.0000025 × 3600 = $0.00225; 2 × 0.00000007 × 3600 = $0.000504. $0.007254 an hour;
    // × 20 = $0.14508; × 720 = $104.4576.
    assert_eq!(tiny.instance_type, "lite (default)");
    assert!(tiny.max_instances_defaulted);
    assert_eq!(tiny.max_instances, 20);
    assert_eq!(tiny.instance_hour_usd, 0.007254);
    assert_eq!(tiny.worst_case_month_usd, 104.4576);
    // Total: $266.4576 + $104.4576 = $370.9152. Included usage, all used up: 375 vCPU-min =
    // 22,500 vCPU-s × $0.00002 = $0.45; 25 GiB-h = 90,000 GiB-s × $0.0000025 = $0.225;
    // 200 GB-h = 720,000 GB-s × $0.00000007 = $0.0504. Worth $0.7254; after it $370.9152 − $0.7254 = $370.1898.
    assert_eq!(r.total.max_instances_hour_usd, 0.51516);
    assert_eq!(r.total.worst_case_month_usd, 370.9152);
    assert_eq!(r.total.included_usage_usd, 0.7254);
    assert_eq!(r.total.worst_case_month_after_included_usd, 370.1898);
    assert_eq!(r.assumptions.month_hours, 720.0);
    assert_eq!(r.assumptions.billing, "per 10 ms of active time");

    let human = cost::render_human(&r);
    insta::assert_snapshot!(human);
    let json = cost::json_record(&r, FILE);
    assert_eq!(json["code"], "lunora/cost");
    assert_eq!(json["severity"], "info");
    assert_eq!(json["file"], FILE);
    assert_eq!(json["containers"][1]["worstCaseMonthUsd"], 266.4576);
    assert_eq!(json["total"]["worstCaseMonthAfterIncludedUsd"], 370.1898);
    assert_eq!(json["assumptions"]["includedVcpuMinutes"], 375.0);
}

#[test]
fn money_formatting() {
    assert_eq!(cost::money(0.074016), "$0.0740");
    assert_eq!(cost::money(266.4576), "$266.46");
    assert_eq!(cost::money(12441.6), "$12,441.60");
    assert_eq!(cost::money(1234567.0), "$1,234,567.00");
}
