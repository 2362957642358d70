//! Every diagnostic and record code the CLI itself reports: the one place they are written.
//! (Codes of decisions are in `lunora_project::codes`, `lunora_wrangler_config::codes`, …)

pub const DEPLOY_MISSING_IMAGE_SOURCE: &str = "deploy/missing-image-source";
pub const DEPLOY_MISSING_REEXPORT: &str = "deploy/missing-reexport";
pub const LUNORA_ADOPT_REFUSED: &str = "lunora/adopt-refused";
/// A legacy wrangler value adopt carried in its current form.
pub const LUNORA_ADOPT_LEGACY_VALUE: &str = "lunora/adopt-legacy-value";
pub const LUNORA_ADOPT_UNSAFE: &str = "lunora/adopt-unsafe";
pub const LUNORA_ADOPTED: &str = "lunora/adopted";
pub const LUNORA_CREATED: &str = "lunora/created";
pub const LUNORA_ERROR: &str = "lunora/error";
pub const LUNORA_INTERNAL: &str = "lunora/internal";
pub const LUNORA_NOTHING_TO_ADOPT: &str = "lunora/nothing-to-adopt";
pub use lunora_project::codes::PATH_OUTSIDE_ROOT as LUNORA_PATH_OUTSIDE_ROOT;
pub const LUNORA_REMOVE_REFUSED: &str = "lunora/remove-refused";
pub const LUNORA_REMOVED: &str = "lunora/removed";
pub const LUNORA_RENAME_REFUSED: &str = "lunora/rename-refused";
pub const LUNORA_STALE: &str = "lunora/stale";
pub const LUNORA_UNCHANGED: &str = "lunora/unchanged";
pub const LUNORA_UNKNOWN_CONTAINER: &str = "lunora/unknown-container";
pub const LUNORA_UPDATED: &str = "lunora/updated";
pub const LUNORA_USAGE: &str = "lunora/usage";
pub const LUNORA_WOULD_ADOPT: &str = "lunora/would-adopt";
pub const LUNORA_WOULD_WRITE: &str = "lunora/would-write";
pub const LUNORA_WRITE_FAILED: &str = "lunora/write-failed";
pub const WRANGLER_ADDED: &str = "wrangler/added";
pub const WRANGLER_REMOVED: &str = "wrangler/removed";
pub const WRANGLER_UNCHANGED: &str = "wrangler/unchanged";
pub const WRANGLER_UPDATED: &str = "wrangler/updated";
pub const WRANGLER_WOULD_CHANGE: &str = "wrangler/would-change";
