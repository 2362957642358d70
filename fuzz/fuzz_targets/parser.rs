//! Arbitrary bytes as `lunora/containers.ts` (and as a worker entry); see `checks/parser.rs`.
#![no_main]

#[path = "../checks/parser.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(
    // libfuzzer-sys aborts in its panic hook, before any `catch_unwind` runs. lunora catches
    // swc's own panics and reports them as syntax errors, so the default hook is restored: a
    // panic the product does not catch still aborts (libfuzzer-sys aborts when one reaches it).
    init: drop(std::panic::take_hook()),
    |data: &[u8]| checks::check(data)
);
