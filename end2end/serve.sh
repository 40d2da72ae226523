#!/usr/bin/env bash
# Runs the release binary alone in an empty folder, as a deployer would; the folder goes when it stops.
set -euo pipefail
bin="$(realpath "${PORTAL_BIN:-$(dirname "$0")/../target/release/server}")"
dir="$(mktemp -d "${TMPDIR:-/tmp}/portal-e2e-XXXXXX")"
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; rm -rf "$dir"' EXIT TERM INT
cp "$bin" "$dir/server"
cd "$dir"
./server &
pid=$!
wait "$pid"
