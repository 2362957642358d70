// The real-container scenarios. run.sh starts `lunora dev` on the app in ./app (inside a private
// network namespace, with a real Docker engine) and runs this file in the same namespace. Every
// scenario drives a container through the generated handles, via the app's Worker (see
// app/src/index.ts for its routes), and checks what the spec promises: the answer, the container
// process itself (its /info, /env, Docker state and logs) and the lifecycle lines.
//
// Environment (set by run.sh): SUITE_URL (the Worker), SUITE_DEV_LOG (lunora dev's output),
// SUITE_WRANGLER_LOGS (wrangler's log directory: the raw lifecycle JSON lines), SUITE_DOCKER,
// SUITE_EXAMPLE_DEV_PID (the pid of the example's lunora dev).
//
// Prints `ok N - name (time)` or `not ok N - name` + the reason per scenario, then
// `N passed, N failed`; exits 1 when anything failed.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { descendantsOf, ended } from "./processes.mjs";

const BASE = process.env.SUITE_URL ?? "http://127.0.0.1:8787";
const DEV_LOG = process.env.SUITE_DEV_LOG;
const WRANGLER_LOGS = process.env.SUITE_WRANGLER_LOGS;
const DOCKER = process.env.SUITE_DOCKER ?? "/usr/bin/docker";
const ONLY = process.env.SUITE_ONLY ? new RegExp(process.env.SUITE_ONLY) : undefined;
const APP = process.env.SUITE_APP;

// ---------------------------------------------------------------- helpers

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Check extends Error {}

function check(condition, message) {
  if (!condition) throw new Check(typeof message === "function" ? message() : message);
}

function equal(actual, expected, what) {
  check(Object.is(actual, expected), () => `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function matches(text, pattern, what) {
  check(pattern.test(text), () => `${what}: ${JSON.stringify(text)} does not match ${pattern}`);
}

/** One request to the Worker. */
async function call(path, { method = "GET", headers = {}, body, timeoutMs = 60_000 } = {}) {
  const init = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["content-type"] = "application/json";
  }
  const response = await fetch(`${BASE}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    text,
    threw: response.headers.get("x-suite-threw"),
    json() {
      try {
        return JSON.parse(text);
      } catch {
        throw new Check(`${method} ${path}: expected JSON, got ${response.status} ${JSON.stringify(text.slice(0, 300))}`);
      }
    },
  };
}

/** GET that must answer 200 with JSON. */
async function getJson(path, options) {
  const r = await call(path, options);
  check(r.status === 200, () => `GET ${path}: expected 200, got ${r.status} ${JSON.stringify(r.text.slice(0, 300))}`);
  return r.json();
}

const info = (container, name, options) => getJson(`/c/${container}/get/${name}/info`, options);
const state = (container, name) => getJson(`/c/${container}/state/${name}`);
const idOf = async (container, name) => (await call(`/c/${container}/id/${name}`)).text;

async function post(path, body) {
  const r = await call(path, { method: "POST", body });
  check(r.status === 204, () => `POST ${path}: expected 204, got ${r.status} ${JSON.stringify(r.text.slice(0, 300))}`);
}

async function waitFor(what, fn, { timeoutMs = 20_000, everyMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Check(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last: ${last.message})` : ""}`);
    await sleep(everyMs);
  }
}

function docker(...args) {
  return execFileSync(DOCKER, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/**
 * The name workerd gave the app container the test server reporting `host` runs in. The app
 * container joins its sidecar's network (and so UTS) namespace: HOSTNAME is the sidecar's short
 * id, and the sidecar is named `<app container>-proxy`.
 */
function containerName(host) {
  return docker("inspect", "--format", "{{.Name}}", host).replace(/^\//, "").replace(/-proxy$/, "");
}

/** Every lifecycle JSON line the generated classes logged (wrangler's log keeps them raw). */
function lifecycleLines() {
  const lines = [];
  for (const file of readdirSync(WRANGLER_LOGS)) {
    for (const line of readFileSync(join(WRANGLER_LOGS, file), "utf8").split("\n")) {
      const start = line.indexOf('{"type":"container"');
      if (start < 0) continue;
      try {
        lines.push(JSON.parse(line.slice(start)));
      } catch {
        // A line cut by a concurrent write; the next read sees it whole.
      }
    }
  }
  return lines;
}

function lifecycleFor(container, instanceId, event) {
  return lifecycleLines().filter((l) => l.container === container && l.instanceId === instanceId && (!event || l.event === event));
}

/** Waits for the first lifecycle line that matches (wrangler writes its log asynchronously). */
function lifecycleLine(what, container, instanceId, event, predicate = () => true, timeoutMs = 10_000) {
  return waitFor(what, () => lifecycleFor(container, instanceId, event).find(predicate), { timeoutMs });
}

/** `[lunora] container:…` lines as lunora dev printed them. */
function renderedLines() {
  return readFileSync(DEV_LOG, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("[lunora] container:"));
}

/**
 * The rendered line for a lifecycle event, exactly as the spec shows it: `[lunora]
 * container:<name>#<first 8 of the id> <event>`, then ` <detail>` when the event has one (the
 * JSON contract in crates/cli/src/lifecycle.rs).
 */
function renderedFor(line) {
  const prefix = `[lunora] container:${line.container}#${line.instanceId.slice(0, 8)}`;
  const detail = typeof line.detail === "string" ? line.detail.trim() : "";
  const expected = detail ? `${prefix} ${line.event} ${detail}` : `${prefix} ${line.event}`;
  const same = renderedLines().filter((l) => l.startsWith(`${prefix} ${line.event}`));
  check(
    same.includes(expected),
    () => `no line ${JSON.stringify(expected)} in lunora dev's output; lines for this event: ${JSON.stringify(same)}`,
  );
  return expected;
}

function notes() {
  const list = [];
  return { list, add: (text) => list.push(text) };
}

// ---------------------------------------------------------------- scenarios

const scenarios = [];
function scenario(name, fn) {
  scenarios.push({ name, fn });
}

scenario(".get(name): one instance per name, the same name reaches the same instance", async (note) => {
  const [a1, b1] = await Promise.all([info("echo", "alpha"), info("echo", "beta")]);
  const a2 = await info("echo", "alpha");
  equal(a2.boot, a1.boot, "second .get('alpha') reached the same process");
  equal(a2.host, a1.host, "second .get('alpha') reached the same container");
  check(b1.boot !== a1.boot && b1.host !== a1.host, "'beta' has its own instance");
  const [alphaId, betaId] = await Promise.all([idOf("echo", "alpha"), idOf("echo", "beta")]);
  // workerd names each container after its Durable Object id.
  check(containerName(a1.host).endsWith(`-${alphaId}`), () => `alpha's container ${containerName(a1.host)} is not instance ${alphaId}`);
  check(containerName(b1.host).endsWith(`-${betaId}`), () => `beta's container ${containerName(b1.host)} is not instance ${betaId}`);
  await lifecycleLine("alpha's start line", "echo", alphaId, "start");
  equal(lifecycleFor("echo", alphaId, "start").length, 1, "start lines for alpha's instance");
  check(typeof a1.id === "string" && a1.id.length === 64, () => `the container has CLOUDFLARE_DURABLE_OBJECT_ID: ${a1.id}`);
  const labels = JSON.parse(docker("inspect", "--format", "{{json .Config.Labels}}", containerName(a1.host)) || "{}") ?? {};
  if (labels.suite !== undefined) equal(labels.suite, "real-containers", "labels on the container");
  else note(`labels: workerd does not put them on the local Docker container (its labels: ${JSON.stringify(labels)})`);
  if (a1.id !== alphaId) {
    note(`CLOUDFLARE_DURABLE_OBJECT_ID inside the container is workerd's local placeholder (${a1.id.slice(0, 8)}…), not the id; identity checked through the container workerd names after the id`);
  }
});

scenario(".any() spreads over the pool of maxInstances instances", async () => {
  const pool = await Promise.all([0, 1, 2].map((i) => idOf("echo", `instance-${i}`)));
  const seen = new Map();
  for (let i = 0; i < 24; i++) {
    const answer = await getJson("/c/echo/any/info");
    const id = containerName(answer.host).split("-").at(-1);
    check(pool.includes(id), () => `.any() reached ${id}, which is not one of the pool's instances`);
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  check(seen.size >= 2, () => `24 calls reached only ${seen.size} instance(s): ${JSON.stringify([...seen])}`);
});

// Regression (issue 25): `.get("instance-0")` reached the Durable Object of the first `.any()`
// slot, sharing its state, disk and destroy().
scenario(".get(name) refuses the names of .any()/.pool() slots; look-alike names keep their own instance", async () => {
  const r = await call("/c/echo/get/instance-0/info");
  equal(r.status, 500, "status");
  equal(r.threw, "TypeError", "thrown");
  matches(r.text, /"instance-0" is the name of a pool slot of \.any\(\) and \.pool\(\)/, "message");
  const slot = await getJson("/c/echo/slot/0/info");
  const [slotId, lookalikeId] = await Promise.all([idOf("echo", "instance-0"), idOf("echo", "instance-00")]);
  check(containerName(slot.host).endsWith(`-${slotId}`), "the slot route reaches slot 0");
  const lookalike = await info("echo", "instance-00");
  check(containerName(lookalike.host).endsWith(`-${lookalikeId}`), () => `.get("instance-00") reached ${containerName(lookalike.host)}, not its own instance ${lookalikeId}`);
  check(lookalike.host !== slot.host, ".get(\"instance-00\") is not slot 0");
});

scenario(".pool() retries a 5xx on a freshly picked instance", async () => {
  // Pool of two: slot 0 answers /maybe with 500, slot 1 with 200.
  const slotInfo = (i) => getJson(`/c/echo/slot/${i}/info`);
  await slotInfo(0);
  const good = await slotInfo(1);
  equal((await call("/c/echo/slot/0/mark-bad")).status, 200, "mark-bad");
  const headers = { "x-suite-count": "2", "x-suite-attempts": "2" };
  let badHits = 0;
  for (let i = 0; i < 40 && badHits === 0; i++) {
    const r = await call("/c/echo/pool/maybe", { headers });
    equal(r.status, 200, `pool call ${i + 1}`);
    equal(r.json().host, good.host, `pool call ${i + 1} answered by the good instance`);
    badHits = (await slotInfo(0)).hits.maybe ?? 0;
  }
  check(badHits > 0, "in 40 calls the pool never picked the bad instance first");
  // Without the retry the caller would have seen the 500.
  let sawFailure = false;
  for (let i = 0; i < 40 && !sawFailure; i++) {
    const r = await call("/c/echo/pool/maybe", { headers: { ...headers, "x-suite-attempts": "1" } });
    sawFailure = r.status === 500 && r.text.startsWith("bad instance");
  }
  check(sawFailure, "with attempts: 1 the bad instance's 500 never came through");
});

scenario(".port(n) reaches a second port listed in requiredPorts, and a start waits for all of them", async () => {
  const first = await info("echo", "ports");
  equal(first.port, 8080, "defaultPort");
  // 9090 opens 1.5 s after 8080: the first request went through only after both listened.
  check(first.listening.includes(9090), () => `first request served before port 9090 was open (listening: ${first.listening})`);
  check(first.hits.pinged >= 1, () => `the platform polled pingEndpoint /pinged: ${JSON.stringify(first.hits)}`);
  equal((await info("echo", "ports", { headers: { "x-suite-port": "9090" } })).port, 9090, ".get().port(9090)");
  equal((await getJson("/c/echo/any/info", { headers: { "x-suite-port": "9090" } })).port, 9090, ".any().port(9090)");
  equal((await getJson("/c/echo/pool/info", { headers: { "x-suite-port": "9090" } })).port, 9090, ".pool().port(9090)");
});

scenario("readyOn holds requests until /ready answers", async (note) => {
  const answer = await info("gated", "g1");
  check(answer.ready === true, "the request reached the app before /ready answered 200");
  check(answer.uptimeMs >= 2500, () => `served at ${answer.uptimeMs} ms, before READY_AFTER_MS (2500)`);
  // `entrypoint` reaches the process. Locally workerd passes it as the container's command, so
  // after an image ENTRYPOINT it arrives as arguments (the program named again first).
  const args = JSON.stringify(answer.args);
  if (args === JSON.stringify(["/testserver", "--started-by", "entrypoint"])) {
    note("entrypoint: workerd sets it as the Docker command, so with an image ENTRYPOINT it is appended as arguments instead of replacing it");
  } else {
    equal(args, JSON.stringify(["--started-by", "entrypoint"]), "entrypoint override");
  }
  const id = await idOf("gated", "g1");
  equal((await lifecycleLine("gated's start line", "gated", id, "start")).message, "container started and ready", "start line after readiness");
});

scenario("readyOn: a probe that never turns ready fails the start with a clear error", async () => {
  const r = await call("/c/neverReady/get/n1/info");
  equal(r.status, 503, "status");
  matches(
    r.text,
    /^Container "neverReady" did not become ready: readyOn probe GET \/ready on port 8080 \(expects 200\) did not answer 200 within 20000 ms \(last: answered 503\)\.$/,
    "body",
  );
  const id = await idOf("neverReady", "n1");
  const error = await lifecycleLine("the readiness error line", "neverReady", id, "error");
  equal(error.detail, r.text, "error line detail");
  const stop = await lifecycleLine("the unready container's stop line", "neverReady", id, "stop");
  equal(stop.reason, "not-ready", "stop reason");
  equal(stop.exitCode, 137, "the unready container was killed");
});

scenario('hardTimeout: "5s" stops a busy instance', async () => {
  const requested = Date.now();
  const first = await info("job", "j1");
  const id = await idOf("job", "j1");
  let last = first;
  let replacedAt;
  // Busy: a request every 300 ms keeps it active; sleepAfter (10m) never applies.
  await waitFor(
    "the hard timeout",
    async () => {
      const now = await info("job", "j1");
      if (now.boot === first.boot) last = now;
      else replacedAt ??= Date.now();
      return replacedAt !== undefined;
    },
    { timeoutMs: 15_000, everyMs: 300 },
  );
  // Never before 5 s from the start request (0.5 s of slack for the two clocks), and not much later.
  check(replacedAt - requested >= 4_500, () => `the first run was replaced ${replacedAt - requested} ms after it was requested`);
  check(last.uptimeMs < 9_000, () => `the first run lived ${last.uptimeMs} ms`);
  const stop = await lifecycleLine("the hard-timeout stop line", "job", id, "stop", (l) => l.reason === "hard-timeout");
  equal(stop.detail, "hard timeout (5s) reached, exit code 0", "stop detail");
  equal(stop.exitCode, 0, "exit code");
});

scenario("hardTimeout: a stale timer from a previous run never kills a fresh one", async () => {
  // After the suite's first burst of starts, so this 5 s budget is not spent waiting for a CPU.
  await sleep(6_000);
  const firstRequested = Date.now();
  const first = await info("job", "j2");
  const id = await idOf("job", "j2");
  await sleep(1_000);
  await post("/c/job/stop/j2");
  await waitFor("the first run to stop", async () => !["running", "healthy"].includes((await state("job", "j2")).status));
  // The second run starts 3 s after the first: its own timer is due 3 s after the first run's.
  await sleep(Math.max(0, firstRequested + 3_000 - Date.now()));
  const secondRequested = Date.now();
  const second = await info("job", "j2");
  check(second.boot !== first.boot, "a new run started");
  // Past the first run's deadline (5 s after it was requested), the fresh run must still be alive.
  await sleep(Math.max(0, firstRequested + 5_800 - Date.now()));
  equal((await info("job", "j2")).boot, second.boot, "the fresh run is alive after the first run's deadline");
  const lines = () => JSON.stringify(lifecycleFor("job", id).map((l) => [l.timestamp, l.event, l.reason ?? ""]));
  const stops = await waitFor("the fresh run's own hard timeout", () => {
    const all = lifecycleFor("job", id, "stop");
    return all.length >= 2 && all;
  }, { timeoutMs: 15_000 });
  equal(stops[0].reason, "stop", `the first run's stop line says stop() (${lines()})`);
  equal(stops[1].reason, "hard-timeout", `the fresh run's stop line (${lines()})`);
  const lived = Date.parse(stops[1].timestamp) - secondRequested;
  check(lived >= 4_500, () => `the fresh run was stopped ${lived} ms after it was requested (${lines()})`);
});

scenario("sleepAfter puts an idle instance to sleep", async () => {
  const first = await info("sleepy", "z1");
  const id = await idOf("sleepy", "z1");
  // Active for longer than sleepAfter (3s) in all, but never idle for 3 s: it stays up.
  for (let i = 0; i < 4; i++) {
    await sleep(1_000);
    equal((await info("sleepy", "z1")).boot, first.boot, `still the same process after ${i + 1} s of activity`);
  }
  const lastRequest = Date.now();
  await waitFor("the idle instance to stop", async () => ["stopped", "stopped_with_code"].includes((await state("sleepy", "z1")).status), {
    timeoutMs: 20_000,
    everyMs: 500,
  });
  check(Date.now() - lastRequest >= 2_000, () => `stopped ${Date.now() - lastRequest} ms after the last request`);
  const stop = await lifecycleLine("the sleep stop line", "sleepy", id, "stop");
  equal(stop.reason, "sleep-after", "stop reason");
  equal(stop.detail, "idle for sleepAfter (3s), exit code 0", "stop detail");
});

// Regression (issue 25): `envVars` on a subclass of the generated class never reached the container.
scenario("env, a subclass's envVars, secrets (.dev.vars) and secretsStore reach the container", async () => {
  const env = await getJson("/c/echo/get/env1/env");
  equal(env.LOG_LEVEL, "debug", "env");
  equal(env.FROM_SUBCLASS, "yes", "the subclass's envVars field (app/src/index.ts)");
  equal(env.API_KEY, "dev-vars-api-key", "secret from .dev.vars, which wins over the subclass's envVars");
  equal(env.STORE_KEY, "store-secret-value", "Secrets Store value");
});

scenario("a declared secret that is missing fails the start with the directed error", async () => {
  const r = await call("/c/needsSecret/get/x1/info");
  equal(r.status, 500, "status");
  matches(r.text, /^Container "needsSecret" cannot start: secret MISSING_SECRET is not set in the Worker env\./, "body");
  matches(r.text, /wrangler secret put MISSING_SECRET/, "production direction");
  matches(r.text, /add MISSING_SECRET=… to \.dev\.vars/, "local direction");
  equal(docker("ps", "-a", "--filter", "name=NeedsSecretContainer", "--format", "{{.Names}}"), "", "no container was started");
  equal((await state("needsSecret", "x1")).status, "stopped", "state");
  const id = await idOf("needsSecret", "x1");
  equal((await lifecycleLine("the missing-secret error line", "needsSecret", id, "error")).detail, r.text, "error line detail");
});

scenario("start({ envVars }), getState(), stop() and destroy() through the named handle", async () => {
  equal((await state("echo", "managed")).status, "stopped", "state before any start");
  await post("/c/echo/start/managed", { envVars: { SESSION: "s-1", PORTS: "8080,9090" } });
  equal((await state("echo", "managed")).status, "healthy", "state after start()");
  const env = await getJson("/c/echo/get/managed/env");
  equal(env.SESSION, "s-1", "start({ envVars }) value");
  check(!("LOG_LEVEL" in env) && !("API_KEY" in env) && !("STORE_KEY" in env), () => `envVars replace env, secrets and the store wholesale: ${JSON.stringify(env)}`);
  const { host } = await info("echo", "managed");
  await post("/c/echo/stop/managed");
  await waitFor("stop()", async () => !["running", "healthy"].includes((await state("echo", "managed")).status));
  equal(docker("inspect", "--format", "{{.State.Running}}", containerName(host)), "false", "the process stopped");
  // A bare start() gets the definition's env again.
  await post("/c/echo/start/managed");
  equal((await getJson("/c/echo/get/managed/env")).LOG_LEVEL, "debug", "bare start() env");
  await post("/c/echo/destroy/managed");
  await waitFor("destroy()", async () => !["running", "healthy"].includes((await state("echo", "managed")).status));
  const id = await idOf("echo", "managed");
  const stop = await waitFor("the destroy stop line", () => lifecycleFor("echo", id, "stop").find((l) => l.reason === "destroy"));
  equal(stop.exitCode, 137, "destroy() kills");
});

scenario("SIGTERM reaches the process on stop", async () => {
  const { host } = await info("echo", "term");
  const id = await idOf("echo", "term");
  await post("/c/echo/stop/term");
  const stop = await waitFor("the stop line", () => lifecycleFor("echo", id, "stop")[0]);
  // TERM_EXIT_CODE=42 is what the test server's SIGTERM handler exits with.
  equal(stop.exitCode, 42, "exit code from the SIGTERM handler");
  equal(stop.detail, "stop() requested, exit code 42", "stop detail");
  matches(docker("logs", containerName(host)), /testserver: received SIGTERM/, "docker logs");
});

scenario("a WebSocket upgrade is proxied", async () => {
  const socket = new WebSocket(`${BASE.replace(/^http/, "ws")}/c/echo/get/ws1/ws`);
  const received = [];
  const closed = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Check(`WebSocket timed out; received ${JSON.stringify(received)}`)), 30_000);
    socket.onerror = (event) => {
      clearTimeout(timer);
      reject(new Check(`WebSocket error: ${event.message ?? "unknown"}`));
    };
    socket.onclose = (event) => {
      clearTimeout(timer);
      resolve(event.code);
    };
  });
  socket.onopen = () => socket.send("hello");
  socket.onmessage = (event) => {
    received.push(String(event.data));
    if (received.length === 1) socket.send("second");
    else socket.close(1000, "done");
  };
  equal(await closed, 1000, "close code");
  equal(JSON.stringify(received), JSON.stringify(["echo: hello", "echo: second"]), "messages");
});

scenario("a cold start is absorbed by the retry (path calls; a pre-built Request is sent once)", async () => {
  // Port 9090 opens 24 s after boot; the platform gives up on it after 20 s with a 500
  // "Failed to start container", which .get() retries on the same instance.
  const [absorbed, once, prebuilt] = await Promise.all([
    call("/c/slowBoot/get/s1/info", { timeoutMs: 90_000 }),
    call("/c/slowBoot/get/s2/info", { headers: { "x-suite-attempts": "1" }, timeoutMs: 90_000 }),
    call("/c/slowBoot/get/s3/info", { headers: { "x-suite-prebuilt": "1" }, timeoutMs: 90_000 }),
  ]);
  equal(absorbed.status, 200, `retried call (${absorbed.text.slice(0, 200)})`);
  check(absorbed.json().listening.includes(9090), "served once both ports were open");
  const id = await idOf("slowBoot", "s1");
  matches((await lifecycleLine("the first attempt's error line", "slowBoot", id, "error")).detail, /port 9090/, "the first attempt failed");
  equal(once.status, 500, "with attempts: 1 the blip reaches the caller");
  matches(once.text, /^Failed to start container: /, "the blip");
  equal(prebuilt.status, 500, "a pre-built Request is sent once, never retried");
  matches(prebuilt.text, /^Failed to start container: /, "the pre-built Request's blip");
});

scenario("an honest application 5xx is returned as is, sent once", async () => {
  const r = await call("/c/echo/get/app5xx/status/503");
  equal(r.status, 503, "status");
  equal(r.text, "app answered 503", "body");
  const r500 = await call("/c/echo/get/app5xx/status/500");
  equal(r500.status, 500, "status");
  equal(r500.text, "app answered 500", "body");
  equal((await info("echo", "app5xx")).hits.status, 2, "each sent exactly once");
});

scenario("an unexpected exit is an error line with its exit code", async () => {
  await info("echo", "crash");
  const id = await idOf("echo", "crash");
  equal((await call("/c/echo/get/crash/exit/3")).status, 200, "exit request");
  const error = await waitFor("the exit's error line", () => lifecycleFor("echo", id, "error").find((l) => l.exitCode === 3));
  equal(error.detail, "exited unexpectedly with exit code 3", "detail");
  equal(error.reason, "exit", "reason");
});

scenario("egress: enableInternet: false + allowedHosts/deniedHosts, and runtime egress control", async (note) => {
  // What reaches the suite: a server on the namespace's Docker bridge (an allowed host).
  const server = createServer((request, response) => {
    const body = `reached the suite: ${request.url}`;
    response.writeHead(200, { "content-length": Buffer.byteLength(body) });
    response.end(body);
  });
  await new Promise((resolve) => server.listen(0, "172.17.0.1", resolve));
  const port = server.address().port;
  try {
    const out = async (host, path = "/") => {
      // The container connects to a TEST-NET address; the egress path routes by Host, like HTTP interception.
      const answer = await getJson(`/c/fetcher/get/f1/egress?target=192.0.2.1:80&host=${host}&path=${path}`);
      equal(answer.connect, 200, `egress tunnel for ${host}`);
      return answer;
    };
    const allowed = `172.17.0.1:${port}`;
    const first = await out(allowed, "/allowed");
    equal(first.status, 200, "an allowed host is reached");
    equal(first.body, "reached the suite: /allowed", "allowed body");
    for (const host of ["other.example", "x.denied.example"]) {
      const blocked = await out(host);
      equal(blocked.status, 520, `${host} blocked`);
      equal(blocked.body, "Origin is disallowed", `${host} body`);
    }
    const glob = await out("api.allowed.example");
    check(glob.status !== 520, "a host matching the *.allowed.example glob is let through (and fails offline)");
    await post("/c/fetcher/egress/f1/deny", "172.17.0.1");
    equal((await out(allowed)).status, 520, "egress.deny() blocks it at runtime");
    await post("/c/fetcher/egress/f1/removeDenied", "172.17.0.1");
    equal((await out(allowed)).status, 200, "egress.removeDenied() lets it through again");
    await post("/c/fetcher/egress/f1/setAllowed", ["other.example"]);
    equal((await out(allowed)).status, 520, "egress.setAllowed() replaces the allow-list");
    check((await out("other.example")).status !== 520, "the new allow-list applies");
    await post("/c/fetcher/egress/f1/allow", "172.17.0.1");
    equal((await out(allowed)).status, 200, "egress.allow() adds a host");
    // What workerd told the sidecar for this container (and, for contrast, for an open one).
    const { host } = await info("fetcher", "f1");
    const sidecar = docker("logs", `${containerName(host)}-proxy`);
    matches(sidecar, /PUT \/egress \{.*"internet":\{"enabled":false\}/, "internet disabled for fetcher");
    const echoHost = (await info("echo", "alpha")).host;
    matches(docker("logs", `${containerName(echoHost)}-proxy`), /PUT \/egress \{.*"internet":\{"enabled":true\}/, "internet enabled for echo");
    note("the stand-in sidecar does not capture connections transparently: the test server sends its requests to the sidecar's egress entry, which relays them to workerd's egress listener; plain outbound connections, DNS filtering and interceptHttps are not exercised");
  } finally {
    server.close();
  }
});

scenario("buildArgs reach the image build", async () => {
  const dev = readFileSync(DEV_LOG, "utf8");
  for (const [name, cls] of [["echo", "echocontainer"], ["job", "jobcontainer"]]) {
    // The tag wrangler built for this app (the example app has an EchoContainer too).
    const tag = new RegExp(`Successfully tagged (cloudflare-dev/${cls}:\\S+)`).exec(dev)?.[1];
    check(tag, `lunora dev's output names the image built for ${cls}`);
    equal(docker("image", "inspect", "--format", '{{index .Config.Labels "dev.lunora.suite.container"}}', tag), name, `${tag} label`);
  }
});

scenario("examples/echo runs under lunora dev, as its README shows", async () => {
  const example = process.env.SUITE_EXAMPLE_URL;
  check(example, "SUITE_EXAMPLE_URL is set");
  const text = async (path, init) => {
    const response = await fetch(`${example}${path}`, { ...init, signal: AbortSignal.timeout(60_000) });
    return `${response.status} ${await response.text()}`;
  };
  equal(await text("/alpha"), "200 echo: hello from an implicit start\n", "GET /alpha");
  equal(await text("/alpha/some/path"), "200 echo: /some\n", "GET /alpha/some/path");
  equal(await text("/beta/start", { method: "POST" }), "200 started beta\n", "POST /beta/start");
  equal(await text("/beta"), "200 echo: hello from beta\n", "GET /beta after start({ envVars })");
  matches(await text("/beta/state"), /^200 \{"status":"healthy"/, "GET /beta/state");
  equal(await text("/beta/stop", { method: "POST" }), "200 stopping beta\n", "POST /beta/stop");
  await waitFor("beta to stop", async () => /"status":"stopped/.test(await text("/beta/state")));
  const devLog = () => readFileSync(process.env.SUITE_EXAMPLE_DEV_LOG, "utf8");
  matches(devLog(), /^\[lunora\] container:echo#[0-9a-f]{8} start$/m, "the example's start line");
  await waitFor("the example's stop line", () => /^\[lunora\] container:echo#[0-9a-f]{8} stop \S/m.test(devLog()));
});

/** The tag lunora dev puts before a line of `name`'s instance of `container`. */
const tagOf = async (container, name) => `[lunora] container:${container}#${(await idOf(container, name)).slice(0, 8)}`;

const devLines = () => readFileSync(DEV_LOG, "utf8").split("\n");

scenario("what a container prints reaches lunora dev's output, tagged, stderr marked", async () => {
  const word = `marker-${Date.now().toString(36)}`;
  equal((await call(`/c/echo/get/printer/print/${word}`)).text, "printed", "print request");
  const tag = await tagOf("echo", "printer");
  const out = `${tag} | stdout ${word}`;
  const err = `${tag} stderr | stderr ${word}`;
  await waitFor(`${JSON.stringify(out)} and ${JSON.stringify(err)} in lunora dev's output`, () => {
    const lines = devLines();
    return lines.includes(out) && lines.includes(err);
  }, { timeoutMs: 10_000 });
  // What the server printed at boot, before anyone asked for it, is there too.
  check(devLines().includes(`${tag} | testserver: listening on 8080`), "the boot line of the printer instance");
  check(!devLines().some((l) => l.includes("-proxy")), "the egress sidecars' output is not shown");
});

scenario("a container that floods its output: bounded, counted, and the worker still answers promptly", async (note) => {
  const N = 50_000;
  await info("echo", "flood");
  const tag = await tagOf("echo", "flood");
  const flooding = call(`/c/echo/get/flood/flood/${N}`);
  // The worker's own requests while the flood is printed (no container involved in /id).
  const slowest = [];
  for (let i = 0; i < 10; i++) {
    const started = Date.now();
    equal((await call(`/c/echo/id/flood-probe-${i}`)).status, 200, "a request during the flood");
    slowest.push(Date.now() - started);
    await sleep(100);
  }
  equal((await flooding).text, `flooded ${N}`, "flood request");
  const worst = Math.max(...slowest);
  check(worst < 2_000, () => `a request during the flood took ${worst} ms`);
  // Every line is either printed or counted as dropped.
  const counts = () => {
    let printed = 0;
    let dropped = 0;
    for (const line of devLines()) {
      if (line.startsWith(`${tag} | flood line `)) printed++;
      const m = line.startsWith(`${tag} dropped `) && / dropped (\d+) lines? of output/.exec(line);
      if (m) dropped += Number(m[1]);
    }
    return { printed, dropped };
  };
  const seen = await waitFor(`${N} flood lines printed or counted`, () => {
    const c = counts();
    return c.printed + c.dropped >= N && c;
  }, { timeoutMs: 30_000 });
  check(seen.dropped > 0, "nothing was dropped: the bound did not apply");
  check(seen.printed < N / 2, () => `${seen.printed} of ${N} lines printed: not bounded`);
  note(`flood of ${N} lines: ${seen.printed} printed, ${seen.dropped} counted as dropped; slowest worker request during it ${worst} ms`);
});

// Runs after the others, over every lifecycle line they produced.
const finalScenario = {
  name: "lifecycle lines appear in lunora dev's output, with their details",
  fn: async (note) => {
    const lines = lifecycleLines();
    check(lines.length > 10, `only ${lines.length} lifecycle lines`);
    let withDetail = 0;
    let withoutDetail = 0;
    for (const line of lines) {
      check(/^[0-9a-f]{64}$/.test(line.instanceId), () => `instanceId ${line.instanceId}`);
      if (line.event === "start") check(line.detail === undefined, () => `a plain start has no detail: ${JSON.stringify(line)}`);
      if (line.event === "stop") check(typeof line.detail === "string" && typeof line.exitCode === "number" && line.reason, () => `stop line without detail/exitCode/reason: ${JSON.stringify(line)}`);
      if (line.event === "error") check(typeof line.detail === "string" && line.detail !== "", () => `error line without detail: ${JSON.stringify(line)}`);
      const rendered = renderedFor(line);
      if (line.detail && rendered.endsWith(` ${line.detail}`)) withDetail++;
      else withoutDetail++;
    }
    const dev = readFileSync(DEV_LOG, "utf8");
    check(!dev.includes('{"type":"container"'), "no raw lifecycle JSON in lunora dev's output");
    for (const event of ["start", "stop", "error"]) {
      check(lines.some((l) => l.event === event), `a ${event} line was produced`);
    }
    note(`${lines.length} lifecycle lines; rendered with their detail: ${withDetail}, without: ${withoutDetail}`);
  },
};

// Runs last, alone: a save that stops wrangler restarts it, which ends every running container.
const typoScenario = {
  name: "typos saved mid-session (syntax error, half-written file, unknown key, bad duration, bad port): the session lives, the worker answers after the fix",
  fn: async (note) => {
    check(APP, "SUITE_APP is set");
    const file = join(APP, "lunora", "containers.ts");
    const original = readFileSync(file, "utf8");
    const errorsSoFar = () => devLines().filter((l) => l.includes("lunora: not regenerated; waiting for the next save")).length;
    const answers = async () => (await call("/c/echo/get/alpha/info", { timeoutMs: 30_000 })).status === 200;
    const save = async (what, text, code) => {
      const before = errorsSoFar();
      const offset = readFileSync(DEV_LOG, "utf8").length;
      writeFileSync(file, text);
      await waitFor(`lunora's error for the ${what}`, () => errorsSoFar() > before, { timeoutMs: 15_000 });
      const shown = readFileSync(DEV_LOG, "utf8").slice(offset);
      matches(shown, new RegExp(`error\\[${code.replace("/", "\\/")}\\]:[^]*--> lunora/containers\\.ts:\\d+:\\d+`), `the located error for the ${what}`);
    };
    const cut = original.indexOf("hardTimeout");
    check(cut > 0, "the app's containers.ts has a hardTimeout to cut at");
    try {
      await save("syntax error", `${original}\nexport const broken = defineContainer({ image: "./x", \n`, "containers/syntax-error");
      // wrangler keeps running through a bundling error, holding requests until a bundle builds.
      await save("half-written file", original.slice(0, cut + 5), "containers/syntax-error");
      await save("unknown key", original.replace('sleepAfter: "3s"', 'sleepAftr: "3s"'), "containers/unknown-key");
      // wrangler reloads the bundle, defineContainer throws at module load and wrangler exits.
      await waitFor("lunora to say the dev server stopped and the session goes on", () => devLines().some((l) => l.includes("lunora: the dev server stopped")), { timeoutMs: 30_000 });
      check(!(await answers().catch(() => false)), "nothing answers while the dev server is stopped");
      await save("bad duration", original.replace('sleepAfter: "3s"', 'sleepAfter: "7 min"'), "containers/invalid-duration");
      await save("bad port", original.replace("defaultPort: 8080,\n  sleepAfter: \"3s\"", "defaultPort: 70000,\n  sleepAfter: \"3s\""), "containers/invalid-port");
    } finally {
      writeFileSync(file, original);
    }
    await waitFor("lunora restarting the dev server", () => devLines().some((l) => l.includes("restarting the dev server")), { timeoutMs: 15_000 });
    await waitFor("the worker to answer after the fix", answers, { timeoutMs: 90_000, everyMs: 500 });
    equal((await info("echo", "after-the-fix")).port, 8080, "a container starts after the fix");
  },
};

// Runs after the typo scenario, alone: a save that adds a container reloads wrangler.
const addedScenario = {
  name: "a container added mid-session: lunora dev restarts wrangler (which builds images only at start), the container runs, its output is shown",
  fn: async (note) => {
    check(APP, "SUITE_APP is set");
    const file = join(APP, "lunora", "containers.ts");
    const regenerated = () => devLines().filter((l) => l.includes("lunora: regenerated in")).length;
    const runs = regenerated();
    writeFileSync(
      file,
      `${readFileSync(file, "utf8")}
/** Added by the suite while lunora dev runs. */
export const latecomer = defineContainer({
  image,
  buildArgs: { SUITE_CONTAINER: "latecomer" },
  defaultPort: 8080,
  sleepAfter: "5m",
  enableInternet: true,
});
`,
    );
    await waitFor("lunora to regenerate with the new container", () => regenerated() > runs, { timeoutMs: 15_000 });
    const word = `late-${Date.now().toString(36)}`;
    const started = Date.now();
    await waitFor(
      "the worker to reach the new container",
      async () => (await call(`/c/latecomer/get/late/print/${word}`, { timeoutMs: 60_000 }).catch(() => ({}))).text === "printed",
      { timeoutMs: 120_000, everyMs: 1_000 },
    );
    const reached = Date.now() - started;
    const tag = await tagOf("latecomer", "late");
    const out = `${tag} | stdout ${word}`;
    await waitFor(`${JSON.stringify(out)} in lunora dev's output`, () => devLines().includes(out), { timeoutMs: 10_000 });
    check(devLines().includes(`${tag} stderr | stderr ${word}`), "the new container's stderr line");
    check(
      devLines().some((l) => l.includes("lunora: restarting the dev server: `latecomer` was added")),
      "lunora said why it restarted the dev server",
    );
    note(`the new container answered ${reached} ms after the save (restart and image build included); its output shown`);
  },
};

// Runs last: it ends the example's lunora dev.
const killedScenario = {
  name: "lunora dev killed with SIGKILL: its wrangler, workerd and log readers end too",
  fn: async (note) => {
    const pid = Number(process.env.SUITE_EXAMPLE_DEV_PID);
    check(pid > 0, "SUITE_EXAMPLE_DEV_PID is set");
    // The example has a running instance, so a `docker logs --follow` reader too.
    const answer = await fetch(`${process.env.SUITE_EXAMPLE_URL}/alpha`, { signal: AbortSignal.timeout(60_000) });
    equal(answer.status, 200, "a request to the example");
    await answer.text();
    await waitFor("lunora dev to follow the instance's output", () => descendantsOf(pid).some((p) => / logs --follow /.test(p.cmd)));
    const started = descendantsOf(pid);
    check(started.some((p) => /workerd/.test(p.cmd)), () => `no workerd under lunora dev: ${JSON.stringify(started)}`);
    check(started.some((p) => /wrangler/.test(p.cmd)), () => `no wrangler under lunora dev: ${JSON.stringify(started)}`);
    const killedAt = Date.now();
    process.kill(pid, "SIGKILL");
    await waitFor(
      "every process lunora dev started to end",
      () => started.every((p) => ended(p.pid)),
      { timeoutMs: 15_000, everyMs: 100 },
    ).catch((error) => {
      throw new Check(`${error.message}; still running: ${JSON.stringify(started.filter((p) => !ended(p.pid)))}`);
    });
    const kinds = [...new Set(started.map((p) => p.cmd.split(" ")[0].split("/").pop()))].join(", ");
    note(`${started.length} processes (${kinds}) ended ${Date.now() - killedAt} ms after lunora dev was killed`);
  },
};

// ---------------------------------------------------------------- runner

async function runOne(index, { name, fn }) {
  const started = Date.now();
  const noted = [];
  try {
    await fn((text) => noted.push(text));
    return { index, name, ok: true, ms: Date.now() - started, noted };
  } catch (error) {
    const reason = error instanceof Check ? error.message : error?.stack ?? String(error);
    return { index, name, ok: false, ms: Date.now() - started, noted, reason };
  }
}

function report(result) {
  const time = `${(result.ms / 1000).toFixed(1)} s`;
  console.log(`${result.ok ? "ok" : "not ok"} ${result.index} - ${result.name} (${time})`);
  for (const text of result.noted) console.log(`    note: ${text}`);
  if (!result.ok) console.log(`    ${result.reason.split("\n").join("\n    ")}`);
}

const selected = scenarios.filter((s) => !ONLY || ONLY.test(s.name));
const results = await Promise.all(selected.map((s, i) => runOne(i + 1, s).then((r) => (report(r), r))));
if (!ONLY || ONLY.test(finalScenario.name)) {
  const final = await runOne(results.length + 1, finalScenario);
  report(final);
  results.push(final);
}
if (!ONLY || ONLY.test(typoScenario.name)) {
  const typo = await runOne(results.length + 1, typoScenario);
  report(typo);
  results.push(typo);
}
for (const late of [addedScenario, killedScenario]) {
  if (!ONLY || ONLY.test(late.name)) {
    const result = await runOne(results.length + 1, late);
    report(result);
    results.push(result);
  }
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
