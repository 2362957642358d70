//! `containers/unknown-instance-type` and `containers/deprecated-instance-type`: a named
//! `instanceType` that does not exist, or one wrangler no longer accepts (`dev`, `standard`).
//!
//! Why: wrangler rejects both at deploy; the help names the closest type, or the type a
//! deprecated name was renamed to with its size. Custom sizes are checked by
//! [`super::custom_instance`].
//!
//! Invalid:
//! ```ts invalid containers/unknown-instance-type
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", instanceType: "standard-5", enableInternet: false });
//! ```
//!
//! ```ts invalid containers/deprecated-instance-type
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", instanceType: "dev", enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", instanceType: "standard-1", enableInternet: false });
//! ```

use super::super::{is_integer, quoted, Checker};
use super::custom_instance;
use super::unknown_key::suggest;
use crate::codes::{DEPRECATED_INSTANCE_TYPE, UNKNOWN_INSTANCE_TYPE};
use crate::eval::{number_to_string, Kind, Value};
use crate::model::InstanceType;
use crate::rules::{instance_size, renamed_instance_type, NAMED_INSTANCE_TYPES};

fn message_deprecated(name: &str, renamed: &str) -> String {
    format!(
        "instance type {} is deprecated by wrangler (renamed to {})",
        quoted(name),
        quoted(renamed)
    )
}

fn help_deprecated(renamed: &str) -> String {
    format!(
        "write `instanceType: {}` (the same size: {})",
        quoted(renamed),
        instance_size(renamed)
            .map(|(v, m, d)| describe_size(v, m, d))
            .unwrap_or_default()
    )
}

fn message_unknown(name: &str) -> String {
    format!("unknown instance type {}", quoted(name))
}

fn help_unknown(suggestion: Option<&str>) -> String {
    match suggestion {
        Some(m) => format!("did you mean `{m}`?"),
        None => format!(
            "use one of {}, or a custom `{{ vcpu, memoryMib, diskMb }}`",
            NAMED_INSTANCE_TYPES.join(", ")
        ),
    }
}

const EXPECTED: &str = "a named type or `{ vcpu, memoryMib, diskMb }`";

/// The instance type at `value`, or `None` after reporting.
pub(crate) fn check(c: &mut Checker<'_>, value: &Value) -> Option<InstanceType> {
    match c.present("instanceType", "instanceType", value, true)? {
        Kind::Str(s) => {
            if NAMED_INSTANCE_TYPES.contains(&s.as_str()) {
                return Some(InstanceType::Named(s.clone()));
            }
            let (code, message, help) = match renamed_instance_type(s) {
                Some(renamed) => (
                    DEPRECATED_INSTANCE_TYPE,
                    message_deprecated(s, renamed),
                    help_deprecated(renamed),
                ),
                None => (
                    UNKNOWN_INSTANCE_TYPE,
                    message_unknown(s),
                    help_unknown(suggest(s, NAMED_INSTANCE_TYPES)),
                ),
            };
            c.error(code, message, value, help);
            None
        }
        Kind::Object(props) => custom_instance::check(c, value, props),
        _ => {
            c.wrong_type("instanceType", "instanceType", EXPECTED, value);
            None
        }
    }
}

/// `1/16 vCPU, 256 MiB memory, 2 GB disk`, the way the spec's instance table writes sizes (the
/// runtime's `describeSize`).
pub(crate) fn describe_size(vcpu: f64, memory_mib: f64, disk_mb: f64) -> String {
    let inverse = 1.0 / vcpu;
    let vcpu = if vcpu < 1.0 && is_integer(inverse) {
        format!("1/{}", number_to_string(inverse))
    } else {
        number_to_string(vcpu)
    };
    let memory = if memory_mib % 1024.0 == 0.0 {
        format!("{} GiB", number_to_string(memory_mib / 1024.0))
    } else {
        format!("{} MiB", number_to_string(memory_mib))
    };
    let disk = if disk_mb % 1000.0 == 0.0 {
        format!("{} GB", number_to_string(disk_mb / 1000.0))
    } else {
        format!("{} MB", number_to_string(disk_mb))
    };
    format!("{vcpu} vCPU, {memory} memory, {disk} disk")
}

#[cfg(test)]
mod tests {
    use super::*;

    documented_examples!("instance_type.rs");

    #[test]
    fn sizes_read_like_the_instance_table() {
        assert_eq!(
            describe_size(0.0625, 256.0, 2000.0),
            "1/16 vCPU, 256 MiB memory, 2 GB disk"
        );
        assert_eq!(
            describe_size(4.0, 12288.0, 20000.0),
            "4 vCPU, 12 GiB memory, 20 GB disk"
        );
    }
}
