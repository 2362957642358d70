//! Every diagnostic code this crate reports: the one place they are written.

pub const BINDING_CONFLICT: &str = "wrangler/binding-conflict";
pub const BINDING_MISMATCH: &str = "wrangler/binding-mismatch";
pub const BINDING_REUSED: &str = "wrangler/binding-reused";
pub const DUPLICATE_APPLICATION: &str = "wrangler/duplicate-application";
pub const DUPLICATE_CONTAINER: &str = "wrangler/duplicate-container";
pub const DUPLICATE_KEY: &str = "wrangler/duplicate-key";
pub const ENV_VALUES_KEPT: &str = "wrangler/env-values-kept";
pub const HAND_SET_KEPT: &str = "wrangler/hand-set-kept";
pub const INTERNAL: &str = "wrangler/internal";
pub const INVALID_KEPT_VALUE: &str = "wrangler/invalid-kept-value";
pub const INVALID_ROOT: &str = "wrangler/invalid-root";
pub const INVALID_TYPE: &str = "wrangler/invalid-type";
pub const KV_BACKED_CONTAINER: &str = "wrangler/kv-backed-container";
pub const LEFTOVER_CONTAINER: &str = "wrangler/leftover-container";
pub const MISSING_ENV: &str = "wrangler/missing-env";
pub const MISSING_FIELD: &str = "wrangler/missing-field";
pub const MISSING_NAME: &str = "wrangler/missing-name";
pub const NULL_MIGRATION: &str = "wrangler/null-migration";
pub const OBSERVABILITY_DISABLED: &str = "wrangler/observability-disabled";
pub const PARSE_ERROR: &str = "wrangler/parse-error";
pub const RENAME_TARGET_EXISTS: &str = "wrangler/rename-target-exists";
pub const STALE_FIELD_KEPT: &str = "wrangler/stale-field-kept";
pub const TOML_PARSE_ERROR: &str = "wrangler/toml-parse-error";
pub const TOML_UNSUPPORTED_VALUE: &str = "wrangler/toml-unsupported-value";
