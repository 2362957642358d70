import { createContainerContext, createContainerTestContext, type ContainerAccessor } from "@lunora/container";
import { containerBindings, createContainers, type ContainersEnv } from "../lunora/_generated/containerHandles";
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
        case "/pool-ids": {
          // The real namespace's id derivation, with the id of every stub the handles ask for
          // recorded on the way: which Durable Object each call would reach.
          const real = env.CONTAINER_TRANSCODER;
          const reached: string[] = [];
          const recording = {
            idFromName: (name: string) => real.idFromName(name),
            get: (id: DurableObjectId) => {
              reached.push(id.toString());
              return real.get(id);
            },
          };
          const containers = createContainerContext<{ transcoder: ContainerAccessor }>(
            { CONTAINER_TRANSCODER: recording },
            containerBindings,
            { random: () => 0 },
          );
          const refused: Record<string, string> = {};
          for (const name of ["instance-0", "instance-1"]) {
            try {
              containers.transcoder.get(name);
            } catch (error) {
              refused[name] = describe(error);
            }
          }
          containers.transcoder.any();
          const anyId = reached.pop();
          const named: Record<string, { reached: string; fromName: string }> = {};
          for (const name of ["job-1", "instance-00", "instance_0", "Instance-0"]) {
            containers.transcoder.get(name);
            named[name] = { reached: reached.pop()!, fromName: real.idFromName(name).toString() };
          }
          const slots = [0, 1].map((i) => real.idFromName(`instance-${i}`).toString());
          return Response.json({ refused, anyId, slots, named });
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
