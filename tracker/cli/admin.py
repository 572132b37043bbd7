"""`config` and `db` sub-commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tracker.cli.root import STATE, config_app, context, db_app, err, fail, print_json

if TYPE_CHECKING:
    from tracker.context import AppContext


@config_app.command("check")
def config_check(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    online: Annotated[
        bool,
        typer.Option(
            "--online", help="Also log in to Jira and check the project, fields and resolutions."
        ),
    ] = False,
) -> None:
    """Validate the configuration and print the effective settings (secrets masked)."""
    from sync.checks import check_offline
    from tracker.config import masked_settings

    ctx = context()
    ctx.settings.require_channel_secrets()
    _check_reminder_calendar(ctx)
    check_offline(ctx.settings)
    if online:
        from sync.checks import check_online

        for line in check_online(ctx.settings):
            err(line)
    data = masked_settings(ctx.settings)
    data["config_file"] = ctx.settings.source
    if STATE.db:
        from tracker.config import mask_url

        data["database"]["url"] = mask_url(STATE.db)
    data["next_runs"] = _next_runs(ctx)
    if as_json:
        print_json(data)
        return
    _warn_unreachable_owners(ctx)
    err(f"config OK ({ctx.settings.source or 'built-in defaults'})")
    _print_tree(data)


def _check_reminder_calendar(ctx: AppContext) -> None:
    """An unknown holidays country or region is refused here, not on the first morning."""
    from tracker.reminders.workdays import holiday_dates

    holiday_dates(ctx.settings.reminders.holidays, [ctx.today().year])


def _warn_unreachable_owners(ctx: AppContext) -> None:
    """Name the owners reminders cannot reach, when the database already exists.

    A check reads only: no database is created or migrated, and one that cannot be read is
    a warning (the commands that need it say what is wrong).
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from tracker.db import make_engine
    from tracker.reminders.run import find_unreachable, unreachable_warning

    url = make_url(ctx.db_url)
    if url.get_backend_name() == "sqlite" and (
        not url.database or url.database == ":memory:" or not Path(url.database).exists()
    ):
        return
    engine = make_engine(ctx.db_url, busy_timeout_ms=ctx.settings.database.busy_timeout_ms)
    try:
        unreachable = find_unreachable(ctx.settings, engine)
    except SQLAlchemyError as exc:
        err(f"warning: cannot read the actions to check their owners ({type(exc).__name__})")
        return
    finally:
        engine.dispose()
    if unreachable:
        err(f"warning: {unreachable_warning(unreachable)}")


def _next_runs(ctx: AppContext) -> dict[str, list[str]]:
    """The schedules' next three runs: checks the cron expressions, and shows what they mean."""
    from tracker.reminders.run import ReminderError
    from tracker.scheduler import next_runs

    out: dict[str, list[str]] = {}
    for name, expr in (
        ("reminders", ctx.settings.reminders.schedule),
        ("sync", ctx.settings.sync.schedule),
    ):
        try:
            out[name] = [t.isoformat() for t in next_runs(expr, ctx.tz, ctx.now())]
        except ReminderError as exc:
            fail(str(exc).replace("schedule:", f"{name}.schedule:", 1), 2)
    return out


def _print_tree(data: dict[str, Any], prefix: str = "") -> None:
    for key, value in data.items():
        if isinstance(value, dict) and value:
            _print_tree(value, f"{prefix}{key}.")
        else:
            sys.stdout.write(f"{prefix}{key} = {value!r}\n")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending schema migrations (they also run on start)."""
    from tracker.db import current_revision, make_engine, upgrade

    ctx = context()
    engine = make_engine(ctx.db_url, busy_timeout_ms=ctx.settings.database.busy_timeout_ms)
    ran = upgrade(engine)
    revision = current_revision(engine)
    err(f"database at revision {revision}" + (" (upgraded)" if ran else " (already current)"))


@db_app.command("copy")
def db_copy(
    to: Annotated[str, typer.Option("--to", help="Target database URL (must be empty).")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Copy the whole tracker (history, reminders, sync links) to another database."""
    from tracker.db_copy import copy_database

    counts = copy_database(context().engine(), to, progress=err)
    if as_json:
        print_json(counts)
    else:
        err("copied " + ", ".join(f"{n} {t}" for t, n in counts.items()))
