import { defineContainer } from "@lunora/container";

export const worker = defineContainer({
  image: "./containers/worker",
  buildArgs: { NODE_VERSION: "22", BUILD_TARGET: "production" }, // → docker --build-arg
});
