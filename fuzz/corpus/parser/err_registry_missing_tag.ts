import { defineContainer } from "@lunora/container";

export const noTag = defineContainer({ image: { registry: "docker.io/acme/app" } });
export const portNoTag = defineContainer({ image: { registry: "localhost:5000/app" } });
export const badDigest = defineContainer({ image: { registry: "ghcr.io/acme/app@latest" } });
