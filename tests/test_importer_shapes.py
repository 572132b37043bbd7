"""The importer on the shapes of tests/data/shapes, one document per shape, every item found.

These documents were written alongside the rules that read them, so unlike the blind set
(tests/test_importer_synthetic.py) they pin behaviour rather than measure generalization.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.scoring import DocScore, corpus_documents, score_corpus
from tests.conftest import Cli

SHAPES = Path(__file__).parent / "data" / "shapes"
DOCUMENTS = corpus_documents(SHAPES)


def test_every_shape_has_a_document() -> None:
    assert len(DOCUMENTS) == 13


@pytest.mark.parametrize("score", score_corpus(SHAPES), ids=lambda s: s.name)
def test_every_measure_found_and_nothing_else(score: DocScore) -> None:
    assert (score.error, score.fn, score.fp) == (None, 0, 0), score


def test_a_bare_issue_link_is_an_action_named_by_its_reference(cli: Cli) -> None:
    result = cli("import", str(SHAPES / "h03-bare-issue-links.md"), "--json")
    assert result.code == 0, result.err
    [incident] = result.json()["incidents"]
    assert [(a["title"], a["tracking_ref"]) for a in incident["actions"]] == [
        ("example/image-service#318", "example/image-service#318"),
        ("example/image-service#319", "example/image-service#319"),
    ]


def test_a_closing_courtesy_line_is_offered_for_review_not_imported(cli: Cli) -> None:
    result = cli("import", str(SHAPES / "h02-question-heading-prose.md"), "--json")
    assert result.code == 0, result.err
    [incident] = result.json()["incidents"]
    assert [a["title"] for a in incident["actions"]][:2] == [
        "Run the export query against the new schema as part of every migration review, "
        "so a renamed column fails the review instead of the export",
        "Add an alert when no rows have been written for thirty minutes",
    ]
    assert [c["title"] for c in incident["candidates"]] == ["Thanks to everyone who helped"]
    assert "no action verb" in incident["candidates"][0]["reason"]


def test_item_decorations_become_owner_ticket_and_due_date(cli: Cli) -> None:
    result = cli("import", str(SHAPES / "h11-item-decorations.md"), "--json")
    assert result.code == 0, result.err
    [incident] = result.json()["incidents"]
    got = [(a["title"], a["owner"], a["tracking_ref"]) for a in incident["actions"]]
    assert got == [
        ("Add a canary stage", None, None),
        ("Alert on the 5xx ratio per endpoint", "@alice", "OPS-123"),
        ("Document the rollback procedure", "@bob", None),
    ]
    assert incident["actions"][2]["due_date"] == "2026-12-20"  # the others get the policy's
    assert incident["duration_minutes"] == 46  # not the "30 minutes" inside an item
