# Pinned cross-compilation and emulation tools for building lunora for every platform in
# packages/cli/platforms.json from one Linux x86-64 machine. Sourced (not run) by
# scripts/package-npm.sh --all and scripts/test-platforms.sh:
#
#   . scripts/cross-tools.sh
#   cross_tools_install zig     # zig + cargo-zigbuild (PyPI, in a venv under target/), Rust targets
#   cross_tools_install run     # + qemu-user (qemu-aarch64) and wine64 (Debian)
#
# Each step checks first and only installs what is missing, saying what it does: the first run on
# a fresh machine downloads about 500 MB (zig, wine) and takes a few minutes.
#
# Pins (one place): the Rust toolchain the cross builds use, zig and cargo-zigbuild from PyPI, and
# the Debian 12 packages (their exact versions are printed; apt serves the archive's current one).

CROSS_RUST_TOOLCHAIN="${CROSS_RUST_TOOLCHAIN:-1.95.0}"
ZIGLANG_VERSION="0.14.1"
CARGO_ZIGBUILD_VERSION="0.24.1"
CROSS_DEBIAN_PACKAGES_RUN=(qemu-user wine64)

# Every Rust target of packages/cli/platforms.json (the Windows ones for the GNU ABI: MSVC's
# linker and libraries cannot be had on Linux).
CROSS_RUST_TARGETS=(
  x86_64-unknown-linux-gnu
  x86_64-unknown-linux-musl
  aarch64-unknown-linux-gnu
  aarch64-unknown-linux-musl
  x86_64-apple-darwin
  aarch64-apple-darwin
  x86_64-pc-windows-gnu
  aarch64-pc-windows-gnullvm
)

_cross_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CROSS_TOOLS_DIR="${CROSS_TOOLS_DIR:-$_cross_repo/target/cross-tools}"

_cross_say() { printf '==> %s\n' "$*" >&2; }

# Adds the Rust targets in TARGETS... to the pinned toolchain (installing it if needed).
cross_tools_rust_targets() {
  command -v rustup >/dev/null || { echo "cross-tools: rustup is not on PATH (https://rustup.rs)" >&2; return 1; }
  if ! rustup toolchain list | grep -q "^$CROSS_RUST_TOOLCHAIN-"; then
    _cross_say "rustup toolchain install $CROSS_RUST_TOOLCHAIN (a few minutes the first time)"
    rustup toolchain install --profile minimal "$CROSS_RUST_TOOLCHAIN" >&2 || return 1
  fi
  local installed missing=()
  installed="$(rustup target list --installed --toolchain "$CROSS_RUST_TOOLCHAIN")"
  for t in "$@"; do
    grep -qx "$t" <<<"$installed" || missing+=("$t")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    _cross_say "rustup target add ${missing[*]} (toolchain $CROSS_RUST_TOOLCHAIN; ~30 MB each)"
    rustup target add --toolchain "$CROSS_RUST_TOOLCHAIN" "${missing[@]}" >&2 || return 1
  fi
}

# zig and cargo-zigbuild at their pins, in a venv; puts both on PATH.
cross_tools_zig() {
  local venv="$CROSS_TOOLS_DIR/venv"
  local stamp="$venv/.pins-$ZIGLANG_VERSION-$CARGO_ZIGBUILD_VERSION"
  if [ ! -f "$stamp" ]; then
    command -v python3 >/dev/null || { echo "cross-tools: python3 is needed for zig and cargo-zigbuild (PyPI)" >&2; return 1; }
    _cross_say "pip install ziglang==$ZIGLANG_VERSION cargo-zigbuild==$CARGO_ZIGBUILD_VERSION into $venv (~50 MB, a minute)"
    rm -rf "$venv"
    python3 -m venv "$venv" >&2 || return 1
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
      "ziglang==$ZIGLANG_VERSION" "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION" >&2 || return 1
    touch "$stamp"
  fi
  # cargo-zigbuild finds zig as `python3 -m ziglang` of the venv's python.
  export PATH="$venv/bin:$PATH"
  command -v cargo-zigbuild >/dev/null || { echo "cross-tools: cargo-zigbuild did not install" >&2; return 1; }
}

# qemu-aarch64 and wine64 from Debian.
cross_tools_run() {
  local missing=()
  command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
  command -v wine64 >/dev/null || [ -x /usr/lib/wine/wine64 ] || missing+=(wine64)
  if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || { echo "cross-tools: install ${missing[*]} (Debian/Ubuntu packages) by hand" >&2; return 1; }
    [ "$(id -u)" = 0 ] || { echo "cross-tools: installing ${missing[*]} needs root (apt-get)" >&2; return 1; }
    _cross_say "apt-get install ${missing[*]} (~400 MB with wine, a few minutes)"
    mkdir -p "$CROSS_TOOLS_DIR"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends "${missing[@]}"; } >"$CROSS_TOOLS_DIR/apt.log" 2>&1; then
      tail -n 20 "$CROSS_TOOLS_DIR/apt.log" >&2
      echo "cross-tools: apt-get install ${missing[*]} failed (log: $CROSS_TOOLS_DIR/apt.log)" >&2
      return 1
    fi
  fi
  for p in "${CROSS_DEBIAN_PACKAGES_RUN[@]}"; do
    printf '    %s %s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo '?')" >&2
  done
}

cross_tools_install() {
  case "$1" in
    zig) cross_tools_zig && cross_tools_rust_targets "${CROSS_RUST_TARGETS[@]}" ;;
    run) cross_tools_zig && cross_tools_rust_targets "${CROSS_RUST_TARGETS[@]}" && cross_tools_run ;;
    *) echo "cross_tools_install: zig or run" >&2; return 2 ;;
  esac
}

# The glibc the Linux gnu binaries are linked against (zig links to this version's symbols, so the
# binary runs on any distribution with this glibc or newer: CentOS 7, Debian 8, Ubuntu 14.04 on).
CROSS_GLIBC_VERSION="2.17"

# The cargo-zigbuild target for Rust target $1 (a glibc version suffix on the gnu Linux ones).
cross_zig_target() {
  case "$1" in
    *-unknown-linux-gnu) printf '%s.%s\n' "$1" "$CROSS_GLIBC_VERSION" ;;
    *) printf '%s\n' "$1" ;;
  esac
}

# Builds the release lunora for every Rust target given, in one cargo run (so the host-side build
# scripts and proc macros compile once), with the pinned toolchain and zig as linker. Binaries:
# target/<triple>/release/lunora[.exe].
cross_build_release() {
  local args=()
  for t in "$@"; do args+=(--target "$(cross_zig_target "$t")"); done
  _cross_say "cargo zigbuild --release -p lunora-cli for $# targets (Rust $CROSS_RUST_TOOLCHAIN, zig $ZIGLANG_VERSION)"
  _cross_say "  fat LTO: the first build takes 30-60 minutes on two cores; later ones only relink what changed"
  RUSTUP_TOOLCHAIN="$CROSS_RUST_TOOLCHAIN" cargo-zigbuild zigbuild --release --locked -p lunora-cli "${args[@]}"
}

# `cargo check` of lunora-cli for the Rust targets given, warnings as errors: the platform code of
# those systems compiles (zig is the C compiler of the build scripts that compile C, e.g. psm).
# Cheap next to a build: nothing is linked or optimised.
cross_check() {
  cross_tools_zig && cross_tools_rust_targets "$@" || return 1
  local args=()
  for t in "$@"; do args+=(--target "$t"); done
  RUSTFLAGS="-D warnings" RUSTUP_TOOLCHAIN="$CROSS_RUST_TOOLCHAIN" \
    cargo-zigbuild check --locked -q -p lunora-cli "${args[@]}"
}
