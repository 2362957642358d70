// A worker entry using the generated modules the way the docs describe.
import { createContainerTestContext, type ContainerInstanceHandle } from "@lunora/container";
import { createContainerBridge, type FunctionReference } from "@lunora/container/bridge";
import { LunoraContainer, type OutboundHandler, type OutboundHandlers, outboundParams } from "@lunora/container/do";
import { transcoder } from "../lunora/containers";
import { createContainers } from "../lunora/_generated/containerHandles";
export * from "../lunora/_generated/containers";

// Literal types survive defineContainer.
const port: 8080 = transcoder.defaultPort;
const sleep: "5m" = transcoder.sleepAfter;
void port;
void sleep;

// @ts-expect-error unknown keys are rejected at the type level too
void (() => import("@lunora/container").then((m) => m.defineContainer({ image: "./x", sleepAfer: "5m" })));

export class CustomContainer extends LunoraContainer<Env> {
  static override outbound: OutboundHandler = (request) => fetch(request);
  override async onHardTimeoutExpired(): Promise<void> {
    await super.onHardTimeoutExpired();
  }
}
type Handlers = OutboundHandlers<{ audit: { tag: string } }>;
const handlers: Handlers = { audit: (req, _env, ctx) => new Response(`${req.url} ${ctx.params.tag}`) };
void handlers;
void outboundParams;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const containers = createContainers(env);
    const handle: ContainerInstanceHandle = containers.transcoder.get("job-1", { attempts: 5, backoffMs: 250 });
    await handle.start({ envVars: { SESSION: "s" } });
    const state = await handle.getState();
    await handle.egress.allow("hooks.slack.com");
    await handle.egress.setDenied(["*.evil.com"]);
    const admin = await handle.port(9090).fetch("/admin");
    const any = await containers.transcoder.any().fetch("healthz");
    // .any() and .pool() take .get()'s retry options through the generated handles.
    await containers.transcoder.any(2, { attempts: 1, backoffMs: 50, maxBackoffMs: 100 }).port(9090).fetch("/");
    const pooled = await containers.transcoder
      .pool({ attempts: 3, backoffMs: 100, retryOn: (r) => r.status >= 500, coldStart: { attempts: 2 } })
      .port(9090)
      .fetch(request);
    return Response.json({ state: state.status, statuses: [admin.status, any.status, pooled.status] });
  },
} satisfies ExportedHandler<Env>;

const test = createContainerTestContext({
  transcoder: async (_request, { name }) => new Response(JSON.stringify({ ok: true, name })),
});
void test.transcoder.get("a").fetch("/x");

const bridge = createContainerBridge({ baseUrl: "https://app.example", token: "t" });
const next = { path: "jobs:next" } as FunctionReference<{ queue: string }, { id: string }>;
// Not exported: with `wrangler types`, every export of the main module must be a handler or class.
async function useBridge(): Promise<string> {
  const job = await bridge.run(next, { queue: "transcode" });
  // @ts-expect-error args are typed from the reference
  void bridge.run(next, { queue: 1 });
  return job.id;
}
void useBridge;
