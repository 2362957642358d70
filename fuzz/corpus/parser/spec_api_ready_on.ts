import { defineContainer } from "@lunora/container";

export const api = defineContainer({
  image: "./containers/api",
  defaultPort: 8080,
  readyOn: [
    { path: "/ready" }, // expect 200 on defaultPort
    { path: "/live", port: 9090, status: 204 }, // own port + expected status
  ],
});
