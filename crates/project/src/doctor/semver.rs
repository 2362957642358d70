//! npm's version ranges, with npm's semantics (pre-releases included only when the range names
//! one): the one matcher lives in `lunora_advisor::npm_range`.

pub use lunora_advisor::npm_range::satisfies;
