"""Messages: what screens ask of the app (they bubble up), what workers end with, and the
plain value objects that cross into the UI."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.message import Message
from textual.worker import Worker

# (title, help, callback) as the command palette offers it.
PaletteCommand = tuple[str, str, Callable[[], object]]


@dataclass(frozen=True)
class ActionRef:
    """What the change dialogs need to know about an action (never a live ORM object)."""

    id: int
    title: str
    status: str
    version: int
    owner: str | None = None
    priority: str = "P2"
    due_date: date | None = None
    verify_by: date | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ActionRef:
        return cls(
            id=int(row["id"]),
            title=str(row["title"]),
            status=str(row["status"]),
            version=int(row["version"]),
            owner=row.get("owner"),
            priority=str(row.get("priority") or "P2"),
            due_date=_date(row.get("due_date")),
            verify_by=_date(row.get("verify_by")),
        )


def _date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class ChangeRequested(Message):
    """A screen asks for a change of an action (`kind` is a key of tui.changes.CHANGES)."""

    def __init__(self, kind: str, ref: ActionRef) -> None:
        self.kind = kind
        self.ref = ref
        super().__init__()


# The change kinds that apply to every marked row at once (tui.changes.BULK_CHANGES).
BULK_KINDS = frozenset({"assign", "due"})


class BulkChangeRequested(Message):
    """A screen asks for one change of several marked actions at once (`kind` is a key of
    tui.changes.BULK_CHANGES); saved in one transaction, all or nothing."""

    def __init__(self, kind: str, ids: tuple[int, ...]) -> None:
        self.kind = kind
        self.ids = ids
        super().__init__()


class DetailRequested(Message):
    """A screen asks for the detail of an action."""

    def __init__(self, action_id: int) -> None:
        self.action_id = action_id
        super().__init__()


class WorkerFailed(Message):
    """A background job of a screen failed; the app's one handler tells the user."""

    def __init__(self, worker: Worker[Any]) -> None:
        self.worker = worker
        super().__init__()


class ChangeSaved(Message):
    """A change was saved (by a worker of the app); the app tells the screens through
    `Services.changed`."""

    def __init__(self, action_id: int | None, summary: str) -> None:
        self.action_id = action_id
        self.summary = summary
        super().__init__()


class Activity(Message):
    """Progress of a background job; a flood collapses to the latest (toolong style)."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Activity)
