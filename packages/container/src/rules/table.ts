/**
 * The rule table both languages read (`RULES`, written to `rules.json` by the build), the stable
 * codes, and the error and warning types a rule reports.
 */

/** Stable diagnostic codes, shared with the Rust parser (`crates/parser/src/codes.rs`). */
export const RULE_CODES = {
  /** A field holds a value of the wrong type (a number where a string list belongs, …). */
  invalidValue: "containers/wrong-type",
  unknownKey: "containers/unknown-key",
  missingImage: "containers/missing-image",
  emptyImage: "containers/empty-image",
  invalidImage: "containers/invalid-image",
  invalidImagePath: "containers/invalid-image-path",
  registryStringImage: "containers/registry-string-image",
  registryMissingTag: "containers/registry-missing-tag",
  registryMissingHost: "containers/registry-missing-host",
  unsupportedRegistry: "containers/unsupported-registry",
  invalidPort: "containers/invalid-port",
  emptyRequiredPorts: "containers/empty-required-ports",
  unknownInstanceType: "containers/unknown-instance-type",
  deprecatedInstanceType: "containers/deprecated-instance-type",
  customInstanceLimits: "containers/custom-instance-limits",
  invalidMaxInstances: "containers/invalid-max-instances",
  invalidDuration: "containers/invalid-duration",
  invalidReadyStatus: "containers/invalid-ready-status",
  missingReadyPath: "containers/missing-ready-path",
  readyPortMissing: "containers/ready-port-missing",
  invalidEnvName: "containers/invalid-env-name",
  invalidBindingName: "containers/invalid-binding-name",
  invalidClassName: "containers/invalid-class-name",
  nonStringValue: "containers/non-string-value",
  envSecretCollision: "containers/env-secret-collision",
  secretsStoreCollision: "containers/secrets-store-collision",
  emptyEntrypoint: "containers/empty-entrypoint",
  invalidHost: "containers/invalid-host",
  emptyValue: "containers/empty-value",
  paddedValue: "containers/padded-value",
  invalidRolloutStep: "containers/invalid-rollout-step",
  invalidGracePeriod: "containers/invalid-grace-period",
  /** A definition that is not plain data: inherited fields, or an accessor on a deploy field. */
  notStatic: "containers/not-static",
} as const;

/** Codes of the warnings `containerConfigWarnings` returns (the parser reports them as warnings). */
export const WARNING_CODES = {
  defaultPortNotRequired: "containers/default-port-not-required",
  readyPortUndeclared: "containers/ready-port-undeclared",
  duplicateSecret: "containers/duplicate-secret",
} as const;

export type RuleCode = (typeof RULE_CODES)[keyof typeof RULE_CODES];
export type WarningCode = (typeof WARNING_CODES)[keyof typeof WARNING_CODES];

/** The rule table's data. `rules.json` is generated from exactly this object. */
export const RULES = {
  /** Every key `defineContainer` accepts, in the order of the spec's Configuration table. */
  configKeys: [
    "image",
    "defaultPort",
    "requiredPorts",
    "instanceType",
    "maxInstances",
    "sleepAfter",
    "hardTimeout",
    "readyOn",
    "pingEndpoint",
    "env",
    "secrets",
    "secretsStore",
    "buildArgs",
    "entrypoint",
    "enableInternet",
    "allowedHosts",
    "deniedHosts",
    "interceptHttps",
    "labels",
    "name",
    "rollout",
    "className",
  ],
  /** Fields written into wrangler.jsonc; the parser requires them to be static. */
  deployKeys: ["image", "instanceType", "maxInstances", "name", "buildArgs", "rollout", "className"],
  imageKeys: ["registry", "build"],
  rolloutKeys: ["stepPercentage", "gracePeriodSeconds"],
  readyProbeKeys: ["path", "port", "status"],
  customInstanceTypeKeys: ["vcpu", "memoryMib", "diskMb"],
  port: { min: 1, max: 65535 },
  durationPattern: "^\\d+[smh]$",
  durationUnitsSeconds: { s: 1, m: 60, h: 3600 },
  /** Named instance types wrangler 4.86 accepts without a warning. */
  instanceTypes: ["lite", "basic", "standard-1", "standard-2", "standard-3", "standard-4"],
  /** Sizes of the named types (spec 002, "Instance Types"; wrangler 4.86 `instanceTypes`). */
  instanceSizes: {
    lite: { vcpu: 0.0625, memoryMib: 256, diskMb: 2000 },
    basic: { vcpu: 0.25, memoryMib: 1024, diskMb: 4000 },
    "standard-1": { vcpu: 0.5, memoryMib: 4096, diskMb: 8000 },
    "standard-2": { vcpu: 1, memoryMib: 6144, diskMb: 12000 },
    "standard-3": { vcpu: 2, memoryMib: 8192, diskMb: 16000 },
    "standard-4": { vcpu: 4, memoryMib: 12288, diskMb: 20000 },
  },
  /** Names wrangler 4.86 still reads but has renamed (it warns; they are to be removed). */
  deprecatedInstanceTypes: { dev: "lite", standard: "standard-1" },
  customInstanceLimits: {
    maxVcpu: 4,
    maxMemoryMib: 12288,
    maxDiskMb: 20000,
    minMemoryMibPerVcpu: 3072,
    maxDiskMbPerMemoryGib: 2000,
  },
  /**
   * What wrangler 4.86 uses for a field a custom `instance_type` leaves out
   * (`getNormalizedContainerOptions`: `vcpu ?? 0.0625`, `memory_mib ?? 256`, `disk_mb ?? 2e3`).
   */
  customInstanceDefaults: { vcpu: 0.0625, memoryMib: 256, diskMb: 2000 },
  maxInstancesMin: 1,
  rolloutStepPercentages: [5, 10, 20, 25, 50, 100],
  rolloutStepList: { min: 10, max: 100, last: 100 },
  gracePeriodSecondsMin: 0,
  readyStatus: { min: 100, max: 599 },
  envNamePattern: "^[A-Za-z_][A-Za-z0-9_]*$",
  /**
   * Registries Cloudflare pulls pre-built images from (spec 000: "the Cloudflare Registry, Docker
   * Hub, or Amazon ECR"; hosts as wrangler 4.86's `getAndValidateRegistryType` matches them).
   */
  registries: {
    cloudflare: "registry.cloudflare.com",
    dockerHub: "docker.io",
    ecrPattern: "^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$",
    ecrExample: "<account-id>.dkr.ecr.<region>.amazonaws.com",
  },
  codes: Object.values(RULE_CODES),
  warningCodes: Object.values(WARNING_CODES),
} as const;

/** A `defineContainer` value that breaks a rule. `code` is stable; `path` names the field. */
export class ContainerConfigError extends Error {
  readonly code: RuleCode;
  /** Dotted path of the offending field, e.g. `readyOn[1].status`. */
  readonly path: string;
  /** What to write instead, when there is a clear answer. */
  readonly help: string | undefined;

  constructor(code: RuleCode, path: string, message: string, help?: string) {
    super(help ? `${message}\nhelp: ${help}` : message);
    this.name = "ContainerConfigError";
    this.code = code;
    this.path = path;
    this.help = help;
  }
}

/** A value that is allowed but probably not what was meant; see `containerConfigWarnings`. */
export interface ContainerConfigWarning {
  readonly code: WarningCode;
  readonly path: string;
  readonly message: string;
  readonly help: string;
}
