// The transcoder container: accepts POST /transcode { videoId } and answers with a job record.
// A real app would shell out to ffmpeg here; the shape of the HTTP contract is what matters.
import { createServer } from "node:http";

const port = Number(process.env.PORT ?? 8080);

const server = createServer(async (request, response) => {
  if (request.url === "/healthz") {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end("ok");
    return;
  }
  if (request.method === "POST" && request.url === "/transcode") {
    let body = "";
    for await (const chunk of request) body += chunk;
    const { videoId } = JSON.parse(body || "{}");
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ videoId, status: "queued", keyConfigured: Boolean(process.env.TRANSCODER_API_KEY) }));
    return;
  }
  response.writeHead(404, { "content-type": "text/plain" });
  response.end("not found");
});

server.listen(port, () => console.log(`transcoder listening on :${port}`));

// SIGTERM arrives on rollouts and before sleep: finish in-flight work, then exit 0.
function shutdown(signal) {
  console.log(`transcoder received ${signal}, shutting down`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
