//! `container_account_limits` (warning at 80 % of a limit, error above 100 %): all containers at
//! `maxInstances` against what an account may run at once (vCPU, memory, disk;
//! [`crate::platform::ACCOUNT_LIMITS`]).
//!
//! Why: each container scales up to its `maxInstances`; when together they need more than the
//! account may run at once, the instances past the limit fail to start under load, exactly when
//! they are needed. Located at the containers that need the most of the tightest resource.
//!
//! Invalid (30 × 4 vCPU is more than the account's 100 vCPU):
//! ```ts invalid
//! import { defineContainer } from "@lunora/container";
//! export const encoder = defineContainer({ image: "./c", instanceType: "standard-4", maxInstances: 30, enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const encoder = defineContainer({ image: "./c", instanceType: "standard-4", maxInstances: 10, enableInternet: false });
//! ```

use crate::codes::ACCOUNT_LIMITS;
use crate::platform::{self, fmt_num, Size};
use lunora_diagnostic::{Diagnostic, Severity};
use lunora_parser::ContainerSpec;

/// `figures`: each resource's total against its limit, e.g. "120 vCPU of 100 vCPU (120%)".
fn message(figures: &[String], over: bool) -> String {
    let verdict = if over {
        "more than the account may run at once"
    } else {
        "close to what the account may run at once"
    };
    format!(
        "with every container at `maxInstances`, the app needs {}: {verdict}",
        figures.join(", ")
    )
}

/// `most`: the containers that need the most; `defaulted`: those counted at wrangler's default
/// `maxInstances`.
fn help(most: &[String], defaulted: &[String]) -> String {
    let mut help = format!(
        "lower `maxInstances` or the instance type of the largest: {}; the account limits are {} vCPU, {} GiB memory and 2 TB disk at once (Containers open beta, {})",
        most.join(", "),
        fmt_num(platform::ACCOUNT_LIMITS.vcpu),
        fmt_num(platform::ACCOUNT_LIMITS.memory_gib),
        platform::SOURCE_SHORT,
    );
    if !defaulted.is_empty() {
        help.push_str(&format!(
            "; {} set{} no `maxInstances`, counted at wrangler's default of {}",
            defaulted.join(", "),
            if defaulted.len() == 1 { "s" } else { "" },
            platform::WRANGLER_DEFAULT_MAX_INSTANCES
        ));
    }
    help
}

/// A share of at least this much of a limit is a warning.
pub const WARN_PERCENT: f64 = 80.0;

/// What one container needs with every instance running.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand<'a> {
    pub container: &'a ContainerSpec,
    pub instances: u32,
    /// `maxInstances` was left out and wrangler's default is counted.
    pub defaulted: bool,
    pub size: Size,
    pub total: Size,
}

/// Per container: instances × size. Containers whose size is unknown are left out (the parser
/// rejects unknown instance types, so that does not happen for validated specs).
pub fn demands(containers: &[ContainerSpec]) -> Vec<Demand<'_>> {
    containers
        .iter()
        .filter_map(|c| {
            let size = platform::size_of(c.instance_type.as_ref())?;
            let instances = c
                .max_instances
                .unwrap_or(platform::WRANGLER_DEFAULT_MAX_INSTANCES);
            let n = f64::from(instances);
            Some(Demand {
                container: c,
                instances,
                defaulted: c.max_instances.is_none(),
                size,
                total: Size {
                    vcpu: size.vcpu * n,
                    memory_gib: size.memory_gib * n,
                    disk_gb: size.disk_gb * n,
                },
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resource {
    Vcpu,
    Memory,
    Disk,
}

impl Resource {
    const ALL: [Resource; 3] = [Resource::Vcpu, Resource::Memory, Resource::Disk];

    fn of(self, s: &Size) -> f64 {
        match self {
            Resource::Vcpu => s.vcpu,
            Resource::Memory => s.memory_gib,
            Resource::Disk => s.disk_gb,
        }
    }

    /// `80 vCPU`, `240 GiB memory`, `400 GB disk`.
    fn amount(self, n: f64) -> String {
        match self {
            Resource::Vcpu => format!("{} vCPU", fmt_num(n)),
            Resource::Memory => format!("{} GiB memory", fmt_num(n)),
            Resource::Disk => format!("{} GB disk", fmt_num(n)),
        }
    }

    fn limit_text(self) -> &'static str {
        match self {
            Resource::Vcpu => "100 vCPU",
            Resource::Memory => "400 GiB",
            Resource::Disk => "2 TB",
        }
    }
}

fn percent(p: f64) -> String {
    format!("{}%", fmt_num((p * 10.0).round() / 10.0))
}

/// The account-limit finding for `containers` (declared in `file`), if any resource reaches
/// [`WARN_PERCENT`] of its limit: a warning, or an error when one is above 100 %. The message
/// gives every resource's total against its limit; labels and help name the containers that
/// need the most of the tightest resource.
pub fn account_limits(containers: &[ContainerSpec], file: &str) -> Option<Diagnostic> {
    let demands = demands(containers);
    let total = |r: Resource| demands.iter().map(|d| r.of(&d.total)).sum::<f64>();
    let shares: Vec<(Resource, f64, f64)> = Resource::ALL
        .iter()
        .map(|&r| {
            let t = total(r);
            (r, t, t / r.of(&platform::ACCOUNT_LIMITS) * 100.0)
        })
        .collect();
    let &(tightest, _, top_share) = shares
        .iter()
        .max_by(|a, b| a.2.total_cmp(&b.2))
        .expect("three resources");
    if top_share < WARN_PERCENT {
        return None;
    }
    let severity = if top_share > 100.0 {
        Severity::Error
    } else {
        Severity::Warning
    };
    let figures: Vec<String> = shares
        .iter()
        .map(|&(r, t, p)| format!("{} of {} ({})", r.amount(t), r.limit_text(), percent(p)))
        .collect();
    let message = message(&figures, severity == Severity::Error);

    let mut ranked: Vec<&Demand<'_>> = demands
        .iter()
        .filter(|d| tightest.of(&d.total) > 0.0)
        .collect();
    ranked.sort_by(|a, b| {
        tightest
            .of(&b.total)
            .total_cmp(&tightest.of(&a.total))
            .then_with(|| a.container.export_name.cmp(&b.container.export_name))
    });
    let describe = |d: &Demand<'_>| {
        format!(
            "{} ({} × {}{})",
            tightest.amount(tightest.of(&d.total)),
            d.instances,
            platform::type_label(d.container.instance_type.as_ref()),
            if d.defaulted {
                ", no `maxInstances`: wrangler's default"
            } else {
                ""
            }
        )
    };
    let mut d = Diagnostic::new(severity, ACCOUNT_LIMITS, message);
    for (i, demand) in ranked.iter().take(3).enumerate() {
        let label = describe(demand);
        d = if i == 0 {
            d.with_primary(file, demand.container.span, label)
        } else {
            d.with_secondary(file, demand.container.span, label)
        };
    }
    let most: Vec<String> = ranked
        .iter()
        .take(3)
        .map(|d| format!("`{}` {}", d.container.export_name, describe(d)))
        .collect();
    let defaulted: Vec<String> = demands
        .iter()
        .filter(|d| d.defaulted)
        .map(|d| format!("`{}`", d.container.export_name))
        .collect();
    Some(d.with_help(help(&most, &defaulted)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        crate::lints::examples::check_account_lint(
            include_str!("account_limits.rs"),
            ACCOUNT_LIMITS,
        );
    }
}
