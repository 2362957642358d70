import { defineContainer } from "@lunora/container";

export const names = defineContainer({
  image: "./c/a",
  env: { "1BAD": "x", "with-dash": "y", GOOD: "z" },
  secrets: ["bad name", "OK_SECRET"],
  secretsStore: { "9X": "STORE", FINE: "bad-binding" },
  buildArgs: { "a.b": "1" },
});
