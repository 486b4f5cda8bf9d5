#!/usr/bin/env python3
"""guidebook's benchmark: build time, peak memory and output size over generated books.

    cargo build --release && python3 bench/run.py            # 100 and 1,000 chapters
    python3 bench/run.py --sizes 100 --runs 5                 # other sizes / repetitions

Generates each corpus with bench/gen_corpus.py (cached under bench/), builds it with the
release binary several times, and prints a Markdown table. Timing lives here, never in
tests.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARY = os.path.join(ROOT, "target", "release", "guidebook")


def generate(size):
    corpus = os.path.join(HERE, f"corpus-{size}")
    stamp = os.path.join(corpus, ".generated")
    generator = os.path.join(HERE, "gen_corpus.py")
    if not os.path.exists(stamp) or os.path.getmtime(stamp) < os.path.getmtime(generator):
        subprocess.run([sys.executable, generator, str(size), corpus], check=True)
        open(stamp, "w").close()
    return corpus


def build(corpus, out, extra):
    """One build under /usr/bin/time; returns (seconds, peak RSS in KB)."""
    command = ["/usr/bin/time", "-f", "%e %M", BINARY, "build", corpus, "--out", out, *extra]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr}")
    peak_kb = int(result.stderr.strip().splitlines()[-1].split()[1])
    return elapsed, peak_kb


def site_stats(site):
    pages = html_bytes = total = 0
    for folder, _, files in os.walk(site):
        for name in files:
            size = os.path.getsize(os.path.join(folder, name))
            total += size
            if name == "index.html":
                pages += 1
                html_bytes += size
    return pages, html_bytes, total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-search", action="store_true", help="pass --no-search to the build")
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build the release binary first: cargo build --release")
    extra = ["--no-search"] if args.no_search else []
    rows = []
    for size in args.sizes:
        corpus = generate(size)
        out = os.path.join(HERE, "out", f"site-{size}")
        timings, peaks = [], []
        for _ in range(args.runs):
            seconds, peak = build(corpus, out, extra)
            timings.append(seconds)
            peaks.append(peak)
        pages, html_bytes, total = site_stats(out)
        rows.append((size, pages, statistics.median(timings), max(peaks) / 1024, html_bytes / pages / 1024, total / 1024 / 1024))
    print("| chapters | pages | build time (median) | peak memory | HTML per page | whole site |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size, pages, seconds, peak_mb, per_page_kb, total_mb in rows:
        print(f"| {size} | {pages} | {seconds:.2f} s | {peak_mb:.0f} MB | {per_page_kb:.1f} KB | {total_mb:.1f} MB |")


if __name__ == "__main__":
    main()
