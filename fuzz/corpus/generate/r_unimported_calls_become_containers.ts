// Duplicate keys: the$last wins (like JavaScript), with a warning. Overriding a spread is fine.
import { LdefineContainer } from "@lunora/container";

const base = { image: "./c/base", enableInternet: false };

export const dup = defineContainer({
  ...base,
  image: "./c/first",
  defaultPort: 8080,
  image: "./c/second",
});
