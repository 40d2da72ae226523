#!/usr/bin/env bash
# Two builds of the server side by side, in one run: the hot page (identity and brotli), the long
# tail (every article in every variant from the page store, uniform random) and peak RSS, each
# measured on both, alternating, and printed as ratios of the second to the first.
# Usage: server/bench/compare.sh BEFORE_BINARY [AFTER_BINARY]  (AFTER defaults to this tree's
# release build; ARTICLES=20000 DURATION=10 ROUNDS=3 TAIL=uniform|zipf to change the defaults).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BEFORE=$(realpath "${1:?usage: $0 BEFORE_BINARY [AFTER_BINARY]}")
AFTER=$(realpath "${2:-target/release/server}")
ARTICLES=${ARTICLES:-20000}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=64
SEED=mz-fzyjzx-gzdt-20220512-01
TAIL=${TAIL:-uniform}
case $TAIL in uniform|zipf) ;; *) echo "TAIL is uniform or zipf" >&2; exit 1 ;; esac
. server/bench/common.sh
command -v wrk >/dev/null || { echo "wrk is needed (Debian: wrk)" >&2; exit 1; }

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

# One directory per build: its binary, database and page store; the same articles in each.
"$AFTER" generate --articles "$ARTICLES" > "$WORK/bench.jsonl"
for side in before after; do
  mkdir -p "$WORK/$side"
  bin=$BEFORE; [ $side = after ] && bin=$AFTER
  cp "$bin" "$WORK/$side/server"
  (
    cd "$WORK/$side"
    export DATABASE_URL="sqlite://$WORK/$side/bench.db" PAGE_STORE_MB=16384
    ./server import "$ROOT/server/data/meizhou-article.jsonl" >/dev/null 2>&1
    ./server import "$WORK/bench.jsonl" >/dev/null 2>&1
    echo "$side: server render --all…" >&2
    ./server render --all >/dev/null 2>&1
  )
done

# The renders' writes reach the disk before anything is measured (else the system's writeback
# stalls whichever build is measured first).
sync
declare -A PORT=([before]=3490 [after]=3491)
start() {
  local side=$1
  (
    cd "$WORK/$side"
    DATABASE_URL="sqlite://$WORK/$side/bench.db" PAGE_STORE_MB=16384 \
      exec ./server --no-demo --site-addr "127.0.0.1:${PORT[$side]}" >server.log 2>&1
  ) &
  PIDS+=($!)
  eval "PID_$side=$!"
  until curl -fs -o /dev/null "http://127.0.0.1:${PORT[$side]}/"; do sleep 0.01; done
}
stop() {
  local pid; eval "pid=\$PID_$1"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}
rss_mb() { # peak resident set of the side's server, MiB
  local pid; eval "pid=\$PID_$1"
  awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"
}

write_tails "$WORK" "$ARTICLES"


declare -A SUM
add() { SUM[$1]=$(echo "${SUM[$1]:-0} + $2 / $ROUNDS" | bc -l); }
max() { SUM[$1]=$(echo "if ($2 > ${SUM[$1]:-0}) $2 else ${SUM[$1]:-0}" | bc -l); }

start before
start after
for side in before after; do
  # Past the point where a hot page's brotli copy is made at the best quality.
  for _ in $(seq 80); do curl -fs -o /dev/null -H 'Accept-Encoding: br' "http://127.0.0.1:${PORT[$side]}/articles/$SEED"; done
done
# Both stores read once (into the system's cache) and both long tails run once, unmeasured, so
# neither build is measured colder than the other.
for side in before after; do
  find "$WORK/$side/bench.pages" -type f -exec cat {} + > /dev/null
  run_wrk "http://127.0.0.1:${PORT[$side]}/" -s "$WORK/$TAIL.lua" -H 'Accept-Encoding: br' > /dev/null
done
sleep 1
for round in $(seq "$ROUNDS"); do
  for side in before after; do
    echo "round $round, $side: hot page…" >&2
    url="http://127.0.0.1:${PORT[$side]}/articles/$SEED"
    read -r r p < <(run_wrk "$url"); add "$side.hot" "$r"; max "$side.hot_p99" "$p"
    read -r r p < <(run_wrk "$url" -H 'Accept-Encoding: br'); add "$side.hot_br" "$r"; max "$side.hot_br_p99" "$p"
    echo "round $round, $side: long tail…" >&2
    read -r r p < <(run_wrk "http://127.0.0.1:${PORT[$side]}/" -s "$WORK/$TAIL.lua" -H 'Accept-Encoding: br')
    add "$side.tail" "$r"; max "$side.tail_p99" "$p"
  done
done
for side in before after; do SUM[$side.rss]=$(rss_mb $side); done

ratio() { echo "scale=2; ${SUM[after.$1]} / ${SUM[before.$1]}" | bc -l; }
row() { printf "| %s | $3 | $3 | %.2f × |\n" "$1" "${SUM[before.$2]}" "${SUM[after.$2]}" "$(ratio "$2")"; }
cat <<MD
$(date -u +%Y-%m-%d), $(nproc) cores, $ARTICLES articles (+ the seed) × 4 variants in each build's page
store, wrk $CONNS connections × ${DURATION}s, $ROUNDS rounds alternating the builds (req/s: mean of the
rounds; p99: the worst round). Before: $(basename "$BEFORE"), after: $(basename "$AFTER").

| measure | before | after | after / before |
|---|---|---|---|
$(row "hot page, req/s" hot %.0f)
$(row "hot page p99, ms" hot_p99 %.2f)
$(row "hot page brotli, req/s" hot_br %.0f)
$(row "hot page brotli p99, ms" hot_br_p99 %.2f)
$(row "long tail ($TAIL) brotli, req/s" tail %.0f)
$(row "long tail ($TAIL) brotli p99, ms" tail_p99 %.2f)
$(row "peak RSS, MiB" rss %.0f)
MD
