import { ContainerConfigError, RULE_CODES, RULES, validateContainerConfig } from "./rules.js";
import type { ContainerConfig, ContainerDefinition, CustomInstanceType, ReadyProbe, ContainerRollout } from "./types.js";

// ------------------------------------------------------------------ what the type rejects
// Type-level mirrors of the rules a type can express, so the editor flags them as they are
// typed. The run-time validation (and `lunora codegen`) stays the authority: these only ever
// reject what it rejects.

type Digit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";
/** The digits of `S`, or `never` when `S` is not all decimal digits. */
type DigitsOf<S extends string, A extends Digit[] = []> = S extends ""
  ? A
  : S extends `${infer D extends Digit}${infer R}`
    ? DigitsOf<R, [...A, D]>
    : never;
type DigitLess<A extends Digit, B extends Digit> = "0123456789" extends `${string}${A}${string}${B}${string}` ? true : false;
/** `A ≤ B` for digit strings of one length. */
type AtMost<A extends Digit[], B extends Digit[]> = A extends [infer a extends Digit, ...infer ar extends Digit[]]
  ? B extends [infer b extends Digit, ...infer br extends Digit[]]
    ? a extends b
      ? AtMost<ar, br>
      : DigitLess<a, b>
    : false
  : true;
/** A number literal that prints as a positive integer (no sign, point, exponent or leading 0). */
type IsPositiveInteger<N extends number> = `${N}` extends `0${string}` ? false : [DigitsOf<`${N}`>] extends [never] ? false : true;
type IsPort<N extends number> =
  IsPositiveInteger<N> extends false
    ? false
    : DigitsOf<`${N}`> extends infer D extends Digit[]
      ? D["length"] extends 1 | 2 | 3 | 4
        ? true
        : D["length"] extends 5
          ? AtMost<D, ["6", "5", "5", "3", "5"]>
          : false
      : false;
type AllZeros<S extends string> = S extends "" ? true : S extends `0${infer R}` ? AllZeros<R> : false;
type IsDuration<D> = D extends number
  ? IsPositiveInteger<D>
  : D extends `${infer N}${"s" | "m" | "h"}`
    ? [DigitsOf<N>] extends [never]
      ? false
      : N extends ""
        ? false
        : AllZeros<N> extends true
          ? false
          : true
    : false;

/** A duration type that is a pattern (`${number}m`), not a literal: checked at run time. */
type WideDuration<V> = V extends unknown ? (`${number}s` extends V ? true : `${number}m` extends V ? true : `${number}h` extends V ? true : false) : false;
/** A literal that breaks the rule becomes a type naming the rule; non-literal values pass (checked at run time). */
type Checked<V, Ok extends boolean, Rule extends string> = Ok extends true ? V : { readonly [M in Rule]: V };
type PortCheck<V, Path extends string> = V extends number
  ? number extends V
    ? V
    : Checked<V, IsPort<V>, `${Path} must be an integer port in 1–65535`>
  : V;
type DurationCheck<V, Path extends string> = V extends number | string
  ? number extends V
    ? V
    : string extends V
      ? V
      : true extends WideDuration<V>
        ? V
        : Checked<V, IsDuration<V>, `${Path} must be a whole number with s, m or h ("30s", "5m", "1h") or a positive integer of seconds`>
  : V;
type MaxInstancesCheck<V> = V extends number
  ? number extends V
    ? V
    : Checked<V, IsPositiveInteger<V>, "maxInstances must be a whole number ≥ 1">
  : V;
type PortsCheck<P, Path extends string> = P extends readonly unknown[] ? { readonly [I in keyof P]: PortCheck<P[I], Path> } : P;
type ProbesCheck<P> = P extends readonly unknown[]
  ? { readonly [I in keyof P]: P[I] extends { readonly port: infer Q } ? Omit<P[I], "port"> & { readonly port: PortCheck<Q, "readyOn port"> } : P[I] }
  : P;

type Field<C, K extends PropertyKey> = K extends keyof C ? C[K] : undefined;
/** What each literal field of `C` must also be. */
type LiteralChecks<C> = {
  readonly defaultPort?: PortCheck<Field<C, "defaultPort">, "defaultPort">;
  readonly requiredPorts?: PortsCheck<Field<C, "requiredPorts">, "requiredPorts">;
  readonly maxInstances?: MaxInstancesCheck<Field<C, "maxInstances">>;
  readonly sleepAfter?: DurationCheck<Field<C, "sleepAfter">, "sleepAfter">;
  readonly hardTimeout?: DurationCheck<Field<C, "hardTimeout">, "hardTimeout">;
  readonly readyOn?: ProbesCheck<Field<C, "readyOn">>;
};

type HasExtraKeys<T, Known extends PropertyKey> = T extends readonly unknown[]
  ? false
  : T extends object
    ? [Exclude<keyof T, Known>] extends [never]
      ? false
      : true
    : false;
type ItemsHaveExtraKeys<T, Known extends PropertyKey> = T extends readonly (infer I)[] ? HasExtraKeys<I, Known> : false;
/** Whether `C`, or an object nested in it whose keys are fixed, has a key the config does not know. */
type HasUnknownKeys<C> = true extends
  | HasExtraKeys<C, keyof ContainerConfig>
  | HasExtraKeys<Field<C, "instanceType">, keyof CustomInstanceType>
  | HasExtraKeys<Field<C, "rollout">, keyof ContainerRollout>
  | ItemsHaveExtraKeys<Field<C, "readyOn">, keyof ReadyProbe>
  | HasExtraKeys<Field<C, "image">, "registry" | "build">
  ? true
  : false;

/** `NoInfer` for TypeScript before 5.4: a type inference does not look into. */
type NoInference<T> = [T][T extends unknown ? 0 : never];

/**
 * The parameter type of `defineContainer`: with an unknown key anywhere, plain `ContainerConfig`
 * (so tsc reports the key and suggests the spelling it knows); otherwise the literal type itself,
 * each literal port, duration and `maxInstances` also checked against its rule.
 */
export type ConfigArgument<C extends ContainerConfig> = (HasUnknownKeys<C> extends true ? ContainerConfig : C) &
  NoInference<LiteralChecks<C>>;

/**
 * Declares a container. Validates every static value with the same rules (and codes) as
 * `lunora codegen`, throwing a `ContainerConfigError` on the first violation, and returns a
 * frozen copy of the config's own fields, all the way down (nested objects and arrays are copied
 * too), with its literal types kept, so one value serves the generated Durable Object class and
 * user code alike. Changing the object passed in afterwards changes nothing.
 *
 * A definition is plain data: an object (or a nested one) with a prototype other than
 * `Object.prototype` or `null` (its fields would be inherited), or a getter or setter on a field
 * written into wrangler.jsonc (its value could differ from what codegen read), is refused with
 * `containers/not-static`, as `lunora codegen` refuses it.
 */
export function defineContainer<const C extends ContainerConfig>(config: ConfigArgument<C>): ContainerDefinition<C> {
  const copy = plainCopy(config, "", false, new Set());
  validateContainerConfig(copy);
  return deepFreeze(copy, new WeakSet()) as ContainerDefinition<C>;
}

function notStatic(path: string, why: string): never {
  const where = path === "" ? "the argument of `defineContainer`" : `\`${path}\``;
  throw new ContainerConfigError(
    RULE_CODES.notStatic,
    path,
    `${where} is not plain data: ${why}.`,
    "write the fields as an object literal (a spread of a `const` object literal works too)",
  );
}

/**
 * A copy of `value` made of its own enumerable fields, each read once. `deploy`: the value is
 * (inside) a field written into wrangler.jsonc, where an accessor is refused. Non-objects are
 * returned as they are (validation reports a wrong type); a cycle is left to validation too.
 */
function plainCopy(value: unknown, path: string, deploy: boolean, active: Set<object>): unknown {
  if (typeof value !== "object" || value === null || active.has(value)) return value;
  const proto = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value);
  if (isArray ? proto !== Array.prototype : proto !== Object.prototype && proto !== null) {
    notStatic(path, "its prototype is not a plain object's, so some of its fields are inherited");
  }
  active.add(value);
  const out: Record<string | symbol, unknown> = isArray ? ([] as unknown as Record<string, unknown>) : {};
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    if (isArray && key === "length") continue;
    if (!descriptor.enumerable) continue;
    const name = typeof key === "symbol" ? key.toString() : key;
    const child = path === "" ? name : isArray ? `${path}[${name}]` : `${path}.${name}`;
    const childDeploy = deploy || (path === "" && (RULES.deployKeys as readonly string[]).includes(name));
    if (!("value" in descriptor)) {
      if (childDeploy) notStatic(child, "it is a getter or setter, so its value can change after `lunora codegen` read it");
    }
    // Defined, not assigned: a `__proto__` key stays an own field.
    Object.defineProperty(out, key, {
      value: plainCopy("value" in descriptor ? descriptor.value : (value as Record<string | symbol, unknown>)[key], child, childDeploy, active),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  active.delete(value);
  return out;
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
