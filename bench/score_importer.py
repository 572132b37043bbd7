"""Report how well the post-mortem importer does on the annotated corpus.

    python bench/score_importer.py [--corpus DIR] [--split all|tuning|held-out] [--json]
                                   [--verbose] [--min-confidence X]

Prints per-document precision/recall/F1 of the measures, kind accuracy on the matched items
and incident-field accuracy (title, start, end, duration) for the TUNING documents only, then
one aggregate line each for "tuning", "held-out" and "all". The held-out documents
(bench.scoring.HELD_OUT) are never shown one by one: their aggregate is the honest figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scoring import (  # noqa: E402
    DEFAULT_CORPUS,
    MIN_CONFIDENCE,
    SPLITS,
    DocScore,
    score_corpus,
    split_scores,
    summary,
)


def _row(score: DocScore) -> str:
    flags = "".join(
        ("T" if score.fields.get("title") else "-")
        + ("S" if score.fields.get("started") else "-")
        + ("E" if score.fields.get("ended") else "-")
        + ("D" if score.fields.get("duration") else "-")
    )
    kinds = f"{score.kind_ok}/{score.kind_total}"
    return (
        f"{score.name[:44]:44} tp={score.tp:2} fp={score.fp:2} fn={score.fn:2} "
        f"P={score.precision:.2f} R={score.recall:.2f} kind={kinds:5} fields={flags} "
        f"cand={score.candidates}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--split", choices=SPLITS, default="all", help="score only these documents (default all)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses and extras")
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=MIN_CONFIDENCE,
        help="score the measures at or above this confidence (default: the import threshold)",
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus directory not found: {args.corpus}", file=sys.stderr)
        return 2
    scores = score_corpus(args.corpus, split=args.split, min_confidence=args.min_confidence)
    shown = [s for s in SPLITS if args.split == "all" or s == args.split]
    overall = {split: summary(split_scores(scores, split)) for split in shown}
    tuning = split_scores(scores, "tuning")
    if args.json:
        docs = [
            {
                "name": s.name,
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
                "precision": s.precision,
                "recall": s.recall,
                "kind_ok": s.kind_ok,
                "kind_total": s.kind_total,
                "fields": s.fields,
                "false_positives": s.false_positives,
                "missed": s.missed,
                "error": s.error,
            }  # fmt: skip
            for s in tuning
        ]
        print(json.dumps({"documents": docs, "overall": overall}, indent=2))
        return 0
    for score in tuning:
        print(_row(score))
        if score.error:
            print(f"    ERROR {score.error}")
        if args.verbose:
            for title in score.missed:
                print(f"    missed: {title[:100]}")
            for title in score.false_positives:
                print(f"    extra:  {title[:100]}")
    print()
    for split in shown:
        count = len(split_scores(scores, split))
        print(
            f"{split:9} ({count:2} docs) "
            "P={precision:.3f} R={recall:.3f} F1={f1:.3f} kind={kind_accuracy:.3f} "
            "title={title_accuracy:.2f} start={started_accuracy:.2f} end={ended_accuracy:.2f} "
            "duration={duration_accuracy:.2f}".format(**overall[split])
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
