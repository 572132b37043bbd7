"""The summary bar (counts) and the status line (filter, grouping, sort, position)."""

from __future__ import annotations

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


def status_text(
    *,
    quick: str,
    text: str,
    incident: str | None,
    group: str,
    sort_label: str,
    descending: bool,
    position: str,
    activity: str = "",
) -> Text:
    out = Text(no_wrap=True, overflow="ellipsis")
    for key, name, label in QUICK_FILTERS:
        if name == quick:
            out.append(f"[{key} {label}]", style="reverse bold")
        else:
            out.append(f" {key} {label} ", style="dim")
    if incident:
        out.append("  incident ", style="dim")
        out.append(clean(incident), style="bold")
    if text:
        out.append("  filter ", style="dim")
        out.append(f"“{clean(text)}”", style="bold")
    if group != "none":
        out.append(f"  by {group}", style="bold")
    out.append(f"  sort {sort_label} {'▼' if descending else '▲'}", style="dim")
    out.append(f"  {position}")
    if activity:
        out.append("  ⟳ ", style="bold")
        out.append(clean(activity), style="italic")
    return out


class StatusLine(Static):
    """What the table shows: quick filter, text filter, grouping, sort and position."""
