#!/usr/bin/env bash
# Benchmarks the release binary against nginx serving the same article page from disk, in one run,
# and prints ratios. Usage: server/bench/run.sh  (ARTICLES=100000 DURATION=10 to change the defaults)
# The results table in README.md is rewritten at the end.
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

.ci/setup >/dev/null
. .ci/env
missing=()
for tool in wrk:wrk nginx:nginx-light opencc:opencc brotli:brotli bc:bc; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

echo "building the release binary…" >&2
cargo leptos build --release --precompress --split >/dev/null 2>&1
WORK=$(mktemp -d)
cp target/release/server "$WORK/server"
cd "$WORK"
mkdir -p www logs
export DATABASE_URL="sqlite://$WORK/bench.db"
SERVER_PID=""; NGINX_STARTED=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$NGINX_STARTED" ] && "$NGINX" -p "$WORK" -c nginx.conf -s stop 2>/dev/null || true
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

variants=(zh-Hans zh-Hant zh-TW zh-HK)
csp_map=""
for v in "${variants[@]}"; do
  csp=$(curl -fs -D - -o "www/$v.html" "http://127.0.0.1:$PORT/articles/$SEED?variant=$v" \
    | awk -F': ' 'tolower($1) == "content-security-policy" { sub(/\r$/, "", $2); print $2 }')
  csp_map+="    $v \"$csp\";"$'\n'
done
cat > nginx.conf <<NGX
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
}
NGX
"$NGINX" -p "$WORK" -c nginx.conf
NGINX_STARTED=1

# wrk: prints "req/s p99_ms".
run_wrk() {
  wrk -t2 -c$CONNS -d"${DURATION}s" --latency "$1" 2>/dev/null | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v = v * 1000 } p99 = v }
    END { printf "%.0f %.2f\n", rps, p99 }'
}

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
rss_kb=$(awk '/VmHWM/ { print $2 }' /proc/$SERVER_PID/status)

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

# Download sizes, as a browser asking for brotli would get them: the page and every file its head
# has the browser fetch (stylesheet, script, split loader, the wasm and the chunks this page needs).
size() { curl -fs -o /dev/null -H 'Accept-Encoding: br, gzip' -w '%{size_download}' "http://127.0.0.1:$PORT$1"; }
page=$(curl -fs "http://127.0.0.1:$PORT/articles/$SEED")
wasm=$(grep -o 'href="/pkg/[^"]*/portal\.wasm"' <<<"$page" | head -n1 | cut -d'"' -f2)
wasm_file="$ROOT/target/site$(sed -E 's#/pkg/[0-9a-f]{16}/#/pkg/#' <<<"$wasm")" # the versioned name's file
wasm_raw=$(stat -c %s "$wasm_file")
wasm_gz=$(gzip -9 -c "$wasm_file" | wc -c)
wasm_br=$(brotli -c "$wasm_file" | wc -c)
page_plain=$(curl -fs -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT/articles/$SEED")
page_gzip=$(curl -fs -o /dev/null -H 'Accept-Encoding: gzip' -w '%{size_download}' "http://127.0.0.1:$PORT/articles/$SEED")
first_load=$(size "/articles/$SEED")
code_load=0
files=""
for href in $(grep -o 'href="/pkg/[^"]*"' <<<"$page" | cut -d'"' -f2 | sort -u); do
  n=$(size "$href")
  first_load=$((first_load + n))
  case "$href" in *.css) ;; *) code_load=$((code_load + n)) ;; esac
  files="$files$(basename "$href") $(printf '%.1f' "$(echo "$n / 1024" | bc -l)") KB; "
done
# Every split chunk, brotli, whether this page fetches it or not.
chunks=""
for f in "$ROOT"/target/site/pkg/*.wasm; do
  chunks="$chunks$(basename "$f" .wasm) $(printf '%.1f' "$(echo "$(brotli -c "$f" | wc -c) / 1024" | bc -l)") KB; "
done

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

| variant | portal req/s | portal p99 ms | nginx, same headers: req/s | p99 ms | req/s ratio | p99 ratio | bare nginx req/s | ratio |
|---|---|---|---|---|---|---|---|---|
${rows}
| measure | value |
|---|---|
| import of $ARTICLES articles | $(printf '%.1f' "$import_s") s |
| cold start (process start → first 200, database present) | ${cold_ms} ms |
| peak RSS under the load above | $((rss_kb / 1024)) MB |
| channel page, first / deepest (page $pages) | ${first_ms} ms / ${deep_ms} ms ($(printf '%.2f' "$(echo "$deep_ms / $first_ms" | bc -l)") ×) |
| main wasm (initial chunk) raw / gzip / brotli | $((wasm_raw / 1024)) KB / $((wasm_gz / 1024)) KB / $((wasm_br / 1024)) KB |
| the seed article page on the wire: uncompressed / gzip | $page_plain / $page_gzip bytes |
| first load of an article page (HTML + js + wasm + css, as transferred) | $((first_load / 1024)) KB, of which wasm + js $((code_load / 1024)) KB |
| fetched by the article page's head (brotli) | ${files%; } |
| every wasm chunk (brotli) | ${chunks%; } |
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
