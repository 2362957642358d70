import { createContainerContext } from "./accessor.js";
import type { ContainerAccessor, ContainerInstanceState, EgressOperation, LunoraContainerRpc } from "./types.js";

/** Plays one container in tests: receives what the container would, answers for it. */
export type ContainerTestHandler = (
  request: Request,
  info: { readonly name: string; readonly container: string; readonly port: number | undefined },
) => Response | Promise<Response>;

/** A lifecycle or egress call a test double received. */
export interface ContainerTestCall {
  readonly container: string;
  readonly name: string;
  readonly method: "start" | "getState" | "stop" | "destroy" | `egress.${EgressOperation}`;
  readonly args: readonly unknown[];
}

export type ContainerTestContext<H> = { readonly [K in keyof H]: ContainerAccessor };

const recorded = new WeakMap<object, ContainerTestCall[]>();

/** Every lifecycle and egress call made through a test context, in order. */
export function containerTestCalls(context: object): readonly ContainerTestCall[] {
  const calls = recorded.get(context);
  if (!calls) throw new TypeError("containerTestCalls expects a context from createContainerTestContext");
  return calls;
}

/**
 * A Docker-free `ctx.containers`: each container name maps to a handler that plays the container.
 * Routing (`.get`, `.any`, `.pool`, `.port`) behaves as in production (without waiting between
 * retries); lifecycle and egress calls are recorded and otherwise harmless. Using a name without
 * a handler throws.
 */
export function createContainerTestContext<const H extends Record<string, ContainerTestHandler>>(handlers: H): ContainerTestContext<H> {
  const calls: ContainerTestCall[] = [];
  const env: Record<string, unknown> = {};
  const specs = Object.keys(handlers).map((container) => {
    const binding = `TEST_CONTAINER_${container}`;
    env[binding] = fakeNamespace(container, handlers[container]!, calls);
    return { binding, exportName: container };
  });
  const context = createContainerContext<Record<string, ContainerAccessor>>(env, specs, { sleep: async () => {} });
  const guarded = new Proxy(context, {
    get(target, property, receiver) {
      // Names Object.prototype would answer (the context has a null prototype) and the ones
      // await/JSON probe read as absent instead of throwing.
      if (typeof property === "symbol" || property in target || property in Object.prototype || property === "then" || property === "toJSON") {
        return Reflect.get(target, property, receiver);
      }
      const declared = Object.keys(handlers);
      throw new Error(
        `createContainerTestContext: no container named "${property}". ` +
          `Declared: ${declared.length ? declared.join(", ") : "(none)"}. ` +
          `Add a handler: createContainerTestContext({ ${property}: (request, { name }) => new Response("…") }).`,
      );
    },
  });
  recorded.set(guarded, calls);
  return guarded as ContainerTestContext<H>;
}

function fakeNamespace(container: string, handler: ContainerTestHandler, calls: ContainerTestCall[]) {
  const states = new Map<string, ContainerInstanceState>();
  return {
    idFromName: (name: string) => ({ name }),
    get({ name }: { name: string }) {
      const record = (method: ContainerTestCall["method"], args: unknown[]) => {
        calls.push({ container, name, method, args });
      };
      const setStatus = (status: "running" | "stopped") => states.set(name, { status, lastChange: Date.now() });
      const stub: { fetch(request: Request): Promise<Response> } & LunoraContainerRpc = {
        async fetch(request) {
          const header = request.headers.get("cf-container-target-port");
          if (!states.has(name) || states.get(name)!.status !== "running") setStatus("running");
          return handler(request, { name, container, port: header === null ? undefined : Number(header) });
        },
        async lunoraStart(options) {
          record("start", options === undefined ? [] : [options]);
          setStatus("running");
        },
        async lunoraGetState() {
          record("getState", []);
          return states.get(name) ?? { status: "stopped", lastChange: 0 };
        },
        async lunoraStop() {
          record("stop", []);
          setStatus("stopped");
        },
        async lunoraDestroy() {
          record("destroy", []);
          setStatus("stopped");
        },
        async lunoraEgress(op, value) {
          record(`egress.${op}`, [value]);
        },
      };
      return stub;
    },
  };
}
