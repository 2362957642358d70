// Serves a project's worker in the real Workers runtime (wrangler's unstable_dev: workerd on
// 127.0.0.1, containers disabled since no Docker engine runs here), sends the requests given as
// JSON on argv[3] ([{ "method", "path", "body"? }]), prints one JSON line per response
// ({ status, body }), and stops the runtime. Used by tests/e2e/workerd_example.rs.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [root, requestsJson] = process.argv.slice(2);
process.env.WRANGLER_SEND_METRICS = "false";
process.env.WRANGLER_LOG_PATH ??= mkdtempSync(join(tmpdir(), "lunora-wrangler-log-"));
process.env.XDG_CONFIG_HOME ??= mkdtempSync(join(tmpdir(), "lunora-wrangler-config-"));
const { unstable_dev } = await import(join(root, "node_modules/wrangler/wrangler-dist/cli.js"));

const deadline = setTimeout(() => {
  console.error("serve-once: timed out");
  process.exit(3);
}, 90_000);

const worker = await unstable_dev(join(root, "src/server/index.ts"), {
  config: join(root, "wrangler.jsonc"),
  ip: "127.0.0.1",
  port: 0,
  inspectorPort: 0,
  local: true,
  logLevel: "error",
  persistTo: mkdtempSync(join(tmpdir(), "lunora-wrangler-state-")),
  experimental: { disableExperimentalWarning: true, enableContainers: false, disableDevRegistry: true, watch: false },
});
try {
  for (const r of JSON.parse(requestsJson)) {
    const response = await worker.fetch(r.path, { method: r.method, body: r.body });
    console.log(JSON.stringify({ status: response.status, body: await response.text() }));
  }
} finally {
  await worker.stop();
  clearTimeout(deadline);
}
