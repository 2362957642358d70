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
pub const OWNERSHIP_CONFLICT: &str = "lunora/ownership-conflict";
pub const PATH_OUTSIDE_ROOT: &str = "lunora/path-outside-root";
pub const POSSIBLE_RENAME: &str = "lunora/possible-rename";
pub const READ_FAILED: &str = "lunora/read-failed";
pub const STALE_REEXPORT: &str = "lunora/stale-reexport";
pub const TOML_UNSUPPORTED: &str = "wrangler/toml-unsupported";
