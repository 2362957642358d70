// Every field of the Configuration table, plus secretsStore, all valid.
import { defineContainer } from "@lunora/container";

export const everything = defineContainer({
  image: "./containers/everything",
  defaultPort: 8080,
  requiredPorts: [8080, 9090],
  instanceType: { vcpu: 1, memoryMib: 4096, diskMb: 8000 },
  maxInstances: 3,
  sleepAfter: 120,
  hardTimeout: "2h",
  readyOn: [{ path: "ready", port: 9090, status: 204 }],
  pingEndpoint: "/healthz",
  env: { LOG_LEVEL: "debug", _PRIVATE: "1" },
  secrets: ["API_KEY"],
  secretsStore: { STRIPE_KEY: "STRIPE_SECRET" },
  buildArgs: { NODE_VERSION: "22" },
  entrypoint: ["node", "server.mjs"],
  enableInternet: false,
  allowedHosts: ["*.stripe.com"],
  deniedHosts: ["*.evil.com"],
  interceptHttps: false,
  labels: { team: "media", "app.kubernetes/tier": "backend" },
  name: "everything-prod",
  rollout: { stepPercentage: [10, 50, 100], gracePeriodSeconds: 0 },
});
