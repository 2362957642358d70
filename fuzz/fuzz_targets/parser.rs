//! Arbitrary bytes as `lunora/containers.ts` (and as a worker entry); see `checks/parser.rs`.
#![no_main]

#[path = "../checks/parser.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check(data));
