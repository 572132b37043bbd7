"""The summary bar (counts) and the status line (filter, grouping, sort, position)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from tracker.queries.dashboard import Summary
from tui.rows import rate_text
from tui.safe_text import clean

QUICK_FILTERS: tuple[tuple[str, str, str], ...] = (
    ("1", "all", "All"),
    ("2", "open", "Open"),
    ("3", "overdue", "Overdue"),
    ("4", "mine", "Mine"),
    ("5", "done", "Done"),
)


def summary_text(s: Summary | None) -> Text:
    if s is None:
        return Text("loading…", style="dim")
    parts: list[tuple[str, str, str]] = [
        ("Open", f"{s.open:,}", "bold"),
        ("!! Overdue", f"{s.overdue:,}", "bold red" if s.overdue else "bold"),
        ("Due ≤7d", f"{s.due_soon:,}", "bold yellow" if s.due_soon else "bold"),
        ("Done 30d", f"{s.done_30_days:,}", "bold green"),
        ("On time", rate_text(s.on_time_rate), "bold"),
    ]
    out = Text(no_wrap=True, overflow="ellipsis")
    for i, (label, value, style) in enumerate(parts):
        if i:
            out.append("  │  ", style="dim")
        out.append(f"{label} ")
        out.append(value, style=style)
    return out


class SummaryBar(Static):
    """Counts over the whole tracker (not the filter), refreshed with the table."""

    summary: reactive[Summary | None] = reactive(None)

    def render(self) -> Text:
        return summary_text(self.summary)


def status_parts(
    *,
    quick: str,
    text: str,
    incident: str | None,
    group: str,
    sort_label: str,
    descending: bool,
    position: str,
    activity: str = "",
) -> tuple[Text, Text]:
    """What the table shows (left; cut first when narrow) and where the cursor is (right)."""
    left = Text(no_wrap=True, overflow="ellipsis")
    for key, name, label in QUICK_FILTERS:
        if name == quick:
            left.append(f"[{key} {label}]", style="reverse bold")
        else:
            left.append(f" {key} {label} ", style="dim")
    if incident:
        left.append("  incident ", style="dim")
        left.append(clean(incident), style="bold")
    if text:
        left.append("  filter ", style="dim")
        left.append(f"“{clean(text)}”", style="bold")
    if group != "none":
        left.append(f"  by {group}", style="bold")
    left.append(f"  sort {sort_label} {'▼' if descending else '▲'}", style="dim")
    right = Text(no_wrap=True, overflow="ellipsis")
    if activity:
        right.append("⟳ ", style="bold")
        right.append(clean(activity), style="italic")
        right.append("  ")
    right.append(position)
    return left, right


def fit_line(left: Text, right: Text, width: int) -> Text:
    """One line of `width` cells: `right` whole at the end, `left` cut to what is left."""
    room = max(0, width - right.cell_len - 2)
    head = left.copy()
    if head.cell_len > room:
        head.truncate(room, overflow="ellipsis")
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append_text(head)
    out.append(" " * max(2, width - head.cell_len - right.cell_len))
    out.append_text(right)
    return out


class StatusLine(Static):
    """What the table shows: quick filter, text filter, grouping, sort; and the position,
    which is never cut (it sits at the right and the rest gives way)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._parts: tuple[Text, Text] = (Text(), Text())

    def show(self, left: Text, right: Text) -> None:
        self._parts = (left, right)
        self.refresh()

    def render(self) -> Text:
        return fit_line(*self._parts, self.content_size.width or self.size.width)
