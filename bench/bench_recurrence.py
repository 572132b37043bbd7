"""Recurrence on the post-mortem corpus: precision and recall of related incidents against the
hand-labelled pairs in bench/recurrence_pairs.csv, and the share of import time it costs.

Two measures. "Annotated": the matcher alone, on every document's hand-annotated title,
impact, root cause and items (the corpus' .expected.json), so the importer's parsing does not
count. "End to end": imports every document of ../shared/postmortems into a fresh SQLite database (the real import
use case, recurrence included), then counts a pair as predicted related when either incident
names the other in its `related` list. The import time spent in recurrence is measured by
timing the import's recurrence step (wrapped here, in the bench only).

    .venv/bin/python bench/bench_recurrence.py [--corpus ../shared/postmortems] [--show]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def load_pairs(path: Path) -> list[tuple[str, str, bool]]:
    with path.open(newline="") as f:
        rows = csv.DictReader(f)
        return [(r["document_a"], r["document_b"], r["label"] == "related") for r in rows]


def score(pairs: list[tuple[str, str, bool]], predicted: set[frozenset[str]]) -> str:
    tp = sum(1 for a, b, t in pairs if t and frozenset((a, b)) in predicted)
    fp = sum(1 for a, b, t in pairs if not t and frozenset((a, b)) in predicted)
    fn = sum(1 for a, b, t in pairs if t and frozenset((a, b)) not in predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return f"precision {precision:.2f} ({tp}/{tp + fp}), recall {recall:.2f} ({tp}/{tp + fn})"


def annotated(corpus: Path) -> set[frozenset[str]]:
    """Related pairs predicted from the annotated fields of every document."""
    import json

    from tracker.recurrence.match import IncidentText, Matcher, classify

    texts, names = [], {}
    for n, answer in enumerate(sorted(corpus.glob("*.expected.json")), 1):
        doc = next(
            p
            for p in corpus.iterdir()
            if p.name.startswith(answer.name[:3]) and not p.name.endswith(".json")
        )
        data = json.loads(answer.read_text(encoding="utf-8"))
        inc = data.get("incident") or {}
        t = IncidentText(
            id=n,
            title=inc.get("title") or "",
            impact=inc.get("impact") or "",
            root_cause=inc.get("root_cause") or "",
            other="\n".join(i.get("title", "") for i in data.get("items", [])),
        )
        t.classes = classify(t)
        texts.append(t)
        names[n] = doc.name
    matcher = Matcher(texts)
    ids = [t.id for t in texts]
    return {
        frozenset((names[t.id], names[r.incident_id]))
        for t in texts
        for r in matcher.resembling(t.id, ids)
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "postmortems")
    parser.add_argument("--pairs", type=Path, default=REPO / "bench" / "recurrence_pairs.csv")
    parser.add_argument("--show", action="store_true", help="Print every wrong pair.")
    args = parser.parse_args()

    import tracker.importing.run as run
    from tracker.config import Settings
    from tracker.context import AppContext
    from tracker.db import read_engine
    from tracker.recurrence.store import incident_classes, related_incidents

    spent = [0.0]
    original = run._recurrence

    def timed(*args: Any) -> dict[str, object]:
        t0 = time.perf_counter()
        try:
            return original(*args)
        finally:
            spent[0] += time.perf_counter() - t0

    run._recurrence = timed  # type: ignore[assignment]
    docs = sorted(
        p
        for p in args.corpus.iterdir()
        if p.is_file() and not p.name.endswith(".json") and p.name != "README.md"
    )
    with tempfile.TemporaryDirectory() as tmp:
        ctx = AppContext.build(Settings(), db_url=f"sqlite:///{Path(tmp) / 'r.db'}")
        ctx.engine()
        total = 0.0
        by_doc: dict[str, int] = {}
        crashed = []
        for doc in docs:
            t0 = time.perf_counter()
            try:
                result = run.import_documents(ctx, [str(doc)], want_actions=False)
            except Exception as exc:  # a parser crash on one document: note it, go on
                crashed.append(f"{doc.name}: {type(exc).__name__}")
                continue
            finally:
                total += time.perf_counter() - t0
            for o in result.outcomes:
                if o.incident and o.source.path:
                    by_doc[o.source.path.name] = o.incident["id"]
        for line in crashed:
            print(f"parser crashed on {line}")
        related: dict[int, set[int]] = {}
        classes: dict[str, list[str]] = {}
        with read_engine(ctx.engine()).connect() as conn:
            for name, incident_id in by_doc.items():
                related[incident_id] = {
                    r["incident_id"] for r in related_incidents(conn, incident_id)
                }
                classes[name] = incident_classes(conn, incident_id)
        ctx.close()
    pairs = load_pairs(args.pairs)
    name_of = {i: n for n, i in by_doc.items()}
    end_to_end = {
        frozenset((name_of[a], name_of[b])) for a, found in related.items() for b in found
    }
    both = [p for p in pairs if p[0] in by_doc and p[1] in by_doc]
    print(f"pairs: {len(pairs)} ({sum(1 for p in pairs if p[2])} related)")
    print(f"annotated fields, all pairs: {score(pairs, annotated(args.corpus))}")
    print(f"end to end, all pairs: {score(pairs, end_to_end)}")
    print(
        f"end to end, the {len(both)} pairs whose documents both import "
        f"({len(by_doc)} of {len(docs)} documents): {score(both, end_to_end)}"
    )
    print(
        f"import {total:.2f} s, of which recurrence {spent[0]:.2f} s "
        f"(+{100 * spent[0] / max(total - spent[0], 1e-9):.0f}% over the import without it)"
    )
    if args.show:
        for name in sorted(classes):
            print(f"  {name[:40]:40} {', '.join(classes[name])}")
        for a, b, t in pairs:
            if (frozenset((a, b)) in end_to_end) != t:
                print(f"  wrong: {a[:30]} / {b[:30]} (labelled {'related' if t else 'unrelated'})")


if __name__ == "__main__":
    main()
