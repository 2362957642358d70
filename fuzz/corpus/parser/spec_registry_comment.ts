// The alternative written in the spec's first example comment.
import { defineContainer } from "@lunora/container";

export const transcoder = defineContainer({
  image: { registry: "docker.io/acme/transcoder:1.4" },
  defaultPort: 8080,
  instanceType: "standard-1",
  maxInstances: 5,
  sleepAfter: "5m",
  secrets: ["TRANSCODER_API_KEY"],
});
