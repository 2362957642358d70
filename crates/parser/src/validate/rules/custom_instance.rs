//! `containers/custom-instance-limits`: a custom `instanceType` (`{ vcpu, memoryMib, diskMb }`)
//! outside Cloudflare's limits.
//!
//! Catches a field out of range (vCPU above 0 and at most 4, memory and disk positive integers
//! up to 12288 MiB and 20000 MB), less than 3072 MiB of memory per vCPU, and more than 2 GB of
//! disk per GiB of memory. A field left out takes wrangler's default, the limits apply to the
//! resulting size, and the messages say which values were defaulted. Why: wrangler accepts the
//! config and Cloudflare rejects the size at deploy.
//!
//! Invalid:
//! ```ts invalid containers/custom-instance-limits
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", instanceType: { vcpu: 2, memoryMib: 4096 }, enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", instanceType: { vcpu: 1, memoryMib: 4096, diskMb: 8000 }, enableInternet: false });
//! ```

use super::super::{is_integer, Checker, RangeError};
use crate::codes::CUSTOM_INSTANCE_LIMITS;
use crate::eval::{number_to_string, Prop, Value};
use crate::model::InstanceType;
use crate::rules::*;

const LIMITS_HELP: &str =
    "stay within vcpu ≤ 4, memoryMib ≤ 12288, diskMb ≤ 20000, ≥ 3072 MiB per vCPU, ≤ 2 GB disk per GiB of memory";

fn message_vcpu(n: f64) -> String {
    format!(
        "`instanceType.vcpu` must be more than 0 and at most {}, not {}",
        number_to_string(MAX_VCPU),
        number_to_string(n)
    )
}

fn message_field(path: &str, max: f64, n: f64) -> String {
    format!(
        "`{path}` must be a positive integer of at most {}, not {}",
        number_to_string(max),
        number_to_string(n)
    )
}

/// Says that a value was wrangler's default, not written.
fn note(given: bool, key: &str) -> String {
    if given {
        String::new()
    } else {
        format!(" (wrangler's default when `{key}` is left out)")
    }
}

fn message_memory(memory: f64, memory_given: bool, vcpu: f64, vcpu_given: bool) -> String {
    format!(
        "{} MiB of memory{} is too little for {} vCPU{} (at least {} MiB per vCPU)",
        number_to_string(memory),
        note(memory_given, "memoryMib"),
        number_to_string(vcpu),
        note(vcpu_given, "vcpu"),
        number_to_string(MIN_MEMORY_MIB_PER_VCPU)
    )
}

fn help_memory(min_memory: f64) -> String {
    format!(
        "write `memoryMib: {}` or more, or lower `vcpu`",
        number_to_string(min_memory)
    )
}

fn message_disk(disk: f64, disk_given: bool, memory: f64, memory_given: bool) -> String {
    format!(
        "{} MB of disk{} is too much for {} MiB of memory{} (at most 2 GB of disk per GiB of memory)",
        number_to_string(disk),
        note(disk_given, "diskMb"),
        number_to_string(memory),
        note(memory_given, "memoryMib")
    )
}

fn help_disk(max_disk: f64, disk: f64) -> String {
    format!(
        "write `diskMb: {}` or less, or raise `memoryMib` to {} or more; the named types (e.g. \"lite\") are not bound by this ratio",
        number_to_string(max_disk),
        number_to_string((disk * 1024.0 / MAX_DISK_MB_PER_MEMORY_GIB).ceil())
    )
}

/// A custom `{ vcpu, memoryMib, diskMb }`. A field left out takes wrangler's default
/// (`DEFAULT_VCPU`, `DEFAULT_MEMORY_MIB`, `DEFAULT_DISK_MB`, from the rule table), the limits
/// apply to the resulting size, and messages say which values were defaulted. The model holds
/// the resulting size.
pub(crate) fn check(c: &mut Checker<'_>, value: &Value, props: &[Prop]) -> Option<InstanceType> {
    let mut ok = true;
    let (mut vcpu, mut memory, mut disk) = (None, None, None);
    for prop in props {
        let path = format!("instanceType.{}", prop.key);
        match prop.key.as_str() {
            "vcpu" => {
                let read = c.number(&path, "instanceType", &prop.value, true);
                let error = RangeError {
                    code: CUSTOM_INSTANCE_LIMITS,
                    message: &message_vcpu,
                    help: LIMITS_HELP,
                };
                let valid = |n: f64| n > 0.0 && n <= MAX_VCPU;
                if let Some(n) = c.in_range(read, &prop.value, valid, error, &mut ok) {
                    vcpu = Some((n, &prop.value));
                }
            }
            "memoryMib" | "diskMb" => {
                let max = if prop.key == "memoryMib" {
                    MAX_MEMORY_MIB
                } else {
                    MAX_DISK_MB
                };
                let read = c.number(&path, "instanceType", &prop.value, true);
                let error = RangeError {
                    code: CUSTOM_INSTANCE_LIMITS,
                    message: &|n| message_field(&path, max, n),
                    help: LIMITS_HELP,
                };
                let valid = |n: f64| is_integer(n) && n > 0.0 && n <= max;
                if let Some(n) = c.in_range(read, &prop.value, valid, error, &mut ok) {
                    if prop.key == "memoryMib" {
                        memory = Some((n, &prop.value));
                    } else {
                        disk = Some((n, &prop.value));
                    }
                }
            }
            _ => {
                c.unknown_key(prop, "a custom `instanceType`", CUSTOM_INSTANCE_TYPE_KEYS);
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    let v = vcpu.map_or(DEFAULT_VCPU, |(n, _)| n);
    let m = memory.map_or(DEFAULT_MEMORY_MIB, |(n, _)| n);
    let d = disk.map_or(DEFAULT_DISK_MB, |(n, _)| n);
    let min_memory = (MIN_MEMORY_MIB_PER_VCPU * v).ceil();
    if m < min_memory {
        c.error(
            CUSTOM_INSTANCE_LIMITS,
            message_memory(m, memory.is_some(), v, vcpu.is_some()),
            memory.map_or(value, |(_, at)| at),
            help_memory(min_memory),
        );
        ok = false;
    }
    // Checked only when the memory fits the vCPUs: raising the memory changes the disk bound.
    let max_disk = (MAX_DISK_MB_PER_MEMORY_GIB * m / 1024.0).floor();
    if ok && d > max_disk {
        c.error(
            CUSTOM_INSTANCE_LIMITS,
            message_disk(d, disk.is_some(), m, memory.is_some()),
            disk.map_or(value, |(_, at)| at),
            help_disk(max_disk, d),
        );
        ok = false;
    }
    ok.then_some(InstanceType::Custom {
        vcpu: v,
        memory_mib: m as u32,
        disk_mb: d as u32,
    })
}

#[cfg(test)]
mod tests {
    documented_examples!("custom_instance.rs");
}
