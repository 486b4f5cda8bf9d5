#!/usr/bin/env python3
"""Writes a synthetic guidebook book of N chapters for benchmarks.

Every chapter is unique (seeded from its number) and realistic: prose, lists, a table,
code in several languages, callouts, questions, steps, footnotes and links to other
chapters' headings. Chapters are grouped into parts of 25.

    python3 bench/gen_corpus.py 1000 bench/corpus-1000
"""

import os
import random
import shutil
import sys

WORDS = """
cache latency throughput replica shard partition index query planner lock mutex queue
consumer producer backlog retry timeout deadline budget quorum leader follower election
snapshot checkpoint journal compaction eviction hotspot tenant request response payload
schema migration rollout canary rollback incident postmortem alert dashboard metric trace
span sample percentile histogram counter gauge saturation error capacity headroom region
zone failover replication consistency isolation transaction commit abort conflict version
clock skew heartbeat lease token bucket window sliding fixed burst smoothing batch stream
window join aggregate projection materialized view denormalized normalized foreign key
primary secondary covering composite selective cardinality statistics vacuum bloat page
buffer pool flush fsync durability crash recovery idempotent dedupe ordering exactly once
at least once backpressure shed degrade fallback circuit breaker bulkhead jitter exponential
""".split()

VERBS = """measures limits protects spreads reduces hides exposes bounds guards orders
delays batches caches replays rejects accepts queues drains warms invalidates""".split()

LANGS = {
    "python": "def {name}(items, limit={n}):\n    seen = set()\n    for item in items[:limit]:\n        if item.key in seen:\n            continue\n        seen.add(item.key)\n        yield item\n",
    "go": "func {name}(ctx context.Context, n int) error {{\n\tfor i := 0; i < n; i++ {{\n\t\tif err := ctx.Err(); err != nil {{\n\t\t\treturn err\n\t\t}}\n\t}}\n\treturn nil // {n} rounds\n}}\n",
    "sql": "SELECT account_id, count(*) AS {name}\nFROM events\nWHERE created_at > now() - interval '{n} minutes'\nGROUP BY account_id\nORDER BY {name} DESC\nLIMIT 20;\n",
    "rust": "fn {name}(budget: u32) -> Result<u32, Error> {{\n    let mut spent = 0;\n    while spent < budget {{\n        spent += {n};\n    }}\n    Ok(spent)\n}}\n",
    "bash": "for shard in $(seq 1 {n}); do\n  curl -fsS \"http://localhost:8080/{name}?shard=$shard\" | jq .lag\ndone\n",
    "yaml": "{name}:\n  replicas: {n}\n  timeout: 250ms\n  retries: 3\n",
}

KINDS = ["big-word-alert", "structured-answer", "real-world-example", "war-story",
         "senior-vs-staff", "try-it-now", "further-reading", "follow-up-chain",
         "weak-answer", "strong-answer", "note", "tip", "info", "warning", "danger"]

BOOK_TOML = """[book]
title = "Benchmark Guide"
description = "A generated book for measuring guidebook."

[build]
number-sections = false

[callouts.big-word-alert]
label = "Big Word Alert"
icon = "book"
style = "info"

[callouts.structured-answer]
label = "Structured Answer Template"
icon = "list"
style = "tip"

[callouts.real-world-example]
label = "Real-World Example"
icon = "compass"

[callouts.war-story]
label = "War Story"
icon = "flame"
style = "warning"

[callouts.senior-vs-staff]
label = "Senior vs Staff"
icon = "star"
style = "info"

[callouts.try-it-now]
label = "Try it now"
icon = "code"
style = "tip"

[callouts.further-reading]
label = "Further Reading"
icon = "link"

[callouts.follow-up-chain]
label = "Follow-up Q&A Chain"
icon = "chat"
style = "info"
collapsible = true

[callouts.weak-answer]
label = "What weak candidates say"
icon = "danger"
style = "danger"

[callouts.strong-answer]
label = "What strong candidates say"
icon = "check"
style = "tip"
"""

PART_SIZE = 25


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 18))]
    words.insert(rng.randint(1, len(words) - 1), rng.choice(VERBS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng, n=None):
    return " ".join(sentence(rng) for _ in range(n or rng.randint(3, 6)))


def title(rng, n):
    return " ".join(rng.choice(WORDS).capitalize() for _ in range(n))


def slug(text):
    return "-".join(text.lower().split())


def chapter_path(index):
    part = index // PART_SIZE
    return f"{part + 1:03d}-part-{part + 1}", f"{index % PART_SIZE + 1:03d}-chapter-{index + 1}.md"


def headings_for(index):
    rng = random.Random(index * 7919)
    return [f"{title(rng, 2)} {index}-{h}" for h in range(6)]


def chapter(index, count):
    rng = random.Random(index)
    heads = headings_for(index)
    out = [f"+++\ntitle = \"Chapter {index + 1}: {title(rng, 3)}\"\n"
           f"description = \"{sentence(rng)[:-1]}\"\n+++\n"]
    out.append(paragraph(rng) + "\n")
    for h, head in enumerate(heads):
        out.append(f"## {head}\n")
        out.append(paragraph(rng) + "\n")
        kind = rng.choice(KINDS)
        out.append(f":::{kind} {title(rng, 2)}\n{paragraph(rng, 2)}\n\n- {sentence(rng)}\n- {sentence(rng)}\n:::\n")
        out.append(f"### {title(rng, 2)} detail {h}\n")
        out.append(paragraph(rng) + "\n")
        lang = rng.choice(sorted(LANGS))
        name = rng.choice(WORDS).replace("-", "_") + f"_{index}_{h}"
        out.append(f"```{lang}\n{LANGS[lang].format(name=name, n=rng.randint(2, 900))}```\n")
        if h % 2 == 0:
            out.append("| Option | Latency | Cost | Notes |\n|:--|--:|--:|:--|\n")
            for _ in range(4):
                out.append(f"| {title(rng, 1)} | {rng.randint(1, 500)} ms | ${rng.randint(5, 90)}/month | {sentence(rng)[:60]} |\n")
            out.append("\n")
        if h == 2:
            out.append(":::steps\n")
            for s in range(3):
                out.append(f"### Step {s + 1} of {title(rng, 2)}\n{paragraph(rng, 2)}\n\n")
            out.append(":::\n")
        if h == 3:
            other = rng.randrange(count)
            part, file = chapter_path(other)
            here_part, _ = chapter_path(index)
            target = file if part == here_part else f"../{part}/{file}"
            anchor = slug(headings_for(other)[rng.randrange(6)])
            out.append(f"Compare with [](#{slug(heads[0])}) and with [](" + target + f"#{anchor}).[^n{h}]\n\n")
            out.append(f"[^n{h}]: {sentence(rng)}\n\n")
        if h == 5:
            out.append(f":::question {sentence(rng)[:-1]}?\n{paragraph(rng, 3)}\n\n"
                       f":::follow-up-chain {title(rng, 3)}\n{paragraph(rng, 2)}\n:::\n:::\n")
        out.append(f"1. {sentence(rng)}\n2. {sentence(rng)}\n3. {sentence(rng)}\n\n")
    return "\n".join(out)


def main():
    count = int(sys.argv[1])
    root = sys.argv[2]
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(os.path.join(root, "content"))
    with open(os.path.join(root, "book.toml"), "w") as f:
        f.write(BOOK_TOML)
    with open(os.path.join(root, "content", "_index.md"), "w") as f:
        f.write("+++\ntitle = \"Benchmark Guide\"\n+++\n\nA generated book.\n")
    for index in range(count):
        part, file = chapter_path(index)
        folder = os.path.join(root, "content", part)
        if index % PART_SIZE == 0:
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "_index.md"), "w") as f:
                f.write(f"+++\ntitle = \"Part {index // PART_SIZE + 1}\"\n+++\n\nChapters {index + 1} onwards.\n")
        with open(os.path.join(folder, file), "w") as f:
            f.write(chapter(index, count))


if __name__ == "__main__":
    main()
