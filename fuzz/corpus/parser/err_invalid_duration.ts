import { defineContainer } from "@lunora/container";

export const d1 = defineContainer({ image: "./c/a", sleepAfter: "5 minutes" });
export const d2 = defineContainer({ image: "./c/a", sleepAfter: 0 });
export const d3 = defineContainer({ image: "./c/a", sleepAfter: 1.5 });
export const d4 = defineContainer({ image: "./c/a", hardTimeout: "10d" });
export const d5 = defineContainer({ image: "./c/a", hardTimeout: "0s" });
export const d6 = defineContainer({ image: "./c/a", hardTimeout: -30 });
export const d7 = defineContainer({ image: "./c/a", sleepAfter: ["5m"] });
