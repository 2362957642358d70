import { defineContainer } from "@lunora/container";

export const transcoder = defineContainer({
  image: { build: "./services/transcoder" }, // Railpack detects the stack and builds it
  defaultPort: 8080,
});
