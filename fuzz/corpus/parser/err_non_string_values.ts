import { defineContainer } from "@lunora/container";

export const values = defineContainer({
  image: "./c/a",
  env: { PORT: 8080, DEBUG: true, LIST: ["a"] },
  labels: { team: 1 },
  buildArgs: { NODE_VERSION: 22 },
  secrets: [42],
  secretsStore: { KEY: 1 },
});
export const wrongShapes = defineContainer({
  image: "./c/a",
  env: ["A=1"],
  secrets: "API_KEY",
  labels: "team=media",
});
