import { defineContainer } from "@lunora/container";

export const worker = defineContainer({
  image: "./containers/worker",
  secretsStore: { STRIPE_KEY: "STRIPE_SECRET" }, // env.STRIPE_SECRET.get() → STRIPE_KEY inside the container
});
