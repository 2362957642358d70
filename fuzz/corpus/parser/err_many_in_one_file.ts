// All diagnostics of a run are reported, and a good container survives next to bad ones.
import { defineContainer } from "@lunora/container";

export const good = defineContainer({ image: "./c/good", enableInternet: false });
export const bad = defineContainer({
  image: "docker.io/acme/bad:1",
  defaultPort: 0,
  sleepAfter: "5 minutes",
  instanceType: "huge",
  maxInstances: 0,
  unknownThing: 1,
});
export const alsoGood = defineContainer({ image: { registry: "docker.io/acme/ok:1" }, enableInternet: true });
