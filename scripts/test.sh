#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs the pinned npm toolchain
# (package-lock.json), builds @lunora/container, then the Rust workspace tests (parser,
# codegen, reconciler, CLI end-to-end against the real tsc and wrangler, and an install like a
# user's: scripts/package-npm.sh's tarballs `npm install`ed into a fresh project and run through
# `npx lunora`), the runtime tests (unit tests and a test inside the real Workers runtime), the
# @lunora/cli launcher's unit tests, then the real-container suite (a Docker engine in a private
# network namespace under `lunora dev`; it prints `skipped: <why>` where the machine cannot run it,
# see tests/real-containers/README.md).
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

echo "==> @lunora/container tests"
npm test --workspace @lunora/container

echo "==> @lunora/cli launcher tests"
node --test packages/cli/test/

echo "==> real-container suite (tests/real-containers)"
./tests/real-containers/run.sh
