//! Arbitrary bytes as `lunora/containers.ts`, and `generate`'s edit of it; see
//! `checks/generate.rs`.
#![no_main]

#[path = "../checks/generate.rs"]
mod checks;
#[allow(dead_code)] // only its `is_subsequence` is used here
#[path = "../checks/entry.rs"]
mod checks_entry;

libfuzzer_sys::fuzz_target!(
    init: drop(std::panic::take_hook()),
    |data: &[u8]| checks::check(data)
);
