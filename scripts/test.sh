#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs the pinned npm toolchain
# (package-lock.json), builds @lunora/container, then the Rust workspace tests (parser,
# codegen, reconciler, CLI end-to-end against the real tsc and wrangler, and an install like a
# user's: scripts/package-npm.sh's tarballs `npm install`ed into a fresh project and run through
# `npx lunora`), a `cargo check` of a macOS and a Windows target, the runtime tests (unit tests
# and a test inside the real Workers runtime), the @lunora/cli launcher's unit tests, then the
# real-container suite (a Docker engine in a private network namespace under `lunora dev`; it
# prints `skipped: <why>` where the machine cannot run it, see tests/real-containers/README.md).
# Building and running every platform's binary is ./scripts/test-platforms.sh, not run here.
set -euo pipefail
cd "$(dirname "$0")/.."

export WRANGLER_SEND_METRICS=false
export NO_COLOR=1

echo "==> npm ci"
npm ci --no-audit --no-fund --loglevel=error

echo "==> build @lunora/container"
npm run build --silent

echo "==> cargo test"
cargo test --workspace --locked

# The platform code of macOS and Windows compiles (scripts/cross-tools.sh installs the pinned zig
# and Rust targets it needs; a cold check of both takes about two minutes on two cores).
echo "==> cargo check --target aarch64-apple-darwin --target x86_64-pc-windows-gnu"
check_started=$SECONDS
bash -c '. scripts/cross-tools.sh && cross_check aarch64-apple-darwin x86_64-pc-windows-gnu'
echo "    checked in $((SECONDS - check_started))s"

echo "==> @lunora/container tests"
npm test --workspace @lunora/container

echo "==> @lunora/cli launcher tests"
node --test packages/cli/test/

echo "==> real-container suite (tests/real-containers)"
./tests/real-containers/run.sh
