"""Due dates and urgency: the pure rules behind 'overdue', 'due soon' and typed due dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tracker.policy import describe_due, due_date_for, median_days_to_close, parse_due, urgency

TODAY = date(2026, 11, 27)  # a Friday


def test_slo_due_dates_follow_priority() -> None:
    assert due_date_for("P0", TODAY) == date(2026, 12, 4)
    assert due_date_for("P3", TODAY, {"P3": 90}) == date(2027, 2, 25)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        ("open", date(2026, 11, 26), "overdue"),
        ("in_progress", TODAY, "due_today"),
        ("blocked", date(2026, 12, 1), "due_soon"),
        ("open", date(2027, 1, 1), "on_track"),
        ("open", None, "no_due_date"),
        ("done", date(2026, 1, 1), "closed"),
        ("wont_do", date(2026, 1, 1), "closed"),
    ],
)
def test_urgency(status: str, due: date | None, expected: str) -> None:
    assert urgency(status, due, TODAY, soon_days=7) == expected


def test_describe_due_in_words() -> None:
    assert describe_due("open", date(2026, 11, 24), TODAY) == "3d overdue"
    assert describe_due("open", date(2026, 11, 29), TODAY) == "in 2d"
    assert describe_due("open", TODAY, TODAY) == "today"
    assert describe_due("done", date(2026, 11, 24), TODAY) == "2026-11-24"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("+14d", date(2026, 12, 11)),
        ("14d", date(2026, 12, 11)),
        ("+2w", date(2026, 12, 11)),
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 28)),
        ("friday", date(2026, 12, 4)),
        ("next friday", date(2026, 12, 4)),
        ("monday", date(2026, 11, 30)),
        (" Next Monday ", date(2026, 11, 30)),
    ],
)
def test_parse_due_accepts_what_people_type(text: str, expected: date) -> None:
    assert parse_due(text, TODAY) == expected


def test_next_weekday_said_early_in_the_week_skips_to_next_week() -> None:
    monday = date(2026, 11, 23)
    assert parse_due("friday", monday) == date(2026, 11, 27)
    assert parse_due("next friday", monday) == date(2026, 12, 4)


@pytest.mark.parametrize("text", ["", "someday", "2026-13-01", "31/12/2026", "+d"])
def test_parse_due_refuses_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_due(text, TODAY)


def test_median_days_to_close() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    pairs = [
        (t, datetime(2026, 1, 2, tzinfo=UTC)),
        (t, datetime(2026, 1, 4, tzinfo=UTC)),
        (t, datetime(2026, 1, 11, tzinfo=UTC)),
    ]
    assert median_days_to_close(pairs) == 3.0
    assert median_days_to_close([]) is None
