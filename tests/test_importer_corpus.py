"""The importer against the annotated corpus of real post-mortems (read from ../shared).

Floors sit a little under what the importer reached when they were set, so a regression
fails the build while small annotation disagreements do not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.scoring import score_corpus, summary

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "postmortems"

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"post-mortem corpus not present at {CORPUS}"
)

# Measured: precision 0.973, recall 1.000, F1 0.986, kind accuracy 0.85 (was 0.64 before the
# tiered classifier), start 0.87, end 0.93, duration 1.00, title 1.00 (15 documents, 73 items).
FLOORS = {
    "precision": 0.90,
    "recall": 0.92,
    "f1": 0.92,
    "kind_accuracy": 0.80,
    "title_accuracy": 0.90,
    "started_accuracy": 0.75,
    "ended_accuracy": 0.80,
    "duration_accuracy": 0.90,
}


@pytest.fixture(scope="module")
def scores() -> list:  # type: ignore[type-arg]
    return score_corpus(CORPUS)


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_overall_score_stays_above_floor(scores: list, metric: str) -> None:  # type: ignore[type-arg]
    overall = summary(scores)
    assert overall[metric] >= FLOORS[metric], f"{metric} fell to {overall[metric]:.3f}"


def test_no_document_crashes_the_parser(scores: list) -> None:  # type: ignore[type-arg]
    assert [s.name for s in scores if s.error] == []


def test_zero_item_document_yields_no_items(scores: list) -> None:  # type: ignore[type-arg]
    empty = [s for s in scores if s.tp + s.fn == 0]
    assert empty, "the corpus should hold a document without action items"
    assert all(s.predicted == 0 for s in empty)
