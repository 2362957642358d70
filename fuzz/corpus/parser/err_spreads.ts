// Spreads that cannot be read statically could hide deploy fields.
import { defineContainer } from "@lunora/container";
import { base } from "./base";

function makeBase() {
  return { image: "./c/a" };
}
const cycleA = { ...cycleB, maxInstances: 1 };
const cycleB = { ...cycleA };
const aliasA = aliasB;
const aliasB = aliasA;

export const fromCall = defineContainer({ ...makeBase(), defaultPort: 8080 });
export const fromImport = defineContainer({ ...base, image: "./c/a" });
export const fromCycle = defineContainer({ image: "./c/a", ...cycleA });
export const fromAliasCycle = defineContainer({ image: "./c/a", maxInstances: aliasA });
export const spreadString = defineContainer({ image: "./c/a", ..."text" });
export const nestedDynamicEnv = defineContainer({ image: "./c/a", env: { ...makeBase() }, enableInternet: false });
