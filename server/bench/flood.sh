#!/usr/bin/env bash
# A cached article page's latency while uncached conversions flood the server, in one run: wrk on the
# hot page alone (the anchor), then again while a second wrk asks the API for random articles in zh-HK
# (converted on every request). Prints p50/p99 and the during / alone ratios.
# Usage: server/bench/flood.sh [BINARY ...]  (default target/release/server; several are run in turn)
set -euo pipefail
cd "$(dirname "$0")/../.."
ARTICLES=${ARTICLES:-5000}
DURATION=${DURATION:-10}
PORT=${PORT:-3490}
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=(target/release/server)
WORK=$(mktemp -d)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
"${bins[0]}" generate --articles "$ARTICLES" --channels 10 > "$WORK/articles.jsonl"
cat > "$WORK/flood.lua" <<LUA
math.randomseed(7)
request = function()
  return wrk.format("GET", string.format("/api/articles/bench-%06d?variant=zh-HK", math.random(0, $ARTICLES - 1)))
end
LUA
lat() { awk '/ 50%/{p50=$2} / 99%/{p99=$2} /Requests\/sec/{rps=$2} END{print p50, p99, rps}' "$1"; }
ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v} else {sub(/s$/,"",v); print v*1000} }'; }
printf '| binary | hot p50 alone | hot p99 alone | hot p50 in flood | hot p99 in flood | p99 ratio | flood req/s |\n|---|---|---|---|---|---|---|\n'
for bin in "${bins[@]}"; do
  rm -f "$WORK"/db*
  export DATABASE_URL="sqlite://$WORK/db.sqlite"
  "$bin" import "$WORK/articles.jsonl" >/dev/null
  "$bin" serve --no-demo --site-addr "127.0.0.1:$PORT" 2>/dev/null &
  PID=$!
  until curl -fs "http://127.0.0.1:$PORT/" >/dev/null; do sleep 0.1; done
  hot="http://127.0.0.1:$PORT/articles/bench-000001"
  wrk -t1 -c16 -d2s "$hot" >/dev/null
  wrk -t1 -c16 -d"${DURATION}s" --latency "$hot" > "$WORK/alone.txt"
  wrk -t1 -c64 -d"$((DURATION + 2))s" -s "$WORK/flood.lua" "http://127.0.0.1:$PORT" > "$WORK/flood.txt" &
  FLOOD=$!
  sleep 1
  wrk -t1 -c16 -d"${DURATION}s" --latency "$hot" > "$WORK/during.txt"
  wait "$FLOOD"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  read -r a50 a99 _ < <(lat "$WORK/alone.txt")
  read -r d50 d99 _ < <(lat "$WORK/during.txt")
  frps=$(awk '/Requests\/sec/{print $2}' "$WORK/flood.txt")
  a99ms=$(ms "$a99"); d99ms=$(ms "$d99")
  printf '| %s | %s | %s | %s | %s | %.1f × | %s |\n' "$bin" "$a50" "$a99" "$d50" "$d99" \
    "$(echo "$d99ms / $a99ms" | bc -l)" "$frps"
done
