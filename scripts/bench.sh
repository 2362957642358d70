#!/usr/bin/env bash
# The benchmark: builds the release binary, then times `lunora codegen` (after an edit, --check,
# --watch) and `wrangler types` on generated 1/10/100/1,000-container apps, and the first
# reconcile at 1,000 and 20,000 containers, and writes BENCHMARKS.md stamped with the commit it
# measured. Runs only on a committed tree; exits 1 when a target is missed. Extra arguments go to
# scripts/bench.py (see `--help`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "$(git status --porcelain --untracked-files=normal)" && " $* " != *" --allow-dirty "* ]]; then
  echo "bench.sh: the working tree has uncommitted changes; commit them first (BENCHMARKS.md names the commit it measured)" >&2
  git status --short >&2
  exit 2
fi
cargo build --release --locked -p lunora-cli
exec python3 scripts/bench.py "$@"
