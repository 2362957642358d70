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

export {
  RULE_CODES,
  WARNING_CODES,
  RULES,
  ContainerConfigError,
  type RuleCode,
  type WarningCode,
  type ContainerConfigWarning,
} from "./rules/table.js";
export { suggestKey, checkPort, parseDuration } from "./rules/checks.js";
export {
  looksLikeRegistryReference,
  hasTagOrDigest,
  registryHost,
  isSupportedRegistryHost,
  qualifiedDockerHubReference,
} from "./rules/image.js";
export { describeSize } from "./rules/fields.js";

import { RULE_CODES, RULES, WARNING_CODES, type ContainerConfigWarning } from "./rules/table.js";
import {
  ENV_NAME_RE,
  checkBoolean,
  checkEnvName,
  checkHosts,
  checkKeys,
  checkNonBlankString,
  checkObject,
  checkPort,
  checkStringList,
  checkStringMap,
  fail,
  isObject,
  parseDuration,
  wrongType,
  type Obj,
} from "./rules/checks.js";
import { checkImage } from "./rules/image.js";
import { checkInstanceType, checkReadyOn, checkRollout } from "./rules/fields.js";

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
