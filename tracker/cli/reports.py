"""Read-only summaries: incidents, stats, export.

Exit 2 for a wrong option value (an unknown `--format`), 1 when a file cannot be written.
Exports are files that outlive the day: absolute dates and an "as of" line, and written
readable by their owner only (0600), like the database they come from.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from tracker.cli.root import (
    app,
    console,
    context,
    err,
    fail,
    is_pipe,
    print_json,
    reading,
    status_list,
)


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
    if not rows:
        err("no incidents yet; `capa-tracker import FILE` adds them")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold")
    for name in ("id", "incident", "started", "duration", "done/total", "overdue"):
        table.add_column(name, overflow="fold", no_wrap=is_pipe())
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

    print_stats(data, console(), one_line_rows=is_pipe())


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
        out = _open_private(output) if output else sys.stdout
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}", 1)
    as_of = today.isoformat()
    try:
        with reading() as conn:
            # Markdown is grouped by incident, so it reads the rows in incident order.
            order = "incident" if fmt == "markdown" else "id"
            rows = (row_to_json(r) for r in iter_actions(conn, f, today, sort=order))
            writer: dict[str, Callable[[], int]] = {
                "json": lambda: stream_json_strings(
                    iter_action_json(conn, f, today, sort="id"), out
                ),
                "csv": lambda: write_csv(
                    ({**r, "as_of": as_of} for r in rows), (*ACTION_FIELDS, "as_of"), out
                ),
                "markdown": lambda: write_markdown(rows, today, out, zone=str(ctx.tz)),
            }
            n = writer[fmt]()
    finally:
        if output:
            out.close()
    err(f"exported {n} action(s) as of {as_of}" + (f" to {output}" if output else ""))


def _open_private(path: Path) -> Any:
    """Open `path` for writing as a file only its owner can read (0600), new or not."""
    import os
    import stat

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if stat.S_ISREG(os.fstat(fd).st_mode):
        os.fchmod(fd, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")
