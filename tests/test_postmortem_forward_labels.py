"""Forward-looking labels and follow-ups that small teams write, in synthetic documents.

Volunteer projects rarely write "Action items"; they write "For next year", "What we will
change" or "Next time" — as an underlined plain-text heading, a bold line over a list — and
report what they already changed in prose. The importer should find those measures too.
"""

from __future__ import annotations

import pytest

from tracker.postmortem import parse_postmortem


def titles(text: str, name: str) -> list[str]:
    return [m.title for m in parse_postmortem(text, name=name).measures]


@pytest.mark.parametrize(
    "label", ["FOR NEXT YEAR", "Next time", "In the future", "What we will change"]
)
def test_underlined_plain_text_forward_label_introduces_the_measures(label: str) -> None:
    underline = "-" * len(label)
    text = (
        "Subject: Outage of the build farm\n\nHi all,\n\nWHAT HAPPENED\n-------------\n\n"
        "The disk filled up and builds failed for a day.\n\n"
        f"{label}\n{underline}\n\n"
        "  - add a disk alert on every worker\n  - write the cleanup runbook down\n\nCheers\n"
    )
    assert titles(text, "mail.txt") == [
        "add a disk alert on every worker",
        "write the cleanup runbook down",
    ]


def test_bold_forward_label_over_a_rest_auto_numbered_list() -> None:
    text = """Package index outage
====================

The index was stale for two days.

**What we will change**

#. Make the sync two-phase: packages first, then the index.
#. Add a disk usage alert for the mirror host.

Thanks for your patience.
"""
    assert titles(text, "post.rst") == [
        "Make the sync two-phase: packages first, then the index",
        "Add a disk usage alert for the mirror host",
    ]


def test_sub_item_that_adds_an_action_is_a_measure_of_its_own() -> None:
    text = """# Build workers out of disk

## Action items

1. Put the cleanup job back in configuration management
   1. move the cron entry to the worker role
   2. it runs weekly and keeps the cache under 50 GB
   3. also prune container images older than 7 days
"""
    result = parse_postmortem(text, name="pm.md")
    assert [m.title for m in result.measures] == [
        "Put the cleanup job back in configuration management",
        "also prune container images older than 7 days",
    ]
    assert "keeps the cache under 50 GB" in result.measures[0].description


def test_work_already_done_is_reported_under_an_action_heading() -> None:
    text = """<html><body><h1>Storage outage</h1>
<p>The scratch filesystem hung for a night.</p>
<h2>What we are changing</h2>
<p>We have already paused automatic kernel updates on the storage servers; they now
wait for announced maintenance windows.</p>
<p>We will add a check for the mirror state to our monitoring.</p>
</body></html>"""
    result = parse_postmortem(text, name="news.html")
    first = result.measures[0]
    assert first.title.startswith("Pause automatic kernel updates on the storage servers")
    assert first.confidence >= 0.6


def test_lessons_prose_reports_a_change_already_made() -> None:
    text = """# About the world rollback

## What happened

The server lagged and the save was corrupted on shutdown.

## What we learned

Our backups ran only once a day. In the future we will make backups every 2 hours.
I already raised the shutdown timeout in the panel to 5 minutes, so that one is fixed.
And we are looking for two more helpers with Linux knowledge, if you are interested DM me!
"""
    imported = [
        m.title for m in parse_postmortem(text, name="post.md").measures if m.confidence >= 0.6
    ]
    assert any(t.startswith("Raise the shutdown timeout in the panel") for t in imported)
    assert "Look for two more helpers with Linux knowledge" in imported


def test_work_done_on_a_pronoun_is_not_a_measure() -> None:
    text = """# Scoreboard outage

Final scores are unchanged, we already published them on Sunday.

## Next steps

- Load test the scoreboard before the event
"""
    titles_found = [m.title for m in parse_postmortem(text, name="post.md").measures]
    assert titles_found == ["Load test the scoreboard before the event"]


def test_an_item_that_states_a_situation_gives_the_promise_it_ends_with() -> None:
    text = """# CI outage

## Action items

1. Add a disk alert on every worker
2. Weekend coverage: we are 4 volunteers, no on-call. Agreed that whoever sees a broken
   build first pings Tomasz; he'll set up phone notifications for that room.
"""
    assert titles(text, "pm.md") == [
        "Add a disk alert on every worker",
        "Set up phone notifications for that room",
    ]


@pytest.mark.parametrize(
    ("heading", "item"),
    [
        ("## La próxima vez", "Añadir una alerta de disco"),
        ("## À l’avenir", "Ajouter une alerte de disque"),
        ("## Für das nächste Mal", "Festplatten-Alarm einrichten"),
        ("## 次回に向けて", "ディスクのアラートを追加する"),
        ("## 下次", "增加磁盘告警"),
    ],
)
def test_forward_labels_in_other_languages(heading: str, item: str) -> None:
    text = f"# Incident\n\n## Timeline\n\n- 10:00 start\n\n{heading}\n\n- {item}\n"
    assert titles(text, "pm.md") == [item]


def test_an_instruction_that_mentions_a_situation_stays_beside_its_later_promise() -> None:
    text = """# CI outage

## Action items

1. Make sure there is a second runner. We will also add a disk alert on every worker.
"""
    assert titles(text, "pm.md") == [
        "Make sure there is a second runner",
        "Add a disk alert on every worker",
    ]
