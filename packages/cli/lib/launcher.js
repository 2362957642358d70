// The `lunora` command of @lunora/cli: finds the native binary and runs it as if it were
// `lunora` itself.
//
// Contract:
// * Binary: `LUNORA_BINARY` when set (non-empty; it must name an existing file, and not this
//   launcher: that would start itself without end), else the one in the platform package for
//   this OS, CPU and (on Linux) libc. Before it is started, its first bytes must show a program
//   this machine can run (a `#!` script, or a binary of this OS and CPU); another machine's binary
//   gets a `lunora:` message naming both (not whatever the system's fallback shell makes of it).
// * Launchers started inside one another (a LUNORA_BINARY script that runs `npx lunora` again)
//   stop at a depth of MAX_DEPTH with a message, instead of filling the machine with processes.
// * The binary gets the arguments, the environment, the working directory and the terminal
//   (inherited stdio) unchanged; on Linux, an argument that is not UTF-8 reaches it byte for byte
//   (Node itself would pass U+FFFD in its place).
// * Exit: the binary's exit code. When a signal killed it, the launcher kills itself with the
//   same signal (so a shell sees what it would have seen without the launcher), falling back to
//   exit code 128 + n.
// * Signals sent to the launcher (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR2) are passed on to the
//   binary, which decides when to exit; the launcher waits for it. Exception: on a terminal,
//   Ctrl-C and Ctrl-\ (SIGINT, SIGQUIT) already reach the binary, which shares the launcher's
//   foreground process group, so they are not sent a second time (Node cannot tell who sent a
//   signal, as the binary itself does with si_code; a terminal on stdin stands for "from the
//   keyboard").
// * The launcher's own failures print one `lunora:` message with a fix on stderr and exit 1.
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const tty = require("node:tty");
const platform = require("./platform.js");

const MAX_DEPTH = 8;
const DEPTH_VARIABLE = "LUNORA_LAUNCHER_DEPTH";
const LAUNCHER_FILE = path.join(__dirname, "..", "bin", "lunora.js");

const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR2"];
const KEYBOARD_SIGNALS = new Set(["SIGINT", "SIGQUIT"]);

class LaunchError extends Error {}

function launcherVersion() {
  return require("../package.json").version;
}

function realpathOrSelf(file) {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** Throws a LaunchError unless `file` starts like a program this machine can run. */
function checkRunnable(file, source, target = platform.currentTarget()) {
  let header = Buffer.alloc(0);
  try {
    const fd = fs.openSync(file, "r");
    try {
      header = Buffer.alloc(4096);
      header = header.subarray(0, fs.readSync(fd, header, 0, header.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return; // Unreadable: starting it reports why (EACCES and the like).
  }
  const described = platform.describeExecutable(header);
  if (platform.canRun(described, target)) return;
  // Windows also starts .cmd and .com files, which have no header to recognise.
  if (described.kind === "unknown" && target.os === "win32") return;
  const fix =
    source === "LUNORA_BINARY"
      ? "  fix: point LUNORA_BINARY at a lunora built for this machine, or unset it."
      : `  fix: reinstall ${source} on this machine (remove node_modules and install again; a node_modules copied from another machine holds that machine's binary).`;
  const what =
    described.kind === "binary"
      ? `a program for ${described.os}-${described.cpus.join("/")}`
      : "not a program this machine can run (neither a binary it knows nor a #! script)";
  throw new LaunchError(
    `lunora: ${file} (${source}) is ${what}; this machine is ${platform.describeTarget(target)}.\n${fix}`,
  );
}

/** `{ file, source }` of the binary to run, or a LaunchError saying why there is none. */
function resolveBinary(env = process.env) {
  const depth = Number.parseInt(env[DEPTH_VARIABLE] || "0", 10) || 0;
  if (depth >= MAX_DEPTH) {
    throw new LaunchError(
      `lunora: the lunora launcher is running inside itself ${depth} levels deep (${DEPTH_VARIABLE}=${depth}); ` +
        "something it starts runs `lunora` again.\n" +
        `  fix: point LUNORA_BINARY at the lunora binary itself, not at a script that runs \`lunora\` or \`npx lunora\` (LUNORA_BINARY=${env.LUNORA_BINARY || "(unset)"}).`,
    );
  }
  const override = env.LUNORA_BINARY;
  if (override) {
    const file = path.resolve(override);
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new LaunchError(
        `lunora: LUNORA_BINARY is set to ${override}, but there is no file there.\n` +
          "  fix: point LUNORA_BINARY at a lunora executable, or unset it to use the binary from @lunora/cli's platform package.",
      );
    }
    if (!stat.isFile()) {
      throw new LaunchError(
        `lunora: LUNORA_BINARY is set to ${override}, which is not a file.\n` +
          "  fix: point LUNORA_BINARY at the lunora executable itself (for example target/release/lunora).",
      );
    }
    if (realpathOrSelf(file) === realpathOrSelf(LAUNCHER_FILE)) {
      throw new LaunchError(
        `lunora: LUNORA_BINARY is set to ${override}, which is this launcher (${LAUNCHER_FILE}), not the lunora binary; running it would start itself again without end.\n` +
          "  fix: point LUNORA_BINARY at the native lunora executable (for example target/release/lunora), or unset it.",
      );
    }
    checkRunnable(file, "LUNORA_BINARY");
    return { file, source: "LUNORA_BINARY" };
  }

  const target = platform.currentTarget();
  const candidates = platform.candidatesFor(target);
  if (candidates.length === 0) throw new LaunchError(platform.unsupportedMessage(target));
  const version = launcherVersion();
  for (const entry of candidates) {
    let manifestPath;
    try {
      manifestPath = require.resolve(`${entry.package}/package.json`, { paths: [__dirname] });
    } catch {
      continue;
    }
    const file = path.join(path.dirname(manifestPath), entry.bin);
    if (!fs.existsSync(file)) {
      throw new LaunchError(
        `lunora: ${entry.package} is installed (${path.dirname(manifestPath)}) but holds no ${entry.bin}.\n` +
          "  fix: reinstall it (remove node_modules and run your package manager's install again).",
      );
    }
    const installed = require(manifestPath).version;
    if (installed !== version) {
      process.stderr.write(
        `lunora: warning: @lunora/cli is ${version} but ${entry.package} is ${installed}; ` +
          "reinstall so both are the same version.\n",
      );
    }
    checkRunnable(file, entry.package, target);
    return { file, source: entry.package };
  }
  throw new LaunchError(platform.missingPackageMessage(target, candidates[0], version));
}

/**
 * The last `count` arguments this process was started with, as the bytes the system passed
 * (Linux, from /proc/self/cmdline), or null where they cannot be read or do not match argv.
 */
function rawArguments(count) {
  if (process.platform !== "linux" || count === 0) return null;
  let data;
  try {
    data = fs.readFileSync("/proc/self/cmdline");
  } catch {
    return null;
  }
  const parts = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) {
      parts.push(data.subarray(start, i));
      start = i + 1;
    }
  }
  if (parts.length < count) return null;
  const raw = parts.slice(parts.length - count);
  const argv = process.argv.slice(process.argv.length - count);
  // Decoded as Node decodes them, they must be argv itself (else the table is not what we think).
  return raw.every((bytes, i) => bytes.toString("utf8") === argv[i]) ? raw : null;
}

function isUtf8(bytes) {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * `[program, args]` that start `file` with `args`: directly, or — when an argument this process
 * got is not UTF-8, which Node cannot pass on — through `/bin/sh`, which rebuilds each argument
 * from octal escapes and then `exec`s the binary (same process, so signals and the exit status
 * are the binary's).
 */
function commandLine(file, args) {
  const raw = sameArgs(args) ? rawArguments(args.length) : null;
  if (!raw || raw.every(isUtf8)) return [file, args];
  const lines = raw.map((bytes, i) => {
    const escaped = Array.from(bytes, (b) => `\\${b.toString(8).padStart(3, "0")}`).join("");
    // The trailing `_` keeps trailing newlines, which $(…) would drop.
    return `a${i}=$(printf '${escaped}_'); a${i}=\${a${i}%_}`;
  });
  const script = `${lines.join("\n")}\nexec "$0" ${raw.map((_, i) => `"$a${i}"`).join(" ")}`;
  return ["/bin/sh", ["-c", script, file]];
}

function sameArgs(args) {
  const own = process.argv.slice(2);
  return args.length === own.length && args.every((a, i) => a === own[i]);
}

/** Runs the binary with `args`; resolves never (the process exits with the binary's status). */
function run(args = process.argv.slice(2)) {
  let binary;
  try {
    binary = resolveBinary();
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }

  // Handlers first: from here on a signal no longer kills the launcher (Node's default, which
  // would orphan the binary). Their callbacks run on the event loop, so after `spawn` below.
  let child = null;
  // isatty, not process.stdin: creating Node's stdin stream would make the terminal, which the
  // binary shares, non-blocking.
  const onTerminal = tty.isatty(0);
  const forwarders = new Map();
  for (const signal of FORWARDED_SIGNALS) {
    if (process.platform === "win32" && signal !== "SIGINT") continue;
    const forward = () => {
      // On Windows Ctrl-C already reaches the binary (one console); the launcher only waits.
      if (process.platform === "win32") return;
      if (onTerminal && KEYBOARD_SIGNALS.has(signal)) return;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    forwarders.set(signal, forward);
    process.on(signal, forward);
  }

  const [program, programArgs] = commandLine(binary.file, args);
  const depth = (Number.parseInt(process.env[DEPTH_VARIABLE] || "0", 10) || 0) + 1;
  child = spawn(program, programArgs, {
    stdio: "inherit",
    env: { ...process.env, [DEPTH_VARIABLE]: String(depth) },
  });

  child.on("error", (error) => {
    const hint =
      error.code === "EACCES"
        ? "  fix: make it executable (chmod +x), or reinstall the package."
        : "  fix: check that it is a lunora binary built for this machine.";
    process.stderr.write(`lunora: could not run ${binary.file} (${binary.source}): ${error.message}\n${hint}\n`);
    process.exit(1);
  });

  child.on("exit", (code, signal) => {
    for (const [name, forward] of forwarders) process.off(name, forward);
    if (signal) {
      // Die the way the binary died; if that signal does not end a Node process, exit 128 + n.
      process.exitCode = 128 + (os.constants.signals[signal] || 0);
      try {
        process.kill(process.pid, signal);
      } catch {
        // Not deliverable here: the exit code above stands.
      }
      return;
    }
    process.exit(code === null ? 1 : code);
  });
}

module.exports = { LaunchError, checkRunnable, commandLine, resolveBinary, run, MAX_DEPTH };
