import { defineContainer } from "@lunora/container";

export const collide = defineContainer({
  image: "./c/a",
  env: { API_KEY: "public", LOG_LEVEL: "info" },
  secrets: ["API_KEY", "OTHER", "OTHER"],
});
