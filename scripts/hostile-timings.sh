#!/usr/bin/env bash
# Times every hostile input of crates/parser/tests/support/hostile.rs through the containers.ts
# parser and the worker-entry parser, each in its own process under a timeout (default 60 s), and
# prints one line per case. A measurement script, not a test: the tests assert outcomes only.
#   scripts/hostile-timings.sh [timeout-seconds]
set -uo pipefail
cd "$(dirname "$0")/.."
limit="${1:-60}"
cargo build --release --quiet -p lunora-parser --example hostile_timings || exit 1
bin=target/release/examples/hostile_timings
exprs="nested-arrows nested-templates unary-minus type-assertions not-chain typeof-chain await-chain
new-chain binary-chain exponent-chain conditional-chain assignment-chain member-chain call-chain
many-keys many-elements nested-arrays assertions-at-limit comparisons-at-limit comparison-args-at-limit"
run() {
  # Cap memory: the exponential cases must not take the shared machine down with them.
  ulimit -v 4000000
  local out rc
  out=$(timeout "$limit" "$bin" "$1" "$2" 2>&1); rc=$?
  if [ $rc -eq 124 ]; then printf '%-20s %-10s  timed out after %s s\n' "$1" "$2" "$limit"
  elif [ $rc -ne 0 ]; then printf '%-20s %-10s  died (exit %s): %s\n' "$1" "$2" "$rc" "$(echo "$out" | tail -1 | cut -c1-80)"
  else echo "$out"; fi
}
for c in $exprs; do run "$c" containers; done
for c in doubling-spreads doubling-templates doubling-arrays many-containers many-secrets many-aliases mutated-alias-chain assertion-statements; do run "$c" containers; done
for c in $exprs; do run "$c" entry; done
