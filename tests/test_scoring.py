"""The corpus scorer's reading of an annotator's borderline entries (bench/scoring.py)."""

from __future__ import annotations

from bench.scoring import is_borderline

ENTRY = "'Personal' bullets (Understand the business, Write things down) - the author's goals"


def test_each_bullet_named_in_one_borderline_entry_is_borderline() -> None:
    assert is_borderline("Understand the business: read the contracts; ask", [ENTRY])
    assert is_borderline("Write things down", [ENTRY])


def test_an_extra_the_entry_does_not_name_still_counts_against_the_importer() -> None:
    assert not is_borderline("Rotate the signing keys every quarter", [ENTRY])
