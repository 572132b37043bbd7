"""The filter box: an Input that says what it matches and hands focus back on Enter/Escape."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class FilterBox(Input):
    """Typing filters as you type (the screen debounces); Enter or Escape returns to the table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Shown in the footer while typing: how to get back (and a sign the box has the keys).
        Binding("escape", "leave", "Back to table", id="filter.leave", tooltip="Enter or Escape"),
        Binding("down", "leave", "Back to table", show=False),
    ]

    class Left(Message):
        """The user is done typing."""

    def __init__(self, *, cursor_blink: bool = True, **kwargs: Any) -> None:
        super().__init__(placeholder="/ filter: title, owner, incident, Jira key", **kwargs)
        self.cursor_blink = cursor_blink

    def action_leave(self) -> None:
        self.post_message(self.Left())

    async def action_submit(self) -> None:
        self.post_message(self.Left())
