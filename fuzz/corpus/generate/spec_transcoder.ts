// lunora/containers.ts
import { defineContainer } from "@lunora/container";
export const transcoder = defineContainer({
  image: "./containers/transcoder", // directory with a Dockerfile, or { registry: "docker.io/acme/transcoder:1.4" }
  defaultPort: 8080,
  instanceType: "standard-1", // lite | basic | standard-1..4 | { vcpu, memoryMib, diskMb }
  maxInstances: 5, // cap concurrent running instances (and the .any() pool)
  sleepAfter: "5m", // idle timeout — instances scale to zero
  secrets: ["TRANSCODER_API_KEY"], // Worker secrets forwarded into the container env
});
