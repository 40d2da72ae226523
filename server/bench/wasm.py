#!/usr/bin/env python3
"""What each page's first load costs, and what the initial wasm chunk holds, by crate.

Needs a release build (`cargo leptos build --release --precompress --split`). Starts the binary
in an empty folder, reads each kind of page's head as a browser would and fetches every file it
names with `Accept-Encoding: br`. Then runs wasm-bindgen and wasm-opt on the split main module as
the build does, but with names kept (`-g`), and `twiggy top` on it, summing bytes by crate.

    server/bench/wasm.py [--before FILE.json] [--save FILE.json] [--write]

--write replaces the README's table between <!-- wasm:start --> and <!-- wasm:end -->.
"""

import argparse
import csv
import datetime
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SEED = "/articles/mz-fzyjzx-gzdt-20220512-01"
# The initial chunk before wasm-bindgen, as the split step left it (names kept).
SPLIT_MAIN = "front/wasm32-unknown-unknown/wasm-release/frontend_split.wasm"
WASM_OPT = ["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"]
STD = {"core", "alloc", "std", "compiler_builtins"}
BUDGET_INITIAL = 150
BUDGET_FIRST_LOAD = 200


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(base, path, br=True):
    req = urllib.request.Request(base + path, headers={"Accept-Encoding": "br"} if br else {})
    with urllib.request.urlopen(req) as r:
        return r.read()


def first_loads(binary):
    """For each kind of page: bytes of HTML, CSS, JS and wasm its first load fetches (brotli)."""
    port = free_port()
    folder = tempfile.mkdtemp()
    shutil.copy(binary, os.path.join(folder, "server"))
    env = dict(os.environ, LEPTOS_SITE_ADDR=f"127.0.0.1:{port}", RUST_LOG="warn")
    proc = subprocess.Popen(["./server"], cwd=folder, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                get(base, "/")
                break
            except OSError:
                time.sleep(0.1)
        home = get(base, "/", br=False).decode()
        channel = re.search(r'href="(/channels/[^"?]+)"', home).group(1)
        pages = [
            ("front page", "/"),
            ("channel", channel),
            ("article", SEED),
            ("search", "/search?q=" + urllib.parse.quote("梅州")),
        ]
        out = {}
        for label, path in pages:
            html = get(base, path, br=False).decode()
            head = html.split("</head>", 1)[0]
            files = sorted(set(re.findall(r'"(/pkg/[^"]+)"', head)))
            row = {"html": len(get(base, path)), "css": 0, "js": 0, "initial": 0, "chunks": 0, "files": {}}
            for f in files:
                n = len(get(base, f))
                name = f.rsplit("/", 1)[1]
                row["files"][name] = n
                if f.endswith(".css"):
                    row["css"] += n
                elif f.endswith(".js"):
                    row["js"] += n
                elif name.startswith("portal") and name.endswith(".wasm"):
                    row["initial"] += n
                else:
                    row["chunks"] += n
            out[label] = row
        return out
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


def crate_of(name):
    """The crate an item is charged to: the first crate named that is not the standard library,
    so generics land in the crate that defines them and drops in the crate of what is dropped."""
    if name.startswith("import ") or name.startswith("export "):
        return "(wasm: imports, exports, tables)"
    if name.startswith("data[") or name.startswith("data segment"):
        return "(data: strings, tables)"
    # Path roots only (`core[1a2b…]::fmt` is core's), not the segments after them.
    crates = re.findall(r"(?<![A-Za-z0-9_:\]])([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::", name)
    for c in crates:
        if c not in STD:
            return c
    if crates or "::" in name:
        return "(std: core, alloc)"
    if name.startswith("__wbg") or name.startswith("__wbindgen") or "wbindgen" in name:
        return "wasm_bindgen"
    if name in ("memcpy", "memset", "memmove", "memcmp") or name.startswith("__"):
        return "(std: core, alloc)"
    if name.startswith("code[") or name.startswith("func["):
        return "(unnamed functions)"
    return "(wasm: imports, exports, tables)"


def by_crate(target):
    """Bytes of the initial chunk after wasm-opt, by crate (names kept for the count only)."""
    src = os.path.join(target, SPLIT_MAIN)
    with tempfile.TemporaryDirectory() as tmp:
        # As the build does: wasm-bindgen (which drops its descriptors), then wasm-opt.
        subprocess.run(
            ["wasm-bindgen", "--target=web", "--keep-lld-exports", "--no-demangle",
             "--out-name=m", f"--out-dir={tmp}", src],
            check=True,
        )
        bound = os.path.join(tmp, "m_bg.wasm")
        named = os.path.join(tmp, "named.wasm")
        subprocess.run(["wasm-opt", *WASM_OPT, "-g", bound, "-o", named], check=True)
        stripped = os.path.join(tmp, "stripped.wasm")
        subprocess.run(["wasm-opt", *WASM_OPT, bound, "-o", stripped], check=True)
        out = subprocess.run(
            ["twiggy", "top", "-n", "1000000", "--format", "csv", named],
            check=True, capture_output=True, text=True,
        ).stdout
        total_stripped = os.path.getsize(stripped)
    sizes = {}
    for row in csv.DictReader(io.StringIO(out)):
        name = row["Name"]
        if name.endswith(" subsection") or name.startswith("custom section 'name'"):
            continue  # the names themselves, kept only to count
        if name.startswith("custom section"):
            crate = "(custom sections)"
        else:
            crate = crate_of(name)
        sizes[crate] = sizes.get(crate, 0) + int(row["ShallowSize"])
    return {"total": total_stripped, "crates": sizes}


def kb(n):
    return f"{n / 1024:.1f}"


def ratio(a, b):
    return f"{a / b:.2f} ×" if b else ""


def render(now, before):
    loads, crates = now["loads"], now["crates"]
    lines = [
        f"Measured {now['date']} by `server/bench/wasm.py` (release build, `--split`; every file a page's "
        "`<head>` names, fetched with `Accept-Encoding: br` from the binary, as transferred)"
        + (f"; before: {before['label']}" if before else "")
        + ".",
        "",
        "| page | HTML | CSS | JS | initial wasm chunk | the page's wasm chunks | wasm + JS | whole first load |"
        + (" wasm + JS before | after / before |" if before else ""),
        "|---|---|---|---|---|---|---|---|" + ("---|---|" if before else ""),
    ]
    for label, r in loads.items():
        code = r["js"] + r["initial"] + r["chunks"]
        whole = code + r["html"] + r["css"]
        row = (
            f"| {label} | {kb(r['html'])} | {kb(r['css'])} | {kb(r['js'])} | {kb(r['initial'])} | "
            f"{kb(r['chunks'])} | **{kb(code)}** | {kb(whole)} |"
        )
        if before:
            b = before["loads"][label]
            bcode = b["js"] + b["initial"] + b["chunks"]
            row += f" {kb(bcode)} | {ratio(code, bcode)} |"
        lines.append(row)
    art = loads["article"]
    code = art["js"] + art["initial"] + art["chunks"]
    lines += [
        "",
        f"KB of 1,024 bytes. Budgets: initial chunk ≤ {BUDGET_INITIAL} KB brotli "
        f"({kb(art['initial'])}: {'met' if art['initial'] / 1024 <= BUDGET_INITIAL else '**missed**'}); "
        f"an article's first load, wasm + JS, ≤ {BUDGET_FIRST_LOAD} KB "
        f"({kb(code)}: {'met' if code / 1024 <= BUDGET_FIRST_LOAD else '**missed**'}).",
        "",
        f"The initial chunk by crate: `twiggy top` on the split main module after wasm-bindgen and `wasm-opt "
        f"{' '.join(WASM_OPT)} -g` (names kept to count them; {kb(crates['total'])} KB raw without "
        "them). Generic code is charged to the crate that defines it, drops to the crate of what is "
        "dropped.",
        "",
        "| crate | KB raw | share |" + (" before | after / before |" if before else ""),
        "|---|---|---|" + ("---|---|" if before else ""),
    ]
    total = sum(crates["crates"].values())
    ranked = sorted(crates["crates"].items(), key=lambda kv: -kv[1])
    shown = ranked[:16]
    rest = sum(v for _, v in ranked[16:])
    bc = before["crates"]["crates"] if before else {}
    shown_names = {k for k, _ in shown}
    for name, n in shown + [("(the rest)", rest)]:
        row = f"| {name} | {kb(n)} | {100 * n / total:.1f} % |"
        if before:
            if name == "(the rest)":
                b = sum(v for k, v in bc.items() if k not in shown_names)
            else:
                b = bc.get(name, 0)
            row += f" {kb(b)} | {ratio(n, b)} |"
        lines.append(row)
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", default=os.path.join(ROOT, "target"), help="the build's target folder")
    ap.add_argument("--before", help="a JSON file this script saved, to compare against")
    ap.add_argument("--save", help="save the measurement as JSON")
    ap.add_argument("--label", default="", help="what the saved measurement is (for --before)")
    ap.add_argument("--write", action="store_true", help="rewrite the README's table")
    args = ap.parse_args()
    tools = os.path.join(ROOT, ".ci/tools/node_modules/.bin")
    os.environ["PATH"] = tools + os.pathsep + os.environ["PATH"]
    if shutil.which("twiggy") is None:
        subprocess.run(["cargo", "install", "--locked", "twiggy"], check=True)
    now = {
        "date": datetime.date.today().isoformat(),
        "label": args.label,
        "loads": first_loads(os.path.join(args.target, "release/server")),
        "crates": by_crate(args.target),
    }
    before = json.load(open(args.before)) if args.before else None
    table = render(now, before)
    print(table)
    if args.save:
        with open(args.save, "w") as f:
            json.dump(now, f, indent=1, ensure_ascii=False)
    if args.write:
        path = os.path.join(ROOT, "README.md")
        text = open(path, encoding="utf-8").read()
        new = f"<!-- wasm:start -->\n{table}\n<!-- wasm:end -->"
        text, n = re.subn(r"<!-- wasm:start -->.*<!-- wasm:end -->", lambda m: new, text, flags=re.S)
        if n != 1:
            sys.exit("README.md has no <!-- wasm:start --> … <!-- wasm:end --> block")
        open(path, "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main()
