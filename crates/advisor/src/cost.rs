//! The cost ceiling (`lunora codegen --cost`): per container and in total, what one
//! instance-hour costs and what the worst case costs — every `maxInstances` instance busy for a
//! whole 30-day month — from the prices in [`crate::platform`] and nothing else.

use crate::codes::COST;
use crate::demands;
use crate::platform::{self, fmt_num, Size};
use lunora_parser::ContainerSpec;
use serde::Serialize;

/// The month the worst case is computed for.
pub const MONTH_DAYS: f64 = 30.0;
pub const MONTH_HOURS: f64 = MONTH_DAYS * 24.0;
const HOUR_SECONDS: f64 = 3600.0;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CostReport {
    pub containers: Vec<ContainerCost>,
    pub total: TotalCost,
    pub assumptions: Assumptions,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContainerCost {
    pub export_name: String,
    /// `standard-1`, `custom`, or `lite (default)`.
    pub instance_type: String,
    pub vcpu: f64,
    pub memory_gib: f64,
    pub disk_gb: f64,
    pub max_instances: u32,
    /// `maxInstances` was left out; wrangler's default is counted.
    pub max_instances_defaulted: bool,
    /// One instance busy for one hour.
    pub instance_hour_usd: f64,
    /// Every instance busy for one hour.
    pub max_instances_hour_usd: f64,
    /// Every instance busy for the whole month.
    pub worst_case_month_usd: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TotalCost {
    pub max_instances_hour_usd: f64,
    pub worst_case_month_usd: f64,
    /// What the month's included usage is worth against the worst case (at most its full value).
    pub included_usage_usd: f64,
    pub worst_case_month_after_included_usd: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Assumptions {
    pub month_days: f64,
    pub month_hours: f64,
    pub billing: String,
    pub usd_per_gib_second: f64,
    pub usd_per_vcpu_second: f64,
    pub usd_per_gb_second: f64,
    pub included_memory_gib_hours: f64,
    pub included_vcpu_minutes: f64,
    pub included_disk_gb_hours: f64,
    pub workers_paid_usd_per_month: f64,
    pub not_included: Vec<String>,
    pub source: String,
    pub read_on: String,
}

/// Cost of `size` running for one hour, counting its full provisioned vCPU, memory and disk.
pub fn hourly_usd(size: &Size) -> f64 {
    HOUR_SECONDS
        * (size.vcpu * platform::USD_PER_VCPU_SECOND
            + size.memory_gib * platform::USD_PER_GIB_SECOND
            + size.disk_gb * platform::USD_PER_GB_SECOND)
}

/// Rounds to a millionth of a dollar, so JSON shows `266.4576`, not `266.45760000000007`.
fn usd(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The cost ceiling of `containers`, sorted by export name.
pub fn cost_report(containers: &[ContainerSpec]) -> CostReport {
    let mut demands = demands(containers);
    demands.sort_by(|a, b| a.container.export_name.cmp(&b.container.export_name));
    let month_seconds = MONTH_HOURS * HOUR_SECONDS;
    let mut rows = Vec::new();
    let (mut vcpu_s, mut mem_s, mut disk_s) = (0.0, 0.0, 0.0);
    for d in &demands {
        let hour = hourly_usd(&d.size);
        let n = f64::from(d.instances);
        vcpu_s += d.total.vcpu * month_seconds;
        mem_s += d.total.memory_gib * month_seconds;
        disk_s += d.total.disk_gb * month_seconds;
        rows.push(ContainerCost {
            export_name: d.container.export_name.clone(),
            instance_type: platform::type_label(d.container.instance_type.as_ref()),
            vcpu: d.size.vcpu,
            memory_gib: d.size.memory_gib,
            disk_gb: d.size.disk_gb,
            max_instances: d.instances,
            max_instances_defaulted: d.defaulted,
            instance_hour_usd: usd(hour),
            max_instances_hour_usd: usd(hour * n),
            worst_case_month_usd: usd(hour * n * MONTH_HOURS),
        });
    }
    let gross = vcpu_s * platform::USD_PER_VCPU_SECOND
        + mem_s * platform::USD_PER_GIB_SECOND
        + disk_s * platform::USD_PER_GB_SECOND;
    let over = |used: f64, included: f64, price: f64| (used - included).max(0.0) * price;
    let after = over(
        vcpu_s,
        platform::INCLUDED_VCPU_MINUTES * 60.0,
        platform::USD_PER_VCPU_SECOND,
    ) + over(
        mem_s,
        platform::INCLUDED_MEMORY_GIB_HOURS * HOUR_SECONDS,
        platform::USD_PER_GIB_SECOND,
    ) + over(
        disk_s,
        platform::INCLUDED_DISK_GB_HOURS * HOUR_SECONDS,
        platform::USD_PER_GB_SECOND,
    );
    let hour_total: f64 = demands
        .iter()
        .map(|d| hourly_usd(&d.size) * f64::from(d.instances))
        .sum();
    CostReport {
        containers: rows,
        total: TotalCost {
            max_instances_hour_usd: usd(hour_total),
            worst_case_month_usd: usd(gross),
            included_usage_usd: usd(gross - after),
            worst_case_month_after_included_usd: usd(after),
        },
        assumptions: Assumptions {
            month_days: MONTH_DAYS,
            month_hours: MONTH_HOURS,
            billing: format!("per {}", platform::BILLING_GRANULARITY),
            usd_per_gib_second: platform::USD_PER_GIB_SECOND,
            usd_per_vcpu_second: platform::USD_PER_VCPU_SECOND,
            usd_per_gb_second: platform::USD_PER_GB_SECOND,
            included_memory_gib_hours: platform::INCLUDED_MEMORY_GIB_HOURS,
            included_vcpu_minutes: platform::INCLUDED_VCPU_MINUTES,
            included_disk_gb_hours: platform::INCLUDED_DISK_GB_HOURS,
            workers_paid_usd_per_month: platform::WORKERS_PAID_USD_PER_MONTH,
            not_included: NOT_INCLUDED.iter().map(|s| s.to_string()).collect(),
            source: platform::SOURCE.to_string(),
            read_on: platform::READ_ON.to_string(),
        },
    }
}

const NOT_INCLUDED: &[&str] = &[
    "the Workers Paid plan itself ($5/month)",
    "egress (billed per GB; the source gives no price)",
    "Worker requests and Durable Object usage",
];

/// `$0.0740` for amounts under $1, `$12,441.60` otherwise.
pub fn money(x: f64) -> String {
    if x < 1.0 {
        return format!("${x:.4}");
    }
    let cents = format!("{x:.2}");
    let (whole, frac) = cents.split_once('.').unwrap_or((&cents, "00"));
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("${grouped}.{frac}")
}

/// One line for the summary: `worst case $266.46 per 30-day month (…)`.
pub fn summary(report: &CostReport) -> String {
    format!(
        "cost ceiling: {} per hour with every instance busy, {} for a {}-day month ({} after the included usage); billing is per {}",
        money(report.total.max_instances_hour_usd),
        money(report.total.worst_case_month_usd),
        fmt_num(MONTH_DAYS),
        money(report.total.worst_case_month_after_included_usd),
        platform::BILLING_GRANULARITY,
    )
}

/// The report as a table with its assumptions, for `--format human`.
pub fn render_human(report: &CostReport) -> String {
    let mut rows: Vec<[String; 6]> = vec![[
        "container".into(),
        "instance".into(),
        "max instances".into(),
        "1 instance-hour".into(),
        "all, 1 hour".into(),
        format!("all, {} days", fmt_num(MONTH_DAYS)),
    ]];
    for c in &report.containers {
        rows.push([
            c.export_name.clone(),
            format!(
                "{}: {} vCPU, {} GiB, {} GB",
                c.instance_type,
                fmt_num(c.vcpu),
                fmt_num(c.memory_gib),
                fmt_num(c.disk_gb)
            ),
            if c.max_instances_defaulted {
                format!("{} (default)", c.max_instances)
            } else {
                c.max_instances.to_string()
            },
            money(c.instance_hour_usd),
            money(c.max_instances_hour_usd),
            money(c.worst_case_month_usd),
        ]);
    }
    rows.push([
        "total".into(),
        String::new(),
        report
            .containers
            .iter()
            .map(|c| c.max_instances)
            .sum::<u32>()
            .to_string(),
        String::new(),
        money(report.total.max_instances_hour_usd),
        money(report.total.worst_case_month_usd),
    ]);
    let widths: Vec<usize> = (0..6)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let a = &report.assumptions;
    let mut out = format!(
        "Cost ceiling (Cloudflare Containers prices from {}, read {}):\n",
        platform::SOURCE_SHORT,
        a.read_on
    );
    for r in &rows {
        let mut line = String::from(" ");
        for (i, cell) in r.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            // Text columns left-aligned, figures right-aligned.
            if i < 2 {
                line.push_str(&format!(" {cell}{}", " ".repeat(pad)));
            } else {
                line.push_str(&format!("  {}{cell}", " ".repeat(pad)));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "  Worst case: every instance of every container busy for a whole {}-day month ({} h), each billed for its full vCPU, memory and disk.\n",
        fmt_num(a.month_days),
        fmt_num(a.month_hours)
    ));
    out.push_str(&format!(
        "  Billing is per {}: sleeping instances cost nothing, so real bills are lower.\n",
        platform::BILLING_GRANULARITY
    ));
    out.push_str(&format!(
        "  Prices: ${} per GiB-second of memory, ${} per vCPU-second, ${} per GB-second of disk.\n",
        plain(a.usd_per_gib_second),
        plain(a.usd_per_vcpu_second),
        plain(a.usd_per_gb_second)
    ));
    out.push_str(&format!(
        "  Included each month with Workers Paid (${}/month): {} GiB-hours of memory, {} vCPU-minutes, {} GB-hours of disk, worth {} here; worst case after it: {}.\n",
        fmt_num(a.workers_paid_usd_per_month),
        fmt_num(a.included_memory_gib_hours),
        fmt_num(a.included_vcpu_minutes),
        fmt_num(a.included_disk_gb_hours),
        money(report.total.included_usage_usd),
        money(report.total.worst_case_month_after_included_usd)
    ));
    out.push_str(&format!("  Not counted: {}.\n", a.not_included.join(", ")));
    if report
        .containers
        .iter()
        .any(|c| c.max_instances_defaulted || c.instance_type.ends_with("(default)"))
    {
        out.push_str(&format!(
            "  (default): not set in the definition, so wrangler's default is counted (instance type {}, maxInstances {}).\n",
            platform::WRANGLER_DEFAULT_INSTANCE_TYPE,
            platform::WRANGLER_DEFAULT_MAX_INSTANCES
        ));
    }
    out
}

/// A price as written in the source: `0.0000025`, not `2.5e-6`.
fn plain(x: f64) -> String {
    let s = format!("{x:.10}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The `--format json` record: the diagnostic contract fields (`severity` `info`, `code`
/// `lunora/cost`, `message`, `file`) plus `containers`, `total` and `assumptions`.
pub fn json_record(report: &CostReport, file: &str) -> serde_json::Value {
    let mut obj = serde_json::Map::new();
    obj.insert("severity".into(), "info".into());
    obj.insert("code".into(), COST.into());
    obj.insert("message".into(), summary(report).into());
    obj.insert("file".into(), file.into());
    let value = serde_json::to_value(report).expect("the report serialises");
    if let serde_json::Value::Object(fields) = value {
        obj.extend(fields);
    }
    serde_json::Value::Object(obj)
}
