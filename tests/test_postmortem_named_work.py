"""Work named by a noun beside a promise in the same list is a follow-up too."""

from __future__ import annotations

from tracker.postmortem import parse_postmortem

THRESHOLD = 0.6  # `[import] min_confidence`'s default


def imported_titles(text: str) -> list[str]:
    found = parse_postmortem(text, name="status.md").measures
    return [m.title for m in found if m.confidence >= THRESHOLD]


def test_a_noun_phrase_beside_a_promise_in_the_closing_update_is_imported() -> None:
    text = """# Login delays

## 2026-03-14

- Logins are fast again: we consider the incident resolved
- Continued observation and optimization of the login processes
- We will add an alert on login time

## 2026-03-12 09:00

Logins take several minutes for some schools.
"""
    assert imported_titles(text) == [
        "Continued observation and optimization of the login processes",
        "Add an alert on login time",
    ]


def test_a_list_of_affected_services_beside_a_promise_is_not_work() -> None:
    text = """# Login delays

## 2026-03-14

- Mail portal
- Video platform
- We will add an alert on login time

## 2026-03-12 09:00

Logins take several minutes for some schools.
"""
    assert imported_titles(text) == ["Add an alert on login time"]
