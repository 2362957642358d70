var __defProp = Object.defineProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });

// dist/rules.js
var RULE_CODES = {
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
  nonStringValue: "containers/non-string-value",
  envSecretCollision: "containers/env-secret-collision",
  secretsStoreCollision: "containers/secrets-store-collision",
  emptyEntrypoint: "containers/empty-entrypoint",
  invalidHost: "containers/invalid-host",
  emptyValue: "containers/empty-value",
  paddedValue: "containers/padded-value",
  invalidRolloutStep: "containers/invalid-rollout-step",
  invalidGracePeriod: "containers/invalid-grace-period"
};
var WARNING_CODES = {
  defaultPortNotRequired: "containers/default-port-not-required",
  readyPortUndeclared: "containers/ready-port-undeclared",
  duplicateSecret: "containers/duplicate-secret"
};
var RULES = {
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
    "rollout"
  ],
  /** Fields written into wrangler.jsonc; the parser requires them to be static. */
  deployKeys: ["image", "instanceType", "maxInstances", "name", "buildArgs", "rollout"],
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
    lite: { vcpu: 0.0625, memoryMib: 256, diskMb: 2e3 },
    basic: { vcpu: 0.25, memoryMib: 1024, diskMb: 4e3 },
    "standard-1": { vcpu: 0.5, memoryMib: 4096, diskMb: 8e3 },
    "standard-2": { vcpu: 1, memoryMib: 6144, diskMb: 12e3 },
    "standard-3": { vcpu: 2, memoryMib: 8192, diskMb: 16e3 },
    "standard-4": { vcpu: 4, memoryMib: 12288, diskMb: 2e4 }
  },
  /** Names wrangler 4.86 still reads but has renamed (it warns; they are to be removed). */
  deprecatedInstanceTypes: { dev: "lite", standard: "standard-1" },
  customInstanceLimits: {
    maxVcpu: 4,
    maxMemoryMib: 12288,
    maxDiskMb: 2e4,
    minMemoryMibPerVcpu: 3072,
    maxDiskMbPerMemoryGib: 2e3
  },
  /**
   * What wrangler 4.86 uses for a field a custom `instance_type` leaves out
   * (`getNormalizedContainerOptions`: `vcpu ?? 0.0625`, `memory_mib ?? 256`, `disk_mb ?? 2e3`).
   */
  customInstanceDefaults: { vcpu: 0.0625, memoryMib: 256, diskMb: 2e3 },
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
    ecrExample: "<account-id>.dkr.ecr.<region>.amazonaws.com"
  },
  codes: Object.values(RULE_CODES),
  warningCodes: Object.values(WARNING_CODES)
};
var ContainerConfigError = class extends Error {
  static {
    __name(this, "ContainerConfigError");
  }
  code;
  /** Dotted path of the offending field, e.g. `readyOn[1].status`. */
  path;
  /** What to write instead, when there is a clear answer. */
  help;
  constructor(code, path, message, help) {
    super(help ? `${message}
help: ${help}` : message);
    this.name = "ContainerConfigError";
    this.code = code;
    this.path = path;
    this.help = help;
  }
};
var DURATION_RE = new RegExp(RULES.durationPattern);
var ENV_NAME_RE = new RegExp(RULES.envNamePattern);
var ECR_RE = new RegExp(RULES.registries.ecrPattern);
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
__name(isObject, "isObject");
function typeName(value) {
  if (value === null)
    return "null";
  if (Array.isArray(value))
    return "an array";
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
__name(typeName, "typeName");
function fail(code, path, message, help) {
  throw new ContainerConfigError(code, path, message, help);
}
__name(fail, "fail");
function wrongType(path, expected, value, help) {
  return fail(RULE_CODES.invalidValue, path, `\`${path}\` must be ${expected}, not ${typeName(value)}.`, help);
}
__name(wrongType, "wrongType");
function editDistance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + cost);
      prev = cur;
    }
  }
  return row[b.length];
}
__name(editDistance, "editDistance");
function suggestKey(key, known) {
  const limit = Math.max(1, Math.floor([...key].length / 3));
  let best;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : void 0;
}
__name(suggestKey, "suggestKey");
function checkKeys(value, known, where, path) {
  for (const key of Object.keys(value)) {
    if (known.includes(key))
      continue;
    const suggestion = suggestKey(key, known);
    fail(RULE_CODES.unknownKey, path ? `${path}.${key}` : key, `Unknown key \`${key}\` in ${where}.`, suggestion ? `did you mean \`${suggestion}\`?` : `${where} accepts: ${known.map((k) => `\`${k}\``).join(", ")}`);
  }
}
__name(checkKeys, "checkKeys");
function checkPort(value, path) {
  if (typeof value !== "number")
    wrongType(path, "a number", value, "write a port such as `8080`");
  if (!Number.isInteger(value) || value < RULES.port.min || value > RULES.port.max) {
    fail(RULE_CODES.invalidPort, path, `\`${path}\` must be an integer port in 1\u201365535, not ${String(value)}.`, "write a port such as `8080`");
  }
  return value;
}
__name(checkPort, "checkPort");
function parseDuration(value, path) {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value > 0)
      return value;
  } else if (typeof value === "string") {
    if (DURATION_RE.test(value)) {
      const unit = value.slice(-1);
      const seconds = Number(value.slice(0, -1)) * RULES.durationUnitsSeconds[unit];
      if (seconds > 0)
        return seconds;
    }
  } else {
    wrongType(path, "a duration string or a number of seconds", value, `write \`${path}: "5m"\``);
  }
  return fail(RULE_CODES.invalidDuration, path, `\`${path}\` is not a valid duration: ${JSON.stringify(value)}.`, `write a number with a unit, like \`${path}: "5m"\` ("30s", "5m", "1h"), or a positive number of seconds`);
}
__name(parseDuration, "parseDuration");
function checkStringList(value, path) {
  if (!Array.isArray(value))
    wrongType(path, "an array", value);
  value.forEach((item, i) => {
    if (typeof item !== "string")
      wrongType(`${path}[${i}]`, "a string", item);
  });
  return value;
}
__name(checkStringList, "checkStringList");
function checkObject(value, path) {
  if (!isObject(value))
    wrongType(path, "an object", value);
  return value;
}
__name(checkObject, "checkObject");
function checkEnvName(name, path, field, what) {
  if (!ENV_NAME_RE.test(name)) {
    fail(RULE_CODES.invalidEnvName, path, `\`${name}\` in \`${field}\` is not a valid ${what} name.`, "use letters, digits and `_`, not starting with a digit (e.g. `API_KEY`)");
  }
}
__name(checkEnvName, "checkEnvName");
function checkStringMap(value, field, names) {
  const map = checkObject(value, field);
  const out = {};
  for (const [key, v] of Object.entries(map)) {
    if (names) {
      checkEnvName(key, `${field}.${key}`, field, "variable");
    } else if (key.trim() === "") {
      fail(RULE_CODES.emptyValue, `${field}.${key}`, `\`${field}\` has an empty key.`, "give the entry a name");
    }
    if (v === void 0)
      continue;
    if (typeof v === "number" || typeof v === "boolean") {
      fail(RULE_CODES.nonStringValue, `${field}.${key}`, `\`${field}.${key}\` must be a string, not ${typeName(v)}.`, `quote it: \`${key}: "${String(v)}"\``);
    }
    if (typeof v !== "string")
      wrongType(`${field}.${key}`, "a string", v);
    out[key] = v;
  }
  return out;
}
__name(checkStringMap, "checkStringMap");
function checkBoolean(value, path) {
  if (typeof value !== "boolean")
    wrongType(path, "`true` or `false`", value);
}
__name(checkBoolean, "checkBoolean");
function describeSize(size) {
  const inverse = 1 / size.vcpu;
  const vcpu = size.vcpu < 1 && Number.isInteger(inverse) ? `1/${inverse}` : String(size.vcpu);
  const memory = size.memoryMib % 1024 === 0 ? `${size.memoryMib / 1024} GiB` : `${size.memoryMib} MiB`;
  const disk = size.diskMb % 1e3 === 0 ? `${size.diskMb / 1e3} GB` : `${size.diskMb} MB`;
  return `${vcpu} vCPU, ${memory} memory, ${disk} disk`;
}
__name(describeSize, "describeSize");
function looksLikeRegistryReference(image) {
  if (/^(\.{1,2}\/|\/|~)/.test(image) || image === "." || image === "..")
    return false;
  if (image.includes("@sha256:"))
    return true;
  const first = image.split("/")[0];
  if (image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) {
    return true;
  }
  return /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*:[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(image);
}
__name(looksLikeRegistryReference, "looksLikeRegistryReference");
function hasTagOrDigest(reference) {
  const at = reference.lastIndexOf("@");
  if (at >= 0)
    return /^[A-Za-z0-9][A-Za-z0-9+._-]*:[A-Fa-f0-9]+$/.test(reference.slice(at + 1));
  const last = reference.slice(reference.lastIndexOf("/") + 1);
  return /^[^:]+:[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(last);
}
__name(hasTagOrDigest, "hasTagOrDigest");
function registryHost(reference) {
  const slash = reference.indexOf("/");
  if (slash < 0)
    return void 0;
  const first = reference.slice(0, slash);
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : void 0;
}
__name(registryHost, "registryHost");
function isSupportedRegistryHost(host) {
  const hostname = host.split(":")[0].toLowerCase();
  return hostname === RULES.registries.cloudflare || hostname === RULES.registries.dockerHub || ECR_RE.test(hostname);
}
__name(isSupportedRegistryHost, "isSupportedRegistryHost");
var SUPPORTED_REGISTRIES = `the Cloudflare Registry (${RULES.registries.cloudflare}), Docker Hub (${RULES.registries.dockerHub}) or Amazon ECR (${RULES.registries.ecrExample})`;
function qualifiedDockerHubReference(reference) {
  return reference.includes("/") ? `docker.io/${reference}` : `docker.io/library/${reference}`;
}
__name(qualifiedDockerHubReference, "qualifiedDockerHubReference");
function checkRegistryReference(reference, path) {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(reference);
  if (scheme) {
    fail(RULE_CODES.invalidImage, path, `\`${path}\` must not include a scheme (\`${scheme[0]}\`).`, `write ${JSON.stringify(reference.slice(scheme[0].length))}`);
  }
  const host = registryHost(reference);
  if (host === void 0) {
    const tagged = hasTagOrDigest(reference) ? reference : `${reference}:<tag>`;
    fail(RULE_CODES.registryMissingHost, path, `Registry image ${JSON.stringify(reference)} names no registry host.`, `write ${JSON.stringify(qualifiedDockerHubReference(tagged))} for Docker Hub, or ${JSON.stringify(`${RULES.registries.cloudflare}/${tagged}`)} for an image pushed with \`wrangler containers push\``);
  }
  if (!isSupportedRegistryHost(host)) {
    const hostname = host.split(":")[0].toLowerCase();
    const dockerHubAlias = hostname === "registry-1.docker.io" || hostname === "index.docker.io";
    fail(RULE_CODES.unsupportedRegistry, path, `Cloudflare does not pull images from ${host}.`, dockerHubAlias ? `write ${JSON.stringify(`${RULES.registries.dockerHub}${reference.slice(host.length)}`)} (Docker Hub is addressed as ${RULES.registries.dockerHub})` : `push the image to ${SUPPORTED_REGISTRIES}, and reference it there`);
  }
  if (!hasTagOrDigest(reference)) {
    const name = reference.split("@")[0];
    fail(RULE_CODES.registryMissingTag, path, `Registry image ${JSON.stringify(reference)} has no tag or digest.`, `pin a version with a tag or a digest, e.g. ${JSON.stringify(`${name}:1.0`)} or ${JSON.stringify(`${name}@sha256:<digest>`)}`);
  }
}
__name(checkRegistryReference, "checkRegistryReference");
function checkImagePath(path, field) {
  if (path.trim() === "") {
    fail(RULE_CODES.emptyImage, field, `\`${field}\` is empty.`, 'write `image: "./containers/<name>"`, `image: { registry: "docker.io/acme/app:1.0" }` or `image: { build: "./services/<name>" }`');
  }
  if (path.includes("\\")) {
    fail(RULE_CODES.invalidImagePath, field, `\`${field}\` uses \`\\\` in a path.`, `use \`/\` as the separator: ${JSON.stringify(path.replaceAll("\\", "/"))}`);
  }
}
__name(checkImagePath, "checkImagePath");
function checkImage(value) {
  if (value === void 0) {
    fail(RULE_CODES.missingImage, "image", "defineContainer needs an `image`.", 'add `image: "./containers/<name>"` (a directory with a Dockerfile), `{ registry: "docker.io/acme/app:1.0" }` or `{ build: "./services/<name>" }`');
  }
  if (typeof value === "string") {
    checkImagePath(value, "image");
    if (looksLikeRegistryReference(value)) {
      const qualified = registryHost(value) === void 0 ? qualifiedDockerHubReference(value) : value;
      fail(RULE_CODES.registryStringImage, "image", `\`image: ${JSON.stringify(value)}\` looks like a registry reference, but a string image is a local path.`, `write \`image: { registry: ${JSON.stringify(qualified)} }\``);
    }
    return;
  }
  if (!isObject(value))
    wrongType("image", "a path string, `{ registry }` or `{ build }`", value);
  checkKeys(value, RULES.imageKeys, "`image`", "image");
  const hasRegistry = Object.hasOwn(value, "registry");
  const hasBuild = Object.hasOwn(value, "build");
  if (hasRegistry && hasBuild) {
    fail(RULE_CODES.invalidImage, "image", "`image` sets both `registry` and `build`.", 'keep one: `{ registry: "\u2026:tag" }` for a pre-built image, `{ build: "./dir" }` for Railpack');
  }
  if (hasRegistry) {
    const reference = value["registry"];
    if (typeof reference !== "string")
      wrongType("image.registry", "a string", reference);
    if (reference.trim() === "") {
      fail(RULE_CODES.emptyImage, "image.registry", "`image.registry` is empty.", 'write `image: { registry: "docker.io/acme/app:1.0" }`');
    }
    checkRegistryReference(reference, "image.registry");
  } else if (hasBuild) {
    const dir = value["build"];
    if (typeof dir !== "string")
      wrongType("image.build", "a string", dir);
    checkImagePath(dir, "image.build");
  } else {
    fail(RULE_CODES.invalidImage, "image", "`image` object needs `registry` or `build`.", 'write `image: { registry: "docker.io/acme/app:1.0" }` or `image: { build: "./services/<name>" }`');
  }
}
__name(checkImage, "checkImage");
function checkInstanceType(value) {
  if (typeof value === "string") {
    if (RULES.instanceTypes.includes(value))
      return;
    const renamed = RULES.deprecatedInstanceTypes[value];
    if (renamed !== void 0) {
      fail(RULE_CODES.deprecatedInstanceType, "instanceType", `Instance type ${JSON.stringify(value)} is deprecated by wrangler (renamed to ${JSON.stringify(renamed)}).`, `write \`instanceType: ${JSON.stringify(renamed)}\` (the same size: ${describeSize(RULES.instanceSizes[renamed])})`);
    }
    const suggestion = suggestKey(value, RULES.instanceTypes);
    fail(RULE_CODES.unknownInstanceType, "instanceType", `Unknown instance type ${JSON.stringify(value)}.`, suggestion ? `did you mean \`${suggestion}\`?` : `use one of ${RULES.instanceTypes.join(", ")}, or a custom \`{ vcpu, memoryMib, diskMb }\``);
  }
  if (!isObject(value))
    wrongType("instanceType", "a named type or `{ vcpu, memoryMib, diskMb }`", value);
  checkKeys(value, RULES.customInstanceTypeKeys, "a custom `instanceType`", "instanceType");
  const limits = RULES.customInstanceLimits;
  const defaults = RULES.customInstanceDefaults;
  const limitsHelp = `stay within vcpu \u2264 ${limits.maxVcpu}, memoryMib \u2264 ${limits.maxMemoryMib}, diskMb \u2264 ${limits.maxDiskMb}, \u2265 ${limits.minMemoryMibPerVcpu} MiB per vCPU, \u2264 2 GB disk per GiB of memory`;
  const field = /* @__PURE__ */ __name((key, max, integer) => {
    const v2 = value[key];
    if (v2 === void 0)
      return void 0;
    const path = `instanceType.${key}`;
    if (typeof v2 !== "number")
      wrongType(path, "a number", v2, `write e.g. \`{ vcpu: 1, memoryMib: 4096, diskMb: 8000 }\``);
    const ok = integer ? Number.isInteger(v2) && v2 > 0 && v2 <= max : v2 > 0 && v2 <= max;
    if (!ok) {
      fail(RULE_CODES.customInstanceLimits, path, integer ? `\`${path}\` must be a positive integer of at most ${max}, not ${String(v2)}.` : `\`${path}\` must be more than 0 and at most ${max}, not ${String(v2)}.`, limitsHelp);
    }
    return v2;
  }, "field");
  const givenVcpu = field("vcpu", limits.maxVcpu, false);
  const givenMemory = field("memoryMib", limits.maxMemoryMib, true);
  const givenDisk = field("diskMb", limits.maxDiskMb, true);
  const v = givenVcpu ?? defaults.vcpu;
  const m = givenMemory ?? defaults.memoryMib;
  const d = givenDisk ?? defaults.diskMb;
  const note = /* @__PURE__ */ __name((given, key) => given === void 0 ? ` (wrangler's default when \`${key}\` is left out)` : "", "note");
  const minMemory = Math.ceil(limits.minMemoryMibPerVcpu * v);
  if (m < minMemory) {
    fail(RULE_CODES.customInstanceLimits, givenMemory === void 0 ? "instanceType" : "instanceType.memoryMib", `${m} MiB of memory${note(givenMemory, "memoryMib")} is too little for ${v} vCPU${note(givenVcpu, "vcpu")} (at least ${limits.minMemoryMibPerVcpu} MiB per vCPU).`, `write \`memoryMib: ${minMemory}\` or more, or lower \`vcpu\``);
  }
  const maxDisk = Math.floor(limits.maxDiskMbPerMemoryGib * m / 1024);
  if (d > maxDisk) {
    fail(RULE_CODES.customInstanceLimits, givenDisk === void 0 ? "instanceType" : "instanceType.diskMb", `${d} MB of disk${note(givenDisk, "diskMb")} is too much for ${m} MiB of memory${note(givenMemory, "memoryMib")} (at most 2 GB of disk per GiB of memory).`, `write \`diskMb: ${maxDisk}\` or less, or raise \`memoryMib\` to ${Math.ceil(d * 1024 / limits.maxDiskMbPerMemoryGib)} or more; the named types (e.g. "lite") are not bound by this ratio`);
  }
}
__name(checkInstanceType, "checkInstanceType");
function checkRollout(value) {
  const rollout = checkObject(value, "rollout");
  checkKeys(rollout, RULES.rolloutKeys, "`rollout`", "rollout");
  const allowed = RULES.rolloutStepPercentages;
  const { min, max, last } = RULES.rolloutStepList;
  const stepHelp = `write one of ${allowed.join(", ")}, or an ascending list of steps between ${min} and ${max} ending in ${last}, e.g. \`[10, 50, 100]\``;
  const step = rollout["stepPercentage"];
  if (step !== void 0) {
    if (Array.isArray(step)) {
      step.forEach((s, i) => {
        const path = `rollout.stepPercentage[${i}]`;
        if (typeof s !== "number")
          wrongType(path, "a number", s);
        const previous = i === 0 ? void 0 : step[i - 1];
        if (!Number.isInteger(s) || s < min || s > max || previous !== void 0 && s <= previous) {
          fail(RULE_CODES.invalidRolloutStep, path, `\`${path}\` is ${String(s)}; steps must be integers from ${min} to ${max}, each larger than the last.`, stepHelp);
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
  if (grace !== void 0) {
    if (typeof grace !== "number")
      wrongType("rollout.gracePeriodSeconds", "a number", grace);
    if (!Number.isInteger(grace) || grace < RULES.gracePeriodSecondsMin) {
      fail(RULE_CODES.invalidGracePeriod, "rollout.gracePeriodSeconds", `\`rollout.gracePeriodSeconds\` must be a whole number of seconds \u2265 0, not ${String(grace)}.`, "write e.g. `gracePeriodSeconds: 300`");
    }
  }
}
__name(checkRollout, "checkRollout");
function checkReadyOn(value, defaultPort) {
  if (!Array.isArray(value))
    wrongType("readyOn", "an array", value);
  value.forEach((item, i) => {
    const path = `readyOn[${i}]`;
    const probe = checkObject(item, path);
    checkKeys(probe, RULES.readyProbeKeys, "a `readyOn` probe", path);
    const p = probe["path"];
    if (p === void 0) {
      fail(RULE_CODES.missingReadyPath, `${path}.path`, `\`${path}\` has no \`path\`.`, 'write e.g. `{ path: "/ready" }`');
    }
    if (typeof p !== "string")
      wrongType(`${path}.path`, "a string", p);
    if (p.trim() === "") {
      fail(RULE_CODES.emptyValue, `${path}.path`, `\`${path}.path\` is empty.`, 'write the path to probe, e.g. `{ path: "/ready" }`');
    }
    if (p !== p.trim()) {
      fail(RULE_CODES.paddedValue, `${path}.path`, `\`${path}.path\` has leading or trailing whitespace: ${JSON.stringify(p)}.`, `write ${JSON.stringify(p.trim())}`);
    }
    if (probe["port"] !== void 0) {
      checkPort(probe["port"], `${path}.port`);
    } else if (defaultPort === void 0) {
      fail(RULE_CODES.readyPortMissing, `${path}.port`, `\`${path}\` has no \`port\` and the container has no \`defaultPort\`, so the probe has no port to poll.`, "set `port` on the probe, or set `defaultPort`");
    }
    const status = probe["status"];
    if (status !== void 0) {
      if (typeof status !== "number")
        wrongType(`${path}.status`, "a number", status);
      const { min, max } = RULES.readyStatus;
      if (!Number.isInteger(status) || status < min || status > max) {
        fail(RULE_CODES.invalidReadyStatus, `${path}.status`, `\`${path}.status\` must be an HTTP status code in ${min}\u2013${max}, not ${String(status)}.`, "write e.g. `status: 204`");
      }
    }
  });
}
__name(checkReadyOn, "checkReadyOn");
function checkHosts(value, field) {
  checkStringList(value, field).forEach((host, i) => {
    if (host.trim() === "" || host.includes("://") || host.includes("/") || /\s/.test(host)) {
      fail(RULE_CODES.invalidHost, `${field}[${i}]`, `\`${field}[${i}]\` is not a host name or glob: ${JSON.stringify(host)}.`, 'write a host such as "api.github.com" or a glob such as "*.stripe.com" (no scheme, path or whitespace)');
    }
  });
}
__name(checkHosts, "checkHosts");
function checkNonBlankString(value, field, example) {
  if (typeof value !== "string")
    wrongType(field, "a string", value, `write ${example}`);
  if (value.trim() === "")
    fail(RULE_CODES.emptyValue, field, `\`${field}\` is empty.`, `write ${example}, or remove the field`);
}
__name(checkNonBlankString, "checkNonBlankString");
function validateContainerConfig(config) {
  if (!isObject(config)) {
    wrongType("defineContainer", "an object", config, 'pass an object literal: `defineContainer({ image: "./containers/<name>", \u2026 })`');
  }
  const c = config;
  checkKeys(c, RULES.configKeys, "`defineContainer`", "");
  checkImage(c["image"]);
  if (c["defaultPort"] !== void 0)
    checkPort(c["defaultPort"], "defaultPort");
  if (c["requiredPorts"] !== void 0) {
    const ports = c["requiredPorts"];
    if (!Array.isArray(ports))
      wrongType("requiredPorts", "an array", ports);
    if (ports.length === 0) {
      fail(RULE_CODES.emptyRequiredPorts, "requiredPorts", "`requiredPorts` is empty.", "list at least one port, e.g. `requiredPorts: [8080]`, or remove the field");
    }
    ports.forEach((p, i) => checkPort(p, `requiredPorts[${i}]`));
  }
  if (c["instanceType"] !== void 0)
    checkInstanceType(c["instanceType"]);
  if (c["maxInstances"] !== void 0) {
    const n = c["maxInstances"];
    if (typeof n !== "number")
      wrongType("maxInstances", "a number", n, "write e.g. `maxInstances: 5`");
    if (!Number.isInteger(n) || n < RULES.maxInstancesMin) {
      fail(RULE_CODES.invalidMaxInstances, "maxInstances", `\`maxInstances\` must be a whole number \u2265 1, not ${String(n)}.`, "write e.g. `maxInstances: 5`");
    }
  }
  if (c["sleepAfter"] !== void 0)
    parseDuration(c["sleepAfter"], "sleepAfter");
  if (c["hardTimeout"] !== void 0)
    parseDuration(c["hardTimeout"], "hardTimeout");
  if (c["readyOn"] !== void 0)
    checkReadyOn(c["readyOn"], c["defaultPort"]);
  if (c["pingEndpoint"] !== void 0)
    checkNonBlankString(c["pingEndpoint"], "pingEndpoint", '`pingEndpoint: "/healthz"`');
  if (c["env"] !== void 0)
    checkStringMap(c["env"], "env", true);
  const envKeys = c["env"] !== void 0 ? Object.keys(c["env"]) : [];
  const secrets = c["secrets"] !== void 0 ? checkStringList(c["secrets"], "secrets") : [];
  secrets.forEach((name, i) => checkEnvName(name, `secrets[${i}]`, "secrets", "secret"));
  for (const [i, name] of secrets.entries()) {
    if (envKeys.includes(name)) {
      fail(RULE_CODES.envSecretCollision, `secrets[${i}]`, `\`${name}\` is both in \`env\` and in \`secrets\`.`, `keep \`${name}\` in one place: \`secrets\` for sensitive values, \`env\` for plain ones`);
    }
  }
  if (c["secretsStore"] !== void 0) {
    const store = checkObject(c["secretsStore"], "secretsStore");
    for (const [name, binding] of Object.entries(store)) {
      const path = `secretsStore.${name}`;
      checkEnvName(name, path, "secretsStore", "variable");
      const other = envKeys.includes(name) ? "`env`" : secrets.includes(name) ? "`secrets`" : void 0;
      if (other !== void 0) {
        fail(RULE_CODES.secretsStoreCollision, path, `\`${name}\` is set by \`secretsStore\` and by ${other}.`, `give the variable one source; rename it in \`secretsStore\` or remove it from ${other}`);
      }
      if (binding === void 0)
        continue;
      if (typeof binding !== "string")
        wrongType(path, "a string", binding);
      if (!ENV_NAME_RE.test(binding)) {
        fail(RULE_CODES.invalidBindingName, path, `\`${path}\` is not a valid binding name: ${JSON.stringify(binding)}.`, 'name the Secrets Store binding with letters, digits and `_`, e.g. "STRIPE_SECRET"');
      }
    }
  }
  if (c["buildArgs"] !== void 0)
    checkStringMap(c["buildArgs"], "buildArgs", true);
  if (c["entrypoint"] !== void 0) {
    const entrypoint = c["entrypoint"];
    if (Array.isArray(entrypoint) && entrypoint.length === 0) {
      fail(RULE_CODES.emptyEntrypoint, "entrypoint", "`entrypoint` is empty.", 'write the command, e.g. `entrypoint: ["node", "server.mjs"]`, or remove the field');
    }
    checkStringList(entrypoint, "entrypoint").forEach((part, i) => {
      if (part.trim() === "") {
        fail(RULE_CODES.emptyValue, `entrypoint[${i}]`, `\`entrypoint[${i}]\` is ${part === "" ? "empty" : "blank"}.`, 'remove it, or write the argument, e.g. `entrypoint: ["node", "server.mjs"]`');
      }
    });
  }
  if (c["enableInternet"] !== void 0)
    checkBoolean(c["enableInternet"], "enableInternet");
  if (c["allowedHosts"] !== void 0)
    checkHosts(c["allowedHosts"], "allowedHosts");
  if (c["deniedHosts"] !== void 0)
    checkHosts(c["deniedHosts"], "deniedHosts");
  if (c["interceptHttps"] !== void 0)
    checkBoolean(c["interceptHttps"], "interceptHttps");
  if (c["labels"] !== void 0)
    checkStringMap(c["labels"], "labels", false);
  if (c["name"] !== void 0)
    checkNonBlankString(c["name"], "name", '`name: "transcoder"`');
  if (c["rollout"] !== void 0)
    checkRollout(c["rollout"]);
}
__name(validateContainerConfig, "validateContainerConfig");

// dist/define.js
function defineContainer(config) {
  validateContainerConfig(config);
  return deepFreeze(config, /* @__PURE__ */ new WeakSet());
}
__name(defineContainer, "defineContainer");
function deepFreeze(value, seen) {
  if (typeof value !== "object" || value === null || seen.has(value))
    return value;
  seen.add(value);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && "value" in descriptor)
      deepFreeze(descriptor.value, seen);
  }
  return value;
}
__name(deepFreeze, "deepFreeze");

// dist/accessor.js
var TARGET_PORT_HEADER = "cf-container-target-port";
var CONTAINER_BASE_URL = "http://container";
function poolInstanceName(index) {
  return `instance-${index}`;
}
__name(poolInstanceName, "poolInstanceName");
var DEFAULT_RETRY = { attempts: 3, backoffMs: 500, maxBackoffMs: 3e4 };
var DEFAULT_POOL = { attempts: 3, backoffMs: 100, maxBackoffMs: 3e4 };
var DEFAULT_POOL_SIZE = 3;
var ContainerBindingError = class extends Error {
  static {
    __name(this, "ContainerBindingError");
  }
  binding;
  exportName;
  constructor(spec, found) {
    const what = found === void 0 ? "is missing from the Worker env" : "is not a Durable Object namespace";
    super(`Container "${spec.exportName}": binding env.${spec.binding} ${what}. Add a Durable Object binding named "${spec.binding}" for the generated container class to wrangler.jsonc (running \`lunora codegen\` or \`lunora dev\` adds it), re-export the generated classes from your worker entry, and restart the dev server.`);
    this.name = "ContainerBindingError";
    this.binding = spec.binding;
    this.exportName = spec.exportName;
  }
};
function resolveNamespace(env, spec) {
  const found = env[spec.binding];
  if (typeof found !== "object" || found === null || typeof found.idFromName !== "function" || typeof found.get !== "function") {
    throw new ContainerBindingError(spec, found);
  }
  return found;
}
__name(resolveNamespace, "resolveNamespace");
function stubFor(namespace, name) {
  return namespace.get(namespace.idFromName(name));
}
__name(stubFor, "stubFor");
var defaultSleep = /* @__PURE__ */ __name((ms) => new Promise((resolve) => setTimeout(resolve, ms)), "defaultSleep");
function positiveInteger(value, what) {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${what} must be an integer \u2265 1, got ${value}`);
  return value;
}
__name(positiveInteger, "positiveInteger");
function nonNegative(value, what) {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${what} must be a number \u2265 0, got ${value}`);
  return value;
}
__name(nonNegative, "nonNegative");
function checkPortArg(port) {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`.port(n) expects an integer port in 1\u201365535, got ${port}`);
  }
  return port;
}
__name(checkPortArg, "checkPortArg");
function backoffDelay(retry, base, ceiling) {
  return Math.min(ceiling, base * 2 ** retry);
}
__name(backoffDelay, "backoffDelay");
var PROVISIONING_ERROR = /not listening|no container instance|no instance|provisioning/i;
function isProvisioningError(error) {
  const message = error instanceof Error ? error.message : String(error);
  return PROVISIONING_ERROR.test(message);
}
__name(isProvisioningError, "isProvisioningError");
async function isProvisioningResponse(response) {
  if (response.status === 429)
    return true;
  if (response.status !== 503 && response.status !== 500)
    return false;
  let body;
  try {
    body = await response.clone().text();
  } catch {
    return false;
  }
  if (response.status === 503)
    return /no container instance available/i.test(body);
  return body.trimStart().startsWith("Failed to start container");
}
__name(isProvisioningResponse, "isProvisioningResponse");
async function discard(response) {
  try {
    await response.body?.cancel();
  } catch {
  }
}
__name(discard, "discard");
function resolveUrl(input) {
  if (input instanceof URL)
    return input.href;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input))
    return input;
  return `${CONTAINER_BASE_URL}/${input.startsWith("/") ? input.slice(1) : input}`;
}
__name(resolveUrl, "resolveUrl");
function withPort(headersInit, port) {
  if (port === void 0)
    return headersInit;
  const headers = new Headers(headersInit);
  headers.set(TARGET_PORT_HEADER, String(port));
  return headers;
}
__name(withPort, "withPort");
function isStreamBody(body) {
  return typeof ReadableStream !== "undefined" && body instanceof ReadableStream;
}
__name(isStreamBody, "isStreamBody");
function outgoing(input, init, port, cloneRequests) {
  if (input instanceof Request) {
    const base = port === void 0 && init === void 0 ? input : new Request(input, { ...init, headers: withPort(init?.headers ?? input.headers, port) });
    if (!cloneRequests) {
      let sent = false;
      return {
        replayable: false,
        next() {
          if (sent)
            throw new Error("a pre-built Request is sent once");
          sent = true;
          return base;
        }
      };
    }
    return { replayable: base.body === null || !base.bodyUsed, next: /* @__PURE__ */ __name(() => base.clone(), "next") };
  }
  const url = resolveUrl(input);
  const headers = withPort(init?.headers, port);
  return {
    replayable: !isStreamBody(init?.body),
    next: /* @__PURE__ */ __name(() => new Request(url, { ...init, headers }), "next")
  };
}
__name(outgoing, "outgoing");
async function fetchWithColdStartRetry(stub, request, retry, runtime) {
  const attempts = request.replayable ? retry.attempts : 1;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= attempts - 1;
    let response;
    try {
      response = await stub.fetch(request.next());
    } catch (error) {
      if (last || !isProvisioningError(error))
        throw error;
      await runtime.sleep(backoffDelay(attempt, retry.backoffMs, retry.maxBackoffMs));
      continue;
    }
    if (last || !await isProvisioningResponse(response))
      return response;
    await discard(response);
    await runtime.sleep(backoffDelay(attempt, retry.backoffMs, retry.maxBackoffMs));
  }
}
__name(fetchWithColdStartRetry, "fetchWithColdStartRetry");
function resolveRetry(options) {
  return {
    attempts: positiveInteger(options?.attempts ?? DEFAULT_RETRY.attempts, "attempts"),
    backoffMs: nonNegative(options?.backoffMs ?? DEFAULT_RETRY.backoffMs, "backoffMs"),
    maxBackoffMs: nonNegative(options?.maxBackoffMs ?? DEFAULT_RETRY.maxBackoffMs, "maxBackoffMs")
  };
}
__name(resolveRetry, "resolveRetry");
function rpc(stub, method, exportName) {
  if (typeof stub[method] !== "function") {
    throw new TypeError(`Container "${exportName}": the Durable Object does not expose ${method}(); its class must extend LunoraContainer from "@lunora/container/do".`);
  }
  const target = stub;
  return (...args) => target[method](...args);
}
__name(rpc, "rpc");
function instanceHandle(exportName, namespace, name, retry, port, runtime) {
  const stub = stubFor(namespace, name);
  const egress = /* @__PURE__ */ __name((op) => async (value) => {
    await rpc(stub, "lunoraEgress", exportName)(op, Array.isArray(value) ? [...value] : value);
  }, "egress");
  const egressApi = {
    allow: egress("allow"),
    deny: egress("deny"),
    removeAllowed: egress("removeAllowed"),
    removeDenied: egress("removeDenied"),
    setAllowed: egress("setAllowed"),
    setDenied: egress("setDenied")
  };
  return {
    name,
    fetch: /* @__PURE__ */ __name((input, init) => fetchWithColdStartRetry(stub, outgoing(input, init, port, false), retry, runtime), "fetch"),
    port: /* @__PURE__ */ __name((n) => instanceHandle(exportName, namespace, name, retry, checkPortArg(n), runtime), "port"),
    async start(options) {
      const envVars = options?.envVars;
      await rpc(stub, "lunoraStart", exportName)(envVars ? { envVars: { ...envVars } } : void 0);
    },
    getState: /* @__PURE__ */ __name(() => rpc(stub, "lunoraGetState", exportName)(), "getState"),
    stop: /* @__PURE__ */ __name(() => rpc(stub, "lunoraStop", exportName)(), "stop"),
    destroy: /* @__PURE__ */ __name(() => rpc(stub, "lunoraDestroy", exportName)(), "destroy"),
    egress: egressApi
  };
}
__name(instanceHandle, "instanceHandle");
function anyHandle(namespace, index, port, runtime) {
  const stub = stubFor(namespace, poolInstanceName(index));
  return {
    fetch: /* @__PURE__ */ __name((input, init) => fetchWithColdStartRetry(stub, outgoing(input, init, port, false), resolveRetry(void 0), runtime), "fetch"),
    port: /* @__PURE__ */ __name((n) => anyHandle(namespace, index, checkPortArg(n), runtime), "port")
  };
}
__name(anyHandle, "anyHandle");
function pick(count, runtime, avoid) {
  if (avoid === void 0 || count < 2)
    return Math.min(count - 1, Math.floor(runtime.random() * count));
  const index = Math.min(count - 2, Math.floor(runtime.random() * (count - 1)));
  return index >= avoid ? index + 1 : index;
}
__name(pick, "pick");
function poolHandle(namespace, options, port, runtime) {
  return {
    async fetch(input, init) {
      const request = outgoing(input, init, port, true);
      const attempts = request.replayable ? options.attempts : 1;
      let previous;
      for (let attempt = 0; ; attempt++) {
        const last = attempt >= attempts - 1;
        const index = pick(options.count, runtime, previous);
        previous = index;
        const stub = stubFor(namespace, poolInstanceName(index));
        try {
          const response = await stub.fetch(request.next());
          if (last || !options.retryOn(response))
            return response;
          await discard(response);
        } catch (error) {
          if (last)
            throw error;
        }
        await runtime.sleep(backoffDelay(attempt, options.backoffMs, options.maxBackoffMs));
      }
    },
    port: /* @__PURE__ */ __name((n) => poolHandle(namespace, options, checkPortArg(n), runtime), "port")
  };
}
__name(poolHandle, "poolHandle");
function accessor(env, spec, port, runtime) {
  const defaultPoolSize = spec.maxInstances ?? DEFAULT_POOL_SIZE;
  return {
    get(name, retry) {
      if (typeof name !== "string" || name === "") {
        throw new TypeError(`ctx.containers.${spec.exportName}.get(name) needs a non-empty string name`);
      }
      return instanceHandle(spec.exportName, resolveNamespace(env, spec), name, resolveRetry(retry), port, runtime);
    },
    any(count) {
      const size = positiveInteger(count ?? defaultPoolSize, "any(count)");
      const namespace = resolveNamespace(env, spec);
      return anyHandle(namespace, pick(size, runtime), port, runtime);
    },
    pool(options) {
      const namespace = resolveNamespace(env, spec);
      const resolved = {
        attempts: positiveInteger(options?.attempts ?? DEFAULT_POOL.attempts, "pool attempts"),
        backoffMs: nonNegative(options?.backoffMs ?? DEFAULT_POOL.backoffMs, "pool backoffMs"),
        maxBackoffMs: nonNegative(options?.maxBackoffMs ?? DEFAULT_POOL.maxBackoffMs, "pool maxBackoffMs"),
        count: positiveInteger(options?.count ?? defaultPoolSize, "pool count"),
        retryOn: options?.retryOn ?? ((response) => response.status >= 500)
      };
      return poolHandle(namespace, resolved, port, runtime);
    },
    port: /* @__PURE__ */ __name((n) => accessor(env, spec, checkPortArg(n), runtime), "port")
  };
}
__name(accessor, "accessor");
function createContainerContext(env, specs, options) {
  const runtime = { sleep: options?.sleep ?? defaultSleep, random: options?.random ?? Math.random };
  const containers = /* @__PURE__ */ Object.create(null);
  for (const spec of specs) {
    if (spec.maxInstances !== void 0)
      positiveInteger(spec.maxInstances, `maxInstances of "${spec.exportName}"`);
    if (Object.prototype.hasOwnProperty.call(containers, spec.exportName)) {
      throw new TypeError(`createContainerContext: container "${spec.exportName}" is listed twice`);
    }
    Object.defineProperty(containers, spec.exportName, {
      value: accessor(env, spec, void 0, runtime),
      enumerable: true,
      writable: false,
      configurable: false
    });
  }
  return Object.freeze(containers);
}
__name(createContainerContext, "createContainerContext");

// dist/test-context.js
var recorded = /* @__PURE__ */ new WeakMap();
function createContainerTestContext(handlers) {
  const calls = [];
  const env = {};
  const specs = Object.keys(handlers).map((container) => {
    const binding = `TEST_CONTAINER_${container}`;
    env[binding] = fakeNamespace(container, handlers[container], calls);
    return { binding, exportName: container };
  });
  const context = createContainerContext(env, specs, { sleep: /* @__PURE__ */ __name(async () => {
  }, "sleep") });
  const guarded = new Proxy(context, {
    get(target, property, receiver) {
      if (typeof property === "symbol" || property in target || property in Object.prototype || property === "then" || property === "toJSON") {
        return Reflect.get(target, property, receiver);
      }
      const declared = Object.keys(handlers);
      throw new Error(`createContainerTestContext: no container named "${property}". Declared: ${declared.length ? declared.join(", ") : "(none)"}. Add a handler: createContainerTestContext({ ${property}: (request, { name }) => new Response("\u2026") }).`);
    }
  });
  recorded.set(guarded, calls);
  return guarded;
}
__name(createContainerTestContext, "createContainerTestContext");
function fakeNamespace(container, handler, calls) {
  const states = /* @__PURE__ */ new Map();
  return {
    idFromName: /* @__PURE__ */ __name((name) => ({ name }), "idFromName"),
    get({ name }) {
      const record = /* @__PURE__ */ __name((method, args) => {
        calls.push({ container, name, method, args });
      }, "record");
      const setStatus = /* @__PURE__ */ __name((status) => states.set(name, { status, lastChange: Date.now() }), "setStatus");
      const stub = {
        async fetch(request) {
          const header = request.headers.get("cf-container-target-port");
          if (!states.has(name) || states.get(name).status !== "running")
            setStatus("running");
          return handler(request, { name, container, port: header === null ? void 0 : Number(header) });
        },
        async lunoraStart(options) {
          record("start", options === void 0 ? [] : [options]);
          setStatus("running");
        },
        async lunoraGetState() {
          record("getState", []);
          return states.get(name) ?? { status: "stopped", lastChange: 0 };
        },
        async lunoraStop() {
          record("stop", []);
          setStatus("stopped");
        },
        async lunoraDestroy() {
          record("destroy", []);
          setStatus("stopped");
        },
        async lunoraEgress(op, value) {
          record(`egress.${op}`, [value]);
        }
      };
      return stub;
    }
  };
}
__name(fakeNamespace, "fakeNamespace");

// ../../../../../tmp/lunora-fixture-workerd-AA9E2T/lunora/_generated/containerHandles.ts
var containerBindings = [
  { binding: "CONTAINER_TRANSCODER", exportName: "transcoder", maxInstances: 2 }
];
function createContainers(env) {
  return createContainerContext(env, containerBindings);
}
__name(createContainers, "createContainers");

// ../../node_modules/@cloudflare/containers/dist/lib/helpers.js
function generateId(length = 9) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let result = "";
  for (let i = 0; i < length; i++) {
    result += alphabet[bytes[i] % alphabet.length];
  }
  return result;
}
__name(generateId, "generateId");
function parseTimeExpression(timeExpression) {
  if (typeof timeExpression === "number") {
    return timeExpression;
  }
  if (typeof timeExpression === "string") {
    const match = timeExpression.match(/^(\d+)([smh])$/);
    if (!match) {
      throw new Error(`invalid time expression ${timeExpression}`);
    }
    const value = parseInt(match[1]);
    const unit = match[2];
    switch (unit) {
      case "s":
        return value;
      case "m":
        return value * 60;
      case "h":
        return value * 60 * 60;
      default:
        throw new Error(`unknown time unit ${unit}`);
    }
  }
  throw new Error(`invalid type for a time expression: ${typeof timeExpression}`);
}
__name(parseTimeExpression, "parseTimeExpression");

// ../../node_modules/@cloudflare/containers/dist/lib/container.js
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
var NO_CONTAINER_INSTANCE_ERROR = "there is no container instance that can be provided to this durable object";
var RATE_LIMITED_ERROR = "you are requesting too many containers per second";
var RUNTIME_SIGNALLED_ERROR = "runtime signalled the container to exit:";
var UNEXPECTED_EXIT_ERROR = "container exited with unexpected exit code:";
var NOT_LISTENING_ERROR = "the container is not listening";
var CONTAINER_STATE_KEY = "__CF_CONTAINER_STATE";
var OUTBOUND_CONFIGURATION_KEY = "OUTBOUND_CONFIGURATION";
var MAX_ALARM_RETRIES = 3;
var PING_TIMEOUT_MS = 5e3;
var DEFAULT_SLEEP_AFTER = "10m";
var INSTANCE_POLL_INTERVAL_MS = 300;
var TIMEOUT_TO_GET_CONTAINER_MS = 8e3;
var TIMEOUT_TO_GET_PORTS_MS = 2e4;
var FALLBACK_PORT_TO_CHECK = 33;
var outboundHandlersRegistry = /* @__PURE__ */ new Map();
var defaultOutboundHandlerNameRegistry = /* @__PURE__ */ new Map();
var outboundByHostRegistry = /* @__PURE__ */ new Map();
var signalToNumbers = {
  SIGINT: 2,
  SIGTERM: 15,
  SIGKILL: 9
};
function isErrorOfType(e, matchingString) {
  const errorString = e instanceof Error ? e.message : String(e);
  return errorString.toLowerCase().includes(matchingString);
}
__name(isErrorOfType, "isErrorOfType");
var isNoInstanceError = /* @__PURE__ */ __name((error) => isErrorOfType(error, NO_CONTAINER_INSTANCE_ERROR), "isNoInstanceError");
var isRateLimitedError = /* @__PURE__ */ __name((error) => isErrorOfType(error, RATE_LIMITED_ERROR), "isRateLimitedError");
var isRuntimeSignalledError = /* @__PURE__ */ __name((error) => isErrorOfType(error, RUNTIME_SIGNALLED_ERROR), "isRuntimeSignalledError");
var isNotListeningError = /* @__PURE__ */ __name((error) => isErrorOfType(error, NOT_LISTENING_ERROR), "isNotListeningError");
var isContainerExitNonZeroError = /* @__PURE__ */ __name((error) => isErrorOfType(error, UNEXPECTED_EXIT_ERROR), "isContainerExitNonZeroError");
function getExitCodeFromError(error) {
  if (!(error instanceof Error)) {
    return null;
  }
  if (isRuntimeSignalledError(error)) {
    return +error.message.toLowerCase().slice(error.message.toLowerCase().indexOf(RUNTIME_SIGNALLED_ERROR) + RUNTIME_SIGNALLED_ERROR.length + 1);
  }
  if (isContainerExitNonZeroError(error)) {
    return +error.message.toLowerCase().slice(error.message.toLowerCase().indexOf(UNEXPECTED_EXIT_ERROR) + UNEXPECTED_EXIT_ERROR.length + 1);
  }
  return null;
}
__name(getExitCodeFromError, "getExitCodeFromError");
function addTimeoutSignal(existingSignal, timeoutMs) {
  const controller = new AbortController();
  if (existingSignal?.aborted) {
    controller.abort();
    return controller.signal;
  }
  existingSignal?.addEventListener("abort", () => controller.abort());
  const timeoutId = setTimeout(() => controller.abort(), timeoutMs);
  controller.signal.addEventListener("abort", () => clearTimeout(timeoutId));
  return controller.signal;
}
__name(addTimeoutSignal, "addTimeoutSignal");
function simpleGlobMatch(pattern, value) {
  const parts = pattern.split("*");
  if (parts.length === 1)
    return pattern === value;
  if (!value.startsWith(parts[0]))
    return false;
  if (!value.endsWith(parts[parts.length - 1]))
    return false;
  let pos = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const idx = value.indexOf(parts[i], pos);
    if (idx === -1)
      return false;
    pos = idx + parts[i].length;
  }
  return pos <= value.length - parts[parts.length - 1].length;
}
__name(simpleGlobMatch, "simpleGlobMatch");
function matchesHostList(hostname, patterns) {
  return patterns.some((pattern) => simpleGlobMatch(pattern, hostname));
}
__name(matchesHostList, "matchesHostList");
function normalizeHostname(hostname) {
  let end = hostname.length;
  while (end > 0 && hostname[end - 1] === ".") {
    end--;
  }
  return hostname.slice(0, end);
}
__name(normalizeHostname, "normalizeHostname");
var ContainerState = class {
  static {
    __name(this, "ContainerState");
  }
  storage;
  status;
  constructor(storage) {
    this.storage = storage;
  }
  async setRunning() {
    await this.setStatusAndupdate("running");
  }
  async setHealthy() {
    await this.setStatusAndupdate("healthy");
  }
  async setStopping() {
    await this.setStatusAndupdate("stopping");
  }
  async setStopped() {
    await this.setStatusAndupdate("stopped");
  }
  async setStoppedIfUnchanged(previousState) {
    if (this.status !== previousState) {
      return;
    }
    await this.setStopped();
  }
  async setStoppedWithCode(exitCode) {
    this.status = { status: "stopped_with_code", lastChange: Date.now(), exitCode };
    await this.update();
  }
  async getState() {
    if (!this.status) {
      const state = await this.storage.get(CONTAINER_STATE_KEY);
      if (!state) {
        this.status = {
          status: "stopped",
          lastChange: Date.now()
        };
        await this.update();
      } else {
        this.status = state;
      }
    }
    return this.status;
  }
  async setStatusAndupdate(status) {
    this.status = { status, lastChange: Date.now() };
    await this.update();
  }
  async update() {
    if (!this.status)
      throw new Error("status should be init");
    await this.storage.put(CONTAINER_STATE_KEY, this.status);
  }
};
var ContainerProxy = class extends WorkerEntrypoint {
  static {
    __name(this, "ContainerProxy");
  }
  async fetch(request) {
    const url = new URL(request.url);
    const hostname = normalizeHostname(url.hostname);
    const { className, containerId, outboundByHostOverrides, outboundHandlerOverride, enableInternet, allowedHosts, deniedHosts, interceptAll } = this.ctx.props;
    const baseCtx = { containerId, className };
    if (deniedHosts && matchesHostList(hostname, deniedHosts)) {
      return new Response("Origin is disallowed", { status: 520 });
    }
    if (allowedHosts && !matchesHostList(hostname, allowedHosts)) {
      return new Response("Origin is disallowed", { status: 520 });
    }
    const handlers = outboundHandlersRegistry.get(className);
    if (outboundByHostOverrides && handlers) {
      const override = outboundByHostOverrides[hostname] ?? Object.entries(outboundByHostOverrides).find(([pattern]) => pattern !== hostname && simpleGlobMatch(pattern, hostname))?.[1];
      if (override && handlers[override.method]) {
        return handlers[override.method](request, this.env, {
          ...baseCtx,
          params: override.params
        });
      }
    }
    const handlersByHost = outboundByHostRegistry.get(className);
    if (handlersByHost) {
      const handler = handlersByHost[hostname] ?? Object.entries(handlersByHost).find(([pattern]) => pattern !== hostname && simpleGlobMatch(pattern, hostname))?.[1];
      if (handler) {
        return handler(request, this.env, baseCtx);
      }
    }
    if (!interceptAll) {
      if (allowedHosts || enableInternet) {
        return fetch(request);
      }
      return new Response("Origin is disallowed", { status: 520 });
    }
    if (outboundHandlerOverride && handlers?.[outboundHandlerOverride.method]) {
      return handlers[outboundHandlerOverride.method](request, this.env, {
        ...baseCtx,
        params: outboundHandlerOverride.params
      });
    }
    const defaultOutboundHandlerName = defaultOutboundHandlerNameRegistry.get(className);
    if (defaultOutboundHandlerName && handlers?.[defaultOutboundHandlerName]) {
      return handlers[defaultOutboundHandlerName](request, this.env, baseCtx);
    }
    if (allowedHosts) {
      return fetch(request);
    }
    if (enableInternet) {
      return fetch(request);
    }
    return new Response("Origin is disallowed", { status: 520 });
  }
};
var Container = class extends DurableObject {
  static {
    __name(this, "Container");
  }
  static get outboundByHost() {
    return outboundByHostRegistry.get(this.name);
  }
  static set outboundByHost(handlers) {
    outboundByHostRegistry.set(this.name, handlers);
  }
  static get outboundHandlers() {
    return outboundHandlersRegistry.get(this.name);
  }
  static set outboundHandlers(handlers) {
    const existing = outboundHandlersRegistry.get(this.name) ?? {};
    outboundHandlersRegistry.set(this.name, { ...existing, ...handlers });
  }
  static get outbound() {
    const handlerName = defaultOutboundHandlerNameRegistry.get(this.name);
    if (!handlerName)
      return void 0;
    return outboundHandlersRegistry.get(this.name)?.[handlerName];
  }
  static set outbound(handler) {
    const key = "__outbound__";
    const existing = outboundHandlersRegistry.get(this.name) ?? {};
    outboundHandlersRegistry.set(this.name, { ...existing, [key]: handler });
    defaultOutboundHandlerNameRegistry.set(this.name, key);
  }
  static get outboundProxies() {
    return this.outboundHandlers;
  }
  static set outboundProxies(handlers) {
    this.outboundHandlers = handlers;
  }
  static get outboundProxy() {
    return this.outbound;
  }
  static set outboundProxy(handler) {
    this.outbound = handler;
  }
  // =========================
  //     Public Attributes
  // =========================
  // Default port for the container (undefined means no default port)
  defaultPort;
  // Required ports that should be checked for availability during container startup
  // Override this in your subclass to specify ports that must be ready
  requiredPorts;
  // Timeout after which the container will sleep if no activity
  // The signal sent to the container by default is a SIGTERM.
  // The container won't get a SIGKILL if this threshold is triggered.
  sleepAfter = DEFAULT_SLEEP_AFTER;
  // Container configuration properties
  // Set these properties directly in your container instance
  envVars = {};
  entrypoint;
  enableInternet = true;
  labels = {};
  // When true, outbound HTTPS traffic from the container will be intercepted.
  // The container must trust /etc/cloudflare/certs/cloudflare-containers-ca.crt
  interceptHttps = false;
  // Hosts that are allowed to access the internet, even when enableInternet is false.
  // Useful for allowing specific domains on a per-host basis.
  allowedHosts;
  // Hosts that are denied internet access, even when enableInternet is true.
  // Also blocks hosts from being handled by the catch-all outbound handler.
  deniedHosts;
  // pingEndpoint is the host and path value that the class will use to send a request to the container and check if the
  // instance is ready.
  //
  // The user does not have to implement this route by any means,
  // but it's still useful if you want to control the path that
  // the Container class uses to send HTTP requests to.
  pingEndpoint = "ping";
  applyOutboundInterceptionPromise = Promise.resolve();
  usingInterception = false;
  // =========================
  //     PUBLIC INTERFACE
  // =========================
  constructor(ctx, env, options) {
    super(ctx, env);
    if (ctx.container === void 0) {
      throw new Error("Containers have not been enabled for this Durable Object class. Have you correctly setup your Wrangler config? More info: https://developers.cloudflare.com/containers/get-started/#configuration");
    }
    this.state = new ContainerState(this.ctx.storage);
    const persistedOutboundConfiguration = this.restoreOutboundConfiguration();
    this.ctx.blockConcurrencyWhile(async () => {
      await this.scheduleNextAlarm();
      this.renewActivityTimeout();
      const ctor = this.constructor;
      if (persistedOutboundConfiguration !== void 0 || ctor.outboundByHost !== void 0 || ctor.outbound !== void 0 || ctor.outboundHandlers !== void 0 || this.effectiveAllowedHosts !== void 0 || this.effectiveDeniedHosts !== void 0) {
        this.usingInterception = true;
      }
      if (this.container.running) {
        this.applyOutboundInterceptionPromise = this.applyOutboundInterception();
      }
    });
    this.container = ctx.container;
    if (options) {
      if (options.defaultPort !== void 0)
        this.defaultPort = options.defaultPort;
      if (options.sleepAfter !== void 0)
        this.sleepAfter = options.sleepAfter;
      if (options.envVars !== void 0)
        this.envVars = options.envVars;
      if (options.entrypoint !== void 0)
        this.entrypoint = options.entrypoint;
      if (options.enableInternet !== void 0)
        this.enableInternet = options.enableInternet;
    }
    this.sql`
      CREATE TABLE IF NOT EXISTS container_schedules (
        id TEXT PRIMARY KEY NOT NULL DEFAULT (randomblob(9)),
        callback TEXT NOT NULL,
        payload TEXT,
        type TEXT NOT NULL CHECK(type IN ('scheduled', 'delayed')),
        time INTEGER NOT NULL,
        delayInSeconds INTEGER,
        created_at INTEGER DEFAULT (unixepoch())
      )
    `;
    if (this.container.running) {
      this.monitor = this.container.monitor();
      this.setupMonitorCallbacks();
    }
  }
  /**
   * Gets the current state of the container
   * @returns Promise<State>
   */
  async getState() {
    return { ...await this.state.getState() };
  }
  // ====================================
  //     OUTBOUND INTERCEPTION CONFIG
  // ====================================
  /**
   * Set the catch-all outbound handler to a named method from `outboundHandlers`.
   * Overrides the default `outbound` at runtime via ContainerProxy props.
   *
   * @param methodName - Name of a method defined in `static outboundHandlers`
   * @param params - Optional params passed to the handler as `ctx.params`
   * @throws Error if the method name is not found in `outboundHandlers`
   */
  async setOutboundHandler(methodName, ...paramsArg) {
    this.validateOutboundHandlerMethodName(methodName);
    this.outboundHandlerOverride = paramsArg.length === 0 ? { method: methodName } : { method: methodName, params: paramsArg[0] };
    await this.refreshOutboundInterception();
  }
  /**
   * Add or override a hostname-specific outbound handler at runtime,
   * referencing a named method from `outboundHandlers`.
   * Overrides any matching entry in `static outboundByHost` for this hostname.
   *
   * @param hostname - The hostname or ip:port to intercept (e.g. `'google.com'`)
   * @param methodName - Name of a method defined in `static outboundHandlers`
   * @param params - Optional params passed to the handler as `ctx.params`
   * @throws Error if the method name is not found in `outboundHandlers`
   */
  async setOutboundByHost(hostname, methodName, ...paramsArg) {
    this.validateOutboundHandlerMethodName(methodName);
    this.outboundByHostOverrides[hostname] = paramsArg.length === 0 ? { method: methodName } : { method: methodName, params: paramsArg[0] };
    await this.refreshOutboundInterception();
  }
  /**
   * Remove a runtime hostname override added via `setOutboundByHost`.
   * The default handler from `static outboundByHost` (if any) will be used again.
   *
   * @param hostname - The hostname or ip:port to stop overriding
   */
  async removeOutboundByHost(hostname) {
    delete this.outboundByHostOverrides[hostname];
    await this.refreshOutboundInterception();
  }
  /**
   * Replace all runtime hostname overrides at once.
   * Each value may be either a method name or an object with `method` and `params`.
   *
   * @param handlers - Record mapping hostnames to handler configs in `outboundHandlers`
   * @throws Error if any method name is not found in `outboundHandlers`
   */
  async setOutboundByHosts(handlers) {
    for (const handler of Object.values(handlers)) {
      const methodName = typeof handler === "string" ? handler : handler.method;
      this.validateOutboundHandlerMethodName(methodName);
    }
    this.outboundByHostOverrides = Object.fromEntries(Object.entries(handlers).map(([hostname, handler]) => [
      hostname,
      typeof handler === "string" ? { method: handler } : handler
    ]));
    await this.refreshOutboundInterception();
  }
  // ====================================
  //     ALLOWED / DENIED HOSTS CONFIG
  // ====================================
  /**
   * Replace all allowed hosts at runtime.
   * Allowed hosts get internet access even when `enableInternet` is false.
   *
   * @param hosts - Array of hostnames to allow (e.g. `['api.stripe.com', 'example.com']`)
   */
  async setAllowedHosts(hosts) {
    this.allowedHostsOverride = [...hosts];
    this.usingInterception = true;
    await this.refreshOutboundInterception();
  }
  /**
   * Replace all denied hosts at runtime.
   * Denied hosts are blocked unconditionally, even when `enableInternet` is true
   * or a catch-all outbound handler is set.
   *
   * @param hosts - Array of hostnames to deny (e.g. `['evil.com', 'blocked.org']`)
   */
  async setDeniedHosts(hosts) {
    this.deniedHostsOverride = [...hosts];
    this.usingInterception = true;
    await this.refreshOutboundInterception();
  }
  /**
   * Add a single hostname to the allowed hosts list at runtime.
   *
   * @param hostname - The hostname to allow (e.g. `'api.stripe.com'`)
   */
  async allowHost(hostname) {
    const effective = this.effectiveAllowedHosts ?? [];
    if (!effective.includes(hostname)) {
      this.allowedHostsOverride = [...effective, hostname];
    }
    this.usingInterception = true;
    await this.refreshOutboundInterception();
  }
  /**
   * Add a single hostname to the denied hosts list at runtime.
   *
   * @param hostname - The hostname to deny (e.g. `'evil.com'`)
   */
  async denyHost(hostname) {
    const effective = this.effectiveDeniedHosts ?? [];
    if (!effective.includes(hostname)) {
      this.deniedHostsOverride = [...effective, hostname];
    }
    this.usingInterception = true;
    await this.refreshOutboundInterception();
  }
  /**
   * Remove a hostname from the allowed hosts list.
   *
   * @param hostname - The hostname to remove from the allow list
   */
  async removeAllowedHost(hostname) {
    this.allowedHostsOverride = (this.effectiveAllowedHosts ?? []).filter((h) => h !== hostname);
    await this.refreshOutboundInterception();
  }
  /**
   * Remove a hostname from the denied hosts list.
   *
   * @param hostname - The hostname to remove from the deny list
   */
  async removeDeniedHost(hostname) {
    this.deniedHostsOverride = (this.effectiveDeniedHosts ?? []).filter((h) => h !== hostname);
    await this.refreshOutboundInterception();
  }
  // ==========================
  //     CONTAINER STARTING
  // ==========================
  /**
   * Start the container if it's not running and set up monitoring and lifecycle hooks,
   * without waiting for ports to be ready.
   *
   * It will automatically retry if the container fails to start, using the specified waitOptions
   *
   *
   * @example
   * await this.start({
   *   envVars: { DEBUG: 'true', NODE_ENV: 'development' },
   *   entrypoint: ['npm', 'run', 'dev'],
   *   enableInternet: false,
   *   labels: { tenant: 'acme', env: 'prod' },
   * });
   *
   * @param startOptions - Override `envVars`, `entrypoint`, `enableInternet` and `labels` on a per-instance basis
   * @param waitOptions - Optional wait configuration with abort signal for cancellation. Default ~8s timeout.
   * @returns A promise that resolves when the container start command has been issued
   * @throws Error if no container context is available or if all start attempts fail
   */
  async start(startOptions, waitOptions) {
    const portToCheck = waitOptions?.portToCheck ?? this.defaultPort ?? (this.requiredPorts ? this.requiredPorts[0] : FALLBACK_PORT_TO_CHECK);
    const pollInterval = waitOptions?.waitInterval ?? INSTANCE_POLL_INTERVAL_MS;
    await this.startContainerIfNotRunning({
      signal: waitOptions?.signal,
      waitInterval: pollInterval,
      retries: waitOptions?.retries ?? Math.ceil(TIMEOUT_TO_GET_CONTAINER_MS / pollInterval),
      portToCheck
    }, startOptions);
    this.setupMonitorCallbacks();
    await this.ctx.blockConcurrencyWhile(async () => {
      await this.onStart();
    });
  }
  async startAndWaitForPorts(portsOrArgs, cancellationOptions, startOptions) {
    let ports;
    let resolvedCancellationOptions;
    let resolvedStartOptions;
    if (typeof portsOrArgs === "object" && portsOrArgs !== null && !Array.isArray(portsOrArgs)) {
      ports = portsOrArgs.ports;
      resolvedCancellationOptions = portsOrArgs.cancellationOptions;
      resolvedStartOptions = portsOrArgs.startOptions;
    } else {
      ports = portsOrArgs;
      resolvedCancellationOptions = cancellationOptions;
      resolvedStartOptions = startOptions;
    }
    const portsToCheck = await this.getPortsToCheck(ports);
    await this.syncPendingStoppedEvents();
    resolvedCancellationOptions ??= {};
    const containerGetTimeout = resolvedCancellationOptions.instanceGetTimeoutMS ?? TIMEOUT_TO_GET_CONTAINER_MS;
    const pollInterval = resolvedCancellationOptions.waitInterval ?? INSTANCE_POLL_INTERVAL_MS;
    const containerGetRetries = Math.ceil(containerGetTimeout / pollInterval);
    const waitOptions = {
      signal: resolvedCancellationOptions.abort,
      retries: containerGetRetries,
      waitInterval: pollInterval,
      portToCheck: portsToCheck[0]
    };
    const triesUsed = await this.startContainerIfNotRunning(waitOptions, resolvedStartOptions);
    const totalPortReadyTries = Math.ceil((resolvedCancellationOptions.portReadyTimeoutMS ?? TIMEOUT_TO_GET_PORTS_MS) / pollInterval);
    let triesLeft = totalPortReadyTries - triesUsed;
    for (const port of portsToCheck) {
      triesLeft = await this.waitForPort({
        signal: resolvedCancellationOptions.abort,
        waitInterval: pollInterval,
        retries: triesLeft,
        portToCheck: port
      });
    }
    this.setupMonitorCallbacks();
    await this.ctx.blockConcurrencyWhile(async () => {
      await this.state.setHealthy();
      await this.onStart();
    });
  }
  /**
   *
   * Waits for a specified port to be ready
   *
   * Returns the number of tries used to get the port, or throws if it couldn't get the port within the specified retry limits.
   *
   * @param waitOptions -
   * - `portToCheck`: The port number to check
   * - `abort`: Optional AbortSignal to cancel waiting
   * - `retries`: Number of retries before giving up (default: TRIES_TO_GET_PORTS)
   * - `waitInterval`: Interval between retries in milliseconds (default: INSTANCE_POLL_INTERVAL_MS)
   */
  async waitForPort(waitOptions) {
    const port = waitOptions.portToCheck;
    const tcpPort = this.container.getTcpPort(port);
    const abortedSignal = new Promise((res) => {
      waitOptions.signal?.addEventListener("abort", () => {
        res(true);
      });
    });
    const pollInterval = waitOptions.waitInterval ?? INSTANCE_POLL_INTERVAL_MS;
    const tries = waitOptions.retries ?? Math.ceil(TIMEOUT_TO_GET_PORTS_MS / pollInterval);
    for (let i = 0; i < tries; i++) {
      try {
        const combinedSignal = addTimeoutSignal(waitOptions.signal, PING_TIMEOUT_MS);
        await tcpPort.fetch(`http://${this.pingEndpoint}`, { signal: combinedSignal });
        break;
      } catch (e) {
        const errorMessage = e instanceof Error ? e.message : String(e);
        if (!this.container.running) {
          try {
            await this.onError(new Error(`Container crashed while checking for ports, did you start the container and setup the entrypoint correctly?`));
          } catch {
          }
          throw e;
        }
        if (i === tries - 1) {
          try {
            await this.onError(`Failed to verify port ${port} is available after ${(i + 1) * pollInterval}ms, last error: ${errorMessage}`);
          } catch {
          }
          throw e;
        }
        await Promise.any([
          new Promise((resolve) => setTimeout(resolve, pollInterval)),
          abortedSignal
        ]);
        if (waitOptions.signal?.aborted) {
          throw new Error("Container request aborted.", { cause: e });
        }
      }
    }
    return tries;
  }
  // =======================
  //     LIFECYCLE HOOKS
  // =======================
  /**
   * Send a signal to the container.
   * @param signal - The signal to send to the container (default: 15 for SIGTERM)
   */
  async stop(signal = "SIGTERM") {
    if (this.container.running) {
      this.container.signal(typeof signal === "string" ? signalToNumbers[signal] : signal);
    }
    await this.syncPendingStoppedEvents();
  }
  /**
   * Destroys the container with a SIGKILL. Triggers onStop.
   */
  async destroy() {
    await this.container.destroy();
  }
  /**
   * Lifecycle method called when container starts successfully
   * Override this method in subclasses to handle container start events
   */
  onStart() {
  }
  /**
   * Lifecycle method called when container shuts down
   * Override this method in subclasses to handle Container stopped events
   * @param params - Object containing exitCode and reason for the stop
   */
  onStop(params) {
    void params;
  }
  /**
   * Lifecycle method called when the container is running, and the activity timeout
   * expiration (set by `sleepAfter`) has been reached.
   *
   * If you want to shutdown the container, you should call this.stop() here
   *
   * By default, this method calls `this.stop()`
   */
  async onActivityExpired() {
    console.log("Activity expired, signalling container to stop");
    if (!this.container.running) {
      return;
    }
    await this.stop();
  }
  /**
   * Error handler for container errors
   * Override this method in subclasses to handle container errors
   * @param error - The error that occurred
   * @returns Can return any value or throw the error
   */
  onError(error) {
    console.error("Container error:", error);
    throw error;
  }
  /**
   * Renew the container's activity timeout
   *
   * Call this method whenever there is activity on the container
   */
  renewActivityTimeout() {
    const timeoutInMs = parseTimeExpression(this.sleepAfter) * 1e3;
    this.sleepAfterMs = Date.now() + timeoutInMs;
  }
  /**
   * Decrement the inflight request counter.
   * When the counter transitions to 0, renew the activity timeout so the
   * inactivity window starts fresh from the moment the last request completes.
   */
  decrementInflight() {
    this.inflightRequests = Math.max(0, this.inflightRequests - 1);
    if (this.inflightRequests === 0) {
      this.renewActivityTimeout();
    }
  }
  // ==================
  //     SCHEDULING
  // ==================
  /**
   * Schedule a task to be executed in the future.
   *
   * We strongly recommend using this instead of the `alarm` handler.
   *
   * @template T Type of the payload data
   * @param when When to execute the task (Date object or number of seconds delay)
   * @param callback Name of the method to call
   * @param payload Data to pass to the callback
   * @returns Schedule object representing the scheduled task
   */
  async schedule(when, callback, payload) {
    const id = generateId(9);
    if (typeof callback !== "string") {
      throw new Error("Callback must be a string (method name)");
    }
    if (typeof this[callback] !== "function") {
      throw new Error(`this.${callback} is not a function`);
    }
    if (when instanceof Date) {
      const timestamp = Math.floor(when.getTime() / 1e3);
      this.sql`
        INSERT OR REPLACE INTO container_schedules (id, callback, payload, type, time)
        VALUES (${id}, ${callback}, ${JSON.stringify(payload)}, 'scheduled', ${timestamp})
      `;
      await this.scheduleNextAlarm();
      return {
        taskId: id,
        callback,
        payload,
        time: timestamp,
        type: "scheduled"
      };
    }
    if (typeof when === "number") {
      const time = Math.floor(Date.now() / 1e3 + when);
      this.sql`
        INSERT OR REPLACE INTO container_schedules (id, callback, payload, type, delayInSeconds, time)
        VALUES (${id}, ${callback}, ${JSON.stringify(payload)}, 'delayed', ${when}, ${time})
      `;
      await this.scheduleNextAlarm();
      return {
        taskId: id,
        callback,
        payload,
        delayInSeconds: when,
        time,
        type: "delayed"
      };
    }
    throw new Error("Invalid schedule type. 'when' must be a Date or number of seconds");
  }
  // ============
  //     HTTP
  // ============
  /**
   * Send a request to the container (HTTP or WebSocket) using standard fetch API signature
   *
   * This method handles HTTP requests to the container.
   *
   * WebSocket requests done outside the DO won't work until https://github.com/cloudflare/workerd/issues/2319 is addressed.
   * Until then, please use `switchPort` + `fetch()`.
   *
   * Method supports multiple signatures to match standard fetch API:
   * - containerFetch(request: Request, port?: number)
   * - containerFetch(url: string | URL, init?: RequestInit, port?: number)
   *
   * Starts the container if not already running, and waits for the target port to be ready.
   *
   * @returns A Response from the container
   */
  async containerFetch(requestOrUrl, portOrInit, portParam) {
    const { request, port } = this.requestAndPortFromContainerFetchArgs(requestOrUrl, portOrInit, portParam);
    const state = await this.state.getState();
    if (!this.container.running || state.status !== "healthy") {
      try {
        await this.startAndWaitForPorts(port, { abort: request.signal });
      } catch (e) {
        if (isNoInstanceError(e)) {
          return new Response("There is no Container instance available at this time.\nThis is likely because you have reached your max concurrent instance count (set in wrangler config) or are you currently provisioning the Container.\nIf you are deploying your Container for the first time, check your dashboard to see provisioning status, this may take a few minutes.", { status: 503 });
        }
        if (isRateLimitedError(e)) {
          return new Response(e instanceof Error ? e.message : String(e), { status: 429 });
        }
        return new Response(`Failed to start container: ${e instanceof Error ? e.message : String(e)}`, {
          status: 500
        });
      }
    }
    const tcpPort = this.container.getTcpPort(port);
    const containerUrl = request.url.replace("https:", "http:");
    this.inflightRequests++;
    try {
      this.renewActivityTimeout();
      const res = await tcpPort.fetch(containerUrl, request);
      if (res.webSocket !== null) {
        const containerWs = res.webSocket;
        const [client, server] = Object.values(new WebSocketPair());
        let settled = false;
        const settleInflight = /* @__PURE__ */ __name(() => {
          if (!settled) {
            settled = true;
            this.decrementInflight();
          }
        }, "settleInflight");
        containerWs.accept();
        server.accept();
        server.addEventListener("message", async (event) => {
          this.renewActivityTimeout();
          try {
            const data = event.data instanceof Blob ? await event.data.arrayBuffer() : event.data;
            containerWs.send(data);
          } catch {
            server.close(1011, "Failed to forward message to container");
          }
        });
        containerWs.addEventListener("message", async (event) => {
          this.renewActivityTimeout();
          try {
            const data = event.data instanceof Blob ? await event.data.arrayBuffer() : event.data;
            server.send(data);
          } catch {
            containerWs.close(1011, "Failed to forward message to client");
          }
        });
        server.addEventListener("close", (event) => {
          settleInflight();
          const code = event.code === 1005 || event.code === 1006 ? 1e3 : event.code;
          containerWs.close(code, event.reason);
        });
        containerWs.addEventListener("close", (event) => {
          settleInflight();
          const code = event.code === 1005 || event.code === 1006 ? 1e3 : event.code;
          server.close(code, event.reason);
        });
        server.addEventListener("error", () => {
          settleInflight();
          containerWs.close(1011, "Client WebSocket error");
        });
        containerWs.addEventListener("error", () => {
          settleInflight();
          server.close(1011, "Container WebSocket error");
        });
        return new Response(null, { status: res.status, webSocket: client, headers: res.headers });
      }
      if (res.body !== null) {
        const { readable, writable } = new IdentityTransformStream();
        res.body?.pipeTo(writable).finally(() => {
          this.decrementInflight();
        });
        return new Response(readable, res);
      }
      this.decrementInflight();
      return res;
    } catch (e) {
      this.decrementInflight();
      if (!(e instanceof Error)) {
        throw e;
      }
      if (e.message.includes("Network connection lost.")) {
        return new Response("Container suddenly disconnected, try again", { status: 500 });
      }
      console.error(`Error proxying request to container ${this.ctx.id}:`, e);
      return new Response(`Error proxying request to container: ${e instanceof Error ? e.message : String(e)}`, { status: 500 });
    }
  }
  /**
   *
   * Fetch handler on the Container class.
   * By default this forwards all requests to the container by calling `containerFetch`.
   * Use `switchPort` to specify which port on the container to target, or this will use `defaultPort`.
   * @param request The request to handle
   */
  async fetch(request) {
    if (this.defaultPort === void 0 && !request.headers.has("cf-container-target-port")) {
      throw new Error("No port configured for this container. Set the `defaultPort` in your Container subclass, or specify a port with `container.fetch(switchPort(request, port))`.");
    }
    let portValue = this.defaultPort;
    if (request.headers.has("cf-container-target-port")) {
      const portFromHeaders = parseInt(request.headers.get("cf-container-target-port") ?? "");
      if (isNaN(portFromHeaders)) {
        throw new Error("port value from switchPort is not a number");
      } else {
        portValue = portFromHeaders;
      }
    }
    return await this.containerFetch(request, portValue);
  }
  // ===============================
  // ===============================
  //     PRIVATE METHODS & ATTRS
  // ===============================
  // ===============================
  // ==========================
  //     PRIVATE ATTRIBUTES
  // ==========================
  container;
  // onStopCalled will be true when we are in the middle of an onStop call
  onStopCalled = false;
  state;
  monitor;
  // Coalesces concurrent calls to startContainerIfNotRunning so we never
  // call `this.container.start()` twice. Without this guard, two requests
  // racing the readiness path can both pass the `if (this.container.running)`
  // early-return (each yielding the DO input gate at storage awaits) and
  // both reach the synchronous workerd `start()`, causing the second to
  // throw "start() cannot be called on a container that is already running."
  // See https://github.com/cloudflare/containers/issues/173.
  startInFlight;
  monitoredPromise;
  sleepAfterMs = 0;
  inflightRequests = 0;
  // Outbound interception runtime overrides (passed through ContainerProxy props)
  outboundByHostOverrides = {};
  outboundHandlerOverride;
  // Only set when the user calls setAllowedHosts/setDeniedHosts at runtime
  allowedHostsOverride;
  deniedHostsOverride;
  // The runtime does not expose a way to remove outbound interceptions yet, so
  // once we promote an instance to intercept-all we must keep using it.
  hasInterceptAllRegistration = false;
  // ==========================
  //     GENERAL HELPERS
  // ==========================
  /**
   * Validates that a method name exists in the outboundHandlers registry for this class.
   * @throws Error if the method name is not found
   */
  validateOutboundHandlerMethodName(methodName) {
    const handlers = outboundHandlersRegistry.get(this.constructor.name);
    if (!handlers || !(methodName in handlers)) {
      throw new Error(`Outbound handler method '${methodName}' not found in outboundHandlers for ${this.constructor.name}`);
    }
  }
  get effectiveAllowedHosts() {
    return this.allowedHostsOverride ?? this.allowedHosts;
  }
  get effectiveDeniedHosts() {
    return this.deniedHostsOverride ?? this.deniedHosts;
  }
  getOutboundConfiguration() {
    return {
      outboundByHostOverrides: Object.keys(this.outboundByHostOverrides).length > 0 ? this.outboundByHostOverrides : void 0,
      outboundHandlerOverride: this.outboundHandlerOverride,
      allowedHosts: this.effectiveAllowedHosts,
      deniedHosts: this.effectiveDeniedHosts,
      hasInterceptAllRegistration: this.hasInterceptAllRegistration || void 0
    };
  }
  persistOutboundConfiguration(configuration) {
    this.ctx.storage.kv.put(OUTBOUND_CONFIGURATION_KEY, {
      ...configuration,
      allowedHosts: this.allowedHostsOverride,
      deniedHosts: this.deniedHostsOverride
    });
  }
  restoreOutboundConfiguration() {
    const configuration = this.ctx.storage.kv.get(OUTBOUND_CONFIGURATION_KEY);
    if (!configuration) {
      return void 0;
    }
    this.outboundHandlerOverride = void 0;
    if (configuration.outboundHandlerOverride !== void 0) {
      try {
        this.validateOutboundHandlerMethodName(configuration.outboundHandlerOverride.method);
        this.outboundHandlerOverride = configuration.outboundHandlerOverride;
      } catch (error) {
        console.warn("Ignoring invalid persisted outbound handler override:", error);
      }
    }
    this.outboundByHostOverrides = {};
    for (const [hostname, override] of Object.entries(configuration.outboundByHostOverrides ?? {})) {
      try {
        this.validateOutboundHandlerMethodName(override.method);
        this.outboundByHostOverrides[hostname] = override;
      } catch (error) {
        console.warn(`Ignoring invalid persisted outbound override for ${hostname}:`, error);
      }
    }
    this.hasInterceptAllRegistration = configuration.hasInterceptAllRegistration === true;
    if (configuration.allowedHosts) {
      this.allowedHostsOverride = configuration.allowedHosts;
    }
    if (configuration.deniedHosts) {
      this.deniedHostsOverride = configuration.deniedHosts;
    }
    return this.getOutboundConfiguration();
  }
  /**
   * Returns true if a catch-all outbound HTTP interception is needed.
   * This is the case when a static `outbound` handler or a runtime
   * `outboundHandlerOverride` (catch-all) is configured.
   * When false, we only intercept specific hosts to avoid overhead.
   */
  needsCatchAllInterception() {
    const ctor = this.constructor;
    return ctor.outbound !== void 0 || this.outboundHandlerOverride !== void 0;
  }
  hasMutableOutboundConfiguration() {
    return Object.keys(this.outboundByHostOverrides).length > 0 || this.allowedHostsOverride !== void 0 || this.deniedHostsOverride !== void 0;
  }
  shouldInterceptAllOutbound() {
    return this.hasInterceptAllRegistration || this.needsCatchAllInterception() || this.effectiveAllowedHosts !== void 0 || this.effectiveDeniedHosts !== void 0 || this.hasMutableOutboundConfiguration();
  }
  getStaticOutboundByHostKeys() {
    const ctor = this.constructor;
    return ctor.outboundByHost ? Object.keys(ctor.outboundByHost) : [];
  }
  /**
   * Collects all hostnames that need per-host outbound interception.
   * This path is only used for the narrow optimized case where outbound
   * handling is static and host-specific.
   */
  getHostsToIntercept() {
    const hosts = /* @__PURE__ */ new Set();
    const ctor = this.constructor;
    if (ctor.outboundByHost) {
      for (const hostname of Object.keys(ctor.outboundByHost)) {
        hosts.add(hostname);
      }
    }
    for (const hostname of Object.keys(this.outboundByHostOverrides)) {
      hosts.add(hostname);
    }
    return [...hosts];
  }
  async refreshOutboundInterception() {
    if (!this.usingInterception) {
      return;
    }
    this.applyOutboundInterceptionPromise = this.applyOutboundInterception();
    await this.applyOutboundInterceptionPromise;
  }
  /**
   * Applies (or re-applies) outbound HTTP interception with the current
   * default registries + runtime overrides passed through ContainerProxy props.
   *
   * Uses per-host interception only for static host-specific outbound handlers.
   * As soon as the config needs to evaluate all hosts (catch-all outbound,
   * allow/deny lists, or runtime-mutated outbound config), we promote the
   * container to intercept-all and keep it there until the instance restarts.
   *
   * When `interceptHttps` is enabled, also applies HTTPS interception:
   * - Intercept-all mode: `interceptOutboundHttps('*', ...)` for all HTTPS traffic
   * - Per-host mode: `interceptOutboundHttps(host, ...)` for each known host
   */
  async applyOutboundInterception() {
    const ctx = this.ctx;
    if (ctx.exports === void 0) {
      throw new Error("ctx.exports is undefined, please try to update your compatibility date or export ContainerProxy from the containers package in your worker entrypoint");
    }
    if (ctx.exports.ContainerProxy === void 0) {
      throw new Error("ctx.exports.ContainerProxy is undefined, export ContainerProxy from the containers package in your worker entrypoint");
    }
    const interceptAll = this.shouldInterceptAllOutbound();
    if (interceptAll) {
      this.hasInterceptAllRegistration = interceptAll;
    }
    const outboundConfiguration = this.getOutboundConfiguration();
    this.persistOutboundConfiguration(outboundConfiguration);
    const hosts = this.getHostsToIntercept();
    const props = {
      enableInternet: this.enableInternet,
      containerId: this.ctx.id.toString(),
      className: this.constructor.name,
      outboundByHostOverrides: outboundConfiguration.outboundByHostOverrides,
      outboundHandlerOverride: outboundConfiguration.outboundHandlerOverride,
      allowedHosts: outboundConfiguration.allowedHosts,
      deniedHosts: outboundConfiguration.deniedHosts,
      interceptAll
    };
    const fetcher = ctx.exports.ContainerProxy({
      props
    });
    if (interceptAll) {
      for (const host of this.getStaticOutboundByHostKeys()) {
        await this.container.interceptOutboundHttp(host, fetcher);
        if (this.interceptHttps) {
          await this.container.interceptOutboundHttps(host, fetcher);
        }
      }
      if (this.interceptHttps) {
        await this.container.interceptOutboundHttps("*", fetcher);
      }
      await this.container.interceptAllOutboundHttp(fetcher);
    } else {
      for (const host of hosts) {
        await this.container.interceptOutboundHttp(host, fetcher);
        if (this.interceptHttps) {
          await this.container.interceptOutboundHttps(host, fetcher);
        }
      }
    }
  }
  /**
   * Execute SQL queries against the Container's database
   */
  sql(strings, ...values) {
    const query = strings.reduce((acc, str, i) => acc + str + (i < values.length ? "?" : ""), "");
    return [...this.ctx.storage.sql.exec(query, ...values)];
  }
  requestAndPortFromContainerFetchArgs(requestOrUrl, portOrInit, portParam) {
    let request;
    let port;
    if (requestOrUrl instanceof Request) {
      request = requestOrUrl;
      port = typeof portOrInit === "number" ? portOrInit : void 0;
    } else {
      const url = typeof requestOrUrl === "string" ? requestOrUrl : requestOrUrl.toString();
      const init = typeof portOrInit === "number" ? {} : portOrInit || {};
      port = typeof portOrInit === "number" ? portOrInit : typeof portParam === "number" ? portParam : void 0;
      request = new Request(url, init);
    }
    port ??= this.defaultPort;
    if (port === void 0) {
      throw new Error("No port specified for container fetch. Set defaultPort or specify a port parameter.");
    }
    return { request, port };
  }
  /**
   *
   * The method prioritizes port sources in this order:
   * 1. Ports specified directly in the method call
   * 2. `requiredPorts` class property (if set)
   * 3. `defaultPort` (if neither of the above is specified)
   * 4. Falls back to port 33 if none of the above are set
   */
  async getPortsToCheck(overridePorts) {
    if (overridePorts !== void 0) {
      return Array.isArray(overridePorts) ? overridePorts : [overridePorts];
    }
    if (this.requiredPorts && this.requiredPorts.length > 0) {
      return [...this.requiredPorts];
    }
    return [this.defaultPort ?? FALLBACK_PORT_TO_CHECK];
  }
  // ===========================================
  //     CONTAINER INTERACTION & MONITORING
  // ===========================================
  /**
   * Tries to start a container if it's not already running
   * Returns the number of tries used
   */
  async startContainerIfNotRunning(waitOptions, options) {
    if (this.startInFlight) {
      return this.startInFlight;
    }
    if (this.container.running) {
      if (!this.monitor) {
        this.monitor = this.container.monitor();
      }
      return 0;
    }
    const startPromise = this.doStartContainer(waitOptions, options);
    this.startInFlight = startPromise;
    try {
      return await startPromise;
    } finally {
      if (this.startInFlight === startPromise) {
        this.startInFlight = void 0;
      }
    }
  }
  async doStartContainer(waitOptions, options) {
    const abortedSignal = new Promise((res) => {
      waitOptions.signal?.addEventListener("abort", () => {
        res(true);
      });
    });
    const pollInterval = waitOptions.waitInterval ?? INSTANCE_POLL_INTERVAL_MS;
    const totalTries = waitOptions.retries ?? Math.ceil(TIMEOUT_TO_GET_CONTAINER_MS / pollInterval);
    for (let tries = 0; tries < totalTries; tries++) {
      const envVars = options?.envVars ?? this.envVars;
      const entrypoint = options?.entrypoint ?? this.entrypoint;
      const enableInternet = options?.enableInternet ?? this.enableInternet;
      const labels = options?.labels ?? this.labels;
      const startConfig = {
        enableInternet
      };
      if (envVars && Object.keys(envVars).length > 0)
        startConfig.env = envVars;
      if (entrypoint)
        startConfig.entrypoint = entrypoint;
      if (labels && Object.keys(labels).length > 0)
        startConfig.labels = labels;
      this.renewActivityTimeout();
      const handleError = /* @__PURE__ */ __name(async () => {
        const err = await this.monitor?.catch((err2) => err2);
        if (typeof err === "number") {
          const toThrow = new Error(`Container exited before we could determine the container health, exit code: ${err}`);
          await this.state.setStoppedWithCode(err);
          this.monitor = void 0;
          try {
            await this.onError(toThrow);
          } catch {
          }
          throw toThrow;
        } else if (!isNoInstanceError(err)) {
          await this.state.setStopped();
          this.monitor = void 0;
          try {
            await this.onError(err);
          } catch {
          }
          throw err;
        }
      }, "handleError");
      if (tries > 0 && !this.container.running) {
        await handleError();
      }
      await this.scheduleNextAlarm();
      if (!this.container.running) {
        await this.refreshOutboundInterception();
        this.container.start(startConfig);
        this.monitor = this.container.monitor();
        await this.state.setRunning();
      } else {
        await this.scheduleNextAlarm();
      }
      this.renewActivityTimeout();
      const port = this.container.getTcpPort(waitOptions.portToCheck);
      try {
        const combinedSignal = addTimeoutSignal(waitOptions.signal, PING_TIMEOUT_MS);
        await port.fetch("http://containerstarthealthcheck", { signal: combinedSignal });
        return tries;
      } catch (error) {
        if (isNotListeningError(error) && this.container.running) {
          return tries;
        }
        if (!this.container.running && isNotListeningError(error)) {
          await handleError();
        }
        await Promise.any([
          new Promise((res) => setTimeout(res, waitOptions.waitInterval)),
          abortedSignal
        ]);
        if (waitOptions.signal?.aborted) {
          throw new Error("Aborted waiting for container to start as we received a cancellation signal", { cause: error });
        }
        if (totalTries === tries + 1) {
          if (error instanceof Error && error.message.includes("Network connection lost")) {
            this.ctx.abort();
          }
          await handleError();
          await this.state.setStopped();
          this.monitor = void 0;
          throw new Error(NO_CONTAINER_INSTANCE_ERROR, { cause: error });
        }
        continue;
      }
    }
    throw new Error(`Container did not start after ${totalTries * pollInterval}ms`);
  }
  setupMonitorCallbacks() {
    const monitor = this.monitor;
    if (!monitor || this.monitoredPromise === monitor) {
      return;
    }
    this.monitoredPromise = monitor;
    monitor.then(async () => {
      await this.ctx.blockConcurrencyWhile(async () => {
        if (this.monitor === monitor) {
          await this.state.setStoppedWithCode(0);
        }
      });
    }).catch(async (error) => {
      if (this.monitor !== monitor) {
        return;
      }
      if (isNoInstanceError(error)) {
        await this.ctx.blockConcurrencyWhile(async () => {
          if (this.monitor === monitor) {
            await this.state.setStopped();
          }
        });
        return;
      }
      const exitCode = getExitCodeFromError(error);
      if (exitCode !== null) {
        await this.ctx.blockConcurrencyWhile(async () => {
          if (this.monitor === monitor) {
            await this.state.setStoppedWithCode(exitCode);
          }
        });
        return;
      }
      await this.ctx.blockConcurrencyWhile(async () => {
        if (this.monitor === monitor) {
          await this.state.setStopped();
        }
      });
      if (this.monitor !== monitor) {
        return;
      }
      try {
        await this.onError(error);
      } catch {
      }
    }).finally(() => {
      if (this.monitor !== monitor) {
        return;
      }
      this.monitoredPromise = void 0;
      this.monitor = void 0;
      if (this.timeout) {
        if (this.resolve)
          this.resolve();
        clearTimeout(this.timeout);
      }
    });
  }
  deleteSchedules(name) {
    this.sql`DELETE FROM container_schedules WHERE callback = ${name}`;
  }
  // ============================
  //     ALARMS AND SCHEDULES
  // ============================
  /**
   * Method called when an alarm fires
   * Executes any scheduled tasks that are due
   */
  async alarm(alarmProps) {
    if (alarmProps !== void 0 && alarmProps.isRetry && alarmProps.retryCount > MAX_ALARM_RETRIES) {
      const scheduleCount = Number(this.sql`SELECT COUNT(*) as count FROM container_schedules`[0]?.count) || 0;
      const hasScheduledTasks = scheduleCount > 0;
      if (hasScheduledTasks || this.container.running) {
        await this.scheduleNextAlarm();
      }
      return;
    }
    const prevAlarm = Date.now();
    await this.ctx.storage.setAlarm(prevAlarm);
    await this.ctx.storage.sync();
    const result = this.sql`
         SELECT * FROM container_schedules;
       `;
    let minTime = Date.now() + 3 * 60 * 1e3;
    const now = Date.now() / 1e3;
    for (const row of result) {
      if (row.time > now) {
        continue;
      }
      const callback = this[row.callback];
      if (!callback || typeof callback !== "function") {
        console.error(`Callback ${row.callback} not found or is not a function`);
        continue;
      }
      const schedule = this.getSchedule(row.id);
      try {
        const payload = row.payload ? JSON.parse(row.payload) : void 0;
        await callback.call(this, payload, await schedule);
      } catch (e) {
        console.error(`Error executing scheduled callback "${row.callback}":`, e);
      }
      this.sql`DELETE FROM container_schedules WHERE id = ${row.id}`;
    }
    const resultForMinTime = this.sql`
         SELECT * FROM container_schedules;
       `;
    const minTimeFromSchedules = Math.min(...resultForMinTime.map((r) => r.time * 1e3));
    if (!this.container.running) {
      await this.syncPendingStoppedEvents();
      if (resultForMinTime.length == 0) {
        await this.ctx.storage.deleteAlarm();
      } else {
        await this.ctx.storage.setAlarm(minTimeFromSchedules);
      }
      return;
    }
    if (this.isActivityExpired()) {
      await this.onActivityExpired();
      this.renewActivityTimeout();
      return;
    }
    minTime = Math.min(minTimeFromSchedules, minTime, this.sleepAfterMs);
    const timeout = Math.max(0, minTime - Date.now());
    await new Promise((resolve) => {
      this.resolve = resolve;
      if (!this.container.running) {
        resolve();
        return;
      }
      this.timeout = setTimeout(() => {
        resolve();
      }, timeout);
    });
    await this.ctx.storage.setAlarm(Date.now());
  }
  timeout;
  resolve;
  // synchronises container state with the container source of truth to process events
  async syncPendingStoppedEvents() {
    const state = await this.state.getState();
    if (!this.container.running && (state.status === "healthy" || state.status === "running")) {
      await this.callOnStop({ exitCode: 0, reason: "exit" }, state);
      return;
    }
    if (!this.container.running && state.status === "stopped_with_code") {
      await this.callOnStop({ exitCode: state.exitCode ?? 0, reason: "exit" }, state);
      return;
    }
  }
  async callOnStop(onStopParams, stateBeforeOnStop) {
    if (this.onStopCalled) {
      return;
    }
    this.onStopCalled = true;
    const promise = this.onStop(onStopParams);
    if (promise instanceof Promise) {
      await promise.finally(() => {
        this.onStopCalled = false;
      });
    } else {
      this.onStopCalled = false;
    }
    await this.state.setStoppedIfUnchanged(stateBeforeOnStop);
  }
  /**
   * Schedule the next alarm based on upcoming tasks
   */
  async scheduleNextAlarm(ms = 1e3) {
    const nextTime = ms + Date.now();
    if (this.timeout) {
      if (this.resolve)
        this.resolve();
      clearTimeout(this.timeout);
    }
    await this.ctx.storage.setAlarm(nextTime);
    await this.ctx.storage.sync();
  }
  async listSchedules(name) {
    const result = this.sql`
      SELECT * FROM container_schedules WHERE callback = ${name} LIMIT 1
    `;
    if (!result || result.length === 0) {
      return [];
    }
    return result.map(this.toSchedule);
  }
  toSchedule(schedule) {
    let payload;
    try {
      payload = JSON.parse(schedule.payload);
    } catch (e) {
      console.error(`Error parsing payload for schedule ${schedule.id}:`, e);
      payload = void 0;
    }
    if (schedule.type === "delayed") {
      return {
        taskId: schedule.id,
        callback: schedule.callback,
        payload,
        type: "delayed",
        time: schedule.time,
        delayInSeconds: schedule.delayInSeconds
      };
    }
    return {
      taskId: schedule.id,
      callback: schedule.callback,
      payload,
      type: "scheduled",
      time: schedule.time
    };
  }
  /**
   * Get a scheduled task by ID
   * @template T Type of the payload data
   * @param id ID of the scheduled task
   * @returns The Schedule object or undefined if not found
   */
  async getSchedule(id) {
    const result = this.sql`
      SELECT * FROM container_schedules WHERE id = ${id} LIMIT 1
    `;
    if (!result || result.length === 0) {
      return void 0;
    }
    const schedule = result[0];
    return this.toSchedule(schedule);
  }
  isActivityExpired() {
    if (this.inflightRequests > 0) {
      this.renewActivityTimeout();
      return false;
    }
    return this.sleepAfterMs <= Date.now();
  }
};

// dist/disabled.js
var ContainersDisabledError = class extends Error {
  static {
    __name(this, "ContainersDisabledError");
  }
  exportName;
  constructor(exportName, className) {
    super(`Container "${exportName}" cannot start: containers are disabled in this dev session (\`--enable-containers=false\`, or "dev": { "enable_containers": false } in the wrangler config). To run it locally, start \`lunora dev\` without that, with a Docker engine running. (Outside local dev this means the wrangler config has no \`containers\` entry for class ${className}: run \`lunora codegen\`.)`);
    this.name = "ContainersDisabledError";
    this.exportName = exportName;
  }
};

// dist/do.js
var RUN_GENERATION_KEY = "lunora:run-generation";
var HARD_TIMEOUT_CALLBACK = "lunoraHardTimeout";
var ContainerStartError = class extends Error {
  static {
    __name(this, "ContainerStartError");
  }
  constructor(message) {
    super(message);
    this.name = "ContainerStartError";
  }
};
var ContainerNotReadyError = class extends Error {
  static {
    __name(this, "ContainerNotReadyError");
  }
  probe;
  constructor(message, probe) {
    super(message);
    this.name = "ContainerNotReadyError";
    this.probe = probe;
  }
};
var NO_INSTANCE_ANSWER = "There is no Container instance available at this time.\nThis is likely because you have reached your max concurrent instance count (set in wrangler config) or are you currently provisioning the Container.\nIf you are deploying your Container for the first time, check your dashboard to see provisioning status, this may take a few minutes.";
function describe(error) {
  if (error instanceof Error)
    return error.message;
  return error === void 0 ? "the container exited before it was healthy" : String(error);
}
__name(describe, "describe");
var LunoraContainer = class extends Container {
  static {
    __name(this, "LunoraContainer");
  }
  definition;
  exportName;
  /** Total time all `readyOn` probes get to answer, per start. */
  readinessTimeoutMs = 2e4;
  /** Delay between two polls of a probe that has not answered yet. */
  readinessPollMs = 300;
  /** Upper bound for one probe request. */
  probeRequestTimeoutMs = 5e3;
  /** Clock and wait used by readiness polling; a seam for tests. */
  now() {
    return Date.now();
  }
  sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
  secretsStoreValues;
  /** The generation of the run this object last began or saw (stored under RUN_GENERATION_KEY). */
  runGeneration;
  /** The run generation whose `readyOn` probes passed. */
  readyFor;
  /** The readiness check in progress; every caller waiting for this run's readiness shares it. */
  readiness;
  /** The new run has not been announced with a `start` line yet. */
  announcePending = false;
  /** The stop LunoraContainer asked for, so onStop can say why the container stopped. */
  requestedStop;
  /**
   * `ctx` is typed as the widest `DurableObjectState` so a generated constructor's
   * `ctx: DurableObjectState` passes straight through.
   */
  constructor(ctx, env, definition, exportName) {
    if (ctx.container === void 0)
      throw new ContainersDisabledError(exportName, new.target.name);
    super(ctx, env);
    this.definition = definition;
    this.exportName = exportName;
    const d = definition;
    if (d.defaultPort !== void 0)
      this.defaultPort = d.defaultPort;
    if (d.requiredPorts !== void 0)
      this.requiredPorts = [...d.requiredPorts];
    if (d.sleepAfter !== void 0)
      this.sleepAfter = d.sleepAfter;
    if (d.entrypoint !== void 0)
      this.entrypoint = [...d.entrypoint];
    if (d.enableInternet !== void 0)
      this.enableInternet = d.enableInternet;
    if (d.allowedHosts !== void 0)
      this.allowedHosts = [...d.allowedHosts];
    if (d.deniedHosts !== void 0)
      this.deniedHosts = [...d.deniedHosts];
    if (d.interceptHttps !== void 0)
      this.interceptHttps = d.interceptHttps;
    if (d.pingEndpoint !== void 0) {
      this.pingEndpoint = d.pingEndpoint.startsWith("/") ? `container${d.pingEndpoint}` : d.pingEndpoint;
    }
    if (d.labels !== void 0)
      this.labels = { ...d.labels };
    this.envVars = { ...d.env ?? {} };
  }
  // ---------------------------------------------------------------- lifecycle lines
  /**
   * Writes one lifecycle line (`{"type":"container",…}`) to the log. `detail` is what `lunora dev`
   * prints after the event; `exitCode` and `reason` are set on stops.
   */
  emitLifecycle(event, message, extra = {}) {
    const line = {
      type: "container",
      container: this.exportName,
      instanceId: this.ctx.id.toString(),
      event,
      level: event === "error" ? "error" : "info",
      message,
      timestamp: (/* @__PURE__ */ new Date()).toISOString()
    };
    if (extra.detail !== void 0 && extra.detail !== "")
      line.detail = extra.detail;
    if (extra.exitCode !== void 0)
      line.exitCode = extra.exitCode;
    if (extra.reason !== void 0)
      line.reason = extra.reason;
    console.log(JSON.stringify(line));
  }
  emitError(error) {
    const text = describe(error);
    this.emitLifecycle("error", text, { detail: text });
  }
  /** The `start` line of a new run, once, when it is started (and ready, with `readyOn`). */
  announceStart() {
    if (!this.announcePending)
      return;
    this.announcePending = false;
    this.emitLifecycle("start", this.probes.length > 0 ? "container started and ready" : "container started");
  }
  /**
   * The env a start without explicit `envVars` gets: static `env`, then `secrets` from the Worker
   * env, then Secrets Store values. Throws `ContainerStartError` naming what is missing.
   */
  async resolveStartEnv() {
    const workerEnv = this.env;
    const resolved = { ...this.definition.env ?? {} };
    for (const name of this.definition.secrets ?? []) {
      const value = workerEnv[name];
      if (typeof value !== "string") {
        throw new ContainerStartError(`Container "${this.exportName}" cannot start: secret ${name} is not set in the Worker env. Set it with \`wrangler secret put ${name}\` for production, or add ${name}=\u2026 to .dev.vars for local dev.`);
      }
      resolved[name] = value;
    }
    Object.assign(resolved, await this.resolveSecretsStore());
    return resolved;
  }
  /** Resolves `secretsStore` once per instance; a failed resolution is retried on the next start. */
  resolveSecretsStore() {
    const entries = Object.entries(this.definition.secretsStore ?? {});
    if (entries.length === 0)
      return Promise.resolve({});
    if (!this.secretsStoreValues) {
      const workerEnv = this.env;
      const pending = (async () => {
        const values = {};
        for (const [envName, binding] of entries) {
          const secret = workerEnv[binding];
          if (typeof secret !== "object" || secret === null || typeof secret.get !== "function") {
            throw new ContainerStartError(`Container "${this.exportName}" cannot start: Secrets Store binding ${binding} (for ${envName}) is missing from the Worker env. Add it to "secrets_store_secrets" in wrangler.jsonc with binding "${binding}".`);
          }
          let value;
          try {
            value = await secret.get();
          } catch (error) {
            throw new ContainerStartError(`Container "${this.exportName}" cannot start: reading Secrets Store binding ${binding} (for ${envName}) failed: ${describe(error)}`);
          }
          values[envName] = value;
        }
        return values;
      })();
      this.secretsStoreValues = pending;
      pending.catch(() => {
        if (this.secretsStoreValues === pending)
          this.secretsStoreValues = void 0;
      });
    }
    return this.secretsStoreValues;
  }
  /** Start options with the definition's env filled in, unless the caller replaced the env. */
  async prepareStart(options) {
    if (options?.envVars !== void 0 || this.ctx.container?.running)
      return options;
    try {
      return { ...options, envVars: await this.resolveStartEnv() };
    } catch (error) {
      this.emitError(error);
      throw error;
    }
  }
  /** Starts the container (if it is stopped), then waits for `readyOn`. */
  async start(...args) {
    const [startOptions, waitOptions] = args;
    const options = await this.prepareStart(startOptions);
    await this.beginRunIfStopped();
    await super.start(options, waitOptions);
    await this.ensureReady();
  }
  /** Starts the container (if it is stopped), waits for its ports, then for `readyOn`. */
  async startAndWaitForPorts(...args) {
    const [portsOrArgs, cancellationOptions, startOptions] = args;
    if (typeof portsOrArgs === "object" && portsOrArgs !== null && !Array.isArray(portsOrArgs)) {
      const options = await this.prepareStart(portsOrArgs.startOptions);
      await this.beginRunIfStopped();
      await super.startAndWaitForPorts({ ...portsOrArgs, startOptions: options });
    } else {
      const options = await this.prepareStart(startOptions);
      await this.beginRunIfStopped();
      await super.startAndWaitForPorts(portsOrArgs, cancellationOptions, options);
    }
    await this.ensureReady();
  }
  /**
   * A start that finds the container stopped begins a new run, before the container is asked to
   * start: the run generation goes up and the hard timeout is re-armed for it, so a timer left by
   * an earlier run can never stop this one, not even while it is still starting.
   */
  async beginRunIfStopped() {
    if (this.ctx.container?.running)
      return;
    await this.beginRun();
  }
  async beginRun() {
    const generation = (await this.ctx.storage.get(RUN_GENERATION_KEY) ?? 0) + 1;
    await this.ctx.storage.put(RUN_GENERATION_KEY, generation);
    this.runGeneration = generation;
    this.readyFor = void 0;
    this.announcePending = true;
    await this.armHardTimeout(generation);
  }
  // ---------------------------------------------------------------- readiness
  get probes() {
    return this.definition.readyOn ?? [];
  }
  /** Waits until every `readyOn` probe answers its status; probes run in parallel within one budget. */
  async waitForReadiness() {
    if (this.probes.length === 0)
      return;
    const deadline = this.now() + this.readinessTimeoutMs;
    await Promise.all(this.probes.map((probe) => this.waitForProbe(probe, deadline)));
  }
  async waitForProbe(probe, deadline) {
    const port = probe.port ?? this.defaultPort;
    const path = probe.path.startsWith("/") ? probe.path : `/${probe.path}`;
    const expected = probe.status ?? 200;
    const label = `readyOn probe GET ${path} on port ${port ?? "?"} (expects ${expected})`;
    if (port === void 0) {
      throw new ContainerNotReadyError(`Container "${this.exportName}": ${label} has no port; set \`port\` on the probe or \`defaultPort\`.`, probe);
    }
    const container = this.ctx.container;
    if (!container)
      throw new ContainerNotReadyError(`Container "${this.exportName}": ${label} cannot run without a container.`, probe);
    let last = "no answer";
    for (; ; ) {
      const remaining = deadline - this.now();
      try {
        const response = await container.getTcpPort(port).fetch(`http://container${path}`, {
          signal: AbortSignal.timeout(Math.max(1, Math.min(this.probeRequestTimeoutMs, remaining)))
        });
        try {
          await response.body?.cancel();
        } catch {
        }
        if (response.status === expected)
          return;
        last = `answered ${response.status}`;
      } catch (error) {
        last = describe(error);
      }
      if (this.now() + this.readinessPollMs > deadline) {
        throw new ContainerNotReadyError(`Container "${this.exportName}" did not become ready: ${label} did not answer ${expected} within ${this.readinessTimeoutMs} ms (last: ${last}).`, probe);
      }
      await this.sleep(this.readinessPollMs);
    }
  }
  /**
   * Resolves once this run's `readyOn` probes have passed (at once without probes, or when they
   * already passed). Concurrent callers share one check. It runs outside blockConcurrencyWhile:
   * workerd resets an object whose block lasts longer than 30 s, and the readiness budget is 20 s
   * on top of the port wait. A failure is reported, destroys the unready container, and rejects
   * with a ContainerNotReadyError.
   */
  ensureReady() {
    if (this.probes.length === 0)
      return Promise.resolve();
    if (this.readyFor !== void 0 && this.readyFor === this.runGeneration && this.ctx.container?.running) {
      return Promise.resolve();
    }
    if (!this.readiness) {
      const check = (async () => {
        this.runGeneration ??= await this.ctx.storage.get(RUN_GENERATION_KEY);
        const generation = this.runGeneration;
        try {
          await this.waitForReadiness();
        } catch (error) {
          this.emitError(error);
          if (this.ctx.container?.running) {
            this.requestedStop = { reason: "not-ready", detail: "readyOn probes did not pass" };
            try {
              await this.destroy();
            } catch {
            }
          }
          throw error;
        }
        if (this.runGeneration === generation)
          this.readyFor = generation;
        this.announceStart();
      })();
      this.readiness = check;
      check.then(() => this.clearReadiness(check), () => this.clearReadiness(check));
    }
    return this.readiness;
  }
  clearReadiness(check) {
    if (this.readiness === check)
      this.readiness = void 0;
  }
  // ---------------------------------------------------------------- hooks
  /**
   * Runs after every successful start, once the ports answer, inside blockConcurrencyWhile (so it
   * must stay short; `readyOn` is waited for afterwards, in ensureReady). The run itself began
   * when the start found the container stopped (beginRunIfStopped).
   */
  async onStart() {
    this.runGeneration ??= await this.ctx.storage.get(RUN_GENERATION_KEY);
    if (this.runGeneration === void 0)
      await this.beginRun();
    if (this.probes.length === 0)
      this.announceStart();
  }
  /** One `stop` line per stop, saying why (what was asked for, or an exit) and with which exit code. */
  onStop(params) {
    const requested = this.requestedStop;
    this.requestedStop = void 0;
    const code = `exit code ${params.exitCode}`;
    if (requested) {
      const detail = `${requested.detail}, ${code}`;
      this.emitLifecycle("stop", `container stopped: ${detail}`, { detail, exitCode: params.exitCode, reason: requested.reason });
    } else if (params.exitCode !== 0) {
      const detail = `exited unexpectedly with ${code}`;
      this.emitLifecycle("error", `container ${detail}`, { detail, exitCode: params.exitCode, reason: "exit" });
    } else {
      const detail = `exited with ${code}`;
      this.emitLifecycle("stop", `container ${detail}`, { detail, exitCode: params.exitCode, reason: "exit" });
    }
  }
  onError(error) {
    this.emitError(error);
    return super.onError(error);
  }
  /** `sleepAfter` elapsed with no activity: the base stops the container. */
  async onActivityExpired() {
    if (this.ctx.container?.running) {
      this.requestedStop ??= { reason: "sleep-after", detail: `idle for sleepAfter (${String(this.sleepAfter)})` };
    }
    await super.onActivityExpired();
  }
  /** Sends SIGTERM (or `signal`); the `stop` line follows when the container has exited. */
  async stop(...args) {
    if (this.ctx.container?.running)
      this.requestedStop ??= { reason: "stop", detail: "stop() requested" };
    await super.stop(...args);
  }
  /** Kills the container (SIGKILL) and discards its disk. */
  async destroy() {
    if (this.ctx.container?.running)
      this.requestedStop ??= { reason: "destroy", detail: "destroy() requested" };
    await super.destroy();
  }
  // ---------------------------------------------------------------- hard timeout
  /**
   * Arms this run's hard timeout (replacing any earlier run's). The scheduler keeps whole
   * seconds and rounds down, so the due time is rounded up: a run is never stopped before
   * `hardTimeout` has elapsed.
   */
  async armHardTimeout(generation) {
    if (this.definition.hardTimeout === void 0)
      return;
    const seconds = parseDuration(this.definition.hardTimeout, "hardTimeout");
    this.deleteSchedules(HARD_TIMEOUT_CALLBACK);
    await this.schedule(new Date(Math.ceil(Date.now() / 1e3) * 1e3 + seconds * 1e3), HARD_TIMEOUT_CALLBACK, { generation });
  }
  /** Scheduler callback; ignores timers armed by an earlier run. */
  async lunoraHardTimeout(payload) {
    const current = await this.ctx.storage.get(RUN_GENERATION_KEY);
    if (payload?.generation === void 0 || payload.generation !== current)
      return;
    if (!this.ctx.container?.running)
      return;
    await this.onHardTimeoutExpired();
  }
  /** Called when `hardTimeout` elapses for the current run. Default: `stop()`. */
  async onHardTimeoutExpired() {
    this.requestedStop ??= { reason: "hard-timeout", detail: `hard timeout (${String(this.definition.hardTimeout)}) reached` };
    await this.stop();
  }
  // ---------------------------------------------------------------- requests
  /**
   * The ports a request needs before it is proxied: every required port (or `defaultPort`) and
   * its target port. `undefined` when there is no port at all (the base reports that).
   */
  portsFor(request) {
    const header = request.headers.get(TARGET_PORT_HEADER);
    const target = header === null ? this.defaultPort : Number.parseInt(header, 10);
    if (target === void 0 || Number.isNaN(target))
      return void 0;
    const base = this.requiredPorts?.length ? this.requiredPorts : this.defaultPort !== void 0 ? [this.defaultPort] : [];
    return [.../* @__PURE__ */ new Set([...base, target])];
  }
  /** The answer for a start that failed on the request path, in the shapes the accessor's retry reads. */
  startFailure(error) {
    if (error instanceof ContainerNotReadyError)
      return new Response(error.message, { status: 503 });
    const message = describe(error);
    const lower = message.toLowerCase();
    if (lower.includes("there is no container instance that can be provided"))
      return new Response(NO_INSTANCE_ANSWER, { status: 503 });
    if (lower.includes("you are requesting too many containers per second"))
      return new Response(message, { status: 429 });
    return new Response(`Failed to start container: ${message}`, { status: 500 });
  }
  /**
   * Proxies a request (HTTP or WebSocket) to the container. Before that, a stopped or not yet
   * healthy container is started and waited for: every port in `requiredPorts` (the base alone
   * waits for the target port only), then `readyOn`. A start the Worker cannot satisfy (a missing
   * secret or Secrets Store binding) answers 500 with the reason instead of starting; a container
   * that does not become ready answers 503 with the probe that failed (never retried as a
   * provisioning blip: each retry would wait the whole readiness budget again).
   */
  async fetch(request) {
    if (!this.ctx.container?.running) {
      try {
        await this.resolveStartEnv();
      } catch (error) {
        if (!(error instanceof ContainerStartError))
          throw error;
        this.emitError(error);
        return new Response(error.message, { status: 500 });
      }
    }
    const ports = this.portsFor(request);
    if (ports !== void 0 && this.ctx.container) {
      try {
        const { status } = await this.getState();
        if (!this.ctx.container.running || status !== "healthy") {
          await this.startAndWaitForPorts(ports, { abort: request.signal });
        } else {
          await this.ensureReady();
        }
      } catch (error) {
        return this.startFailure(error);
      }
    }
    return super.fetch(request);
  }
  // ---------------------------------------------------------------- RPC for ctx.containers handles
  async lunoraStart(options) {
    const startOptions = options?.envVars ? { envVars: { ...options.envVars } } : void 0;
    if (this.defaultPort !== void 0 || this.requiredPorts !== void 0) {
      await this.startAndWaitForPorts({ startOptions });
    } else {
      await this.start(startOptions);
    }
  }
  async lunoraGetState() {
    return await this.getState();
  }
  async lunoraStop() {
    await this.stop();
  }
  async lunoraDestroy() {
    await this.destroy();
  }
  async lunoraEgress(op, value) {
    const one = /* @__PURE__ */ __name(() => {
      if (typeof value !== "string")
        throw new TypeError(`egress.${op} expects one host name`);
      return value;
    }, "one");
    const many = /* @__PURE__ */ __name(() => {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
        throw new TypeError(`egress.${op} expects an array of host names`);
      }
      return [...value];
    }, "many");
    switch (op) {
      case "allow":
        return this.allowHost(one());
      case "deny":
        return this.denyHost(one());
      case "removeAllowed":
        return this.removeAllowedHost(one());
      case "removeDenied":
        return this.removeDeniedHost(one());
      case "setAllowed":
        return this.setAllowedHosts(many());
      case "setDenied":
        return this.setDeniedHosts(many());
      default:
        throw new TypeError(`unknown egress operation ${String(op)}`);
    }
  }
};

// ../../../../../tmp/lunora-fixture-workerd-AA9E2T/lunora/containers.ts
var transcoder = defineContainer({
  image: "./container",
  defaultPort: 80,
  maxInstances: 2,
  sleepAfter: "1m"
});

// ../../../../../tmp/lunora-fixture-workerd-AA9E2T/lunora/_generated/containers.ts
var TranscoderContainer = class extends LunoraContainer {
  static {
    __name(this, "TranscoderContainer");
  }
  constructor(ctx, env) {
    super(ctx, env, transcoder, "transcoder");
  }
};

// ../../../../../tmp/lunora-fixture-workerd-AA9E2T/src/index.ts
function describe2(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
__name(describe2, "describe");
var src_default = {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      switch (url.pathname) {
        case "/get": {
          const response = await createContainers(env).transcoder.get("job-1").fetch("/index.html");
          return new Response(`status=${response.status} body=${await response.text()}`);
        }
        case "/any": {
          const response = await createContainers(env).transcoder.any().port(80).fetch("/");
          return new Response(`status=${response.status} body=${await response.text()}`);
        }
        case "/missing": {
          createContainers({}).transcoder.get("job-1");
          return new Response("no error");
        }
        case "/double": {
          const containers = createContainerTestContext({
            transcoder: /* @__PURE__ */ __name((req, { name }) => Response.json({ ok: true, name, path: new URL(req.url).pathname }), "transcoder")
          });
          return containers.transcoder.get("video-7").fetch("/transcode");
        }
        default:
          return new Response("not found", { status: 404 });
      }
    } catch (error) {
      return new Response(`threw ${describe2(error)}`, { status: 500 });
    }
  }
};

// ../../node_modules/wrangler/templates/middleware/middleware-ensure-req-body-drained.ts
var drainBody = /* @__PURE__ */ __name(async (request, env, _ctx, middlewareCtx) => {
  try {
    return await middlewareCtx.next(request, env);
  } finally {
    try {
      if (request.body !== null && !request.bodyUsed) {
        const reader = request.body.getReader();
        while (!(await reader.read()).done) {
        }
      }
    } catch (e) {
      console.error("Failed to drain the unused request body.", e);
    }
  }
}, "drainBody");
var middleware_ensure_req_body_drained_default = drainBody;

// ../../node_modules/wrangler/templates/middleware/middleware-miniflare3-json-error.ts
function reduceError(e) {
  return {
    name: e?.name,
    message: e?.message ?? String(e),
    stack: e?.stack,
    cause: e?.cause === void 0 ? void 0 : reduceError(e.cause)
  };
}
__name(reduceError, "reduceError");
var jsonError = /* @__PURE__ */ __name(async (request, env, _ctx, middlewareCtx) => {
  try {
    return await middlewareCtx.next(request, env);
  } catch (e) {
    const error = reduceError(e);
    return Response.json(error, {
      status: 500,
      headers: { "MF-Experimental-Error-Stack": "true" }
    });
  }
}, "jsonError");
var middleware_miniflare3_json_error_default = jsonError;

// .wrangler/tmp/bundle-c4TXkM/middleware-insertion-facade.js
var __INTERNAL_WRANGLER_MIDDLEWARE__ = [
  middleware_ensure_req_body_drained_default,
  middleware_miniflare3_json_error_default
];
var middleware_insertion_facade_default = src_default;

// ../../node_modules/wrangler/templates/middleware/common.ts
var __facade_middleware__ = [];
function __facade_register__(...args) {
  __facade_middleware__.push(...args.flat());
}
__name(__facade_register__, "__facade_register__");
function __facade_invokeChain__(request, env, ctx, dispatch, middlewareChain) {
  const [head, ...tail] = middlewareChain;
  const middlewareCtx = {
    dispatch,
    next(newRequest, newEnv) {
      return __facade_invokeChain__(newRequest, newEnv, ctx, dispatch, tail);
    }
  };
  return head(request, env, ctx, middlewareCtx);
}
__name(__facade_invokeChain__, "__facade_invokeChain__");
function __facade_invoke__(request, env, ctx, dispatch, finalMiddleware) {
  return __facade_invokeChain__(request, env, ctx, dispatch, [
    ...__facade_middleware__,
    finalMiddleware
  ]);
}
__name(__facade_invoke__, "__facade_invoke__");

// .wrangler/tmp/bundle-c4TXkM/middleware-loader.entry.ts
var __Facade_ScheduledController__ = class ___Facade_ScheduledController__ {
  constructor(scheduledTime, cron, noRetry) {
    this.scheduledTime = scheduledTime;
    this.cron = cron;
    this.#noRetry = noRetry;
  }
  static {
    __name(this, "__Facade_ScheduledController__");
  }
  #noRetry;
  noRetry() {
    if (!(this instanceof ___Facade_ScheduledController__)) {
      throw new TypeError("Illegal invocation");
    }
    this.#noRetry();
  }
};
function wrapExportedHandler(worker) {
  if (__INTERNAL_WRANGLER_MIDDLEWARE__ === void 0 || __INTERNAL_WRANGLER_MIDDLEWARE__.length === 0) {
    return worker;
  }
  for (const middleware of __INTERNAL_WRANGLER_MIDDLEWARE__) {
    __facade_register__(middleware);
  }
  const fetchDispatcher = /* @__PURE__ */ __name(function(request, env, ctx) {
    if (worker.fetch === void 0) {
      throw new Error("Handler does not export a fetch() function.");
    }
    return worker.fetch(request, env, ctx);
  }, "fetchDispatcher");
  return {
    ...worker,
    fetch(request, env, ctx) {
      const dispatcher = /* @__PURE__ */ __name(function(type, init) {
        if (type === "scheduled" && worker.scheduled !== void 0) {
          const controller = new __Facade_ScheduledController__(
            Date.now(),
            init.cron ?? "",
            () => {
            }
          );
          return worker.scheduled(controller, env, ctx);
        }
      }, "dispatcher");
      return __facade_invoke__(request, env, ctx, dispatcher, fetchDispatcher);
    }
  };
}
__name(wrapExportedHandler, "wrapExportedHandler");
function wrapWorkerEntrypoint(klass) {
  if (__INTERNAL_WRANGLER_MIDDLEWARE__ === void 0 || __INTERNAL_WRANGLER_MIDDLEWARE__.length === 0) {
    return klass;
  }
  for (const middleware of __INTERNAL_WRANGLER_MIDDLEWARE__) {
    __facade_register__(middleware);
  }
  return class extends klass {
    #fetchDispatcher = /* @__PURE__ */ __name((request, env, ctx) => {
      this.env = env;
      this.ctx = ctx;
      if (super.fetch === void 0) {
        throw new Error("Entrypoint class does not define a fetch() function.");
      }
      return super.fetch(request);
    }, "#fetchDispatcher");
    #dispatcher = /* @__PURE__ */ __name((type, init) => {
      if (type === "scheduled" && super.scheduled !== void 0) {
        const controller = new __Facade_ScheduledController__(
          Date.now(),
          init.cron ?? "",
          () => {
          }
        );
        return super.scheduled(controller);
      }
    }, "#dispatcher");
    fetch(request) {
      return __facade_invoke__(
        request,
        this.env,
        this.ctx,
        this.#dispatcher,
        this.#fetchDispatcher
      );
    }
  };
}
__name(wrapWorkerEntrypoint, "wrapWorkerEntrypoint");
var WRAPPED_ENTRY;
if (typeof middleware_insertion_facade_default === "object") {
  WRAPPED_ENTRY = wrapExportedHandler(middleware_insertion_facade_default);
} else if (typeof middleware_insertion_facade_default === "function") {
  WRAPPED_ENTRY = wrapWorkerEntrypoint(middleware_insertion_facade_default);
}
var middleware_loader_entry_default = WRAPPED_ENTRY;
export {
  ContainerProxy,
  TranscoderContainer,
  __INTERNAL_WRANGLER_MIDDLEWARE__,
  middleware_loader_entry_default as default
};
//# sourceMappingURL=index.js.map
