"""Recurrence on the post-mortem corpus: precision and recall of related incidents against the
hand-labelled pairs in bench/recurrence_pairs.csv, and the share of import time it costs.

Imports every document of ../shared/postmortems into a fresh SQLite database (the real import
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


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

    def timed(session: object, result: object) -> dict[str, object]:
        t0 = time.perf_counter()
        try:
            return original(session, result)
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
    tp = fp = fn = tn = 0
    skipped = 0
    wrong = []
    with args.pairs.open(newline="") as f:
        for row in csv.DictReader(f):
            a, b = by_doc.get(row["document_a"]), by_doc.get(row["document_b"])
            if a is None or b is None:
                skipped += 1
                predicted = False
            else:
                predicted = b in related[a] or a in related[b]
            truth = row["label"] == "related"
            tp += predicted and truth
            fp += predicted and not truth
            fn += truth and not predicted
            tn += not predicted and not truth
            if predicted != truth:
                wrong.append((row["document_a"], row["document_b"], row["label"]))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(f"documents imported as incidents: {len(by_doc)} of {len(docs)}")
    print(
        f"pairs: {tp + fp + fn + tn} ({tp + fn} related); pairs with a document not imported: {skipped}"
    )
    print(f"precision {precision:.2f} ({tp}/{tp + fp}), recall {recall:.2f} ({tp}/{tp + fn})")
    print(
        f"import {total:.2f} s, of which recurrence {spent[0]:.2f} s "
        f"(+{100 * spent[0] / max(total - spent[0], 1e-9):.0f}% over the import without it)"
    )
    if args.show:
        for name in sorted(classes):
            print(f"  {name[:40]:40} {', '.join(classes[name])}")
        for a, b, label in wrong:
            print(f"  wrong: {a[:30]} / {b[:30]} (labelled {label})")


if __name__ == "__main__":
    main()
