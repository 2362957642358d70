import test from "node:test";
import assert from "node:assert/strict";
import { createContainerContext, ContainerBindingError } from "../dist/index.js";
import { fakeNamespace, recordingSleep } from "./support/fake-namespace.mjs";

const specs = [{ binding: "CONTAINER_TRANSCODER", exportName: "transcoder", maxInstances: 5 }];

function setup(respond, { random } = {}) {
  const ns = fakeNamespace(respond);
  const { delays, sleep } = recordingSleep();
  const containers = createContainerContext({ CONTAINER_TRANSCODER: ns }, specs, { sleep, random });
  return { ns, delays, containers };
}

const noInstance = () =>
  new Response("There is no Container instance available at this time.\nThis is likely because…", { status: 503 });

test(".get(name) reaches the same named instance and resolves paths against the container", async () => {
  const { ns, containers } = setup();
  await containers.transcoder.get("job-1").fetch("/transcode", { method: "POST", body: "{}" });
  await containers.transcoder.get("job-1").fetch("status?x=1");
  await containers.transcoder.get("job-2").fetch("/");
  assert.deepEqual(ns.sent.map((s) => [s.name, s.url]), [
    ["job-1", "http://container/transcode"],
    ["job-1", "http://container/status?x=1"],
    ["job-2", "http://container/"],
  ]);
  assert.equal(ns.sent[0].request.method, "POST");
  assert.equal(await ns.sent[0].request.text(), "{}");
});

test("cold-start retry: provisioning signals retry the same instance with exponential backoff", async () => {
  const script = [
    noInstance(),
    new Response("Failed to start container: the container is not listening", { status: 500 }),
    new Response("ok"),
  ];
  const { ns, delays, containers } = setup(() => script.shift());
  const response = await containers.transcoder.get("job-1").fetch("/x");
  assert.equal(await response.text(), "ok");
  assert.deepEqual(ns.sent.map((s) => s.name), ["job-1", "job-1", "job-1"]);
  assert.deepEqual(delays, [500, 1000]);
});

test("cold-start retry: 429 and thrown not-listening errors retry; ceiling caps backoff", async () => {
  let n = 0;
  const { ns, delays, containers } = setup(() => {
    n++;
    if (n === 1) return new Response("slow down", { status: 429 });
    if (n <= 4) throw new Error("The container is not listening in the TCP address 10.0.0.1:8080");
    return new Response("done");
  });
  const response = await containers.transcoder
    .get("a", { attempts: 6, backoffMs: 1000, maxBackoffMs: 3000 })
    .fetch("/");
  assert.equal(await response.text(), "done");
  assert.equal(ns.sent.length, 5);
  assert.deepEqual(delays, [1000, 2000, 3000, 3000]);
});

test("cold-start retry: an application 5xx and other errors are returned at once", async () => {
  const { ns, delays, containers } = setup(() => new Response("database down", { status: 500 }));
  const response = await containers.transcoder.get("a").fetch("/");
  assert.equal(response.status, 500);
  assert.equal(await response.text(), "database down");
  assert.equal(ns.sent.length, 1);
  assert.deepEqual(delays, []);

  const app503 = setup(() => new Response("maintenance", { status: 503 }));
  assert.equal((await app503.containers.transcoder.get("a").fetch("/")).status, 503);
  assert.equal(app503.ns.sent.length, 1);

  const thrown = setup(() => {
    throw new Error("boom");
  });
  await assert.rejects(thrown.containers.transcoder.get("a").fetch("/"), /boom/);
  assert.equal(thrown.ns.sent.length, 1);

  // A readyOn failure (LunoraContainer's 503 naming the probe): retrying would only wait the
  // whole readiness budget again on a fresh, equally unready container.
  const notReady = setup(
    () => new Response('Container "transcoder" did not become ready: readyOn probe GET /ready on port 8080 (expects 200) …', { status: 503 }),
  );
  assert.equal((await notReady.containers.transcoder.get("a").fetch("/")).status, 503);
  assert.equal(notReady.ns.sent.length, 1);
});

test("cold-start retry gives up after `attempts` and returns the last response", async () => {
  const { ns, delays, containers } = setup(noInstance);
  const response = await containers.transcoder.get("a").fetch("/");
  assert.equal(response.status, 503);
  assert.match(await response.text(), /no Container instance available/);
  assert.equal(ns.sent.length, 3);
  assert.deepEqual(delays, [500, 1000]);

  const thrown = setup(() => {
    throw new Error("there is no container instance that can be provided to this durable object");
  });
  await assert.rejects(thrown.containers.transcoder.get("a").fetch("/"), /no container instance/);
  assert.equal(thrown.ns.sent.length, 3);
});

test("attempts: 1 sends exactly once; a pre-built Request is never retried", async () => {
  const once = setup(noInstance);
  assert.equal((await once.containers.transcoder.get("a", { attempts: 1 }).fetch("/")).status, 503);
  assert.equal(once.ns.sent.length, 1);

  const prebuilt = setup(noInstance);
  const request = new Request("http://example.com/upload", { method: "PUT", body: "payload" });
  const response = await prebuilt.containers.transcoder.get("a").fetch(request);
  assert.equal(response.status, 503);
  assert.equal(prebuilt.ns.sent.length, 1);
  assert.equal(prebuilt.ns.sent[0].request, request, "forwarded as-is");
});

test("a stream body from a path call is sent once", async () => {
  const { ns, containers } = setup(noInstance);
  const body = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode("x")), c.close()) });
  await containers.transcoder.get("a").fetch("/", { method: "POST", body, duplex: "half" });
  assert.equal(ns.sent.length, 1);
});

test("WebSocket upgrades pass through unchanged", async () => {
  const { ns, containers } = setup();
  const upgrade = new Request("http://worker/ws", { headers: { Upgrade: "websocket", Connection: "Upgrade" } });
  await containers.transcoder.get("room").fetch(upgrade);
  assert.equal(ns.sent[0].request, upgrade);
  await containers.transcoder.get("room").fetch("/ws", { headers: { Upgrade: "websocket" } });
  assert.equal(ns.sent[1].request.headers.get("upgrade"), "websocket");
});

test(".port(n) sets cf-container-target-port and composes with get/any/pool", async () => {
  const { ns, containers } = setup(undefined, { random: () => 0.5 });
  await containers.transcoder.get("t").port(9090).fetch("/admin");
  await containers.transcoder.get("t").fetch("/work");
  await containers.transcoder.any().port(9091).fetch("/");
  await containers.transcoder.pool().port(9092).fetch("/");
  await containers.transcoder.port(9093).get("t").fetch("/");
  const prebuilt = new Request("http://x/y", { headers: { "x-keep": "1" } });
  await containers.transcoder.get("t").port(9094).fetch(prebuilt);
  assert.deepEqual(ns.sent.map((s) => s.port), ["9090", null, "9091", "9092", "9093", "9094"]);
  assert.equal(ns.sent[5].request.headers.get("x-keep"), "1");
  const handle = containers.transcoder.get("t").port(9090);
  assert.equal(typeof handle.start, "function", "a named handle stays a named handle");
  assert.equal(handle.name, "t");
  assert.throws(() => containers.transcoder.get("t").port(0), RangeError);
});

test(".any() picks a random instance from a fixed pool (maxInstances, else 3)", async () => {
  const { ns, containers } = setup(undefined, { random: () => 0.99 });
  await containers.transcoder.any().fetch("/");
  await containers.transcoder.any(2).fetch("/");
  assert.deepEqual(ns.sent.map((s) => s.name), ["instance-4", "instance-1"]);

  const ns2 = fakeNamespace();
  const noMax = createContainerContext({ B: ns2 }, [{ binding: "B", exportName: "b" }], { random: () => 0.99 });
  await noMax.b.any().fetch("/");
  assert.equal(ns2.sent[0].name, "instance-2");
  assert.throws(() => noMax.b.any(0), RangeError);
});

test(".any() applies cold-start retry to the instance it picked", async () => {
  const script = [noInstance(), new Response("ok")];
  let r = 0.1;
  const { ns, delays, containers } = setup(() => script.shift(), { random: () => (r += 0.3) });
  assert.equal(await (await containers.transcoder.any().fetch("/")).text(), "ok");
  assert.equal(ns.sent[0].name, ns.sent[1].name);
  assert.deepEqual(delays, [500]);
});

test(".pool() retries on freshly picked instances and returns the last response", async () => {
  const randoms = [0.0, 0.0, 0.0];
  const script = [new Response("bad", { status: 502 }), new Response("bad", { status: 500 }), new Response("good")];
  const { ns, delays, containers } = setup(() => script.shift(), { random: () => randoms.shift() ?? 0 });
  const response = await containers.transcoder.pool({ attempts: 3, backoffMs: 100 }).fetch("/job", { method: "POST", body: "b" });
  assert.equal(await response.text(), "good");
  const names = ns.sent.map((s) => s.name);
  assert.equal(names.length, 3);
  assert.notEqual(names[0], names[1]);
  assert.notEqual(names[1], names[2]);
  assert.deepEqual(delays, [100, 200]);
  for (const s of ns.sent) assert.equal(await s.request.text(), "b");

  const exhausted = setup(() => new Response("down", { status: 503 }));
  const last = await exhausted.containers.transcoder.pool({ attempts: 2 }).fetch("/");
  assert.equal(last.status, 503);
  assert.equal(exhausted.ns.sent.length, 2);
});

test(".pool() retries thrown errors, honours retryOn, and throws the last error", async () => {
  let n = 0;
  const flaky = setup(() => {
    n++;
    if (n < 3) throw new Error(`down ${n}`);
    return new Response("up");
  });
  assert.equal(await (await flaky.containers.transcoder.pool().fetch("/")).text(), "up");

  const always = setup(() => {
    throw new Error("always down");
  });
  await assert.rejects(always.containers.transcoder.pool({ attempts: 4 }).fetch("/"), /always down/);
  assert.equal(always.ns.sent.length, 4);

  const custom = setup(() => new Response("teapot", { status: 418 }));
  const res = await custom.containers.transcoder.pool({ retryOn: (r) => r.status === 418, attempts: 2 }).fetch("/");
  assert.equal(res.status, 418);
  assert.equal(custom.ns.sent.length, 2);

  const appError = setup(() => new Response("x", { status: 500 }));
  await appError.containers.transcoder.pool({ retryOn: () => false }).fetch("/");
  assert.equal(appError.ns.sent.length, 1);

  const prebuilt = setup(() => new Response("x", { status: 500 }));
  await prebuilt.containers.transcoder.pool().fetch(new Request("http://x/", { method: "POST", body: "again" }));
  assert.equal(prebuilt.ns.sent.length, 3);
  for (const s of prebuilt.ns.sent) assert.equal(await s.request.text(), "again");
});

test("named handles expose lifecycle and egress as RPC calls", async () => {
  const { ns, containers } = setup();
  const sandbox = containers.transcoder.get("user-1");
  await sandbox.start({ envVars: { SESSION: "user-1" } });
  await sandbox.start();
  assert.deepEqual(await sandbox.getState(), { status: "healthy", lastChange: 1 });
  await sandbox.stop();
  await sandbox.destroy();
  await sandbox.egress.allow("hooks.slack.com");
  await sandbox.egress.deny("evil.com");
  await sandbox.egress.removeAllowed("a.com");
  await sandbox.egress.removeDenied("b.com");
  await sandbox.egress.setAllowed(["*.stripe.com"]);
  await sandbox.egress.setDenied(["*.evil.com", "*.tracking.example"]);
  assert.deepEqual(
    ns.rpc.map((c) => [c.name, c.method, ...c.args]),
    [
      ["user-1", "lunoraStart", { envVars: { SESSION: "user-1" } }],
      ["user-1", "lunoraStart", undefined],
      ["user-1", "lunoraGetState"],
      ["user-1", "lunoraStop"],
      ["user-1", "lunoraDestroy"],
      ["user-1", "lunoraEgress", "allow", "hooks.slack.com"],
      ["user-1", "lunoraEgress", "deny", "evil.com"],
      ["user-1", "lunoraEgress", "removeAllowed", "a.com"],
      ["user-1", "lunoraEgress", "removeDenied", "b.com"],
      ["user-1", "lunoraEgress", "setAllowed", ["*.stripe.com"]],
      ["user-1", "lunoraEgress", "setDenied", ["*.evil.com", "*.tracking.example"]],
    ],
  );
  assert.equal(containers.transcoder.any().start, undefined, ".any() handles are fetch-only");
  assert.equal(containers.transcoder.pool().egress, undefined, ".pool() handles are fetch-only");
});

// Regression: `ctx.containers.echo.get("alpha").getState()` failed on a real engine with
// `DataCloneError: Could not serialize object of type "DurableObject"`: the handle called
// `stub.lunoraGetState.bind(stub)`, and on an RPC stub `.bind` is itself a remote call that tries
// to send the stub along.
test("getState() and the other RPC calls on a named handle never send the stub over RPC (DataCloneError)", async () => {
  const { ns, containers } = setup();
  const alpha = containers.transcoder.get("alpha");
  assert.deepEqual(await alpha.getState(), { status: "healthy", lastChange: 1 });
  await alpha.start({ envVars: { A: "1" } });
  await alpha.stop();
  await alpha.destroy();
  await alpha.egress.setAllowed(["a.example"]);
  assert.deepEqual(
    ns.rpc.map((c) => c.method),
    ["lunoraGetState", "lunoraStart", "lunoraStop", "lunoraDestroy", "lunoraEgress"],
  );
});

test("a missing binding is a clear error when the accessor is used", async () => {
  const containers = createContainerContext({}, specs);
  assert.ok(containers.transcoder, "building the context does not throw");
  for (const use of [() => containers.transcoder.get("a"), () => containers.transcoder.any(), () => containers.transcoder.pool()]) {
    assert.throws(use, (error) => {
      assert.ok(error instanceof ContainerBindingError);
      assert.equal(error.binding, "CONTAINER_TRANSCODER");
      assert.match(error.message, /env\.CONTAINER_TRANSCODER is missing/);
      assert.match(error.message, /wrangler\.jsonc/);
      assert.match(error.message, /lunora codegen/);
      return true;
    });
  }
  const wrong = createContainerContext({ CONTAINER_TRANSCODER: "nope" }, specs);
  assert.throws(() => wrong.transcoder.get("a"), /not a Durable Object namespace/);
});

test("invalid retry options are rejected", () => {
  const { containers } = setup();
  assert.throws(() => containers.transcoder.get("a", { attempts: 0 }), RangeError);
  assert.throws(() => containers.transcoder.get("a", { backoffMs: -1 }), RangeError);
  assert.throws(() => containers.transcoder.get(""), TypeError);
});

// Regression (issue 12): `containers[spec.exportName] = …` on a plain object let an export named
// `__proto__` replace the prototype of ctx.containers. Regression (issue 25): an export named
// `then` made ctx.containers a thenable. Such names are refused, with lunora codegen's code.
test("an export named then, __proto__ or any Object.prototype member is refused with containers/invalid-export-name", async () => {
  const names = ["then", ...Object.getOwnPropertyNames(Object.prototype)];
  assert.ok(names.includes("__proto__") && names.includes("constructor") && names.includes("__defineGetter__"));
  for (const exportName of names) {
    const env = { C: fakeNamespace() };
    assert.throws(() => createContainerContext(env, [{ binding: "C", exportName }]), (error) => {
      assert.ok(error instanceof TypeError);
      assert.equal(error.code, "containers/invalid-export-name");
      assert.ok(error.message.includes(`"${exportName}" cannot name a container`), error.message);
      return true;
    });
  }
  const env = { C: fakeNamespace((request, name) => new Response(`app:${name}`)) };
  const containers = createContainerContext(env, [{ binding: "C", exportName: "app" }]);
  assert.equal(Object.getPrototypeOf(containers), null);
  assert.equal(await containers, containers, "await on the handles object gives the object itself");
  assert.equal(await (await containers.app.get("n1").fetch("/")).text(), "app:n1");
  assert.ok(Object.isFrozen(containers));
  assert.throws(() => createContainerContext(env, [{ binding: "C", exportName: "app" }, { binding: "C", exportName: "app" }]), /listed twice/);
});

test(".get(name) refuses the names of pool slots, so a named instance never shares a slot's Durable Object", async () => {
  const { ns, containers } = setup(undefined, { random: () => 0 });
  for (const name of ["instance-0", "instance-1", "instance-4", "instance-99", "instance-12345"]) {
    assert.throws(() => containers.transcoder.get(name), (error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, new RegExp(`"${name}" is the name of a pool slot of \\.any\\(\\) and \\.pool\\(\\)`));
      return true;
    });
  }
  // Names that only look alike keep working, with the Durable Object name they always had.
  for (const name of ["instance-01", "instance-", "instance-1a", "Instance-1", "instance_1", " instance-1", "instance-1 "]) {
    await containers.transcoder.get(name).fetch("/");
  }
  await containers.transcoder.any().fetch("/");
  assert.deepEqual(ns.sent.map((s) => s.name), ["instance-01", "instance-", "instance-1a", "Instance-1", "instance_1", " instance-1", "instance-1 ", "instance-0"]);
});

test(".any(count, retry) takes .get()'s cold-start retry options", async () => {
  const once = setup(() => noInstance());
  const response = await once.containers.transcoder.any(3, { attempts: 1 }).fetch("/");
  assert.equal(response.status, 503);
  assert.equal(once.ns.sent.length, 1, "attempts: 1 sends exactly once");
  assert.deepEqual(once.delays, []);

  const tuned = setup(() => noInstance());
  await tuned.containers.transcoder.any(undefined, { attempts: 4, backoffMs: 10, maxBackoffMs: 25 }).port(9090).fetch("/");
  assert.equal(tuned.ns.sent.length, 4);
  assert.equal(new Set(tuned.ns.sent.map((s) => s.name)).size, 1, "every retry goes to the instance picked first");
  assert.deepEqual(tuned.delays, [10, 20, 25]);
  assert.deepEqual(tuned.ns.sent.map((s) => s.port), ["9090", "9090", "9090", "9090"]);

  const defaults = setup(() => noInstance());
  await defaults.containers.transcoder.any().fetch("/");
  assert.deepEqual(defaults.delays, [500, 1000], "no options: .get()'s defaults");
  assert.throws(() => defaults.containers.transcoder.any(2, { attempts: 0 }), RangeError);
  assert.throws(() => defaults.containers.transcoder.any(2, { backoffMs: -1 }), RangeError);
});

test(".pool({ coldStart }) retries provisioning on the picked instance with .get()'s meaning before a fresh pick", async () => {
  const script = [noInstance(), noInstance(), new Response("warm")];
  const { ns, delays, containers } = setup(() => script.shift(), { random: () => 0.5 });
  const response = await containers.transcoder.pool({ coldStart: { attempts: 3, backoffMs: 7 }, backoffMs: 1000 }).fetch("/");
  assert.equal(await response.text(), "warm");
  assert.equal(new Set(ns.sent.map((s) => s.name)).size, 1);
  assert.deepEqual(delays, [7, 14]);

  // Without coldStart a provisioning answer is one failed pool attempt: the next goes elsewhere.
  const plain = setup(() => (plain.ns.sent.length === 1 ? noInstance() : new Response("ok")), { random: () => 0.5 });
  assert.equal(await (await plain.containers.transcoder.pool().fetch("/")).text(), "ok");
  assert.equal(plain.ns.sent.length, 2);
  assert.notEqual(plain.ns.sent[0].name, plain.ns.sent[1].name);
  assert.throws(() => plain.containers.transcoder.pool({ coldStart: { attempts: 0 } }), RangeError);
});
