"""Pure helpers behind the action table: columns per width, cell text, windows, groups.

No Textual imports: these are tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text

from tracker.policy import describe_due, urgency
from tui.safe_text import clean, literal

PAGE_SIZE = 100
EDGE_MARGIN = 25

KIND_SHORT = {
    "corrective": "corr",
    "preventive": "prev",
    "detective": "detect",
    "mitigation": "mitig",
    "process": "proc",
}
STATUS_LABEL = {
    "open": "open",
    "in_progress": "in progress",
    "blocked": "blocked",
    "done": "done",
    "verified": "verified",
    "wont_do": "won't do",
}
STATUS_SHORT = {**STATUS_LABEL, "in_progress": "in prog"}
# Never colour alone: every urgent row also carries a mark and a word.
MARK = {"overdue": "!!", "due_today": "! ", "due_soon": "! ", "closed": "✓ "}
ROW_STYLE = {
    "overdue": "bold red",
    "due_today": "yellow",
    "due_soon": "yellow",
    "closed": "dim",
}


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    width: int


# The longest due text: "!! 9999d overdue" (16 cells); the Due column always gets it.
DUE_WIDTH = 16

_BASE: dict[str, tuple[str, int]] = {
    "id": ("#", 6),
    "title": ("Title", 20),
    "incident": ("Incident", 14),
    "kind": ("Kind", 10),
    "priority": ("Pri", 3),
    "owner": ("Owner", 14),
    "due": ("Due", DUE_WIDTH),
    "status": ("Status", 11),
    "jira": ("Jira", 9),
}


def columns_for_width(width: int) -> list[ColumnSpec]:
    """Which columns fit, and how wide; the title takes what is left.

    The Due column is never narrower than its longest text; Owner gives up room first (an
    e-mail is still recognisable when cut). At 80 columns kind and Jira key move to the
    detail screen, and incidents show as `#id`.
    """
    widths = dict(_BASE)
    if width >= 150:
        keys = list(_BASE)
        widths["incident"] = ("Incident", 24)
        widths["owner"] = ("Owner", 18)
    elif width >= 110:
        keys = list(_BASE)
        widths["incident"] = ("Incident", 12)
        widths["kind"] = ("Kind", 6)
        widths["owner"] = ("Owner", 12)
    else:
        keys = ["id", "title", "incident", "priority", "owner", "due", "status"]
        widths["incident"] = ("Inc", 5)
        widths["owner"] = ("Owner", 9)
        widths["status"] = ("Status", 8)
        widths["id"] = ("#", 5)
    # Each column has one cell of padding either side; 2 for the scrollbar.
    fixed = sum(widths[k][1] for k in keys if k != "title") + 2 * len(keys) + 2
    title_width = max(12, width - fixed)
    return [
        ColumnSpec(k, widths[k][0], title_width if k == "title" else widths[k][1]) for k in keys
    ]


def row_urgency(row: Mapping[str, Any], today: date, soon_days: int = 7) -> str:
    return urgency(row["status"], _as_date(row.get("due_date")), today, soon_days=soon_days)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def due_text(row: Mapping[str, Any], today: date, soon_days: int = 7) -> str:
    """'!! 3d overdue', '!  in 2d', '2026-12-01' — a mark and a word, not only a colour."""
    due = _as_date(row.get("due_date"))
    word = describe_due(row["status"], due, today)
    level = row_urgency(row, today, soon_days)
    if level in ("overdue", "due_today", "due_soon"):
        return f"{MARK[level]} {word}"
    return word


def cell_texts(
    row: Mapping[str, Any], columns: Sequence[ColumnSpec], today: date, soon_days: int = 7
) -> tuple[Text, ...]:
    """One table row: every value from people or documents as a literal Text."""
    level = row_urgency(row, today, soon_days)
    style = ROW_STYLE.get(level, "")
    narrow = any(c.key == "incident" and c.width < 10 for c in columns)
    out: list[Text] = []
    for col in columns:
        key = col.key
        if key == "id":
            value = f"#{row['id']}"
        elif key == "title":
            value = row["title"]
        elif key == "incident":
            if row.get("incident_id") is None:
                value = "-"
            elif narrow:
                value = f"#{row['incident_id']}"
            else:
                value = f"#{row['incident_id']} {clean(row.get('incident_title'))}"
        elif key == "kind":
            value = row["kind"] if col.width >= 10 else KIND_SHORT.get(row["kind"], row["kind"])
        elif key == "priority":
            value = row["priority"]
        elif key == "owner":
            value = row.get("owner") or "-"
        elif key == "due":
            value = due_text(row, today, soon_days)
        elif key == "status":
            labels = STATUS_LABEL if col.width >= 11 else STATUS_SHORT
            value = labels.get(row["status"], row["status"])
        elif key == "jira":
            value = row.get("jira_key") or "-"
        else:  # pragma: no cover - columns come from columns_for_width
            value = row.get(key, "")
        text = literal(value, style)
        text.no_wrap = True
        text.overflow = "ellipsis"
        out.append(text)
    return tuple(out)


# ---------------------------------------------------------------- windows


def window_around(index: int, total: int, page: int = PAGE_SIZE) -> int:
    """The offset of a window of `page` rows that puts `index` near its middle."""
    if total <= page:
        return 0
    return max(0, min(index - page // 2, total - page))


def needs_shift(index: int, offset: int, shown: int, total: int, margin: int = EDGE_MARGIN) -> bool:
    """True when the cursor (absolute `index`) nears an edge of the window with more beyond."""
    near_top = index - offset < margin and offset > 0
    near_bottom = offset + shown - index <= margin and offset + shown < total
    return near_top or near_bottom


def position_text(
    offset: int, shown: int, total: int, cursor: int | None, *, exact: bool = True
) -> str:
    """'row 12 of 100,000' ('of 200+' while the count is on its way; 'no actions')."""
    if total == 0:
        return "no actions"
    of = f"{total:,}" if exact else f"{total:,}+"
    if cursor is None:
        return f"{offset + 1:,}–{offset + shown:,} of {of}"
    return f"row {cursor + 1:,} of {of}"


# ---------------------------------------------------------------- groups


def group_key(row: Mapping[str, Any], group: str) -> Any:
    if group == "incident":
        return row.get("incident_id")
    if group == "owner":
        owner = row.get("owner")
        return owner.lower() if owner else None
    return None


def group_label(row: Mapping[str, Any], group: str) -> str:
    if group == "incident":
        if row.get("incident_id") is None:
            return "No incident"
        return f"#{row['incident_id']} {clean(row.get('incident_title'))}"
    return clean(row.get("owner")) if row.get("owner") else "No owner"


@dataclass(frozen=True)
class DisplayRow:
    """A table row: an action (index = its position in the whole result) or a group header."""

    key: str
    index: int | None
    row: Mapping[str, Any] | None = None
    label: str = ""
    counts: tuple[int, int] | None = None


def display_rows(
    rows: Sequence[Mapping[str, Any]],
    offset: int,
    group: str,
    counts: Mapping[Any, tuple[int, int]] | None = None,
) -> list[DisplayRow]:
    """The window's rows with a header before each group (and at the window's top)."""
    out: list[DisplayRow] = []
    last: object = object()
    for i, row in enumerate(rows):
        if group != "none":
            key = group_key(row, group)
            if key != last:
                out.append(
                    DisplayRow(
                        key=f"group:{group}:{key}",
                        index=None,
                        label=group_label(row, group),
                        counts=(counts or {}).get(key),
                    )
                )
                last = key
        out.append(DisplayRow(key=str(row["id"]), index=offset + i, row=row))
    return out


def group_header_cells(d: DisplayRow, columns: Sequence[ColumnSpec]) -> tuple[Text, ...]:
    cells: list[Text] = []
    for col in columns:
        if col.key == "id":
            text = Text("▾", style="bold")
        elif col.key == "title":
            text = literal(d.label, "bold")
        elif col.key == "due" and d.counts:
            text = Text(f"!! {d.counts[1]} overdue" if d.counts[1] else "", style="bold")
        elif col.key == "status" and d.counts:
            text = Text(f"{d.counts[0]:,} total", style="bold")
        else:
            text = Text("")
        text.no_wrap = True
        text.overflow = "ellipsis"
        cells.append(text)
    return tuple(cells)


def progress_bar(done: int, total: int, width: int = 10) -> str:
    """'███░░░░░░░' — with the numbers next to it wherever it is shown."""
    if total <= 0:
        return "░" * width
    filled = round(width * done / total)
    return "█" * filled + "░" * (width - filled)


def rate_text(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f}%"
