// The containers of the real-container suite. Every one runs the same static test server
// (images/testserver.c, built into containers/testserver/ by run.sh); `env` picks its behaviour.
// `buildArgs` labels each image with its container's name: wrangler 4.86 removes the other
// `cloudflare-dev/*` tags of an image it just built, so two classes whose images come out
// byte-identical would leave only one runnable image.
import { defineContainer } from "@lunora/container";

const image = "./containers/testserver";

/**
 * Routing, ports, env/secrets/Secrets Store, lifecycle control, WebSocket, SIGTERM, the ping
 * endpoint the platform polls, labels. Port 9090
 * opens 1.5 s after 8080, so a request to 8080 shows whether the start waited for every required port.
 */
export const echo = defineContainer({
  image,
  buildArgs: { SUITE_CONTAINER: "echo" },
  defaultPort: 8080,
  requiredPorts: [8080, 9090],
  maxInstances: 3,
  sleepAfter: "5m",
  env: { PORTS: "8080,9090", PORT_DELAYS: "9090:1500", LOG_LEVEL: "debug", TERM_EXIT_CODE: "42" },
  secrets: ["API_KEY"],
  secretsStore: { STORE_KEY: "STORE_SECRET" },
  pingEndpoint: "/pinged",
  labels: { suite: "real-containers" },
  enableInternet: true,
});

/** readyOn: requests wait until /ready answers (2.5 s after boot). Also overrides the entrypoint. */
export const gated = defineContainer({
  image,
  buildArgs: { SUITE_CONTAINER: "gated" },
  defaultPort: 8080,
  sleepAfter: "5m",
  readyOn: [{ path: "/ready" }],
  entrypoint: ["/testserver", "--started-by", "entrypoint"],
  env: { READY_AFTER_MS: "2500" },
  enableInternet: true,
});

/** readyOn: /ready never answers 200, so the start fails after the readiness budget. */
export const neverReady = defineContainer({
  image,
  buildArgs: { SUITE_CONTAINER: "neverReady" },
  defaultPort: 8080,
  sleepAfter: "5m",
  readyOn: [{ path: "ready" }],
  env: { READY_AFTER_MS: "never" },
  enableInternet: true,
});

/** hardTimeout: stopped 5 s after start however busy it is. */
export const job = defineContainer({
  image,
  buildArgs: { SUITE_CONTAINER: "job" },
  defaultPort: 8080,
  sleepAfter: "10m",
  hardTimeout: "5s",
  enableInternet: true,
});

/** sleepAfter: idle for 3 s, then asleep. */
export const sleepy = defineContainer({
  image,
  buildArgs: { SUITE_CONTAINER: "sleepy" },
  defaultPort: 8080,
  sleepAfter: "3s",
  enableInternet: true,
});

/**
 * A cold start: port 9090 opens 24 s after boot, past the 20 s the platform waits for a port, so
 * the first attempt answers 500 "Failed to start container" and the retry gets through. (A slow
 * *first* port cannot show this locally: see README.md.)
 */
export const slowBoot = defineContainer({
  image,
  buildArgs: { SUITE_CONTAINER: "slowBoot" },
  defaultPort: 8080,
  requiredPorts: [8080, 9090],
  sleepAfter: "5m",
  env: { PORTS: "8080,9090", PORT_DELAYS: "9090:24000" },
  enableInternet: true,
});

/** A declared secret that .dev.vars does not set: the start must fail with the directed error. */
export const needsSecret = defineContainer({
  image,
  buildArgs: { SUITE_CONTAINER: "needsSecret" },
  defaultPort: 8080,
  secrets: ["MISSING_SECRET"],
  enableInternet: true,
});

/**
 * Egress: closed to the internet except the allowed hosts. 172.17.0.1 (the namespace's Docker
 * bridge) is where the suite listens for requests that get through.
 */
export const fetcher = defineContainer({
  image,
  buildArgs: { SUITE_CONTAINER: "fetcher" },
  defaultPort: 8080,
  sleepAfter: "5m",
  enableInternet: false,
  allowedHosts: ["172.17.0.1", "*.allowed.example"],
  deniedHosts: ["*.denied.example"],
});
