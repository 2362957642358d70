import { defineContainer } from "@lunora/container";

export const job = defineContainer({
  image: "./containers/job",
  sleepAfter: "5m", // sleep after 5 min idle
  hardTimeout: "1h", // …but never run longer than an hour, busy or not
});
