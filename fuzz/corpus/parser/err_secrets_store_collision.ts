import { defineContainer } from "@lunora/container";

export const collide = defineContainer({
  image: "./c/a",
  env: { LOG_LEVEL: "info" },
  secrets: ["API_KEY"],
  secretsStore: { LOG_LEVEL: "STORE_A", API_KEY: "STORE_B", STRIPE_KEY: "STRIPE_SECRET" },
});
