import { defineContainer } from "@lunora/container";

export const dockerHub = defineContainer({ image: "docker.io/acme/x:1.4" });
export const ghcr = defineContainer({ image: "ghcr.io/acme/tool" });
export const cloudflare = defineContainer({ image: "registry.cloudflare.com/acme/app:2" });
export const nameTag = defineContainer({ image: "nginx:1.27" });
export const digest = defineContainer({ image: "acme/app@sha256:abc123" });
