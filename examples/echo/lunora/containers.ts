// lunora/containers.ts
import { defineContainer } from "@lunora/container";

export const echo = defineContainer({
  image: "./containers/echo", // a FROM scratch image around a static binary: builds offline
  defaultPort: 8080,
  instanceType: "lite",
  maxInstances: 2,
  sleepAfter: "2m",
  enableInternet: false, // it never calls out
});
