"""Third round of issue 11: prose follow-ups and kinds, each in a small synthetic document.

German passive commitments, the newest update of a status-page log, two instructions joined
by "and" in one promise, and kind words that hold in general.
"""

from __future__ import annotations

from tracker.postmortem import parse_postmortem
from tracker.postmortem.model import ParsedPostmortem

THRESHOLD = 0.6  # `[import] min_confidence`'s default


def parse(text: str, name: str = "pm.md") -> ParsedPostmortem:
    return parse_postmortem(text, name=name)


def imported(result: ParsedPostmortem) -> dict[str, str]:
    return {m.title: m.reason for m in result.measures if m.confidence >= THRESHOLD}


def test_german_passive_commitment_in_closing_prose() -> None:
    text = """# Ausfall des Mailrelays

Am 3. März 2025 nahm das Relay zwei Stunden lang keine Mails an.

Die Warteschlange lief voll, weil ein Zertifikat abgelaufen war.

Eine Überwachung der Zertifikatslaufzeiten wird in Zukunft eingerichtet.
"""
    found = imported(parse(text))
    assert "Eine Überwachung der Zertifikatslaufzeiten wird in Zukunft eingerichtet" in found
    assert (
        "in zukunft"
        in found["Eine Überwachung der Zertifikatslaufzeiten wird in Zukunft eingerichtet"]
    )


def test_german_passive_without_a_measure_verb_is_not_a_commitment() -> None:
    text = """# Ausfall des Mailrelays

Die Warteschlange wird größer, wenn das Relay langsam ist.
"""
    assert imported(parse(text)) == {}


def test_the_newest_update_of_a_status_log_closes_it() -> None:
    text = """---
title: Anmeldung gestört
---

## 14.02.2026

- Störung behoben, die Anmeldung funktioniert wieder
- es wird ein Bericht zur Ursache erstellt

## 12.02.2026 - 09:30 Uhr

- Anmeldungen schlagen fehl, die Ursache wird gesucht
"""
    found = imported(parse(text))
    assert list(found) == ["Es wird ein Bericht zur Ursache erstellt"]
    assert "'14.02.2026'" in found["Es wird ein Bericht zur Ursache erstellt"]


def test_an_older_update_of_a_status_log_does_not_promise() -> None:
    text = """## 3.05.2026

- Alles funktioniert wieder

## 2.05.2026

- es wird ein Workaround eingerichtet
"""
    assert imported(parse(text)) == {}


def test_two_instructions_joined_by_and_are_two_measures() -> None:
    text = """# Game day

The checkers fell behind during the first hour.

## Lessons

Next time we will use bigger machines for the checkers and load test the platform before the game.
"""
    found = imported(parse(text))
    assert "Use bigger machines for the checkers" in found
    assert "Load test the platform before the game" in found


def test_and_with_a_pronoun_stays_one_measure() -> None:
    text = """# Release day

The deploy script broke.

## Lessons

Next time we will prepare the release script earlier and review it twice.
"""
    assert list(imported(parse(text))) == ["Prepare the release script earlier and review it twice"]


def test_work_under_way_closes_a_document_without_a_list_of_measures() -> None:
    text = """# Build farm credentials exposed

On 2025-06-02 a build host leaked a deploy token.

## Recovery

The team is actively working on rebuilding the affected build hosts.
Isolation of the build network from the office network is also under way.
"""
    found = imported(parse(text))
    # the work is named as an instruction, like the items of an action list
    assert "Rebuild the affected build hosts" in found
    assert "Isolation of the build network from the office network is also under way" in found
    assert found["Rebuild the affected build hosts"] == "'is actively working on' in 'Recovery'"


def test_work_under_way_beside_a_list_of_measures_is_only_offered() -> None:
    text = """# Build farm credentials exposed

## Action items

- Rotate the deploy token

## Recovery

The team is actively working on rebuilding the affected build hosts.
"""
    result = parse(text)
    assert list(imported(result)) == ["Rotate the deploy token"]
    assert [m.title for m in result.measures if m.confidence < THRESHOLD] == [
        "Rebuild the affected build hosts"
    ]


def test_an_item_that_tells_what_happened_then_what_was_done() -> None:
    text = """# Stale cache

## Follow-ups

- The purge requests were sent to one edge only. We've changed the purge job to call every
  edge in turn.
- Add an alert when a purge fails. We will also log the edge that failed.
"""
    found = imported(parse(text))
    assert "Change the purge job to call every edge in turn" in found  # named as an instruction
    assert "Add an alert when a purge fails" in found
    assert "The purge requests were sent to one edge only" not in found
