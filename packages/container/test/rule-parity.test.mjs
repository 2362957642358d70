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

/** The case's `config`, evaluated as the JavaScript expression it is. */
const evaluate = (source) => new Function(`"use strict"; return (${source});`)();

/** Why `defineContainer` disagrees with a case, or undefined. */
function divergence(c) {
  let thrown;
  try {
    defineContainer(evaluate(c.config));
  } catch (error) {
    thrown = error;
  }
  if (c.error === undefined) {
    if (thrown !== undefined) return `expected no error, got ${thrown.code ?? ""} ${thrown.message}`;
    const warnings = containerConfigWarnings(evaluate(c.config)).map((w) => w.code).sort();
    const expected = [...(c.warnings ?? [])].sort();
    if (JSON.stringify(warnings) !== JSON.stringify(expected)) {
      return `expected warnings ${JSON.stringify(expected)}, got ${JSON.stringify(warnings)}`;
    }
    return undefined;
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
  const used = new Set(cases.flatMap((c) => [...(c.warnings ?? []), ...(c.error ? [c.error] : [])]));
  for (const code of [...RULES.codes, ...RULES.warningCodes]) {
    assert.ok(used.has(code), `no shared case covers ${code}`);
  }
  for (const code of used) {
    assert.ok(RULES.codes.includes(code) || RULES.warningCodes.includes(code), `case code ${code} is not a runtime code`);
  }
});
