/**
 * `@lunora/container/do`: the Durable Object side. Imports `@cloudflare/containers` (and through
 * it `cloudflare:workers`), so it only loads inside the Workers runtime.
 */
import { Container } from "@cloudflare/containers";
import type { ContainerStartConfigOptions, StopParams } from "@cloudflare/containers";
import type { DurableObject } from "cloudflare:workers";
import { TARGET_PORT_HEADER } from "./accessor.js";
import { ContainersDisabledError } from "./disabled.js";
import { parseDuration } from "./rules.js";
import type {
  ContainerDefinition,
  ContainerInstanceState,
  EgressOperation,
  LunoraContainerRpc,
  ReadyProbe,
} from "./types.js";

export { ContainersDisabledError } from "./disabled.js";
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

/** Why a container stopped: what LunoraContainer asked for, or `exit` when it stopped by itself. */
export type LifecycleStopReason = "stop" | "destroy" | "hard-timeout" | "sleep-after" | "not-ready" | "exit";

/** The optional fields of a lifecycle line. */
export interface LifecycleDetail {
  /** What `lunora dev` prints after the event: `exit code 137`, `hard timeout (1h) reached, exit code 0`, an error message. */
  detail?: string;
  exitCode?: number;
  reason?: LifecycleStopReason;
}

/** One line `lunora dev` parses; the keys are a contract. A plain start has no `detail`. */
export interface LifecycleLine extends LifecycleDetail {
  type: "container";
  container: string;
  instanceId: string;
  event: LifecycleEvent;
  level: "info" | "error";
  message: string;
  timestamp: string;
}

/** The body of the 503 `@cloudflare/containers` answers when no instance can be provided. */
const NO_INSTANCE_ANSWER =
  "There is no Container instance available at this time.\nThis is likely because you have reached your max concurrent instance count (set in wrangler config) or are you currently provisioning the Container.\nIf you are deploying your Container for the first time, check your dashboard to see provisioning status, this may take a few minutes.";

interface SecretsStoreSecret {
  get(): Promise<string>;
}

type StartAndWaitArgs = Parameters<Container["startAndWaitForPorts"]>;

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  // @cloudflare/containers reports a container that exited before it was healthy as `undefined`.
  return error === undefined ? "the container exited before it was healthy" : String(error);
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
  /** The generation of the run this object last began or saw (stored under RUN_GENERATION_KEY). */
  private runGeneration: number | undefined;
  /** The run generation whose `readyOn` probes passed. */
  private readyFor: number | undefined;
  /** The readiness check in progress; every caller waiting for this run's readiness shares it. */
  private readiness: Promise<void> | undefined;
  /** The new run has not been announced with a `start` line yet. */
  private announcePending = false;
  /** The stop LunoraContainer asked for, so onStop can say why the container stopped. */
  private requestedStop: { reason: LifecycleStopReason; detail: string } | undefined;

  /**
   * `ctx` is typed as the widest `DurableObjectState` so a generated constructor's
   * `ctx: DurableObjectState` passes straight through.
   */
  constructor(ctx: DurableObjectState | DurableObject["ctx"], env: Env, definition: ContainerDefinition, exportName: string) {
    if ((ctx as { container?: unknown }).container === undefined) throw new ContainersDisabledError(exportName, new.target.name);
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

  /**
   * Writes one lifecycle line (`{"type":"container",…}`) to the log. `detail` is what `lunora dev`
   * prints after the event; `exitCode` and `reason` are set on stops.
   */
  protected emitLifecycle(event: LifecycleEvent, message: string, extra: LifecycleDetail = {}): void {
    const line: LifecycleLine = {
      type: "container",
      container: this.exportName,
      instanceId: this.ctx.id.toString(),
      event,
      level: event === "error" ? "error" : "info",
      message,
      timestamp: new Date().toISOString(),
    };
    if (extra.detail !== undefined && extra.detail !== "") line.detail = extra.detail;
    if (extra.exitCode !== undefined) line.exitCode = extra.exitCode;
    if (extra.reason !== undefined) line.reason = extra.reason;
    console.log(JSON.stringify(line));
  }

  private emitError(error: unknown): void {
    const text = describe(error);
    this.emitLifecycle("error", text, { detail: text });
  }

  /** The `start` line of a new run, once, when it is started (and ready, with `readyOn`). */
  private announceStart(): void {
    if (!this.announcePending) return;
    this.announcePending = false;
    this.emitLifecycle("start", this.probes.length > 0 ? "container started and ready" : "container started");
  }

  /**
   * The env a start without explicit `envVars` gets, later sources winning a name: the
   * definition's `env`, then the instance's `envVars` (a subclass field, or values set before the
   * start; it starts out as the definition's `env`), then `secrets` from the Worker env, then
   * Secrets Store values. Throws `ContainerStartError` naming what is missing.
   */
  protected async resolveStartEnv(): Promise<Record<string, string>> {
    const workerEnv = this.env as Record<string, unknown>;
    const resolved: Record<string, string> = { ...(this.definition.env ?? {}), ...(this.envVars ?? {}) };
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
      this.emitError(error);
      throw error;
    }
  }

  /** Starts the container (if it is stopped), then waits for `readyOn`. */
  override async start(...args: Parameters<Container["start"]>): Promise<void> {
    const [startOptions, waitOptions] = args;
    const options = await this.prepareStart(startOptions);
    await this.beginRunIfStopped();
    await super.start(options, waitOptions);
    await this.ensureReady();
  }

  /** Starts the container (if it is stopped), waits for its ports, then for `readyOn`. */
  override async startAndWaitForPorts(...args: StartAndWaitArgs): Promise<void> {
    const [portsOrArgs, cancellationOptions, startOptions] = args;
    if (typeof portsOrArgs === "object" && portsOrArgs !== null && !Array.isArray(portsOrArgs)) {
      const options = await this.prepareStart(portsOrArgs.startOptions);
      await this.beginRunIfStopped();
      await super.startAndWaitForPorts({ ...portsOrArgs, startOptions: options });
    } else {
      const options = await this.prepareStart(startOptions);
      await this.beginRunIfStopped();
      await super.startAndWaitForPorts(portsOrArgs, cancellationOptions, options);
    }
    await this.ensureReady();
  }

  /**
   * A start that finds the container stopped begins a new run, before the container is asked to
   * start: the run generation goes up and the hard timeout is re-armed for it, so a timer left by
   * an earlier run can never stop this one, not even while it is still starting.
   */
  private async beginRunIfStopped(): Promise<void> {
    if (this.ctx.container?.running) return;
    await this.beginRun();
  }

  private async beginRun(): Promise<void> {
    const generation = ((await this.ctx.storage.get<number>(RUN_GENERATION_KEY)) ?? 0) + 1;
    await this.ctx.storage.put(RUN_GENERATION_KEY, generation);
    this.runGeneration = generation;
    this.readyFor = undefined;
    this.announcePending = true;
    await this.armHardTimeout(generation);
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

  /**
   * Resolves once this run's `readyOn` probes have passed (at once without probes, or when they
   * already passed). Concurrent callers share one check. It runs outside blockConcurrencyWhile:
   * workerd resets an object whose block lasts longer than 30 s, and the readiness budget is 20 s
   * on top of the port wait. A failure is reported, destroys the unready container, and rejects
   * with a ContainerNotReadyError.
   */
  protected ensureReady(): Promise<void> {
    if (this.probes.length === 0) return Promise.resolve();
    if (this.readyFor !== undefined && this.readyFor === this.runGeneration && this.ctx.container?.running) {
      return Promise.resolve();
    }
    if (!this.readiness) {
      const check = (async () => {
        this.runGeneration ??= await this.ctx.storage.get<number>(RUN_GENERATION_KEY);
        const generation = this.runGeneration;
        try {
          await this.waitForReadiness();
        } catch (error) {
          this.emitError(error);
          if (this.ctx.container?.running) {
            this.requestedStop = { reason: "not-ready", detail: "readyOn probes did not pass" };
            try {
              await this.destroy();
            } catch {
              // The start fails with the readiness error either way.
            }
          }
          throw error;
        }
        if (this.runGeneration === generation) this.readyFor = generation;
        this.announceStart();
      })();
      this.readiness = check;
      check.then(
        () => this.clearReadiness(check),
        () => this.clearReadiness(check),
      );
    }
    return this.readiness;
  }

  private clearReadiness(check: Promise<void>): void {
    if (this.readiness === check) this.readiness = undefined;
  }

  // ---------------------------------------------------------------- hooks

  /**
   * Runs after every successful start, once the ports answer, inside blockConcurrencyWhile (so it
   * must stay short; `readyOn` is waited for afterwards, in ensureReady). The run itself began
   * when the start found the container stopped (beginRunIfStopped).
   */
  // Typed as the base declares it (`void | Promise<void>`), so a hand-authored subclass (e.g.
  // one `lunora adopt` kept) may override it with a synchronous hook.
  override onStart(): void | Promise<void> {
    return this.startRun();
  }

  private async startRun(): Promise<void> {
    this.runGeneration ??= await this.ctx.storage.get<number>(RUN_GENERATION_KEY);
    // A container running before any generation was recorded: its run begins now.
    if (this.runGeneration === undefined) await this.beginRun();
    if (this.probes.length === 0) this.announceStart();
  }

  /** One `stop` line per stop, saying why (what was asked for, or an exit) and with which exit code. */
  override onStop(params: StopParams): void | Promise<void> {
    // Readiness and the start line belong to runs: the next run resets them when it begins (which
    // can be before this, the previous run's, stop is reported).
    const requested = this.requestedStop;
    this.requestedStop = undefined;
    const code = `exit code ${params.exitCode}`;
    if (requested) {
      const detail = `${requested.detail}, ${code}`;
      this.emitLifecycle("stop", `container stopped: ${detail}`, { detail, exitCode: params.exitCode, reason: requested.reason });
    } else if (params.exitCode !== 0) {
      const detail = `exited unexpectedly with ${code}`;
      this.emitLifecycle("error", `container ${detail}`, { detail, exitCode: params.exitCode, reason: "exit" });
    } else {
      const detail = `exited with ${code}`;
      this.emitLifecycle("stop", `container ${detail}`, { detail, exitCode: params.exitCode, reason: "exit" });
    }
  }

  override onError(error: unknown): unknown {
    this.emitError(error);
    return super.onError(error);
  }

  /** `sleepAfter` elapsed with no activity: the base stops the container. */
  override async onActivityExpired(): Promise<void> {
    if (this.ctx.container?.running) {
      this.requestedStop ??= { reason: "sleep-after", detail: `idle for sleepAfter (${String(this.sleepAfter)})` };
    }
    await super.onActivityExpired();
  }

  /** Sends SIGTERM (or `signal`); the `stop` line follows when the container has exited. */
  override async stop(...args: Parameters<Container["stop"]>): Promise<void> {
    if (this.ctx.container?.running) this.requestedStop ??= { reason: "stop", detail: "stop() requested" };
    await super.stop(...args);
  }

  /** Kills the container (SIGKILL) and discards its disk. */
  override async destroy(): Promise<void> {
    if (this.ctx.container?.running) this.requestedStop ??= { reason: "destroy", detail: "destroy() requested" };
    await super.destroy();
  }

  // ---------------------------------------------------------------- hard timeout

  /**
   * Arms this run's hard timeout (replacing any earlier run's). The scheduler keeps whole
   * seconds and rounds down, so the due time is rounded up: a run is never stopped before
   * `hardTimeout` has elapsed.
   */
  private async armHardTimeout(generation: number): Promise<void> {
    if (this.definition.hardTimeout === undefined) return;
    const seconds = parseDuration(this.definition.hardTimeout, "hardTimeout");
    this.deleteSchedules(HARD_TIMEOUT_CALLBACK);
    await this.schedule(new Date(Math.ceil(Date.now() / 1000) * 1000 + seconds * 1000), HARD_TIMEOUT_CALLBACK, { generation });
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
    this.requestedStop ??= { reason: "hard-timeout", detail: `hard timeout (${String(this.definition.hardTimeout)}) reached` };
    await this.stop();
  }

  // ---------------------------------------------------------------- requests

  /**
   * The ports a request needs before it is proxied: every required port (or `defaultPort`) and
   * its target port. `undefined` when there is no port at all (the base reports that).
   */
  private portsFor(request: Request): number[] | undefined {
    const header = request.headers.get(TARGET_PORT_HEADER);
    const target = header === null ? this.defaultPort : Number.parseInt(header, 10);
    if (target === undefined || Number.isNaN(target)) return undefined;
    const base = this.requiredPorts?.length ? this.requiredPorts : this.defaultPort !== undefined ? [this.defaultPort] : [];
    return [...new Set([...base, target])];
  }

  /** The answer for a start that failed on the request path, in the shapes the accessor's retry reads. */
  private startFailure(error: unknown): Response {
    if (error instanceof ContainerNotReadyError) return new Response(error.message, { status: 503 });
    const message = describe(error);
    const lower = message.toLowerCase();
    if (lower.includes("there is no container instance that can be provided")) return new Response(NO_INSTANCE_ANSWER, { status: 503 });
    if (lower.includes("you are requesting too many containers per second")) return new Response(message, { status: 429 });
    return new Response(`Failed to start container: ${message}`, { status: 500 });
  }

  /**
   * Proxies a request (HTTP or WebSocket) to the container. Before that, a stopped or not yet
   * healthy container is started and waited for: every port in `requiredPorts` (the base alone
   * waits for the target port only), then `readyOn`. A start the Worker cannot satisfy (a missing
   * secret or Secrets Store binding) answers 500 with the reason instead of starting; a container
   * that does not become ready answers 503 with the probe that failed (never retried as a
   * provisioning blip: each retry would wait the whole readiness budget again).
   */
  override async fetch(request: Request): Promise<Response> {
    if (!this.ctx.container?.running) {
      try {
        await this.resolveStartEnv();
      } catch (error) {
        if (!(error instanceof ContainerStartError)) throw error;
        this.emitError(error);
        return new Response(error.message, { status: 500 });
      }
    }
    const ports = this.portsFor(request);
    if (ports !== undefined && this.ctx.container) {
      try {
        const { status } = await this.getState();
        if (!this.ctx.container.running || status !== "healthy") {
          await this.startAndWaitForPorts(ports, { abort: request.signal });
        } else {
          // Running and healthy, but this object may not have seen the run become ready (a
          // restarted object, or a request that arrived while another one started it).
          await this.ensureReady();
        }
      } catch (error) {
        return this.startFailure(error);
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
