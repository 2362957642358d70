//! Advisor lints: what would fail at deploy, break at 3 a.m., or cost money, said at codegen.
//! Pure: the validated model and Dockerfile texts in, diagnostics (and a cost report) out; the
//! CLI finds and reads the Dockerfiles.
//!
//! * [`lint_containers`] / [`with_model_lints`]: `container_oversized_instance`,
//!   `container_public_internet`, over the parser's validated model.
//! * [`lint_dockerfile`]: `container_port_not_exposed`, `container_shell_entrypoint`,
//!   `container_platform_not_amd64`, located in the Dockerfile.
//! * [`account_limits`]: `container_account_limits`, located at the containers that need most.
//! * [`cost::cost_report`]: the `--cost` ceiling (record code `lunora/cost`).
//!
//! * [`npm_range::satisfies`]: npm's version ranges, for `lunora doctor`.
//!
//! One lint per module under [`lints`]; codes come from [`codes`]. Platform figures (instance sizes, account limits, prices) live in one table, [`platform`].

pub mod codes;
pub mod cost;
pub mod dockerfile;
pub mod lints;
pub mod npm_range;
pub mod platform;

pub use lints::account_limits::{
    account_limits, account_limits_within, demands, AccountLimits, Demand, WARN_PERCENT,
};
pub use lints::{lint_containers, lint_dockerfile, with_model_lints, DockerfileText};
