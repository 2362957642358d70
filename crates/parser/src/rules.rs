//! The rule table's data, generated at build time from `packages/container/rules.json` (the table
//! `@lunora/container`'s `defineContainer` reads). There is no second copy of these lists and
//! limits: `build.rs` turns the JSON into the constants below. The behaviour built on them is
//! checked against the runtime by `tests/rule_parity.rs` (one shared case list).

include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// The size of a named instance type as `(vcpu, memory MiB, disk MB)`.
pub fn instance_size(name: &str) -> Option<(f64, f64, f64)> {
    INSTANCE_SIZES
        .iter()
        .find(|(n, ..)| *n == name)
        .map(|&(_, v, m, d)| (v, m, d))
}

/// The type a deprecated instance type name was renamed to.
pub fn renamed_instance_type(name: &str) -> Option<&'static str> {
    DEPRECATED_INSTANCE_TYPES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, to)| to)
}
