// LunoraContainer on top of the real @cloudflare/containers Container, with `cloudflare:workers`
// stubbed and a fake Durable Object context (ctx.container, storage). A virtual clock replaces
// readiness waits.
import test from "node:test";
import assert from "node:assert/strict";
import { register } from "node:module";
import { fakeContainer, fakeCtx, captureLifecycle } from "./support/fake-do.mjs";

register("./support/cloudflare-workers-loader.mjs", import.meta.url);
const { LunoraContainer, ContainerProxy, RUN_GENERATION_KEY, HARD_TIMEOUT_CALLBACK } = await import("../dist/do.js");
const { defineContainer } = await import("../dist/index.js");

class TestContainer extends LunoraContainer {
  clock = 1_000_000;
  /** blockConcurrencyWhile depth at every readiness wait. */
  sleptInsideBlock = [];
  now() {
    return this.clock;
  }
  async sleep(ms) {
    this.sleptInsideBlock.push(this.ctx.blockDepth);
    this.clock += ms;
  }
}

const ok = () => new Response("ok");

function make(definition, { env = {}, container = fakeContainer({ port: ok }) } = {}) {
  const ctx = fakeCtx({ container });
  const instance = new TestContainer(ctx, env, definition, "transcoder");
  return { instance, ctx, container };
}

test("exports ContainerProxy from @cloudflare/containers", () => {
  assert.equal(typeof ContainerProxy, "function");
});

test("applies every definition field to the Container base", () => {
  const def = defineContainer({
    image: "./containers/transcoder",
    defaultPort: 8080,
    requiredPorts: [8080, 9090],
    sleepAfter: "5m",
    entrypoint: ["node", "server.mjs"],
    enableInternet: false,
    allowedHosts: ["*.stripe.com"],
    deniedHosts: ["*.evil.com"],
    interceptHttps: true,
    pingEndpoint: "container/health",
    labels: { tenant: "acme" },
    env: { LOG_LEVEL: "info" },
  });
  const { instance } = make(def);
  assert.equal(instance.defaultPort, 8080);
  assert.deepEqual(instance.requiredPorts, [8080, 9090]);
  assert.equal(instance.sleepAfter, "5m");
  assert.deepEqual(instance.entrypoint, ["node", "server.mjs"]);
  assert.equal(instance.enableInternet, false);
  assert.deepEqual(instance.allowedHosts, ["*.stripe.com"]);
  assert.deepEqual(instance.deniedHosts, ["*.evil.com"]);
  assert.equal(instance.interceptHttps, true);
  assert.equal(instance.pingEndpoint, "container/health");
  assert.deepEqual(instance.labels, { tenant: "acme" });
  assert.deepEqual(instance.envVars, { LOG_LEVEL: "info" });
  assert.equal(make(defineContainer({ image: "./x", sleepAfter: 90 })).instance.sleepAfter, 90);
  assert.equal(make(defineContainer({ image: "./x", pingEndpoint: "/healthz" })).instance.pingEndpoint, "container/healthz");
  const defaults = make(defineContainer({ image: "./x" })).instance;
  assert.equal(defaults.sleepAfter, "10m");
  assert.equal(defaults.enableInternet, true);
  assert.equal(defaults.pingEndpoint, "ping");
});

test("without ctx.container (containers disabled in dev) the error says so, not wrangler's generic config error", () => {
  const ctx = fakeCtx();
  delete ctx.container;
  assert.throws(
    () => new TestContainer(ctx, {}, defineContainer({ image: "./x" }), "x"),
    (error) =>
      error.name === "ContainersDisabledError" &&
      /^Container "x" cannot start: containers are disabled in this dev session \(`--enable-containers=false`/.test(error.message) &&
      /class TestContainer/.test(error.message) &&
      !/Have you correctly setup your Wrangler config/.test(error.message),
  );
});

test("a start gets env + secrets + Secrets Store values; the store is read once per instance", async (t) => {
  const lines = captureLifecycle(t);
  let reads = 0;
  const env = { API_KEY: "k-123", STRIPE_SECRET: { get: async () => (reads++, "sk_live") } };
  const def = defineContainer({
    image: "./x",
    defaultPort: 8080,
    env: { LOG_LEVEL: "info" },
    secrets: ["API_KEY"],
    secretsStore: { STRIPE_KEY: "STRIPE_SECRET" },
  });
  const { instance, container } = make(def, { env });
  await instance.lunoraStart();
  assert.deepEqual(container.starts[0].env, { LOG_LEVEL: "info", API_KEY: "k-123", STRIPE_KEY: "sk_live" });
  container.running = false;
  await instance.lunoraStart();
  assert.equal(container.starts.length, 2);
  assert.deepEqual(container.starts[1].env, container.starts[0].env);
  assert.equal(reads, 1, "memoised");
  assert.ok(lines.some((l) => l.event === "start"));
});

test("a failed Secrets Store read is retried on the next start; a missing binding is an error", async (t) => {
  captureLifecycle(t);
  let calls = 0;
  const env = {
    S: {
      get: async () => {
        calls++;
        if (calls === 1) throw new Error("store unavailable");
        return "v";
      },
    },
  };
  const { instance, container } = make(defineContainer({ image: "./x", defaultPort: 8080, secretsStore: { K: "S" } }), { env });
  await assert.rejects(instance.lunoraStart(), /reading Secrets Store binding S \(for K\) failed: store unavailable/);
  await instance.lunoraStart();
  assert.equal(container.starts[0].env.K, "v");

  const missing = make(defineContainer({ image: "./x", defaultPort: 8080, secretsStore: { K: "NOPE" } }));
  await assert.rejects(missing.instance.lunoraStart(), /Secrets Store binding NOPE \(for K\) is missing.*secrets_store_secrets/);
  assert.equal(missing.container.starts.length, 0);
});

test("start({ envVars }) replaces the env wholesale and skips secrets and the store", async (t) => {
  captureLifecycle(t);
  const def = defineContainer({ image: "./x", defaultPort: 8080, env: { A: "1" }, secrets: ["MISSING"], secretsStore: { K: "NOPE" } });
  const { instance, container } = make(def);
  await instance.lunoraStart({ envVars: { SESSION: "user-1" } });
  assert.deepEqual(container.starts[0].env, { SESSION: "user-1" });
});

test("a declared secret that is not set fails fast with directions, and the container is not started", async (t) => {
  const lines = captureLifecycle(t);
  const { instance, container } = make(defineContainer({ image: "./x", defaultPort: 8080, secrets: ["TRANSCODER_API_KEY"] }));
  const response = await instance.fetch(new Request("http://container/x"));
  assert.equal(response.status, 500);
  const body = await response.text();
  assert.match(body, /secret TRANSCODER_API_KEY is not set/);
  assert.match(body, /wrangler secret put TRANSCODER_API_KEY/);
  assert.match(body, /\.dev\.vars/);
  assert.ok(!body.startsWith("Failed to start container"), "not mistaken for a provisioning blip");
  assert.equal(container.starts.length, 0);
  assert.equal(lines.at(-1).event, "error");
  await assert.rejects(instance.lunoraStart(), /wrangler secret put TRANSCODER_API_KEY/);
});

test("readyOn probes run in parallel against TCP ports and gate the start", async (t) => {
  captureLifecycle(t);
  let readyCalls = 0;
  const container = fakeContainer({
    port: (port, url) => {
      if (url.endsWith("/ready")) return new Response(null, { status: ++readyCalls < 4 ? 503 : 200 });
      if (url.endsWith("/live")) return new Response(null, { status: 204 });
      return new Response("ok");
    },
  });
  const def = defineContainer({
    image: "./x",
    defaultPort: 8080,
    readyOn: [{ path: "ready" }, { path: "/live", port: 9090, status: 204 }],
  });
  const { instance } = make(def, { container });
  const started = instance.clock;
  await instance.lunoraStart();
  const probes = container.probeRequests.filter((r) => /\/(ready|live)$/.test(r.url));
  assert.deepEqual(
    probes.map((r) => `${r.port} ${r.url}`),
    ["8080 http://container/ready", "9090 http://container/live", "8080 http://container/ready", "8080 http://container/ready", "8080 http://container/ready"],
  );
  assert.equal(instance.clock - started, 3 * 300, "polled on the readiness interval");
});

test("requests are proxied only after every probe answers", async (t) => {
  captureLifecycle(t);
  const order = [];
  let ready = 0;
  const container = fakeContainer({
    port: (port, url) => {
      if (url.endsWith("/ready")) {
        order.push("probe");
        return new Response(null, { status: ++ready < 3 ? 500 : 200 });
      }
      if (url.includes("/work")) order.push("request");
      return new Response("served");
    },
  });
  const { instance } = make(defineContainer({ image: "./x", defaultPort: 8080, readyOn: [{ path: "/ready" }] }), { container });
  const response = await instance.fetch(new Request("http://container/work"));
  assert.equal(await response.text(), "served");
  assert.deepEqual(order, ["probe", "probe", "probe", "request"]);
});

test("a probe that never answers fails the start with an error naming it", async (t) => {
  const lines = captureLifecycle(t);
  const container = fakeContainer({
    port: (port, url) => {
      if (url.endsWith("/ready")) throw new Error("connection refused");
      return new Response("ok");
    },
  });
  const { instance } = make(defineContainer({ image: "./x", defaultPort: 8080, readyOn: [{ path: "/ready" }] }), { container });
  await assert.rejects(instance.lunoraStart(), (error) => {
    assert.equal(error.name, "ContainerNotReadyError");
    assert.match(error.message, /readyOn probe GET \/ready on port 8080 \(expects 200\) did not answer 200 within 20000 ms \(last: connection refused\)/);
    return true;
  });
  assert.equal(container.destroyed, 1, "the unready container is stopped");
  assert.ok(lines.some((l) => l.event === "error" && /readyOn probe GET \/ready/.test(l.message)));
  assert.ok(!lines.some((l) => l.event === "start"));

  container.running = false;
  const response = await instance.fetch(new Request("http://container/x"));
  // 503 with the probe, not the 500 "Failed to start container" the cold-start retry resends.
  assert.equal(response.status, 503);
  assert.match(await response.text(), /^Container "transcoder" did not become ready: readyOn probe GET \/ready/);
});

test("hardTimeout is armed through the scheduler with a run generation; stale timers are ignored", async (t) => {
  const lines = captureLifecycle(t);
  const { instance, ctx, container } = make(defineContainer({ image: "./x", defaultPort: 8080, hardTimeout: "1h" }));
  let expired = 0;
  instance.onHardTimeoutExpired = async function () {
    expired++;
    return LunoraContainer.prototype.onHardTimeoutExpired.call(this);
  };
  await instance.lunoraStart();
  assert.equal(ctx.map.get(RUN_GENERATION_KEY), 1);
  const inserts = ctx.sqlLog.filter((q) => q.query.startsWith("INSERT OR REPLACE INTO container_schedules"));
  assert.equal(inserts.length, 1);
  assert.equal(inserts[0].params[1], HARD_TIMEOUT_CALLBACK);
  assert.deepEqual(JSON.parse(inserts[0].params[2]), { generation: 1 });
  // Due 3600 s from now, rounded up to a whole second (the scheduler keeps whole seconds).
  const due = inserts[0].params[3] - Date.now() / 1000;
  assert.ok(due >= 3599.9 && due <= 3601, `due in ${due} s`);
  assert.ok(ctx.sqlLog.some((q) => q.query.startsWith("DELETE FROM container_schedules") && q.params[0] === HARD_TIMEOUT_CALLBACK));

  // start() on the running container is not a new run: same generation, same timer.
  await instance.lunoraStart();
  assert.equal(ctx.map.get(RUN_GENERATION_KEY), 1);
  assert.equal(ctx.sqlLog.filter((q) => q.query.startsWith("INSERT OR REPLACE INTO container_schedules")).length, 1);

  // A second run: the first run's timer must not stop it.
  container.running = false;
  await instance.lunoraStart();
  assert.equal(ctx.map.get(RUN_GENERATION_KEY), 2);
  await instance.lunoraHardTimeout({ generation: 1 });
  assert.equal(expired, 0);
  assert.deepEqual(container.signals, []);

  await instance.lunoraHardTimeout({ generation: 2 });
  assert.equal(expired, 1);
  assert.deepEqual(container.signals, [15], "default action is stop() (SIGTERM)");
  // The stop line comes when the container has exited, and says why.
  await instance.onStop({ exitCode: 0, reason: "exit" });
  const stop = lines.at(-1);
  assert.equal(stop.event, "stop");
  assert.equal(stop.detail, "hard timeout (1h) reached, exit code 0");
  assert.equal(stop.reason, "hard-timeout");
  assert.equal(stop.exitCode, 0);

  container.running = false;
  await instance.lunoraHardTimeout({ generation: 2 });
  assert.equal(expired, 1, "nothing to stop when the container is not running");
});

// Regression (found by the real-container suite): the generation was bumped in onStart, after the
// ports answered, so a stale timer firing while a fresh run was still starting stopped it.
test("a stale hard-timeout timer firing while a fresh run is still starting does not stop it", async (t) => {
  captureLifecycle(t);
  let release;
  let holding = false;
  const container = fakeContainer({
    port: async () => {
      if (holding) await new Promise((resolve) => (release = resolve));
      return new Response("ok");
    },
  });
  const { instance, ctx } = make(defineContainer({ image: "./x", defaultPort: 8080, hardTimeout: "5s" }), { container });
  await instance.lunoraStart();
  assert.equal(ctx.map.get(RUN_GENERATION_KEY), 1);
  container.running = false; // the first run stopped
  holding = true; // the second run's port is slow to answer
  const starting = instance.lunoraStart();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(container.running, true, "the second container was asked to start");
  assert.equal(ctx.map.get(RUN_GENERATION_KEY), 2, "the new run began before its ports answered");
  await instance.lunoraHardTimeout({ generation: 1 });
  assert.deepEqual(container.signals, [], "the first run's timer did not stop the second run");
  holding = false;
  release();
  await starting;
  await instance.lunoraHardTimeout({ generation: 2 });
  assert.deepEqual(container.signals, [15], "its own timer does");
});

test("onHardTimeoutExpired can be overridden", async (t) => {
  captureLifecycle(t);
  const seen = [];
  class Draining extends TestContainer {
    async onHardTimeoutExpired() {
      seen.push("drain");
    }
  }
  const ctx = fakeCtx({ container: fakeContainer({ port: ok }) });
  const instance = new Draining(ctx, {}, defineContainer({ image: "./x", defaultPort: 8080, hardTimeout: 30 }), "job");
  await instance.lunoraStart();
  await instance.lunoraHardTimeout({ generation: 1 });
  assert.deepEqual(seen, ["drain"]);
  assert.deepEqual(ctx.container.signals, []);
});

test("lifecycle events are one JSON line each with the keys lunora dev parses", async (t) => {
  const lines = captureLifecycle(t);
  const { instance, container } = make(defineContainer({ image: "./x", defaultPort: 8080 }));
  await instance.lunoraStart();
  await instance.lunoraDestroy();
  await instance.onStop({ exitCode: 137, reason: "exit" });
  container.running = true;
  assert.throws(() => instance.onError(new Error("exited unexpectedly")), /exited unexpectedly/);
  assert.deepEqual(lines.map((l) => [l.event, l.level]), [["start", "info"], ["stop", "info"], ["error", "error"]]);
  const base = ["type", "container", "instanceId", "event", "level", "message", "timestamp"];
  assert.deepEqual(Object.keys(lines[0]), base, "a plain start has no detail");
  assert.deepEqual(Object.keys(lines[1]), [...base, "detail", "exitCode", "reason"]);
  assert.deepEqual(Object.keys(lines[2]), [...base, "detail"]);
  for (const line of lines) {
    assert.equal(line.type, "container");
    assert.equal(line.container, "transcoder");
    assert.equal(line.instanceId, "a1b2c3d4e5f6");
    assert.equal(new Date(line.timestamp).toISOString(), line.timestamp);
  }
  assert.equal(lines[1].detail, "destroy() requested, exit code 137");
  assert.equal(lines[1].exitCode, 137);
  assert.equal(lines[1].reason, "destroy");
  assert.equal(lines[2].message, "exited unexpectedly");
  assert.equal(lines[2].detail, "exited unexpectedly");
});

test("stop lines say why the container stopped and with which exit code", async (t) => {
  const lines = captureLifecycle(t);
  const { instance, container } = make(defineContainer({ image: "./x", defaultPort: 8080, sleepAfter: "3s" }));
  const stopped = async (exitCode) => {
    container.running = false;
    await instance.onStop({ exitCode, reason: "exit" });
    const line = lines.at(-1);
    container.running = true;
    return [line.event, line.detail, line.exitCode, line.reason];
  };
  await instance.lunoraStart();
  await instance.lunoraStop();
  assert.deepEqual(await stopped(42), ["stop", "stop() requested, exit code 42", 42, "stop"]);
  await instance.onActivityExpired();
  assert.deepEqual(await stopped(0), ["stop", "idle for sleepAfter (3s), exit code 0", 0, "sleep-after"]);
  assert.deepEqual(await stopped(3), ["error", "exited unexpectedly with exit code 3", 3, "exit"]);
  assert.deepEqual(await stopped(0), ["stop", "exited with exit code 0", 0, "exit"]);
  // stop() on a stopped container asks for nothing: a later exit is not blamed on it.
  container.running = false;
  await instance.lunoraStop();
  container.running = true;
  assert.deepEqual(await stopped(1), ["error", "exited unexpectedly with exit code 1", 1, "exit"]);
});

test("an error without details (the base reports an early exit as undefined) still says what happened", async (t) => {
  const lines = captureLifecycle(t);
  const { instance } = make(defineContainer({ image: "./x", defaultPort: 8080 }));
  assert.throws(() => instance.onError(undefined));
  assert.equal(lines.at(-1).detail, "the container exited before it was healthy");
});

test("start is announced once per run, not for start() on a running container", async (t) => {
  const lines = captureLifecycle(t);
  const { instance, container } = make(defineContainer({ image: "./x", defaultPort: 8080 }));
  await instance.lunoraStart();
  await instance.lunoraStart();
  await instance.fetch(new Request("http://container/x"));
  assert.deepEqual(lines.map((l) => l.event), ["start"]);
  // The container exits; the next request notices (the base calls onStop) and starts a new run.
  container.running = false;
  await instance.fetch(new Request("http://container/x"));
  assert.deepEqual(lines.map((l) => l.event), ["start", "stop", "start"]);
  assert.equal(lines[1].detail, "exited with exit code 0");
});

test("readyOn waits run outside blockConcurrencyWhile (workerd resets an object blocked for over 30 s)", async (t) => {
  captureLifecycle(t);
  let polls = 0;
  const container = fakeContainer({
    port: (port, url) => (url.endsWith("/ready") ? new Response(null, { status: ++polls < 5 ? 503 : 200 }) : new Response("ok")),
  });
  const { instance, ctx } = make(defineContainer({ image: "./x", defaultPort: 8080, readyOn: [{ path: "/ready" }] }), { container });
  const response = await instance.fetch(new Request("http://container/work"));
  assert.equal(await response.text(), "ok");
  assert.equal(instance.sleptInsideBlock.length, 4);
  assert.deepEqual(instance.sleptInsideBlock, [0, 0, 0, 0]);
  assert.equal(ctx.blockDepth, 0);
});

test("concurrent requests during readiness share one check and are all held until it passes", async (t) => {
  captureLifecycle(t);
  const order = [];
  let polls = 0;
  const container = fakeContainer({
    port: (port, url) => {
      if (url.endsWith("/ready")) {
        order.push("probe");
        return new Response(null, { status: ++polls < 3 ? 503 : 200 });
      }
      if (/\/(a|b)$/.test(url)) order.push(url.slice(-1));
      return new Response("ok");
    },
  });
  const { instance } = make(defineContainer({ image: "./x", defaultPort: 8080, readyOn: [{ path: "/ready" }] }), { container });
  await Promise.all([instance.fetch(new Request("http://container/a")), instance.fetch(new Request("http://container/b"))]);
  assert.deepEqual(order.slice(0, 3), ["probe", "probe", "probe"], "both requests wait for the probes");
  assert.deepEqual(order.slice(3).sort(), ["a", "b"]);
  assert.equal(container.starts.length, 1);
});

test("a request-triggered start waits for every required port, not only the target port", async (t) => {
  captureLifecycle(t);
  const { instance, container } = make(defineContainer({ image: "./x", defaultPort: 8080, requiredPorts: [8080, 9090] }));
  await instance.fetch(new Request("http://container/work"));
  const pings = container.probeRequests.filter((r) => r.url === "http://ping").map((r) => r.port);
  assert.ok(pings.includes(9090), `port 9090 was waited for before the request: ${JSON.stringify(container.probeRequests)}`);
  const served = container.probeRequests.findIndex((r) => r.url.endsWith("/work"));
  const lastPing = container.probeRequests.findLastIndex((r) => r.url === "http://ping");
  assert.ok(lastPing < served, "every port answered before the request went through");
});

test("a start that fails on the request path answers in the shapes the cold-start retry reads", async (t) => {
  captureLifecycle(t);
  const failing = (message) => {
    const { instance } = make(defineContainer({ image: "./x", defaultPort: 8080 }));
    instance.startAndWaitForPorts = async () => {
      throw new Error(message);
    };
    return instance.fetch(new Request("http://container/x"));
  };
  const noInstance = await failing("there is no container instance that can be provided to this durable object");
  assert.equal(noInstance.status, 503);
  assert.match(await noInstance.text(), /no Container instance available/);
  const limited = await failing("you are requesting too many containers per second");
  assert.equal(limited.status, 429);
  const other = await failing("Container is not listening to port 9090");
  assert.equal(other.status, 500);
  assert.equal(await other.text(), "Failed to start container: Container is not listening to port 9090");
});

test("fetch honours the cf-container-target-port header (switchPort convention)", async (t) => {
  captureLifecycle(t);
  const { instance, container } = make(defineContainer({ image: "./x", defaultPort: 8080, requiredPorts: [8080, 9090] }));
  await instance.fetch(new Request("http://container/admin", { headers: { "cf-container-target-port": "9090" } }));
  await instance.fetch(new Request("http://container/work"));
  const served = container.probeRequests.filter((r) => /\/(admin|work)$/.test(r.url)).map((r) => `${r.port} ${r.url}`);
  assert.deepEqual(served, ["9090 http://container/admin", "8080 http://container/work"]);
});

test("RPC lifecycle and egress methods map onto the Container base", async (t) => {
  captureLifecycle(t);
  const { instance, container } = make(defineContainer({ image: "./x", defaultPort: 8080 }));
  const egress = [];
  for (const m of ["allowHost", "denyHost", "removeAllowedHost", "removeDeniedHost", "setAllowedHosts", "setDeniedHosts"]) {
    instance[m] = async (arg) => egress.push([m, arg]);
  }
  await instance.lunoraStart();
  assert.equal((await instance.lunoraGetState()).status, "healthy");
  await instance.lunoraEgress("allow", "hooks.slack.com");
  await instance.lunoraEgress("deny", "evil.com");
  await instance.lunoraEgress("removeAllowed", "a.com");
  await instance.lunoraEgress("removeDenied", "b.com");
  await instance.lunoraEgress("setAllowed", ["*.stripe.com"]);
  await instance.lunoraEgress("setDenied", ["*.evil.com"]);
  await assert.rejects(instance.lunoraEgress("allow", ["x"]), TypeError);
  await assert.rejects(instance.lunoraEgress("bogus", "x"), TypeError);
  assert.deepEqual(egress, [
    ["allowHost", "hooks.slack.com"],
    ["denyHost", "evil.com"],
    ["removeAllowedHost", "a.com"],
    ["removeDeniedHost", "b.com"],
    ["setAllowedHosts", ["*.stripe.com"]],
    ["setDeniedHosts", ["*.evil.com"]],
  ]);
  await instance.lunoraStop();
  assert.deepEqual(container.signals, [15]);
  await instance.lunoraDestroy();
  assert.equal(container.destroyed, 1);
});
