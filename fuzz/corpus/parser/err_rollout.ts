import { defineContainer } from "@lunora/container";

export const oddStep = defineContainer({ image: "./c/a", rollout: { stepPercentage: 15 } });
export const descending = defineContainer({ image: "./c/a", rollout: { stepPercentage: [50, 20, 100] } });
export const notEnding = defineContainer({ image: "./c/a", rollout: { stepPercentage: [10, 50] } });
export const tooSmall = defineContainer({ image: "./c/a", rollout: { stepPercentage: [5, 100] } });
export const negativeGrace = defineContainer({ image: "./c/a", rollout: { gracePeriodSeconds: -5 } });
export const fractionalGrace = defineContainer({ image: "./c/a", rollout: { gracePeriodSeconds: 1.5 } });
export const unknownKey = defineContainer({ image: "./c/a", rollout: { stepPercent: 25 } });
export const notObject = defineContainer({ image: "./c/a", rollout: "fast" });
