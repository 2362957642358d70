import { defineContainer } from "@lunora/container";

export const dirNoPrefix = defineContainer({ image: "containers/a/", enableInternet: true });
export const dirDotted = defineContainer({ image: "./containers//b/./", enableInternet: true });
export const dockerfilePath = defineContainer({ image: "./containers/c/Dockerfile", enableInternet: true });
export const dockerfileVariant = defineContainer({ image: "containers/d/Dockerfile.prod", enableInternet: true });
export const rootDockerfile = defineContainer({ image: "Dockerfile", enableInternet: true });
export const absoluteDir = defineContainer({ image: "/srv/images/e", enableInternet: true });
export const parentDir = defineContainer({ image: "../shared/f", enableInternet: true });
export const registryTag = defineContainer({ image: { registry: "registry.cloudflare.com/acme/g:2" }, enableInternet: true });
export const registryDigest = defineContainer({
  image: { registry: "ghcr.io/acme/h@sha256:0123456789abcdef" },
  enableInternet: true,
});
export const registryPort = defineContainer({ image: { registry: "localhost:5000/i:dev" }, enableInternet: true });
export const railpack = defineContainer({ image: { build: "services/j/" }, enableInternet: true });
