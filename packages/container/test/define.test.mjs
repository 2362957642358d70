import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { defineContainer, ContainerConfigError, RULES, parseDuration } from "../dist/index.js";

const base = { image: "./containers/transcoder" };

function rejects(config, code, messagePart) {
  assert.throws(
    () => defineContainer(config),
    (error) => {
      assert.ok(error instanceof ContainerConfigError, `expected ContainerConfigError, got ${error}`);
      assert.equal(error.code, code);
      if (messagePart) assert.match(error.message, messagePart);
      return true;
    },
  );
}

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
  assert.ok(Object.isFrozen(def.readyOn[1]));
  for (const t of RULES.instanceTypes) defineContainer({ ...base, instanceType: t });
  defineContainer({ image: { build: "./services/transcoder" } });
  defineContainer({ ...base, image: { registry: "acme/app@sha256:abcdef0123" } });
  defineContainer({ ...base, rollout: { stepPercentage: [10, 20, 100] } });
});

test("ports are 1–65535 integers", () => {
  for (const bad of [0, 65536, 80.5, "8080", -1]) rejects({ ...base, defaultPort: bad }, "containers/invalid-port");
  rejects({ ...base, requiredPorts: [8080, 70000] }, "containers/invalid-port", /requiredPorts\[1\]/);
  rejects({ ...base, readyOn: [{ path: "/r", port: 0 }] }, "containers/invalid-port");
  rejects({ ...base, requiredPorts: [] }, "containers/empty-required-ports");
});

test("durations are ^\\d+[smh]$ or positive integer seconds", () => {
  assert.equal(parseDuration("5m", "x"), 300);
  assert.equal(parseDuration("2h", "x"), 7200);
  assert.equal(parseDuration(45, "x"), 45);
  for (const bad of ["5 minutes", "5", "1d", "", 0, -5, 1.5, "0s"]) {
    rejects({ ...base, sleepAfter: bad }, "containers/invalid-duration", /sleepAfter/);
  }
  rejects({ ...base, hardTimeout: "soon" }, "containers/invalid-duration", /hardTimeout/);
});

test("instance types: named ones, or custom within limits", () => {
  rejects({ ...base, instanceType: "standard-5" }, "containers/unknown-instance-type", /standard-4/);
  rejects({ ...base, instanceType: "dev" }, "containers/unknown-instance-type");
  rejects({ ...base, instanceType: { vcpu: 8, memoryMib: 12288, diskMb: 1000 } }, "containers/custom-instance-limits");
  rejects({ ...base, instanceType: { vcpu: 1, memoryMib: 16384, diskMb: 1000 } }, "containers/custom-instance-limits");
  rejects({ ...base, instanceType: { vcpu: 4, memoryMib: 12288, diskMb: 20001 } }, "containers/custom-instance-limits");
  rejects({ ...base, instanceType: { vcpu: 2, memoryMib: 4096, diskMb: 4000 } }, "containers/custom-instance-limits", /per vCPU/);
  rejects({ ...base, instanceType: { vcpu: 1, memoryMib: 4096, diskMb: 9000 } }, "containers/custom-instance-limits", /disk/);
  defineContainer({ ...base, instanceType: { vcpu: 4, memoryMib: 12288, diskMb: 20000 } });
  rejects({ ...base, instanceType: { vcpu: 1, memoryMib: 4096, disk: 1 } }, "containers/unknown-key", /diskMb/);
});

test("maxInstances, rollout and grace period", () => {
  for (const bad of [0, -1, 1.5, "3"]) rejects({ ...base, maxInstances: bad }, "containers/invalid-max-instances");
  for (const bad of [15, 0, [5, 100], [50, 20, 100], [10, 50], [], "10"]) {
    rejects({ ...base, rollout: { stepPercentage: bad } }, "containers/invalid-rollout-step");
  }
  rejects({ ...base, rollout: { gracePeriodSeconds: -1 } }, "containers/invalid-grace-period");
});

test("images: registry references need a tag or digest and must be written { registry }", () => {
  rejects({ image: { registry: "docker.io/acme/transcoder" } }, "containers/registry-missing-tag");
  rejects({ image: { registry: "localhost:5000/app" } }, "containers/registry-missing-tag");
  rejects({ image: "docker.io/library/nginx:1.27" }, "containers/registry-string-image", /\{ registry:/);
  rejects({ image: "nginx:1.27" }, "containers/registry-string-image");
  rejects({}, "containers/missing-image");
  rejects({ image: "" }, "containers/missing-image");
  defineContainer({ image: "containers/app" });
  defineContainer({ image: "./containers/app/Dockerfile.prod" });
});

test("readyOn status, env names and collisions, entrypoint", () => {
  rejects({ ...base, readyOn: [{ path: "/r", status: 99 }] }, "containers/invalid-ready-status");
  rejects({ ...base, readyOn: [{ path: "/r", status: 600 }] }, "containers/invalid-ready-status");
  rejects({ ...base, env: { "1BAD": "x" } }, "containers/invalid-env-name");
  rejects({ ...base, secrets: ["BAD-NAME"] }, "containers/invalid-env-name");
  rejects({ ...base, env: { KEY: "x" }, secrets: ["KEY"] }, "containers/env-secret-collision");
  rejects({ ...base, env: { KEY: "x" }, secretsStore: { KEY: "B" } }, "containers/secrets-store-collision");
  rejects({ ...base, secrets: ["KEY"], secretsStore: { KEY: "B" } }, "containers/secrets-store-collision");
  rejects({ ...base, entrypoint: [] }, "containers/empty-entrypoint");
});

test("unknown keys are rejected with a did-you-mean", () => {
  rejects({ ...base, sleepAfer: "5m" }, "containers/unknown-key", /did you mean `sleepAfter`/);
  rejects({ ...base, rollout: { stepPercent: 10 } }, "containers/unknown-key", /stepPercentage/);
  rejects({ ...base, readyOn: [{ path: "/r", stauts: 200 }] }, "containers/unknown-key", /status/);
});

test("every code is one of the published codes, and rules.json matches the table", () => {
  const json = JSON.parse(readFileSync(new URL("../rules.json", import.meta.url), "utf8"));
  assert.deepEqual(json, JSON.parse(JSON.stringify(RULES)));
  for (const code of [
    "containers/invalid-port", "containers/invalid-duration", "containers/unknown-instance-type",
    "containers/custom-instance-limits", "containers/invalid-max-instances", "containers/invalid-rollout-step",
    "containers/invalid-grace-period", "containers/registry-missing-tag", "containers/invalid-ready-status",
    "containers/invalid-env-name", "containers/env-secret-collision", "containers/secrets-store-collision",
    "containers/empty-entrypoint", "containers/empty-required-ports", "containers/registry-string-image",
    "containers/unknown-key", "containers/missing-image",
  ]) {
    assert.ok(json.codes.includes(code), code);
  }
});
