import { defineContainer } from "@lunora/container";

export const broken = defineContainer({
  image: "./c/broken",
  defaultPort: 8080
  sleepAfter: "5m",
});
