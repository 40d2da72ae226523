#!/usr/bin/env bash
# Soak: SOAK_SECONDS (60) at SOAK_CONNECTIONS (256) keep-alive connections, mixing article pages in
# all four variants, channel pages and the JSON API, with an import every 5 s, on SQLite, on
# PostgreSQL, and on two replicas sharing one PostgreSQL. Checks socket errors, 5xx, view totals
# (article pages answered 200 against the totals stored) and memory at the end against after the
# warm-up. Usage: server/bench/soak.sh   (rewrites the soak table in README.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECONDS_RUN=${SOAK_SECONDS:-60}
CONNS=${SOAK_CONNECTIONS:-256}
ARTICLES=${SOAK_ARTICLES:-2000}
# Each replica gets half the load, so its caches take longer to fill: 30 s left them filling.
WARMUP=${SOAK_WARMUP:-60}
PG_PORT=${SOAK_PG_PORT:-55439}

.ci/setup >/dev/null
. .ci/env
echo "building…" >&2
[ -x target/release/server ] && [ "${SOAK_REBUILD:-0}" = 0 ] \
  || cargo leptos build --release --precompress --split >/dev/null 2>&1
cargo build --release --package server --example soak >/dev/null 2>&1
SOAK=$ROOT/target/release/examples/soak

WORK=$(mktemp -d /tmp/portal-soak.XXXXXX)
chmod 755 "$WORK"
cp target/release/server "$WORK/server"
cd "$WORK"
PIDS=()
stop_servers() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
cleanup() {
  stop_servers
  [ -n "${IMPORTER:-}" ] && kill "$IMPORTER" 2>/dev/null || true
  "$ROOT/.ci/postgres" stop "$WORK/pg" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

./server generate --articles "$ARTICLES" --channels 10 > articles.jsonl
# Paths: every article in every variant (page and API), every channel's first page in every variant.
python3 - "$ARTICLES" > paths.txt <<'EOF'
import sys
n = int(sys.argv[1])
variants = ["", "?variant=zh-Hant", "?variant=zh-TW", "?variant=zh-HK"]
for i in range(n):
    for v in variants:
        print(f"/articles/bench-{i:06d}{v}")
    print(f"/api/articles/bench-{i:06d}?variant=zh-TW")
for c in range(1, 11):
    for v in variants:
        for _ in range(n // 50):
            print(f"/channels/bench-{c}{v}")
EOF

# An import every 5 s: three articles retitled, one new.
importer() {
  local k=0
  while true; do
    sleep 5
    k=$((k + 1))
    python3 - "$k" > import-$k.jsonl <<'EOF'
import json, sys
k = int(sys.argv[1])
lines = open("articles.jsonl", encoding="utf-8").read().splitlines()
for j in range(3):
    d = json.loads(lines[(k * 7 + j * 131) % len(lines)])
    d["title"] += f"(修订 {k})"
    print(json.dumps(d, ensure_ascii=False))
d = json.loads(lines[0]); d["id"] = f"soak-new-{k}"; d["title"] = f"新文章 {k}"
print(json.dumps(d, ensure_ascii=False))
EOF
    ./server import import-$k.jsonl >/dev/null 2>>logs/import.log || echo "import $k failed" >>logs/import.log
  done
}

rss_kb() {
  local total=0
  for p in "${PIDS[@]}"; do
    total=$((total + $(awk '/^VmRSS/ {print $2}' /proc/$p/status)))
  done
  echo $total
}

stored_views() {
  case "$DATABASE_URL" in
    sqlite://*) python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COALESCE(SUM(views),0) FROM article_view').fetchone()[0])" "${DATABASE_URL#sqlite://}" ;;
    *) psql -Atq "$DATABASE_URL" -c 'SELECT COALESCE(SUM(views),0) FROM article_view' ;;
  esac
}

ROWS=()
TRACES=()
run_setup() { # name url replicas
  local name=$1 replicas=$3
  export DATABASE_URL=$2
  mkdir -p logs "run-$name"
  ./server import articles.jsonl >/dev/null 2>>logs/import.log
  local hosts=()
  for r in $(seq 1 "$replicas"); do
    local port=$((3490 + r))
    PAGE_STORE=$WORK/run-$name/pages-$r PUBLIC_URL=https://portal.example \
      ./server --no-demo --site-addr 127.0.0.1:$port >"logs/$name-$r.log" 2>&1 &
    PIDS+=($!)
    hosts+=("127.0.0.1:$port")
    until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.2; done
  done
  # The warm-up runs the same mix as the run, imports included, so "after warm-up" is the
  # workload's steady state and not a state imports have not reached yet.
  importer & IMPORTER=$!
  echo "$name: warm-up ${WARMUP}s…" >&2
  local warm; warm=$("$SOAK" "$WARMUP" "$CONNS" paths.txt "${hosts[@]}")
  local rss_warm; rss_warm=$(rss_kb)
  # Memory every 10 s of the run, to tell growth that levels off from growth that does not.
  (while sleep 10; do echo $(($(rss_kb) / 1024)); done) > "rss-$name.txt" & local SAMPLER=$!
  echo "$name: ${SECONDS_RUN}s at $CONNS connections…" >&2
  local out; out=$("$SOAK" "$SECONDS_RUN" "$CONNS" paths.txt "${hosts[@]}")
  kill "$IMPORTER" "$SAMPLER"; wait "$IMPORTER" "$SAMPLER" 2>/dev/null || true; IMPORTER=""
  TRACES+=("$name: $(paste -sd' ' "rss-$name.txt")")
  echo "$name: MB every 10 s: ${TRACES[-1]#*: }" >&2
  local rss_end; rss_end=$(rss_kb)
  sleep 3 # one flush and more
  local stored; stored=$(stored_views)
  stop_servers
  local after; after=$(stored_views)
  field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
  local req errors s5 views_w views_m expected imports
  req=$(field "$out" requests); errors=$(( $(field "$warm" errors) + $(field "$out" errors) ))
  s5=$(( $(field "$warm" 5xx) + $(field "$out" 5xx) ))
  views_w=$(field "$warm" views); views_m=$(field "$out" views)
  expected=$((views_w + views_m))
  imports=$(ls import-*.jsonl 2>/dev/null | wc -l); rm -f import-*.jsonl
  local rss_pct; rss_pct=$(python3 -c "print(f'{($rss_end - $rss_warm) * 100 / $rss_warm:+.1f} %')")
  local exact=no; [ "$after" = "$expected" ] && exact=yes
  ROWS+=("| $name | $req ($((req / SECONDS_RUN))/s) | $imports | $errors | $s5 | $expected / $stored → $after | $exact | $((rss_warm / 1024)) → $((rss_end / 1024)) MB ($rss_pct) |")
  echo "${ROWS[-1]}" >&2
  grep -h "failed" logs/import.log >&2 || true
}

run_setup "SQLite" "sqlite://$WORK/soak.db" 1
pg=$("$ROOT/.ci/postgres" start "$WORK/pg" "$PG_PORT")
psql -q "$pg/postgres" -c 'CREATE DATABASE soak1' -c 'CREATE DATABASE soak2'
run_setup "PostgreSQL" "$pg/soak1" 1
run_setup "PostgreSQL, 2 replicas" "$pg/soak2" 2

TABLE=$(
  echo "| backend | requests in ${SECONDS_RUN} s | imports | socket errors | 5xx | views answered / stored after 3 s → after SIGTERM | exact | RSS after warm-up → end |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
)
TABLE+=$'\n\n'"RSS every 10 s of the run (MB): $(printf '%s; ' "${TRACES[@]}" | sed 's/; $//')."
echo "$TABLE"
python3 - "$ROOT/README.md" "$TABLE" "$(date -u +%Y-%m-%d) · $(nproc) cores · $ARTICLES articles · $CONNS connections · ${WARMUP} s warm-up" <<'EOF'
import sys, re
path, table, note = sys.argv[1:4]
s = open(path, encoding="utf-8").read()
block = f"<!-- soak:start -->\n{note}\n\n{table}\n<!-- soak:end -->"
s2 = re.sub(r"<!-- soak:start -->.*?<!-- soak:end -->", lambda m: block, s, flags=re.S)
if s2 != s:
    open(path, "w", encoding="utf-8").write(s2)
EOF
