// Fakes of the Durable Object context a container class runs in: ctx.container (with scripted
// TCP ports), ctx.storage (async KV, sync kv, a recording SQL), ids and blockConcurrencyWhile.

// Workers globals the Container base uses on the proxy path.
globalThis.IdentityTransformStream ??= TransformStream;

// The base arms 5 s ping timeouts with setTimeout; unref them so they never hold the test
// process open (nothing in these tests waits on a real timer).
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = (fn, ms, ...args) => {
  const timer = realSetTimeout(fn, ms, ...args);
  timer?.unref?.();
  return timer;
};

export function fakeContainer({ running = false, port } = {}) {
  const container = {
    running,
    starts: [],
    signals: [],
    destroyed: 0,
    probeRequests: [],
    portHandler: port ?? (() => new Response("ok")),
    start(options) {
      container.starts.push(options);
      container.running = true;
    },
    monitor() {
      return new Promise(() => {});
    },
    signal(sig) {
      container.signals.push(sig);
    },
    async destroy() {
      container.destroyed++;
      container.running = false;
    },
    getTcpPort(n) {
      return {
        fetch: async (url, init) => {
          container.probeRequests.push({ port: n, url: String(url) });
          const response = await container.portHandler(n, String(url), init);
          // Workers responses carry `webSocket` (null unless upgraded).
          if (!("webSocket" in response)) Object.defineProperty(response, "webSocket", { value: null });
          return response;
        },
      };
    },
    async interceptOutboundHttp() {},
    async interceptAllOutboundHttp() {},
    async interceptOutboundHttps() {},
  };
  return container;
}

export function fakeCtx({ container = fakeContainer(), id = "a1b2c3d4e5f6" } = {}) {
  const map = new Map();
  const kv = new Map();
  const sqlLog = [];
  const ctx = {
    id: { toString: () => id, name: undefined },
    container,
    sqlLog,
    map,
    storage: {
      async get(key) {
        return map.get(key);
      },
      async put(key, value) {
        map.set(key, value);
      },
      async delete(key) {
        return map.delete(key);
      },
      async setAlarm() {},
      async getAlarm() {
        return null;
      },
      async deleteAlarm() {},
      async sync() {},
      kv: {
        get: (key) => kv.get(key),
        put: (key, value) => kv.set(key, value),
        delete: (key) => kv.delete(key),
      },
      sql: {
        exec(query, ...params) {
          sqlLog.push({ query: query.replace(/\s+/g, " ").trim(), params });
          return [][Symbol.iterator]();
        },
      },
    },
    /** How many blockConcurrencyWhile callbacks are running now (workerd resets an object blocked over 30 s). */
    blockDepth: 0,
    async blockConcurrencyWhile(fn) {
      ctx.blockDepth++;
      try {
        return await fn();
      } finally {
        ctx.blockDepth--;
      }
    },
    waitUntil() {},
    abort() {},
  };
  return ctx;
}

/** Captures console.log lines that parse as lifecycle JSON. */
export function captureLifecycle(t) {
  const lines = [];
  const original = console.log;
  console.log = (...args) => {
    if (typeof args[0] === "string" && args[0].startsWith('{"type":"container"')) {
      lines.push(JSON.parse(args[0]));
      return;
    }
    original(...args);
  };
  t.after(() => {
    console.log = original;
  });
  return lines;
}
