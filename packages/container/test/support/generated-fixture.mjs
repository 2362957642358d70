// Fixture projects as a user has them after `lunora codegen`: a temp copy of test/<name>/ (a
// lunora/containers.ts, a worker entry, an unwired wrangler.jsonc), in which the real `lunora
// codegen` writes lunora/_generated/* and the wrangler wiring, and the real `wrangler types`
// writes worker-configuration.d.ts. Nothing generated is committed, so the package's type-check
// and workerd tests always run the shape codegen produces today.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const testDir = fileURLToPath(new URL("..", import.meta.url));
export const workspaceRoot = join(testDir, "../../..");
const nodeModules = join(workspaceRoot, "node_modules");

// wrangler keeps its logs and metrics settings under XDG_CONFIG_HOME: a temp one, not the user's.
const wranglerHome = mkdtempSync(join(tmpdir(), "lunora-fixture-wrangler-"));
process.on("exit", () => rmSync(wranglerHome, { recursive: true, force: true }));

function run(cmd, args, cwd, timeout = 120_000) {
  return execFileSync(cmd, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout,
    env: { ...process.env, NO_COLOR: "1", WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? wranglerHome },
  });
}

let binary;

/**
 * The `lunora` binary from cargo's target directory (CARGO_TARGET_DIR, else target/), debug
 * profile. `cargo build -p lunora-cli` runs first: it builds a missing binary (and says so) and
 * is a quick no-op for a fresh one, so a stale binary never produces the fixtures.
 */
export function lunoraBinary() {
  if (binary) return binary;
  const target = process.env.CARGO_TARGET_DIR ?? join(workspaceRoot, "target");
  const path = join(target, "debug", "lunora");
  if (!existsSync(path)) {
    console.error(`# ${path} is missing: building it with \`cargo build -p lunora-cli\` (the package tests run the real lunora codegen)`);
  }
  try {
    execFileSync("cargo", ["build", "-q", "-p", "lunora-cli"], { cwd: workspaceRoot, stdio: ["ignore", "inherit", "inherit"], timeout: 900_000 });
  } catch (error) {
    throw new Error(`cargo build -p lunora-cli failed (needed for the real lunora codegen): ${error.message}`);
  }
  if (!existsSync(path)) throw new Error(`cargo build -p lunora-cli did not produce ${path}`);
  binary = path;
  return binary;
}

/** Runs the real `lunora` in `dir`; returns its combined output. Throws with the output on failure. */
export function lunora(dir, args) {
  try {
    return run(lunoraBinary(), ["--root", dir, ...args], dir);
  } catch (error) {
    throw new Error(`lunora ${args.join(" ")} failed (${error.status}):\n${error.stdout}\n${error.stderr}`);
  }
}

/**
 * A temp copy of test/<name>/ with `node_modules` linked to the workspace's, after `lunora codegen`
 * (and `wrangler types --include-runtime=false` unless `wranglerTypes: false`). Removed at exit.
 */
export function generatedFixture(name, { wranglerTypes = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `lunora-fixture-${name}-`));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(testDir, name), dir, { recursive: true });
  for (const generated of ["lunora/_generated", "worker-configuration.d.ts", ".wrangler"]) {
    rmSync(join(dir, generated), { recursive: true, force: true });
  }
  symlinkSync(nodeModules, join(dir, "node_modules"));
  lunora(dir, ["codegen"]);
  if (wranglerTypes) {
    try {
      run(join(nodeModules, ".bin/wrangler"), ["types", "--include-runtime=false"], dir);
    } catch (error) {
      throw new Error(`wrangler types failed in ${dir}:\n${error.stdout}\n${error.stderr}`);
    }
  }
  return dir;
}
