// The suite's Worker: every scenario drives a container through the generated handles
// (`createContainers(env)`), the way an action uses `ctx.containers`.
//
//   GET  /c/<container>/get/<name>/<path>   .get(name).fetch(path); a WebSocket upgrade is passed
//                                           on as a pre-built Request
//   GET  /c/<container>/any/<path>          .any(count).fetch(path)
//   GET  /c/<container>/pool/<path>         .pool({ count, attempts }).fetch(path)
//   GET  /c/<container>/slot/<i>/<path>     the pool slot i's Durable Object, addressed by its id
//                                           (`.get()` refuses slot names; this is the suite reaching
//                                           one slot on purpose)
//   GET  /c/<container>/id/<name>           the Durable Object id `.get(name)` reaches
//   POST /c/<container>/start/<name>        .get(name).start(<JSON body>)
//   GET  /c/<container>/state/<name>        .get(name).getState()
//   POST /c/<container>/stop/<name>         .get(name).stop()
//   POST /c/<container>/destroy/<name>      .get(name).destroy()
//   POST /c/<container>/egress/<name>/<op>  .get(name).egress[op](<JSON body>)
// Request headers x-suite-port, x-suite-attempts and x-suite-count tune the call, x-suite-prebuilt
// makes `.get()` send a pre-built Request instead of a path. When the handle
// throws, the answer is 500 with `x-suite-threw: <error name>` and `<name>: <message>` as body.
export * from "../lunora/_generated/containers";
import { EchoContainer as GeneratedEcho } from "../lunora/_generated/containers";

/**
 * A hand-written subclass of a generated class, as the README shows: its `envVars` reach the
 * container merged with the definition's env and secrets (a declared secret still wins).
 */
export class EchoContainer extends GeneratedEcho {
  override envVars = { FROM_SUBCLASS: "yes", API_KEY: "from-subclass" };
}

import { poolInstanceName, type ContainerAccessor, type ContainerEgress, type ContainerHandle } from "@lunora/container";
import { containerBindings, createContainers, type ContainersEnv } from "../lunora/_generated/containerHandles";

function numberHeader(request: Request, name: string): number | undefined {
  const value = request.headers.get(name);
  return value === null ? undefined : Number(value);
}

function withPort<H extends ContainerHandle>(handle: H, port: number | undefined): H {
  return (port === undefined ? handle : handle.port(port)) as H;
}

async function route(request: Request, env: ContainersEnv): Promise<Response> {
  const url = new URL(request.url);
  const match = /^\/c\/([^/]+)\/([a-z]+)(?:\/([^/]*))?(\/.*)?$/.exec(url.pathname);
  if (!match) return new Response("no such route", { status: 404 });
  const [, container, action, arg = "", rest = "/"] = match;
  const containers = createContainers(env) as unknown as Record<string, ContainerAccessor>;
  const accessor = containers[container!];
  if (!accessor) return new Response(`no container ${container}`, { status: 404 });
  const port = numberHeader(request, "x-suite-port");
  const attempts = numberHeader(request, "x-suite-attempts");
  const count = numberHeader(request, "x-suite-count");
  const body = async () => (request.method === "POST" && request.headers.get("content-length") !== "0" ? request.json() : undefined);
  const name = decodeURIComponent(arg);

  switch (action) {
    case "get": {
      const handle = withPort(accessor.get(name, attempts === undefined ? undefined : { attempts }), port);
      const path = `${rest}${url.search}`;
      if (request.headers.get("upgrade")?.toLowerCase() === "websocket" || request.headers.has("x-suite-prebuilt")) {
        // A pre-built Request: the way to proxy an upgrade, and one the cold-start retry never resends.
        return handle.fetch(new Request(new URL(path, "http://container"), request));
      }
      return handle.fetch(path);
    }
    case "any":
      return withPort(accessor.any(count, attempts === undefined ? undefined : { attempts }), port).fetch(
        `/${arg}${rest === "/" ? "" : rest}${url.search}`,
      );
    case "slot": {
      const spec = containerBindings.find((b) => b.exportName === container);
      const namespace = (env as unknown as Record<string, DurableObjectNamespace>)[spec!.binding]!;
      return namespace.get(namespace.idFromName(poolInstanceName(Number(arg)))).fetch(new Request(new URL(`${rest}${url.search}`, "http://container")));
    }
    case "pool":
      return withPort(accessor.pool({ count, attempts, backoffMs: 50 }), port).fetch(`/${arg}${rest === "/" ? "" : rest}${url.search}`);
    case "id": {
      const spec = containerBindings.find((b) => b.exportName === container);
      const namespace = (env as unknown as Record<string, DurableObjectNamespace>)[spec!.binding]!;
      return new Response(namespace.idFromName(name).toString());
    }
    case "start":
      await accessor.get(name).start((await body()) as { envVars?: Record<string, string> } | undefined);
      return new Response(null, { status: 204 });
    case "state":
      return Response.json(await accessor.get(name).getState());
    case "stop":
      await accessor.get(name).stop();
      return new Response(null, { status: 204 });
    case "destroy":
      await accessor.get(name).destroy();
      return new Response(null, { status: 204 });
    case "egress": {
      const op = rest.slice(1) as keyof ContainerEgress;
      await (accessor.get(name).egress[op] as (value: unknown) => Promise<void>)(await body());
      return new Response(null, { status: 204 });
    }
    default:
      return new Response(`no action ${action}`, { status: 404 });
  }
}

export default {
  async fetch(request: Request, env: ContainersEnv): Promise<Response> {
    try {
      return await route(request, env);
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      const message = error instanceof Error ? error.message : String(error);
      return new Response(`${name}: ${message}`, { status: 500, headers: { "x-suite-threw": name } });
    }
  },
} satisfies ExportedHandler<ContainersEnv>;
