/**
 * The validation rules `defineContainer` applies, in one table.
 *
 * The Rust parser (`lunora codegen`) enforces the same rules on static values and reports them
 * with the same stable codes; `rules.json` at the package root is this table's data, so the two
 * sides can be checked against each other. A rule violation is a `ContainerConfigError` whose
 * `code` never changes once published.
 */

/** Stable diagnostic codes, shared with the Rust parser. */
export const RULE_CODES = {
  invalidPort: "containers/invalid-port",
  invalidDuration: "containers/invalid-duration",
  unknownInstanceType: "containers/unknown-instance-type",
  customInstanceLimits: "containers/custom-instance-limits",
  invalidMaxInstances: "containers/invalid-max-instances",
  invalidRolloutStep: "containers/invalid-rollout-step",
  invalidGracePeriod: "containers/invalid-grace-period",
  registryMissingTag: "containers/registry-missing-tag",
  invalidReadyStatus: "containers/invalid-ready-status",
  invalidEnvName: "containers/invalid-env-name",
  envSecretCollision: "containers/env-secret-collision",
  secretsStoreCollision: "containers/secrets-store-collision",
  emptyEntrypoint: "containers/empty-entrypoint",
  emptyRequiredPorts: "containers/empty-required-ports",
  registryStringImage: "containers/registry-string-image",
  unknownKey: "containers/unknown-key",
  missingImage: "containers/missing-image",
  /** A field holds a value of the wrong shape (a number where a string list belongs, …). */
  invalidValue: "containers/wrong-type",
} as const;

export type RuleCode = (typeof RULE_CODES)[keyof typeof RULE_CODES];

/** The rule table's data. `rules.json` is generated from exactly this object. */
export const RULES = {
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
  ],
  imageKeys: ["registry", "build"],
  rolloutKeys: ["stepPercentage", "gracePeriodSeconds"],
  readyProbeKeys: ["path", "port", "status"],
  customInstanceTypeKeys: ["vcpu", "memoryMib", "diskMb"],
  port: { min: 1, max: 65535 },
  durationPattern: "^\\d+[smh]$",
  durationUnitsSeconds: { s: 1, m: 60, h: 3600 },
  instanceTypes: ["lite", "basic", "standard-1", "standard-2", "standard-3", "standard-4"],
  customInstanceLimits: {
    maxVcpu: 4,
    maxMemoryMib: 12288,
    maxDiskMb: 20000,
    minMemoryMibPerVcpu: 3072,
    maxDiskMbPerMemoryGib: 2000,
  },
  maxInstancesMin: 1,
  rolloutStepPercentages: [5, 10, 20, 25, 50, 100],
  rolloutStepList: { min: 10, max: 100, last: 100 },
  gracePeriodSecondsMin: 0,
  readyStatus: { min: 100, max: 599 },
  envNamePattern: "^[A-Za-z_][A-Za-z0-9_]*$",
  codes: Object.values(RULE_CODES),
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

const DURATION_RE = new RegExp(RULES.durationPattern);
const ENV_NAME_RE = new RegExp(RULES.envNamePattern);

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(code: RuleCode, path: string, message: string, help?: string): never {
  throw new ContainerConfigError(code, path, message, help);
}

/** Levenshtein distance, for "did you mean". */
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

/** The closest known key within a small edit distance, if any. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const threshold = Math.max(2, Math.floor(key.length / 3));
  return bestDistance <= threshold ? best : undefined;
}

function checkKeys(value: Obj, known: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = suggestKey(key, known);
    const where = path ? `${path}.${key}` : key;
    fail(
      RULE_CODES.unknownKey,
      where,
      `Unknown key \`${where}\` in defineContainer.`,
      suggestion ? `did you mean \`${suggestion}\`?` : `known keys: ${known.join(", ")}`,
    );
  }
}

/** Ports are integers in 1–65535. */
export function checkPort(value: unknown, path: string): number {
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < RULES.port.min ||
    value > RULES.port.max
  ) {
    fail(
      RULE_CODES.invalidPort,
      path,
      `\`${path}\` must be an integer port in 1–65535, got ${JSON.stringify(value)}.`,
      `write a port such as \`${path.replace(/\[\d+\]$/, "")}: 8080\``,
    );
  }
  return value;
}

/** `"30s"`, `"5m"`, `"1h"` or a positive integer number of seconds; returns seconds. */
export function parseDuration(value: unknown, path: string): number {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value > 0) return value;
  } else if (typeof value === "string" && DURATION_RE.test(value)) {
    const unit = value.slice(-1) as keyof typeof RULES.durationUnitsSeconds;
    const seconds = Number(value.slice(0, -1)) * RULES.durationUnitsSeconds[unit];
    if (seconds > 0) return seconds;
  }
  return fail(
    RULE_CODES.invalidDuration,
    path,
    `\`${path}\` is not a duration: ${JSON.stringify(value)}.`,
    `write a number with a unit, like \`${path}: "5m"\` ("30s", "5m", "1h"), or a positive number of seconds`,
  );
}

function checkStringList(value: unknown, path: string): readonly string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    fail(RULE_CODES.invalidValue, path, `\`${path}\` must be an array of strings.`);
  }
  return value as string[];
}

function checkStringRecord(value: unknown, path: string): Readonly<Record<string, string>> {
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === "string")) {
    fail(RULE_CODES.invalidValue, path, `\`${path}\` must be an object of string values.`);
  }
  return value as Record<string, string>;
}

function checkBoolean(value: unknown, path: string): void {
  if (typeof value !== "boolean") {
    fail(RULE_CODES.invalidValue, path, `\`${path}\` must be \`true\` or \`false\`.`);
  }
}

function checkEnvName(name: string, path: string): void {
  if (!ENV_NAME_RE.test(name)) {
    fail(
      RULE_CODES.invalidEnvName,
      path,
      `\`${name}\` is not a valid environment variable name.`,
      "use letters, digits and `_`, not starting with a digit (e.g. `API_KEY`)",
    );
  }
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

/** A registry reference carries a `:tag` (after the last `/`) or an `@digest`. */
export function hasTagOrDigest(reference: string): boolean {
  if (reference.includes("@")) return /@[A-Za-z0-9]+:[A-Fa-f0-9]+$/.test(reference);
  const last = reference.slice(reference.lastIndexOf("/") + 1);
  return /:[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(last);
}

function checkImage(value: unknown): void {
  if (value === undefined || value === null || value === "") {
    fail(
      RULE_CODES.missingImage,
      "image",
      "defineContainer needs an `image`.",
      'write `image: "./containers/<name>"` (a directory with a Dockerfile), `{ registry: "docker.io/acme/app:1.0" }` or `{ build: "./services/<name>" }`',
    );
  }
  if (typeof value === "string") {
    if (looksLikeRegistryReference(value)) {
      fail(
        RULE_CODES.registryStringImage,
        "image",
        `\`image: ${JSON.stringify(value)}\` looks like a registry reference, but a string image is a local path.`,
        `write \`image: { registry: ${JSON.stringify(value)} }\``,
      );
    }
    return;
  }
  if (!isObject(value)) {
    fail(RULE_CODES.invalidValue, "image", "`image` must be a path string, `{ registry }` or `{ build }`.");
  }
  checkKeys(value, RULES.imageKeys, "image");
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    fail(
      RULE_CODES.invalidValue,
      "image",
      "`image` must have exactly one of `registry` or `build`.",
    );
  }
  if ("registry" in value) {
    const reference = value["registry"];
    if (typeof reference !== "string" || reference === "") {
      fail(RULE_CODES.missingImage, "image.registry", "`image.registry` must be a non-empty image reference.");
    }
    if (!hasTagOrDigest(reference)) {
      fail(
        RULE_CODES.registryMissingTag,
        "image.registry",
        `Registry image \`${reference}\` has no tag or digest.`,
        `pin it, e.g. \`${reference}:1.0\` or \`${reference}@sha256:…\``,
      );
    }
  } else {
    const dir = value["build"];
    if (typeof dir !== "string" || dir === "") {
      fail(RULE_CODES.missingImage, "image.build", "`image.build` must be a non-empty source directory.");
    }
  }
}

function checkInstanceType(value: unknown): void {
  if (typeof value === "string") {
    if (!(RULES.instanceTypes as readonly string[]).includes(value)) {
      const suggestion = suggestKey(value, RULES.instanceTypes);
      fail(
        RULE_CODES.unknownInstanceType,
        "instanceType",
        `Unknown instance type ${JSON.stringify(value)}.`,
        `use one of ${RULES.instanceTypes.join(", ")}${suggestion ? ` (did you mean \`${suggestion}\`?)` : ""}, or a custom { vcpu, memoryMib, diskMb }`,
      );
    }
    return;
  }
  if (!isObject(value)) {
    fail(
      RULE_CODES.unknownInstanceType,
      "instanceType",
      "`instanceType` must be a named type or `{ vcpu, memoryMib, diskMb }`.",
    );
  }
  checkKeys(value, RULES.customInstanceTypeKeys, "instanceType");
  const { vcpu, memoryMib, diskMb } = value;
  const limits = RULES.customInstanceLimits;
  const bad = (message: string): never =>
    fail(RULE_CODES.customInstanceLimits, "instanceType", message,
      `stay within vcpu ≤ ${limits.maxVcpu}, memoryMib ≤ ${limits.maxMemoryMib}, diskMb ≤ ${limits.maxDiskMb}, ≥ ${limits.minMemoryMibPerVcpu} MiB per vCPU, ≤ 2 GB disk per GiB of memory`);
  if (typeof vcpu !== "number" || !(vcpu > 0)) bad("`instanceType.vcpu` must be a positive number.");
  if (typeof memoryMib !== "number" || !Number.isInteger(memoryMib) || memoryMib <= 0) {
    bad("`instanceType.memoryMib` must be a positive integer.");
  }
  if (typeof diskMb !== "number" || !Number.isInteger(diskMb) || diskMb <= 0) {
    bad("`instanceType.diskMb` must be a positive integer.");
  }
  const v = vcpu as number;
  const m = memoryMib as number;
  const d = diskMb as number;
  if (v > limits.maxVcpu) bad(`Custom instance asks for ${v} vCPU; the limit is ${limits.maxVcpu}.`);
  if (m > limits.maxMemoryMib) bad(`Custom instance asks for ${m} MiB of memory; the limit is ${limits.maxMemoryMib}.`);
  if (d > limits.maxDiskMb) bad(`Custom instance asks for ${d} MB of disk; the limit is ${limits.maxDiskMb}.`);
  if (m < v * limits.minMemoryMibPerVcpu) {
    bad(`Custom instance has ${m} MiB for ${v} vCPU; at least ${limits.minMemoryMibPerVcpu} MiB per vCPU is required.`);
  }
  if (d > (m / 1024) * limits.maxDiskMbPerMemoryGib) {
    bad(`Custom instance has ${d} MB of disk for ${m} MiB of memory; at most 2 GB of disk per GiB of memory is allowed.`);
  }
}

function checkRollout(value: unknown): void {
  if (!isObject(value)) fail(RULE_CODES.invalidValue, "rollout", "`rollout` must be an object.");
  checkKeys(value, RULES.rolloutKeys, "rollout");
  const step = value["stepPercentage"];
  if (step !== undefined) {
    const allowed = RULES.rolloutStepPercentages as readonly number[];
    const { min, max, last } = RULES.rolloutStepList;
    const ok = Array.isArray(step)
      ? step.length > 0 &&
        step.every((s, i) => typeof s === "number" && Number.isInteger(s) && s >= min && s <= max && (i === 0 || s > (step[i - 1] as number))) &&
        step[step.length - 1] === last
      : typeof step === "number" && allowed.includes(step);
    if (!ok) {
      fail(
        RULE_CODES.invalidRolloutStep,
        "rollout.stepPercentage",
        `\`rollout.stepPercentage\` ${JSON.stringify(step)} is not accepted.`,
        `use one of ${allowed.join(", ")}, or an ascending list of ${min}..${max} ending in ${last}`,
      );
    }
  }
  const grace = value["gracePeriodSeconds"];
  if (grace !== undefined && (typeof grace !== "number" || !Number.isInteger(grace) || grace < RULES.gracePeriodSecondsMin)) {
    fail(
      RULE_CODES.invalidGracePeriod,
      "rollout.gracePeriodSeconds",
      `\`rollout.gracePeriodSeconds\` must be an integer ≥ 0, got ${JSON.stringify(grace)}.`,
    );
  }
}

function checkReadyOn(value: unknown): void {
  if (!Array.isArray(value)) fail(RULE_CODES.invalidValue, "readyOn", "`readyOn` must be an array of probes.");
  value.forEach((probe, i) => {
    const path = `readyOn[${i}]`;
    if (!isObject(probe)) fail(RULE_CODES.invalidValue, path, `\`${path}\` must be \`{ path, port?, status? }\`.`);
    checkKeys(probe, RULES.readyProbeKeys, path);
    if (typeof probe["path"] !== "string") {
      fail(RULE_CODES.invalidValue, `${path}.path`, `\`${path}.path\` must be a string such as "/ready".`);
    }
    if (probe["port"] !== undefined) checkPort(probe["port"], `${path}.port`);
    const status = probe["status"];
    if (status !== undefined) {
      const { min, max } = RULES.readyStatus;
      if (typeof status !== "number" || !Number.isInteger(status) || status < min || status > max) {
        fail(
          RULE_CODES.invalidReadyStatus,
          `${path}.status`,
          `\`${path}.status\` must be an HTTP status in ${min}–${max}, got ${JSON.stringify(status)}.`,
        );
      }
    }
  });
}

/**
 * Checks a `defineContainer` config against every rule and throws the first violation as a
 * `ContainerConfigError`. Values are not changed.
 */
export function validateContainerConfig(config: unknown): void {
  if (!isObject(config)) {
    fail(RULE_CODES.missingImage, "", "defineContainer expects an object with at least an `image`.");
  }
  checkKeys(config, RULES.configKeys, "");
  checkImage(config["image"]);

  const c = config;
  if (c["defaultPort"] !== undefined) checkPort(c["defaultPort"], "defaultPort");
  if (c["requiredPorts"] !== undefined) {
    if (!Array.isArray(c["requiredPorts"])) {
      fail(RULE_CODES.invalidValue, "requiredPorts", "`requiredPorts` must be an array of ports.");
    }
    if (c["requiredPorts"].length === 0) {
      fail(RULE_CODES.emptyRequiredPorts, "requiredPorts", "`requiredPorts` is empty.", "list at least one port, or remove `requiredPorts`");
    }
    c["requiredPorts"].forEach((p: unknown, i: number) => checkPort(p, `requiredPorts[${i}]`));
  }
  if (c["instanceType"] !== undefined) checkInstanceType(c["instanceType"]);
  if (c["maxInstances"] !== undefined) {
    const n = c["maxInstances"];
    if (typeof n !== "number" || !Number.isInteger(n) || n < RULES.maxInstancesMin) {
      fail(RULE_CODES.invalidMaxInstances, "maxInstances", `\`maxInstances\` must be an integer ≥ 1, got ${JSON.stringify(n)}.`);
    }
  }
  if (c["sleepAfter"] !== undefined) parseDuration(c["sleepAfter"], "sleepAfter");
  if (c["hardTimeout"] !== undefined) parseDuration(c["hardTimeout"], "hardTimeout");
  if (c["readyOn"] !== undefined) checkReadyOn(c["readyOn"]);
  if (c["pingEndpoint"] !== undefined && typeof c["pingEndpoint"] !== "string") {
    fail(RULE_CODES.invalidValue, "pingEndpoint", "`pingEndpoint` must be a string path.");
  }

  const env = c["env"] !== undefined ? checkStringRecord(c["env"], "env") : {};
  for (const name of Object.keys(env)) checkEnvName(name, `env.${name}`);
  const secrets = c["secrets"] !== undefined ? checkStringList(c["secrets"], "secrets") : [];
  secrets.forEach((name, i) => checkEnvName(name, `secrets[${i}]`));
  for (const name of secrets) {
    if (Object.hasOwn(env, name)) {
      fail(
        RULE_CODES.envSecretCollision,
        "secrets",
        `\`${name}\` is declared in both \`env\` and \`secrets\`.`,
        "keep it in `secrets` if it is sensitive, otherwise in `env` — not both",
      );
    }
  }
  if (c["secretsStore"] !== undefined) {
    const store = checkStringRecord(c["secretsStore"], "secretsStore");
    for (const [name, binding] of Object.entries(store)) {
      checkEnvName(name, `secretsStore.${name}`);
      if (binding === "") fail(RULE_CODES.invalidValue, `secretsStore.${name}`, `\`secretsStore.${name}\` must name a Secrets Store binding.`);
      if (Object.hasOwn(env, name) || secrets.includes(name)) {
        fail(
          RULE_CODES.secretsStoreCollision,
          `secretsStore.${name}`,
          `\`${name}\` in \`secretsStore\` collides with a name in \`${Object.hasOwn(env, name) ? "env" : "secrets"}\`.`,
          "each container env var must come from exactly one of env, secrets and secretsStore",
        );
      }
    }
  }
  if (c["buildArgs"] !== undefined) checkStringRecord(c["buildArgs"], "buildArgs");
  if (c["entrypoint"] !== undefined) {
    const entrypoint = checkStringList(c["entrypoint"], "entrypoint");
    if (entrypoint.length === 0) {
      fail(RULE_CODES.emptyEntrypoint, "entrypoint", "`entrypoint` is empty.", 'write the command, e.g. `entrypoint: ["node", "server.mjs"]`, or remove it');
    }
  }
  if (c["enableInternet"] !== undefined) checkBoolean(c["enableInternet"], "enableInternet");
  if (c["interceptHttps"] !== undefined) checkBoolean(c["interceptHttps"], "interceptHttps");
  if (c["allowedHosts"] !== undefined) checkStringList(c["allowedHosts"], "allowedHosts");
  if (c["deniedHosts"] !== undefined) checkStringList(c["deniedHosts"], "deniedHosts");
  if (c["labels"] !== undefined) checkStringRecord(c["labels"], "labels");
  if (c["name"] !== undefined && (typeof c["name"] !== "string" || c["name"] === "")) {
    fail(RULE_CODES.invalidValue, "name", "`name` must be a non-empty string.");
  }
  if (c["rollout"] !== undefined) checkRollout(c["rollout"]);
}
