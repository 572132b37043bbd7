"""What an action list asks for, and the names it uses: plain values shared by the SQLAlchemy
queries (tracker/queries/actions.py) and the SQLite read fast path (tracker/queries/sqlite_fast.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tracker.errors import UserInputError
from tracker.vocabulary import KINDS, PRIORITIES, STATUSES

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


def owner_patterns(owner: str) -> tuple[str, ...]:
    """What `--owner` looks for, each matched case-insensitively anywhere in the owner: the text
    as typed and, for an e-mail address, its local part too — so `--owner ana` finds
    "ana@corp.example" and "Ana Ferreira", and `--owner ana@corp.example` finds "Ana Ferreira"
    as well. The SQL and the SQLite fast path both build their conditions from this."""
    text = owner.strip()
    local = text.split("@", 1)[0].strip()
    return (text, local) if local and local != text else (text,)


class FilterError(UserInputError, ValueError):
    """A list was asked for with a value the tracker does not know (exit 2)."""


def check_sort(sort: str) -> str:
    if sort not in SORT_KEYS:
        raise FilterError(f"cannot sort by {sort!r}; use one of {', '.join(SORT_KEYS)}")
    return SORT_KEYS[sort]


def check_filter(f: ActionFilter) -> ActionFilter:
    """Refuse words the tracker does not know instead of matching nothing: a typo in
    `--kind` or `--priority` must not look like an empty list. Returns `f` unchanged."""
    for what, given, known in (
        ("status", f.statuses, STATUSES),
        ("kind", f.kinds, KINDS),
        ("priority", f.priorities, PRIORITIES),
    ):
        bad = [v for v in given if v not in known]
        if bad:
            raise FilterError(f"unknown {what} {bad[0]!r}; use one of {', '.join(known)}")
    if f.due_within is not None and f.due_within < 0:
        raise FilterError(f"--due-within needs zero or more days, not {f.due_within}")
    return f


def split_values(values: Sequence[str] | None) -> tuple[str, ...]:
    """Repeated and comma-separated option values as one tuple: `--kind a,b --kind c`."""
    return tuple(v.strip() for item in values or () for v in item.split(",") if v.strip())
