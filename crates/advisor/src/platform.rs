//! Cloudflare Containers platform figures: instance sizes, account limits and prices, in one
//! table. Every figure was read from one document on one date ([`SOURCE`], [`READ_ON`]); when
//! Cloudflare changes them, change them here and update the date.

use lunora_parser::InstanceType;

/// Where the figures in this module were read from.
pub const SOURCE: &str = "spec/002_fcd89639daf4fd92.txt (Cloudflare Containers guide: \"Instance Types\", \"Pricing (Workers Paid - $5/month)\", \"Limits (Open Beta)\")";
/// [`SOURCE`]'s file, for messages.
pub const SOURCE_SHORT: &str = "spec/002_fcd89639daf4fd92.txt";
/// When they were read.
pub const READ_ON: &str = "2026-12-01";

/// The resources one instance is provisioned with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub vcpu: f64,
    /// GiB (2^30 bytes).
    pub memory_gib: f64,
    /// GB (10^9 bytes), as the source writes disk sizes and the disk limit.
    pub disk_gb: f64,
}

/// A named instance type and its size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NamedSize {
    pub name: &'static str,
    pub size: Size,
}

/// "Instance Types" table of [`SOURCE`].
pub const INSTANCE_TYPES: &[NamedSize] = &[
    named("lite", 1.0 / 16.0, 0.25, 2.0),
    named("basic", 0.25, 1.0, 4.0),
    named("standard-1", 0.5, 4.0, 8.0),
    named("standard-2", 1.0, 6.0, 12.0),
    named("standard-3", 2.0, 8.0, 16.0),
    named("standard-4", 4.0, 12.0, 20.0),
];

const fn named(name: &'static str, vcpu: f64, memory_gib: f64, disk_gb: f64) -> NamedSize {
    NamedSize {
        name,
        size: Size {
            vcpu,
            memory_gib,
            disk_gb,
        },
    }
}

/// "Limits (Open Beta)" of [`SOURCE`]: what all of an account's running instances may use at
/// once. Concurrent disk is 2 TB, counted in GB like the instance table.
pub const ACCOUNT_LIMITS: Size = Size {
    vcpu: 100.0,
    memory_gib: 400.0,
    disk_gb: 2000.0,
};

/// "Pricing" of [`SOURCE`]: overage prices in US dollars.
pub const USD_PER_GIB_SECOND: f64 = 0.0000025;
pub const USD_PER_VCPU_SECOND: f64 = 0.000020;
pub const USD_PER_GB_SECOND: f64 = 0.00000007;

/// "Pricing" of [`SOURCE`]: usage included in the Workers Paid plan each month.
pub const INCLUDED_MEMORY_GIB_HOURS: f64 = 25.0;
pub const INCLUDED_VCPU_MINUTES: f64 = 375.0;
pub const INCLUDED_DISK_GB_HOURS: f64 = 200.0;
/// The Workers Paid plan the included usage comes with, US dollars per month.
pub const WORKERS_PAID_USD_PER_MONTH: f64 = 5.0;
/// "Key Behaviors" of [`SOURCE`]: "Billing: Per 10ms of active runtime".
pub const BILLING_GRANULARITY: &str = "10 ms of active time";

/// What wrangler deploys when a container leaves these out: wrangler 4.86.0 (the version this
/// repository pins), `node_modules/wrangler/wrangler-dist/cli.js`:
/// `max_instances: container.max_instances ?? 20` and `instance_type ?? "lite"`.
pub const WRANGLER_DEFAULT_MAX_INSTANCES: u32 = 20;
pub const WRANGLER_DEFAULT_INSTANCE_TYPE: &str = "lite";

/// The size of a named instance type, if it is one.
pub fn named_size(name: &str) -> Option<Size> {
    INSTANCE_TYPES
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.size)
}

/// The size a container runs with: its named type, its own custom numbers (MiB → GiB, MB → GB),
/// or wrangler's default type when it has none. `None` only for a name this table does not know
/// (the parser rejects those).
pub fn size_of(instance_type: Option<&InstanceType>) -> Option<Size> {
    match instance_type {
        None => named_size(WRANGLER_DEFAULT_INSTANCE_TYPE),
        Some(InstanceType::Named(n)) => named_size(n),
        Some(InstanceType::Custom {
            vcpu,
            memory_mib,
            disk_mb,
        }) => Some(Size {
            vcpu: *vcpu,
            memory_gib: f64::from(*memory_mib) / 1024.0,
            disk_gb: f64::from(*disk_mb) / 1000.0,
        }),
    }
}

/// How the instance type is shown: `standard-4`, `custom`, or `lite (default)`.
pub fn type_label(instance_type: Option<&InstanceType>) -> String {
    match instance_type {
        None => format!("{WRANGLER_DEFAULT_INSTANCE_TYPE} (default)"),
        Some(InstanceType::Named(n)) => n.clone(),
        Some(InstanceType::Custom { .. }) => "custom".to_string(),
    }
}

/// A number without trailing zeros: `80`, `0.5`, `0.0625`, `1.33` (at most 4 decimals).
pub fn fmt_num(n: f64) -> String {
    let s = format!("{n:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_the_source_table() {
        // Spot checks against spec/002: standard-4 is 4 vCPU, 12 GiB, 20 GB; lite 1/16, 256 MiB, 2 GB.
        assert_eq!(
            named_size("standard-4"),
            Some(Size {
                vcpu: 4.0,
                memory_gib: 12.0,
                disk_gb: 20.0
            })
        );
        assert_eq!(named_size("lite").unwrap().vcpu, 0.0625);
        assert_eq!(named_size("lite").unwrap().memory_gib, 0.25);
        assert_eq!(
            INSTANCE_TYPES.len(),
            lunora_parser::rules::NAMED_INSTANCE_TYPES.len()
        );
        for name in lunora_parser::rules::NAMED_INSTANCE_TYPES {
            assert!(named_size(name).is_some(), "{name} has no size");
        }
    }

    #[test]
    fn custom_sizes_convert_units() {
        let s = size_of(Some(&InstanceType::Custom {
            vcpu: 1.5,
            memory_mib: 6144,
            disk_mb: 8000,
        }))
        .unwrap();
        assert_eq!(
            s,
            Size {
                vcpu: 1.5,
                memory_gib: 6.0,
                disk_gb: 8.0
            }
        );
        assert_eq!(size_of(None), named_size("lite"));
    }

    #[test]
    fn numbers_print_without_noise() {
        assert_eq!(fmt_num(80.0), "80");
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(0.0625), "0.0625");
        assert_eq!(fmt_num(62.5), "62.5");
        assert_eq!(fmt_num(0.0), "0");
    }
}
