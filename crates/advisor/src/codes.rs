//! Stable codes of the advisor's findings. Scripts and CI match on these strings: never change
//! one, only add. Lints use the Studio's `container_*` names, like the parser's advisor lints
//! (`container_oversized_instance`, `container_public_internet`).

/// (warning) `defaultPort`, a `requiredPorts` entry or a `readyOn` port is not EXPOSEd by the
/// stage that runs.
pub const PORT_NOT_EXPOSED: &str = "container_port_not_exposed";
/// (info) The ENTRYPOINT (or, without one, CMD) that runs is in shell form.
pub const SHELL_ENTRYPOINT: &str = "container_shell_entrypoint";
/// (info when `--platform` is missing, warning when it names another platform) The base image
/// of the stage that runs is not pinned to linux/amd64.
pub const PLATFORM_NOT_AMD64: &str = "container_platform_not_amd64";
/// (warning at ≥ 80 % of a limit, error above 100 %) Every container at `maxInstances` needs
/// more vCPU, memory or disk than the account may run at once.
pub const ACCOUNT_LIMITS: &str = "container_account_limits";
/// (info record, `--cost`) The cost ceiling per container and in total.
pub const COST: &str = "lunora/cost";
