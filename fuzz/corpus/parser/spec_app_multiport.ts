import { defineContainer } from "@lunora/container";

export const app = defineContainer({
  image: "./containers/app",
  defaultPort: 8080,
  requiredPorts: [8080, 9090], // app + admin
});
