// Which platform package holds the lunora binary for a machine, and what to tell the user when
// none does. Shared by the launcher (bin/lunora.js) and the packaging script
// (scripts/package-npm.sh, through scripts/stage.mjs), so both agree on every name.
"use strict";

const fs = require("node:fs");
const PLATFORMS = require("../platforms.json");

/** `glibc` or `musl` on Linux (what the running Node was linked against), else `null`. */
function detectLibc() {
  if (process.platform !== "linux") return null;
  // Node's diagnostic report names the glibc it runs on; a musl build of Node has none.
  try {
    if (process.report) {
      process.report.excludeNetwork = true;
      const report = process.report.getReport();
      const header = typeof report === "string" ? JSON.parse(report).header : report.header;
      if (header) return header.glibcVersionRuntime ? "glibc" : "musl";
    }
  } catch {
    // Fall through to the loader's script.
  }
  try {
    return fs.readFileSync("/usr/bin/ldd", "utf8").includes("musl") ? "musl" : "glibc";
  } catch {
    return "glibc";
  }
}

/** The machine the launcher runs on. */
function currentTarget() {
  return { os: process.platform, cpu: process.arch, libc: detectLibc() };
}

/** `linux-x64 (glibc)`, `darwin-arm64`. */
function describeTarget(target) {
  return `${target.os}-${target.cpu}${target.libc ? ` (${target.libc})` : ""}`;
}

/**
 * The platform entries whose binary runs on `target`, best first. On glibc the static musl
 * binary is the fallback: it runs there too (the reverse is not true).
 */
function candidatesFor(target) {
  const same = PLATFORMS.filter((p) => p.os === target.os && p.cpu === target.cpu);
  if (!target.libc) return same.filter((p) => !p.libc);
  const order = target.libc === "musl" ? ["musl"] : ["glibc", "musl"];
  return order.flatMap((libc) => same.filter((p) => p.libc === libc));
}

/** The error for a machine no platform package is built for. */
function unsupportedMessage(target) {
  const supported = PLATFORMS.map((p) => describeTarget(p)).join(", ");
  return [
    `lunora: there is no prebuilt lunora binary for ${describeTarget(target)}.`,
    `  Prebuilt binaries exist for: ${supported}.`,
    "  fix: build lunora from source (`cargo build --release -p lunora-cli` in a checkout of the",
    "       repository) and point LUNORA_BINARY at target/release/lunora.",
  ].join("\n");
}

/** The error for a supported machine whose platform package is not installed. */
function missingPackageMessage(target, entry, launcherVersion) {
  return [
    `lunora: the lunora binary for ${describeTarget(target)} is not installed.`,
    `  It ships in ${entry.package}, an optional dependency of @lunora/cli@${launcherVersion},`,
    "  which the package manager skipped: it was installed with --no-optional / --omit=optional,",
    "  or from a lockfile made on another platform without this platform's entry.",
    `  fix: reinstall without --omit=optional (\`npm install\`), or add the package itself:`,
    `       npm install -D ${entry.package}@${launcherVersion}`,
    "       (or point LUNORA_BINARY at a lunora binary).",
  ].join("\n");
}

// e_machine of ELF, cputype of Mach-O, Machine of PE: Node's name of the CPU.
const ELF_MACHINES = { 0x03: "ia32", 0x28: "arm", 0x3e: "x64", 0xb7: "arm64", 0xf3: "riscv64", 0x15: "ppc64", 0x16: "s390x" };
const MACHO_CPUS = { 0x07: "ia32", 0x01000007: "x64", 0x0c: "arm", 0x0100000c: "arm64", 0x01000012: "ppc64" };
const PE_MACHINES = { 0x14c: "ia32", 0x8664: "x64", 0xaa64: "arm64", 0x1c4: "arm" };

/**
 * What kind of program the first bytes of a file are: `{ kind: "script" }` (a `#!` line),
 * `{ kind: "binary", os, cpus }` (ELF: os `linux`; Mach-O, universal too: `darwin`; PE: `win32`;
 * `cpus` in Node's names, `unknown` when not one of them), or `{ kind: "unknown" }`.
 */
function describeExecutable(header) {
  const u16 = (at, le) => (header.length >= at + 2 ? (le ? header.readUInt16LE(at) : header.readUInt16BE(at)) : -1);
  const u32 = (at, le) => (header.length >= at + 4 ? (le ? header.readUInt32LE(at) : header.readUInt32BE(at)) : -1);
  if (header.length >= 2 && header[0] === 0x23 && header[1] === 0x21) return { kind: "script" };
  if (header.length >= 20 && header.readUInt32BE(0) === 0x7f454c46) {
    const machine = u16(18, header[5] !== 2);
    return { kind: "binary", os: "linux", cpus: [ELF_MACHINES[machine] || "unknown"] };
  }
  const magicLE = u32(0, true);
  if (magicLE === 0xfeedfacf || magicLE === 0xfeedface) {
    return { kind: "binary", os: "darwin", cpus: [MACHO_CPUS[u32(4, true)] || "unknown"] };
  }
  if (u32(0, false) === 0xcafebabe) {
    // A universal binary: one slice per architecture, big-endian headers of 20 bytes.
    const count = u32(4, false);
    const cpus = [];
    for (let i = 0; i < count && 8 + i * 20 + 4 <= header.length; i++) {
      cpus.push(MACHO_CPUS[u32(8 + i * 20, false)] || "unknown");
    }
    if (count > 0 && count < 32) return { kind: "binary", os: "darwin", cpus };
  }
  if (header.length >= 64 && header[0] === 0x4d && header[1] === 0x5a) {
    const pe = u32(0x3c, true);
    if (pe >= 0 && u32(pe, false) === 0x50450000) {
      return { kind: "binary", os: "win32", cpus: [PE_MACHINES[u16(pe + 4, true)] || "unknown"] };
    }
  }
  return { kind: "unknown" };
}

/**
 * Whether a program described by `describeExecutable` can run on `target`: scripts always (the
 * system runs their interpreter); binaries of the same OS and CPU, and x64 ones on arm64 macOS
 * and Windows (Rosetta 2, Windows' x64 emulation).
 */
function canRun(described, target) {
  if (described.kind === "script") return true;
  if (described.kind !== "binary" || described.os !== target.os) return false;
  return described.cpus.some(
    (cpu) => cpu === target.cpu || (cpu === "x64" && target.cpu === "arm64" && (target.os === "darwin" || target.os === "win32")),
  );
}

module.exports = {
  PLATFORMS,
  canRun,
  describeExecutable,
  candidatesFor,
  currentTarget,
  describeTarget,
  detectLibc,
  missingPackageMessage,
  unsupportedMessage,
};
