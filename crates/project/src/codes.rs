//! Every diagnostic code this crate reports: the one place they are written.

pub const IGNORED_CONFIG: &str = "wrangler/ignored-config";
pub const IMAGE_NOT_FOUND: &str = "containers/image-not-found";
pub const IMAGE_OUTSIDE_ROOT: &str = "containers/image-outside-root";
pub const INVALID_UTF8: &str = "lunora/invalid-utf8";
pub const MISSING_CONFIG: &str = "wrangler/missing-config";
pub const MISSING_ENTRY: &str = "lunora/missing-entry";
pub const MISSING_MAIN: &str = "wrangler/missing-main";
pub const MISSING_REEXPORT: &str = "lunora/missing-reexport";
pub const NOT_GENERATED: &str = "lunora/not-generated";
pub const PATH_OUTSIDE_ROOT: &str = "lunora/path-outside-root";
pub const POSSIBLE_RENAME: &str = "lunora/possible-rename";
pub const READ_FAILED: &str = "lunora/read-failed";
pub const STALE_REEXPORT: &str = "lunora/stale-reexport";
pub const TOML_UNSUPPORTED: &str = "wrangler/toml-unsupported";
pub const ADOPT_REFUSED: &str = "lunora/adopt-refused";
pub const ADOPT_UNSAFE: &str = "lunora/adopt-unsafe";
pub const ADOPT_KEPT_CLASS: &str = "lunora/adopt-kept-class";
pub const NOTHING_TO_ADOPT: &str = "lunora/nothing-to-adopt";
pub const INTERNAL: &str = "lunora/internal";
