#!/usr/bin/env bash
# Benchmarks the release binary against nginx serving the same article page from disk, in one run,
# and prints ratios. Usage: server/bench/run.sh [search]  (ARTICLES=100000 DURATION=10 to change the
# defaults). The results tables in README.md are rewritten at the end; `search` measures only search
# latency, on SQLite and on a throw-away PostgreSQL cluster, and rewrites only its table.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ARTICLES=${ARTICLES:-100000}
DURATION=${DURATION:-10}
CONNS=64
SEED=mz-fzyjzx-gzdt-20220512-01
PORT=3480
NGINX_PORT=3481
NGINX_HEADERS_PORT=3482
NGINX_BR_PORT=3483
NGINX_TAIL_PORT=3484
PG_PORT=3485
PG_SERVER_PORT=3486
MODE=${1:-all}
case "$MODE" in all | search) ;; *) echo "usage: $0 [search]" >&2; exit 2 ;; esac

.ci/setup >/dev/null
. .ci/env
. server/bench/common.sh
missing=()
for tool in wrk:wrk nginx:nginx-light opencc:opencc brotli:brotli bc:bc; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
BROTLI_MODULE=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
[ -f "$BROTLI_MODULE" ] || missing+=(libnginx-mod-http-brotli-static)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

echo "building the release binary…" >&2
cargo leptos build --release --precompress --split >/dev/null 2>&1
WORK=$(mktemp -d)
# nginx's workers run unprivileged: they must be able to read the pages.
chmod 755 "$WORK"
cp target/release/server "$WORK/server"
cd "$WORK"
mkdir -p www logs
export DATABASE_URL="sqlite://$WORK/bench.db"
# Room on disk for every page of the site (about 2 GB at 100,000 articles); memory stays default.
export PAGE_STORE_MB=${PAGE_STORE_MB:-16384}
SERVER_PID=""; NGINX_STARTED=""; PG_STARTED=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$NGINX_STARTED" ] && "$NGINX" -p "$WORK" -c nginx.conf -s stop 2>/dev/null || true
  [ -n "$PG_STARTED" ] && "$ROOT/.ci/postgres" stop "$WORK/pg" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "generating and importing $ARTICLES articles…" >&2
./server generate --articles "$ARTICLES" > bench.jsonl
./server import "$ROOT/server/data/meizhou-article.jsonl" >/dev/null 2>&1
t0=$(date +%s.%N)
./server import bench.jsonl >/dev/null 2>&1
import_s=$(echo "$(date +%s.%N) - $t0" | bc)

start_server() {
  local t0; t0=$(date +%s.%N)
  ./server --no-demo --site-addr 127.0.0.1:$PORT >logs/server.log 2>&1 &
  SERVER_PID=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/"; do sleep 0.005; done
  cold_ms=$(echo "($(date +%s.%N) - $t0) * 1000" | bc | cut -d. -f1)
}
start_server

# Search: distinct queries of each kind, each asked once (results not cached yet), sequentially —
# on the SQLite server above, then on PostgreSQL holding the same articles.
search_bench() {
  python3 "$ROOT/server/bench/search.py" "http://127.0.0.1:$PORT" \
    "$ROOT/server/tests/data/meizhou-article-zh-Hans.txt" "$ARTICLES" ./server > search-sqlite.tsv
  echo "search on PostgreSQL: importing $ARTICLES articles…" >&2
  local url; url=$("$ROOT/.ci/postgres" start "$WORK/pg" $PG_PORT); PG_STARTED=1
  psql -q "$url/postgres" -c 'CREATE DATABASE bench' >/dev/null
  local t0; t0=$(date +%s.%N)
  DATABASE_URL="$url/bench" ./server import "$ROOT/server/data/meizhou-article.jsonl" >/dev/null 2>&1
  DATABASE_URL="$url/bench" ./server import bench.jsonl >/dev/null 2>&1
  pg_import_s=$(echo "$(date +%s.%N) - $t0" | bc)
  DATABASE_URL="$url/bench" PAGE_STORE=off ./server --no-demo --site-addr 127.0.0.1:$PG_SERVER_PORT >logs/pg-server.log 2>&1 &
  local pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PG_SERVER_PORT/"; do sleep 0.05; done
  python3 "$ROOT/server/bench/search.py" "http://127.0.0.1:$PG_SERVER_PORT" \
    "$ROOT/server/tests/data/meizhou-article-zh-Hans.txt" "$ARTICLES" ./server > search-pg.tsv
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  "$ROOT/.ci/postgres" stop "$WORK/pg"; PG_STARTED=""
  # One row per kind of query: each backend's median and p99, and the results both found.
  search_rows=$(paste search-sqlite.tsv search-pg.tsv | awk -F'\t' '
    $1 == "all" { printf "| every query above | %s | %s | %s | %s | |\n", $2, $3, $5, $6; next }
    { found = ($4 == $8) ? $4 : $4 " / " $8
      printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $6, $7, found }')
  search_table=$(cat <<MD
Measured $(date -u +%Y-%m-%d) by \`server/bench/run.sh\` on $(nproc) cores; $ARTICLES synthetic articles plus the
seed article, a distinct query each time (none answered from the cache), sequential, the whole
\`/search?q=\` page as a reader gets it; PostgreSQL $(psql --version | awk '{ print $3 }') on loopback (import of the
same articles: $(printf '%.0f' "$pg_import_s") s).

| query | SQLite median ms | p99 ms | PostgreSQL median ms | p99 ms | results on the first page |
|---|---|---|---|---|---|
${search_rows}
MD
)
}
write_search_table() {
  echo "$search_table"
  python3 - "$ROOT/README.md" "$search_table" <<'PY'
import re, sys
path, table = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
new = f"<!-- search:start -->\n{table}\n<!-- search:end -->"
text = re.sub(r"<!-- search:start -->.*<!-- search:end -->", lambda m: new, text, flags=re.S)
open(path, "w", encoding="utf-8").write(text)
PY
}
if [ "$MODE" = search ]; then
  search_bench
  write_search_table
  exit 0
fi

variants=(zh-Hans zh-Hant zh-TW zh-HK)
csp_map=""
for v in "${variants[@]}"; do
  csp=$(curl -fs -D - -o "www/$v.html" "http://127.0.0.1:$PORT/articles/$SEED?variant=$v" \
    | awk -F': ' 'tolower($1) == "content-security-policy" { sub(/\r$/, "", $2); print $2 }')
  csp_map+="    $v \"$csp\";"$'\n'
done
for v in "${variants[@]}"; do
  brotli -q 11 -c "www/$v.html" > "www/$v.html.br"
  gzip -9 -c "www/$v.html" > "www/$v.html.gz"
done
# The static site nginx serves for the long tail: every article in every variant as its own files,
# each a copy of a generated article's page (distinct files: the system caches each on its own).
echo "writing the long tail as static files for nginx…" >&2
mkdir -p tmpl
for v in "${variants[@]}"; do
  curl -fs -o "tmpl/$v.html" "http://127.0.0.1:$PORT/articles/bench-000000?variant=$v"
  brotli -q 11 -c "tmpl/$v.html" > "tmpl/$v.html.br"
  gzip -9 -c "tmpl/$v.html" > "tmpl/$v.html.gz"
done
python3 - "$ARTICLES" <<'PY'
import os, shutil, sys
variants = ["zh-Hans", "zh-Hant", "zh-TW", "zh-HK"]
for i in range(int(sys.argv[1])):
    d = f"www/tail/articles/bench-{i:06d}"
    os.makedirs(d)
    for v in variants:
        for ext in ("", ".br", ".gz"):
            shutil.copyfile(f"tmpl/{v}.html{ext}", f"{d}/{v}.html{ext}")
PY
tail_files_mb=$(( $(du -sb www/tail | cut -f1) / 1048576 ))
[ -f "$BROTLI_MODULE" ] || { echo "nginx brotli_static module missing: $BROTLI_MODULE" >&2; exit 1; }
cat > nginx.conf <<NGX
load_module $BROTLI_MODULE;
worker_processes 2;
pid $WORK/logs/nginx.pid;
error_log $WORK/logs/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/logs; proxy_temp_path $WORK/logs; fastcgi_temp_path $WORK/logs;
  uwsgi_temp_path $WORK/logs; scgi_temp_path $WORK/logs;
  # The page's own policy (with the nonce its copy was saved with), as a static header.
  map \$arg_variant \$page_csp {
$csp_map  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location /articles/ { default_type "text/html; charset=utf-8"; try_files /\$arg_variant.html =404; }
  }
  # The same page with the headers the portal sends: the policy, nosniff, referrer policy, Vary, Cache-Control.
  server {
    listen 127.0.0.1:$NGINX_HEADERS_PORT;
    root $WORK/www;
    location /articles/ {
      default_type "text/html; charset=utf-8";
      add_header Content-Security-Policy \$page_csp;
      add_header X-Content-Type-Options nosniff;
      add_header Referrer-Policy strict-origin-when-cross-origin;
      add_header Vary Cookie;
      add_header Cache-Control "private, no-cache";
      try_files /\$arg_variant.html =404;
    }
  }
  # The same, from files precompressed at brotli's best quality (and gzip -9), as the client takes.
  server {
    listen 127.0.0.1:$NGINX_BR_PORT;
    root $WORK/www;
    brotli_static on;
    gzip_static on;
    location /articles/ {
      default_type "text/html; charset=utf-8";
      add_header Content-Security-Policy \$page_csp;
      add_header X-Content-Type-Options nosniff;
      add_header Referrer-Policy strict-origin-when-cross-origin;
      add_header Vary "Cookie, Accept-Encoding";
      add_header Cache-Control "private, no-cache";
      try_files /\$arg_variant.html =404;
    }
  }
  # The long tail as a static site: one file per article and variant (and its .br and .gz).
  server {
    listen 127.0.0.1:$NGINX_TAIL_PORT;
    root $WORK/www/tail;
    brotli_static on;
    gzip_static on;
    location /articles/ {
      default_type "text/html; charset=utf-8";
      add_header Content-Security-Policy \$page_csp;
      add_header X-Content-Type-Options nosniff;
      add_header Referrer-Policy strict-origin-when-cross-origin;
      add_header Vary "Cookie, Accept-Encoding";
      add_header Cache-Control "private, no-cache";
      try_files \$uri/\$arg_variant.html =404;
    }
  }
}
NGX
"$NGINX" -p "$WORK" -c nginx.conf
NGINX_STARTED=1
# Every side must answer 200 (wrk counts errors as responses).
for v in "${variants[@]}"; do
  for port in $PORT $NGINX_PORT $NGINX_HEADERS_PORT $NGINX_BR_PORT; do
    code=$(curl -s -o /dev/null -H 'Accept-Encoding: br' -w '%{http_code}' "http://127.0.0.1:$port/articles/$SEED?variant=$v")
    [ "$code" = 200 ] || { echo "port $port, $v: HTTP $code" >&2; exit 1; }
  done
done

code=$(curl -s -o /dev/null -H 'Accept-Encoding: br' -w '%{http_code}' "http://127.0.0.1:$NGINX_TAIL_PORT/articles/bench-000001?variant=zh-HK")
[ "$code" = 200 ] || { echo "nginx long tail: HTTP $code" >&2; exit 1; }

# wrk: prints "req/s p99_ms". Extra arguments go to wrk (a header, a script).

rows=""
echo "wrk: $CONNS connections, ${DURATION}s per run, A/B/C/A/B/C per variant…" >&2
for v in "${variants[@]}"; do
  a_rps=0; b_rps=0; c_rps=0; a_p99=0; b_p99=0
  for round in 1 2; do
    read -r r p < <(run_wrk "http://127.0.0.1:$PORT/articles/$SEED?variant=$v")
    a_rps=$(echo "$a_rps + $r / 2" | bc -l); a_p99=$(echo "if ($p > $a_p99) $p else $a_p99" | bc -l)
    read -r r p < <(run_wrk "http://127.0.0.1:$NGINX_HEADERS_PORT/articles/$SEED?variant=$v")
    b_rps=$(echo "$b_rps + $r / 2" | bc -l); b_p99=$(echo "if ($p > $b_p99) $p else $b_p99" | bc -l)
    read -r r _ < <(run_wrk "http://127.0.0.1:$NGINX_PORT/articles/$SEED?variant=$v")
    c_rps=$(echo "$c_rps + $r / 2" | bc -l)
  done
  rows+=$(printf '| %s | %.0f | %.2f | %.0f | %.2f | %.2f × | %.2f × | %.0f | %.2f × |' "$v" "$a_rps" "$a_p99" "$b_rps" "$b_p99" \
    "$(echo "$a_rps / $b_rps" | bc -l)" "$(echo "$a_p99 / $b_p99" | bc -l)" "$c_rps" "$(echo "$a_rps / $c_rps" | bc -l)")$'\n'
done

# Hot page, brotli both sides.
br_rows=""
echo "the same, brotli both sides…" >&2
for v in "${variants[@]}"; do
  # Past the point where the portal recompresses the page at brotli's best quality.
  for _ in $(seq 80); do curl -fs -o /dev/null -H 'Accept-Encoding: br' "http://127.0.0.1:$PORT/articles/$SEED?variant=$v"; done
  sleep 0.5
  ours_br=$(curl -fs -o /dev/null -H 'Accept-Encoding: br' -w '%{size_download}' "http://127.0.0.1:$PORT/articles/$SEED?variant=$v")
  theirs_br=$(curl -fs -o /dev/null -H 'Accept-Encoding: br' -w '%{size_download}' "http://127.0.0.1:$NGINX_BR_PORT/articles/$SEED?variant=$v")
  a_rps=0; b_rps=0; a_p99=0; b_p99=0
  for round in 1 2; do
    read -r r p < <(run_wrk "http://127.0.0.1:$PORT/articles/$SEED?variant=$v" -H 'Accept-Encoding: br')
    a_rps=$(echo "$a_rps + $r / 2" | bc -l); a_p99=$(echo "if ($p > $a_p99) $p else $a_p99" | bc -l)
    read -r r p < <(run_wrk "http://127.0.0.1:$NGINX_BR_PORT/articles/$SEED?variant=$v" -H 'Accept-Encoding: br')
    b_rps=$(echo "$b_rps + $r / 2" | bc -l); b_p99=$(echo "if ($p > $b_p99) $p else $b_p99" | bc -l)
  done
  br_rows+=$(printf '| %s | %.0f | %.2f | %s | %.0f | %.2f | %s | %.2f × | %.2f × |' "$v" "$a_rps" "$a_p99" "$ours_br" "$b_rps" "$b_p99" "$theirs_br" \
    "$(echo "$a_rps / $b_rps" | bc -l)" "$(echo "$a_p99 / $b_p99" | bc -l)")$'\n'
done
anchor_rps=$(run_wrk "http://127.0.0.1:$NGINX_HEADERS_PORT/articles/$SEED?variant=zh-Hans" | cut -d' ' -f1)

# An import of one new article: the hot pages stay cached (the new article's channel, its
# neighbour and the front page are dropped).
cat > one.jsonl <<'JSON'
{"id": "bench-new-1", "site": "梅州市人民政府门户网站", "department": "基准测试部门1", "channel": "基准栏目1", "channel_slug": "bench-1", "title": "新发布的文章", "source": "基准测试", "published_at": "2030-01-01T08:00:00+08:00", "body_html": "<p>新</p>"}
JSON
for v in "${variants[@]}"; do curl -fs -o /dev/null "http://127.0.0.1:$PORT/articles/$SEED?variant=$v"; done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/channels/bench-1"
./server import one.jsonl >/dev/null 2>&1
sleep 2
kept=yes
for v in "${variants[@]}"; do
  c=$(curl -fs -o /dev/null -w '%header{x-cache}' "http://127.0.0.1:$PORT/articles/$SEED?variant=$v")
  [ "$c" = hit ] || kept=no
done
channel_after=$(curl -fs -o /dev/null -w '%header{x-cache}' "http://127.0.0.1:$PORT/channels/bench-1")
[ "$channel_after" = miss ] || kept="$kept (but the touched channel page was not dropped)"

# The first request of an article never rendered: sequential, one article each, on one kept-alive
# connection (as a browser sends them), then each on a new connection.
first_render=$(python3 - "$PORT" "$ARTICLES" <<'PY'
import http.client, statistics, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
def run(offset, keep):
    times, conn = [], None
    for i in range(200):
        path = f"/articles/bench-{n // 2 + offset + i * (n // 400):06d}"
        t = time.perf_counter()
        if conn is None or not keep:
            conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", path)
        r = conn.getresponse()
        assert r.getheader("x-cache") == "miss", path
        r.read()
        if not keep:
            conn.close()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return f"{statistics.median(times):.2f} {times[int(len(times) * 0.9)]:.2f}"
print(run(0, True), run(1, False))
PY
)
read -r first_med first_p90 first_new_med first_new_p90 <<< "$first_render"

search_bench

# The long tail: every article in every variant, uniform random, then Zipf (s = 1) after a restart.
write_tails . "$ARTICLES"
# Every page of the site into the page store, with the server stopped (as after a deploy).
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
echo "server render --all…" >&2
t0=$(date +%s.%N)
render_out=$(./server render --all 2>&1 | tail -n1)
render_s=$(echo "$(date +%s.%N) - $t0" | bc)
store_mb=$(( $(du -sb bench.pages | cut -f1) / 1048576 ))
start_server
echo "long tail: uniform…" >&2
read -r tail_br_rps tail_br_p99 < <(run_wrk "http://127.0.0.1:$PORT/" -s uniform.lua -H 'Accept-Encoding: br')
read -r ngx_tail_br_rps ngx_tail_br_p99 < <(run_wrk "http://127.0.0.1:$NGINX_TAIL_PORT/" -s uniform.lua -H 'Accept-Encoding: br')
read -r tail_rps tail_p99 < <(run_wrk "http://127.0.0.1:$PORT/" -s uniform.lua)
read -r ngx_tail_rps ngx_tail_p99 < <(run_wrk "http://127.0.0.1:$NGINX_TAIL_PORT/" -s uniform.lua)
rss_kb=$(awk '/VmHWM/ { print $2 }' /proc/$SERVER_PID/status)
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
start_server
echo "long tail: Zipf after a restart…" >&2
read -r zipf_rps zipf_p99 < <(run_wrk "http://127.0.0.1:$PORT/" -s zipf.lua)
rss2_kb=$(awk '/VmHWM/ { print $2 }' /proc/$SERVER_PID/status)
[ "$rss2_kb" -gt "$rss_kb" ] && rss_kb=$rss2_kb
read -r ngx_zipf_rps ngx_zipf_p99 < <(run_wrk "http://127.0.0.1:$NGINX_TAIL_PORT/" -s zipf.lua)
# Both sides again with their files just read, so the system holds them all in its cache.
echo "long tail: uniform, files just read…" >&2
find bench.pages -type f -exec cat {} + | wc -c > /dev/null
read -r warm_rps warm_p99 < <(run_wrk "http://127.0.0.1:$PORT/" -s uniform.lua)
find www/tail -type f -name '*.html' -exec cat {} + | wc -c > /dev/null
read -r ngx_warm_rps ngx_warm_p99 < <(run_wrk "http://127.0.0.1:$NGINX_TAIL_PORT/" -s uniform.lua)

# Channel pages: the first and the deepest (found by walking the API's "older" links).
next="/api/channels/bench-1/articles"; deepest="/channels/bench-1"; pages=0
while [ -n "$next" ] && [ "$next" != null ]; do
  deepest="/channels/bench-1?${next#*\?}"; [ "$next" = "/api/channels/bench-1/articles" ] && deepest="/channels/bench-1"
  next=$(curl -fs "http://127.0.0.1:$PORT$next" | python3 -c 'import json,sys; print(json.load(sys.stdin)["older"] or "")')
  pages=$((pages + 1))
done
latency() { # mean ms of 200 sequential requests
  python3 - "$1" <<'PY'
import sys, time, urllib.request
url = sys.argv[1]
for _ in range(20): urllib.request.urlopen(url).read()
t = time.perf_counter()
for _ in range(200): urllib.request.urlopen(url).read()
print(f"{(time.perf_counter() - t) / 200 * 1000:.2f}")
PY
}
first_ms=$(latency "http://127.0.0.1:$PORT/channels/bench-1")
deep_ms=$(latency "http://127.0.0.1:$PORT$deepest")

# The seed article page on the wire (the wasm and each page's first load: server/bench/wasm.py).
page_plain=$(curl -fs -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT/articles/$SEED")
page_gzip=$(curl -fs -o /dev/null -H 'Accept-Encoding: gzip' -w '%{size_download}' "http://127.0.0.1:$PORT/articles/$SEED")
page_br_first=$(curl -fs -o /dev/null -H 'Accept-Encoding: br' -w '%{size_download}' "http://127.0.0.1:$PORT/articles/$SEED")
for _ in $(seq 80); do curl -fs -o /dev/null -H 'Accept-Encoding: br' "http://127.0.0.1:$PORT/articles/$SEED"; done
sleep 0.5
page_br=$(curl -fs -o /dev/null -H 'Accept-Encoding: br' -w '%{size_download}' "http://127.0.0.1:$PORT/articles/$SEED")

# Conversion: ~10 MB of Simplified text, ours vs the opencc CLI.
python3 - "$ROOT/server/tests/data/meizhou-article-zh-Hans.txt" > text.txt <<'PY'
import sys
t = open(sys.argv[1], encoding="utf-8").read()
out = []
size = 0
while size < 10_000_000:
    out.append(t); size += len(t.encode())
sys.stdout.write("".join(out))
PY
mb=$(echo "$(stat -c %s text.txt) / 1000000" | bc -l)
t0=$(date +%s.%N); ./server convert --variant zh-Hant text.txt > ours.txt; ours_s=$(echo "$(date +%s.%N) - $t0" | bc -l)
t0=$(date +%s.%N); opencc -c s2t.json -i text.txt -o theirs.txt; theirs_s=$(echo "$(date +%s.%N) - $t0" | bc -l)
t0=$(date +%s.%N); ./server convert --variant zh-HK text.txt > ours.txt; ours_hk_s=$(echo "$(date +%s.%N) - $t0" | bc -l)
t0=$(date +%s.%N); opencc -c s2hk.json -i text.txt -o theirs.txt; theirs_hk_s=$(echo "$(date +%s.%N) - $t0" | bc -l)

machine="$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
table=$(cat <<MD
Measured $(date -u +%Y-%m-%d) by \`server/bench/run.sh\` on $machine; $ARTICLES synthetic articles in 20 channels
plus the seed article; wrk with $CONNS connections, ${DURATION} s per run, the portal and two nginx set-ups alternating
A/B/C/A/B/C: nginx sending the saved page with the portal's headers (its policy as a static header), and nginx
sending the bare file.

Hot article page, uncompressed:

| variant | portal req/s | portal p99 ms | nginx, same headers: req/s | p99 ms | req/s ratio | p99 ratio | bare nginx req/s | ratio |
|---|---|---|---|---|---|---|---|---|
${rows}
Hot article page, brotli both sides (\`Accept-Encoding: br\`; nginx \`brotli_static\` on files made with \`brotli -q 11\`):

| variant | portal req/s | p99 ms | bytes | nginx req/s | p99 ms | bytes | req/s ratio | p99 ratio |
|---|---|---|---|---|---|---|---|---|
${br_rows}
The goals for pages, measured here (long-tail ratios against nginx sending the hot page with the
same headers, uncompressed, as wrk asks: ${anchor_rps} req/s):

| scenario | measured | goal |
|---|---|---|
| long tail: $ARTICLES articles × 4 variants, uniform random, after \`server render --all\` and a restart | ${tail_rps} req/s, p99 ${tail_p99} ms: $(printf '%.2f' "$(echo "$tail_rps / $anchor_rps" | bc -l)") × the hot anchor; $(printf '%.2f' "$(echo "$tail_rps / $ngx_tail_rps" | bc -l)") × nginx serving the same pages as static files (${ngx_tail_rps} req/s, p99 ${ngx_tail_p99} ms) | ≥ 0.5 × |
| the same, \`Accept-Encoding: br\` | ${tail_br_rps} req/s, p99 ${tail_br_p99} ms: $(printf '%.2f' "$(echo "$tail_br_rps / $anchor_rps" | bc -l)") × the hot anchor; $(printf '%.2f' "$(echo "$tail_br_rps / $ngx_tail_br_rps" | bc -l)") × nginx's \`brotli_static\` on the same pages (${ngx_tail_br_rps} req/s, p99 ${ngx_tail_br_p99} ms) | |
| long tail, Zipf (s = 1.0) over the same pages, right after a restart (pages on disk, none in memory) | ${zipf_rps} req/s, p99 ${zipf_p99} ms: $(printf '%.2f' "$(echo "$zipf_rps / $anchor_rps" | bc -l)") × the hot anchor; $(printf '%.2f' "$(echo "$zipf_rps / $ngx_zipf_rps" | bc -l)") × nginx on the static pages (${ngx_zipf_rps} req/s, p99 ${ngx_zipf_p99} ms) | ≥ 0.5 × |
| long tail, uniform, each side's files read just before (all in the system's cache) | ${warm_rps} req/s, p99 ${warm_p99} ms: $(printf '%.2f' "$(echo "$warm_rps / $anchor_rps" | bc -l)") × the hot anchor; $(printf '%.2f' "$(echo "$warm_rps / $ngx_warm_rps" | bc -l)") × nginx (${ngx_warm_rps} req/s, p99 ${ngx_warm_p99} ms) | |
| first request of a never-rendered article (200 articles, sequential, one kept-alive connection) | median ${first_med} ms, p90 ${first_p90} ms (a new connection each: ${first_new_med} / ${first_new_p90} ms) | ≤ 2 ms median |
| the seed article page on the wire, brotli | ${page_br} bytes (${page_br_first} on its first response) | ≤ 6 KB |
| peak RSS across all scenarios | $((rss_kb / 1024)) MB | ≤ 64 MB |
| import of one new article into $ARTICLES: hot pages still cached afterwards | ${kept} | yes |

| measure | value |
|---|---|
| import of $ARTICLES articles | $(printf '%.1f' "$import_s") s |
| \`server render --all\` (server stopped) | $(printf '%.0f' "$render_s") s: ${render_out}; page store ${store_mb} MB (nginx's static copy of the same pages, raw + .br + .gz: ${tail_files_mb} MB) |
| cold start (process start → first 200, database present) | ${cold_ms} ms |
| channel page, first / deepest (page $pages) | ${first_ms} ms / ${deep_ms} ms ($(printf '%.2f' "$(echo "$deep_ms / $first_ms" | bc -l)") ×) |
| the seed article page on the wire: uncompressed / gzip / brotli | $page_plain / $page_gzip / $page_br bytes |
| conversion of $(printf '%.1f' "$mb") MB (zh-Hant) | $(printf '%.1f' "$(echo "$mb / $ours_s" | bc -l)") MB/s vs opencc CLI $(printf '%.1f' "$(echo "$mb / $theirs_s" | bc -l)") MB/s ($(printf '%.2f' "$(echo "$theirs_s / $ours_s" | bc -l)") ×) |
| conversion of $(printf '%.1f' "$mb") MB (zh-HK, two stages) | $(printf '%.1f' "$(echo "$mb / $ours_hk_s" | bc -l)") MB/s vs opencc CLI s2hk $(printf '%.1f' "$(echo "$mb / $theirs_hk_s" | bc -l)") MB/s ($(printf '%.2f' "$(echo "$theirs_hk_s / $ours_hk_s" | bc -l)") ×) |
MD
)
echo "$table"
python3 - "$ROOT/README.md" <<PY
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
new = """<!-- bench:start -->
$table
<!-- bench:end -->"""
text = re.sub(r"<!-- bench:start -->.*<!-- bench:end -->", lambda m: new, text, flags=re.S)
open(path, "w", encoding="utf-8").write(text)
PY
write_search_table

