import { defineContainer } from "@lunora/container";

export const ports = defineContainer({
  image: "./c/ports",
  defaultPort: 70000,
  requiredPorts: [0, 8080.5, -1, 65536],
  readyOn: [{ path: "/ready", port: 3.5 }],
});
export const portString = defineContainer({
  image: "./c/ports",
  defaultPort: "8080",
});
