"""Output for people (Rich tables) and for scripts (JSON, CSV, Markdown).

JSON goes to stdout, streamed row by row so that a 100k-action list never sits in memory;
messages and progress go to stderr. Text from documents and people is never read as markup.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from typing import IO, Any

from tracker.policy import describe_due, urgency

TABLE_COLUMNS = ("id", "title", "incident", "kind", "pri", "owner", "due", "status", "jira")


def write_json(data: Any, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    json.dump(data, out, ensure_ascii=False, indent=2, default=str)
    out.write("\n")


def stream_json_strings(objects: Iterable[str], out: IO[str] | None = None) -> int:
    """Write a JSON array of rows that are JSON text already, one at a time; returns the count."""
    out = out or sys.stdout
    n = 0
    out.write("[")
    for text in objects:
        out.write(",\n" if n else "\n")
        out.write(text)
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def write_csv(
    rows: Iterable[Mapping[str, Any]], fields: Iterable[str], out: IO[str] | None = None
) -> int:
    out = out or sys.stdout
    writer = csv.DictWriter(
        out, fieldnames=list(fields), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        n += 1
    return n


def _md_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def due_words(status: str, due: date | None, today: date) -> str:
    """An absolute due date for files that outlive today: "2026-12-11", "2026-11-01 (overdue)"."""
    if due is None:
        return ""
    return due.isoformat() + (" (overdue)" if urgency(status, due, today) == "overdue" else "")


def write_markdown(
    rows: Iterable[Mapping[str, Any]], today: date, out: IO[str] | None = None, *, zone: str = ""
) -> int:
    """Markdown grouped by incident (rows must come sorted by incident), ready to paste into a
    wiki or a review. Dates are absolute and the file says what day it describes: "in 30d"
    means nothing a week later."""
    out = out or sys.stdout
    out.write("# Corrective and preventive actions\n\n")
    out.write(f"As of {today.isoformat()}" + (f" ({zone})" if zone else "") + ".\n")
    n = 0
    current: object = object()
    for r in rows:
        group = r.get("incident_id")
        if group != current:
            current = group
            heading = f"#{group} {r.get('incident_title') or ''}" if group else "Without incident"
            out.write(f"\n## {_md_cell(heading).strip()}\n\n")
            out.write("| # | Action | Kind | Priority | Owner | Due | Status | Jira |\n")
            out.write("|---|---|---|---|---|---|---|---|\n")
        due = date.fromisoformat(r["due_date"]) if isinstance(r["due_date"], str) else r["due_date"]
        cells = [
            f"#{r['id']}",
            r["title"],
            r["kind"],
            r["priority"],
            r["owner"],
            due_words(r["status"], due, today),
            r["status"],
            r.get("jira_key"),
        ]
        out.write("| " + " | ".join(_md_cell(c) for c in cells) + " |\n")
        n += 1
    if n == 0:
        out.write("\nNo actions.\n")
    return n


def action_table(
    rows: Iterable[Mapping[str, Any]],
    today: date,
    *,
    title: str | None = None,
    with_incident: bool = True,
    one_line_rows: bool = False,
) -> Any:
    """A Rich table of actions; overdue rows are marked with words, not only colour.

    On a terminal long titles fold and long names are cut to fit its width; with
    `one_line_rows` (output into a pipe or file) no cell wraps or is cut."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=title,
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        show_edge=not one_line_rows,
    )
    columns = [c for c in TABLE_COLUMNS if with_incident or c != "incident"]
    for name in columns:
        if one_line_rows:
            table.add_column(name, no_wrap=True, overflow="ignore")
        elif name == "title":
            table.add_column(name, overflow="fold", ratio=3, min_width=14)
        elif name in {"incident", "owner", "kind", "jira"}:
            table.add_column(name, overflow="ellipsis", ratio=1, max_width=22)
        else:
            table.add_column(name, no_wrap=True)
    for r in rows:
        due = date.fromisoformat(r["due_date"]) if isinstance(r["due_date"], str) else r["due_date"]
        state = urgency(r["status"], due, today)
        style = {"overdue": "bold red", "due_today": "yellow", "due_soon": "yellow"}.get(state, "")
        due_text = describe_due(r["status"], due, today)
        if state == "overdue":
            due_text = f"! {due_text}"
        cells = [
            Text(f"#{r['id']}"),
            Text(str(r["title"])),
            Text(str(r.get("incident_title") or "")),
            Text(str(r["kind"])),
            Text(str(r["priority"])),
            Text(str(r["owner"] or "-")),
            Text(due_text, style=style),
            Text(str(r["status"])),
            Text(str(r.get("jira_key") or "")),
        ]
        if not with_incident:
            del cells[2]
        table.add_row(*cells)
    return table


def key_value_table(pairs: Iterable[tuple[str, Any]]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in pairs:
        table.add_row(Text(key), Text("" if value is None else str(value)))
    return table
