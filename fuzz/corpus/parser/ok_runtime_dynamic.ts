// Runtime-only fields may be any expression: no error, the model field is None.
import { defineContainer } from "@lunora/container";
import { sharedSecrets, readyPath } from "./shared";

function buildEnv() {
  return { LOG_LEVEL: "info" };
}

export const dynamicRuntime = defineContainer({
  image: "./containers/dynamic",
  env: buildEnv(),
  secrets: sharedSecrets,
  defaultPort: Number("8080"),
  readyOn: [{ path: readyPath }],
  sleepAfter: process.env.SLEEP ?? "5m",
  enableInternet: process.env.INTERNET === "1",
  labels: { team: "media", build: import.meta.url },
});
