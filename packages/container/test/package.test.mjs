// The package as users get it: strict type-checks of the sources and of the generated-code
// fixture, the packed file list, and an ESM import through the `exports` map from a temp project.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(pkgDir, "../../node_modules/typescript/bin/tsc");

function run(cmd, args, cwd = pkgDir) {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
}

test("sources, the generated-shape fixture and the workerd worker type-check with tsc --strict", () => {
  run(process.execPath, [tsc, "-p", "tsconfig.json", "--noEmit"]);
  run(process.execPath, [tsc, "-p", "test/typecheck/tsconfig.json"]);
  run(process.execPath, [tsc, "-p", "test/workerd/tsconfig.json"]);
});

test("the generated-shape fixture is exactly the codegen contract", () => {
  const generated = readFileSync(join(pkgDir, "test/typecheck/lunora/_generated/containers.ts"), "utf8");
  assert.equal(
    generated,
    [
      'import { LunoraContainer } from "@lunora/container/do";',
      'import { transcoder } from "../containers";',
      'export { ContainerProxy } from "@lunora/container/do";',
      "export class TranscoderContainer extends LunoraContainer {",
      "  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {",
      '    super(ctx, env, transcoder, "transcoder");',
      "  }",
      "}",
      "",
    ].join("\n"),
  );
});

const packed = (() => {
  const out = run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"]);
  return JSON.parse(out.slice(out.indexOf("[")))[0];
})();

test("npm pack ships dist with JS and .d.ts for '.', './do' and './bridge'", () => {
  const files = packed.files.map((f) => f.path);
  for (const entry of ["index", "do", "bridge"]) {
    assert.ok(files.includes(`dist/${entry}.js`), `dist/${entry}.js packed`);
    assert.ok(files.includes(`dist/${entry}.d.ts`), `dist/${entry}.d.ts packed`);
  }
  assert.ok(files.includes("package.json"));
  assert.ok(!files.some((f) => f.startsWith("src/") || f.startsWith("test/")), "only dist is shipped");
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    assert.ok(files.includes(target.types.replace("./", "")), `${subpath} types`);
    assert.ok(files.includes(target.import.replace("./", "")), `${subpath} import`);
  }
});

test("a temp project imports the packed package through its exports map", () => {
  const project = mkdtempSync(join(tmpdir(), "lunora-container-consumer-"));
  const tarball = run("npm", ["pack", "--ignore-scripts", "--pack-destination", project]).trim().split("\n").pop();
  const target = join(project, "node_modules/@lunora/container");
  mkdirSync(target, { recursive: true });
  run("tar", ["-xzf", join(project, tarball), "-C", target, "--strip-components=1"]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  writeFileSync(
    join(project, "main.mjs"),
    `
import { defineContainer, createContainerContext, createContainerTestContext, ContainerConfigError } from "@lunora/container";
import { createContainerBridge, ContainerBridgeError } from "@lunora/container/bridge";
const def = defineContainer({ image: "./containers/x", defaultPort: 8080 });
let code;
try { defineContainer({ image: "./x", sleepAfter: "5 minutes" }); } catch (e) { code = e instanceof ContainerConfigError && e.code; }
const ctx = createContainerTestContext({ x: (req, { name }) => new Response(name) });
const text = await (await ctx.x.get("n1").fetch("/")).text();
const bridge = createContainerBridge({ baseUrl: "http://127.0.0.1:1", token: "t", fetch: async () => Response.json({ result: 42 }) });
console.log(JSON.stringify({ port: def.defaultPort, code, text, result: await bridge.query("a:b", {}), ctx: typeof createContainerContext, err: typeof ContainerBridgeError }));
`,
  );
  const out = JSON.parse(run(process.execPath, ["main.mjs"], project));
  assert.deepEqual(out, { port: 8080, code: "containers/invalid-duration", text: "n1", result: 42, ctx: "function", err: "function" });
  // ./do loads cloudflare:workers, so under Node only its files are checked.
  for (const f of ["dist/do.js", "dist/do.d.ts"]) assert.ok(existsSync(join(target, f)), f);
  assert.match(readFileSync(join(target, "dist/do.d.ts"), "utf8"), /export declare class LunoraContainer/);
  // The root entry must not load @cloudflare/containers or cloudflare:workers.
  for (const f of ["index.js", "accessor.js", "define.js", "rules.js", "test-context.js", "bridge.js"]) {
    const source = readFileSync(join(target, "dist", f), "utf8");
    assert.ok(!/from ["'](@cloudflare\/containers|cloudflare:workers)["']/.test(source), `${f} has no runtime Cloudflare import`);
  }
});
