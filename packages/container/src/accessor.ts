import type {
  ContainerAccessor,
  ContainerBindingSpec,
  ContainerEgress,
  ContainerFetchInput,
  ContainerHandle,
  ContainerInstanceHandle,
  ContainerInstanceState,
  ContainerPoolOptions,
  ContainerRetryOptions,
  ContainerStartOptions,
  EgressOperation,
  LunoraContainerRpc,
} from "./types.js";

/** The request header `@cloudflare/containers` reads to pick the target port (see its `switchPort`). */
export const TARGET_PORT_HEADER = "cf-container-target-port";

/** Paths passed to `fetch` are resolved against this origin. */
export const CONTAINER_BASE_URL = "http://container";

/** Names of the fixed `.any()` / `.pool()` instances; the same names `@cloudflare/containers`' `getRandom` uses. */
export function poolInstanceName(index: number): string {
  return `instance-${index}`;
}

/**
 * Whether `name` is one `poolInstanceName` gives for some pool size: such a name passed to
 * `.get(name)` would reach (and share state, disk and `destroy()` with) a pool slot, so `.get`
 * refuses it. Pool slots keep their names, and every other name keeps its Durable Object id.
 */
export function isPoolInstanceName(name: string): boolean {
  return /^instance-(?:0|[1-9][0-9]*)$/.test(name);
}

export const DEFAULT_RETRY = { attempts: 3, backoffMs: 500, maxBackoffMs: 30_000 } as const;
export const DEFAULT_POOL = { attempts: 3, backoffMs: 100, maxBackoffMs: 30_000 } as const;
export const DEFAULT_POOL_SIZE = 3;
/** `.pool()` sends once per picked instance unless `coldStart` says otherwise: a provisioning answer is retried on a fresh pick. */
const POOL_COLD_START = { attempts: 1 } as const;

/**
 * Export names the handles object cannot hold (the names `lunora codegen` refuses with
 * `containers/invalid-export-name` for the same reason): `then`, which makes an object a
 * thenable, and every `Object.prototype` member.
 */
const RESERVED_EXPORT_NAMES: ReadonlySet<string> = new Set(["then", ...Object.getOwnPropertyNames(Object.prototype)]);

/** Test seams: how to wait and how to pick. Production code never passes these. */
export interface ContainerContextOptions {
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** The part of a Durable Object stub the accessor uses. */
type ContainerStub = { fetch(request: Request): Promise<Response> } & Partial<LunoraContainerRpc>;

/** The part of a `DurableObjectNamespace` the accessor uses. */
interface ContainerNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): ContainerStub;
}

/** A binding listed in the generated specs is missing from (or wrong in) the Worker `env`. */
export class ContainerBindingError extends Error {
  readonly binding: string;
  readonly exportName: string;
  constructor(spec: ContainerBindingSpec, found: unknown) {
    const what = found === undefined ? "is missing from the Worker env" : "is not a Durable Object namespace";
    super(
      `Container "${spec.exportName}": binding env.${spec.binding} ${what}. ` +
        `Add a Durable Object binding named "${spec.binding}" for the generated container class to wrangler.jsonc ` +
        `(running \`lunora codegen\` or \`lunora dev\` adds it), re-export the generated classes from your worker entry, ` +
        `and restart the dev server.`,
    );
    this.name = "ContainerBindingError";
    this.binding = spec.binding;
    this.exportName = spec.exportName;
  }
}

function resolveNamespace(env: object, spec: ContainerBindingSpec): ContainerNamespace {
  const found = (env as Record<string, unknown>)[spec.binding];
  if (
    typeof found !== "object" ||
    found === null ||
    typeof (found as ContainerNamespace).idFromName !== "function" ||
    typeof (found as ContainerNamespace).get !== "function"
  ) {
    throw new ContainerBindingError(spec, found);
  }
  return found as ContainerNamespace;
}

function stubFor(namespace: ContainerNamespace, name: string): ContainerStub {
  return namespace.get(namespace.idFromName(name));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be an integer ≥ 1, got ${value}`);
  return value;
}

function nonNegative(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a number ≥ 0, got ${value}`);
  return value;
}

function checkPortArg(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`.port(n) expects an integer port in 1–65535, got ${port}`);
  }
  return port;
}

/** Delay before retry number `retry` (0-based): exponential from `base`, capped at `ceiling`. */
export function backoffDelay(retry: number, base: number, ceiling: number): number {
  return Math.min(ceiling, base * 2 ** retry);
}

const PROVISIONING_ERROR = /not listening|no container instance|no instance|provisioning/i;

/** A thrown error that means the platform is still bringing the instance up. */
export function isProvisioningError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return PROVISIONING_ERROR.test(message);
}

/** A response that means the platform is still bringing the instance up (never an app's own 5xx). */
export async function isProvisioningResponse(response: Response): Promise<boolean> {
  if (response.status === 429) return true;
  if (response.status !== 503 && response.status !== 500) return false;
  let body: string;
  try {
    body = await response.clone().text();
  } catch {
    return false;
  }
  if (response.status === 503) return /no container instance available/i.test(body);
  return body.trimStart().startsWith("Failed to start container");
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The body may already be locked or closed; nothing else to release.
  }
}

/** How to produce the request for each attempt, and whether it may be sent more than once. */
interface Outgoing {
  next(): Request;
  replayable: boolean;
}

function resolveUrl(input: string | URL): string {
  if (input instanceof URL) return input.href;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return input;
  return `${CONTAINER_BASE_URL}/${input.startsWith("/") ? input.slice(1) : input}`;
}

function withPort(headersInit: HeadersInit | undefined, port: number | undefined): Headers | HeadersInit | undefined {
  if (port === undefined) return headersInit;
  const headers = new Headers(headersInit);
  headers.set(TARGET_PORT_HEADER, String(port));
  return headers;
}

function isStreamBody(body: unknown): boolean {
  return typeof ReadableStream !== "undefined" && body instanceof ReadableStream;
}

function outgoing(input: ContainerFetchInput, init: RequestInit | undefined, port: number | undefined, cloneRequests: boolean): Outgoing {
  if (input instanceof Request) {
    // A pre-built Request goes out as-is unless a port or init must be applied.
    const base =
      port === undefined && init === undefined
        ? input
        : new Request(input, { ...init, headers: withPort(init?.headers ?? input.headers, port) });
    if (!cloneRequests) {
      let sent = false;
      return {
        replayable: false,
        next() {
          if (sent) throw new Error("a pre-built Request is sent once");
          sent = true;
          return base;
        },
      };
    }
    return { replayable: base.body === null || !base.bodyUsed, next: () => base.clone() };
  }
  const url = resolveUrl(input);
  const headers = withPort(init?.headers, port);
  return {
    replayable: !isStreamBody(init?.body),
    next: () => new Request(url, { ...init, headers }),
  };
}

interface Runtime {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

/** Cold-start retry: resend to the same instance while the platform reports provisioning. */
async function fetchWithColdStartRetry(
  stub: ContainerStub,
  request: Outgoing,
  retry: Required<ContainerRetryOptions>,
  runtime: Runtime,
): Promise<Response> {
  const attempts = request.replayable ? retry.attempts : 1;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= attempts - 1;
    let response: Response;
    try {
      response = await stub.fetch(request.next());
    } catch (error) {
      if (last || !isProvisioningError(error)) throw error;
      await runtime.sleep(backoffDelay(attempt, retry.backoffMs, retry.maxBackoffMs));
      continue;
    }
    if (last || !(await isProvisioningResponse(response))) return response;
    await discard(response);
    await runtime.sleep(backoffDelay(attempt, retry.backoffMs, retry.maxBackoffMs));
  }
}

function resolveRetry(options: ContainerRetryOptions | undefined): Required<ContainerRetryOptions> {
  return {
    attempts: positiveInteger(options?.attempts ?? DEFAULT_RETRY.attempts, "attempts"),
    backoffMs: nonNegative(options?.backoffMs ?? DEFAULT_RETRY.backoffMs, "backoffMs"),
    maxBackoffMs: nonNegative(options?.maxBackoffMs ?? DEFAULT_RETRY.maxBackoffMs, "maxBackoffMs"),
  };
}

/**
 * The RPC method `method` of the instance behind `stub`, as a plain function. The call is made as
 * `stub[method](...args)`: on a Workers RPC stub every property (`bind` and `call` included) is
 * itself a remote call, so `stub[method].bind(stub)` would try to send the stub over RPC and fail
 * with `DataCloneError: Could not serialize object of type "DurableObject"`.
 */
function rpc<K extends keyof LunoraContainerRpc>(
  stub: ContainerStub,
  method: K,
  exportName: string,
): (...args: Parameters<LunoraContainerRpc[K]>) => ReturnType<LunoraContainerRpc[K]> {
  if (typeof stub[method] !== "function") {
    throw new TypeError(
      `Container "${exportName}": the Durable Object does not expose ${method}(); its class must extend LunoraContainer from "@lunora/container/do".`,
    );
  }
  const target = stub as unknown as Record<K, (...args: Parameters<LunoraContainerRpc[K]>) => ReturnType<LunoraContainerRpc[K]>>;
  return (...args) => target[method](...args);
}

function instanceHandle(
  exportName: string,
  namespace: ContainerNamespace,
  name: string,
  retry: Required<ContainerRetryOptions>,
  port: number | undefined,
  runtime: Runtime,
): ContainerInstanceHandle {
  const stub = stubFor(namespace, name);
  const egress = (op: EgressOperation) => async (value: string | readonly string[]) => {
    await rpc(stub, "lunoraEgress", exportName)(op, Array.isArray(value) ? [...value] : value);
  };
  const egressApi: ContainerEgress = {
    allow: egress("allow"),
    deny: egress("deny"),
    removeAllowed: egress("removeAllowed"),
    removeDenied: egress("removeDenied"),
    setAllowed: egress("setAllowed"),
    setDenied: egress("setDenied"),
  };
  return {
    name,
    fetch: (input, init) => fetchWithColdStartRetry(stub, outgoing(input, init, port, false), retry, runtime),
    port: (n) => instanceHandle(exportName, namespace, name, retry, checkPortArg(n), runtime),
    async start(options?: ContainerStartOptions) {
      const envVars = options?.envVars;
      await rpc(stub, "lunoraStart", exportName)(envVars ? { envVars: { ...envVars } } : undefined);
    },
    getState: (): Promise<ContainerInstanceState> => rpc(stub, "lunoraGetState", exportName)(),
    stop: () => rpc(stub, "lunoraStop", exportName)(),
    destroy: () => rpc(stub, "lunoraDestroy", exportName)(),
    egress: egressApi,
  };
}

function anyHandle(
  namespace: ContainerNamespace,
  index: number,
  retry: Required<ContainerRetryOptions>,
  port: number | undefined,
  runtime: Runtime,
): ContainerHandle {
  const stub = stubFor(namespace, poolInstanceName(index));
  return {
    fetch: (input, init) => fetchWithColdStartRetry(stub, outgoing(input, init, port, false), retry, runtime),
    port: (n) => anyHandle(namespace, index, retry, checkPortArg(n), runtime),
  };
}

function pick(count: number, runtime: Runtime, avoid?: number): number {
  if (avoid === undefined || count < 2) return Math.min(count - 1, Math.floor(runtime.random() * count));
  // A fresh pick: uniform over the other instances.
  const index = Math.min(count - 2, Math.floor(runtime.random() * (count - 1)));
  return index >= avoid ? index + 1 : index;
}

type ResolvedPoolOptions = Required<Omit<ContainerPoolOptions, "retryOn" | "coldStart">> & {
  retryOn: (r: Response) => boolean;
  coldStart: Required<ContainerRetryOptions>;
};

function poolHandle(namespace: ContainerNamespace, options: ResolvedPoolOptions, port: number | undefined, runtime: Runtime): ContainerHandle {
  return {
    async fetch(input, init) {
      const request = outgoing(input, init, port, true);
      const attempts = request.replayable ? options.attempts : 1;
      let previous: number | undefined;
      for (let attempt = 0; ; attempt++) {
        const last = attempt >= attempts - 1;
        const index = pick(options.count, runtime, previous);
        previous = index;
        const stub = stubFor(namespace, poolInstanceName(index));
        try {
          const response = await fetchWithColdStartRetry(stub, request, options.coldStart, runtime);
          if (last || !options.retryOn(response)) return response;
          await discard(response);
        } catch (error) {
          if (last) throw error;
        }
        await runtime.sleep(backoffDelay(attempt, options.backoffMs, options.maxBackoffMs));
      }
    },
    port: (n) => poolHandle(namespace, options, checkPortArg(n), runtime),
  };
}

function accessor(env: object, spec: ContainerBindingSpec, port: number | undefined, runtime: Runtime): ContainerAccessor {
  const defaultPoolSize = spec.maxInstances ?? DEFAULT_POOL_SIZE;
  return {
    get(name, retry) {
      if (typeof name !== "string" || name === "") {
        throw new TypeError(`ctx.containers.${spec.exportName}.get(name) needs a non-empty string name`);
      }
      if (isPoolInstanceName(name)) {
        throw new TypeError(
          `ctx.containers.${spec.exportName}.get(${JSON.stringify(name)}): "${name}" is the name of a pool slot of .any() and .pool(), ` +
            `so this handle would share its state, disk and destroy() with the pool. Choose another name, e.g. "${name.replace("instance-", "instance_")}".`,
        );
      }
      return instanceHandle(spec.exportName, resolveNamespace(env, spec), name, resolveRetry(retry), port, runtime);
    },
    any(count, retry) {
      const size = positiveInteger(count ?? defaultPoolSize, "any(count)");
      const resolved = resolveRetry(retry);
      const namespace = resolveNamespace(env, spec);
      return anyHandle(namespace, pick(size, runtime), resolved, port, runtime);
    },
    pool(options) {
      const namespace = resolveNamespace(env, spec);
      const resolved = {
        attempts: positiveInteger(options?.attempts ?? DEFAULT_POOL.attempts, "pool attempts"),
        backoffMs: nonNegative(options?.backoffMs ?? DEFAULT_POOL.backoffMs, "pool backoffMs"),
        maxBackoffMs: nonNegative(options?.maxBackoffMs ?? DEFAULT_POOL.maxBackoffMs, "pool maxBackoffMs"),
        count: positiveInteger(options?.count ?? defaultPoolSize, "pool count"),
        retryOn: options?.retryOn ?? ((response: Response) => response.status >= 500),
        coldStart: resolveRetry(options?.coldStart ?? POOL_COLD_START),
      };
      return poolHandle(namespace, resolved, port, runtime);
    },
    port: (n) => accessor(env, spec, checkPortArg(n), runtime),
  };
}

/**
 * Builds `ctx.containers` from the Worker `env` and the generated binding specs: one
 * `ContainerAccessor` per export name. Bindings are looked up when an accessor is used, so a
 * missing binding surfaces as a `ContainerBindingError` at the call that needs it.
 */
export function createContainerContext<T = Record<string, ContainerAccessor>>(
  env: object,
  specs: readonly ContainerBindingSpec[],
  options?: ContainerContextOptions,
): T {
  const runtime: Runtime = { sleep: options?.sleep ?? defaultSleep, random: options?.random ?? Math.random };
  // A null prototype and defined (not assigned) properties: an export named `__proto__`,
  // `constructor` or `toString` is an accessor like any other, never the object's prototype or a
  // shadowed Object method.
  const containers = Object.create(null) as Record<string, ContainerAccessor>;
  for (const spec of specs) {
    if (RESERVED_EXPORT_NAMES.has(spec.exportName)) {
      const error = new TypeError(
        `createContainerContext: "${spec.exportName}" cannot name a container: ` +
          (spec.exportName === "then"
            ? "`then` would make the handles object look like a promise, so `await` on it would call this container"
            : `every JavaScript object already has a \`${spec.exportName}\` member`) +
          `; choose another name, e.g. "${spec.exportName}Service"`,
      );
      (error as TypeError & { code: string }).code = "containers/invalid-export-name";
      throw error;
    }
    if (spec.maxInstances !== undefined) positiveInteger(spec.maxInstances, `maxInstances of "${spec.exportName}"`);
    if (Object.prototype.hasOwnProperty.call(containers, spec.exportName)) {
      throw new TypeError(`createContainerContext: container "${spec.exportName}" is listed twice`);
    }
    Object.defineProperty(containers, spec.exportName, {
      value: accessor(env, spec, undefined, runtime),
      enumerable: true,
      writable: false,
      configurable: false,
    });
  }
  return Object.freeze(containers) as T;
}
