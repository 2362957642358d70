#!/usr/bin/env bash
# The real-container suite: `lunora dev` (the real binary, the real wrangler, containers enabled)
# runs the app in tests/real-containers/app on a real Docker engine, and scenarios.mjs drives its
# containers through the generated handles. See README.md next to this file.
#
# Everything that carries traffic (dockerd, the containers, wrangler/workerd, the scenario client)
# runs in a network namespace this script creates and deletes; it has no route out.
#
# Prints one `skipped: <why>` line and exits 0 when the machine cannot run it (not root, no apt,
# packages not installable); LUNORA_REAL_CONTAINERS=required turns that into a failure,
# LUNORA_REAL_CONTAINERS=off skips on purpose. Otherwise it ends with `N passed, N failed` and
# exits non-zero when anything failed. KEEP_WORK=1 keeps the scratch directory (logs) afterwards.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
T0=$(date +%s%N)

elapsed() { local now; now=$(date +%s%N); printf '%d.%01d' $(((now - T0) / 1000000000)) $((((now - T0) / 100000000) % 10)); }
stamp() { printf '[%6ss] %s\n' "$(elapsed)" "$*"; }

skip() {
  echo "skipped: $*"
  if [ "${LUNORA_REAL_CONTAINERS:-}" = required ]; then
    echo "LUNORA_REAL_CONTAINERS=required: failing instead of skipping" >&2
    exit 1
  fi
  exit 0
}

[ "${LUNORA_REAL_CONTAINERS:-}" = off ] && skip "LUNORA_REAL_CONTAINERS=off"
[ "$(id -u)" = 0 ] || skip "the real-container suite needs root (it creates a network namespace and runs dockerd)"
command -v apt-get >/dev/null && command -v dpkg-query >/dev/null ||
  skip "the real-container suite installs Debian's docker.io with apt-get, which this machine does not have"
command -v ip >/dev/null && command -v nsenter >/dev/null || skip "the real-container suite needs \`ip\` (iproute2) and \`nsenter\` (util-linux)"

# ---------------------------------------------------------------- packages (exact versions)
# Debian 12's engine (Docker 20.10). /usr/local/bin/docker may be a newer client; the suite always
# uses Debian's /usr/bin/docker and /usr/sbin/dockerd.
PACKAGES=(
  docker.io=20.10.24+dfsg1-1+deb12u1+b6
  containerd=1.6.20~ds1-1+deb12u3
  runc=1.1.5+ds1-1+deb12u1
  tini=0.19.0-1+b3
  iptables=1.8.9-2
)
# The static test programs: gcc, and libc6-dev at exactly the installed libc6's version.
BUILD_PACKAGES=(gcc=4:12.2.0-3 "libc6-dev=$(dpkg-query -W -f='${Version}' libc6 2>/dev/null || echo missing)")
DOCKER=/usr/bin/docker
DOCKERD=/usr/sbin/dockerd

missing=()
for spec in "${PACKAGES[@]}"; do
  name=${spec%%=*} version=${spec#*=}
  [ "$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)" = "install ok installed $version" ] || missing+=("$spec")
done
{ command -v gcc >/dev/null && [ -e /usr/include/stdio.h ]; } || missing+=("${BUILD_PACKAGES[@]}")
if [ ${#missing[@]} -gt 0 ]; then
  stamp "installing ${missing[*]}"
  # docker.io's postinst would start dockerd in the host's network namespace: policy-rc.d
  # (exit 101) tells invoke-rc.d not to start services.
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  apt_log=$(mktemp "${TMPDIR:-/tmp}/lunora-rc-apt.XXXXXX")
  install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1; }
  if ! install; then
    apt-get update -qq >>"$apt_log" 2>&1 || true
    if ! install; then
      [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
      why=$(grep -E '^E:' "$apt_log" | head -1)
      rm -f "$apt_log"
      skip "could not install ${missing[*]}: ${why:-apt-get install failed}"
    fi
  fi
  rm -f "$apt_log"
  [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  stamp "installed $("$DOCKERD" --version)"
fi

# ---------------------------------------------------------------- the project's own parts
LUNORA="$ROOT/target/debug/lunora"
NODE_MODULES="$ROOT/node_modules"
[ -x "$NODE_MODULES/.bin/wrangler" ] || { echo "error: $NODE_MODULES/.bin/wrangler is missing: run \`npm ci\` in $ROOT first" >&2; exit 1; }
[ -f "$ROOT/packages/container/dist/do.js" ] || { echo "error: @lunora/container is not built: run \`npm run build\` in $ROOT first" >&2; exit 1; }
if [ ! -x "$LUNORA" ]; then
  stamp "building the lunora binary (cargo build -p lunora-cli)"
fi
# A no-op when it is fresh; rebuilds it when the sources changed since the last build.
(cd "$ROOT" && cargo build -q -p lunora-cli --locked) || { echo "error: cargo build -p lunora-cli failed" >&2; exit 1; }

# ---------------------------------------------------------------- scratch, namespace, teardown
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lunora-rc.XXXXXX")
NS="lunora-rc-$$"
IN_NS=(nsenter "--net=/run/netns/$NS")
export DOCKER_HOST="unix://$WORK/docker.sock"
DOCKERD_PID=
DEV_PID=
EXAMPLE_PID=
SCENARIOS_PID=
NS_CREATED=0

teardown() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  [ -n "$SCENARIOS_PID" ] && kill "$SCENARIOS_PID" 2>/dev/null
  # Each lunora dev with its wrangler and workerd: one process group (setsid). SIGINT first, as a
  # user would.
  local pid
  for pid in $DEV_PID $EXAMPLE_PID; do
    kill -0 "$pid" 2>/dev/null && kill -INT -- "-$pid" 2>/dev/null
  done
  for pid in $DEV_PID $EXAMPLE_PID; do
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null
  done
  if [ -n "$DOCKERD_PID" ]; then
    # wrangler removes its app containers on exit but leaves the `-proxy` sidecars behind.
    local ids
    ids=$("$DOCKER" ps -aq 2>/dev/null)
    [ -n "$ids" ] && "$DOCKER" rm -f $ids >/dev/null 2>&1
    kill "$DOCKERD_PID" 2>/dev/null # dockerd stops the containerd it started
    for _ in $(seq 60); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$DOCKERD_PID" 2>/dev/null
  fi
  # Mounts dockerd left under the scratch directory, deepest first.
  awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
  [ "$NS_CREATED" = 1 ] && ip netns del "$NS" 2>/dev/null
  if [ "${KEEP_WORK:-0}" = 1 ]; then
    rm -rf "$WORK/lib" "$WORK/exec"
    echo "kept $WORK (dev.log, dockerd.log, docker-shim.log)"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ip netns add "$NS"
NS_CREATED=1
ip -n "$NS" link set lo up

# ---------------------------------------------------------------- dockerd in the namespace
mkdir -p "$WORK"/{lib,exec,bin,sidecar,xdg,wrangler-logs}
for driver in overlay2 fuse-overlayfs vfs; do
  [ "$driver" = fuse-overlayfs ] && ! command -v fuse-overlayfs >/dev/null && continue
  # --bip: without it Docker 20.10's default bridge has no IPAM gateway and workerd cannot
  # start containers ("DNS lookup failed; params.host = ''").
  "${IN_NS[@]}" setsid "$DOCKERD" --data-root "$WORK/lib" --exec-root "$WORK/exec" -H "$DOCKER_HOST" \
    --pidfile "$WORK/dockerd.pid" --storage-driver "$driver" --bip 172.17.0.1/16 \
    >"$WORK/dockerd.log" 2>&1 </dev/null &
  DOCKERD_PID=$!
  for _ in $(seq 80); do
    "$DOCKER" info >/dev/null 2>&1 && break
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.25
  done
  "$DOCKER" info >/dev/null 2>&1 && break
  kill "$DOCKERD_PID" 2>/dev/null
  wait "$DOCKERD_PID" 2>/dev/null
  DOCKERD_PID=
done
if [ -z "$DOCKERD_PID" ]; then
  tail -20 "$WORK/dockerd.log" >&2
  echo "error: dockerd did not start with any storage driver (overlay2, fuse-overlayfs, vfs)" >&2
  exit 1
fi
stamp "dockerd up in netns $NS (storage driver $("$DOCKER" info -f '{{.Driver}}'))"

# ---------------------------------------------------------------- images, shim, app
# The egress sidecar stand-in (Docker Hub is unreachable; see images/egress-sidecar.c).
gcc -O2 -static -o "$WORK/sidecar/egress-sidecar" "$HERE/images/egress-sidecar.c"
cat >"$WORK/sidecar/Dockerfile" <<'EOF'
FROM scratch
COPY egress-sidecar /egress-sidecar
EXPOSE 39001
ENTRYPOINT ["/egress-sidecar"]
EOF
EGRESS_IMAGE=lunora-suite/proxy-everything:local
"$DOCKER" build -q -t "$EGRESS_IMAGE" "$WORK/sidecar" >/dev/null

# wrangler runs buildx-only flags (`--load`, `--provenance`) that Debian's docker has no use for,
# and always pulls the egress image: answer that from the local store.
cat >"$WORK/bin/docker" <<EOF
#!/bin/bash
REAL=$DOCKER
LOG=$WORK/docker-shim.log
EOF
cat >>"$WORK/bin/docker" <<'EOF'
printf '%s\n' "$*" >>"$LOG"
case "$1" in
  build)
    shift
    args=()
    for a in "$@"; do case "$a" in --load | --provenance=*) ;; *) args+=("$a") ;; esac; done
    exec "$REAL" build "${args[@]}" ;;
  pull)
    image=
    for a in "${@:2}"; do case "$a" in -* | linux/*) ;; *) image=$a ;; esac; done
    if [ -n "$image" ] && "$REAL" image inspect "$image" >/dev/null 2>&1; then exit 0; fi ;;
esac
exec "$REAL" "$@"
EOF
chmod +x "$WORK/bin/docker"

cp -r "$HERE/app" "$WORK/app"
ln -s "$NODE_MODULES" "$WORK/app/node_modules"
gcc -O2 -static -pthread -o "$WORK/app/containers/testserver/testserver" "$HERE/images/testserver.c"
stamp "images, docker shim and app ready"

export WRANGLER_DOCKER_BIN="$WORK/bin/docker" MINIFLARE_CONTAINER_EGRESS_IMAGE="$EGRESS_IMAGE" \
  CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false CI=true NO_COLOR=1 \
  XDG_CONFIG_HOME="$WORK/xdg" WRANGLER_LOG_PATH="$WORK/wrangler-logs" PATH="$WORK/bin:$PATH"

# The Secrets Store secret the echo container reads (wrangler's local store, under .wrangler/).
(cd "$WORK/app" && "$NODE_MODULES/.bin/wrangler" secrets-store secret create lunora-suite-store \
  --name suite-store-key --value store-secret-value --scopes workers >"$WORK/secrets-store.log" 2>&1) ||
  { cat "$WORK/secrets-store.log" >&2; echo "error: could not create the local Secrets Store secret" >&2; exit 1; }

# The echo example, as its README runs it (a copy, so nothing is written into the repository).
cp -r "$ROOT/examples/echo" "$WORK/example"
rm -rf "$WORK/example/lunora/_generated" "$WORK/example/.wrangler" "$WORK/example/node_modules"
ln -s "$NODE_MODULES" "$WORK/example/node_modules"
"$WORK/example/containers/echo/build.sh" >/dev/null

# ---------------------------------------------------------------- lunora dev (suite app + example)
PORT=8787
EXAMPLE_PORT=8788
start_dev() { # <root> <port> <inspector port> <log> <wrangler log dir>
  mkdir -p "$5"
  "${IN_NS[@]}" env WRANGLER_LOG_PATH="$5" setsid "$LUNORA" --root "$1" dev -- --ip 127.0.0.1 --port "$2" \
    --inspector-port "$3" --show-interactive-dev-session=false >"$4" 2>&1 </dev/null &
}
start_dev "$WORK/app" "$PORT" 9230 "$WORK/dev.log" "$WORK/wrangler-logs"
DEV_PID=$!
start_dev "$WORK/example" "$EXAMPLE_PORT" 9231 "$WORK/example-dev.log" "$WORK/example-wrangler-logs"
EXAMPLE_PID=$!
# Out of bash's job table: the SIGKILL scenario kills the example's lunora dev on purpose.
disown "$DEV_PID" "$EXAMPLE_PID"
for log in "$WORK/dev.log" "$WORK/example-dev.log"; do
  for _ in $(seq 480); do
    grep -q "Ready on" "$log" && break
    kill -0 "$DEV_PID" 2>/dev/null && kill -0 "$EXAMPLE_PID" 2>/dev/null || break
    sleep 0.25
  done
  if ! grep -q "Ready on" "$log"; then
    tail -40 "$log" >&2
    echo "error: lunora dev did not become ready ($log)" >&2
    exit 1
  fi
done
stamp "lunora dev ready (suite app and examples/echo)"

# ---------------------------------------------------------------- scenarios
if [ "${SUITE_HOLD:-0}" = 1 ]; then
  # For working on the suite: keep everything up until $WORK/hold is removed.
  touch "$WORK/hold"
  echo "holding: WORK=$WORK NS=$NS DOCKER_HOST=$DOCKER_HOST; rm $WORK/hold to tear down"
  while [ -e "$WORK/hold" ]; do sleep 1; done
  exit 0
fi
set +e
# In the background, so a signal to this script is handled at once (teardown stops it too).
"${IN_NS[@]}" env SUITE_URL="http://127.0.0.1:$PORT" SUITE_DEV_LOG="$WORK/dev.log" SUITE_WRANGLER_LOGS="$WORK/wrangler-logs" \
  SUITE_DOCKER="$DOCKER" SUITE_EXAMPLE_URL="http://127.0.0.1:$EXAMPLE_PORT" SUITE_EXAMPLE_DEV_LOG="$WORK/example-dev.log" \
  SUITE_EXAMPLE_DEV_PID="$EXAMPLE_PID" SUITE_APP="$WORK/app" node --experimental-websocket --no-warnings "$HERE/scenarios.mjs" &
SCENARIOS_PID=$!
wait "$SCENARIOS_PID"
result=$?
SCENARIOS_PID=
set -e
stamp "scenarios finished"
if [ "$result" != 0 ] && [ "${KEEP_WORK:-0}" != 1 ]; then
  echo "--- last lines of lunora dev's output ($WORK/dev.log)"
  tail -60 "$WORK/dev.log"
  echo "--- last lines of the example's lunora dev ($WORK/example-dev.log)"
  tail -20 "$WORK/example-dev.log"
fi
echo "real-container suite wall time: $(elapsed) s"
exit "$result"
