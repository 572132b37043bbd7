"""Given a post-mortem document, when it is parsed, then these are its incident and measures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tracker.postmortem import parse_postmortem
from tracker.postmortem.model import ParsedPostmortem

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEED = ROOT.parent / "shared" / "seeds" / "checkout-outage-postmortem.txt"


def parse_example(name: str) -> ParsedPostmortem:
    return parse_postmortem((EXAMPLES / name).read_text(encoding="utf-8"), name=name)


def tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


def rows(result: ParsedPostmortem) -> list[tuple[str, str]]:
    return [(m.title, m.kind) for m in result.measures]


@pytest.mark.skipif(not SEED.exists(), reason=f"seed document not present at {SEED}")
def test_seed_imports_exactly_its_three_measures() -> None:
    result = parse_postmortem(SEED.read_text(encoding="utf-8"), name=SEED.name)

    assert result.title == "Outage of the online shopping platform"
    assert result.started_at == datetime(2023, 2, 8, 8, 30, tzinfo=tz(-5))
    assert result.ended_at == datetime(2023, 2, 8, 10, 0, tzinfo=tz(-5))
    assert result.started_at.utcoffset() == timedelta(hours=-5)
    assert result.duration_minutes == 90
    assert result.impact is not None
    assert "unavailable for 90 minutes" in result.impact
    assert result.root_cause is not None
    assert "software bug" in result.root_cause
    assert len(result.timeline) == 7
    assert all(e.at is not None and e.at.tzinfo is not None for e in result.timeline)
    assert {e.at.date() for e in result.timeline if e.at} == {date(2023, 2, 8)}
    titles = [m.title for m in result.measures]
    assert len(titles) == 3
    assert titles[0].startswith("The development team will thoroughly test")
    assert titles[1].startswith("Monitoring will be set up")
    assert titles[2].startswith("Regular code reviews")
    assert [m.kind for m in result.measures] == ["preventive", "detective", "process"]


def test_plain_text_upper_case_headings() -> None:
    result = parse_example("payments-latency-postmortem.txt")

    assert result.format == "text"
    assert result.title == "Payment gateway timeouts at checkout"
    assert result.started_at == datetime(2024, 3, 14, 14, 5, tzinfo=tz(-4))
    assert result.ended_at == datetime(2024, 3, 14, 15, 20, tzinfo=tz(-4))
    assert result.duration_minutes == 75
    assert len(result.timeline) == 8
    assert result.timeline[1].at == datetime(2024, 3, 14, 14, 9, tzinfo=tz(-4))
    assert result.timeline[1].text == "The on-call engineer was paged by the checkout error alert."
    assert rows(result) == [
        (
            "Restore the per-service connection pool settings and remove the staging value "
            "from the shared template",
            "corrective",
        ),
        (
            "Add an alert on connection pool saturation for every service that talks to the "
            "card processor",
            "detective",
        ),
        ("Add a validation test that rejects pool sizes below 100 for production services",
         "preventive"),
        (
            "Update the configuration review checklist so reviewers see every service that "
            "inherits a changed value",
            "process",
        ),
    ]  # fmt: skip


def test_markdown_bullets_with_inline_owner_due_priority_refs_and_status() -> None:
    result = parse_example("search-index-outage.md")

    assert result.title == "Search results empty after index migration"
    assert result.started_at == datetime(2024, 5, 21, 10, 5, tzinfo=UTC)
    assert result.ended_at == datetime(2024, 5, 21, 12, 15, tzinfo=UTC)
    assert result.duration_minutes == 130
    assert len(result.timeline) == 6
    measures = result.measures
    assert [m.title for m in measures] == [
        "Make the migration job verify the document count of every shard before reporting success",
        "Add an alert when the share of empty result pages exceeds 5%",
        "Write a runbook for switching search traffic between index versions",
        "Fix the mapping for the subtitle field that broke shard 3",
        "Schedule future migrations in the low-traffic window",
    ]
    assert measures[0].tracking_ref == "lumenbooks/search-indexer#412"
    assert (measures[1].owner, measures[1].due_date) == ("@tomasz", date(2024, 6, 15))
    assert measures[1].kind == "detective"
    assert (measures[2].priority, measures[2].kind) == ("P2", "process")
    assert (measures[3].doc_status, measures[3].kind) == ("done", "corrective")
    assert measures[4].tracking_ref == "SRCH-88"
    # "What went wrong" holds a "should" lesson: it is not a measure.
    assert not any("compared document counts" in m.title for m in measures)


def test_markdown_table_maps_type_owner_priority_due_and_ticket() -> None:
    result = parse_example("login-failures-table.md")

    assert result.started_at == datetime(2023, 10, 11, 6, 12, tzinfo=tz(1))
    assert result.ended_at == datetime(2023, 10, 11, 6, 59, tzinfo=tz(1))
    assert result.duration_minutes == 47
    assert [(e.at, e.text) for e in result.timeline][0] == (
        datetime(2023, 10, 11, 6, 0, tzinfo=tz(1)),
        "Certificate rotation job starts",
    )
    got = [
        (m.title, m.kind, m.owner, m.priority, m.due_date, m.tracking_ref) for m in result.measures
    ]
    assert got == [
        (
            "Publish the new public key to all gateways before switching the signing key",
            "corrective", "Ana Ferreira", "P1", date(2023, 10, 20), "IAM-512",
        ),
        (
            "Alert on sign-in failure ratio per client, not only globally",
            "detective", "Jonas Berg", "P2", date(2023, 11, 3), "IAM-513",
        ),
        (
            "Notify the rotation owner when a manual approval is waiting",
            "process", "identity-team", "P2", date(2023, 11, 10), "IAM-514",
        ),
        (
            "Test the full rotation in staging every month",
            "preventive", "Ana Ferreira", "P3", date(2023, 12, 1), "IAM-515",
        ),
    ]  # fmt: skip


def test_nested_checkboxes_make_children_the_items() -> None:
    result = parse_example("queue-backlog-checkboxes.md")

    assert result.started_at == datetime(2024, 8, 2, 8, 30, tzinfo=tz(-7))  # Pacific, summer
    assert result.ended_at == datetime(2024, 8, 2, 13, 15, tzinfo=tz(-7))
    assert result.duration_minutes == 300  # stated "about 5 hours" wins over 285
    got = [(m.title, m.kind, m.doc_status, m.tracking_ref) for m in result.measures]
    assert got == [
        ("Set the prefetch count explicitly in the consumer configuration",
         "preventive", "done", None),
        ("Add a load test that fails when consumer throughput drops below 500 messages per "
         "second", "preventive", "in_progress", None),
        ("Alert on queue depth and on the age of the oldest message order-events",
         "detective", None, None),
        ("Alert on queue depth and on the age of the oldest message payment-events",
         "detective", None, None),
        ("Add consumer throughput to the warehouse dashboard", "detective", None, None),
        ("Pin client library versions and review their changelogs during upgrades",
         "process", None, "tidewater/ops#77"),
    ]  # fmt: skip


def test_sub_headings_carry_status_reference_and_due_window() -> None:
    result = parse_example("cdn-cache-purge-numbered.md")

    assert result.started_at == datetime(2024, 9, 3, 6, 0, tzinfo=UTC)
    assert result.ended_at == datetime(2024, 9, 3, 9, 5, tzinfo=UTC)
    assert result.duration_minutes == 180
    got = [(m.title, m.doc_status, m.tracking_ref, m.due_date) for m in result.measures]
    ref = "corvid-electronics/storefront#1874"
    assert got == [
        ("Issue a new CDN API token stored in the secrets manager", "done", None, None),
        ("Re-run the cache purge and verify prices on a sample of product pages",
         "done", None, None),
        ("Log purge failures at error level and fail the price update job when a purge fails",
         "in_progress", ref, None),
        ("Add a synthetic check that compares the price on the product page with the pricing "
         "API", "in_progress", ref, None),
        ("Automate token rotation for every third-party API credential",
         None, None, date(2025, 3, 31)),
        ("Document ownership of all third-party credentials in the service catalogue",
         None, None, date(2025, 3, 31)),
    ]  # fmt: skip
    assert result.measures[3].kind == "detective"
    assert result.measures[5].kind == "process"


def test_restructured_text_with_substitution_and_auto_numbered_list() -> None:
    result = parse_example("backup-restore-failure.rst")

    assert result.format == "rst"
    assert result.title == "Incident report: Ledger archive restore test failed"
    assert result.timeline[0].at == datetime(2024, 2, 12, 9, 0, tzinfo=tz(1))
    assert result.timeline[3].text.endswith("restored successfully")
    assert rows(result) == [
        ("Upgrade the restore tool on the recovery cluster to a version that reads zstd",
         "corrective"),
        ("Set the compression of the backup agent explicitly in its configuration",
         "preventive"),
        ("Add a nightly job that restores the newest backup to a scratch volume and alerts on "
         "failure", "detective"),
        ("Review the change procedure for backup components with the platform team",
         "process"),
    ]  # fmt: skip


def test_a_document_of_section_headings_only_is_titled_by_its_file_name() -> None:
    text = """## Summary

Date: 28 Feb 2017 (~1738) to 01 Mar 2017 (~2054)

## What happened?

Image uploads failed.

## How was it fixed

We waited for the storage provider.
"""
    result = parse_postmortem(text, name="2017-02-28 -- Image uploads failing.md")

    assert result.title == "Image uploads failing"
