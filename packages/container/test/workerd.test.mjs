// Runs test/workerd/ in the real Workers runtime (wrangler's unstable_dev, containers disabled,
// loopback only), after the real `lunora codegen` generated its classes, handles and wiring: the
// generated class boots, ctx.containers reaches its Durable Object, a missing binding is a clear
// error, and the test double works inside workerd.
import test from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatedFixture } from "./support/generated-fixture.mjs";

const dir = generatedFixture("workerd", { wranglerTypes: false });
process.env.WRANGLER_SEND_METRICS = "false";
process.env.WRANGLER_LOG_PATH = mkdtempSync(join(tmpdir(), "lunora-wrangler-log-"));


process.env.XDG_CONFIG_HOME ??= mkdtempSync(join(tmpdir(), "lunora-wrangler-config-"));

const { unstable_dev } = await import("wrangler");

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

test("the generated shape runs in workerd", { timeout: 90_000 }, async (t) => {
  const worker = await withTimeout(
    unstable_dev(join(dir, "src/index.ts"), {
      config: join(dir, "wrangler.jsonc"),
      ip: "127.0.0.1",
      port: 0,
      inspectorPort: 0,
      local: true,
      logLevel: "error",
      persistTo: mkdtempSync(join(tmpdir(), "lunora-wrangler-state-")),
      experimental: { disableExperimentalWarning: true, enableContainers: false, disableDevRegistry: true, watch: false },
    }),
    60_000,
    "unstable_dev start",
  );
  t.after(() => withTimeout(worker.stop(), 15_000, "unstable_dev stop"));
  assert.equal(worker.address, "127.0.0.1");

  await t.test(".get(name).fetch() reaches the container Durable Object", async () => {
    const response = await withTimeout(worker.fetch("/get"), 20_000, "/get");
    const text = await response.text();
    // The request got to TranscoderContainer: with containers disabled it refuses, saying so,
    // and the accessor returns or raises it without retrying.
    assert.match(text, /Container "transcoder" cannot start: containers are disabled in this dev session/);
  });

  await t.test(".any().port(n) reaches the Durable Object too", async () => {
    const text = await (await withTimeout(worker.fetch("/any"), 20_000, "/any")).text();
    assert.match(text, /Container "transcoder" cannot start: containers are disabled in this dev session/);
  });

  await t.test("a missing binding is a clear error", async () => {
    const response = await withTimeout(worker.fetch("/missing"), 20_000, "/missing");
    const text = await response.text();
    assert.equal(response.status, 500);
    assert.match(text, /ContainerBindingError: Container "transcoder": binding env\.CONTAINER_TRANSCODER is missing from the Worker env/);
    assert.match(text, /wrangler\.jsonc/);
    assert.match(text, /lunora codegen/);
  });

  await t.test(".get(name) never reaches a pool slot's Durable Object (workerd's own id derivation)", async () => {
    const response = await withTimeout(worker.fetch("/pool-ids"), 20_000, "/pool-ids");
    const { refused, anyId, slots, named } = await response.json();
    assert.match(refused["instance-0"], /^TypeError: .*"instance-0" is the name of a pool slot/);
    assert.match(refused["instance-1"], /^TypeError: .*"instance-1" is the name of a pool slot/);
    assert.equal(slots.length, 2);
    assert.match(slots[0], /^[0-9a-f]{64}$/);
    assert.equal(anyId, slots[0], ".any() keeps the slot ids it always had");
    for (const [name, ids] of Object.entries(named)) {
      assert.equal(ids.reached, ids.fromName, `.get(${JSON.stringify(name)}) keeps the id of its name`);
      assert.ok(!slots.includes(ids.reached), `.get(${JSON.stringify(name)}) reaches a pool slot`);
    }
  });

  await t.test("the test double works inside workerd", async () => {
    const response = await withTimeout(worker.fetch("/double"), 20_000, "/double");
    assert.deepEqual(await response.json(), { ok: true, name: "video-7", path: "/transcode" });
  });
});
