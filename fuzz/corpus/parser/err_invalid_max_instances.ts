import { defineContainer } from "@lunora/container";

export const zero = defineContainer({ image: "./c/a", maxInstances: 0 });
export const fraction = defineContainer({ image: "./c/a", maxInstances: 2.5 });
export const negative = defineContainer({ image: "./c/a", maxInstances: -3 });
export const text = defineContainer({ image: "./c/a", maxInstances: "5" });
