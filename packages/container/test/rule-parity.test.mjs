// One rule table, two validators: every case of crates/parser/tests/rule_cases.json runs through
// `defineContainer` here and through the Rust parser in crates/parser/tests/rule_parity.rs. A case
// either side fails is a divergence between `lunora codegen` and the runtime.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { defineContainer, containerConfigWarnings, ContainerConfigError, RULES } from "../dist/index.js";

const { cases } = JSON.parse(
  readFileSync(new URL("../../../crates/parser/tests/rule_cases.json", import.meta.url), "utf8"),
);

/** Runs the case's file: `prelude`, `defineContainer(config)`, `after`; the definition, or the throw. */
function run(c, define = defineContainer) {
  const body = `"use strict"; ${c.prelude ?? ""}\nconst __definition = __define((${c.config}));\n${c.after ?? ""}\nreturn __definition;`;
  return new Function("__define", body)(define);
}

/** The case's `config` as the runtime receives it (the file run up to the call). */
const argument = (c) => run(c, (config) => config);

/** Whether `actual` has every field of `expected` (own fields only, as JSON would show them). */
function sameFields(actual, expected) {
  for (const [field, want] of Object.entries(expected)) {
    const got = actual[field];
    const norm = (v) => JSON.stringify(v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : v);
    if (!Object.prototype.hasOwnProperty.call(actual, field) || norm(got) !== norm(want)) {
      return `\`${field}\` is ${norm(got)}, the case says ${norm(want)}`;
    }
  }
  return undefined;
}

/** Why `defineContainer` disagrees with a case, or undefined. */
function divergence(c) {
  let thrown;
  let definition;
  try {
    definition = run(c);
  } catch (error) {
    thrown = error;
  }
  if (c.runtimeSees !== undefined) {
    // lunora codegen refuses this file; the runtime, running it, sees other values than the
    // ones written: that is why the refusal is needed.
    if (thrown !== undefined) return `expected the runtime to run the file, got ${thrown.code ?? ""} ${thrown.message}`;
    return sameFields(definition, c.runtimeSees);
  }
  if (c.error === undefined) {
    if (thrown !== undefined) return `expected no error, got ${thrown.code ?? ""} ${thrown.message}`;
    const warnings = containerConfigWarnings(argument(c)).map((w) => w.code).sort();
    const expected = [...(c.warnings ?? [])].sort();
    if (JSON.stringify(warnings) !== JSON.stringify(expected)) {
      return `expected warnings ${JSON.stringify(expected)}, got ${JSON.stringify(warnings)}`;
    }
    return c.value === undefined ? undefined : sameFields(definition, c.value);
  }
  if (!(thrown instanceof ContainerConfigError)) return `expected ${c.error}, got ${thrown === undefined ? "no error" : thrown}`;
  if (thrown.code !== c.error) return `expected ${c.error}, got ${thrown.code}: ${thrown.message}`;
  if (thrown.path !== c.path) return `expected the path ${JSON.stringify(c.path)}, got ${JSON.stringify(thrown.path)}`;
  for (const gist of c.gist ?? []) {
    if (!thrown.message.includes(gist)) return `the ${c.error} message does not mention ${JSON.stringify(gist)}: ${thrown.message}`;
  }
  return undefined;
}

test("defineContainer reports what every shared case expects", () => {
  assert.ok(cases.length > 100, "rule_cases.json lost its cases");
  const failures = cases.flatMap((c) => {
    const why = divergence(c);
    return why === undefined ? [] : [`${c.name}: ${why}`];
  });
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases diverge`);
});

test("every code the runtime can raise has a shared case", () => {
  // A code counts when the runtime itself must raise it (not in a case only the parser refuses).
  const used = new Set(cases.flatMap((c) => [...(c.warnings ?? []), ...(c.error && c.runtimeSees === undefined ? [c.error] : [])]));
  for (const code of [...RULES.codes, ...RULES.warningCodes]) {
    assert.ok(used.has(code), `no shared case covers ${code}`);
  }
  for (const code of used) {
    assert.ok(RULES.codes.includes(code) || RULES.warningCodes.includes(code), `case code ${code} is not a runtime code`);
  }
});
