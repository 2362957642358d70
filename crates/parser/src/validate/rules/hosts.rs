//! `containers/invalid-host`: an `allowedHosts` or `deniedHosts` entry that is not a host name
//! or glob.
//!
//! Catches an empty entry, and one with a scheme (`https://`), a path or whitespace (leading and
//! trailing included). Why: the runtime matches these against host names only, so
//! `"https://api.github.com"` never matches and the egress rule silently does nothing.
//!
//! Invalid:
//! ```ts invalid containers/invalid-host
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", allowedHosts: ["https://api.github.com"], enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", allowedHosts: ["api.github.com", "*.stripe.com"], enableInternet: false });
//! ```

use super::super::{quoted, Checker};
use crate::codes::INVALID_HOST;
use crate::eval::Value;

fn message(field: &str, i: usize, host: &str) -> String {
    format!(
        "`{field}[{i}]` is not a host name or glob: {}",
        quoted(host)
    )
}

const HELP: &str = "write a host such as \"api.github.com\" or a glob such as \"*.stripe.com\" (no scheme, path or whitespace)";

fn is_host_or_glob(host: &str) -> bool {
    !(host.trim().is_empty()
        || host.contains("://")
        || host.contains('/')
        || host.contains(char::is_whitespace))
}

/// The hosts of `field` at `value`, or `None` after reporting (or when one is dynamic).
pub(crate) fn check(c: &mut Checker<'_>, field: &str, value: &Value) -> Option<Vec<String>> {
    let list = c.string_list(field, value, false)?;
    let mut ok = true;
    for (i, (host, item)) in list.iter().enumerate() {
        if !is_host_or_glob(host) {
            c.error(INVALID_HOST, message(field, i, host), item, HELP);
            ok = false;
        }
    }
    ok.then(|| list.into_iter().map(|(s, _)| s).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    documented_examples!("hosts.rs");

    #[test]
    fn hosts_and_globs() {
        for ok in ["api.github.com", "*.stripe.com", "localhost:8080"] {
            assert!(is_host_or_glob(ok), "{ok}");
        }
        for bad in ["", " ", "https://x.com", "x.com/path", " x.com", "x .com"] {
            assert!(!is_host_or_glob(bad), "{bad}");
        }
    }
}
