//! `containers/unknown-key`: a key `defineContainer` (or a nested object) does not accept.
//!
//! Catches a misspelt or invented key, reported on the key, with a "did you mean" when a known
//! key is close. Why: an unknown key is silently ignored at runtime, so a typo such as
//! `sleepAftr` leaves the default in place without a word.
//!
//! Invalid:
//! ```ts invalid containers/unknown-key
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", sleepAftr: "5m", enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", sleepAfter: "5m", enableInternet: false });
//! ```

use super::super::Checker;
use crate::codes::UNKNOWN_KEY;
use crate::eval::Prop;

fn message(key: &str, where_: &str) -> String {
    format!("unknown key `{key}` in {where_}")
}

fn help_did_you_mean(suggestion: &str) -> String {
    format!("did you mean `{suggestion}`?")
}

fn help_accepts(where_: &str, known: &[&str]) -> String {
    format!(
        "{where_} accepts: {}",
        known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Edit distance, case-insensitive; used for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a small edit distance (case-insensitive): the one "did you
/// mean" of the workspace.
pub fn suggest<'k>(word: &str, candidates: &[&'k str]) -> Option<&'k str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

impl Checker<'_> {
    /// Reports `prop`, a key of `where_` (e.g. "`rollout`") that is not one of `known`.
    pub(crate) fn unknown_key(&mut self, prop: &Prop, where_: &str, known: &[&str]) {
        let help = match suggest(&prop.key, known) {
            Some(s) => help_did_you_mean(s),
            None => help_accepts(where_, known),
        };
        self.error_at(UNKNOWN_KEY, message(&prop.key, where_), prop.key_span, help);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    documented_examples!("unknown_key.rs");

    #[test]
    fn suggestions_are_close_and_case_insensitive() {
        let known = ["sleepAfter", "hardTimeout", "image"];
        assert_eq!(suggest("sleepafter", &known), Some("sleepAfter"));
        assert_eq!(suggest("imag", &known), Some("image"));
        assert_eq!(suggest("ports", &known), None);
    }
}
