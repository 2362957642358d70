// The `lunora` command of @lunora/cli: finds the native binary and runs it as if it were
// `lunora` itself.
//
// Contract:
// * Binary: `LUNORA_BINARY` when set (non-empty; it must name an existing file), else the one in
//   the platform package for this OS, CPU and (on Linux) libc.
// * The binary gets the arguments, the environment, the working directory and the terminal
//   (inherited stdio) unchanged.
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

const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR2"];
const KEYBOARD_SIGNALS = new Set(["SIGINT", "SIGQUIT"]);

class LaunchError extends Error {}

function launcherVersion() {
  return require("../package.json").version;
}

/** `{ file, source }` of the binary to run, or a LaunchError saying why there is none. */
function resolveBinary(env = process.env) {
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
    return { file, source: entry.package };
  }
  throw new LaunchError(platform.missingPackageMessage(target, candidates[0], version));
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

  child = spawn(binary.file, args, { stdio: "inherit" });

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

module.exports = { LaunchError, resolveBinary, run };
