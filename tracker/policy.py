"""Due-date SLOs and overdue / due-soon classification. Pure: dates in, values out."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Literal

from tracker.vocabulary import DEFAULT_DUE_DAYS, DEFAULT_PRIORITY, OPEN_STATUSES, STATUSES, is_open

# Re-exported for callers that read the policy's words from here.
__all__ = [
    "OPEN_STATUSES",
    "STATUSES",
    "Urgency",
    "days_overdue",
    "describe_due",
    "due_date_for",
    "is_open",
    "median_days_to_close",
    "parse_due",
    "urgency",
]

Urgency = Literal["closed", "overdue", "due_today", "due_soon", "on_track", "no_due_date"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def due_date_for(
    priority: str, start: date, due_days: Mapping[str, int] = DEFAULT_DUE_DAYS
) -> date:
    """The SLO due date of a new action of this priority."""
    return start + timedelta(days=due_days.get(priority, DEFAULT_DUE_DAYS[DEFAULT_PRIORITY]))


def urgency(status: str, due: date | None, today: date, *, soon_days: int = 7) -> Urgency:
    """Where an action stands against its due date."""
    if not is_open(status):
        return "closed"
    if due is None:
        return "no_due_date"
    if due < today:
        return "overdue"
    if due == today:
        return "due_today"
    if (due - today).days <= soon_days:
        return "due_soon"
    return "on_track"


def days_overdue(due: date | None, today: date) -> int:
    return max(0, (today - due).days) if due else 0


def describe_due(status: str, due: date | None, today: date) -> str:
    """'3d overdue', 'today', 'in 2d' — the words the list and dashboard show."""
    if due is None:
        return "-"
    delta = (due - today).days
    if not is_open(status):
        return due.isoformat()
    if delta < 0:
        return f"{-delta}d overdue"
    if delta == 0:
        return "today"
    return f"in {delta}d"


def parse_due(text: str, today: date) -> date:
    """Read a due date typed by a person: ISO date, +14d / +2w / +1m, today, tomorrow, next friday.

    Raises ValueError with a message that says which forms are accepted.
    """
    raw = text.strip().lower()
    if not raw:
        raise ValueError("empty date; use YYYY-MM-DD, +14d, +2w, today, tomorrow or next friday")
    rel = re.fullmatch(r"\+?(\d{1,4})\s*(d|w|m)", raw)
    if rel:
        n, unit = int(rel.group(1)), rel.group(2)
        return today + timedelta(days=n * {"d": 1, "w": 7, "m": 30}[unit])
    if raw == "today":
        return today
    if raw == "tomorrow":
        return today + timedelta(days=1)
    named = re.fullmatch(r"(next\s+)?([a-z]+)", raw)
    if named and named.group(2) in _WEEKDAYS:
        target = _WEEKDAYS.index(named.group(2))
        ahead = (target - today.weekday()) % 7 or 7
        if named.group(1) and ahead < 7 and today.weekday() < target:
            # "next friday" said on a Monday means the Friday of next week.
            ahead += 7
        return today + timedelta(days=ahead)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    raise ValueError(
        f"cannot read {text!r} as a date; use YYYY-MM-DD, +14d, +2w, today, tomorrow or next friday"
    )


def median_days_to_close(pairs: Iterable[tuple[datetime, datetime]]) -> float | None:
    """Median of (closed - created) in days, over closed actions; None when there are none."""
    days = [(closed - created).total_seconds() / 86400 for created, closed in pairs]
    return round(statistics.median(days), 1) if days else None
