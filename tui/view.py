"""What the action list shows, as plain values: the view state, its filter, a loaded page and
the text of an empty view. No Textual: tested without a terminal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text

from tracker.queries.actions import ActionFilter
from tracker.queries.dashboard import Group
from tracker.vocabulary import DONE_STATUSES, OPEN_STATUSES
from tui.safe_text import clean

SORT_ORDER = ("due", "priority", "id", "title", "incident", "kind", "owner", "status", "jira")
SORT_LABELS = {
    "id": "#",
    "title": "title",
    "incident": "incident",
    "kind": "kind",
    "priority": "priority",
    "owner": "owner",
    "due": "due",
    "status": "status",
    "jira": "Jira key",
}


@dataclass(frozen=True)
class ViewState:
    """Everything that decides which rows the table shows (the screen's only query state)."""

    quick: str = "open"
    text: str = ""
    incident_id: int | None = None
    incident_label: str | None = None
    sort: str = "due"
    descending: bool = False
    group: Group = "none"


def action_filter(state: ViewState, user: str) -> ActionFilter | None:
    """The ActionFilter for a view: quick filter + text + incident drill-down.

    None when the view cannot match anything: "Mine" with no user known.
    """
    if state.quick == "mine" and not user:
        return None
    base: dict[str, Any] = {"text": state.text or None, "incident_id": state.incident_id}
    if state.quick == "open":
        base["statuses"] = tuple(sorted(OPEN_STATUSES))
    elif state.quick == "overdue":
        base["overdue"] = True
    elif state.quick == "mine":
        base["owner"] = user
        base["statuses"] = tuple(sorted(OPEN_STATUSES))
    elif state.quick == "done":
        base["statuses"] = DONE_STATUSES
    return ActionFilter(**base)


@dataclass(frozen=True)
class Page:
    """What one load brought back from the database."""

    token: int
    state: ViewState
    offset: int
    rows: list[dict[str, Any]]
    total: int
    total_exact: bool
    counts: dict[Any, tuple[int, int]]
    counter: int
    cursor_index: int | None
    cursor_key: str | None
    keep_screen_position: bool


def empty_text(state: ViewState, user: str, configured: bool) -> Text:
    """Why the table is empty; for "Mine", who the dashboard thinks you are and how to change it."""
    out = Text()
    if state.quick != "mine":
        out.append("No actions match this view", style="bold")
        out.append(" — 1 shows all, Escape clears the filters.", style="dim")
        return out
    if not user:
        out.append("Mine is empty: no user is known", style="bold")
        out.append(
            ' — no login name was found. Set user = "you@example.com" in the config file.',
            style="dim",
        )
        return out
    out.append(f"No open actions owned by {clean(user)}", style="bold")
    if configured:
        out.append(" (user in the config file).", style="dim")
    else:
        out.append(
            " (your login name: user is not set in the config file). If your actions carry"
            ' another name, such as your e-mail, set user = "..." there.',
            style="dim",
        )
    return out
