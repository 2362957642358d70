import { defineContainer } from "@lunora/container";

export const transcoder = defineContainer({
  image: "./container",
  defaultPort: 80,
  maxInstances: 2,
  sleepAfter: "1m",
});
