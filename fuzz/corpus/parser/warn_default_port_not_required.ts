import { defineContainer } from "@lunora/container";

export const ports = defineContainer({
  image: "./c/ports",
  defaultPort: 3000,
  requiredPorts: [8080, 9090],
  enableInternet: false,
});
