// Every documented way to extend a generated class, checked against the real @cloudflare/containers
// Container underneath (with `cloudflare:workers` stubbed and a fake Durable Object context): a
// subclass's `envVars`, `entrypoint`, lifecycle hooks and `fetch` override behave as they do on
// `Container` itself, merged with the definition (README: "Extend a generated class"). These are
// lunora's own tests of the behaviours `@cloudflare/containers` documents; its test suite is not
// shipped in the npm package.
import test from "node:test";
import assert from "node:assert/strict";
import { register } from "node:module";
import { fakeContainer, fakeCtx, captureLifecycle } from "./support/fake-do.mjs";

register("./support/cloudflare-workers-loader.mjs", import.meta.url);
const { LunoraContainer } = await import("../dist/do.js");
const { Container } = await import("@cloudflare/containers");
const { defineContainer } = await import("../dist/index.js");

const definition = defineContainer({
  image: "./x",
  defaultPort: 8080,
  env: { LOG_LEVEL: "info", SHARED: "from-definition" },
  secrets: ["API_KEY"],
  entrypoint: ["node", "server.mjs"],
});
const workerEnv = { API_KEY: "k-1" };

/** What a generated class is: LunoraContainer with the definition passed in. */
class Generated extends LunoraContainer {
  constructor(ctx, env) {
    super(ctx, env, definition, "app");
  }
}

function instance(Class, { env = workerEnv } = {}) {
  const container = fakeContainer();
  const ctx = fakeCtx({ container });
  return { object: new Class(ctx, env), container };
}

// Regression (issue 25): "envVars on a subclass is silently ignored".
test("a subclass's envVars field reaches the container, merged with the definition's env and secrets", async (t) => {
  captureLifecycle(t);
  class WithEnv extends Generated {
    envVars = { SHARED: "from-subclass", REGION: "eu", API_KEY: "not-the-secret" };
  }
  const { object, container } = instance(WithEnv);
  await object.lunoraStart();
  assert.deepEqual(container.starts[0].env, {
    LOG_LEVEL: "info", // definition env
    SHARED: "from-subclass", // the subclass field wins over the definition's env
    REGION: "eu",
    API_KEY: "k-1", // a declared secret wins over both
  });
});

test("envVars changed at run time apply to the next start; explicit start envVars replace them all", async (t) => {
  captureLifecycle(t);
  const { object, container } = instance(Generated);
  object.envVars = { ...object.envVars, EXTRA: "1" };
  await object.start();
  assert.equal(container.starts[0].env.EXTRA, "1");
  assert.equal(container.starts[0].env.API_KEY, "k-1");
  container.running = false;
  await object.start({ envVars: { ONLY: "this" } });
  assert.deepEqual(container.starts[1].env, { ONLY: "this" }, "as on Container: envVars passed to start() are the env");
});

test("a plain Container and a generated class start with the same env when neither the definition nor secrets add any", async (t) => {
  captureLifecycle(t);
  class Plain extends Container {
    defaultPort = 8080;
    envVars = { A: "1" };
  }
  const bare = defineContainer({ image: "./x", defaultPort: 8080 });
  class Lunora extends LunoraContainer {
    envVars = { A: "1" };
    constructor(ctx, env) {
      super(ctx, env, bare, "bare");
    }
  }
  const plain = instance(Plain, { env: {} });
  const lunora = instance(Lunora, { env: {} });
  await plain.object.start();
  await lunora.object.start();
  assert.deepEqual(lunora.container.starts[0].env, plain.container.starts[0].env);
  assert.deepEqual(lunora.container.starts[0].env, { A: "1" });
});

test("a subclass's entrypoint field replaces the definition's, as on Container", async (t) => {
  captureLifecycle(t);
  class WithEntrypoint extends Generated {
    entrypoint = ["node", "other.mjs"];
  }
  const { object, container } = instance(WithEntrypoint);
  await object.start();
  assert.deepEqual(container.starts[0].entrypoint, ["node", "other.mjs"]);
  const generated = instance(Generated);
  await generated.object.start();
  assert.deepEqual(generated.container.starts[0].entrypoint, ["node", "server.mjs"]);
});

test("hooks a subclass overrides run, and calling super keeps lunora's lifecycle lines", async (t) => {
  const lines = captureLifecycle(t);
  const seen = [];
  class Hooked extends Generated {
    async onStart() {
      seen.push("onStart");
      await super.onStart();
    }
    onStop(params) {
      seen.push(`onStop ${params.exitCode}`);
      return super.onStop(params);
    }
    onError(error) {
      seen.push(`onError ${error.message}`);
      return super.onError(error);
    }
  }
  const { object } = instance(Hooked);
  await object.onStart();
  await object.onStop({ exitCode: 0, reason: "exit" });
  assert.throws(() => object.onError(new Error("boom")), /boom/);
  assert.deepEqual(seen, ["onStart", "onStop 0", "onError boom"]);
  assert.deepEqual(
    lines.map((l) => l.event),
    ["start", "stop", "error"],
  );
});

test("a fetch override sees every request first and can hand it to the container with super.fetch", async (t) => {
  captureLifecycle(t);
  class Routed extends Generated {
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/worker-only") return new Response("answered by the Durable Object");
      return super.fetch(request);
    }
  }
  const { object, container } = instance(Routed);
  const own = await object.fetch(new Request("http://container/worker-only"));
  assert.equal(await own.text(), "answered by the Durable Object");
  assert.equal(container.starts.length, 0, "no container was started for it");
  // Handed on: LunoraContainer starts the container with the merged env first.
  await object.fetch(new Request("http://container/x")).catch(() => {});
  assert.equal(container.starts.length, 1);
  assert.equal(container.starts[0].env.API_KEY, "k-1");
});

// `@cloudflare/containers`' helpers and lunora's handles name Durable Objects the same way.
const { getRandom, getContainer, switchPort } = await import("@cloudflare/containers");
const { createContainerContext, isPoolInstanceName, poolInstanceName, TARGET_PORT_HEADER } = await import("../dist/index.js");

function namingNamespace() {
  const names = [];
  return {
    names,
    idFromName: (name) => ({ name }),
    get: ({ name }) => {
      names.push(name);
      return { fetch: async () => new Response(name) };
    },
  };
}

test("getRandom's slots are .any()'s slots, and .get() refuses every one of them", async () => {
  const upstream = namingNamespace();
  const realRandom = Math.random;
  try {
    for (let i = 0; i < 5; i++) {
      Math.random = () => i / 5 + 0.01;
      await getRandom(upstream, 5);
    }
  } finally {
    Math.random = realRandom;
  }
  const ours = namingNamespace();
  let r = 0;
  const containers = createContainerContext({ B: ours }, [{ binding: "B", exportName: "app", maxInstances: 5 }], { random: () => (r++ % 5) / 5 + 0.01 });
  for (let i = 0; i < 5; i++) await containers.app.any().fetch("/");
  assert.deepEqual(ours.names, upstream.names, "the same Durable Object names, slot by slot");
  assert.deepEqual(upstream.names, [0, 1, 2, 3, 4].map(poolInstanceName));
  for (const name of upstream.names) {
    assert.ok(isPoolInstanceName(name));
    assert.throws(() => containers.app.get(name), /pool slot/);
  }
  // getContainer's default instance is an ordinary name, reachable with .get().
  const single = namingNamespace();
  getContainer(single);
  await containers.app.get(single.names[0]).fetch("/");
  assert.equal(ours.names.at(-1), single.names[0]);
});

test("switchPort and .port(n) set the same target-port header", async () => {
  const request = switchPort(new Request("http://container/x"), 9090);
  assert.equal(request.headers.get(TARGET_PORT_HEADER), "9090");
  let seen;
  const ns = {
    idFromName: (name) => ({ name }),
    get: () => ({ fetch: async (r) => ((seen = r.headers.get(TARGET_PORT_HEADER)), new Response("ok")) }),
  };
  const containers = createContainerContext({ B: ns }, [{ binding: "B", exportName: "app" }]);
  await containers.app.get("n").port(9090).fetch("/x");
  assert.equal(seen, "9090");
});
