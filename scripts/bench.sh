#!/usr/bin/env bash
# The benchmark: builds the release binary, then times `lunora codegen` (after an edit, --check,
# --watch) and `wrangler types` on generated 1/10/100/1,000-container apps and writes
# BENCHMARKS.md. Extra arguments go to scripts/bench.py (see `--help`).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p lunora-cli
exec python3 scripts/bench.py "$@"
