//! Stable codes of the advisor's findings. Scripts and CI match on these strings: never change
//! one, only add. Lints use the Studio's `container_*` names. Every diagnostic the advisor
//! emits takes its code from here (a test fails on a code literal anywhere else in the crate).

/// (warning) `defaultPort`, a `requiredPorts` entry or a `readyOn` port is not EXPOSEd by the
/// stage that runs.
pub const PORT_NOT_EXPOSED: &str = "container_port_not_exposed";
/// (info) The ENTRYPOINT (or, without one, CMD) that runs is in shell form.
pub const SHELL_ENTRYPOINT: &str = "container_shell_entrypoint";
/// (info when `--platform` is missing, warning when it names another platform) The base image
/// of the stage that runs is not pinned to linux/amd64.
pub const PLATFORM_NOT_AMD64: &str = "container_platform_not_amd64";
/// (warning at ≥ 80 % of a limit and above 100 %) Every container at `maxInstances` needs (close
/// to) more vCPU, memory or disk than the account may run at once.
pub const ACCOUNT_LIMITS: &str = "container_account_limits";
/// (info record, `--cost`) The cost ceiling per container and in total.
pub const COST: &str = "lunora/cost";
/// (info) `standard-3`/`standard-4`, or custom `vcpu > 2` or `memoryMib > 4096`.
pub const OVERSIZED_INSTANCE: &str = "container_oversized_instance";
/// (info) `enableInternet` not written as a literal `true`/`false` (left out, or set from an
/// expression codegen cannot read).
pub const PUBLIC_INTERNET: &str = "container_public_internet";
/// (info) Substituting the Dockerfile's variables would cost more than the reader's budget
/// (values that double per line, or a deep chain of stages): the lints do not judge what
/// depends on substitutions from that instruction on.
pub const DOCKERFILE_BUDGET: &str = "container_dockerfile_budget";

/// Every code above, for tests (the README's Rules table lists each one).
pub const ALL: &[&str] = &[
    PORT_NOT_EXPOSED,
    SHELL_ENTRYPOINT,
    PLATFORM_NOT_AMD64,
    ACCOUNT_LIMITS,
    COST,
    OVERSIZED_INSTANCE,
    PUBLIC_INTERNET,
    DOCKERFILE_BUDGET,
];

/// The lints a project may turn off or give another level in its settings (`lints`): every
/// code above but the `--cost` record, which is asked for, not found.
pub const LINTS: &[&str] = &[
    ACCOUNT_LIMITS,
    DOCKERFILE_BUDGET,
    OVERSIZED_INSTANCE,
    PLATFORM_NOT_AMD64,
    PORT_NOT_EXPOSED,
    PUBLIC_INTERNET,
    SHELL_ENTRYPOINT,
];
