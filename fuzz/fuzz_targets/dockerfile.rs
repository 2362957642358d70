//! Arbitrary bytes as a container's Dockerfile: the reader, the substitution budget and the
//! lints; see `checks/dockerfile.rs`.
#![no_main]

#[path = "../checks/dockerfile.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check(data));
