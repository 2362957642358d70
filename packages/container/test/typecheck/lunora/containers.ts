import { defineContainer } from "@lunora/container";

export const transcoder = defineContainer({
  image: "./containers/transcoder",
  defaultPort: 8080,
  instanceType: "standard-1",
  maxInstances: 5,
  sleepAfter: "5m",
  secrets: ["TRANSCODER_API_KEY"],
  readyOn: [{ path: "/ready" }, { path: "live", port: 9090, status: 204 }],
  requiredPorts: [8080, 9090],
  hardTimeout: "1h",
  rollout: { stepPercentage: [10, 50, 100], gracePeriodSeconds: 30 },
});
