//! The record of generated classes against the worker; see `checks/ownership.rs`.
#![no_main]

#[path = "../checks/ownership.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(
    // As in the parser target: panics lunora catches (swc's) must not abort the run.
    init: drop(std::panic::take_hook()),
    |data: &[u8]| checks::check(data)
);
