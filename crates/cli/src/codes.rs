//! Every diagnostic and record code the CLI itself reports: the one place they are written.
//! (Codes of decisions are in `lunora_project::codes`, `lunora_wrangler_config::codes`, …)

pub const DEPLOY_DRY_RUN_COPY: &str = "deploy/dry-run-copy";
pub const DEPLOY_MISSING_IMAGE_SOURCE: &str = "deploy/missing-image-source";
pub const DEPLOY_MISSING_REEXPORT: &str = "deploy/missing-reexport";
pub const LUNORA_ADOPTED: &str = "lunora/adopted";
pub const LUNORA_CREATED: &str = "lunora/created";
pub const LUNORA_ERROR: &str = "lunora/error";
pub const LUNORA_REMOVED: &str = "lunora/removed";
pub const LUNORA_STALE: &str = "lunora/stale";
pub const LUNORA_TYPES_FAILED: &str = "lunora/types-failed";
pub const LUNORA_TYPES_UPDATED: &str = "lunora/types-updated";
pub const LUNORA_UNCHANGED: &str = "lunora/unchanged";
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
