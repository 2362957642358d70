import { defineContainer } from "@lunora/container";

export const emptyEntrypoint = defineContainer({ image: "./c/a", entrypoint: [] });
export const numericEntrypoint = defineContainer({ image: "./c/a", entrypoint: ["node", 1] });
export const stringEntrypoint = defineContainer({ image: "./c/a", entrypoint: "node server.mjs" });
export const emptyPorts = defineContainer({ image: "./c/a", requiredPorts: [] });
