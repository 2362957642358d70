import * as lc from "@lunora/container";
const dc = lc.defineContainer;
export const a = dc({ image: "./a" });
