#!/usr/bin/env bash
# Builds the npm packages of a lunora release into OUTDIR:
#
#   ./scripts/package-npm.sh OUTDIR          this machine's platform package (plus launcher, runtime)
#   ./scripts/package-npm.sh --all OUTDIR    all eight platform packages, cross-built from Linux x86-64
#
# writes, with `npm pack`,
#   lunora-cli-<version>.tgz                 @lunora/cli: the launcher (bin `lunora`), any platform
#   lunora-cli-<platform>-<version>.tgz      @lunora/cli-<platform>: the release binary for this
#                                            machine (e.g. linux-x64-gnu), with os/cpu/libc fields
#   lunora-container-<version>.tgz           @lunora/container: the runtime, built with tsc
#
# With no options it does the whole job: `cargo build --release` (fat LTO, several minutes on two
# cores), `npm ci` when the root node_modules is missing, the runtime's `npm run build` (in a
# staged copy under target/), then packs. It writes nothing else in the checkout. Options:
#   --binary PATH     package this already-built lunora binary instead of building one (CI's
#                     install test passes the binary `cargo test` built; the release job does not)
#   --target TRIPLE   build (or label the --binary) for this Rust target instead of this machine,
#                     e.g. aarch64-unknown-linux-gnu; `CARGO=cross` builds it with cross.
#   --all             build every platform of packages/cli/platforms.json on this machine (Linux
#                     x86-64): Linux x64/arm64 glibc (linked against glibc 2.17) and musl, macOS
#                     x64/arm64, Windows x64/arm64 for the GNU ABI (x86_64-pc-windows-gnu,
#                     aarch64-pc-windows-gnullvm; MSVC's linker and libraries cannot be had on
#                     Linux), all linked by zig through cargo-zigbuild. It installs the pinned
#                     tools it needs first (scripts/cross-tools.sh: Rust 1.95.0 and the targets,
#                     ziglang and cargo-zigbuild from PyPI in target/cross-tools/). Eight fat-LTO
#                     release builds: 30-60 minutes on two cores the first time. Prints `file` of
#                     each binary. Not part of ./scripts/test.sh; see scripts/test-platforms.sh.
#   --no-build        with --all: package the binaries an earlier --all left in
#                     target/<triple>/release as they are, without running cargo.
# Versions: Cargo.toml's [workspace.package] version is the one source; the script refuses to
# pack when packages/cli/package.json (its version and optionalDependencies) or
# packages/container/package.json say otherwise. Platform packages are stamped from
# packages/cli/platform-template/ and packages/cli/platforms.json (names, os/cpu/libc, targets).
#
# Releasing every platform (a CI matrix; each row runs this script natively where it can):
#   x86_64-unknown-linux-gnu     ubuntu-latest        ./scripts/package-npm.sh out
#   x86_64-unknown-linux-musl    ubuntu-latest        rustup target add x86_64-unknown-linux-musl;
#                                                     apt-get install musl-tools;
#                                                     ./scripts/package-npm.sh --target x86_64-unknown-linux-musl out
#   aarch64-unknown-linux-gnu    ubuntu-24.04-arm     ./scripts/package-npm.sh out
#                                (or on x64: CARGO=cross ./scripts/package-npm.sh --target aarch64-unknown-linux-gnu out)
#   aarch64-unknown-linux-musl   ubuntu-24.04-arm     as x86_64 musl, with the aarch64 target
#   x86_64-apple-darwin          macos-13             ./scripts/package-npm.sh out
#   aarch64-apple-darwin         macos-14             ./scripts/package-npm.sh out
#   x86_64-pc-windows-msvc       windows-latest       bash ./scripts/package-npm.sh out (Git Bash)
#   aarch64-pc-windows-msvc      windows-11-arm       bash ./scripts/package-npm.sh out
# Each row uploads its lunora-cli-<platform>-*.tgz as an artifact (the launcher and container
# tarballs are the same on every row; keep one). A final job, on a tag v<version> that equals
# the crate's version, downloads them all and publishes, platform packages first so the launcher
# never points at a missing one:
#   for t in lunora-cli-*-<version>.tgz; do npm publish "$t" --access public --provenance; done
#   npm publish lunora-container-<version>.tgz --access public --provenance
#   npm publish lunora-cli-<version>.tgz --access public --provenance
# `--all` builds every row from one Linux x86-64 machine instead (the release job may use either).
# Tested here: linux-x64-gnu installed like a user (tests/e2e/npm_install.rs); the linux-arm64-gnu
# binary under qemu and the win32-x64 one under wine (scripts/test-platforms.sh). The macOS and
# Windows arm64 binaries are built and checked with `file` only.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

binary=""
target=""
out=""
all=""
no_build=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) [ $# -ge 2 ] || usage; binary="$2"; shift 2 ;;
    --binary=*) binary="${1#*=}"; shift ;;
    --target) [ $# -ge 2 ] || usage; target="$2"; shift 2 ;;
    --target=*) target="${1#*=}"; shift ;;
    --all) all=1; shift ;;
    --no-build) no_build=1; shift ;;
    -h|--help) usage ;;
    -*) echo "package-npm: unknown option $1" >&2; usage ;;
    *) [ -z "$out" ] || usage; out="$1"; shift ;;
  esac
done
[ -n "$out" ] || usage
if [ -n "$all" ] && { [ -n "$binary" ] || [ -n "$target" ]; }; then
  echo "package-npm: --all builds every target itself; it takes no --binary or --target" >&2
  exit 2
fi

# Absolute paths before changing directory.
mkdir -p "$out"
out="$(cd "$out" && pwd)"
if [ -n "$binary" ]; then
  [ -f "$binary" ] || { echo "package-npm: --binary $binary does not exist" >&2; exit 1; }
  binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
fi
cd "$(dirname "$0")/.."
repo="$(pwd)"
started=$SECONDS
stage="node packages/cli/scripts/stage.mjs"

command -v node >/dev/null || { echo "package-npm: node is not on PATH (Node.js >= 20.3 is needed)" >&2; exit 1; }
command -v npm >/dev/null || { echo "package-npm: npm is not on PATH" >&2; exit 1; }

version="$($stage versions)"

if [ -n "$all" ]; then
  # shellcheck source=scripts/cross-tools.sh
  . "$repo/scripts/cross-tools.sh"
  mapfile -t targets < <($stage targets)
  echo "==> lunora $version for ${#targets[@]} platforms: ${targets[*]}"
  if [ -z "$no_build" ]; then
    cross_tools_install zig
    cross_build_release "${targets[@]}"
    echo "    built in $((SECONDS - started))s"
  fi
  binaries=()
  for t in "${targets[@]}"; do
    exe=""
    case "$t" in *windows*) exe=".exe" ;; esac
    b="$repo/target/$t/release/lunora$exe"
    [ -f "$b" ] || { echo "package-npm: the build left no $b" >&2; exit 1; }
    binaries+=("$b")
    printf '    %-28s %s\n' "$t" "$(file -b "$b" | cut -c1-100)"
    # The ones that run here must say the version they are packaged as.
    if reported="$("$b" --version 2>/dev/null)" && [ "$reported" != "lunora $version" ]; then
      echo "package-npm: $b reports \`$reported\`, but the packages are version $version" >&2
      exit 1
    fi
  done
else
  if [ -n "$target" ]; then
    $stage known-target "$target"
  else
    target="$($stage current-target)"
  fi
  exe=""
  case "$target" in *windows*) exe=".exe" ;; esac
  echo "==> lunora $version for $target"

  if [ -z "$binary" ]; then
    cargo_cmd="${CARGO:-cargo}"
    host="$(rustc -vV 2>/dev/null | sed -n 's/^host: //p' || true)"
    if [ "$target" = "$host" ]; then
      echo "==> $cargo_cmd build --release -p lunora-cli"
      # shellcheck disable=SC2086 # CARGO may be a command with arguments ("cargo +stable").
      $cargo_cmd build --release --locked -p lunora-cli
      binary="$repo/target/release/lunora$exe"
    else
      echo "==> $cargo_cmd build --release -p lunora-cli --target $target"
      # shellcheck disable=SC2086
      $cargo_cmd build --release --locked -p lunora-cli --target "$target"
      binary="$repo/target/$target/release/lunora$exe"
    fi
    build_seconds=$((SECONDS - started))
    echo "    built in ${build_seconds}s"
  fi

  # A binary that runs here must say the version it is packaged as (catches a stale --binary).
  if reported="$("$binary" --version 2>/dev/null)"; then
    if [ "$reported" != "lunora $version" ]; then
      echo "package-npm: $binary reports \`$reported\`, but the packages are version $version; rebuild it" >&2
      exit 1
    fi
  fi
  targets=("$target")
  binaries=("$binary")
fi

if [ ! -x node_modules/.bin/tsc ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Everything is staged under one temporary directory inside target/ (so the staged runtime
# resolves the root node_modules): packaging never rewrites a file of the checkout, which
# tests running at the same time may be reading.
mkdir -p target
work="$(mktemp -d "$repo/target/package-npm.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "==> build @lunora/container"
mkdir -p "$work/container"
(cd packages/container && cp -R package.json tsconfig.json src scripts "$work/container/")
(cd "$work/container" && npm run build --silent)

pack() {
  (cd "$1" && npm pack --pack-destination "$out" --loglevel=error | tail -n 1)
}
echo "==> npm pack"
written=()
written+=("$(pack "$repo/packages/cli")")
written+=("$(pack "$work/container")")
platform_tarballs=()
for i in "${!targets[@]}"; do
  platform_dir="$($stage platform --target "${targets[$i]}" --binary "${binaries[$i]}" --out "$work/platform-${targets[$i]}")"
  platform_tarballs+=("$(pack "$platform_dir")")
done
written+=("${platform_tarballs[@]}")
for f in "${written[@]}"; do
  printf '    %s/%s (%s)\n' "$out" "$f" "$(du -h "$out/$f" | cut -f1)"
done
echo "==> done in $((SECONDS - started))s; install into a project (the runtime as a dependency, so"
echo "    package.json names it by its tarball and \`lunora generate\` keeps that):"
if [ -n "$all" ]; then
  echo "    npm install -D $out/${written[0]} $out/lunora-cli-<platform>-$version.tgz"
  echo "      (<platform>: the machine's, e.g. linux-x64-gnu, darwin-arm64, win32-x64-msvc)"
else
  echo "    npm install -D $out/${written[0]} $out/${platform_tarballs[0]}"
fi
echo "    npm install $out/${written[1]}"
