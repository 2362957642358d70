import { validateContainerConfig } from "./rules.js";
import type { ContainerConfig, ContainerDefinition } from "./types.js";

/** Rejects, at the type level, keys that `ContainerConfig` does not know. */
type NoUnknownKeys<C> = C & { readonly [K in Exclude<keyof C, keyof ContainerConfig>]: never };

/**
 * Declares a container. Validates every static value with the same rules (and codes) as
 * `lunora codegen`, throwing a `ContainerConfigError` on the first violation, and returns the
 * config frozen with its literal types kept, so one value serves the generated Durable Object
 * class and user code alike.
 */
export function defineContainer<const C extends ContainerConfig>(config: NoUnknownKeys<C>): ContainerDefinition<C> {
  validateContainerConfig(config);
  return deepFreeze(config) as ContainerDefinition<C>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
