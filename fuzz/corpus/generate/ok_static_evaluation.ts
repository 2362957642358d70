// Every static form: alias chains, `as const`, `satisfies`, parentheses, type assertions,
// non-null, templates, spreads of const objects (recursive), static computed keys.
import { defineContainer as dc } from "@lunora/container";
import type { ContainerConfig } from "@lunora/container";

const PORT = BASE_PORT;
const BASE_PORT = 8080;
const IMAGE = `./containers/static`;
const SLEEP = ("5m" as const);
const KEY = "sleepAfter";
const ENV_KEY = "LOG_LEVEL";
const common = { maxInstances: 2, enableInternet: false } as const;
const base = { ...common, instanceType: "basic" } satisfies Partial<ContainerConfig>;
const hosts = ["api.github.com"] as const;

export const staticEval = dc({
  ...base,
  image: IMAGE,
  defaultPort: <number>PORT,
  requiredPorts: [PORT!, (9090)],
  [KEY]: SLEEP,
  ["hardTimeout"]: `1h`,
  allowedHosts: [...hosts, "*.stripe.com"],
  env: { [ENV_KEY]: "info", DEBUG: undefined } as Record<string, string>,
}) satisfies unknown;

const shared = { image: "./containers/shared", enableInternet: false };
export const first = dc(shared),
  second = dc({ ...shared, maxInstances: 4 });
