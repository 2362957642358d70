import { defineContainer } from "@lunora/container";

export const typo = defineContainer({ image: "./c/a", instanceType: "standard-5" });
export const dev = defineContainer({ image: "./c/a", instanceType: "dev" });
export const standard = defineContainer({ image: "./c/a", instanceType: "standard" });
export const large = defineContainer({ image: "./c/a", instanceType: "enormous" });
export const num = defineContainer({ image: "./c/a", instanceType: 2 });
