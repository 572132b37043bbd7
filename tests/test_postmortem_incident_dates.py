"""The incident window of small teams' posts: a date in the title, front matter or file name
gives the day for weekday-led or bare times; a year missing from the text comes from the post."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from tracker.postmortem import parse_postmortem
from tracker.postmortem.dates import on_or_after, weekday_number


def test_weekday_led_times_count_from_the_date_in_the_title() -> None:
    text = """# 2025-11-08 Build farm stalled

## Timeline (UTC)

* Sat 03:15 - queue stops draining
* Sat 09:00 - someone retries a build
* Sun 14:45 - workers restarted, builds green again

## Follow-ups

1. Alert when the queue stops draining
"""
    result = parse_postmortem(text, name="notes.md")
    assert result.started_at == datetime(2025, 11, 8, 3, 15, tzinfo=UTC)
    assert result.ended_at == datetime(2025, 11, 9, 14, 45, tzinfo=UTC)
    assert result.duration_minutes == 35 * 60 + 30


def test_a_yearless_day_in_the_opening_takes_the_year_of_the_front_matter() -> None:
    text = """---
title: Printing broken on Tuesday
date: 2024-10-09 10:00:00 +0200
---

On **Tuesday, October 8th**, nobody could print between 10:05 and 11:20 (CEST).

## What we will do

- Monitor the print queue
"""
    result = parse_postmortem(text, name="post.md")
    cest = timezone(timedelta(hours=2))
    assert result.started_at == datetime(2024, 10, 8, 10, 5, tzinfo=cest)
    assert result.ended_at == datetime(2024, 10, 8, 11, 20, tzinfo=cest)


def test_weekday_arithmetic_counts_forward_from_a_known_day() -> None:
    saturday = date(2025, 11, 8)
    assert on_or_after(saturday, weekday_number("Sat") or 0) == saturday
    assert on_or_after(saturday, weekday_number("Sunday") or 0) == date(2025, 11, 9)
    assert on_or_after(saturday, weekday_number("Montag") or 0) == date(2025, 11, 10)
    assert weekday_number("sábado") == 5
