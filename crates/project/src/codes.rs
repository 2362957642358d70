//! Every diagnostic code this crate reports: the one place they are written.

pub const GENERATED_IGNORED: &str = "lunora/generated-ignored";
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
pub const REMOVE_REFUSED: &str = "lunora/remove-refused";
pub const RENAME_REFUSED: &str = "lunora/rename-refused";
pub const STALE_REEXPORT: &str = "lunora/stale-reexport";
pub const TOML_UNSUPPORTED: &str = "wrangler/toml-unsupported";
pub const UNKNOWN_CONTAINER: &str = "lunora/unknown-container";
pub const SETTINGS_DUPLICATE_KEY: &str = "settings/duplicate-key";
pub const SETTINGS_INVALID_VALUE: &str = "settings/invalid-value";
pub const SETTINGS_PARSE_ERROR: &str = "settings/parse-error";
pub const SETTINGS_TWO_FILES: &str = "settings/two-files";
pub const SETTINGS_UNKNOWN_KEY: &str = "settings/unknown-key";
pub const SETTINGS_UNKNOWN_LINT: &str = "settings/unknown-lint";
pub const ADOPT_REFUSED: &str = "lunora/adopt-refused";
pub const ADOPT_UNSAFE: &str = "lunora/adopt-unsafe";
/// A legacy wrangler value adopt carried in its current form.
pub const ADOPT_LEGACY_VALUE: &str = "lunora/adopt-legacy-value";
/// package.json declares a runtime package at a range the runtime cannot use.
pub const ADOPT_PACKAGE_RANGE: &str = "lunora/adopt-package-range";
pub const ADOPT_KEPT_CLASS: &str = "lunora/adopt-kept-class";
pub const NOTHING_TO_ADOPT: &str = "lunora/nothing-to-adopt";
pub const INTERNAL: &str = "lunora/internal";
