"""Search latency: distinct queries, each asked once (nothing cached), sequentially.

Usage: search.py BASE_URL SEED_TEXT ARTICLES SERVER_BINARY
Prints one line per kind of query: "kind median_ms p99_ms results_per_query" and a last line
"all median_ms p99_ms".
"""
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

base, seed_path, articles, server = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
text = open(seed_path, encoding="utf-8").read()
rng = random.Random(1)


def cjk(s):
    return all("\u4e00" <= c <= "\u9fff" for c in s)


def pieces(n, count):
    out = set()
    while len(out) < count:
        at = rng.randrange(len(text) - n)
        s = text[at : at + n]
        if cjk(s):
            out.add(s)
    return sorted(out)


def traditional(queries, variant):
    res = subprocess.run(
        [server, "convert", "--variant", variant, "-"],
        input="\n".join(queries),
        capture_output=True,
        text=True,
        check=True,
    )
    return res.stdout.split("\n")[: len(queries)]


kinds = {
    # Words of the generated articles' text: most of them in thousands of articles.
    "two characters": pieces(2, 100),
    "phrase of four, in zh-TW": traditional(pieces(4, 100), "zh-TW"),
    "two terms": [f"{a} {b}" for a, b in zip(pieces(2, 200)[::2], pieces(3, 100))],
    "one character": pieces(1, 50),
    # A title's number: one article each.
    "rare (a title's number)": [str(rng.randrange(10000, articles)) for _ in range(100)],
    "no match": [f"量子{chr(0x4E00 + i)}" for i in range(100)],
}

every = []
for kind, queries in kinds.items():
    times, found = [], []
    for q in dict.fromkeys(queries):
        url = f"{base}/search?q={urllib.parse.quote(q)}"
        t = time.perf_counter()
        with urllib.request.urlopen(url) as r:
            assert r.headers.get("x-cache") != "hit", url
            html = r.read().decode()
        times.append((time.perf_counter() - t) * 1000)
        found.append(html.count('<li><a href="/articles/'))
    times.sort()
    every += times
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{kind}\t{statistics.median(times):.2f}\t{p99:.2f}\t{statistics.mean(found):.1f}")
every.sort()
print(f"all\t{statistics.median(every):.2f}\t{every[min(len(every) - 1, int(len(every) * 0.99))]:.2f}")
