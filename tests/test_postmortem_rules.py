"""Small synthetic documents, one rule each: dates, intros, tables, formats, fallbacks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tracker.postmortem import parse_postmortem

AMBIGUOUS = """# Cache stampede

Incident window: 02/08/2023 14:00 to 02/08/2023 15:30 UTC

## Action items

- Add request coalescing to the cache client
"""


def test_ambiguous_date_read_month_first_with_a_warning() -> None:
    result = parse_postmortem(AMBIGUOUS, date_order="MDY")

    assert result.started_at == datetime(2023, 2, 8, 14, 0, tzinfo=UTC)
    warnings = [w for w in result.warnings if w.code == "ambiguous_date"]
    assert len(warnings) == 1
    assert "02/08/2023" in warnings[0].message
    assert "2023-02-08" in warnings[0].message


def test_ambiguous_date_read_day_first_when_configured() -> None:
    result = parse_postmortem(AMBIGUOUS, date_order="DMY")

    assert result.started_at == datetime(2023, 8, 2, 14, 0, tzinfo=UTC)
    warnings = [w for w in result.warnings if w.code == "ambiguous_date"]
    assert len(warnings) == 1
    assert "2023-08-02" in warnings[0].message


def test_unambiguous_date_gives_no_warning() -> None:
    text = AMBIGUOUS.replace("02/08/2023", "02/18/2023")
    result = parse_postmortem(text, date_order="DMY")

    assert result.started_at == datetime(2023, 2, 18, 14, 0, tzinfo=UTC)
    assert not [w for w in result.warnings if w.code == "ambiguous_date"]


def test_document_without_measures_warns_and_returns_none() -> None:
    text = """# Brief network blip

## Summary

On 4 March 2024 the office VPN dropped for a few minutes. Nothing needs to change.

## Timeline

- 10:01 UTC VPN tunnel drops
- 10:06 UTC Tunnel re-established
"""
    result = parse_postmortem(text)

    assert result.measures == []
    assert [w.code for w in result.warnings] == ["no_measures"]
    assert result.started_at == datetime(2024, 3, 4, 10, 1, tzinfo=UTC)


def test_empty_table_rows_and_non_kind_type_column_are_ignored() -> None:
    text = """# Map tiles missing

## Action items

| Description | Type | Owner | Issue # |
| ----------- | ---- | ----- | ------- |
| | | | |
| Add a visual test for the map on small screens | Front-end | Priya | https://github.com/acme/web/pull/88 |
| | | | |
"""
    result = parse_postmortem(text)

    assert len(result.measures) == 1
    measure = result.measures[0]
    assert measure.title == "Add a visual test for the map on small screens"
    assert measure.kind == "preventive"  # "Front-end" is an area, not a kind
    assert measure.owner == "Priya"
    assert measure.tracking_ref == "acme/web#88"


def test_action_table_without_heading_and_status_in_cells() -> None:
    text = """# Upgrade halt

| Action Item | Type | Owner | Bug |
| --- | --- | --- | --- |
| Publish upgrade checklist | process | Core team | n/a DONE |
| Add multi-node upgrade tests | prevention | Core team | TODO |
"""
    result = parse_postmortem(text)

    got = [(m.title, m.kind, m.owner, m.doc_status) for m in result.measures]
    assert got == [
        ("Publish upgrade checklist", "process", "Core team", "done"),
        ("Add multi-node upgrade tests", "preventive", "Core team", "open"),
    ]


def test_intro_sentences_are_not_measures() -> None:
    text = """# Disk full on build agents

## Follow-ups

Three main action items came out of this incident:

1. Rotate build logs daily
2. Alert at 80% disk usage
"""
    result = parse_postmortem(text)

    assert [m.title for m in result.measures] == [
        "Rotate build logs daily",
        "Alert at 80% disk usage",
    ]


def test_list_introduced_by_prevention_sentence_without_heading() -> None:
    text = """## Mail delays on 2024-01-09

Outbound mail was delayed between 2024-01-09 08:00 UTC and 2024-01-09 09:15 UTC.

To prevent this from happening again we have made these changes:

1. Doubled the worker pool of the mail relay.
2. A queue-age alert has been added.

We apologise for the delay.
"""
    result = parse_postmortem(text)

    assert [m.title for m in result.measures] == [
        "Doubled the worker pool of the mail relay",
        "A queue-age alert has been added",
    ]
    assert result.duration_minutes == 75


def test_prose_follow_ups_are_a_fallback_without_an_action_section() -> None:
    text = """# Analytics gap

For about 6 hours the collector dropped events. I fixed the config already.
I'll add an alert when the event rate drops to zero. We plan to run the collector in two zones.
"""
    result = parse_postmortem(text)

    assert [m.title for m in result.measures] == [
        "Add an alert when the event rate drops to zero",
        "Run the collector in two zones",
    ]
    assert result.duration_minutes == 360


def test_lessons_and_block_quotes_and_went_wrong_lists_are_distractors() -> None:
    text = """# Payment retries

## What went wrong

1. Retries were not bounded

> Note from the on-call:
> 1. We should have paged earlier

## Lessons learned

- We should test failover more often

## Action items

- Bound payment retries to three attempts
"""
    result = parse_postmortem(text)

    assert [m.title for m in result.measures] == ["Bound payment retries to three attempts"]


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2022-09-07 20:20 GST", datetime(2022, 9, 7, 20, 20, tzinfo=timezone(timedelta(hours=4)))),
        ("2017-11-30 16:22 PST", datetime(2017, 11, 30, 16, 22, tzinfo=timezone(timedelta(hours=-8)))),
        ("2021-07-01 16:22 PST", datetime(2021, 7, 1, 16, 22, tzinfo=timezone(timedelta(hours=-8)))),
        ("2021-07-01 09:15 ET", datetime(2021, 7, 1, 9, 15, tzinfo=timezone(timedelta(hours=-4)))),
        ("2021-12-01 09:15 ET", datetime(2021, 12, 1, 9, 15, tzinfo=timezone(timedelta(hours=-5)))),
        ("2023-01-05 11:00 UTC+04", datetime(2023, 1, 5, 11, 0, tzinfo=timezone(timedelta(hours=4)))),
        ("2023-01-05T11:00:00Z", datetime(2023, 1, 5, 11, 0, tzinfo=UTC)),
        ("7th September, 2022 21:09 CEST", datetime(2022, 9, 7, 21, 9, tzinfo=timezone(timedelta(hours=2)))),
        ("07-29-2023 11:51 am PDT", datetime(2023, 7, 29, 11, 51, tzinfo=timezone(timedelta(hours=-7)))),
        ("20-09-2023 14:32 UTC", datetime(2023, 9, 20, 14, 32, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_date_forms_and_zones(stamp: str, expected: datetime) -> None:
    text = f"# Incident\n\n**Date of incident:** {stamp}\n\n## Action items\n\n- Fix it now\n"
    result = parse_postmortem(text)

    assert result.started_at == expected
    assert result.started_at is not None
    assert result.started_at.utcoffset() == expected.utcoffset()


def test_front_matter_title_and_date_from_file_name() -> None:
    text = """---
title: Token exposure disclosure
author: someone
---

A build token was exposed in public logs.

### What we're doing about it

- We rotated every build token.
"""
    result = parse_postmortem(text, name="2021-03-02-token-exposure.md")

    assert result.title == "Token exposure disclosure"
    assert result.started_at is None
    assert result.started_on == date(2021, 3, 2)
    assert [(m.title, m.doc_status) for m in result.measures] == [
        ("Rotate every build token", "done")
    ]


def test_sql_migration_holding_html_notice() -> None:
    text = """begin;
\tinsert into notices (subject, body) values ('Queue outage', '
<p>From Mar 3 10:00 until Mar 3 12:30 UTC no jobs ran &mdash; sorry.</p>
<p>I&rsquo;ll add a watchdog that restarts the scheduler when it stalls.</p>
');
\tinsert into version values ('2022-03-03-1-notice');
commit;
"""
    result = parse_postmortem(text, name="2022-03-03-1-notice.sql")

    assert result.format == "html"
    assert result.title == "Queue outage"
    assert result.started_at == datetime(2022, 3, 3, 10, 0, tzinfo=UTC)
    assert result.ended_at == datetime(2022, 3, 3, 12, 30, tzinfo=UTC)
    assert result.duration_minutes == 150
    assert [m.title for m in result.measures] == [
        "Add a watchdog that restarts the scheduler when it stalls"
    ]


def test_links_refs_and_status_markers_are_stripped_from_titles() -> None:
    text = """# Build outage

## Action items

- [ ] Cache dependencies between CI runs (in progress) [PR](https://github.com/acme/ci/pull/12)
- [ ] Document the [release process](https://wiki.example.com/release) ([#40](https://github.com/acme/ci/issues/40))
- TODO: Add disk alerts OPS-981
"""
    result = parse_postmortem(text)

    got = [(m.title, m.tracking_ref, m.doc_status) for m in result.measures]
    assert got == [
        ("Cache dependencies between CI runs", "acme/ci#12", "in_progress"),
        ("Document the release process", "acme/ci#40", None),
        ("Add disk alerts", "OPS-981", "open"),
    ]
