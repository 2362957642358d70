//! `containers/invalid-duration`: a `sleepAfter` or `hardTimeout` that is not a duration.
//!
//! Catches a string other than a positive whole number followed by `s`, `m` or `h` (`"30s"`,
//! `"5m"`, `"1h"`), and a number that is not a positive whole number of seconds. Why: the
//! runtime parses these the same way and would fail at the first start; `"5 minutes"` looks
//! right and is not.
//!
//! Invalid:
//! ```ts invalid containers/invalid-duration
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", sleepAfter: "5 minutes", enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", sleepAfter: "5m", hardTimeout: 3600, enableInternet: false });
//! ```

use super::super::{example, is_integer, quoted, Checker};
use crate::codes::INVALID_DURATION;
use crate::eval::{number_to_string, Kind, Value};
use crate::model::Duration;

fn message(path: &str, shown: &str) -> String {
    format!("`{path}` is not a valid duration: {shown}")
}

fn help(path: &str) -> String {
    format!("write {}", example(path))
}

const EXPECTED: &str = "a duration string or a number of seconds";

/// `"30s"` / `"5m"` / `"1h"` → seconds, for positive amounts.
fn parse_duration(s: &str) -> Option<u64> {
    let unit = match s.as_bytes().last()? {
        b's' => 1,
        b'm' => 60,
        b'h' => 3600,
        _ => return None,
    };
    let digits = &s[..s.len() - 1];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds = digits.parse::<u64>().ok()?.checked_mul(unit)?;
    (seconds > 0).then_some(seconds)
}

impl Checker<'_> {
    /// The duration at `path` (`sleepAfter`, `hardTimeout`), or `None` after reporting.
    pub(crate) fn duration(&mut self, path: &str, value: &Value) -> Option<Duration> {
        let kind = self.present(path, path, value, false)?;
        let parsed = match kind {
            Kind::Str(s) => parse_duration(s).map(|seconds| Duration {
                seconds,
                written: s.clone(),
            }),
            Kind::Num(n) if is_integer(*n) && *n > 0.0 && *n <= u64::MAX as f64 => Some(Duration {
                seconds: *n as u64,
                written: number_to_string(*n),
            }),
            Kind::Num(_) => None,
            _ => {
                self.wrong_type(path, path, EXPECTED, value);
                return None;
            }
        };
        if parsed.is_none() {
            let shown = match kind {
                Kind::Str(s) => quoted(s),
                Kind::Num(n) => number_to_string(*n),
                _ => String::new(),
            };
            self.error(INVALID_DURATION, message(path, &shown), value, help(path));
        }
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    documented_examples!("duration.rs");

    #[test]
    fn durations_are_positive_whole_amounts_of_one_unit() {
        assert_eq!(parse_duration("30s"), Some(30));
        assert_eq!(parse_duration("5m"), Some(300));
        assert_eq!(parse_duration("1h"), Some(3600));
        for bad in ["0s", "5", "m", "1.5h", "-1m", "5 m", "1d"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
