#!/usr/bin/env bash
# Runs one fuzz target for a fixed time at the lowest priority and appends what happened to
# fuzz/runs.log (UTC start time, commit, target, seconds, executions, corpus size, result). The log is
# committed: fuzz/README.md cites it instead of quoting numbers.
#   fuzz/run.sh <target> <seconds>        e.g. fuzz/run.sh entry 600
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`); RUSTC_BOOTSTRAP=1 lets it use the
# nightly-only flags on stable rustc.
set -uo pipefail
cd "$(dirname "$0")"
target="${1:?target: parser, reconciler, entry, generate, dockerfile or ownership}"
seconds="${2:?seconds}"
mkdir -p "work/$target"
out="$(mktemp)"
commit="$(git rev-parse --short HEAD)"
# Code that differs from the commit (the log itself and new corpus files aside).
if ! git diff --quiet HEAD -- ../crates ../templates checks fuzz_targets Cargo.toml; then
  commit="$commit+uncommitted"
fi
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run "$target" "work/$target" "corpus/$target" -- \
  -max_total_time="$seconds" -print_final_stats=1 >"$out" 2>&1
rc=$?
# The output quotes fuzz inputs, so it is binary: grep -a.
execs="$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$out" | grep -o '[0-9]*$' | tail -1)"
units="$(grep -ao 'corp: [0-9]*' "$out" | tail -1 | grep -o '[0-9]*$')"
if [ "$rc" -eq 0 ]; then
  result="no crash"
else
  artifact="$(grep -ao "artifacts/$target/[a-z]*-[0-9a-f]*" "$out" | tail -1)"
  result="exit $rc: ${artifact:-see the output}"
  grep -a -A12 'panicked at' "$out" | head -40 >&2
fi
printf '%s\t%s\t%s\t%ss\t%s executions\t%s corpus units\t%s\n' \
  "$started" "$commit" "$target" "$seconds" "${execs:-?}" "${units:-?}" "$result" \
  | tee -a runs.log
rm -f "$out"
exit "$rc"
