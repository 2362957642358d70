//! A selector byte plus arbitrary text as `wrangler.jsonc`; see `checks/reconciler.rs`.
#![no_main]

#[path = "../checks/reconciler.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check(data));
