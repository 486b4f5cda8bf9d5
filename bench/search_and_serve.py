#!/usr/bin/env python3
"""Search and live-preview measurements over a generated book.

    cargo build --release && python3 bench/search_and_serve.py --size 1000

Search: the index's build time (a build minus a --no-search build), its total size, and the
bytes a real browser (headless Chromium) downloads to answer a first query and show the top
results. Serve: the time from a chapter's file being written to the reload event arriving,
over several one-chapter edits.
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import BINARY, HERE, build, generate  # noqa: E402

FIRST_QUERY_PAGE = """<!DOCTYPE html><html><body><script type="module">
const pagefind = await import("./pagefind/pagefind.js");
await pagefind.options({ baseUrl: "/" });
const search = await pagefind.search("%s");
const top = await Promise.all(search.results.slice(0, 8).map((r) => r.data()));
const files = performance.getEntriesByType("resource").filter((e) => e.name.includes("/pagefind/"));
const bytes = files.reduce((sum, e) => sum + (e.encodedBodySize || e.transferSize || 0), 0);
document.body.setAttribute("data-result", JSON.stringify({
  results: search.results.length, shown: top.length, requests: files.length, bytes,
  files: files.map((e) => [e.name.split("/pagefind/")[1], e.encodedBodySize]),
}));
</script></body></html>"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dir_size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def first_query_bytes(site, query):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        return None
    with open(os.path.join(site, "__first-query.html"), "w") as f:
        f.write(FIRST_QUERY_PAGE % query)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", site],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        with tempfile.TemporaryDirectory() as profile:
            dom = subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--virtual-time-budget=20000", "--dump-dom",
                 f"http://127.0.0.1:{port}/__first-query.html"],
                capture_output=True, text=True, timeout=120).stdout
    finally:
        server.terminate()
        os.remove(os.path.join(site, "__first-query.html"))
    marker = 'data-result="'
    if marker not in dom:
        return None
    raw = dom.split(marker, 1)[1].split('"', 1)[0].replace("&quot;", '"')
    return json.loads(raw)


class Events(threading.Thread):
    """Reads the server-sent event stream and timestamps every reload."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.reloads = []
        self.ready = threading.Event()

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port)
        conn.request("GET", "/__guidebook/events")
        response = conn.getresponse()
        self.ready.set()
        while True:
            line = response.fp.readline()
            if not line:
                return
            if line.startswith(b"event: reload"):
                self.reloads.append(time.perf_counter())


def reload_latency(corpus, edits):
    port = free_port()
    work = tempfile.mkdtemp()
    book = os.path.join(work, "book")
    shutil.copytree(corpus, book)
    server = subprocess.Popen([BINARY, "serve", book, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                sys.exit("the server did not start")
            time.sleep(0.2)
        events = Events(port)
        events.start()
        events.ready.wait(10)
        time.sleep(1.0)
        chapter = os.path.join(book, "content", "001-part-1", "002-chapter-2.md")
        latencies = []
        for i in range(edits):
            time.sleep(1.5)  # a person typing, then saving
            seen = len(events.reloads)
            with open(chapter, "a") as f:
                f.write(f"\nAn added sentence, edit number {i}.\n")
            written = time.perf_counter()
            deadline = time.time() + 30
            while len(events.reloads) == seen and time.time() < deadline:
                time.sleep(0.001)
            if len(events.reloads) > seen:
                latencies.append((events.reloads[seen] - written) * 1000)
        return latencies
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--query", default="latency")
    parser.add_argument("--serve-only", action="store_true", help="measure only the reload latency")
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build the release binary first: cargo build --release")
    print("| chapters | index build | index size | first query (downloaded) | requests | reload after an edit: median / worst |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        corpus = generate(size)
        if args.serve_only:
            latencies = reload_latency(corpus, args.edits)
            print(f"| {size} | | | | | {statistics.median(latencies):.0f} ms / {max(latencies):.0f} ms |")
            continue
        with_search = os.path.join(HERE, "out", f"search-{size}")
        without = os.path.join(HERE, "out", f"nosearch-{size}")
        full = statistics.median(build(corpus, with_search, [])[0] for _ in range(2))
        bare = statistics.median(build(corpus, without, ["--no-search"])[0] for _ in range(2))
        index_mb = dir_size(os.path.join(with_search, "pagefind")) / 1e6
        query = first_query_bytes(with_search, args.query)
        query_text = f"{query['bytes'] / 1000:.0f} KB" if query else "(no Chromium)"
        requests = str(query["requests"]) if query else "-"
        latencies = reload_latency(corpus, args.edits)
        latency_text = f"{statistics.median(latencies):.0f} ms / {max(latencies):.0f} ms" if latencies else "-"
        print(f"| {size} | {full - bare:.2f} s | {index_mb:.1f} MB | {query_text} | {requests} | {latency_text} |")


if __name__ == "__main__":
    main()
