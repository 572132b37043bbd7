"""The parser's cheap pre-checks only skip work: results equal the full regex scans."""

from __future__ import annotations

import re

import pytest

from tracker.postmortem import inline
from tracker.postmortem.dates import DURATION_RE, DateContext, find_dates, period_end
from tracker.postmortem.dates import stated_duration as fast_duration

SAMPLES = [
    "Add an alert on queue depth",
    "Rotate the signing key (done)",
    "Rotate the signing key (In-Progress)",
    "Fix the retry loop (item 12)",
    "DONE Restore the backups",
    "Write the runbook - TODO",
    "Write the runbook ✅",
    "_completed in March_",
    "Migrate the cache (owner: @dana) P1",
    "Assigned to: Lee; priority high",
    "Ship the guard — @sam",
    "Due: 2024-05-01 add the canary",
    "Renew before Sept 3rd, 2025",
    "Q4 2025 - Q1 2026",
    "H2 2024",
    "Review on 9/25 at 10:00",
    "Ticket OPS-1234 tracks it",
    "Ticket OPS-1234",
    "See https://github.com/acme/api/issues/7",
    "Ｄｏｎｅ (ＤＯＮＥ) in ﬁxed ſtarted",  # non-ASCII: the full scans run
    "Kelvin \u212a sign and the long \u017f",
    "",
]


def _slow_take_status(text: str) -> tuple[str, str | None]:
    status = None
    for pattern, value in inline.STATUS_MARKERS:
        if pattern.search(text):
            status = status or value
            text = pattern.sub(" ", text)
    return text.strip(), status


@pytest.mark.parametrize("text", SAMPLES)
def test_status_owner_priority_prechecks_change_nothing(text: str) -> None:
    assert inline._take_status(text) == _slow_take_status(text)
    m = inline.OWNER_RE.search(text)
    assert (inline._take_owner(text)[1] is None) == (m is None or not (m["a"] or m["b"] or m["c"]))
    assert (inline._take_priority(text)[1] is None) == (inline.PRIORITY_RE.search(text) is None)


@pytest.mark.parametrize("text", SAMPLES)
def test_ref_and_due_prechecks_change_nothing(text: str) -> None:
    ctx = DateContext(default_year=2024)
    keys = [m["key"] for m in inline.JIRA_KEY_RE.finditer(inline.URL_RE.sub(" ", text))]
    assert [r for r in inline.refs_in(text) if "#" not in r] == [
        k for k in dict.fromkeys(keys) if not inline.NOT_JIRA.match(k)
    ]
    cue = inline.DUE_CUE_RE.search(text)
    if cue is None:
        assert inline._take_due(text, ctx) == (text, None)


def test_dates_found_with_and_without_month_names_or_digits() -> None:
    ctx = DateContext(default_year=2024)
    assert find_dates("no digits here, only March", ctx) == []
    assert [d.value.isoformat() for d in find_dates("9/25 paged; see March 3", ctx)] == [
        "2024-09-25",
        "2024-03-03",
    ]
    assert [d.value.isoformat() for d in find_dates("7th SEPTEMBER, 2022", ctx)] == ["2022-09-07"]
    assert period_end("no period", ctx) is None
    assert period_end("q4 2025", ctx) is not None


@pytest.mark.parametrize(
    "text",
    [
        "It was down for about 2 hours.",
        "The outage lasted 45 minutes",
        "Downtime of ~3 hours and 10 minutes",
        "Used for nothing. Then an outage of twelve hours",
        "formerly for example",
        "",
    ],
)
def test_duration_cue_scan_finds_the_same_match(text: str) -> None:
    m = DURATION_RE.search(text)
    assert (fast_duration(text) is None) == (m is None)


def test_whitespace_collapse_matches_regex() -> None:
    text = "a\u00a0 b\t\nc\u2003d\x1c e "
    assert inline.strip_markup(text) == re.sub(r"\s+", " ", text).strip()
