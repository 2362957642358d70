import { defineContainer } from "@lunora/container";

export const probes = defineContainer({
  image: "./c/a",
  readyOn: [
    { path: "/ready", status: 600 },
    { path: "/live", status: 99 },
    { port: 8080 },
    { path: "/x", expect: 200 },
    "/plain",
    { path: 42 },
  ],
});
