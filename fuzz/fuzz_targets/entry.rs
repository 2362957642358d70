//! Arbitrary bytes as a worker entry, and `generate`'s re-export insertion; see
//! `checks/entry.rs`.
#![no_main]

#[path = "../checks/entry.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(
    // As in the parser target: panics lunora catches (swc's) must not abort the run.
    init: drop(std::panic::take_hook()),
    |data: &[u8]| checks::check(data)
);
