"""An action item that is only a ticket or issue link is named by the sentence citing it."""

from __future__ import annotations

from tracker.postmortem import parse_postmortem
from tracker.postmortem.model import ParsedMeasure

THRESHOLD = 0.6  # `[import] min_confidence`'s default


def imported(text: str) -> list[ParsedMeasure]:
    return [m for m in parse_postmortem(text, name="pm.md").measures if m.confidence >= THRESHOLD]


def test_a_bare_card_link_takes_the_wording_of_the_sentence_that_cites_it() -> None:
    text = """# Metrics disk full

On 2026-04-02 at 10:00 UTC the metrics volume filled up; ingestion resumed at 12:30 UTC.

## Recovery

We grew the volume for now. As a lasting fix, we'll move old samples to object storage
as described in [OPS42](https://trello.com/c/abc123).

## Action items

- [OPS42](https://trello.com/c/abc123)
"""
    got = [(m.title, m.tracking_ref) for m in imported(text)]
    assert got == [("Move old samples to object storage", "OPS42")]


def test_a_bare_issue_link_nobody_describes_is_kept_with_its_reference() -> None:
    text = """# Wrong image format served

Between 2026-05-04 09:00 and 11:00 UTC some browsers got images they cannot show.

## Follow-ups

- https://github.com/acme/imageserver/issues/77
"""
    got = [(m.title, m.tracking_ref) for m in imported(text)]
    assert got == [("acme/imageserver#77", "acme/imageserver#77")]
