"""Given one measure's words (and maybe its heading), when classified, then it gets this kind."""

from __future__ import annotations

import pytest

from tracker.postmortem import parse_postmortem
from tracker.postmortem.classify import classify, kind_from_label, kind_from_wording, kind_hint


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        # Alerting, monitoring, dashboards, logging, detection -> detective.
        ("Page the storage team when replication lag passes five minutes", "detective"),
        ("Build a dashboard for queue age per tenant", "detective"),
        ("Add structured logging around the token exchange", "detective"),
        ("Add a weekly check that every domain resolves", "detective"),
        ("Define an SLO for login latency", "detective"),
        # Runbooks, docs, training, drills, reviews, policies, on-call -> process.
        ("Write a runbook for draining a zone", "process"),
        ("Document how to rotate the webhook secret", "process"),
        ("Run a quarterly game day for region loss", "process"),
        ("Hold design reviews for schema changes", "process"),
        ("Agree a policy for freezing deploys before holidays", "process"),
        ("Put two more engineers on the on-call rotation", "process"),
        ("Share best practices for client retries with partner teams", "process"),
        ("Notify affected customers within an hour of an outage", "process"),
        ("Name an incident commander for every major incident", "process"),
        # Fixing the faulty part or restoring data -> corrective.
        ("Fix the off-by-one in the shard router", "corrective"),
        ("Revert the cache eviction change", "corrective"),
        ("Restore the deleted invoices from last night's snapshot", "corrective"),
        ("Rebuild the two corrupted search nodes", "corrective"),
        ("Re-enable the nightly compaction job", "corrective"),
        ("Backfill the missing billing events", "corrective"),
        ("Purge the corrupted thumbnails from the cache", "corrective"),
        ("Log every failed purge with the request id", "detective"),
        # Failover, fallbacks, degradation, workarounds: limiting an outage -> mitigation.
        ("Set up automatic failover for the primary database", "mitigation"),
        ("Serve cached results as a fallback when search is down", "mitigation"),
        ("Ship a workaround until the vendor fixes the driver", "mitigation"),
        ("Einen vorläufigen Umweg über das zweite Rechenzentrum einrichten", "mitigation"),
        # Protection against overload (since 2026-12-02, as the corpus answers read it): the
        # overload does not happen again -> preventive.
        ("Add a circuit breaker in front of the pricing service", "preventive"),
        ("Introduce rate limiting per API key", "preventive"),
        ("Keep spare capacity for launch week", "preventive"),
        ("Add jitter to client reconnects", "preventive"),
        ("Add read replicas to the session store", "preventive"),
        # Rehearsals and post-mortems are process work whatever they are about.
        ("Perform rehearsals of restoring the gateway", "process"),
        ("A post mortem will be written", "process"),
        # Publishing status, a report, visualising coverage, in other languages.
        ("リリース状況をSNSで公表する", "process"),
        ("Einen Bericht an die Schulträger senden", "process"),
        ("決済のエラー率を可視化する", "detective"),
        ("Do not run the migration on both nodes in the same time slot", "process"),
        # Tests, validation, guards, automation, isolation -> preventive.
        ("Add an integration test for the upgrade path", "preventive"),
        ("Validate config files before they are applied", "preventive"),
        ("Require two-factor authentication for maintainers", "preventive"),
        ("Give batch jobs a dedicated cluster", "preventive"),
        ("Enforce a quota on concurrent builds", "preventive"),
    ],
)
def test_wording_gives_the_kind(title: str, kind: str) -> None:
    assert classify(title) == kind


def test_deliverable_decides_over_its_subject() -> None:
    # A runbook about rollbacks is process work, not a rollback.
    assert classify("Rollbacks: write a runbook with the exact commands") == "process"
    # Probes that take bad instances out of rotation act on their own: mitigation.
    assert classify("Tune readiness probes so failing pods leave rotation fast") == "mitigation"
    assert classify("Build tooling to drain nodes during incidents") == "mitigation"
    # A restore into a scratch target tests the backups.
    assert classify("Schedule a job that restores backups into a scratch database") == "detective"


def test_earliest_specific_term_names_the_main_deliverable() -> None:
    assert classify("A job that renews certificates and alerts on failure") == "corrective"
    assert classify("Alerting when the renewal job fails") == "detective"
    assert classify("Apply a quota so builds beyond capacity fail fast") == "preventive"


def test_specific_terms_outrank_generic_verbs() -> None:
    # "increase" is generic; placeholder capacity is the point.
    assert classify("Increase the number of placeholder nodes before the launch") == "mitigation"
    # "review" as a verb is generic; credentials hygiene is the point.
    assert classify("Review and prune access tokens of all admins") == "preventive"


def test_generic_verbs_when_nothing_specific() -> None:
    assert classify("Decrease the connect timeout to two seconds") == "corrective"
    assert classify("Limit memory for the worker pods") == "preventive"
    assert classify("Once all hosts are verified as correct, delete the old zone") == "preventive"


def test_words_inside_longer_words_do_not_count() -> None:
    # "testnet" is not a test, "validators" are not validation.
    assert kind_from_wording("Write state migration code for the testnet") == "corrective"
    assert kind_from_wording("Let validators switch binaries") is None
    assert kind_from_wording("Map is visible on small screens") == "detective"  # generic only
    assert classify("Test coverage that the map is visible on small screens") == "preventive"


def test_title_is_read_before_the_description() -> None:
    assert classify("Shorten the retry window", description="Fix the client too") == "corrective"
    # A description hit is weak: a kind-naming heading outranks it.
    assert (
        classify(
            "Shorten the retry window",
            description="Our latency metrics showed the spike",
            heading="mitigation",
        )
        == "mitigation"
    )
    assert classify("Decrease retries", description="Watch the dashboard") == "corrective"


def test_label_wins_over_everything() -> None:
    assert classify("Add an alert on disk usage", label="process", heading="detective") == "process"


def test_heading_outranks_generic_words_but_not_detection_terms() -> None:
    assert classify("Increase the pool size", heading="mitigation") == "mitigation"
    assert classify("Add paging for the export queue", heading="preventive") == "detective"
    assert classify("Ask the vendor about their limits", heading="process") == "process"


def test_loose_process_heading_yields_to_specific_technical_words() -> None:
    assert classify("Use a dedicated node pool for big events", heading="process") == "preventive"
    assert classify("Spread out workshop start times", heading="process") == "process"


def test_time_horizon_hint_only_breaks_silence() -> None:
    assert classify("Move the connection limit to runtime settings", hint="corrective") == (
        "preventive"  # "limit" speaks
    )
    assert classify("Move the pool settings to runtime config", hint="corrective") == "corrective"
    assert classify("Move the pool settings to runtime config") == "preventive"


def test_labels_and_hints_from_headings() -> None:
    assert kind_from_label("Prevention") == "preventive"
    assert kind_from_label("Detection & monitoring") == "detective"
    assert kind_from_label("Front-end") is None
    assert kind_hint("Immediate actions (done)") == "corrective"
    assert kind_hint("Hotfixes") == "corrective"
    assert kind_hint("Long-term work") is None


def test_headings_reach_the_items_through_the_parser() -> None:
    text = (
        "# Queue stall\n\n"
        "## Action items\n\n"
        "### Immediate actions\n\n"
        "- Move the consumer settings to the runtime config\n"
        "- Restart the stuck consumers with the new client\n\n"
        "### Process improvements\n\n"
        "- Give the importer a dedicated worker pool\n"
        "- Spread out the partner onboarding calls\n\n"
        "### Detection\n\n"
        "- Track consumer lag per partition\n"
    )
    result = parse_postmortem(text, name="queue-stall.md")
    assert [m.kind for m in result.measures] == [
        "corrective",
        "corrective",
        "preventive",
        "process",
        "detective",
    ]
