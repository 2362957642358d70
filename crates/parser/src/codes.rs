//! Stable diagnostic codes. Scripts and CI match on these strings: never change one, only add.
//! Rule violations are `containers/<rule>` (errors unless noted). Every diagnostic the parser
//! emits takes its code from here (a test fails on a code literal anywhere else in the crate).
//! The advisor lints over the model (`container_*`) are in `lunora_advisor::codes`.

// Syntax and structure.
/// The file does not parse.
pub const SYNTAX_ERROR: &str = "containers/syntax-error";
/// Code nested beyond what the parser accepts (brackets, operators, statements, chains), or a
/// value nested too deeply through the constants it refers to.
pub const TOO_DEEPLY_NESTED: &str = "containers/too-deeply-nested";
/// `defineContainer(...)` bound to a destructuring pattern.
pub const INVALID_DECLARATION: &str = "containers/invalid-declaration";
/// (warning) A `defineContainer` call that is not `export const`, so not a container.
pub const IGNORED_DEFINITION: &str = "containers/ignored-definition";
/// `defineContainer` called with other than one argument.
pub const INVALID_CALL: &str = "containers/invalid-call";
/// Two exports map to one `CONTAINER_*` binding.
pub const DUPLICATE_BINDING: &str = "containers/duplicate-binding";
/// An export name from which no valid class, binding, image tag or directory follows
/// (non-ASCII, `$`, leading/trailing/doubled `_`, an `Object.prototype` member, a Windows device name).
pub const INVALID_EXPORT_NAME: &str = "containers/invalid-export-name";
/// Two containers set the same wrangler `name`.
pub const DUPLICATE_NAME: &str = "containers/duplicate-name";
/// Two containers have one Durable Object class (a `className`, or the one an export gives).
pub const DUPLICATE_CLASS: &str = "containers/duplicate-class";
/// A `className` that is not an identifier the generated module can declare.
pub const INVALID_CLASS_NAME: &str = "containers/invalid-class-name";

// Static evaluation.
/// `const`s (or spreads of them) that refer back to themselves.
pub const CYCLIC_REFERENCE: &str = "containers/cyclic-reference";
/// A `const` used in a container is written to elsewhere in the file.
pub const MUTATED_CONST: &str = "containers/mutated-const";
/// A shorthand property names a `let`/`var`.
pub const MUTABLE_BINDING: &str = "containers/mutable-binding";
/// A computed key that is not a static string or number.
pub const COMPUTED_KEY: &str = "containers/computed-key";
/// A spread in the `defineContainer` object that cannot be read statically.
pub const NON_STATIC_SPREAD: &str = "containers/non-static-spread";
/// (warning) A key written twice in one object literal; the last wins.
pub const DUPLICATE_KEY: &str = "containers/duplicate-key";
/// A value of the wrong type (a string where a number belongs, …).
pub const WRONG_TYPE: &str = "containers/wrong-type";
/// Reading the file's values statically takes too many values, string bytes or steps (constants
/// that spread or substitute each other exponentially).
pub const EVALUATION_TOO_LARGE: &str = "containers/evaluation-too-large";

// Field rules.
/// A deploy field (`image`, `instanceType`, `maxInstances`, `name`, `buildArgs`, `rollout`) or the `defineContainer` argument is not static.
pub const NOT_STATIC: &str = "containers/not-static";
/// A key `defineContainer` (or a nested object) does not accept; reported on the key.
pub const UNKNOWN_KEY: &str = "containers/unknown-key";
/// No `image`.
pub const MISSING_IMAGE: &str = "containers/missing-image";
/// An empty image path, registry reference or build directory.
pub const EMPTY_IMAGE: &str = "containers/empty-image";
/// An `image` object with both or neither of `registry` and `build`, or a registry reference with a URL scheme.
pub const INVALID_IMAGE: &str = "containers/invalid-image";
/// An image path written with `\\`.
pub const INVALID_IMAGE_PATH: &str = "containers/invalid-image-path";
/// A string `image` that is a registry reference; it must be `{ registry }`.
pub const REGISTRY_STRING_IMAGE: &str = "containers/registry-string-image";
/// A registry reference without `:tag` or `@digest`.
pub const REGISTRY_MISSING_TAG: &str = "containers/registry-missing-tag";
/// A registry reference without a registry host (`nginx:1.27`, `acme/app:1`).
pub const REGISTRY_MISSING_HOST: &str = "containers/registry-missing-host";
/// A registry host Cloudflare does not pull from (only the Cloudflare Registry, Docker Hub and Amazon ECR).
pub const UNSUPPORTED_REGISTRY: &str = "containers/unsupported-registry";
/// A port outside the integers 1–65535.
pub const INVALID_PORT: &str = "containers/invalid-port";
/// `requiredPorts: []`.
pub const EMPTY_REQUIRED_PORTS: &str = "containers/empty-required-ports";
/// (warning) `defaultPort` is not one of `requiredPorts`.
pub const DEFAULT_PORT_NOT_REQUIRED: &str = "containers/default-port-not-required";
/// A named instance type that does not exist.
pub const UNKNOWN_INSTANCE_TYPE: &str = "containers/unknown-instance-type";
/// `dev` or `standard`, which wrangler no longer accepts.
pub const DEPRECATED_INSTANCE_TYPE: &str = "containers/deprecated-instance-type";
/// A custom instance type missing a field or outside Cloudflare's limits.
pub const CUSTOM_INSTANCE_LIMITS: &str = "containers/custom-instance-limits";
/// `maxInstances` not an integer ≥ 1.
pub const INVALID_MAX_INSTANCES: &str = "containers/invalid-max-instances";
/// `sleepAfter`/`hardTimeout` neither `^\\d+[smh]$` nor a positive integer of seconds.
pub const INVALID_DURATION: &str = "containers/invalid-duration";
/// `readyOn[].status` outside 100–599.
pub const INVALID_READY_STATUS: &str = "containers/invalid-ready-status";
/// A `readyOn` probe without `path`.
pub const MISSING_READY_PATH: &str = "containers/missing-ready-path";
/// A `readyOn` probe without `port` in a container without `defaultPort`: nothing to poll.
pub const READY_PORT_MISSING: &str = "containers/ready-port-missing";
/// (warning) A `readyOn` probe port that is neither `defaultPort` nor in `requiredPorts`.
pub const READY_PORT_UNDECLARED: &str = "containers/ready-port-undeclared";
/// An env/secret/secretsStore/buildArgs name not matching `[A-Za-z_][A-Za-z0-9_]*`.
pub const INVALID_ENV_NAME: &str = "containers/invalid-env-name";
/// A `secretsStore` binding name that is not an identifier.
pub const INVALID_BINDING_NAME: &str = "containers/invalid-binding-name";
/// A number or boolean where `env`/`labels`/`buildArgs` need a string.
pub const NON_STRING_VALUE: &str = "containers/non-string-value";
/// A name in both `env` and `secrets`.
pub const ENV_SECRET_COLLISION: &str = "containers/env-secret-collision";
/// A `secretsStore` key also set by `env` or `secrets`.
pub const SECRETS_STORE_COLLISION: &str = "containers/secrets-store-collision";
/// (warning) A secret listed twice.
pub const DUPLICATE_SECRET: &str = "containers/duplicate-secret";
/// `entrypoint: []`.
pub const EMPTY_ENTRYPOINT: &str = "containers/empty-entrypoint";
/// An empty host glob, or one with a scheme, path or whitespace (leading/trailing included).
pub const INVALID_HOST: &str = "containers/invalid-host";
/// An empty or blank `name`, `pingEndpoint`, `labels` key, `readyOn` path or `entrypoint` element.
pub const EMPTY_VALUE: &str = "containers/empty-value";
/// A `readyOn` path with leading or trailing whitespace.
pub const PADDED_VALUE: &str = "containers/padded-value";
/// `rollout.stepPercentage` not one of 5, 10, 20, 25, 50, 100 or an ascending list of 10..100 ending in 100.
pub const INVALID_ROLLOUT_STEP: &str = "containers/invalid-rollout-step";
/// `rollout.gracePeriodSeconds` not an integer ≥ 0.
pub const INVALID_GRACE_PERIOD: &str = "containers/invalid-grace-period";

/// Every code above, for tests that check a code is one the parser can report.
pub const ALL: &[&str] = &[
    SYNTAX_ERROR,
    TOO_DEEPLY_NESTED,
    INVALID_DECLARATION,
    IGNORED_DEFINITION,
    INVALID_CALL,
    DUPLICATE_BINDING,
    INVALID_EXPORT_NAME,
    DUPLICATE_NAME,
    DUPLICATE_CLASS,
    INVALID_CLASS_NAME,
    CYCLIC_REFERENCE,
    MUTATED_CONST,
    MUTABLE_BINDING,
    COMPUTED_KEY,
    NON_STATIC_SPREAD,
    DUPLICATE_KEY,
    WRONG_TYPE,
    EVALUATION_TOO_LARGE,
    NOT_STATIC,
    UNKNOWN_KEY,
    MISSING_IMAGE,
    EMPTY_IMAGE,
    INVALID_IMAGE,
    INVALID_IMAGE_PATH,
    REGISTRY_STRING_IMAGE,
    REGISTRY_MISSING_TAG,
    REGISTRY_MISSING_HOST,
    UNSUPPORTED_REGISTRY,
    INVALID_PORT,
    EMPTY_REQUIRED_PORTS,
    DEFAULT_PORT_NOT_REQUIRED,
    UNKNOWN_INSTANCE_TYPE,
    DEPRECATED_INSTANCE_TYPE,
    CUSTOM_INSTANCE_LIMITS,
    INVALID_MAX_INSTANCES,
    INVALID_DURATION,
    INVALID_READY_STATUS,
    MISSING_READY_PATH,
    READY_PORT_MISSING,
    READY_PORT_UNDECLARED,
    INVALID_ENV_NAME,
    INVALID_BINDING_NAME,
    NON_STRING_VALUE,
    ENV_SECRET_COLLISION,
    SECRETS_STORE_COLLISION,
    DUPLICATE_SECRET,
    EMPTY_ENTRYPOINT,
    INVALID_HOST,
    EMPTY_VALUE,
    PADDED_VALUE,
    INVALID_ROLLOUT_STEP,
    INVALID_GRACE_PERIOD,
];
