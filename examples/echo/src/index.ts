// Worker entry of the echo example. wrangler requires every container's Durable Object class to
// be exported by the Worker, so the generated classes are re-exported here.
export * from "../lunora/_generated/containers";

import { createContainers, type ContainersEnv } from "../lunora/_generated/containerHandles";

// GET  /<name>        → the `echo` instance called <name> (one instance per name)
// POST /<name>/start  → start it explicitly, with ECHO_INSTANCE=<name> in its env
// GET  /<name>/state  → its state; POST /<name>/stop stops it
export default {
  async fetch(request: Request, env: ContainersEnv): Promise<Response> {
    const [name = "", action = ""] = new URL(request.url).pathname.slice(1).split("/");
    if (name === "") return new Response("GET /<name>, POST /<name>/start, GET /<name>/state, POST /<name>/stop\n", { status: 404 });
    const instance = createContainers(env).echo.get(name);
    try {
      if (action === "state") return Response.json(await instance.getState());
      if (action === "start" && request.method === "POST") {
        await instance.start({ envVars: { ECHO_INSTANCE: name } });
        return new Response(`started ${name}\n`);
      }
      if (action === "stop" && request.method === "POST") {
        await instance.stop();
        return new Response(`stopping ${name}\n`);
      }
      return await instance.fetch(action === "" ? "/" : `/${action}`);
    } catch (error) {
      return new Response(`echo failed: ${error instanceof Error ? error.message : String(error)}\n`, { status: 502 });
    }
  },
} satisfies ExportedHandler<ContainersEnv>;
