"""What an action list asks for, and the names it uses: plain values shared by the SQLAlchemy
queries (tracker/queries/actions.py) and the SQLite read fast path (tracker/queries/sqlite_fast.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Sort keys people type -> action columns.
SORT_KEYS = {
    "id": "id",
    "due": "due_date",
    "due_date": "due_date",
    "priority": "priority",
    "status": "status",
    "owner": "owner",
    "kind": "kind",
    "title": "title",
    "incident": "incident_id",
    "created": "created_at",
    "updated": "updated_at",
}

# The stable JSON shape of an action (README documents it); order matters for CSV columns.
ACTION_FIELDS = (
    "id",
    "incident_id",
    "incident_title",
    "title",
    "description",
    "kind",
    "priority",
    "owner",
    "team",
    "due_date",
    "status",
    "status_reason",
    "created_at",
    "updated_at",
    "closed_at",
    "jira_key",
    "tracking_ref",
    "verify_by",
    "verified_at",
    "verified_by",
    "retired",
    "version",
)


@dataclass(frozen=True)
class ActionFilter:
    """What a list asks for. Empty fields mean 'any'."""

    statuses: Sequence[str] = ()
    overdue: bool = False
    due_within: int | None = None
    owner: str | None = None
    # Only actions nobody owns yet (triage).
    unassigned: bool = False
    incident_id: int | None = None
    kinds: Sequence[str] = ()
    priorities: Sequence[str] = ()
    text: str | None = None
    include_retired: bool = False
    ids: Sequence[int] = field(default_factory=tuple)


TIMESTAMP_FIELDS = frozenset({"created_at", "updated_at", "closed_at", "verified_at"})
DATE_FIELDS = frozenset({"due_date", "verify_by"})


def check_sort(sort: str) -> str:
    if sort not in SORT_KEYS:
        raise ValueError(f"cannot sort by {sort!r}; use one of {', '.join(SORT_KEYS)}")
    return SORT_KEYS[sort]
