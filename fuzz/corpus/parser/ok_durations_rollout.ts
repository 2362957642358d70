import { defineContainer } from "@lunora/container";

export const seconds = defineContainer({
  image: "./c/a",
  sleepAfter: "30s",
  hardTimeout: 3600,
  rollout: { stepPercentage: 25 },
  enableInternet: false,
});
export const hours = defineContainer({
  image: "./c/b",
  sleepAfter: "1h",
  hardTimeout: "24h",
  rollout: { stepPercentage: [100], gracePeriodSeconds: 600 },
  enableInternet: false,
});
export const fivePercent = defineContainer({
  image: "./c/c",
  rollout: { stepPercentage: 5, gracePeriodSeconds: undefined },
  enableInternet: false,
});
