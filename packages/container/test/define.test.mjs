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
  // The definition is a frozen copy: the objects passed in are the caller's, and changing them
  // afterwards changes nothing in it.
  readyOn.push({ path: "/x" });
  env.LOG_LEVEL = "debug";
  assert.deepEqual(def.readyOn, [{ path: "/ready" }]);
  assert.equal(def.env.LOG_LEVEL, "info");
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

// Regression (issue 25): a definition read through getters or inherited fields was validated,
// then changed after defineContainer returned; a mutation of the input object changed it too.
test("defineContainer_keeps_a_frozen_copy_of_the_own_validated_fields", () => {
  const input = { ...base, maxInstances: 2, env: { A: "1" }, requiredPorts: [8080] };
  const def = defineContainer(input);
  input.maxInstances = 9;
  input.env.A = "2";
  input.requiredPorts.push(1);
  delete input.image;
  assert.deepEqual({ ...def, env: { ...def.env }, requiredPorts: [...def.requiredPorts] }, { ...base, maxInstances: 2, env: { A: "1" }, requiredPorts: [8080] });
  assert.notEqual(def, input);
  assert.ok(Object.isFrozen(def) && Object.isFrozen(def.env) && Object.isFrozen(def.requiredPorts));
});

test("defineContainer_refuses_inherited_fields_and_accessors_on_deploy_fields_with_not_static", () => {
  const refused = (config, path) =>
    assert.throws(() => defineContainer(config), (error) => {
      assert.ok(error instanceof ContainerConfigError, String(error));
      assert.equal(error.code, "containers/not-static");
      assert.equal(error.path, path);
      return true;
    });
  refused(Object.assign(Object.create({ maxInstances: 9 }), base), "");
  refused({ ...base, rollout: Object.create({ gracePeriodSeconds: 1 }) }, "rollout");
  refused({ ...base, env: Object.create({ A: "1" }) }, "env");
  let reads = 0;
  refused({ ...base, get maxInstances() { return ++reads; } }, "maxInstances");
  refused({ ...base, buildArgs: { get V() { return "1"; } } }, "buildArgs.V");
  refused({ get image() { return "./c"; } }, "image");
  // A getter on a field only the runtime reads is read once, into the copy.
  let sleeps = 0;
  const def = defineContainer({ ...base, get sleepAfter() { sleeps++; return "5m"; } });
  assert.equal(def.sleepAfter, "5m");
  assert.equal(def.sleepAfter, "5m");
  assert.equal(sleeps, 1);
  // Null-prototype objects are plain data, and so are arrays.
  const env = Object.assign(Object.create(null), { A: "1" });
  assert.equal(defineContainer({ ...base, env }).env.A, "1");
  // `__proto__` as a key: JavaScript's meaning, exactly (a literal key sets the prototype, a
  // computed one is an own field).
  const own = defineContainer(JSON.parse('{"image":"./c","env":{"__proto__":"x"}}'));
  assert.deepEqual(Object.keys(own.env), ["__proto__"], "an own `__proto__` field stays an own field in the copy");
  assert.equal(Object.getPrototypeOf(own.env), Object.prototype);
  assert.deepEqual(Object.keys(defineContainer({ ...base, env: { __proto__: "ignored", A: "1" } }).env), ["A"]);
  assert.deepEqual(Object.keys(defineContainer({ ...base, env: { __proto__: null, A: "1" } }).env), ["A"]);
});
