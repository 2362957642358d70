/**
 * The checks every rule is built from: types, keys (with a "did you mean"), ports, durations,
 * environment names, string lists and maps, booleans, hosts. Each throws the first violation as
 * a `ContainerConfigError` located at its `path`.
 */

import { ContainerConfigError, RULE_CODES, RULES, type RuleCode } from "./table.js";

export const DURATION_RE = new RegExp(RULES.durationPattern);
export const ENV_NAME_RE = new RegExp(RULES.envNamePattern);

export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function typeName(value: unknown): string {
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

export function fail(code: RuleCode, path: string, message: string, help?: string): never {
  throw new ContainerConfigError(code, path, message, help);
}

export function wrongType(path: string, expected: string, value: unknown, help?: string): never {
  return fail(RULE_CODES.invalidValue, path, `\`${path}\` must be ${expected}, not ${typeName(value)}.`, help);
}

/** Levenshtein distance, case-insensitive, for "did you mean". */
export function editDistance(a: string, b: string): number {
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

export function checkKeys(value: Obj, known: readonly string[], where: string, path: string): void {
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

export function checkStringList(value: unknown, path: string): readonly string[] {
  if (!Array.isArray(value)) wrongType(path, "an array", value);
  value.forEach((item: unknown, i: number) => {
    if (typeof item !== "string") wrongType(`${path}[${i}]`, "a string", item);
  });
  return value as string[];
}

export function checkObject(value: unknown, path: string): Obj {
  if (!isObject(value)) wrongType(path, "an object", value);
  return value;
}

export function checkEnvName(name: string, path: string, field: string, what: string): void {
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
export function checkStringMap(value: unknown, field: string, names: boolean): Readonly<Record<string, string>> {
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

export function checkBoolean(value: unknown, path: string): void {
  if (typeof value !== "boolean") wrongType(path, "`true` or `false`", value);
}

export function checkHosts(value: unknown, field: string): void {
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
export function checkNonBlankString(value: unknown, field: string, example: string): void {
  if (typeof value !== "string") wrongType(field, "a string", value, `write ${example}`);
  if (value.trim() === "") fail(RULE_CODES.emptyValue, field, `\`${field}\` is empty.`, `write ${example}, or remove the field`);
}
