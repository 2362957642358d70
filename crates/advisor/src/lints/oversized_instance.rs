//! `container_oversized_instance` (info): a container on a large instance type.
//!
//! Catches `instanceType: "standard-3"` or `"standard-4"`, and a custom instance with more than
//! 2 vCPU or more than 4096 MiB of memory. Why: an instance's memory and disk are billed for as
//! long as it runs, so a size picked "to be safe" multiplies the bill of every running instance;
//! the smallest type that fits is usually right.
//!
//! Invalid:
//! ```ts invalid
//! import { defineContainer } from "@lunora/container";
//! export const encoder = defineContainer({ image: "./c", instanceType: "standard-4", enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const encoder = defineContainer({ image: "./c", instanceType: "standard-1", enableInternet: false });
//! ```

use crate::codes::OVERSIZED_INSTANCE;
use lunora_diagnostic::{Diagnostic, Severity};
use lunora_parser::{ContainerSpec, InstanceType};

fn message(export_name: &str) -> String {
    format!("`{export_name}` uses a large instance; its memory and disk are billed while any instance runs")
}

const HELP: &str = "use the smallest instance type that fits the workload, e.g. \"standard-1\"";

/// Whether `instance_type` is large enough to be worth a word.
fn is_oversized(instance_type: &InstanceType) -> bool {
    match instance_type {
        InstanceType::Named(n) => n == "standard-3" || n == "standard-4",
        InstanceType::Custom {
            vcpu, memory_mib, ..
        } => *vcpu > 2.0 || *memory_mib > 4096,
    }
}

/// The finding for `c`, located at its `instanceType` value (and at the literal, when the value
/// came through a `const`).
pub(crate) fn check(c: &ContainerSpec, file: &str) -> Option<Diagnostic> {
    let (instance_type, at) = (c.instance_type.as_ref()?, c.instance_type_at?);
    if !is_oversized(instance_type) {
        return None;
    }
    let mut d = Diagnostic::new(Severity::Info, OVERSIZED_INSTANCE, message(&c.export_name))
        .with_primary(file, at.span, "");
    if let Some(origin) = at.origin {
        d = d.with_secondary(file, origin, "value defined here");
    }
    Some(d.with_help(HELP))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        crate::lints::examples::check_model_lint(
            include_str!("oversized_instance.rs"),
            OVERSIZED_INSTANCE,
        );
    }

    #[test]
    fn sizes_at_the_limit_are_not_oversized() {
        let custom = |vcpu, memory_mib| InstanceType::Custom {
            vcpu,
            memory_mib,
            disk_mb: 8000,
        };
        assert!(!is_oversized(&custom(2.0, 4096)));
        assert!(is_oversized(&custom(2.5, 4096)));
        assert!(is_oversized(&custom(1.0, 4097)));
        assert!(!is_oversized(&InstanceType::Named("standard-2".into())));
        assert!(is_oversized(&InstanceType::Named("standard-3".into())));
    }

    #[test]
    fn a_size_read_through_a_const_points_at_the_literal_too() {
        let src = "import { defineContainer } from \"@lunora/container\";\nconst BIG = \"standard-4\";\nexport const a = defineContainer({ image: \"./c\", instanceType: BIG, enableInternet: false });\n";
        let out = lunora_parser::parse_containers(src, "c.ts");
        let d = check(&out.containers[0], "c.ts").expect("a finding");
        let secondary = d
            .labels
            .iter()
            .find(|l| !l.primary)
            .expect("a secondary label");
        assert_eq!(
            &src[secondary.span.start as usize..secondary.span.end as usize],
            "\"standard-4\""
        );
        assert_eq!(
            &src[d.labels[0].span.start as usize..d.labels[0].span.end as usize],
            "BIG"
        );
    }
}
