"""The command line: the composition root. Heavy modules are imported inside commands so that
`--help` and `--version` stay fast; the Jira, reminder and dashboard packages load lazily.

Exit codes: 0 ok, 1 an operation failed, 2 bad usage or bad input. No traceback unless --debug.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from tracker import __version__
from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.context import AppContext

app = typer.Typer(
    name="capa-tracker",
    help="Track the corrective and preventive actions from post-mortems until they are done.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")


class CliError(TrackerError):
    """Ends the command with one line on stderr and an exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = code


class _State:
    config: str | None = None
    db: str | None = None
    debug: bool = False
    ctx: AppContext | None = None


STATE = _State()


def err(message: str) -> None:
    """A message for people: stderr, never parsed as markup."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def fail(message: str, code: int = 1) -> NoReturn:
    raise CliError(message, code)


def context() -> AppContext:
    """Settings and database for this run, built on first use (errors map to exit 2 / 1)."""
    if STATE.ctx is None:
        from tracker.config import load_settings
        from tracker.context import AppContext

        settings = load_settings(STATE.config)
        STATE.ctx = AppContext.build(settings, db_url=STATE.db, debug=STATE.debug)
    return STATE.ctx


@contextmanager
def writing() -> Iterator[Any]:
    """A write transaction; a domain refusal (a TrackerError) rolls it back and reaches main."""
    from tracker.db import session_scope

    with session_scope(context().engine()) as session:
        yield session


@contextmanager
def reading() -> Iterator[Any]:
    from tracker.db import read_engine

    with read_engine(context().engine()).connect() as conn:
        yield conn


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"capa-tracker {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def main_options(
    config: Annotated[
        str | None,
        typer.Option(
            "--config",
            help="Config file (else $CAPA_TRACKER_CONFIG, ./capa-tracker.toml, the user config dir).",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="URL", help="Database URL, overriding database.url."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    STATE.config, STATE.db, STATE.debug, STATE.ctx = config, db, debug, None


def _parse_due(text: str | None) -> date | None:
    if text is None:
        return None
    from tracker.policy import parse_due

    try:
        return parse_due(text, context().today())
    except ValueError as exc:
        fail(str(exc), 2)


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, markup=False, emoji=False)


# ------------------------------------------------------------------ import


@app.command("import")
def import_cmd(
    paths: Annotated[
        list[str], typer.Argument(help="Post-mortem files, directories, or - for stdin.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Parse and show what would change; write nothing.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the incidents with their actions as JSON.")
    ] = False,
) -> None:
    """Import post-mortems: each measure becomes a tracked action."""
    from tracker.importing.run import import_documents
    from tracker.output.import_report import print_import

    ctx = context()
    run = import_documents(
        ctx, paths, dry_run=dry_run, want_actions=as_json or len(paths) <= 5, progress=err
    )
    print_import(run, as_json=as_json, progress=err, today=ctx.today())
    raise typer.Exit(run.exit_code)


# ------------------------------------------------------------------ actions


KIND_HELP = "corrective, preventive, detective, mitigation or process"


@app.command()
def add(
    title: Annotated[str, typer.Argument(help="What will be done.")],
    incident: Annotated[int | None, typer.Option(help="Incident id it belongs to.")] = None,
    kind: Annotated[str, typer.Option(help=KIND_HELP)] = "corrective",
    priority: Annotated[str | None, typer.Option(help="P0..P3 (default from policy).")] = None,
    owner: Annotated[str | None, typer.Option(help="Name or e-mail.")] = None,
    team: Annotated[str | None, typer.Option()] = None,
    due: Annotated[
        str | None,
        typer.Option(help="YYYY-MM-DD, +14d, next friday (default: the priority's SLO)."),
    ] = None,
    description: Annotated[str, typer.Option()] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Add an action by hand."""
    from tracker.actions import create_action
    from tracker.policy import due_date_for

    ctx = context()
    prio = priority or ctx.settings.policy.default_priority
    due_date = _parse_due(due) or due_date_for(prio, ctx.today(), ctx.settings.policy.due_days)
    with writing() as session:
        action = create_action(
            session,
            title=title,
            actor=ctx.actor,
            source="cli",
            incident_id=incident,
            kind=kind,
            priority=prio,
            owner=owner,
            team=team,
            due_date=due_date,
            description=description,
        )
    if as_json:
        _print_json(action.model_dump(mode="json"))
    else:
        err(f"added #{action.id}: {action.title} (due {action.due_date}, {action.priority})")


def _status_list(status: list[str] | None, include_all: bool) -> tuple[str, ...]:
    from tracker.policy import OPEN_STATUSES, STATUSES

    if status:
        wanted = tuple(s.strip() for item in status for s in item.split(",") if s.strip())
        bad = [s for s in wanted if s not in STATUSES]
        if bad:
            fail(f"unknown status {bad[0]!r}; use one of {', '.join(STATUSES)}", 2)
        return wanted
    return () if include_all else tuple(sorted(OPEN_STATUSES))


@app.command("list")
def list_cmd(
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open actions past their due date.")
    ] = False,
    due_within: Annotated[
        int | None,
        typer.Option("--due-within", help="Only open actions due within DAYS.", metavar="DAYS"),
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's actions.")] = None,
    mine: Annotated[
        bool, typer.Option("--mine", help="Only the configured user's actions.")
    ] = False,
    status: Annotated[
        list[str] | None,
        typer.Option(help="Status(es), repeat or comma-separate (default: open ones)."),
    ] = None,
    include_all: Annotated[
        bool, typer.Option("--all", help="Every status, closed ones too.")
    ] = False,
    incident: Annotated[int | None, typer.Option(help="Only this incident's actions.")] = None,
    kind: Annotated[list[str] | None, typer.Option(help=KIND_HELP)] = None,
    priority: Annotated[list[str] | None, typer.Option(help="P0..P3")] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Text in title, owner, incident or Jira key.")
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            help="id, due, priority, status, owner, kind, title, incident, created, updated"
        ),
    ] = "due",
    desc: Annotated[bool, typer.Option("--desc", help="Reverse the sort.")] = False,
    limit: Annotated[
        int | None, typer.Option(help="At most this many rows (table default 200).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_csv: Annotated[bool, typer.Option("--csv")] = False,
) -> None:
    """List actions (open ones unless --status or --all)."""
    from tracker.output.formats import stream_json_strings
    from tracker.queries.filters import ACTION_FIELDS, SORT_KEYS, ActionFilter

    if sort not in SORT_KEYS:
        fail(f"cannot sort by {sort!r}; use one of {', '.join(SORT_KEYS)}", 2)
    ctx = context()
    if mine and not ctx.settings.user:
        fail('--mine needs `user = "..."` in the config', 2)
    f = ActionFilter(
        statuses=_status_list(status, include_all or overdue or due_within is not None),
        overdue=overdue,
        due_within=due_within,
        owner=ctx.settings.user if mine else owner,
        incident_id=incident,
        kinds=tuple(kind or ()),
        priorities=tuple(priority or ()),
        text=search,
    )
    today = ctx.today()
    table_limit = limit if limit is not None else (None if as_json or as_csv else 200)
    if as_json and _fast_sqlite_json(ctx, f, today, sort=sort, descending=desc, limit=table_limit):
        return
    from tracker.output.formats import action_table, write_csv
    from tracker.queries.actions import count_actions, iter_action_json, iter_actions, row_to_json

    with reading() as conn:
        rows = (
            row_to_json(r)
            for r in iter_actions(conn, f, today, sort=sort, descending=desc, limit=table_limit)
        )
        if as_json:
            stream_json_strings(
                iter_action_json(conn, f, today, sort=sort, descending=desc, limit=table_limit)
            )
        elif as_csv:
            write_csv(rows, ACTION_FIELDS)
        else:
            shown = list(rows)
            _console().print(action_table(shown, today))
            total = (
                count_actions(conn, f, today)
                if table_limit is not None and len(shown) == table_limit
                else len(shown)
            )
            more = f"; {total - len(shown)} more (use --limit)" if total > len(shown) else ""
            err(f"{len(shown)} action(s){more}")


def _fast_sqlite_json(ctx: AppContext, f: Any, today: date, **kw: Any) -> bool:
    """`list --json` on a current SQLite file without importing SQLAlchemy; False: not taken."""
    from tracker.output.formats import stream_json_strings
    from tracker.queries.sqlite_fast import iter_action_json, open_current, sqlite_file

    path = sqlite_file(ctx.db_url)
    conn = open_current(path, ctx.settings.database.busy_timeout_ms) if path else None
    if conn is None:
        return False
    try:
        stream_json_strings(iter_action_json(conn, f, today, **kw))
    finally:
        conn.close()
    return True


def _print_json(data: Any) -> None:
    from tracker.output.formats import write_json

    write_json(data)


@app.command()
def show(
    action_id: Annotated[int, typer.Argument(help="Action id (12 or #12).", metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one action with its incident, history and reminders."""
    from tracker.db import session_scope
    from tracker.output.details import print_details
    from tracker.queries.details import action_details

    with session_scope(context().engine(), write=False) as session:
        details = action_details(session, action_id)
    if as_json:
        _print_json(details)
    else:
        print_details(details, context().today(), _console())


@app.command()
def update(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    title: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    kind: Annotated[str | None, typer.Option(help=KIND_HELP)] = None,
    priority: Annotated[str | None, typer.Option(help="P0..P3")] = None,
    owner: Annotated[str | None, typer.Option(help="Name or e-mail ('' to clear).")] = None,
    team: Annotated[str | None, typer.Option()] = None,
    due: Annotated[str | None, typer.Option(help="YYYY-MM-DD, +14d, next friday.")] = None,
    verify_by: Annotated[
        str | None, typer.Option("--verify-by", help="When to check the measure worked.")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="open, in_progress, blocked, done, verified, wont_do")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why (needed for wont_do).")] = None,
    note: Annotated[str | None, typer.Option(help="A note for the history.")] = None,
    expect_version: Annotated[
        int | None,
        typer.Option("--expect-version", help="Refuse if the action changed since this version."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Change an action's fields or status; every change is kept in its history."""
    from tracker.actions import add_note, get_action, transition, update_action

    ctx = context()
    changes: dict[str, Any] = {}
    for name, value in (
        ("title", title),
        ("description", description),
        ("kind", kind),
        ("priority", priority),
        ("team", team),
    ):
        if value is not None:
            changes[name] = value
    if owner is not None:
        changes["owner"] = owner or None
    if due is not None:
        changes["due_date"] = _parse_due(due)
    if verify_by is not None:
        changes["verify_by"] = _parse_due(verify_by)
    if not changes and status is None and note is None:
        fail("nothing to change; give --status, --owner, --due, --priority, --note, ...", 2)
    with writing() as session:
        version = expect_version
        if changes:
            version = update_action(
                session, action_id, changes, actor=ctx.actor, source="cli", expected_version=version
            ).version
        if status is not None:
            version = transition(
                session,
                action_id,
                status,
                actor=ctx.actor,
                source="cli",
                reason=reason,
                note=note,
                expected_version=version,
            ).version
        elif note:
            add_note(session, action_id, note, actor=ctx.actor, source="cli")
        action = get_action(session, action_id)
    if as_json:
        _print_json(action.model_dump(mode="json"))
    else:
        err(
            f"#{action.id} {action.status}: {action.title} (owner {action.owner or '-'}, due {action.due_date or '-'})"
        )


@app.command()
def done(
    action_ids: Annotated[list[int], typer.Argument(metavar="ID...")],
    note: Annotated[str | None, typer.Option(help="What was done.")] = None,
    verify_by: Annotated[
        str | None,
        typer.Option(
            "--verify-by", help="When to check it worked (default: policy.verify_after_days)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Mark actions done."""
    from tracker.actions import transition
    from tracker.policy import default_verify_by

    ctx = context()
    verify = _parse_due(verify_by)
    if verify is None:
        verify = default_verify_by(ctx.today(), ctx.settings.policy.verify_after_days)
    results = []
    with writing() as session:
        for action_id in action_ids:
            results.append(
                transition(
                    session,
                    action_id,
                    "done",
                    actor=ctx.actor,
                    source="cli",
                    note=note,
                    verify_by=verify,
                )
            )
    if as_json:
        _print_json([a.model_dump(mode="json") for a in results])
    else:
        for a in results:
            err(f"#{a.id} done: {a.title}" + (f" (verify by {a.verify_by})" if a.verify_by else ""))


# ------------------------------------------------------------------ reports


@app.command()
def incidents(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List incidents with their actions' progress."""
    from tracker.queries.actions import incident_rows

    ctx = context()
    with reading() as conn:
        rows = incident_rows(conn, ctx.today())
    if as_json:
        _print_json(rows)
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
    _console().print(table)
    err(f"{len(rows)} incident(s)")


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Open, overdue, due this week, done in 30 days, median days to close; per owner and incident."""
    from tracker.queries.actions import stats as compute

    ctx = context()
    with reading() as conn:
        data = compute(conn, ctx.today())
    if as_json:
        _print_json(data)
        return
    from tracker.output.stats import print_stats

    print_stats(data, _console())


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
    f = ActionFilter(statuses=_status_list(None, include_all))
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


# ------------------------------------------------------------------ integrations (lazy)


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
    from sync.commands import run_sync

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
    from tracker.reminders.commands import ReminderError, parse_now, run_remind

    ctx = context()
    try:
        when = parse_now(now, ctx.tz) if now else None
        if requeue_stuck and not dry_run:
            from tracker.reminders.sender import requeue_stale

            err(f"re-queued {requeue_stale(ctx.engine())} stuck reminder(s)")
        code = run_remind(ctx, dry_run=dry_run, now=when, as_json=as_json)
    except ReminderError as exc:
        fail(str(exc), 2)
    raise typer.Exit(code)


@app.command()
def scheduler(
    once: Annotated[bool, typer.Option("--once", help="Run each job once now, then exit.")] = False,
) -> None:
    """Run reminders and Jira sync on their schedules until stopped (SIGINT/SIGTERM)."""
    from tracker.reminders.commands import ReminderError
    from tracker.scheduler import run_scheduler

    try:
        code = run_scheduler(context(), once=once)
    except ReminderError as exc:
        fail(str(exc), 2)
    raise typer.Exit(code)


@app.command()
def dashboard() -> None:
    """Open the terminal dashboard."""
    from tui.app import run_dashboard

    raise typer.Exit(run_dashboard(context()))


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
    from tracker.demo import prepare_demo

    demo_ctx, n = prepare_demo(context(), db_path=db_path)
    err(f"demo database with {n} actions: {demo_ctx.db_url.removeprefix('sqlite:///')}")
    if no_dashboard:
        return
    from tui.app import run_dashboard

    raise typer.Exit(run_dashboard(demo_ctx))


# ------------------------------------------------------------------ config / db


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
    from tracker.config import masked_settings

    ctx = context()
    from sync.checks import check_offline

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
        _print_json(data)
        return
    err(f"config OK ({ctx.settings.source or 'built-in defaults'})")
    _print_tree(data)


def _next_runs(ctx: AppContext) -> dict[str, list[str]]:
    """The schedules' next three runs: checks the cron expressions, and shows what they mean."""
    from tracker.reminders.commands import ReminderError
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
        _print_json(counts)
    else:
        err("copied " + ", ".join(f"{n} {t}" for t, n in counts.items()))


# ------------------------------------------------------------------ entry point


def _strip_hash(argv: Sequence[str]) -> list[str]:
    """Let people type `show #12` as the docs print ids."""
    return [a[1:] if len(a) > 1 and a[0] == "#" and a[1:].isdigit() else a for a in argv]


def main(argv: Sequence[str] | None = None) -> int:
    args = _strip_hash(sys.argv[1:] if argv is None else argv)
    try:
        # With standalone_mode=False the parser returns a raised Exit's code instead of exiting.
        returned = app(args=args, prog_name="capa-tracker", standalone_mode=False)
        code = returned if isinstance(returned, int) else 0
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        err("aborted")
        code = 130
    except typer.TyperException as exc:  # usage errors from the (vendored) click parser
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err(f"error: {exc}")
        code = int(getattr(exc, "exit_code", 2))
    except TrackerError as exc:
        if STATE.debug:
            import traceback

            traceback.print_exc()
        err(f"error: {exc}")
        code = exc.exit_code
    except KeyboardInterrupt:
        err("interrupted")
        code = 130
    except BrokenPipeError:
        code = 0
    except Exception as exc:  # the one place unexpected errors become a message
        code = _unexpected(exc)
    finally:
        if STATE.ctx is not None:
            STATE.ctx.close()
    return code


def _unexpected(exc: Exception) -> int:
    if STATE.debug:
        import traceback

        traceback.print_exc()
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError):
        err(f"error: database problem: {exc.orig}; check --db / database.url, or run with --debug")
        return 1
    err(f"error: {type(exc).__name__}: {exc} (run with --debug for a traceback)")
    return 1


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
