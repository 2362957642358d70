/**
 * The structured fields: `instanceType` (named or custom sizes), `rollout` and `readyOn`.
 */

import { RULE_CODES, RULES } from "./table.js";
import { checkKeys, checkObject, checkPort, fail, isObject, suggestKey, wrongType } from "./checks.js";

/** `1/16 vCPU, 256 MiB memory, 2 GB disk`, the way the spec's instance table writes sizes. */
export function describeSize(size: { vcpu: number; memoryMib: number; diskMb: number }): string {
  const inverse = 1 / size.vcpu;
  const vcpu = size.vcpu < 1 && Number.isInteger(inverse) ? `1/${inverse}` : String(size.vcpu);
  const memory = size.memoryMib % 1024 === 0 ? `${size.memoryMib / 1024} GiB` : `${size.memoryMib} MiB`;
  const disk = size.diskMb % 1000 === 0 ? `${size.diskMb / 1000} GB` : `${size.diskMb} MB`;
  return `${vcpu} vCPU, ${memory} memory, ${disk} disk`;
}

export function checkInstanceType(value: unknown): void {
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

export function checkRollout(value: unknown): void {
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

export function checkReadyOn(value: unknown, defaultPort: unknown): void {
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
