import test from "node:test";
import assert from "node:assert/strict";
import { createContainerTestContext, containerTestCalls } from "../dist/index.js";

test("the test double plays each container with its handler", async () => {
  const containers = createContainerTestContext({
    transcoder: async (request, { name, port }) => Response.json({ ok: true, name, port, url: request.url }),
  });
  const response = await containers.transcoder.get("video-1").fetch("/transcode", { method: "POST" });
  assert.deepEqual(await response.json(), { ok: true, name: "video-1", url: "http://container/transcode" });
  const admin = await containers.transcoder.get("video-1").port(9090).fetch("admin");
  assert.equal((await admin.json()).port, 9090);
  const any = await (await containers.transcoder.any().fetch("/")).json();
  assert.match(any.name, /^instance-[0-2]$/);
});

test("the test double supports .pool() retries without waiting", async () => {
  let n = 0;
  const containers = createContainerTestContext({
    api: () => (++n < 3 ? new Response("cold", { status: 503 }) : new Response("warm")),
  });
  const started = Date.now();
  const response = await containers.api.pool({ attempts: 3, backoffMs: 10_000 }).fetch("/");
  assert.equal(await response.text(), "warm");
  assert.ok(Date.now() - started < 1000);
});

test("lifecycle and egress calls are harmless and recorded", async () => {
  const containers = createContainerTestContext({ sandbox: () => new Response("ok") });
  const handle = containers.sandbox.get("user-1");
  assert.equal((await handle.getState()).status, "stopped");
  await handle.start({ envVars: { SESSION: "s" } });
  assert.equal((await handle.getState()).status, "running");
  await handle.egress.allow("hooks.slack.com");
  await handle.stop();
  await handle.destroy();
  assert.deepEqual(
    containerTestCalls(containers).map((c) => [c.container, c.name, c.method]),
    [
      ["sandbox", "user-1", "getState"],
      ["sandbox", "user-1", "start"],
      ["sandbox", "user-1", "getState"],
      ["sandbox", "user-1", "egress.allow"],
      ["sandbox", "user-1", "stop"],
      ["sandbox", "user-1", "destroy"],
    ],
  );
  assert.deepEqual(containerTestCalls(containers)[1].args, [{ envVars: { SESSION: "s" } }]);
});

test("an undeclared container name is a clear error", () => {
  const containers = createContainerTestContext({ transcoder: () => new Response("ok") });
  assert.throws(() => containers.resizer.get("x"), /no container named "resizer".*Declared: transcoder/s);
  assert.equal(containers.then, undefined, "awaiting the context is harmless");
});

test("the test double refuses .get() of a pool slot name, like production", async () => {
  const containers = createContainerTestContext({ transcoder: (request, { name }) => Response.json({ name }) });
  assert.throws(() => containers.transcoder.get("instance-0"), /pool slot/);
  assert.equal((await (await containers.transcoder.get("instance-00").fetch("/")).json()).name, "instance-00");
  const calls = [];
  const flaky = createContainerTestContext({
    t: (request, { name }) => {
      calls.push(name);
      return new Response("There is no Container instance available at this time.", { status: 503 });
    },
  });
  assert.equal((await flaky.t.any(2, { attempts: 2 }).fetch("/")).status, 503);
  assert.equal(calls.length, 2);
  assert.equal(calls[0], calls[1]);
});
