#!/usr/bin/env python3
"""Hostile shapes that must cost linear time: a page with many footnotes, a book with many
broken links (whose errors are all printed).

    cargo build --release && python3 bench/stress.py
    python3 bench/stress.py --sizes 5000 10000 20000

For each shape and size it writes a one-chapter book under bench/stress/, runs
`guidebook check` on it and prints the time. Doubling the size should about double the
time; the last column is the ratio to the previous size. Timing lives here, never in tests.
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARY = os.path.join(ROOT, "target", "release", "guidebook")


def footnotes(n):
    refs = "\n".join(f"Claim number {i} needs a source.[^n{i}]" for i in range(n))
    notes = "\n".join(f"[^n{i}]: Source {i}, page {i % 300}." for i in range(n))
    return f"# Footnotes\n\n{refs}\n\n{notes}\n", 0


def broken_links(n):
    lines = "\n".join(f"- See [part {i}](missing-{i}.md#section-{i}) for more." for i in range(n))
    return f"# Links\n\n{lines}\n", 1


SHAPES = {"footnotes": footnotes, "broken-links": broken_links}


def write_book(shape, n):
    book = os.path.join(HERE, "stress", f"{shape}-{n}")
    os.makedirs(os.path.join(book, "content"), exist_ok=True)
    with open(os.path.join(book, "book.toml"), "w") as f:
        f.write('[book]\ntitle = "Stress"\n')
    text, expected_exit = SHAPES[shape](n)
    with open(os.path.join(book, "content", "01-page.md"), "w") as f:
        f.write(text)
    return book, expected_exit


def check(binary, book, expected_exit):
    started = time.perf_counter()
    result = subprocess.run([binary, "check", book], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != expected_exit:
        sys.exit(f"unexpected exit {result.returncode}:\n{result.stderr[-2000:]}")
    return elapsed, len(result.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 5000, 10000, 20000])
    parser.add_argument("--binary", default=BINARY, help="the guidebook binary to run")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit("build the release binary first: cargo build --release")
    print("| shape | size | `check` time | stderr | time ratio to the previous size |")
    print("|---|---:|---:|---:|---:|")
    for shape in SHAPES:
        previous = None
        for n in args.sizes:
            book, expected_exit = write_book(shape, n)
            seconds, printed = check(args.binary, book, expected_exit)
            ratio = f"{seconds / previous:.2f}" if previous else ""
            print(f"| {shape} | {n} | {seconds:.2f} s | {printed / 1024:.0f} KB | {ratio} |")
            previous = seconds


if __name__ == "__main__":
    main()
