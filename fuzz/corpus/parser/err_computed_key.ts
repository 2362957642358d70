import { defineContainer } from "@lunora/container";

declare function keyName(): string;

export const computed = defineContainer({
  image: "./c/a",
  [keyName()]: "5m",
  env: { [`${Date.now()}`]: "x" },
});
