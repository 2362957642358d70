import { defineContainer } from "@lunora/container";

export const worker = defineContainer({
  image: "./containers/worker",
  env: { LOG_LEVEL: "info" },
  secrets: ["STRIPE_API_KEY"], // resolved from env.STRIPE_API_KEY at start
});
