// The launcher (bin/lunora.js) run as a user runs it, against hostile settings and arguments:
// LUNORA_BINARY pointing back at the launcher, another machine's binary, arguments that are not
// UTF-8. Each test is named after what broke.
import test from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const platform = require("../lib/platform.js");
const launcherFile = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "lunora.js");
const unix = process.platform !== "win32";

function tempDir() {
  return mkdtempSync(join(tmpdir(), "lunora-launcher-"));
}

function script(dir, name, body) {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Runs the launcher with `args` and LUNORA_BINARY=`binary`; gives up after 20 s. */
function launch(binary, args = [], extraEnv = {}) {
  const env = { ...process.env, ...extraEnv, LUNORA_BINARY: binary };
  delete env.LUNORA_LAUNCHER_DEPTH;
  return spawnSync(process.execPath, [launcherFile, ...args], { env, encoding: "utf8", timeout: 20_000 });
}

test("LUNORA_BINARY naming the launcher itself is refused, not started again without end", () => {
  const dir = tempDir();
  const link = join(dir, "lunora");
  symlinkSync(launcherFile, link); // as node_modules/.bin/lunora is
  for (const target of [launcherFile, link]) {
    const r = launch(target, ["--version"]);
    assert.equal(r.error, undefined, "it ended by itself");
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^lunora: LUNORA_BINARY is set to .*, which is this launcher/);
    assert.match(r.stderr, /fix: point LUNORA_BINARY at the native lunora executable/);
  }
});

test("a LUNORA_BINARY script that runs the launcher again stops at a depth limit", { skip: !unix }, () => {
  const dir = tempDir();
  const wrapper = script(dir, "wrapper", `exec "${process.execPath}" "${launcherFile}" "$@"`);
  const r = launch(wrapper, ["--version"]);
  assert.equal(r.error, undefined, "it ended by itself");
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /running inside itself 8 levels deep/);
  assert.match(r.stderr, /not at a script that runs `lunora`/);
});

/** 64 bytes of an ELF header of a 64-bit little-endian executable for `machine`. */
function elfHeader(machine) {
  const h = Buffer.alloc(64);
  h.writeUInt32BE(0x7f454c46, 0);
  h[4] = 2; // 64-bit
  h[5] = 1; // little-endian
  h[6] = 1; // version
  h.writeUInt16LE(2, 16); // ET_EXEC
  h.writeUInt16LE(machine, 18);
  return h;
}

test("a binary for another CPU gets a lunora: message, not a /bin/sh syntax error", { skip: process.platform !== "linux" }, () => {
  const dir = tempDir();
  const [machine, name] = process.arch === "arm64" ? [0x3e, "x64"] : [0xb7, "arm64"];
  const foreign = join(dir, "lunora");
  writeFileSync(foreign, Buffer.concat([elfHeader(machine), Buffer.alloc(4096)]));
  chmodSync(foreign, 0o755);
  const r = launch(foreign, ["--version"]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`^lunora: ${foreign} \\(LUNORA_BINARY\\) is a program for linux-${name}; this machine is linux-${process.arch}`));
  assert.match(r.stderr, /fix: point LUNORA_BINARY at a lunora built for this machine/);
  assert.doesNotMatch(r.stderr, /syntax error|not found/i);

  // Neither a binary nor a script (a text file, a truncated download).
  const junk = join(dir, "junk");
  writeFileSync(junk, "(this is not a program)\n");
  chmodSync(junk, 0o755);
  const j = launch(junk, ["--version"]);
  assert.equal(j.status, 1, j.stderr);
  assert.match(j.stderr, /is not a program this machine can run/);
  assert.doesNotMatch(j.stderr, /syntax error/i);
});

test("executable headers are read as the OS and CPU they are for", () => {
  const own = platform.describeExecutable(readFileSync(process.execPath).subarray(0, 4096));
  assert.deepEqual(own, { kind: "binary", os: process.platform, cpus: [process.arch] });
  assert.equal(platform.canRun(own, platform.currentTarget()), true);
  assert.deepEqual(platform.describeExecutable(elfHeader(0xb7)), { kind: "binary", os: "linux", cpus: ["arm64"] });
  const macho = Buffer.alloc(32);
  macho.writeUInt32LE(0xfeedfacf, 0);
  macho.writeUInt32LE(0x0100000c, 4);
  assert.deepEqual(platform.describeExecutable(macho), { kind: "binary", os: "darwin", cpus: ["arm64"] });
  const pe = Buffer.alloc(256);
  pe.write("MZ", 0, "latin1");
  pe.writeUInt32LE(0x80, 0x3c);
  pe.write("PE\0\0", 0x80, "latin1");
  pe.writeUInt16LE(0x8664, 0x84);
  const described = platform.describeExecutable(pe);
  assert.deepEqual(described, { kind: "binary", os: "win32", cpus: ["x64"] });
  // x64 programs run on arm64 Windows and macOS (emulated), not on arm64 Linux.
  assert.equal(platform.canRun(described, { os: "win32", cpu: "arm64", libc: null }), true);
  assert.equal(platform.canRun({ kind: "binary", os: "linux", cpus: ["x64"] }, { os: "linux", cpu: "arm64", libc: "glibc" }), false);
  assert.deepEqual(platform.describeExecutable(Buffer.from("#!/bin/sh\n")), { kind: "script" });
});

test("a non-UTF-8 argument reaches the binary byte for byte, not as U+FFFD", { skip: process.platform !== "linux" }, () => {
  const dir = tempDir();
  // Prints each argument as hex bytes, one line each, then exits 7.
  const dump = script(dir, "dump", `for a in "$@"; do printf '%s' "$a" | od -An -tx1 | tr -s ' \\n' ' '; echo '|'; done\nexit 7`);
  // Node cannot start a process with such an argument, so a shell starts the launcher.
  const r = spawnSync(
    "/bin/sh",
    [
      "-c",
      `bad="$(printf '\\377a b\\n_')"; bad="\${bad%_}"; exec "$0" "$1" codegen "$bad" "ü" ""`,
      process.execPath,
      launcherFile,
    ],
    { env: { ...process.env, LUNORA_BINARY: dump, LUNORA_LAUNCHER_DEPTH: "" }, encoding: "utf8", timeout: 20_000 },
  );
  assert.equal(r.status, 7, r.stderr);
  const lines = r.stdout.split("|\n").map((l) => l.trim());
  assert.deepEqual(lines, ["63 6f 64 65 67 65 6e", "ff 61 20 62 0a", "c3 bc", "", ""]);
});
