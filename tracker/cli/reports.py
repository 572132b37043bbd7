"""Read-only summaries: incidents, stats, export."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.root import app, console, context, err, fail, print_json, reading, status_list


@app.command()
def incidents(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List incidents with their actions' progress."""
    from tracker.queries.actions import incident_rows

    ctx = context()
    with reading() as conn:
        rows = incident_rows(conn, ctx.today())
    if as_json:
        print_json(rows)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold")
    for name in ("id", "incident", "started", "duration", "done/total", "overdue"):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(
            Text(str(r["id"])),
            Text(r["title"]),
            Text(str(r["started_at"] or "-")),
            Text(f"{r['duration_minutes']} min" if r["duration_minutes"] is not None else "-"),
            Text(f"{r['closed']}/{r['actions']}"),
            Text(str(r["overdue"]), style="bold red" if r["overdue"] else ""),
        )
    console().print(table)
    err(f"{len(rows)} incident(s)")


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Open, overdue, due this week, done in 30 days, median days to close; per owner and incident."""
    from tracker.queries.actions import stats as compute

    ctx = context()
    with reading() as conn:
        data = compute(conn, ctx.today())
    if as_json:
        print_json(data)
        return
    from tracker.output.stats import print_stats

    print_stats(data, console())


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="json, csv or markdown")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    include_all: Annotated[
        bool, typer.Option("--all/--open", help="Every action (default) or only open ones.")
    ] = True,
) -> None:
    """Export actions as JSON, CSV or a Markdown table."""
    from tracker.output.formats import stream_json_strings, write_csv, write_markdown
    from tracker.queries.actions import (
        iter_action_json,
        iter_actions,
        row_to_json,
    )
    from tracker.queries.filters import ACTION_FIELDS, ActionFilter

    if fmt not in {"json", "csv", "markdown"}:
        fail(f"unknown format {fmt!r}; use json, csv or markdown", 2)
    ctx = context()
    f = ActionFilter(statuses=status_list(None, include_all))
    today = ctx.today()
    try:
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}", 1)
    try:
        with reading() as conn:
            rows = (row_to_json(r) for r in iter_actions(conn, f, today, sort="id"))
            writer: dict[str, Callable[[], int]] = {
                "json": lambda: stream_json_strings(
                    iter_action_json(conn, f, today, sort="id"), out
                ),
                "csv": lambda: write_csv(rows, ACTION_FIELDS, out),
                "markdown": lambda: write_markdown(rows, today, out),
            }
            n = writer[fmt]()
    finally:
        if output:
            out.close()
    err(f"exported {n} action(s)" + (f" to {output}" if output else ""))
