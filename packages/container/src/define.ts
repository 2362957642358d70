import { validateContainerConfig } from "./rules.js";
import type { ContainerConfig, ContainerDefinition } from "./types.js";

/** Rejects, at the type level, keys that `ContainerConfig` does not know. */
type NoUnknownKeys<C> = C & { readonly [K in Exclude<keyof C, keyof ContainerConfig>]: never };

/**
 * Declares a container. Validates every static value with the same rules (and codes) as
 * `lunora codegen`, throwing a `ContainerConfigError` on the first violation, and returns the
 * config frozen all the way down (nested objects and arrays too, even when the outer object was
 * frozen already) with its literal types kept, so one value serves the generated Durable Object
 * class and user code alike.
 */
export function defineContainer<const C extends ContainerConfig>(config: NoUnknownKeys<C>): ContainerDefinition<C> {
  validateContainerConfig(config);
  return deepFreeze(config, new WeakSet()) as ContainerDefinition<C>;
}

/**
 * Freezes `value` and everything reachable through its own properties. An object that is
 * already frozen is still descended into: `Object.freeze` is shallow, so a frozen outer object
 * says nothing about what it holds. `seen` stops cycles.
 */
function deepFreeze<T>(value: T, seen: WeakSet<object>): T {
  if (typeof value !== "object" || value === null || seen.has(value)) return value;
  seen.add(value);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && "value" in descriptor) deepFreeze(descriptor.value as unknown, seen);
  }
  return value;
}
