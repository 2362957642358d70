//! `containers/invalid-rollout-step` and `containers/invalid-grace-period`: `rollout`.
//!
//! Catches a `stepPercentage` other than one of 5, 10, 20, 25, 50, 100 or an ascending list of
//! integers from 10 to 100 ending in 100, and a `gracePeriodSeconds` that is not a whole number
//! ≥ 0. Why: these are wrangler's `rollout_step_percentage` and `rollout_active_grace_period`,
//! which it rejects at deploy otherwise.
//!
//! Invalid:
//! ```ts invalid containers/invalid-rollout-step
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", rollout: { stepPercentage: 30 }, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/invalid-grace-period
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", rollout: { gracePeriodSeconds: -1 }, enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", rollout: { stepPercentage: [10, 50, 100], gracePeriodSeconds: 300 }, enableInternet: false });
//! ```

use super::super::{is_integer, Checker, RangeError};
use crate::codes::{INVALID_GRACE_PERIOD, INVALID_ROLLOUT_STEP};
use crate::eval::{number_to_string, Kind, Value};
use crate::model::{Rollout, StepPercentage};
use crate::rules::*;

const STEP_HELP: &str =
    "write one of 5, 10, 20, 25, 50, 100, or an ascending list of steps between 10 and 100 ending in 100, e.g. `[10, 50, 100]`";

fn message_step(n: f64) -> String {
    format!("`rollout.stepPercentage` cannot be {}", number_to_string(n))
}

fn message_step_in_list(path: &str, n: f64) -> String {
    format!(
        "`{path}` is {}; steps must be integers from 10 to 100, each larger than the last",
        number_to_string(n)
    )
}

const MESSAGE_LAST_STEP: &str = "`rollout.stepPercentage` must end with 100";
const EXPECTED_STEP: &str = "a number or an array of numbers";

fn message_grace_period(n: f64) -> String {
    format!(
        "`rollout.gracePeriodSeconds` must be a whole number of seconds ≥ 0, not {}",
        number_to_string(n)
    )
}

const HELP_GRACE_PERIOD: &str = "write e.g. `gracePeriodSeconds: 300`";

/// The `rollout` at `value`, or `None` after reporting.
pub(crate) fn check(c: &mut Checker<'_>, value: &Value) -> Option<Rollout> {
    let props = c.object("rollout", "rollout", value, true)?;
    let mut rollout = Rollout {
        step_percentage: None,
        grace_period_seconds: None,
    };
    let mut ok = true;
    for prop in props {
        match prop.key.as_str() {
            "stepPercentage" => {
                match c.present("rollout.stepPercentage", "rollout", &prop.value, true) {
                    None => {
                        ok &= matches!(prop.value.kind, Kind::Undefined);
                    }
                    Some(Kind::Num(n)) => {
                        if ROLLOUT_STEPS.iter().any(|s| f64::from(*s) == *n) {
                            rollout.step_percentage = Some(StepPercentage::One(*n as u8));
                        } else {
                            c.error(
                                INVALID_ROLLOUT_STEP,
                                message_step(*n),
                                &prop.value,
                                STEP_HELP,
                            );
                            ok = false;
                        }
                    }
                    Some(Kind::Array(items)) => {
                        let mut steps = Vec::new();
                        for (i, item) in items.iter().enumerate() {
                            let path = format!("rollout.stepPercentage[{i}]");
                            let Some(n) = c.number(&path, "rollout", item, true) else {
                                ok = false;
                                continue;
                            };
                            let ascending =
                                steps.last().is_none_or(|&prev: &u8| n > f64::from(prev));
                            if !is_integer(n)
                                || !(ROLLOUT_STEP_LIST_MIN..=ROLLOUT_STEP_LIST_MAX).contains(&n)
                                || !ascending
                            {
                                c.error(
                                    INVALID_ROLLOUT_STEP,
                                    message_step_in_list(&path, n),
                                    item,
                                    STEP_HELP,
                                );
                                ok = false;
                            } else {
                                steps.push(n as u8);
                            }
                        }
                        if ok && steps.last().map(|&s| f64::from(s)) != Some(ROLLOUT_STEP_LIST_LAST)
                        {
                            c.error(
                                INVALID_ROLLOUT_STEP,
                                MESSAGE_LAST_STEP,
                                &prop.value,
                                STEP_HELP,
                            );
                            ok = false;
                        }
                        if ok {
                            rollout.step_percentage = Some(StepPercentage::Steps(steps));
                        }
                    }
                    Some(_) => {
                        c.wrong_type(
                            "rollout.stepPercentage",
                            "rollout",
                            EXPECTED_STEP,
                            &prop.value,
                        );
                        ok = false;
                    }
                }
            }
            "gracePeriodSeconds" => {
                let read = c.number("rollout.gracePeriodSeconds", "rollout", &prop.value, true);
                let error = RangeError {
                    code: INVALID_GRACE_PERIOD,
                    message: &message_grace_period,
                    help: HELP_GRACE_PERIOD,
                };
                let valid =
                    |n: f64| is_integer(n) && n >= GRACE_PERIOD_SECONDS_MIN && n <= u64::MAX as f64;
                if let Some(n) = c.in_range(read, &prop.value, valid, error, &mut ok) {
                    rollout.grace_period_seconds = Some(n as u64);
                }
            }
            _ => {
                c.unknown_key(prop, "`rollout`", ROLLOUT_KEYS);
                ok = false;
            }
        }
    }
    ok.then_some(rollout)
}

#[cfg(test)]
mod tests {
    documented_examples!("rollout.rs");
}
