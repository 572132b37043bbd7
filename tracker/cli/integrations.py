"""Commands that reach outside: Jira sync, reminders, the scheduler, the dashboard, the demo.

Jira, reminder and dashboard packages are imported inside the commands (lazily).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.root import app, context, err, fail

if TYPE_CHECKING:
    from sync.engine import SyncSummary
    from tracker.context import AppContext


@app.command()
def sync(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; change nothing on either side.")
    ] = False,
    push_only: Annotated[bool, typer.Option("--push-only")] = False,
    pull_only: Annotated[bool, typer.Option("--pull-only")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Sync actions with Jira, both ways."""
    if push_only and pull_only:
        fail("--push-only and --pull-only exclude each other", 2)
    from sync.command_line import run_sync

    raise typer.Exit(
        run_sync(
            context(), dry_run=dry_run, push_only=push_only, pull_only=pull_only, as_json=as_json
        )
    )


@app.command()
def remind(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show who would get what; send nothing.")
    ] = False,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="Pretend it is this ISO date or date-time (a date means 09:00, local zone).",
            metavar="ISO-DATETIME",
        ),
    ] = None,
    requeue_stuck: Annotated[
        bool,
        typer.Option(
            "--requeue-stuck",
            help="First re-queue reminders a killed run left 'sending' (may send them twice).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Send the reminders that are due now (one pass)."""
    from tracker.reminders.run import parse_now, run_remind
    from tracker.scheduler import jira_comment_client

    ctx = context()
    when = parse_now(now, ctx.tz) if now else None
    if not dry_run:
        ctx.settings.require_channel_secrets()  # refuse up front, not once per person
    comments = jira_comment_client(ctx.settings)
    if requeue_stuck and not dry_run:
        from tracker.reminders.sender import requeue_stale

        err(f"re-queued {requeue_stale(ctx.engine())} stuck reminder(s)")
    code = run_remind(ctx, dry_run=dry_run, now=when, as_json=as_json, comment_client=comments)
    raise typer.Exit(code)


@app.command()
def scheduler(
    once: Annotated[bool, typer.Option("--once", help="Run each job once now, then exit.")] = False,
) -> None:
    """Run reminders, Jira sync and the weekly report e-mail ([reports] recipients) on their
    schedules until stopped (SIGINT/SIGTERM)."""
    from tracker.cli.report import email_report
    from tracker.scheduler import run_scheduler

    raise typer.Exit(run_scheduler(context(), once=once, report=email_report))


def dashboard_sync(ctx: AppContext) -> Callable[[Callable[[str], None]], SyncSummary]:
    """The dashboard's ctrl+s: one sync run for this context (the dashboard imports no sync)."""

    def run(progress: Callable[[str], None]) -> SyncSummary:
        from sync.service import sync_once

        return sync_once(ctx, progress=progress)

    return run


@app.command()
def dashboard() -> None:
    """Open the terminal dashboard."""
    from tui.app import run_dashboard

    ctx = context()
    raise typer.Exit(run_dashboard(ctx, sync=dashboard_sync(ctx)))


@app.command()
def demo(
    db_path: Annotated[
        Path | None,
        typer.Option("--db-path", help="Keep the demo database here instead of a temporary file."),
    ] = None,
    no_dashboard: Annotated[
        bool, typer.Option("--no-dashboard", help="Only fill the database and print its path.")
    ] = False,
) -> None:
    """Fill a temporary database from the bundled example post-mortems and open the dashboard."""
    from tracker.demo import prepare_demo, remove_demo

    demo_ctx, n = prepare_demo(context(), db_path=db_path)
    where = demo_ctx.db_url.removeprefix("sqlite:///")
    if no_dashboard:
        err(f"demo database with {n} actions: {where}")
        return
    temporary = db_path is None
    err(f"demo database with {n} actions: {where}" + (" (removed on exit)" if temporary else ""))
    from tui.app import run_dashboard

    try:
        code = run_dashboard(demo_ctx, sync=dashboard_sync(demo_ctx))
    finally:
        if temporary:
            remove_demo(demo_ctx)
    raise typer.Exit(code)
