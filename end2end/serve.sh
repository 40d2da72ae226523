#!/usr/bin/env bash
# Runs the release binary alone in an empty folder, as a deployer would; the folder goes when it stops.
# With PORTAL_IMPORT, that file is imported first (and no demo content is written).
set -euo pipefail
bin="$(realpath "${PORTAL_BIN:-$(dirname "$0")/../target/release/server}")"
dir="$(mktemp -d "${TMPDIR:-/tmp}/portal-e2e-XXXXXX")"
pid=""
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid"; rm -rf "$dir"' EXIT TERM INT
cp "$bin" "$dir/server"
cd "$dir"
if [ -n "${PORTAL_IMPORT:-}" ]; then
  ./server import "$PORTAL_IMPORT" >/dev/null
fi
./server &
pid=$!
wait "$pid"
