/**
 * The validation rules `defineContainer` applies, and the rule table both languages read.
 *
 * `RULES` is the one source of the rule data: `npm run build` writes it to `rules.json` at the
 * package root, and the Rust parser (`lunora codegen`) generates its constants from that file at
 * build time, so key lists, instance types, limits and registry hosts cannot differ between the
 * two. The behaviour is checked as well: one case list (`crates/parser/tests/rule_cases.json`)
 * runs through the parser and through `defineContainer`, and both must report the same code.
 *
 * A rule violation is a `ContainerConfigError` whose `code` never changes once published.
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

const DURATION_RE = new RegExp(RULES.durationPattern);
const ENV_NAME_RE = new RegExp(RULES.envNamePattern);
const ECR_RE = new RegExp(RULES.registries.ecrPattern);

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "undefined":
      return "undefined";
    case "object":
      return "an object";
    default:
      return `a ${typeof value}`;
  }
}

function fail(code: RuleCode, path: string, message: string, help?: string): never {
  throw new ContainerConfigError(code, path, message, help);
}

function wrongType(path: string, expected: string, value: unknown, help?: string): never {
  return fail(RULE_CODES.invalidValue, path, `\`${path}\` must be ${expected}, not ${typeName(value)}.`, help);
}

/** Levenshtein distance, case-insensitive, for "did you mean". */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + cost);
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within `max(1, ⌊length / 3⌋)` edits (the parser's rule), if any. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor([...key].length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

function checkKeys(value: Obj, known: readonly string[], where: string, path: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = suggestKey(key, known);
    fail(
      RULE_CODES.unknownKey,
      path ? `${path}.${key}` : key,
      `Unknown key \`${key}\` in ${where}.`,
      suggestion ? `did you mean \`${suggestion}\`?` : `${where} accepts: ${known.map((k) => `\`${k}\``).join(", ")}`,
    );
  }
}

/** Ports are integers in 1–65535. */
export function checkPort(value: unknown, path: string): number {
  if (typeof value !== "number") wrongType(path, "a number", value, "write a port such as `8080`");
  if (!Number.isInteger(value) || value < RULES.port.min || value > RULES.port.max) {
    fail(
      RULE_CODES.invalidPort,
      path,
      `\`${path}\` must be an integer port in 1–65535, not ${String(value)}.`,
      "write a port such as `8080`",
    );
  }
  return value;
}

/** `"30s"`, `"5m"`, `"1h"` or a positive integer number of seconds; returns seconds. */
export function parseDuration(value: unknown, path: string): number {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value > 0) return value;
  } else if (typeof value === "string") {
    if (DURATION_RE.test(value)) {
      const unit = value.slice(-1) as keyof typeof RULES.durationUnitsSeconds;
      const seconds = Number(value.slice(0, -1)) * RULES.durationUnitsSeconds[unit];
      if (seconds > 0) return seconds;
    }
  } else {
    wrongType(path, "a duration string or a number of seconds", value, `write \`${path}: "5m"\``);
  }
  return fail(
    RULE_CODES.invalidDuration,
    path,
    `\`${path}\` is not a valid duration: ${JSON.stringify(value)}.`,
    `write a number with a unit, like \`${path}: "5m"\` ("30s", "5m", "1h"), or a positive number of seconds`,
  );
}

function checkStringList(value: unknown, path: string): readonly string[] {
  if (!Array.isArray(value)) wrongType(path, "an array", value);
  value.forEach((item: unknown, i: number) => {
    if (typeof item !== "string") wrongType(`${path}[${i}]`, "a string", item);
  });
  return value as string[];
}

function checkObject(value: unknown, path: string): Obj {
  if (!isObject(value)) wrongType(path, "an object", value);
  return value;
}

function checkEnvName(name: string, path: string, field: string, what: string): void {
  if (!ENV_NAME_RE.test(name)) {
    fail(
      RULE_CODES.invalidEnvName,
      path,
      `\`${name}\` in \`${field}\` is not a valid ${what} name.`,
      "use letters, digits and `_`, not starting with a digit (e.g. `API_KEY`)",
    );
  }
}

/**
 * A `{ KEY: "value" }` map (`env`, `buildArgs`, `labels`): string values, `undefined` entries
 * skipped (they set nothing), numbers and booleans reported with the quoted form to write.
 */
function checkStringMap(value: unknown, field: string, names: boolean): Readonly<Record<string, string>> {
  const map = checkObject(value, field);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(map)) {
    if (names) {
      checkEnvName(key, `${field}.${key}`, field, "variable");
    } else if (key.trim() === "") {
      fail(RULE_CODES.emptyValue, `${field}.${key}`, `\`${field}\` has an empty key.`, "give the entry a name");
    }
    if (v === undefined) continue;
    if (typeof v === "number" || typeof v === "boolean") {
      fail(
        RULE_CODES.nonStringValue,
        `${field}.${key}`,
        `\`${field}.${key}\` must be a string, not ${typeName(v)}.`,
        `quote it: \`${key}: "${String(v)}"\``,
      );
    }
    if (typeof v !== "string") wrongType(`${field}.${key}`, "a string", v);
    out[key] = v;
  }
  return out;
}

function checkBoolean(value: unknown, path: string): void {
  if (typeof value !== "boolean") wrongType(path, "`true` or `false`", value);
}

/** `1/16 vCPU, 256 MiB memory, 2 GB disk`, the way the spec's instance table writes sizes. */
export function describeSize(size: { vcpu: number; memoryMib: number; diskMb: number }): string {
  const inverse = 1 / size.vcpu;
  const vcpu = size.vcpu < 1 && Number.isInteger(inverse) ? `1/${inverse}` : String(size.vcpu);
  const memory = size.memoryMib % 1024 === 0 ? `${size.memoryMib / 1024} GiB` : `${size.memoryMib} MiB`;
  const disk = size.diskMb % 1000 === 0 ? `${size.diskMb / 1000} GB` : `${size.diskMb} MB`;
  return `${vcpu} vCPU, ${memory} memory, ${disk} disk`;
}

/** True when a string image is a registry reference rather than a local path. */
export function looksLikeRegistryReference(image: string): boolean {
  if (/^(\.{1,2}\/|\/|~)/.test(image) || image === "." || image === "..") return false;
  if (image.includes("@sha256:")) return true;
  const first = image.split("/")[0]!;
  if (image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) {
    return true;
  }
  // `nginx:1.27` or `acme/api:2` — a name with a tag and no path-like segment.
  return /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*:[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(image);
}

/** A registry reference carries a `:tag` (after the last `/`) or an `@algorithm:hex` digest. */
export function hasTagOrDigest(reference: string): boolean {
  const at = reference.lastIndexOf("@");
  if (at >= 0) return /^[A-Za-z0-9][A-Za-z0-9+._-]*:[A-Fa-f0-9]+$/.test(reference.slice(at + 1));
  const last = reference.slice(reference.lastIndexOf("/") + 1);
  return /^[^:]+:[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(last);
}

/**
 * The registry host of a reference, as Docker reads it: the first `/`-separated component when
 * it contains `.` or `:` or is `localhost`; otherwise none (`nginx:1.27`, `acme/app:1`).
 */
export function registryHost(reference: string): string | undefined {
  const slash = reference.indexOf("/");
  if (slash < 0) return undefined;
  const first = reference.slice(0, slash);
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : undefined;
}

/** True for the hosts Cloudflare pulls from (port and case ignored, as wrangler's URL parse does). */
export function isSupportedRegistryHost(host: string): boolean {
  const hostname = host.split(":")[0]!.toLowerCase();
  return hostname === RULES.registries.cloudflare || hostname === RULES.registries.dockerHub || ECR_RE.test(hostname);
}

const SUPPORTED_REGISTRIES = `the Cloudflare Registry (${RULES.registries.cloudflare}), Docker Hub (${RULES.registries.dockerHub}) or Amazon ECR (${RULES.registries.ecrExample})`;

/** `nginx:1.27` → `docker.io/library/nginx:1.27`; `acme/app:1` → `docker.io/acme/app:1`. */
export function qualifiedDockerHubReference(reference: string): string {
  return reference.includes("/") ? `docker.io/${reference}` : `docker.io/library/${reference}`;
}

function checkRegistryReference(reference: string, path: string): void {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(reference);
  if (scheme) {
    fail(
      RULE_CODES.invalidImage,
      path,
      `\`${path}\` must not include a scheme (\`${scheme[0]}\`).`,
      `write ${JSON.stringify(reference.slice(scheme[0].length))}`,
    );
  }
  const host = registryHost(reference);
  if (host === undefined) {
    const tagged = hasTagOrDigest(reference) ? reference : `${reference}:<tag>`;
    fail(
      RULE_CODES.registryMissingHost,
      path,
      `Registry image ${JSON.stringify(reference)} names no registry host.`,
      `write ${JSON.stringify(qualifiedDockerHubReference(tagged))} for Docker Hub, or ${JSON.stringify(`${RULES.registries.cloudflare}/${tagged}`)} for an image pushed with \`wrangler containers push\``,
    );
  }
  if (!isSupportedRegistryHost(host)) {
    const hostname = host.split(":")[0]!.toLowerCase();
    const dockerHubAlias = hostname === "registry-1.docker.io" || hostname === "index.docker.io";
    fail(
      RULE_CODES.unsupportedRegistry,
      path,
      `Cloudflare does not pull images from ${host}.`,
      dockerHubAlias
        ? `write ${JSON.stringify(`${RULES.registries.dockerHub}${reference.slice(host.length)}`)} (Docker Hub is addressed as ${RULES.registries.dockerHub})`
        : `push the image to ${SUPPORTED_REGISTRIES}, and reference it there`,
    );
  }
  if (!hasTagOrDigest(reference)) {
    const name = reference.split("@")[0]!;
    fail(
      RULE_CODES.registryMissingTag,
      path,
      `Registry image ${JSON.stringify(reference)} has no tag or digest.`,
      `pin a version with a tag or a digest, e.g. ${JSON.stringify(`${name}:1.0`)} or ${JSON.stringify(`${name}@sha256:<digest>`)}`,
    );
  }
}

/** A local path or build directory: not blank, `/` as the separator. */
function checkImagePath(path: string, field: string): void {
  if (path.trim() === "") {
    fail(
      RULE_CODES.emptyImage,
      field,
      `\`${field}\` is empty.`,
      'write `image: "./containers/<name>"`, `image: { registry: "docker.io/acme/app:1.0" }` or `image: { build: "./services/<name>" }`',
    );
  }
  if (path.includes("\\")) {
    fail(RULE_CODES.invalidImagePath, field, `\`${field}\` uses \`\\\` in a path.`, `use \`/\` as the separator: ${JSON.stringify(path.replaceAll("\\", "/"))}`);
  }
}

function checkImage(value: unknown): void {
  if (value === undefined) {
    fail(
      RULE_CODES.missingImage,
      "image",
      "defineContainer needs an `image`.",
      'add `image: "./containers/<name>"` (a directory with a Dockerfile), `{ registry: "docker.io/acme/app:1.0" }` or `{ build: "./services/<name>" }`',
    );
  }
  if (typeof value === "string") {
    checkImagePath(value, "image");
    if (looksLikeRegistryReference(value)) {
      const qualified = registryHost(value) === undefined ? qualifiedDockerHubReference(value) : value;
      fail(
        RULE_CODES.registryStringImage,
        "image",
        `\`image: ${JSON.stringify(value)}\` looks like a registry reference, but a string image is a local path.`,
        `write \`image: { registry: ${JSON.stringify(qualified)} }\``,
      );
    }
    return;
  }
  if (!isObject(value)) wrongType("image", "a path string, `{ registry }` or `{ build }`", value);
  checkKeys(value, RULES.imageKeys, "`image`", "image");
  const hasRegistry = Object.hasOwn(value, "registry");
  const hasBuild = Object.hasOwn(value, "build");
  if (hasRegistry && hasBuild) {
    fail(
      RULE_CODES.invalidImage,
      "image",
      "`image` sets both `registry` and `build`.",
      'keep one: `{ registry: "…:tag" }` for a pre-built image, `{ build: "./dir" }` for Railpack',
    );
  }
  if (hasRegistry) {
    const reference = value["registry"];
    if (typeof reference !== "string") wrongType("image.registry", "a string", reference);
    if (reference.trim() === "") {
      fail(RULE_CODES.emptyImage, "image.registry", "`image.registry` is empty.", 'write `image: { registry: "docker.io/acme/app:1.0" }`');
    }
    checkRegistryReference(reference, "image.registry");
  } else if (hasBuild) {
    const dir = value["build"];
    if (typeof dir !== "string") wrongType("image.build", "a string", dir);
    checkImagePath(dir, "image.build");
  } else {
    fail(
      RULE_CODES.invalidImage,
      "image",
      "`image` object needs `registry` or `build`.",
      'write `image: { registry: "docker.io/acme/app:1.0" }` or `image: { build: "./services/<name>" }`',
    );
  }
}

function checkInstanceType(value: unknown): void {
  if (typeof value === "string") {
    if ((RULES.instanceTypes as readonly string[]).includes(value)) return;
    const renamed = (RULES.deprecatedInstanceTypes as Readonly<Record<string, keyof typeof RULES.instanceSizes>>)[value];
    if (renamed !== undefined) {
      fail(
        RULE_CODES.deprecatedInstanceType,
        "instanceType",
        `Instance type ${JSON.stringify(value)} is deprecated by wrangler (renamed to ${JSON.stringify(renamed)}).`,
        `write \`instanceType: ${JSON.stringify(renamed)}\` (the same size: ${describeSize(RULES.instanceSizes[renamed])})`,
      );
    }
    const suggestion = suggestKey(value, RULES.instanceTypes);
    fail(
      RULE_CODES.unknownInstanceType,
      "instanceType",
      `Unknown instance type ${JSON.stringify(value)}.`,
      suggestion
        ? `did you mean \`${suggestion}\`?`
        : `use one of ${RULES.instanceTypes.join(", ")}, or a custom \`{ vcpu, memoryMib, diskMb }\``,
    );
  }
  if (!isObject(value)) wrongType("instanceType", "a named type or `{ vcpu, memoryMib, diskMb }`", value);
  checkKeys(value, RULES.customInstanceTypeKeys, "a custom `instanceType`", "instanceType");
  const limits = RULES.customInstanceLimits;
  const defaults = RULES.customInstanceDefaults;
  const limitsHelp = `stay within vcpu ≤ ${limits.maxVcpu}, memoryMib ≤ ${limits.maxMemoryMib}, diskMb ≤ ${limits.maxDiskMb}, ≥ ${limits.minMemoryMibPerVcpu} MiB per vCPU, ≤ 2 GB disk per GiB of memory`;
  const field = (key: "vcpu" | "memoryMib" | "diskMb", max: number, integer: boolean): number | undefined => {
    const v = value[key];
    if (v === undefined) return undefined;
    const path = `instanceType.${key}`;
    if (typeof v !== "number") wrongType(path, "a number", v, `write e.g. \`{ vcpu: 1, memoryMib: 4096, diskMb: 8000 }\``);
    const ok = integer ? Number.isInteger(v) && v > 0 && v <= max : v > 0 && v <= max;
    if (!ok) {
      fail(
        RULE_CODES.customInstanceLimits,
        path,
        integer
          ? `\`${path}\` must be a positive integer of at most ${max}, not ${String(v)}.`
          : `\`${path}\` must be more than 0 and at most ${max}, not ${String(v)}.`,
        limitsHelp,
      );
    }
    return v;
  };
  const givenVcpu = field("vcpu", limits.maxVcpu, false);
  const givenMemory = field("memoryMib", limits.maxMemoryMib, true);
  const givenDisk = field("diskMb", limits.maxDiskMb, true);
  const v = givenVcpu ?? defaults.vcpu;
  const m = givenMemory ?? defaults.memoryMib;
  const d = givenDisk ?? defaults.diskMb;
  const note = (given: number | undefined, key: string): string =>
    given === undefined ? ` (wrangler's default when \`${key}\` is left out)` : "";
  const minMemory = Math.ceil(limits.minMemoryMibPerVcpu * v);
  if (m < minMemory) {
    fail(
      RULE_CODES.customInstanceLimits,
      givenMemory === undefined ? "instanceType" : "instanceType.memoryMib",
      `${m} MiB of memory${note(givenMemory, "memoryMib")} is too little for ${v} vCPU${note(givenVcpu, "vcpu")} (at least ${limits.minMemoryMibPerVcpu} MiB per vCPU).`,
      `write \`memoryMib: ${minMemory}\` or more, or lower \`vcpu\``,
    );
  }
  const maxDisk = Math.floor((limits.maxDiskMbPerMemoryGib * m) / 1024);
  if (d > maxDisk) {
    fail(
      RULE_CODES.customInstanceLimits,
      givenDisk === undefined ? "instanceType" : "instanceType.diskMb",
      `${d} MB of disk${note(givenDisk, "diskMb")} is too much for ${m} MiB of memory${note(givenMemory, "memoryMib")} (at most 2 GB of disk per GiB of memory).`,
      `write \`diskMb: ${maxDisk}\` or less, or raise \`memoryMib\` to ${Math.ceil((d * 1024) / limits.maxDiskMbPerMemoryGib)} or more; the named types (e.g. "lite") are not bound by this ratio`,
    );
  }
}

function checkRollout(value: unknown): void {
  const rollout = checkObject(value, "rollout");
  checkKeys(rollout, RULES.rolloutKeys, "`rollout`", "rollout");
  const allowed = RULES.rolloutStepPercentages as readonly number[];
  const { min, max, last } = RULES.rolloutStepList;
  const stepHelp = `write one of ${allowed.join(", ")}, or an ascending list of steps between ${min} and ${max} ending in ${last}, e.g. \`[10, 50, 100]\``;
  const step = rollout["stepPercentage"];
  if (step !== undefined) {
    if (Array.isArray(step)) {
      step.forEach((s: unknown, i: number) => {
        const path = `rollout.stepPercentage[${i}]`;
        if (typeof s !== "number") wrongType(path, "a number", s);
        const previous = i === 0 ? undefined : (step[i - 1] as number);
        if (!Number.isInteger(s) || s < min || s > max || (previous !== undefined && s <= previous)) {
          fail(
            RULE_CODES.invalidRolloutStep,
            path,
            `\`${path}\` is ${String(s)}; steps must be integers from ${min} to ${max}, each larger than the last.`,
            stepHelp,
          );
        }
      });
      if (step[step.length - 1] !== last) {
        fail(RULE_CODES.invalidRolloutStep, "rollout.stepPercentage", `\`rollout.stepPercentage\` must end with ${last}.`, stepHelp);
      }
    } else if (typeof step === "number") {
      if (!allowed.includes(step)) {
        fail(RULE_CODES.invalidRolloutStep, "rollout.stepPercentage", `\`rollout.stepPercentage\` cannot be ${String(step)}.`, stepHelp);
      }
    } else {
      wrongType("rollout.stepPercentage", "a number or an array of numbers", step);
    }
  }
  const grace = rollout["gracePeriodSeconds"];
  if (grace !== undefined) {
    if (typeof grace !== "number") wrongType("rollout.gracePeriodSeconds", "a number", grace);
    if (!Number.isInteger(grace) || grace < RULES.gracePeriodSecondsMin) {
      fail(
        RULE_CODES.invalidGracePeriod,
        "rollout.gracePeriodSeconds",
        `\`rollout.gracePeriodSeconds\` must be a whole number of seconds ≥ 0, not ${String(grace)}.`,
        "write e.g. `gracePeriodSeconds: 300`",
      );
    }
  }
}

function checkReadyOn(value: unknown, defaultPort: unknown): void {
  if (!Array.isArray(value)) wrongType("readyOn", "an array", value);
  value.forEach((item: unknown, i: number) => {
    const path = `readyOn[${i}]`;
    const probe = checkObject(item, path);
    checkKeys(probe, RULES.readyProbeKeys, "a `readyOn` probe", path);
    const p = probe["path"];
    if (p === undefined) {
      fail(RULE_CODES.missingReadyPath, `${path}.path`, `\`${path}\` has no \`path\`.`, 'write e.g. `{ path: "/ready" }`');
    }
    if (typeof p !== "string") wrongType(`${path}.path`, "a string", p);
    if (p.trim() === "") {
      fail(RULE_CODES.emptyValue, `${path}.path`, `\`${path}.path\` is empty.`, 'write the path to probe, e.g. `{ path: "/ready" }`');
    }
    if (p !== p.trim()) {
      fail(
        RULE_CODES.paddedValue,
        `${path}.path`,
        `\`${path}.path\` has leading or trailing whitespace: ${JSON.stringify(p)}.`,
        `write ${JSON.stringify(p.trim())}`,
      );
    }
    if (probe["port"] !== undefined) {
      checkPort(probe["port"], `${path}.port`);
    } else if (defaultPort === undefined) {
      fail(
        RULE_CODES.readyPortMissing,
        `${path}.port`,
        `\`${path}\` has no \`port\` and the container has no \`defaultPort\`, so the probe has no port to poll.`,
        "set `port` on the probe, or set `defaultPort`",
      );
    }
    const status = probe["status"];
    if (status !== undefined) {
      if (typeof status !== "number") wrongType(`${path}.status`, "a number", status);
      const { min, max } = RULES.readyStatus;
      if (!Number.isInteger(status) || status < min || status > max) {
        fail(
          RULE_CODES.invalidReadyStatus,
          `${path}.status`,
          `\`${path}.status\` must be an HTTP status code in ${min}–${max}, not ${String(status)}.`,
          "write e.g. `status: 204`",
        );
      }
    }
  });
}

function checkHosts(value: unknown, field: string): void {
  checkStringList(value, field).forEach((host, i) => {
    if (host.trim() === "" || host.includes("://") || host.includes("/") || /\s/.test(host)) {
      fail(
        RULE_CODES.invalidHost,
        `${field}[${i}]`,
        `\`${field}[${i}]\` is not a host name or glob: ${JSON.stringify(host)}.`,
        'write a host such as "api.github.com" or a glob such as "*.stripe.com" (no scheme, path or whitespace)',
      );
    }
  });
}

/** A non-blank string field (`pingEndpoint`, `name`). */
function checkNonBlankString(value: unknown, field: string, example: string): void {
  if (typeof value !== "string") wrongType(field, "a string", value, `write ${example}`);
  if (value.trim() === "") fail(RULE_CODES.emptyValue, field, `\`${field}\` is empty.`, `write ${example}, or remove the field`);
}

/**
 * Checks a `defineContainer` config against every rule and throws the first violation as a
 * `ContainerConfigError`. Values are not changed.
 */
export function validateContainerConfig(config: unknown): void {
  if (!isObject(config)) {
    wrongType("defineContainer", "an object", config, 'pass an object literal: `defineContainer({ image: "./containers/<name>", … })`');
  }
  const c = config;
  checkKeys(c, RULES.configKeys, "`defineContainer`", "");
  checkImage(c["image"]);

  if (c["defaultPort"] !== undefined) checkPort(c["defaultPort"], "defaultPort");
  if (c["requiredPorts"] !== undefined) {
    const ports = c["requiredPorts"];
    if (!Array.isArray(ports)) wrongType("requiredPorts", "an array", ports);
    if (ports.length === 0) {
      fail(
        RULE_CODES.emptyRequiredPorts,
        "requiredPorts",
        "`requiredPorts` is empty.",
        "list at least one port, e.g. `requiredPorts: [8080]`, or remove the field",
      );
    }
    ports.forEach((p: unknown, i: number) => checkPort(p, `requiredPorts[${i}]`));
  }
  if (c["instanceType"] !== undefined) checkInstanceType(c["instanceType"]);
  if (c["maxInstances"] !== undefined) {
    const n = c["maxInstances"];
    if (typeof n !== "number") wrongType("maxInstances", "a number", n, "write e.g. `maxInstances: 5`");
    if (!Number.isInteger(n) || n < RULES.maxInstancesMin) {
      fail(RULE_CODES.invalidMaxInstances, "maxInstances", `\`maxInstances\` must be a whole number ≥ 1, not ${String(n)}.`, "write e.g. `maxInstances: 5`");
    }
  }
  if (c["sleepAfter"] !== undefined) parseDuration(c["sleepAfter"], "sleepAfter");
  if (c["hardTimeout"] !== undefined) parseDuration(c["hardTimeout"], "hardTimeout");
  if (c["readyOn"] !== undefined) checkReadyOn(c["readyOn"], c["defaultPort"]);
  if (c["pingEndpoint"] !== undefined) checkNonBlankString(c["pingEndpoint"], "pingEndpoint", '`pingEndpoint: "/healthz"`');

  if (c["env"] !== undefined) checkStringMap(c["env"], "env", true);
  const envKeys = c["env"] !== undefined ? Object.keys(c["env"] as Obj) : [];
  const secrets = c["secrets"] !== undefined ? checkStringList(c["secrets"], "secrets") : [];
  secrets.forEach((name, i) => checkEnvName(name, `secrets[${i}]`, "secrets", "secret"));
  for (const [i, name] of secrets.entries()) {
    if (envKeys.includes(name)) {
      fail(
        RULE_CODES.envSecretCollision,
        `secrets[${i}]`,
        `\`${name}\` is both in \`env\` and in \`secrets\`.`,
        `keep \`${name}\` in one place: \`secrets\` for sensitive values, \`env\` for plain ones`,
      );
    }
  }
  if (c["secretsStore"] !== undefined) {
    const store = checkObject(c["secretsStore"], "secretsStore");
    for (const [name, binding] of Object.entries(store)) {
      const path = `secretsStore.${name}`;
      checkEnvName(name, path, "secretsStore", "variable");
      const other = envKeys.includes(name) ? "`env`" : secrets.includes(name) ? "`secrets`" : undefined;
      if (other !== undefined) {
        fail(
          RULE_CODES.secretsStoreCollision,
          path,
          `\`${name}\` is set by \`secretsStore\` and by ${other}.`,
          `give the variable one source; rename it in \`secretsStore\` or remove it from ${other}`,
        );
      }
      if (binding === undefined) continue;
      if (typeof binding !== "string") wrongType(path, "a string", binding);
      if (!ENV_NAME_RE.test(binding)) {
        fail(
          RULE_CODES.invalidBindingName,
          path,
          `\`${path}\` is not a valid binding name: ${JSON.stringify(binding)}.`,
          'name the Secrets Store binding with letters, digits and `_`, e.g. "STRIPE_SECRET"',
        );
      }
    }
  }
  if (c["buildArgs"] !== undefined) checkStringMap(c["buildArgs"], "buildArgs", true);
  if (c["entrypoint"] !== undefined) {
    const entrypoint = c["entrypoint"];
    if (Array.isArray(entrypoint) && entrypoint.length === 0) {
      fail(
        RULE_CODES.emptyEntrypoint,
        "entrypoint",
        "`entrypoint` is empty.",
        'write the command, e.g. `entrypoint: ["node", "server.mjs"]`, or remove the field',
      );
    }
    checkStringList(entrypoint, "entrypoint").forEach((part, i) => {
      if (part.trim() === "") {
        fail(
          RULE_CODES.emptyValue,
          `entrypoint[${i}]`,
          `\`entrypoint[${i}]\` is ${part === "" ? "empty" : "blank"}.`,
          'remove it, or write the argument, e.g. `entrypoint: ["node", "server.mjs"]`',
        );
      }
    });
  }
  if (c["enableInternet"] !== undefined) checkBoolean(c["enableInternet"], "enableInternet");
  if (c["allowedHosts"] !== undefined) checkHosts(c["allowedHosts"], "allowedHosts");
  if (c["deniedHosts"] !== undefined) checkHosts(c["deniedHosts"], "deniedHosts");
  if (c["interceptHttps"] !== undefined) checkBoolean(c["interceptHttps"], "interceptHttps");
  if (c["labels"] !== undefined) checkStringMap(c["labels"], "labels", false);
  if (c["name"] !== undefined) checkNonBlankString(c["name"], "name", '`name: "transcoder"`');
  if (c["rollout"] !== undefined) checkRollout(c["rollout"]);
  if (c["className"] !== undefined) checkClassName(c["className"]);
}

/** Names a generated class cannot take: the generated module's own bindings and reserved words. */
const RESERVED_CLASS_NAMES = [
  "ContainerProxy", "LunoraContainerBase", "definitions",
  "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum",
  "export", "extends", "false", "finally", "for", "function", "if", "implements", "import", "in", "instanceof",
  "interface", "let", "new", "null", "package", "private", "protected", "public", "return", "static", "super", "switch",
  "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield",
];

/**
 * `className` keeps a Durable Object class's name (one wired by hand before `lunora adopt`): it
 * must be an identifier the generated module can declare and the worker can export.
 */
function checkClassName(value: unknown): void {
  if (typeof value !== "string") wrongType("className", "a string", value, 'write e.g. `className: "Sandbox"`');
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(value) || RESERVED_CLASS_NAMES.includes(value)) {
    fail(
      RULE_CODES.invalidClassName,
      "className",
      `\`className\` ${JSON.stringify(value)} is not a class name the generated module can declare.`,
      'write an identifier such as `className: "Sandbox"` (not ContainerProxy, LunoraContainerBase, definitions or a reserved word), or remove the field',
    );
  }
}

/**
 * The warnings for a config that `validateContainerConfig` accepts: values that are allowed but
 * probably not meant. `lunora codegen` reports the same ones (same codes) at authoring time;
 * `defineContainer` does not print them.
 */
export function containerConfigWarnings(config: unknown): ContainerConfigWarning[] {
  if (!isObject(config)) return [];
  const warnings: ContainerConfigWarning[] = [];
  const defaultPort = typeof config["defaultPort"] === "number" ? config["defaultPort"] : undefined;
  const required = Array.isArray(config["requiredPorts"]) ? (config["requiredPorts"] as unknown[]) : undefined;
  if (defaultPort !== undefined && required !== undefined && !required.includes(defaultPort)) {
    warnings.push({
      code: WARNING_CODES.defaultPortNotRequired,
      path: "defaultPort",
      message: `\`defaultPort\` ${defaultPort} is not in \`requiredPorts\`.`,
      help: `add ${defaultPort} to \`requiredPorts\`, or make \`defaultPort\` one of them`,
    });
  }
  const readyOn = Array.isArray(config["readyOn"]) ? (config["readyOn"] as unknown[]) : [];
  readyOn.forEach((probe, i) => {
    if (!isObject(probe) || typeof probe["port"] !== "number") return;
    const port = probe["port"];
    if (port === defaultPort || (required ?? []).includes(port)) return;
    const declared = [...new Set([...(defaultPort === undefined ? [] : [defaultPort]), ...(required ?? [])])];
    warnings.push({
      code: WARNING_CODES.readyPortUndeclared,
      path: `readyOn[${i}].port`,
      message: `\`readyOn[${i}]\` probes port ${port}, which is neither \`defaultPort\` nor in \`requiredPorts\`; start-up does not wait for it.`,
      help:
        declared.length === 0
          ? `add \`requiredPorts: [${port}]\` (or \`defaultPort: ${port}\`)`
          : `add ${port} to \`requiredPorts\` (\`requiredPorts: [${[...declared, port].join(", ")}]\`), or probe one of ${declared.join(", ")}`,
    });
  });
  const secrets = Array.isArray(config["secrets"]) ? (config["secrets"] as unknown[]) : [];
  secrets.forEach((name, i) => {
    if (typeof name === "string" && secrets.indexOf(name) < i) {
      warnings.push({
        code: WARNING_CODES.duplicateSecret,
        path: `secrets[${i}]`,
        message: `secret \`${name}\` is listed twice.`,
        help: "remove the duplicate",
      });
    }
  });
  return warnings;
}
