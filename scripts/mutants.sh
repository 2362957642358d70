#!/usr/bin/env bash
# Mutation testing of the code that protects user data: the wrangler config reconciler and its
# typed migration edits (crates/wrangler-config/src/{reconcile,scope,edit,facts,class_edits}.rs) and the ownership
# record and rename detection (crates/project/src/{manifest,renames}.rs, manifest/evidence.rs).
#
# Each file is tested with its own crate's tests only, not the whole workspace: the stricter
# measure (lunora-project's and the CLI's e2e tests would catch more) and the only one that fits
# a small shared machine (adding lunora-project's tests relinks its swc-heavy test binaries per
# mutant: the first such build took over 15 minutes there). wrangler-config's `wrangler_accepts`
# test (the real wrangler on every fixture) is skipped; the other tests compare those fixtures.
# Results: mutants.out/<group>/mutants.out/{caught,missed,timeout,unviable}.txt; see docs/mutants.md.
# Not run by scripts/test.sh. Usage: scripts/mutants.sh [wrangler-config|project]...
# MUTANTS_EXTRA=--iterate reruns only what the last run did not catch (the first run is kept in
# mutants.out.old); scripts/mutants-summary.py prints the per-file table of docs/mutants.md.
set -euo pipefail
cd "$(dirname "$0")/.."

run_group() {
    local group=$1 package=$2
    shift 2
    local files=()
    for f in "$@"; do files+=(--file "$f"); done
    mkdir -p "mutants.out/$group"
    cargo mutants --jobs 1 --timeout 180 --build-timeout 900 \
        --test-workspace=false --test-package "$package" \
        --output "mutants.out/$group" ${MUTANTS_EXTRA:-} "${files[@]}" \
        -- -- --skip wrangler_accepts_every_reconciled_fixture || true
    echo "== $group: $(for k in caught missed timeout unviable; do
        printf '%s %s  ' "$k" "$(wc -l < "mutants.out/$group/mutants.out/$k.txt" 2>/dev/null || echo 0)"; done)"
}

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(wrangler-config project)
for g in "${groups[@]}"; do
    case $g in
        wrangler-config) run_group wrangler-config lunora-wrangler-config \
            crates/wrangler-config/src/scope.rs crates/wrangler-config/src/reconcile.rs \
            crates/wrangler-config/src/edit.rs crates/wrangler-config/src/facts.rs \
            crates/wrangler-config/src/class_edits.rs ;;
        project) run_group project lunora-project \
            crates/project/src/manifest.rs crates/project/src/manifest/evidence.rs \
            crates/project/src/renames.rs ;;
        *) echo "unknown group $g (wrangler-config, project)" >&2; exit 2 ;;
    esac
done
