"""Commands on actions: add, list, show, update, done.

A value the tracker does not know (status, kind, priority, date, id, sort key) exits 2 with one
`error:` line naming what is allowed — never an empty list; see tracker/cli/root.py for the rest
of the exit-code rule.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tracker.cli.root import (
    app,
    console,
    context,
    err,
    fail,
    is_pipe,
    parse_due_option,
    print_json,
    reading,
    status_list,
    typed_date,
    writing,
)

if TYPE_CHECKING:
    from tracker.context import AppContext

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
    due_date = parse_due_option(due)
    due_text = typed_date(due_date, due)
    if due_date is None:
        due_date = due_date_for(prio, ctx.today(), ctx.settings.policy.due_days)
        due_text = f"{due_date.isoformat()} ({prio} default)"
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
        from tracker.recurrence.store import possible_duplicates

        duplicates = possible_duplicates(
            session.connection(), [(action.id, action.title)], incident_id=incident
        )
    if as_json:
        print_json(action.model_dump(mode="json"))
    else:
        err(f"added #{action.id}: {action.title} (due {due_text}, {action.priority})")
    for d in duplicates:
        err(f"note: #{d['action_id']} is a possible duplicate of #{d['duplicate_of']}")


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
    unassigned: Annotated[
        bool, typer.Option("--unassigned", help="Only actions without an owner (triage).")
    ] = False,
    mine: Annotated[
        bool,
        typer.Option("--mine", help="Only my actions (`user` in the config, else the login name)."),
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
    from tracker.config import current_user
    from tracker.queries.filters import (
        ACTION_FIELDS,
        ActionFilter,
        check_filter,
        check_sort,
        split_values,
    )

    check_sort(sort)
    ctx = context()
    if unassigned and (mine or owner):
        fail("--unassigned lists actions without an owner; drop --owner / --mine", 2)
    user = current_user(ctx.settings) if mine else ""
    if mine and not user:
        fail(
            '--mine needs to know who you are: no login name found; set `user = "..."` in the config',
            2,
        )
    f = check_filter(
        ActionFilter(
            statuses=status_list(status, include_all or overdue or due_within is not None),
            overdue=overdue,
            due_within=due_within,
            owner=user if mine else owner,
            unassigned=unassigned,
            incident_id=incident,
            kinds=split_values(kind),
            priorities=split_values(priority),
            text=search,
        )
    )
    today = ctx.today()
    table_limit = limit if limit is not None else (None if as_json or as_csv else 200)
    if as_json and _fast_sqlite_json(ctx, f, today, sort=sort, descending=desc, limit=table_limit):
        return
    from tracker.output.writers import action_table, stream_json_strings, write_csv
    from tracker.queries.actions import (
        count_actions,
        incident_exists,
        iter_action_json,
        iter_actions,
        row_to_json,
    )

    with reading() as conn:
        if incident is not None and not incident_exists(conn, incident):
            fail(f"no incident #{incident}; `capa-tracker incidents` lists them", 2)
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
            if not shown:
                err("no actions match")
                return
            console().print(action_table(shown, today, one_line_rows=is_pipe()))
            total = (
                count_actions(conn, f, today)
                if table_limit is not None and len(shown) == table_limit
                else len(shown)
            )
            more = f"; {total - len(shown)} more (use --limit)" if total > len(shown) else ""
            err(f"{len(shown)} action(s){more}")


def _fast_sqlite_json(ctx: AppContext, f: Any, today: date, **kw: Any) -> bool:
    """`list --json` on a current SQLite file without importing SQLAlchemy; False: not taken."""
    from tracker.output.writers import stream_json_strings
    from tracker.queries.sqlite_fast import (
        incident_exists,
        iter_action_json,
        open_current,
        sqlite_file,
    )

    path = sqlite_file(ctx.db_url)
    conn = open_current(path, ctx.settings.database.busy_timeout_ms) if path else None
    if conn is None:
        return False
    try:
        if f.incident_id is not None and not incident_exists(conn, f.incident_id):
            fail(f"no incident #{f.incident_id}; `capa-tracker incidents` lists them", 2)
        stream_json_strings(iter_action_json(conn, f, today, **kw))
    finally:
        conn.close()
    return True


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
        print_json(details)
    else:
        print_details(details, context().today(), console(), context().tz)


@app.command()
def update(
    action_ids: Annotated[
        list[int], typer.Argument(metavar="ID...", help="One action, or several to triage at once.")
    ],
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
    reason: Annotated[
        str | None, typer.Option(help="Why (needed for wont_do and for a later due date).")
    ] = None,
    note: Annotated[str | None, typer.Option(help="A note for the history.")] = None,
    expect_version: Annotated[
        int | None,
        typer.Option("--expect-version", help="Refuse if the action changed since this version."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Change actions' fields or status; several ids change together or not at all."""
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
        changes["due_date"] = parse_due_option(due)
    if verify_by is not None:
        changes["verify_by"] = parse_due_option(verify_by, "verify-by date")
    if not changes and status is None and note is None:
        fail("nothing to change; give --status, --owner, --due, --priority, --note, ...", 2)
    if expect_version is not None and len(action_ids) > 1:
        fail("--expect-version applies to one action; give a single ID", 2)
    ids = list(dict.fromkeys(action_ids))
    results = []
    with writing() as session:
        for action_id in ids:
            version = expect_version
            if changes:
                version = update_action(
                    session,
                    action_id,
                    changes,
                    actor=ctx.actor,
                    source="cli",
                    expected_version=version,
                    reason=reason,
                    require_extension_reason=ctx.settings.policy.require_reason_for_extension,
                ).version
            if status is not None:
                transition(
                    session,
                    action_id,
                    status,
                    actor=ctx.actor,
                    source="cli",
                    reason=reason,
                    note=note,
                    expected_version=version,
                )
            elif note:
                add_note(session, action_id, note, actor=ctx.actor, source="cli")
            results.append(get_action(session, action_id))
    if as_json:
        data = [a.model_dump(mode="json") for a in results]
        print_json(data[0] if len(action_ids) == 1 else data)
    else:
        for action in results:
            due_text = typed_date(action.due_date, due if due is not None else None)
            line = f"#{action.id} {action.status}: {action.title} (owner {action.owner or '-'}, due {due_text}"
            if verify_by is not None:
                line += f", verify by {typed_date(action.verify_by, verify_by)}"
            err(line + ")")


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
    from tracker.vocabulary import default_verify_by

    ctx = context()
    verify = parse_due_option(verify_by, "verify-by date")
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
        print_json([a.model_dump(mode="json") for a in results])
    else:
        for a in results:
            verify_text = typed_date(a.verify_by, verify_by)
            err(f"#{a.id} done: {a.title}" + (f" (verify by {verify_text})" if a.verify_by else ""))
