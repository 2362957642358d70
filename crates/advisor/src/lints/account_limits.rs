//! `container_account_limits` (a warning at 80 % of a limit and above 100 %): all containers at
//! `maxInstances` against what the account may run at once (vCPU, memory, disk): the project's
//! own limits ([`AccountLimits`], from its settings) or else the open-beta defaults
//! ([`crate::platform::ACCOUNT_LIMITS`]). Cloudflare raises the limits per account, so by default
//! this is never an error; a project makes it one through its lint levels.
//!
//! Why: each container scales up to its `maxInstances`; when together they need more than the
//! account may run at once, the instances past the limit fail to start under load, exactly when
//! they are needed. Located at the containers that need the most of the tightest resource.
//!
//! Invalid (30 × 4 vCPU is more than the default 100 vCPU):
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
fn message(figures: &[String], over: bool, limits: &AccountLimits) -> String {
    let verdict = if over {
        "more than the account may run at once"
    } else {
        "close to what the account may run at once"
    };
    let whose = match &limits.configured_in {
        None => "Cloudflare's default account limits".to_string(),
        Some(file) => format!("the account limits set in {file}"),
    };
    format!(
        "with every container at `maxInstances`, the app needs {}: {verdict} ({whose})",
        figures.join(", ")
    )
}

/// `most`: the containers that need the most; `defaulted`: those counted at wrangler's default
/// `maxInstances`.
fn help(most: &[String], defaulted: &[String], limits: &AccountLimits) -> String {
    let [vcpu, memory, disk] = limits.limit_texts();
    let mut help = format!(
        "lower `maxInstances` or the instance type of the largest: {}",
        most.join(", "),
    );
    if !defaulted.is_empty() {
        help.push_str(&format!(
            "; {} set{} no `maxInstances`, counted at wrangler's default of {}",
            defaulted.join(", "),
            if defaulted.len() == 1 { "s" } else { "" },
            platform::WRANGLER_DEFAULT_MAX_INSTANCES
        ));
    }
    match &limits.configured_in {
        None => help.push_str(&format!(
            "; the default account limits are {vcpu}, {memory} memory and {disk} disk at once (Containers open beta, {}); if Cloudflare raised your account's limits, state them in {SETTINGS_FILE_HINT}: `\"account\": {{ \"limits\": {{ \"vcpu\": 1000, \"memoryGib\": 4000, \"diskGb\": 20000 }} }}`",
            platform::SOURCE_SHORT,
        )),
        Some(file) => help.push_str(&format!(
            "; the account limits in {file} are {vcpu}, {memory} memory and {disk} disk at once"
        )),
    }
    help
}

/// A share of at least this much of a limit is reported.
pub const WARN_PERCENT: f64 = 80.0;

/// The settings file the help points at when the project states no limits of its own.
const SETTINGS_FILE_HINT: &str = "lunora.jsonc";

/// What the account may run at once, and where that was said: `configured_in` names the
/// project's settings file when it states limits (a resource it leaves out keeps its default),
/// `None` for Cloudflare's open-beta defaults. Named in every finding, so a reader knows which
/// limits were judged against.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountLimits {
    pub size: Size,
    pub configured_in: Option<String>,
}

impl AccountLimits {
    /// Each limit as messages show it: `["100 vCPU", "400 GiB", "2 TB"]` (vCPU, memory, disk).
    pub fn limit_texts(&self) -> [String; 3] {
        [Resource::Vcpu, Resource::Memory, Resource::Disk].map(|r| r.limit_text(&self.size))
    }
}

impl Default for AccountLimits {
    fn default() -> Self {
        AccountLimits {
            size: platform::ACCOUNT_LIMITS,
            configured_in: None,
        }
    }
}

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

    /// The limit of `limits` for this resource: `100 vCPU`, `400 GiB`, `2 TB` (disk in whole
    /// TB when it is, else GB).
    fn limit_text(self, limits: &Size) -> String {
        let n = self.of(limits);
        match self {
            Resource::Vcpu => format!("{} vCPU", fmt_num(n)),
            Resource::Memory => format!("{} GiB", fmt_num(n)),
            Resource::Disk if n >= 1000.0 && n % 1000.0 == 0.0 => {
                format!("{} TB", fmt_num(n / 1000.0))
            }
            Resource::Disk => format!("{} GB", fmt_num(n)),
        }
    }
}

fn percent(p: f64) -> String {
    format!("{}%", fmt_num((p * 10.0).round() / 10.0))
}

/// [`account_limits_within`] Cloudflare's default limits.
pub fn account_limits(containers: &[ContainerSpec], file: &str) -> Option<Diagnostic> {
    account_limits_within(containers, file, &AccountLimits::default())
}

/// The account-limit finding for `containers` (declared in `file`) against `limits`, if any
/// resource reaches [`WARN_PERCENT`] of its limit: a warning, whether close to or above it (the
/// message says which, and whose limits). The message gives every resource's total against its
/// limit; labels and help name the containers that need the most of the tightest resource.
pub fn account_limits_within(
    containers: &[ContainerSpec],
    file: &str,
    limits: &AccountLimits,
) -> Option<Diagnostic> {
    let demands = demands(containers);
    let total = |r: Resource| demands.iter().map(|d| r.of(&d.total)).sum::<f64>();
    let shares: Vec<(Resource, f64, f64)> = Resource::ALL
        .iter()
        .map(|&r| {
            let t = total(r);
            (r, t, t / r.of(&limits.size) * 100.0)
        })
        .collect();
    let &(tightest, _, top_share) = shares
        .iter()
        .max_by(|a, b| a.2.total_cmp(&b.2))
        .expect("three resources");
    if top_share < WARN_PERCENT {
        return None;
    }
    let figures: Vec<String> = shares
        .iter()
        .map(|&(r, t, p)| {
            format!(
                "{} of {} ({})",
                r.amount(t),
                r.limit_text(&limits.size),
                percent(p)
            )
        })
        .collect();
    let message = message(&figures, top_share > 100.0, limits);

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
    let mut d = Diagnostic::new(Severity::Warning, ACCOUNT_LIMITS, message);
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
    Some(d.with_help(help(&most, &defaulted, limits)))
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
