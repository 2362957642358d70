// defineContainer's own contract. Which config gives which rule code is checked case by case,
// against the parser too, in rule-parity.test.mjs (crates/parser/tests/rule_cases.json).
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  defineContainer,
  containerConfigWarnings,
  ContainerConfigError,
  RULES,
  RULE_CODES,
  WARNING_CODES,
  parseDuration,
} from "../dist/index.js";

const base = { image: "./containers/transcoder" };

test("a valid definition is returned frozen with its values", () => {
  const def = defineContainer({
    image: { registry: "docker.io/acme/transcoder:1.4" },
    defaultPort: 8080,
    requiredPorts: [8080, 9090],
    instanceType: { vcpu: 1, memoryMib: 4096, diskMb: 8000 },
    maxInstances: 5,
    sleepAfter: 300,
    hardTimeout: "1h",
    readyOn: [{ path: "ready" }, { path: "/live", port: 9090, status: 204 }],
    env: { LOG_LEVEL: "info" },
    secrets: ["API_KEY"],
    secretsStore: { STRIPE_KEY: "STRIPE_SECRET" },
    entrypoint: ["node", "server.mjs"],
    rollout: { stepPercentage: 25, gracePeriodSeconds: 0 },
  });
  assert.equal(def.defaultPort, 8080);
  assert.ok(Object.isFrozen(def));
  assert.ok(Object.isFrozen(def.readyOn));
  assert.ok(Object.isFrozen(def.readyOn[1]));
  assert.ok(Object.isFrozen(def.instanceType));
  assert.throws(() => {
    "use strict";
    def.readyOn[1].port = 1;
  }, TypeError);
});

// Regression (issue 12): "the runtime's defineContainer freezes own fields only" — an outer
// object frozen before the call stopped the descent, so nested arrays and objects stayed mutable.
test("defineContainer_freezes_nested_values_when_the_outer_object_is_already_frozen", () => {
  const readyOn = [{ path: "/ready" }];
  const env = { LOG_LEVEL: "info" };
  const config = Object.freeze({ ...base, defaultPort: 8080, readyOn, env, secrets: ["A"] });
  const def = defineContainer(config);
  assert.ok(Object.isFrozen(def.readyOn), "readyOn array");
  assert.ok(Object.isFrozen(def.readyOn[0]), "readyOn probe");
  assert.ok(Object.isFrozen(def.env), "env");
  assert.ok(Object.isFrozen(def.secrets), "secrets");
  assert.throws(() => readyOn.push({ path: "/x" }), TypeError);
  assert.throws(() => {
    "use strict";
    env.LOG_LEVEL = "debug";
  }, TypeError);
  // A frozen inner object does not stop the descent either.
  const inner = Object.freeze({ path: "/r", port: 8080 });
  const labels = { team: "media" };
  const def2 = defineContainer({ ...base, defaultPort: 8080, readyOn: Object.freeze([inner]), labels });
  assert.ok(Object.isFrozen(def2.labels));
});

test("parseDuration resolves the duration grammar to seconds", () => {
  assert.equal(parseDuration("5m", "x"), 300);
  assert.equal(parseDuration("2h", "x"), 7200);
  assert.equal(parseDuration("30s", "x"), 30);
  assert.equal(parseDuration(45, "x"), 45);
  assert.throws(() => parseDuration("5 minutes", "sleepAfter"), (e) => e instanceof ContainerConfigError && e.code === RULE_CODES.invalidDuration);
});

test("a rule violation is a ContainerConfigError with code, path and help", () => {
  assert.throws(
    () => defineContainer({ ...base, instanceType: "standard" }),
    (error) => {
      assert.ok(error instanceof ContainerConfigError);
      assert.equal(error.code, "containers/deprecated-instance-type");
      assert.equal(error.path, "instanceType");
      assert.equal(error.help, 'write `instanceType: "standard-1"` (the same size: 1/2 vCPU, 4 GiB memory, 8 GB disk)');
      assert.match(error.message, /\nhelp: write `instanceType: "standard-1"`/);
      return true;
    },
  );
});

test("warnings are returned, not thrown, and carry help", () => {
  const config = { ...base, defaultPort: 8080, readyOn: [{ path: "/live", port: 9090 }] };
  defineContainer(config);
  const warnings = containerConfigWarnings(config);
  assert.deepEqual(warnings.map((w) => [w.code, w.path]), [[WARNING_CODES.readyPortUndeclared, "readyOn[0].port"]]);
  assert.match(warnings[0].help, /requiredPorts: \[8080, 9090\]/);
  assert.deepEqual(containerConfigWarnings({ ...base, defaultPort: 8080, readyOn: [{ path: "/r" }] }), []);
});

test("rules.json is the rule table, as the build wrote it", () => {
  const json = JSON.parse(readFileSync(new URL("../rules.json", import.meta.url), "utf8"));
  assert.deepEqual(json, JSON.parse(JSON.stringify(RULES)));
  assert.deepEqual(json.codes, Object.values(RULE_CODES));
  assert.deepEqual(json.warningCodes, Object.values(WARNING_CODES));
  // wrangler 4.86's defaults for a custom instance_type that leaves a field out.
  assert.deepEqual(json.customInstanceDefaults, { vcpu: 0.0625, memoryMib: 256, diskMb: 2000 });
});
