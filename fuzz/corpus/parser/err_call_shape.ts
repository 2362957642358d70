import { defineContainer } from "@lunora/container";

export const noArgs = defineContainer();
export const twoArgs = defineContainer({ image: "./c/a" }, {});
export const stringArg = defineContainer("./c/a");
export const dynamicArg = defineContainer(loadConfig());
export const [destructured] = [defineContainer({ image: "./c/a" })];
export const { pattern } = defineContainer({ image: "./c/a" });
