"""Messages workers end with, and the plain value objects that cross into the UI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.message import Message


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
    def from_row(cls, row: dict[str, Any]) -> ActionRef:
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


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class ChangeSaved(Message, bubble=False):
    """A change went through tracker.actions; screens reload what they show.

    The app receives it from the worker and hands a copy to each screen; it must not bubble
    back up from a screen, or the app would hand it out again.
    """

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
