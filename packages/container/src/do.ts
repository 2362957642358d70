/**
 * `@lunora/container/do`: the Durable Object side. Imports `@cloudflare/containers` (and through
 * it `cloudflare:workers`), so it only loads inside the Workers runtime.
 */
import { Container } from "@cloudflare/containers";
import type { ContainerStartConfigOptions, StopParams } from "@cloudflare/containers";
import type { DurableObject } from "cloudflare:workers";
import { parseDuration } from "./rules.js";
import type {
  ContainerDefinition,
  ContainerInstanceState,
  EgressOperation,
  LunoraContainerRpc,
  ReadyProbe,
} from "./types.js";

export { ContainerProxy, outboundParams, switchPort, getContainer, getRandom } from "@cloudflare/containers";
export type {
  OutboundHandler,
  OutboundHandlerContext,
  OutboundHandlerParams,
  OutboundHandlerParamsOf,
  OutboundHandlers,
  StopParams,
  State,
  ContainerStartConfigOptions,
} from "@cloudflare/containers";
export type { ContainerDefinition, ContainerConfig, ReadyProbe } from "./types.js";

/** Storage key of the current run generation (incremented on every start). */
export const RUN_GENERATION_KEY = "lunora:run-generation";

/** The scheduled callback that fires a hard timeout; its payload carries the run generation. */
export const HARD_TIMEOUT_CALLBACK = "lunoraHardTimeout";

/** The container cannot start because the Worker is missing configuration it needs. Not retryable. */
export class ContainerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ContainerStartError";
  }
}

/** A `readyOn` probe did not answer its expected status within the readiness budget. */
export class ContainerNotReadyError extends Error {
  readonly probe: ReadyProbe;
  constructor(message: string, probe: ReadyProbe) {
    super(message);
    this.name = "ContainerNotReadyError";
    this.probe = probe;
  }
}

export type LifecycleEvent = "start" | "stop" | "error";

/** One line `lunora dev` parses; the keys are a contract. */
export interface LifecycleLine {
  type: "container";
  container: string;
  instanceId: string;
  event: LifecycleEvent;
  level: "info" | "error";
  message: string;
  timestamp: string;
}

interface SecretsStoreSecret {
  get(): Promise<string>;
}

type StartAndWaitArgs = Parameters<Container["startAndWaitForPorts"]>;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The base of every generated container class. It applies a `defineContainer` definition to the
 * `@cloudflare/containers` `Container` (ports, sleep, entrypoint, egress, labels, env), and adds
 * what the definition promises on top: secrets that fail fast, Secrets Store values, `readyOn`
 * probes that gate proxying, a hard timeout stamped with a run generation, structured lifecycle
 * lines, and the RPC methods the `ctx.containers` handles call.
 */
export class LunoraContainer<Env = Cloudflare.Env> extends Container<Env> implements LunoraContainerRpc {
  readonly definition: ContainerDefinition;
  readonly exportName: string;
  /** Total time all `readyOn` probes get to answer, per start. */
  protected readinessTimeoutMs = 20_000;
  /** Delay between two polls of a probe that has not answered yet. */
  protected readinessPollMs = 300;
  /** Upper bound for one probe request. */
  protected probeRequestTimeoutMs = 5_000;

  /** Clock and wait used by readiness polling; a seam for tests. */
  protected now(): number {
    return Date.now();
  }
  protected sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  private secretsStoreValues: Promise<Record<string, string>> | undefined;
  private readyGeneration: number | undefined;
  private runGeneration: number | undefined;
  private readinessFailure: unknown;
  /** Whether the start in progress found the container stopped (a new run) or already running. */
  private freshStart = false;

  /**
   * `ctx` is typed as the widest `DurableObjectState` so a generated constructor's
   * `ctx: DurableObjectState` passes straight through.
   */
  constructor(ctx: DurableObjectState | DurableObject["ctx"], env: Env, definition: ContainerDefinition, exportName: string) {
    super(ctx as DurableObject["ctx"], env);
    this.definition = definition;
    this.exportName = exportName;
    const d = definition;
    if (d.defaultPort !== undefined) this.defaultPort = d.defaultPort;
    if (d.requiredPorts !== undefined) this.requiredPorts = [...d.requiredPorts];
    if (d.sleepAfter !== undefined) this.sleepAfter = d.sleepAfter;
    if (d.entrypoint !== undefined) this.entrypoint = [...d.entrypoint];
    if (d.enableInternet !== undefined) this.enableInternet = d.enableInternet;
    if (d.allowedHosts !== undefined) this.allowedHosts = [...d.allowedHosts];
    if (d.deniedHosts !== undefined) this.deniedHosts = [...d.deniedHosts];
    if (d.interceptHttps !== undefined) this.interceptHttps = d.interceptHttps;
    // The base polls `http://<pingEndpoint>`: a bare path is given the conventional host.
    if (d.pingEndpoint !== undefined) {
      this.pingEndpoint = d.pingEndpoint.startsWith("/") ? `container${d.pingEndpoint}` : d.pingEndpoint;
    }
    if (d.labels !== undefined) this.labels = { ...d.labels };
    // Static env only; secrets and Secrets Store values are added when a start is prepared.
    this.envVars = { ...(d.env ?? {}) };
  }

  // ---------------------------------------------------------------- lifecycle lines

  /** Writes one lifecycle line (`{"type":"container",…}`) to the log. */
  protected emitLifecycle(event: LifecycleEvent, message: string): void {
    const line: LifecycleLine = {
      type: "container",
      container: this.exportName,
      instanceId: this.ctx.id.toString(),
      event,
      level: event === "error" ? "error" : "info",
      message,
      timestamp: new Date().toISOString(),
    };
    console.log(JSON.stringify(line));
  }

  // ---------------------------------------------------------------- start environment

  /**
   * The env a start without explicit `envVars` gets: static `env`, then `secrets` from the Worker
   * env, then Secrets Store values. Throws `ContainerStartError` naming what is missing.
   */
  protected async resolveStartEnv(): Promise<Record<string, string>> {
    const workerEnv = this.env as Record<string, unknown>;
    const resolved: Record<string, string> = { ...(this.definition.env ?? {}) };
    for (const name of this.definition.secrets ?? []) {
      const value = workerEnv[name];
      if (typeof value !== "string") {
        throw new ContainerStartError(
          `Container "${this.exportName}" cannot start: secret ${name} is not set in the Worker env. ` +
            `Set it with \`wrangler secret put ${name}\` for production, or add ${name}=… to .dev.vars for local dev.`,
        );
      }
      resolved[name] = value;
    }
    Object.assign(resolved, await this.resolveSecretsStore());
    return resolved;
  }

  /** Resolves `secretsStore` once per instance; a failed resolution is retried on the next start. */
  private resolveSecretsStore(): Promise<Record<string, string>> {
    const entries = Object.entries(this.definition.secretsStore ?? {});
    if (entries.length === 0) return Promise.resolve({});
    if (!this.secretsStoreValues) {
      const workerEnv = this.env as Record<string, unknown>;
      const pending = (async () => {
        const values: Record<string, string> = {};
        for (const [envName, binding] of entries) {
          const secret = workerEnv[binding] as SecretsStoreSecret | undefined;
          if (typeof secret !== "object" || secret === null || typeof secret.get !== "function") {
            throw new ContainerStartError(
              `Container "${this.exportName}" cannot start: Secrets Store binding ${binding} (for ${envName}) is missing from the Worker env. ` +
                `Add it to "secrets_store_secrets" in wrangler.jsonc with binding "${binding}".`,
            );
          }
          let value: string;
          try {
            value = await secret.get();
          } catch (error) {
            throw new ContainerStartError(
              `Container "${this.exportName}" cannot start: reading Secrets Store binding ${binding} (for ${envName}) failed: ${describe(error)}`,
            );
          }
          values[envName] = value;
        }
        return values;
      })();
      this.secretsStoreValues = pending;
      pending.catch(() => {
        if (this.secretsStoreValues === pending) this.secretsStoreValues = undefined;
      });
    }
    return this.secretsStoreValues;
  }

  /** Start options with the definition's env filled in, unless the caller replaced the env. */
  private async prepareStart(options: ContainerStartConfigOptions | undefined): Promise<ContainerStartConfigOptions | undefined> {
    if (options?.envVars !== undefined || this.ctx.container?.running) return options;
    try {
      return { ...options, envVars: await this.resolveStartEnv() };
    } catch (error) {
      this.emitLifecycle("error", describe(error));
      throw error;
    }
  }

  override async start(...args: Parameters<Container["start"]>): Promise<void> {
    const [startOptions, waitOptions] = args;
    this.freshStart = !this.ctx.container?.running;
    await super.start(await this.prepareStart(startOptions), waitOptions);
    await this.throwIfNotReady();
  }

  override async startAndWaitForPorts(...args: StartAndWaitArgs): Promise<void> {
    const [portsOrArgs, cancellationOptions, startOptions] = args;
    this.freshStart = !this.ctx.container?.running;
    if (typeof portsOrArgs === "object" && portsOrArgs !== null && !Array.isArray(portsOrArgs)) {
      await super.startAndWaitForPorts({ ...portsOrArgs, startOptions: await this.prepareStart(portsOrArgs.startOptions) });
    } else {
      await super.startAndWaitForPorts(portsOrArgs, cancellationOptions, await this.prepareStart(startOptions));
    }
    await this.throwIfNotReady();
  }

  // ---------------------------------------------------------------- readiness

  private get probes(): readonly ReadyProbe[] {
    return this.definition.readyOn ?? [];
  }

  /** Waits until every `readyOn` probe answers its status; probes run in parallel within one budget. */
  protected async waitForReadiness(): Promise<void> {
    if (this.probes.length === 0) return;
    const deadline = this.now() + this.readinessTimeoutMs;
    await Promise.all(this.probes.map((probe) => this.waitForProbe(probe, deadline)));
  }

  private async waitForProbe(probe: ReadyProbe, deadline: number): Promise<void> {
    const port = probe.port ?? this.defaultPort;
    const path = probe.path.startsWith("/") ? probe.path : `/${probe.path}`;
    const expected = probe.status ?? 200;
    const label = `readyOn probe GET ${path} on port ${port ?? "?"} (expects ${expected})`;
    if (port === undefined) {
      throw new ContainerNotReadyError(`Container "${this.exportName}": ${label} has no port; set \`port\` on the probe or \`defaultPort\`.`, probe);
    }
    const container = this.ctx.container;
    if (!container) throw new ContainerNotReadyError(`Container "${this.exportName}": ${label} cannot run without a container.`, probe);
    let last = "no answer";
    for (;;) {
      const remaining = deadline - this.now();
      try {
        const response = await container.getTcpPort(port).fetch(`http://container${path}`, {
          signal: AbortSignal.timeout(Math.max(1, Math.min(this.probeRequestTimeoutMs, remaining))),
        });
        try {
          await response.body?.cancel();
        } catch {
          // Nothing to release.
        }
        if (response.status === expected) return;
        last = `answered ${response.status}`;
      } catch (error) {
        last = describe(error);
      }
      if (this.now() + this.readinessPollMs > deadline) {
        throw new ContainerNotReadyError(
          `Container "${this.exportName}" did not become ready: ${label} did not answer ${expected} within ${this.readinessTimeoutMs} ms (last: ${last}).`,
          probe,
        );
      }
      await this.sleep(this.readinessPollMs);
    }
  }

  /** Fails the start that just ran if readiness failed, stopping the unready container. */
  private async throwIfNotReady(): Promise<void> {
    const failure = this.readinessFailure;
    if (failure === undefined) return;
    this.readinessFailure = undefined;
    try {
      await this.destroy();
    } catch {
      // The start fails with the readiness error either way.
    }
    throw failure;
  }

  // ---------------------------------------------------------------- hooks

  /**
   * Runs once per start, after the ports answer: bumps the run generation, arms the hard
   * timeout, then holds the start (and so every proxied request) until `readyOn` passes.
   */
  override async onStart(): Promise<void> {
    const fresh = this.freshStart;
    this.freshStart = false;
    const stored = await this.ctx.storage.get<number>(RUN_GENERATION_KEY);
    this.readinessFailure = undefined;
    let generation: number;
    if (fresh || stored === undefined) {
      generation = (stored ?? 0) + 1;
      await this.ctx.storage.put(RUN_GENERATION_KEY, generation);
      this.readyGeneration = undefined;
      await this.armHardTimeout(generation);
    } else {
      // start() on a running container is not a new run: keep its generation and timer.
      generation = stored;
      if (this.readyGeneration === generation) return;
    }
    this.runGeneration = generation;
    try {
      await this.waitForReadiness();
    } catch (error) {
      // Thrown later, outside blockConcurrencyWhile, so the object is not reset.
      this.readinessFailure = error;
      this.emitLifecycle("error", describe(error));
      return;
    }
    this.readyGeneration = generation;
    this.emitLifecycle("start", this.probes.length > 0 ? "container started and ready" : "container started");
  }

  override onStop(params: StopParams): void | Promise<void> {
    this.readyGeneration = undefined;
    this.emitLifecycle("stop", `container stopped (exit code ${params.exitCode}, ${params.reason})`);
  }

  override onError(error: unknown): unknown {
    this.emitLifecycle("error", describe(error));
    return super.onError(error);
  }

  // ---------------------------------------------------------------- hard timeout

  private async armHardTimeout(generation: number): Promise<void> {
    if (this.definition.hardTimeout === undefined) return;
    const seconds = parseDuration(this.definition.hardTimeout, "hardTimeout");
    this.deleteSchedules(HARD_TIMEOUT_CALLBACK);
    await this.schedule(seconds, HARD_TIMEOUT_CALLBACK, { generation });
  }

  /** Scheduler callback; ignores timers armed by an earlier run. */
  async lunoraHardTimeout(payload: { generation?: number } | undefined): Promise<void> {
    const current = await this.ctx.storage.get<number>(RUN_GENERATION_KEY);
    if (payload?.generation === undefined || payload.generation !== current) return;
    if (!this.ctx.container?.running) return;
    await this.onHardTimeoutExpired();
  }

  /** Called when `hardTimeout` elapses for the current run. Default: `stop()`. */
  async onHardTimeoutExpired(): Promise<void> {
    this.emitLifecycle("stop", `hard timeout (${String(this.definition.hardTimeout)}) reached, stopping`);
    await this.stop();
  }

  // ---------------------------------------------------------------- requests

  /**
   * Proxies a request (HTTP or WebSocket) to the container. A start the Worker cannot satisfy
   * (a missing secret or Secrets Store binding) answers 500 with the reason instead of starting.
   */
  override async fetch(request: Request): Promise<Response> {
    if (!this.ctx.container?.running) {
      try {
        await this.resolveStartEnv();
      } catch (error) {
        if (!(error instanceof ContainerStartError)) throw error;
        this.emitLifecycle("error", error.message);
        return new Response(error.message, { status: 500 });
      }
    } else if (this.probes.length > 0 && this.readyGeneration === undefined) {
      // The object restarted while its container kept running: check readiness before proxying.
      try {
        await this.waitForReadiness();
        this.readyGeneration = this.runGeneration ?? 0;
      } catch (error) {
        this.emitLifecycle("error", describe(error));
        return new Response(`Failed to start container: ${describe(error)}`, { status: 500 });
      }
    }
    return super.fetch(request);
  }

  // ---------------------------------------------------------------- RPC for ctx.containers handles

  async lunoraStart(options?: { envVars?: Record<string, string> }): Promise<void> {
    const startOptions = options?.envVars ? { envVars: { ...options.envVars } } : undefined;
    if (this.defaultPort !== undefined || this.requiredPorts !== undefined) {
      await this.startAndWaitForPorts({ startOptions });
    } else {
      await this.start(startOptions);
    }
  }

  async lunoraGetState(): Promise<ContainerInstanceState> {
    return (await this.getState()) as ContainerInstanceState;
  }

  async lunoraStop(): Promise<void> {
    await this.stop();
  }

  async lunoraDestroy(): Promise<void> {
    await this.destroy();
  }

  async lunoraEgress(op: EgressOperation, value: string | readonly string[]): Promise<void> {
    const one = (): string => {
      if (typeof value !== "string") throw new TypeError(`egress.${op} expects one host name`);
      return value;
    };
    const many = (): string[] => {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
        throw new TypeError(`egress.${op} expects an array of host names`);
      }
      return [...value];
    };
    switch (op) {
      case "allow":
        return this.allowHost(one());
      case "deny":
        return this.denyHost(one());
      case "removeAllowed":
        return this.removeAllowedHost(one());
      case "removeDenied":
        return this.removeDeniedHost(one());
      case "setAllowed":
        return this.setAllowedHosts(many());
      case "setDenied":
        return this.setDeniedHosts(many());
      default:
        throw new TypeError(`unknown egress operation ${String(op)}`);
    }
  }
}
