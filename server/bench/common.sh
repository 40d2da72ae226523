# Shared by the benchmark scripts: source it after setting CONNS and DURATION.

# Runs wrk on a URL (extra arguments passed on) and prints "req/s p99_ms"; req/s is 0 when any
# response was not 2xx.
run_wrk() {
  local url=$1; shift
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$@" "$url" 2>/dev/null | awk '
    /Requests\/sec/ { rps = $2 }
    /Non-2xx/ { print "wrk: " $0 > "/dev/stderr"; bad = 1 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v = v * 1000 } p99 = v }
    END { if (bad) rps = 0; printf "%.0f %.2f\n", rps, p99 }'
}

# Writes DIR/uniform.lua and DIR/zipf.lua over ARTICLES synthetic articles × 4 variants: uniform
# random, and Zipf (s = 1) where rank k is a fixed page (articles spread over the range, variants
# in turn).
write_tails() {
  local dir=$1 articles=$2
  cat > "$dir/uniform.lua" <<LUA
local n = $articles
local variants = {"zh-Hans", "zh-Hant", "zh-TW", "zh-HK"}
local threads = 0
function setup(thread) threads = threads + 1; thread:set("seed", threads) end
function init() math.randomseed(seed * 7919) end
function request()
  return wrk.format("GET", string.format("/articles/bench-%06d?variant=%s", math.random(0, n - 1), variants[math.random(1, 4)]))
end
LUA
  cat > "$dir/zipf.lua" <<LUA
local n = $articles * 4
local variants = {"zh-Hans", "zh-Hant", "zh-TW", "zh-HK"}
local cdf = {}
local threads = 0
function setup(thread) threads = threads + 1; thread:set("seed", threads) end
function init()
  math.randomseed(seed * 7919)
  local total = 0
  for k = 1, n do total = total + 1 / k; cdf[k] = total end
  for k = 1, n do cdf[k] = cdf[k] / total end
end
function request()
  local u, lo, hi = math.random(), 1, n
  while lo < hi do local mid = math.floor((lo + hi) / 2); if cdf[mid] < u then lo = mid + 1 else hi = mid end end
  local k = lo - 1
  local article = (k * 7919) % $articles
  return wrk.format("GET", string.format("/articles/bench-%06d?variant=%s", article, variants[k % 4 + 1]))
end
LUA
}
