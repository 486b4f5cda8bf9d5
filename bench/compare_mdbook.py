#!/usr/bin/env python3
"""guidebook against mdBook on the Rust book: CPU, wall time and peak memory side by side.

    git clone https://github.com/rust-lang/book /tmp/rust-book
    cargo install mdbook --version 0.5.4 --locked
    cargo build --release
    python3 bench/compare_mdbook.py --book /tmp/rust-book                 # 111 chapters
    python3 bench/compare_mdbook.py --book /tmp/rust-book --copies 10     # 1,110 chapters

It fetches nothing. From the checkout it prepares two copies of the same Markdown in a
scratch folder (`--work`, default a temporary one):

- for mdBook: `src/SUMMARY.md` and the chapters, with `{{#include}}` and
  `{{#rustdoc_include}}` already expanded (anchors and line ranges), the book's own
  preprocessors (`mdbook-trpl-*`, which `cargo run` a crate of the book's) left out, search on;
- for guidebook: the result of `guidebook import --from mdbook` on that mdBook copy when the
  binary has the command, otherwise this script's own small conversion (every chapter in one
  folder, in SUMMARY.md's order through a `weight`, file names kept so links still resolve).

With `--copies N` the book is repeated N times (one part per copy) and every code block gets
a comment line naming its copy, so no two blocks are alike and nothing can be served from a
cache. Each tool builds `--runs` times; the medians of CPU (user + sys), wall time and peak
resident memory are printed with guidebook's ratio to mdBook's.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_BINARY = os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "guidebook"
)

SUMMARY_LINK = re.compile(r"^(\s*)(?:[-*]\s+|\d+\.\s+)?\[([^\]]*)\]\(([^)]*)\)\s*$")
INCLUDE = re.compile(r"\{\{#(include|rustdoc_include)\s+([^}\s]+)\s*\}\}")
FENCE = re.compile(r"^(\s{0,3})(`{3,}|~{3,})(.*)$")


def chapters(summary_path):
    """The chapter files named in SUMMARY.md, in reading order (drafts without a file left out)."""
    found = []
    with open(summary_path, encoding="utf-8") as summary:
        for line in summary:
            match = SUMMARY_LINK.match(line)
            if match and match.group(3).strip():
                found.append(match.group(3).strip())
    return found


def lines_of(text, selector):
    """The part of an included file that `selector` (after the path's colon) names."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines = lines[:-1]
    if selector is None:
        chosen = lines
    elif re.fullmatch(r"\d*(:\d*)?", selector):
        start, _, end = selector.partition(":")
        if ":" not in selector:
            chosen = lines[int(start) - 1 : int(start)] if start else lines
        else:
            first = int(start) - 1 if start else 0
            chosen = lines[first : int(end)] if end else lines[first:]
    else:
        chosen, inside = [], False
        for line in lines:
            if re.search(r"ANCHOR_END:\s*" + re.escape(selector) + r"\b", line):
                inside = False
            elif re.search(r"ANCHOR:\s*" + re.escape(selector) + r"\b", line):
                inside = True
            elif inside:
                chosen.append(line)
    return "\n".join(l for l in chosen if not re.search(r"ANCHOR(_END)?:", l))


def expand(text, folder, depth=0):
    """Replaces include directives with the text they name (paths relative to `folder`)."""

    def one(match):
        target = match.group(2)
        path, _, selector = target.partition(":")
        full = os.path.normpath(os.path.join(folder, path))
        try:
            with open(full, encoding="utf-8") as included:
                body = included.read()
        except OSError:
            return ""
        body = lines_of(body, selector or None)
        return expand(body, os.path.dirname(full), depth + 1) if depth < 5 else body

    return INCLUDE.sub(one, text)


def mark_code(text, copy):
    """Adds a line naming the copy at the top of every fenced code block."""
    out, fence = [], None
    for line in text.split("\n"):
        match = FENCE.match(line)
        out.append(line)
        if fence is None and match and not (match.group(2)[0] == "`" and "`" in match.group(3)):
            fence = match.group(2)
            out.append(f"// copy {copy}")
        elif fence is not None and match and match.group(2).startswith(fence[0]) \
                and len(match.group(2)) >= len(fence) and not match.group(3).strip():
            fence = None
    return "\n".join(out)


def prepare_mdbook(book, dest, copies):
    """The mdBook copy: expanded chapters, SUMMARY.md, a book.toml with search on."""
    src = os.path.join(book, "src")
    files = chapters(os.path.join(src, "SUMMARY.md"))
    out_src = os.path.join(dest, "src")
    os.makedirs(out_src)
    summary = ["# Summary", ""]
    for copy in range(1, copies + 1):
        prefix = f"copy-{copy:02}/" if copies > 1 else ""
        folder = os.path.join(out_src, prefix)
        if copies > 1:
            summary += ["", f"# Copy {copy}", ""]
        for name in files:
            with open(os.path.join(src, name), encoding="utf-8") as chapter:
                text = expand(chapter.read(), os.path.dirname(os.path.join(src, name)))
            if copies > 1:
                text = mark_code(text, copy)
            target = os.path.join(folder, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as chapter:
                chapter.write(text)
            title = first_heading(text) or name
            summary.append(f"- [{title}]({prefix}{name})")
        if os.path.isdir(os.path.join(src, "img")):
            shutil.copytree(os.path.join(src, "img"), os.path.join(folder, "img"))
    with open(os.path.join(out_src, "SUMMARY.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(summary) + "\n")
    with open(os.path.join(dest, "book.toml"), "w", encoding="utf-8") as f:
        f.write(
            '[book]\ntitle = "The Rust Programming Language"\nsrc = "src"\n\n'
            "[output.html.search]\nenable = true\n"
        )
    return len(files) * copies


def first_heading(text):
    """The text of the first heading of any level (sub-chapters start at `##`)."""
    match = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M)
    return match.group(1).replace("[", "").replace("]", "") if match else None


LINK = re.compile(r"(\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?)([^)\s>]+)", re.M)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def heading_ids(text):
    """Roughly the ids headings get: enough to drop the fragments that surely miss."""
    ids = set()
    for title in HEADING.findall(text):
        plain = re.sub(r"[^\w\s-]", "", title.lower())
        ids.add(re.sub(r"\s+", "-", plain.strip()))
    return ids


def fix_links(text, name, ids):
    """Links as guidebook checks them: `x.html` to a chapter becomes `x.md`; links above the
    book (`../std/...`) and to chapters it no longer has become doc.rust-lang.org URLs; a
    fragment no heading has is dropped (the book has a few such links)."""

    def one(match):
        target = match.group(2)
        if re.match(r"[a-z]+:|mailto:", target):
            return match.group(0)
        path, _, fragment = target.partition("#")
        if path.startswith("../"):
            return match.group(1) + "https://doc.rust-lang.org/" + re.sub(r"^(\.\./)+", "", target)
        if path.endswith(".html"):
            page = path[: -len(".html")] + ".md"
            if page not in ids:
                return match.group(1) + "https://doc.rust-lang.org/book/" + target
            path = page
        if path and path not in ids:
            return match.group(0)
        page = path or name
        if fragment and fragment not in ids.get(page, set()):
            return match.group(1) + (path or name)
        return match.group(1) + (f"{path}#{fragment}" if fragment else path)

    return LINK.sub(one, text)


def has_import(binary):
    result = subprocess.run([binary, "import", "--help"], capture_output=True, text=True)
    return result.returncode == 0 and "mdbook" in (result.stdout + result.stderr).lower()


def prepare_guidebook(binary, mdbook_dir, dest, copies):
    """guidebook's copy: `guidebook import --from mdbook` if the binary has it, else ours."""
    if has_import(binary):
        subprocess.run(
            [binary, "import", "--from", "mdbook", mdbook_dir, dest],
            check=True, capture_output=True, text=True,
        )
        return "guidebook import --from mdbook"
    src = os.path.join(mdbook_dir, "src")
    content = os.path.join(dest, "content")
    os.makedirs(content)
    files = chapters(os.path.join(src, "SUMMARY.md"))
    groups = {}
    for path in files:
        folder, _, name = path.rpartition("/")
        groups.setdefault(folder, []).append(name)
    for folder, names in groups.items():
        target = os.path.join(content, folder)
        os.makedirs(target, exist_ok=True)
        if folder:
            with open(os.path.join(target, "_index.md"), "w", encoding="utf-8") as f:
                f.write(f"+++\ntitle = \"Copy {folder.split('-')[-1]}\"\n+++\n")
        texts = {}
        for name in names:
            with open(os.path.join(src, folder, name), encoding="utf-8") as chapter:
                texts[name] = chapter.read()
        ids = {name: heading_ids(text) for name, text in texts.items()}
        for weight, name in enumerate(names, start=1):
            text = fix_links(texts[name], name, ids)
            title = (first_heading(text) or name).replace("\\", "\\\\").replace('"', '\\"')
            with open(os.path.join(target, name), "w", encoding="utf-8") as f:
                f.write(f'+++\ntitle = "{title}"\nweight = {weight}\n+++\n\n{text}')
        if os.path.isdir(os.path.join(src, folder, "img")):
            shutil.copytree(os.path.join(src, folder, "img"), os.path.join(target, "img"))
    with open(os.path.join(dest, "book.toml"), "w", encoding="utf-8") as f:
        f.write('[book]\ntitle = "The Rust Programming Language"\n')
    return "this script's conversion"


def measure(command):
    """One run under /usr/bin/time: (cpu seconds, wall seconds, peak RSS in KB)."""
    timed = ["/usr/bin/time", "-f", "GB-TIME %U %S %e %M", *command]
    result = subprocess.run(timed, capture_output=True, text=True)
    line = [l for l in result.stderr.splitlines() if l.startswith("GB-TIME ")]
    if result.returncode != 0 or not line:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-4000:]}")
    user, system, wall, rss = line[-1].split()[1:]
    return float(user) + float(system), float(wall), int(rss)


def median_run(command, runs, out):
    samples = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        samples.append(measure(command))
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--book", required=True, help="a rust-lang/book checkout")
    parser.add_argument("--mdbook", default="mdbook", help="the mdbook binary (0.5.4)")
    parser.add_argument("--guidebook", default=DEFAULT_BINARY, help="the guidebook binary")
    parser.add_argument("--copies", type=int, default=1, help="repeat the book N times")
    parser.add_argument("--runs", type=int, default=3, help="builds per tool (median)")
    parser.add_argument("--work", help="scratch folder (kept); default: a temporary one")
    args = parser.parse_args()

    mdbook = shutil.which(args.mdbook) or args.mdbook
    if not os.path.isfile(os.path.join(args.book, "src", "SUMMARY.md")):
        sys.exit(f"{args.book}: no src/SUMMARY.md; pass a rust-lang/book checkout with --book")
    for binary in (mdbook, args.guidebook):
        if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
            sys.exit(f"{binary}: not found (see this script's help for how to get it)")
    version = subprocess.run([mdbook, "--version"], capture_output=True, text=True).stdout.strip()

    work = args.work or tempfile.mkdtemp(prefix="compare-mdbook-")
    for sub in ("mdbook-book", "guidebook-book", "mdbook-out", "guidebook-out"):
        shutil.rmtree(os.path.join(work, sub), ignore_errors=True)
    mdbook_dir = os.path.join(work, "mdbook-book")
    guidebook_dir = os.path.join(work, "guidebook-book")
    count = prepare_mdbook(args.book, mdbook_dir, args.copies)
    how = prepare_guidebook(args.guidebook, mdbook_dir, guidebook_dir, args.copies)

    results = {
        "mdBook": median_run(
            [mdbook, "build", mdbook_dir, "--dest-dir", os.path.join(work, "mdbook-out")],
            args.runs, os.path.join(work, "mdbook-out"),
        ),
        "guidebook": median_run(
            [args.guidebook, "build", guidebook_dir, "--out", os.path.join(work, "guidebook-out")],
            args.runs, os.path.join(work, "guidebook-out"),
        ),
    }
    print(f"{count} chapters ({args.copies} cop{'y' if args.copies == 1 else 'ies'}), "
          f"{version}, guidebook book made by {how}, median of {args.runs} runs, search on\n")
    print("| tool | CPU (user+sys) | wall | peak memory |")
    print("|---|---:|---:|---:|")
    for tool, (cpu, wall, rss) in results.items():
        print(f"| {tool} | {cpu:.2f} s | {wall:.2f} s | {rss / 1024:.0f} MiB |")
    md, gb = results["mdBook"], results["guidebook"]
    print(f"| guidebook ÷ mdBook | {gb[0] / md[0]:.2f}× | {gb[1] / md[1]:.2f}× | {gb[2] / md[2]:.2f}× |")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
