import { defineContainer } from "@lunora/container";

export const empty = defineContainer({ image: "" });
export const missing = defineContainer({ defaultPort: 8080 });
export const undefinedImage = defineContainer({ image: undefined });
export const backslash = defineContainer({ image: ".\\containers\\app" });
export const both = defineContainer({ image: { registry: "docker.io/a/b:1", build: "./b" } });
export const neither = defineContainer({ image: {} });
export const emptyBuild = defineContainer({ image: { build: "" } });
export const unknownImageKey = defineContainer({ image: { dockerfile: "./Dockerfile" } });
export const numberImage = defineContainer({ image: 42 });
