#!/usr/bin/env bash
# Runs the cross-built lunora binaries that this Linux x86-64 machine can run, and checks that
# they do exactly what the native one does:
#
#   ./scripts/test-platforms.sh
#
# * linux-arm64 (glibc and musl) under qemu-aarch64 (Debian's qemu-user; libc6-arm64-cross for
#   and libgcc-s1-arm64-cross for the glibc one's loader and libraries), linux-x64-musl natively, win32-x64 (GNU ABI) under
#   wine64 — each on a fresh copy of examples/transcoder:
#   `codegen` must write files byte-identical to the native build's (every file of the project
#   is compared), `codegen --check` must pass on that output (exit 0), and fail (exit 1) once
#   lunora/containers.ts changes.
# * The native build is `cargo build -p lunora-cli` (debug; what ./scripts/test.sh builds anyway).
#   The others are the release builds of `./scripts/package-npm.sh --all` (target/<triple>/release);
#   missing ones are built first with the same pinned toolchain (cargo-zigbuild, fat LTO: many
#   minutes on two cores the first time, then only what changed).
# * Tools: scripts/cross-tools.sh installs the pinned ones it lacks (root; apt-get, pip, rustup).
#   The macOS and Windows arm64 binaries cannot run here; package-npm.sh --all checks them with
#   `file` only.
#
# Prints `ok`/`FAIL` per platform and exits 1 when any failed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
started=$SECONDS
export NO_COLOR=1

# shellcheck source=scripts/cross-tools.sh
. scripts/cross-tools.sh

# name | Rust target | how to run its binary (the binary's path is appended)
platforms=(
  "linux-x64-musl|x86_64-unknown-linux-musl|"
  "linux-arm64-gnu|aarch64-unknown-linux-gnu|qemu-aarch64 -L /usr/aarch64-linux-gnu"
  "linux-arm64-musl|aarch64-unknown-linux-musl|qemu-aarch64"
  "win32-x64 (GNU ABI)|x86_64-pc-windows-gnu|wine64"
)

cross_tools_install run
if [ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || [ ! -e /usr/aarch64-linux-gnu/lib/libgcc_s.so.1 ]; then
  echo "==> apt-get install libc6-arm64-cross libgcc-s1-arm64-cross (arm64 glibc and libgcc_s for qemu, ~5 MB)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libc6-arm64-cross libgcc-s1-arm64-cross >/dev/null
fi
# Debian's wine64 package installs the loader outside PATH.
wine64() { WINEDEBUG=-all WINEPREFIX="$CROSS_TOOLS_DIR/wineprefix" /usr/lib/wine/wine64 "$@"; }
if [ ! -d "$CROSS_TOOLS_DIR/wineprefix" ]; then
  echo "==> creating the wine prefix $CROSS_TOOLS_DIR/wineprefix (about a minute, once)"
  wine64 wineboot --init >/dev/null 2>&1 || true
fi
# Wine 8 lacks bcryptprimitives.dll (ProcessPrng), which Rust's std loads on Windows 10 and later,
# where it always exists: a stand-in built from tests/wine/ goes into the test prefix only.
stand_in="$CROSS_TOOLS_DIR/wineprefix/drive_c/windows/system32/bcryptprimitives.dll"
if [ ! -f "$stand_in" ] || [ tests/wine/bcryptprimitives.c -nt "$stand_in" ]; then
  cross_tools_zig
  echo "==> building the wine stand-in for bcryptprimitives.dll (zig cc)"
  python3 -m ziglang cc -target x86_64-windows-gnu -shared -O2 -o "$stand_in" \
    tests/wine/bcryptprimitives.c -ladvapi32
fi

echo "==> cargo build -p lunora-cli (the native binary)"
cargo build --locked -q -p lunora-cli
native="$repo/target/debug/lunora"

missing=()
for p in "${platforms[@]}"; do
  IFS='|' read -r _ t _ <<<"$p"
  exe=""
  case "$t" in *windows*) exe=".exe" ;; esac
  [ -f "target/$t/release/lunora$exe" ] || missing+=("$t")
done
if [ ${#missing[@]} -gt 0 ]; then
  cross_tools_install zig
  cross_build_release "${missing[@]}"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/lunora-platforms.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# run DIR RUNNER BINARY ARGS...: runs lunora in DIR; prints its exit code.
run() {
  local dir="$1" runner="$2" binary="$3"
  shift 3
  local code=0
  if [ "$runner" = wine64 ]; then
    (cd "$dir" && wine64 "$binary" "$@") >"$dir.out" 2>&1 || code=$?
  else
    # shellcheck disable=SC2086 # the runner is a command with arguments
    (cd "$dir" && $runner "$binary" "$@") >"$dir.out" 2>&1 || code=$?
  fi
  echo "$code"
}

echo "==> native: codegen of examples/transcoder"
cp -R examples/transcoder "$work/native"
code="$(run "$work/native" "" "$native" codegen)"
[ "$code" = 0 ] || { cat "$work/native.out"; echo "FAIL native codegen exited $code" >&2; exit 1; }
[ -f "$work/native/lunora/_generated/containers.ts" ] || { echo "FAIL native codegen wrote nothing" >&2; exit 1; }

failed=0
for p in "${platforms[@]}"; do
  IFS='|' read -r name t runner <<<"$p"
  exe=""
  case "$t" in *windows*) exe=".exe" ;; esac
  binary="$repo/target/$t/release/lunora$exe"
  dir="$work/$t"
  cp -R examples/transcoder "$dir"
  problems=()
  code="$(run "$dir" "$runner" "$binary" codegen)"
  [ "$code" = 0 ] || problems+=("codegen exited $code: $(tail -n 3 "$dir.out")")
  if ! diff -r "$work/native" "$dir" >"$dir.diff"; then
    problems+=("its files differ from the native build's: $(head -n 20 "$dir.diff")")
  fi
  code="$(run "$dir" "$runner" "$binary" codegen --check)"
  [ "$code" = 0 ] || problems+=("codegen --check exited $code on fresh output: $(tail -n 3 "$dir.out")")
  sed -i 's/maxInstances: 5/maxInstances: 6/' "$dir/lunora/containers.ts"
  code="$(run "$dir" "$runner" "$binary" codegen --check)"
  [ "$code" = 1 ] || problems+=("codegen --check exited $code (not 1) on stale output")
  if [ ${#problems[@]} -eq 0 ]; then
    printf 'ok   %-22s %s: codegen byte-identical to native, --check 0 then 1\n' "$name" "${runner:-native}"
  else
    failed=1
    printf 'FAIL %-22s %s\n' "$name" "${runner:-native}"
    printf '     %s\n' "${problems[@]}"
  fi
done
echo "==> done in $((SECONDS - started))s"
exit "$failed"
