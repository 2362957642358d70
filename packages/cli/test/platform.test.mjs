// The launcher's platform table and its messages, as pure functions of a target (the launcher
// itself is tested installed, through npm, in tests/e2e/npm_install.rs).
import test from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const platform = require("../lib/platform.js");
const manifest = require("../package.json");

const names = (target) => platform.candidatesFor(target).map((p) => p.package);

test("each supported machine maps to its package, glibc falling back to the static musl build", () => {
  assert.deepEqual(names({ os: "linux", cpu: "x64", libc: "glibc" }), [
    "@lunora/cli-linux-x64-gnu",
    "@lunora/cli-linux-x64-musl",
  ]);
  assert.deepEqual(names({ os: "linux", cpu: "x64", libc: "musl" }), ["@lunora/cli-linux-x64-musl"]);
  assert.deepEqual(names({ os: "linux", cpu: "arm64", libc: "glibc" }), [
    "@lunora/cli-linux-arm64-gnu",
    "@lunora/cli-linux-arm64-musl",
  ]);
  assert.deepEqual(names({ os: "darwin", cpu: "arm64", libc: null }), ["@lunora/cli-darwin-arm64"]);
  assert.deepEqual(names({ os: "darwin", cpu: "x64", libc: null }), ["@lunora/cli-darwin-x64"]);
  assert.deepEqual(names({ os: "win32", cpu: "x64", libc: null }), ["@lunora/cli-win32-x64-msvc"]);
});

test("an unsupported machine has no candidate and a message naming it and the way out", () => {
  for (const target of [
    { os: "freebsd", cpu: "x64", libc: null },
    { os: "linux", cpu: "ia32", libc: "glibc" },
    { os: "darwin", cpu: "ppc64", libc: null },
  ]) {
    assert.deepEqual(names(target), []);
    const message = platform.unsupportedMessage(target);
    assert.match(message, new RegExp(`no prebuilt lunora binary for ${target.os}-${target.cpu}`));
    assert.match(message, /linux-x64 \(glibc\)/);
    assert.match(message, /LUNORA_BINARY/);
  }
});

test("the missing-package message names the package, the version and both fixes", () => {
  const [entry] = platform.candidatesFor({ os: "linux", cpu: "x64", libc: "glibc" });
  const message = platform.missingPackageMessage({ os: "linux", cpu: "x64", libc: "glibc" }, entry, "9.9.9");
  assert.match(message, /linux-x64 \(glibc\) is not installed/);
  assert.match(message, /--omit=optional/);
  assert.match(message, /npm install -D @lunora\/cli-linux-x64-gnu@9\.9\.9/);
  assert.match(message, /LUNORA_BINARY/);
});

test("every platform entry is complete and the launcher lists each one as optional", () => {
  const seen = new Set();
  for (const p of platform.PLATFORMS) {
    assert.match(p.package, /^@lunora\/cli-[a-z0-9-]+$/);
    assert.ok(["linux", "darwin", "win32"].includes(p.os), p.package);
    assert.ok(["x64", "arm64"].includes(p.cpu), p.package);
    assert.equal(p.os === "linux", Boolean(p.libc), `${p.package}: libc exactly on Linux`);
    assert.equal(p.bin, p.os === "win32" ? "lunora.exe" : "lunora");
    assert.ok(p.target, p.package);
    assert.ok(p.target.split("-").includes(p.abi), `${p.package}: abi ${p.abi} is the target's (${p.target})`);
    const key = `${p.os}/${p.cpu}/${p.libc}`;
    assert.ok(!seen.has(key), `one package per machine: ${key}`);
    seen.add(key);
    assert.equal(manifest.optionalDependencies[p.package], manifest.version, p.package);
  }
});

test("this machine is detected as one of the supported ones", () => {
  const target = platform.currentTarget();
  assert.equal(target.os, process.platform);
  assert.equal(target.cpu, process.arch);
  if (process.platform === "linux") assert.ok(["glibc", "musl"].includes(target.libc));
  else assert.equal(target.libc, null);
});
