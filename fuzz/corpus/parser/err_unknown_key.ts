import { defineContainer } from "@lunora/container";

export const typos = defineContainer({
  image: "./c/a",
  sleepafter: "5m",
  sleepAftr: "5m",
  maxInstance: 2,
  "default-port": 8080,
  timeout: "1h",
  somethingElse: true,
});
