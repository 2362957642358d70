/**
 * Public types of `@lunora/container`. Type-only: importing this module loads nothing at runtime.
 */

/** `"30s"`, `"5m"`, `"1h"`, or a positive integer number of seconds. */
export type ContainerDuration = `${number}${"s" | "m" | "h"}` | number;

export type NamedInstanceType = "lite" | "basic" | "standard-1" | "standard-2" | "standard-3" | "standard-4";

/**
 * A custom instance size, within Cloudflare's limits (vcpu ≤ 4, memory ≤ 12288 MiB, disk ≤ 20000 MB,
 * ≥ 3072 MiB per vCPU, ≤ 2 GB disk per GiB of memory). A field left out takes wrangler's default
 * (vcpu 1/16, memoryMib 256, diskMb 2000), and the limits apply to the resulting size.
 */
export interface CustomInstanceType {
  readonly vcpu?: number;
  readonly memoryMib?: number;
  readonly diskMb?: number;
}

/** A local Dockerfile path or directory, a pre-built `{ registry }` image, or a Railpack `{ build }` source. */
export type ContainerImage = string | { readonly registry: string } | { readonly build: string };

/** An application-level readiness probe: `path` must answer `status` (default 200) on `port` (default `defaultPort`). */
export interface ReadyProbe {
  readonly path: string;
  readonly port?: number;
  readonly status?: number;
}

export type RolloutStepPercentage = 5 | 10 | 20 | 25 | 50 | 100;

export interface ContainerRollout {
  readonly stepPercentage?: RolloutStepPercentage | readonly number[];
  readonly gracePeriodSeconds?: number;
}

/** What `defineContainer` accepts; see the Configuration table of the docs. */
export interface ContainerConfig {
  readonly image: ContainerImage;
  readonly defaultPort?: number;
  readonly requiredPorts?: readonly number[];
  readonly instanceType?: NamedInstanceType | CustomInstanceType;
  readonly maxInstances?: number;
  readonly sleepAfter?: ContainerDuration;
  readonly hardTimeout?: ContainerDuration;
  readonly readyOn?: readonly ReadyProbe[];
  readonly pingEndpoint?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly secrets?: readonly string[];
  /** container env-var name → Secrets Store binding name. */
  readonly secretsStore?: Readonly<Record<string, string>>;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly entrypoint?: readonly string[];
  readonly enableInternet?: boolean;
  readonly allowedHosts?: readonly string[];
  readonly deniedHosts?: readonly string[];
  readonly interceptHttps?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly name?: string;
  readonly rollout?: ContainerRollout;
  /**
   * The Durable Object class name, when it is not lunora's `<Export>Container`: set by
   * `lunora adopt` so a hand-wired class keeps its name, its storage and its container
   * application. Written into wrangler.jsonc (`class_name`), so it must be static.
   */
  readonly className?: string;
}

/** A validated, frozen container definition; the value `defineContainer` returns. */
export type ContainerDefinition<C extends ContainerConfig = ContainerConfig> = Readonly<C>;

/** One entry of the generated `containerBindings`: which env binding serves which export. */
export interface ContainerBindingSpec {
  readonly binding: string;
  readonly exportName: string;
  readonly maxInstances?: number;
}

/** Cold-start retry for `.get()` / `.any()`: same instance, platform provisioning signals only. */
export interface ContainerRetryOptions {
  /** Total sends, including the first. Default 3; `1` sends exactly once. */
  readonly attempts?: number;
  /** First backoff in ms, doubled per retry. Default 500. */
  readonly backoffMs?: number;
  /** Backoff ceiling in ms. Default 30000. */
  readonly maxBackoffMs?: number;
}

/** `.pool()`: every attempt goes to a freshly picked instance. */
export interface ContainerPoolOptions {
  /** Total attempts. Default 3. */
  readonly attempts?: number;
  /** First backoff in ms, doubled per retry. Default 100. */
  readonly backoffMs?: number;
  /** Backoff ceiling in ms. Default 30000. */
  readonly maxBackoffMs?: number;
  /** Which responses are retried. Default: `status >= 500`. Thrown errors are always retried. */
  readonly retryOn?: (response: Response) => boolean;
  /** Pool size. Default `maxInstances`, else 3. */
  readonly count?: number;
  /**
   * Cold-start retry on each picked instance, with `.get()`'s meaning (same instance, platform
   * provisioning signals only) before the pool moves on to a fresh pick. Default `{ attempts: 1 }`:
   * a provisioning answer counts as a failed attempt and the next one goes to another instance.
   */
  readonly coldStart?: ContainerRetryOptions;
}

/** What `.fetch` accepts: a path (resolved against the container, leading slash optional), a URL or a `Request`. */
export type ContainerFetchInput = string | URL | Request;

/**
 * A fetch-only handle (`.any()`, `.pool()`). `P` is the ports `.port(n)` accepts: the generated
 * handles narrow it to the ports a container declares (`defaultPort` and `requiredPorts`, e.g.
 * `8080 | 9090`) so a mistyped port fails to type-check; the default, `number`, accepts any port.
 */
export interface ContainerHandle<P extends number = number> {
  fetch(input: ContainerFetchInput, init?: RequestInit): Promise<Response>;
  /** The same kind of handle, targeting container port `port`. */
  port(port: P): ContainerHandle<P>;
}

/** Runtime state of one instance, as reported by the Durable Object. */
export type ContainerInstanceState = {
  lastChange: number;
} & (
  | { status: "running" | "stopping" | "stopped" | "healthy" }
  | { status: "stopped_with_code"; exitCode?: number }
);

export interface ContainerStartOptions {
  /** Replaces the definition's env, secrets and Secrets Store values for this start. */
  readonly envVars?: Readonly<Record<string, string>>;
}

/** Runtime egress rules of one running instance. */
export interface ContainerEgress {
  allow(host: string): Promise<void>;
  deny(host: string): Promise<void>;
  removeAllowed(host: string): Promise<void>;
  removeDenied(host: string): Promise<void>;
  setAllowed(hosts: readonly string[]): Promise<void>;
  setDenied(hosts: readonly string[]): Promise<void>;
}

/** A handle on one named instance (`.get(name)`): fetch plus lifecycle and egress control. */
export interface ContainerInstanceHandle<P extends number = number> extends ContainerHandle<P> {
  readonly name: string;
  port(port: P): ContainerInstanceHandle<P>;
  start(options?: ContainerStartOptions): Promise<void>;
  getState(): Promise<ContainerInstanceState>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
  readonly egress: ContainerEgress;
}

/** `ctx.containers.<name>`. `P`: the ports `.port(n)` accepts (generated: the declared ones). */
export interface ContainerAccessor<P extends number = number> {
  /**
   * One instance per name; the same name always reaches the same instance. The names of the
   * `.any()`/`.pool()` slots (`instance-0`, `instance-1`, …) are refused with a `TypeError`: they
   * would reach a pool slot.
   */
  get(name: string, retry?: ContainerRetryOptions): ContainerInstanceHandle<P>;
  /**
   * A random instance from a fixed pool (default `maxInstances`, else 3), with `.get()`'s
   * cold-start retry (`retry`: same meaning and defaults as on `.get()`).
   */
  any(count?: number, retry?: ContainerRetryOptions): ContainerHandle<P>;
  /** Like `.any()`, retrying failed attempts on freshly picked instances. */
  pool(options?: ContainerPoolOptions): ContainerHandle<P>;
  /** The same accessor, whose handles target container port `port`. */
  port(port: P): ContainerAccessor<P>;
}

/**
 * The RPC surface `LunoraContainer` exposes to the accessor. Names are part of the contract
 * between `@lunora/container` and `@lunora/container/do` of the same version.
 */
export interface LunoraContainerRpc {
  lunoraStart(options?: { envVars?: Record<string, string> }): Promise<void>;
  lunoraGetState(): Promise<ContainerInstanceState>;
  lunoraStop(): Promise<void>;
  lunoraDestroy(): Promise<void>;
  lunoraEgress(op: EgressOperation, value: string | readonly string[]): Promise<void>;
}

export type EgressOperation = "allow" | "deny" | "removeAllowed" | "removeDenied" | "setAllowed" | "setDenied";
