// Worker entry. wrangler requires every container's Durable Object class to be exported by the
// deployed Worker, so the generated classes are re-exported here.
export * from "../../lunora/_generated/containers";

import { createContainers, type ContainersEnv } from "../../lunora/_generated/containerHandles";
import { transcode } from "./transcode";

export default {
  async fetch(request: Request, env: ContainersEnv): Promise<Response> {
    const url = new URL(request.url);
    const match = /^\/videos\/([^/]+)\/transcode$/.exec(url.pathname);
    if (request.method === "POST" && match) {
      const ctx = { containers: createContainers(env) };
      try {
        const result = await transcode({ ctx, args: { videoId: decodeURIComponent(match[1]!) } });
        return Response.json(result);
      } catch (error) {
        // The container (or the platform in front of it) failed: say so instead of a bare 500.
        return new Response(`transcode failed: ${error instanceof Error ? error.message : String(error)}`, { status: 502 });
      }
    }
    return new Response("POST /videos/:id/transcode", { status: 404 });
  },
} satisfies ExportedHandler<ContainersEnv>;
