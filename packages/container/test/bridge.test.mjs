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

// ---------------------------------------------------------------- regressions (issue 12)

import { createServer } from "node:http";

/** A loopback HTTP server answering with `handler`; records every request it gets. */
async function server(t, handler) {
  const requests = [];
  const srv = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    requests.push({ method: req.method, url: req.url, body, auth: req.headers.authorization });
    handler(req, res, body);
  });
  await new Promise((resolve) => srv.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise((resolve) => srv.close(resolve)));
  return { requests, origin: `http://127.0.0.1:${srv.address().port}` };
}

test("a redirect to another origin is refused and the call is not re-sent there (was: followed, with that host's answer returned)", async (t) => {
  const elsewhere = await server(t, (req, res) => res.end(JSON.stringify({ result: "from the other host" })));
  const worker = await server(t, (req, res) => {
    res.writeHead(307, { location: `${elsewhere.origin}/_lunora/rpc` });
    res.end();
  });
  const lunora = createContainerBridge({ baseUrl: worker.origin, token: "container-token-123" });
  await assert.rejects(lunora.mutation("jobs:markDone", { id: "j1" }), (error) => {
    assert.ok(error instanceof ContainerBridgeError);
    assert.equal(error.code, "bridge/redirect");
    assert.equal(error.status, 307);
    assert.equal(error.functionPath, "jobs:markDone");
    assert.match(error.message, new RegExp(`answered 307 to ${elsewhere.origin.replace(/[.]/g, "\\.")}`));
    assert.match(error.message, /does not follow redirects/);
    return true;
  });
  assert.equal(worker.requests.length, 1);
  assert.deepEqual(elsewhere.requests, [], "nothing reached the other origin");
});

test("a same-origin redirect is refused too (a 301/302 would turn the POST into a bodiless GET)", async (t) => {
  const worker = await server(t, (req, res) => {
    if (req.url === "/_lunora/rpc") {
      res.writeHead(302, { location: "/moved" });
      res.end();
    } else res.end(JSON.stringify({ result: "moved" }));
  });
  const lunora = createContainerBridge({ baseUrl: worker.origin, token: "container-token-123" });
  await assert.rejects(lunora.query("a:b", {}), (e) => e.code === "bridge/redirect" && e.status === 302);
  assert.deepEqual(worker.requests.map((r) => r.url), ["/_lunora/rpc"]);
});

test("a token with CR/LF is rejected when the bridge is created, without repeating it (was: a raw TypeError at call time)", () => {
  for (const [token, what] of [
    ["abc\r\nX-Injected: 1", /carriage return \(CR\) at position 4/],
    ["sekrit-value\n", /line feed \(LF\) at position 13/],
    ["two words", /a space at position 4/],
    ["tab\there", /control character at position 4/],
    ["pässword", /non-ASCII character at position 2/],
  ]) {
    assert.throws(
      () => createContainerBridge({ baseUrl: "https://app.example", token }),
      (error) => {
        assert.ok(error instanceof ContainerBridgeError);
        assert.equal(error.code, "bridge/invalid-token");
        assert.match(error.message, what);
        for (const part of token.split(/[\s]/).filter((p) => p.length > 2)) assert.ok(!error.message.includes(part), `message repeats ${part}`);
        return true;
      },
    );
  }
});

test("credentials in baseUrl are rejected when the bridge is created, without repeating them", () => {
  for (const baseUrl of ["https://user:s3cr3t-pass@app.example/", "https://only-user@app.example", "http://:pw-only-9@127.0.0.1:8787"]) {
    assert.throws(
      () => createContainerBridge({ baseUrl, token: "t" }),
      (error) => {
        assert.equal(error.code, "bridge/invalid-base-url");
        assert.match(error.message, /must not carry credentials/);
        for (const secret of ["s3cr3t-pass", "user:", "only-user", "pw-only-9"]) assert.ok(!error.message.includes(secret), `message repeats ${secret}`);
        return true;
      },
    );
  }
});

test("baseUrl must be an absolute http(s) URL", () => {
  for (const baseUrl of ["/relative/path", "app.example", "ftp://app.example", "javascript:alert(1)", "http://"]) {
    assert.throws(() => createContainerBridge({ baseUrl, token: "t" }), (e) => e.code === "bridge/invalid-base-url", baseUrl);
  }
});

test("the endpoint keeps baseUrl's path and query and drops its fragment (was: /_lunora/rpc appended after ?query or #fragment)", async () => {
  const cases = [
    ["https://app.example/base/?tenant=a#frag", "https://app.example/base/_lunora/rpc?tenant=a"],
    ["https://app.example/base", "https://app.example/base/_lunora/rpc"],
    ["https://app.example//", "https://app.example/_lunora/rpc"],
    ["http://127.0.0.1:8787?x=1", "http://127.0.0.1:8787/_lunora/rpc?x=1"],
    ["http://127.0.0.1:8787#top", "http://127.0.0.1:8787/_lunora/rpc"],
  ];
  for (const [baseUrl, expected] of cases) {
    const { calls, fetch } = fakeFetch(() => Response.json({ result: 1 }));
    await createContainerBridge({ baseUrl, token: "t", fetch }).query("a:b");
    assert.equal(calls[0].url, expected, baseUrl);
  }
});

test("no error message carries the token, whatever the Worker or a proxy echoes", async (t) => {
  const token = "tok_live_0123456789";
  const echo = await server(t, (req, res) => {
    res.writeHead(502, { "content-type": "text/plain" });
    res.end(`bad gateway; you sent ${req.headers.authorization}`);
  });
  const viaProxy = createContainerBridge({ baseUrl: echo.origin, token });
  await assert.rejects(viaProxy.query("a:b"), (e) => e.code === "bridge/invalid-response" && /Bearer \[token\]/.test(e.message) && !e.message.includes(token));
  const envelope = createContainerBridge({ baseUrl: "http://h", token, fetch: async () => Response.json({ error: { code: "unauthorized", message: `bad bearer ${token}` } }, { status: 401 }) });
  await assert.rejects(envelope.query("a:b"), (e) => e.code === "unauthorized" && e.message === "bad bearer [token]");
  const network = createContainerBridge({ baseUrl: "http://h", token, fetch: async () => { throw new Error(`socket hang up (${token})`); } });
  await assert.rejects(network.query("a:b"), (e) => e.code === "bridge/network" && !e.message.includes(token));
});
