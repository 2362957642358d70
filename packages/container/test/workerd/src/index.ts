import { createContainerTestContext } from "@lunora/container";
import { createContainers, type ContainersEnv } from "../lunora/_generated/containerHandles";
export * from "../lunora/_generated/containers";

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export default {
  async fetch(request: Request, env: ContainersEnv): Promise<Response> {
    const url = new URL(request.url);
    try {
      switch (url.pathname) {
        case "/get": {
          // Through ctx.containers to the Durable Object (which has no container locally).
          const response = await createContainers(env).transcoder.get("job-1").fetch("/index.html");
          return new Response(`status=${response.status} body=${await response.text()}`);
        }
        case "/any": {
          const response = await createContainers(env).transcoder.any().port(80).fetch("/");
          return new Response(`status=${response.status} body=${await response.text()}`);
        }
        case "/missing": {
          createContainers({} as ContainersEnv).transcoder.get("job-1");
          return new Response("no error");
        }
        case "/double": {
          const containers = createContainerTestContext({
            transcoder: (req, { name }) => Response.json({ ok: true, name, path: new URL(req.url).pathname }),
          });
          return containers.transcoder.get("video-7").fetch("/transcode");
        }
        default:
          return new Response("not found", { status: 404 });
      }
    } catch (error) {
      return new Response(`threw ${describe(error)}`, { status: 500 });
    }
  },
} satisfies ExportedHandler<ContainersEnv>;
