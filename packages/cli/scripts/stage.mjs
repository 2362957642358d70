// Packaging helper for scripts/package-npm.sh (not shipped). Subcommands:
//
//   stage.mjs versions
//       Checks that the npm packages are in lock-step with the crate (Cargo.toml's
//       [workspace.package] version): @lunora/cli, every optionalDependency of it,
//       @lunora/container. Prints the version; exits 1 naming each drift.
//   stage.mjs current-target
//       Prints the Rust target triple of this machine's platform package.
//   stage.mjs targets
//       Prints the Rust target of every platform package, one a line.
//   stage.mjs known-target TRIPLE
//       Exits 1, listing the known ones, when no platform package is built for TRIPLE.
//   stage.mjs platform --target TRIPLE --binary PATH --out DIR
//       Writes the platform package for TRIPLE into DIR (a new directory) from
//       platform-template/, with the binary copied in, and prints DIR.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const platform = require("../lib/platform.js");
const cliDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(cliDir, "../..");

function fail(message) {
  process.stderr.write(`package-npm: ${message}\n`);
  process.exit(1);
}

/** `[workspace.package] version` of Cargo.toml: the one version of everything lunora ships. */
export function crateVersion() {
  const toml = readFileSync(join(repo, "Cargo.toml"), "utf8");
  const section = /^\[workspace\.package\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(toml);
  const version = section && /^version\s*=\s*"([^"]+)"/m.exec(section[1]);
  if (!version) fail("Cargo.toml has no [workspace.package] version");
  return version[1];
}

/** Every place a version or a platform name is written down, against the crate's version. */
export function versionDrift() {
  const version = crateVersion();
  const problems = [];
  const launcher = JSON.parse(readFileSync(join(cliDir, "package.json"), "utf8"));
  if (launcher.version !== version) {
    problems.push(`packages/cli/package.json has version ${launcher.version}`);
  }
  const optional = launcher.optionalDependencies || {};
  for (const [name, range] of Object.entries(optional)) {
    if (range !== version) problems.push(`packages/cli/package.json optionalDependencies ${name} is ${range}`);
  }
  const listed = Object.keys(optional).sort();
  const known = platform.PLATFORMS.map((p) => p.package).sort();
  if (JSON.stringify(listed) !== JSON.stringify(known)) {
    problems.push(
      `packages/cli/package.json optionalDependencies (${listed.join(", ")}) differ from packages/cli/platforms.json (${known.join(", ")})`,
    );
  }
  const runtime = JSON.parse(readFileSync(join(repo, "packages/container/package.json"), "utf8"));
  if (runtime.version !== version) {
    problems.push(`packages/container/package.json has version ${runtime.version}`);
  }
  return { version, problems };
}

function fill(value, vars) {
  if (typeof value === "string") return value.replace(/\$\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  if (Array.isArray(value)) return value.map((v) => fill(v, vars)).filter((v) => v !== "");
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const filled = fill(v, vars);
      // A field whose only placeholder is empty for this platform (`libc` off Linux) is left out.
      if (!(Array.isArray(filled) && filled.length === 0)) out[k] = filled;
    }
    return out;
  }
  return value;
}

function entryFor(triple) {
  const entry = platform.PLATFORMS.find((p) => p.target === triple);
  if (!entry) {
    fail(`no platform package for Rust target ${triple}; known: ${platform.PLATFORMS.map((p) => p.target).join(", ")}`);
  }
  return entry;
}

function stagePlatform(triple, binary, out) {
  const entry = entryFor(triple);
  if (!existsSync(binary)) fail(`the binary ${binary} does not exist`);
  if (existsSync(out) && readdirSync(out).length > 0) fail(`${out} is not empty`);
  mkdirSync(out, { recursive: true });
  const vars = {
    package: entry.package,
    version: crateVersion(),
    os: entry.os,
    cpu: entry.cpu,
    libc: entry.libc || "",
    bin: entry.bin,
    target: entry.target,
    abi: entry.abi,
    platform: platform.describeTarget(entry),
  };
  const template = join(cliDir, "platform-template");
  const manifest = fill(JSON.parse(readFileSync(join(template, "package.json"), "utf8")), vars);
  writeFileSync(join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(out, "README.md"), fill(readFileSync(join(template, "README.md"), "utf8"), vars));
  copyFileSync(binary, join(out, entry.bin));
  chmodSync(join(out, entry.bin), 0o755);
  process.stdout.write(`${out}\n`);
}

function option(args, name) {
  const at = args.indexOf(name);
  if (at < 0 || at + 1 >= args.length) fail(`missing ${name}`);
  return args[at + 1];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case "versions": {
      const { version, problems } = versionDrift();
      if (problems.length > 0) {
        fail(
          `the npm packages are not in lock-step with the crate (Cargo.toml: ${version}):\n  ${problems.join("\n  ")}\n` +
            "  fix: set every one of them to the crate's version",
        );
      }
      process.stdout.write(`${version}\n`);
      break;
    }
    case "current-target": {
      const target = platform.currentTarget();
      const [best] = platform.candidatesFor(target);
      if (!best) fail(platform.unsupportedMessage(target));
      process.stdout.write(`${best.target}\n`);
      break;
    }
    case "targets":
      process.stdout.write(platform.PLATFORMS.map((p) => `${p.target}\n`).join(""));
      break;
    case "known-target":
      entryFor(args[0]);
      break;
    case "platform":
      stagePlatform(option(args, "--target"), option(args, "--binary"), option(args, "--out"));
      break;
    default:
      fail(`unknown command ${command ?? "(none)"}; see the header of ${fileURLToPath(import.meta.url)}`);
  }
}
