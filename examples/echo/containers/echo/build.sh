#!/bin/sh
# Builds the echo container's static binary (run it before `lunora dev`; needs gcc and a static
# libc, e.g. Debian's gcc + libc6-dev). The result targets the machine you build on: build on
# linux/amd64, as Cloudflare requires.
set -eu
cd "$(dirname "$0")"
gcc -O2 -static -o echo-server echo-server.c
echo "built $(pwd)/echo-server"
