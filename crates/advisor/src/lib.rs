//! Advisor lints: what would fail at deploy, break at 3 a.m., or cost money, said at codegen.
//! Pure: the validated model and Dockerfile texts in, diagnostics (and a cost report) out; the
//! CLI finds and reads the Dockerfiles.
//!
//! * [`lint_dockerfile`]: `container_port_not_exposed`, `container_shell_entrypoint`,
//!   `container_platform_not_amd64`, located in the Dockerfile.
//! * [`account_limits`]: `container_account_limits`, located at the containers that need most.
//! * [`cost::cost_report`]: the `--cost` ceiling (record code `lunora/cost`).
//!
//! Platform figures (instance sizes, account limits, prices) live in one table, [`platform`].

pub mod codes;
pub mod cost;
pub mod dockerfile;
mod limits;
mod lints;
pub mod npm_range;
pub mod platform;

pub use limits::{account_limits, demands, Demand, WARN_PERCENT};
pub use lints::{lint_dockerfile, DockerfileText};
