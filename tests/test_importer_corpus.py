"""The importer against the annotated corpus of real post-mortems (read from ../shared).

Scored as the importer imports: measures at or above `[import] min_confidence` (0.6) are the
predictions; those below are review candidates and count neither way. Floors sit a little
under what the importer reached when they were set, so a regression fails the build while
small annotation disagreements do not. The held-out documents (bench.scoring.HELD_OUT) were
never opened while tuning; their floor is the honest generalization figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.scoring import DocScore, score_corpus, split_scores, summary

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "postmortems"

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"post-mortem corpus not present at {CORPUS}"
)

# Measured 2026-12-02 (45 documents, 186 items; held-out = 18, 23, 28, 33, 38, 43):
#   all       P 0.959 R 0.871 F1 0.913  kind 0.681  title 0.91 start 0.62 end 0.76 duration 0.80
#   held-out  P 0.846 R 0.440 F1 0.579  kind 0.455  title 0.83 start 0.17 end 0.50 duration 0.67
# (before issue 11's work, scored the same way: all F1 0.725, held-out F1 0.571.)
# Re-measured 2026-12-02 after the second round (labels, dates and kinds in other languages,
# reST through docutils): the same figures, so the floors stay where they are.
# Re-measured 2026-12-02 after the third round (prose follow-ups in German and at the close of
# a document, kind words); floors raised to a little under these:
#   tuning    P 0.964 R 0.988 F1 0.975  kind 0.777  title 0.92 start 0.69 end 0.79 duration 0.82
#   all       P 0.955 R 0.914 F1 0.934  kind 0.756  title 0.91 start 0.62 end 0.76 duration 0.80
#   held-out  P 0.846 R 0.440 F1 0.579  kind 0.455  title 0.83 start 0.17 end 0.50 duration 0.67
# The held-out floors are loose on purpose: six documents, 25 items; one item moves F1 ~0.04.
FLOORS: dict[str, dict[str, float]] = {
    "tuning": {
        "precision": 0.94,
        "recall": 0.97,
        "f1": 0.96,
        "kind_accuracy": 0.75,
    },
    "all": {
        "precision": 0.93,
        "recall": 0.89,
        "f1": 0.91,
        "kind_accuracy": 0.73,
        "title_accuracy": 0.87,
        "started_accuracy": 0.57,
        "ended_accuracy": 0.71,
        "duration_accuracy": 0.75,
    },
    "held-out": {
        "precision": 0.75,
        "recall": 0.40,
        "f1": 0.52,
        "title_accuracy": 0.66,
        "kind_accuracy": 0.36,
        "duration_accuracy": 0.5,
    },
}
FLOOR_CASES = [(split, metric) for split, floors in FLOORS.items() for metric in sorted(floors)]

# Documents with answers that still come back with no measure at all (not even a review
# candidate): known gaps, listed so that they are not hidden. 18 is held out (its single
# follow-up is, per the corpus README, a clause in Chinese prose). 25 (a German status log) left
# this list in the third round: German passive commitments and the newest update of a log.
KNOWN_EMPTY: set[int] = {18}


@pytest.fixture(scope="module")
def scores() -> list[DocScore]:
    return score_corpus(CORPUS)


def _number(score: DocScore) -> int:
    return int(score.name.split("-", 1)[0])


@pytest.mark.parametrize(("split", "metric"), FLOOR_CASES)
def test_score_stays_above_floor(scores: list[DocScore], split: str, metric: str) -> None:
    overall = summary(split_scores(scores, split))
    floor = FLOORS[split][metric]
    assert overall[metric] >= floor, f"{split} {metric} fell to {overall[metric]:.3f}"


def test_no_document_crashes_the_parser(scores: list[DocScore]) -> None:
    assert [s.name for s in scores if s.error] == []


def test_a_document_with_answers_never_comes_back_empty(scores: list[DocScore]) -> None:
    empty = {_number(s) for s in scores if s.tp + s.fn > 0 and s.predicted + s.candidates == 0}
    assert empty == KNOWN_EMPTY


def test_zero_item_documents_yield_no_measures(scores: list[DocScore]) -> None:
    zero = [s for s in scores if s.tp + s.fn == 0]
    assert zero, "the corpus should hold documents without action items"
    assert [s.name for s in zero if s.predicted] == []
