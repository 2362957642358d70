//! npm's version ranges (`engines`, `peerDependencies`), with npm's own semantics: `||`,
//! comparator sets, `^`, `~`, `x`/`*` wildcards, hyphen ranges, and pre-release exclusion (a
//! pre-release satisfies a range only when a comparator of the same `major.minor.patch` names a
//! pre-release too, so `4.1.0-beta.1` is not in `>=4.0.0`).
//!
//! The matching is `nodejs-semver`'s, a port of npm's `node-semver` with its range tests; this
//! module only fixes the question lunora asks.

use nodejs_semver::{Range, Version};

/// Whether `version` is in `range`, as npm decides it; `None` when either cannot be read.
/// A leading `v` on the version (`v20.3.0`, as `node --version` prints it) is accepted.
pub fn satisfies(version: &str, range: &str) -> Option<bool> {
    let version = version.trim();
    let version = version.strip_prefix('v').unwrap_or(version);
    let version: Version = version.parse().ok()?;
    let range: Range = range.trim().parse().ok()?;
    Some(range.satisfies(&version))
}

/// Whether some version is in both `a` and `b` (`^0.0.8` and `>=0.3.7 <0.4` share none), as npm
/// decides it; `None` when either cannot be read (a tag, a URL, `workspace:*`).
pub fn ranges_overlap(a: &str, b: &str) -> Option<bool> {
    let a: Range = a.trim().parse().ok()?;
    let b: Range = b.trim().parse().ok()?;
    Some(a.allows_any(&b))
}

#[cfg(test)]
mod tests {
    use super::{ranges_overlap, satisfies};

    #[test]
    fn overlapping_ranges() {
        assert_eq!(ranges_overlap("^0.0.8", ">=0.3.7 <0.4"), Some(false));
        assert_eq!(ranges_overlap("0.0.8", ">=0.3.7 <0.4"), Some(false));
        assert_eq!(ranges_overlap("^0.3.9", ">=0.3.7 <0.4"), Some(true));
        assert_eq!(ranges_overlap("*", ">=0.3.7 <0.4"), Some(true));
        assert_eq!(ranges_overlap(">=0.3.0", ">=0.3.7 <0.4"), Some(true));
        assert_eq!(ranges_overlap("workspace:*", ">=0.3.7 <0.4"), None);
    }

    #[test]
    fn ranges_npm_writes() {
        for (v, r, want) in [
            ("0.3.7", ">=0.3.7 <0.4", true),
            ("0.3.12", ">=0.3.7 <0.4", true),
            ("0.4.0", ">=0.3.7 <0.4", false),
            ("0.3.6", ">=0.3.7 <0.4", false),
            ("20.3.0", ">=20.3.0", true),
            ("20.2.9", ">=20.3.0", false),
            ("22.1.0", ">=20.3.0", true),
            ("18.20.0", "^18.18.0 || ^20.9.0 || >=21.1.0", true),
            ("19.0.0", "^18.18.0 || ^20.9.0 || >=21.1.0", false),
            ("0.3.9", "^0.3.7", true),
            ("0.4.0", "^0.3.7", false),
            ("1.9.0", "^1.2.3", true),
            ("2.0.0", "^1.2.3", false),
            ("1.2.9", "~1.2.3", true),
            ("1.3.0", "~1.2.3", false),
            ("1.4.2", "1.x", true),
            ("2.0.0", "1.x", false),
            ("5.0.0", "*", true),
            ("1.5.0", "1.2.3 - 1.6", true),
            ("1.7.0", "1.2.3 - 1.6", false),
            ("1.3.0", ">1.2", true),
            ("1.2.5", ">1.2", false),
            ("1.2.5", ">1.2.4", true),
            ("1.2.4", ">1.2.4", false),
            ("1.2.9", "<=1.2", true),
            ("1.3.0", "<=1.2", false),
            ("20.3.0", ">= 20.3.0", true),
            ("20.20.2", ">=20.3.0", true),
            ("v20.20.2", ">=20.3.0", true),
        ] {
            assert_eq!(satisfies(v, r), Some(want), "{v} in {r}");
        }
    }

    /// The hand-written matcher doctor used said yes here; npm says no: a pre-release is only in a
    /// range whose comparators name a pre-release of the same `major.minor.patch`.
    #[test]
    fn prerelease_of_a_later_version_is_not_in_a_plain_range() {
        assert_eq!(satisfies("4.1.0-beta.1", ">=4.0.0"), Some(false));
        assert_eq!(satisfies("4.0.0-beta.1", ">=4.0.0"), Some(false));
        assert_eq!(satisfies("0.4.0-rc.1", "^0.3.7"), Some(false));
        assert_eq!(satisfies("4.1.0-beta.2", ">=4.1.0-beta.1"), Some(true));
        assert_eq!(satisfies("4.1.0-beta.1", ">=4.1.0-beta.2"), Some(false));
        assert_eq!(satisfies("4.2.0-beta.1", ">=4.1.0-beta.1"), Some(false));
        assert_eq!(satisfies("4.1.0", ">=4.1.0-beta.1"), Some(true));
    }

    #[test]
    fn unreadable_input_is_none() {
        assert_eq!(satisfies("x.y", ">=1"), None);
        assert_eq!(satisfies("1.2.3", ">=>=1"), None);
        assert_eq!(satisfies("", ">=1"), None);
    }
}
