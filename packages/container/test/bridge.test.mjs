import test from "node:test";
import assert from "node:assert/strict";
import { createContainerBridge, ContainerBridgeError } from "../dist/bridge.js";

function fakeFetch(answer) {
  const calls = [];
  const fetch = async (request) => {
    calls.push({ url: request.url, method: request.method, auth: request.headers.get("authorization"), body: await request.json() });
    return answer(request);
  };
  return { calls, fetch };
}

test("query/mutation/action/run POST { functionPath, args } with the bearer token", async () => {
  const { calls, fetch } = fakeFetch(() => Response.json({ result: [{ id: "j1" }] }));
  const lunora = createContainerBridge({ baseUrl: "https://app.example/", token: "secret", fetch });
  assert.deepEqual(await lunora.query("jobs:listPending", { limit: 10 }), [{ id: "j1" }]);
  await lunora.mutation("jobs:markDone", { id: "j1" });
  await lunora.action("jobs:kick", {});
  await lunora.run({ path: "jobs:next" }, { queue: "transcode" });
  await lunora.run("jobs:count");
  assert.deepEqual(calls.map((c) => [c.url, c.method, c.auth, c.body]), [
    ["https://app.example/_lunora/rpc", "POST", "Bearer secret", { functionPath: "jobs:listPending", args: { limit: 10 } }],
    ["https://app.example/_lunora/rpc", "POST", "Bearer secret", { functionPath: "jobs:markDone", args: { id: "j1" } }],
    ["https://app.example/_lunora/rpc", "POST", "Bearer secret", { functionPath: "jobs:kick", args: {} }],
    ["https://app.example/_lunora/rpc", "POST", "Bearer secret", { functionPath: "jobs:next", args: { queue: "transcode" } }],
    ["https://app.example/_lunora/rpc", "POST", "Bearer secret", { functionPath: "jobs:count", args: {} }],
  ]);
});

test("null and falsy results come back as-is", async () => {
  const { fetch } = fakeFetch(() => Response.json({ result: null }));
  const lunora = createContainerBridge({ baseUrl: "http://127.0.0.1:8787", token: "t", fetch });
  assert.equal(await lunora.query("a:b", {}), null);
});

test("an error envelope raises ContainerBridgeError with code and status", async () => {
  const { fetch } = fakeFetch(() => Response.json({ error: { code: "unauthorized", message: "no identity" } }, { status: 401 }));
  const lunora = createContainerBridge({ baseUrl: "http://127.0.0.1:8787", token: "t", fetch });
  await assert.rejects(lunora.mutation("jobs:markDone", { id: 1 }), (error) => {
    assert.ok(error instanceof ContainerBridgeError);
    assert.equal(error.code, "unauthorized");
    assert.equal(error.status, 401);
    assert.equal(error.message, "no identity");
    assert.equal(error.functionPath, "jobs:markDone");
    return true;
  });
});

test("non-JSON bodies, missing envelopes and network failures are typed errors", async () => {
  const html = createContainerBridge({ baseUrl: "http://h", token: "t", fetch: async () => new Response("<html>502</html>", { status: 502 }) });
  await assert.rejects(html.query("a:b"), (e) => e instanceof ContainerBridgeError && e.code === "bridge/invalid-response" && e.status === 502 && /non-JSON/.test(e.message));
  const bare = createContainerBridge({ baseUrl: "http://h", token: "t", fetch: async () => Response.json({ value: 1 }) });
  await assert.rejects(bare.query("a:b"), (e) => e.code === "bridge/invalid-response" && e.status === 200);
  const down = createContainerBridge({ baseUrl: "http://h", token: "t", fetch: async () => { throw new TypeError("fetch failed"); } });
  await assert.rejects(down.query("a:b"), (e) => e.code === "bridge/network" && e.status === 0 && /fetch failed/.test(e.message));
  const lunora = createContainerBridge({ baseUrl: "http://h", token: "t", fetch: async () => Response.json({ result: 1 }) });
  await assert.rejects(lunora.run({}, {}), (e) => e.code === "bridge/invalid-reference");
});

test("missing baseUrl or token is a clear error", () => {
  assert.throws(() => createContainerBridge({ baseUrl: undefined, token: "t" }), (e) => e.code === "bridge/missing-base-url" && /LUNORA_URL/.test(e.message));
  assert.throws(() => createContainerBridge({ baseUrl: "http://h", token: "" }), (e) => e.code === "bridge/missing-token" && /resolveIdentity/.test(e.message));
});
