"""Time `parse_postmortem` on generated documents; prints milliseconds per document.

Two shapes: a post-mortem whose measures are a 100-row Markdown action table (columns
Action | Type | Owner | Priority | Due date), and a 1,000-line prose document with a timeline.
The documents are synthetic. Then `--typical N` (default 1,000) typical post-mortems: the
bundled examples/ read and parsed in turn, as `import` would, timed as a whole. Asserts nothing.

    .venv/bin/python bench/bench_parser.py [--repeat N] [--rows N] [--lines N] [--typical N]
                                           [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.postmortem import decode_document, parse_postmortem  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

VERBS = ("Add", "Fix", "Document", "Alert on", "Limit", "Test", "Review", "Restore", "Scale")
OBJECTS = (
    "the connection pool size",
    "queue depth on the ingest workers",
    "the certificate renewal job",
    "retries in the payment client",
    "disk usage on the database hosts",
    "the deploy rollback procedure",
)
TYPES = ("Prevention", "Mitigation", "Process", "Detection", "Repair")
WORDS = (
    "the index rebuild started while traffic was high and the replicas fell behind so "
    "queries timed out and the cache hit rate dropped until the operators paused it"
)
OWNERS = ("@alice", "@bob", "team-infra", "Carol Diaz", "dave@example.com")


def table_document(rows: int, seed: int = 1) -> str:
    """A short post-mortem whose measures are one Markdown table of `rows` rows."""
    rng = random.Random(seed)
    day = date(2024, 3, 14)
    lines = [
        "# Checkout errors after a configuration change",
        "",
        "## Summary",
        "",
        "On 2024-03-14 from 14:05 to 15:20 UTC checkout requests failed for some users.",
        "",
        "## Action items",
        "",
        "| Action | Type | Owner | Priority | Due date |",
        "|---|---|---|---|---|",
    ]
    for i in range(rows):
        due = day + timedelta(days=rng.randint(1, 120))
        lines.append(
            f"| {rng.choice(VERBS)} {rng.choice(OBJECTS)} (item {i}) | {rng.choice(TYPES)} "
            f"| {rng.choice(OWNERS)} | P{rng.randint(0, 3)} | {due.isoformat()} |"
        )
    return "\n".join(lines) + "\n"


def prose_document(lines: int, seed: int = 2) -> str:
    """A long post-mortem of plain paragraphs, a timeline and a short action list."""
    rng = random.Random(seed)
    out = [
        "# Degraded search after an index rebuild",
        "",
        "## Summary",
        "",
        "Search was slow for about two hours on March 3, 2024. All times are UTC.",
        "",
        "## Timeline",
        "",
    ]
    minute = 0
    while len(out) < lines // 4:
        minute += rng.randint(1, 4)
        out.append(f"- {9 + minute // 60:02d}:{minute % 60:02d} {rng.choice(OBJECTS)} was checked")
    out += ["", "## What happened", ""]
    words = WORDS.split()
    while len(out) < lines - 8:
        out.append(" ".join(rng.choice(words) for _ in range(rng.randint(8, 16))).capitalize())
        if rng.random() < 0.2:
            out.append("")
    out += ["", "## Action items", ""]
    out += [f"- {rng.choice(VERBS)} {rng.choice(OBJECTS)}" for _ in range(5)]
    return "\n".join(out[:lines]) + "\n"


def per_document_ms(text: str, repeat: int) -> float:
    parse_postmortem(text, name="warmup.md")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeat):
            parse_postmortem(text, name="bench.md")
        best = min(best, (time.perf_counter() - start) / repeat)
    return best * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--typical", type=int, default=1000, help="typical documents to parse")
    parser.add_argument("--profile", action="store_true", help="cProfile the table document")
    args = parser.parse_args(argv)
    docs: dict[str, Callable[[], str]] = {
        f"table ({args.rows} rows)": lambda: table_document(args.rows),
        f"prose ({args.lines} lines)": lambda: prose_document(args.lines),
    }
    if args.profile:
        text = table_document(args.rows)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            parse_postmortem(text, name="bench.md")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return 0
    for label, make in docs.items():
        text = make()
        result = parse_postmortem(text, name="bench.md")
        ms = per_document_ms(text, args.repeat)
        print(f"{label:22} {ms:8.2f} ms/document  ({len(result.measures)} measures)")
    if args.typical:
        print(typical_documents(args.typical))
    return 0


def typical_documents(count: int) -> str:
    """Decode and parse `count` documents cycling through the bundled examples."""
    files = sorted(p for p in EXAMPLES.iterdir() if p.is_file())
    data = [(p.name, p.read_bytes()) for p in files]
    measures = 0
    start = time.perf_counter()
    for i in range(count):
        name, raw = data[i % len(data)]
        result = parse_postmortem(decode_document(raw, name=name), name=name)
        measures += len(result.measures)
    seconds = time.perf_counter() - start
    return (
        f"{'typical (' + str(count) + ' docs)':22} {seconds:8.2f} s in all  "
        f"({measures} measures from {len(files)} examples)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
