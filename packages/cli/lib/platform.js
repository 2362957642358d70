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

module.exports = {
  PLATFORMS,
  candidatesFor,
  currentTarget,
  describeTarget,
  detectLibc,
  missingPackageMessage,
  unsupportedMessage,
};
