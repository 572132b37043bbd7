"""The tracker's words, each defined once: statuses and their groups, kinds, priorities, and the
defaults a new action gets (due days per priority, the verify-by delay).

Everything else imports these names; a status spelled out as a literal tuple somewhere else is
a bug waiting for the day a status is added. Kinds and priorities are the parser's words
(tracker/postmortem/model.py, which stays free of tracker imports) re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType

from tracker.postmortem.model import KINDS, PRIORITIES, Priority

__all__ = [
    "CLOSED_STATUSES",
    "DEFAULT_DUE_DAYS",
    "DEFAULT_PRIORITY",
    "DEFAULT_VERIFY_AFTER_DAYS",
    "DONE_STATUSES",
    "KINDS",
    "OPEN_STATUSES",
    "PRIORITIES",
    "REASON_STATUSES",
    "STATUSES",
    "default_verify_by",
    "is_open",
]

# In the order people read them: the working ones, then the closed ones.
STATUSES = ("open", "in_progress", "blocked", "done", "verified", "wont_do")
# Still to do: counted as open, can be overdue, get reminders.
OPEN_STATUSES = ("open", "in_progress", "blocked")
# Closed, for whatever reason.
CLOSED_STATUSES = ("done", "verified", "wont_do")
# Closed because the work was done (the figures count these; wont_do is not "done").
DONE_STATUSES = ("done", "verified")
# Statuses that keep the reason given when moving to them.
REASON_STATUSES = ("blocked", "wont_do")

DEFAULT_PRIORITY: Priority = "P2"
# Days from creation (or import) to the due date when nobody gave one: the priority's SLO.
DEFAULT_DUE_DAYS: Mapping[str, int] = MappingProxyType({"P0": 7, "P1": 14, "P2": 30, "P3": 60})
# Days after `done` by which someone should check that the measure worked.
DEFAULT_VERIFY_AFTER_DAYS = 30


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def default_verify_by(today: date, verify_after_days: int) -> date | None:
    """The verify-by date an action marked done today gets; None when the policy sets 0 days."""
    return today + timedelta(days=verify_after_days) if verify_after_days else None
