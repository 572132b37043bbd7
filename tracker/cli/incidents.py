"""`incident list|show|update|merge|delete` (`related` and `classes`: tracker/cli/recurrence.py): read and correct incidents.

Every correction is one transaction with its events; a refusal (unknown id, bad date, end
before start) is one `error:` line, exit 2, and nothing changed.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tracker.cli.root import console, context, err, incident_app, print_json, writing


@incident_app.command("list")
def incident_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List incidents with their actions' progress (as `incidents`)."""
    from tracker.cli.reports import incidents

    incidents(as_json=as_json)


@incident_app.command("show")
def incident_show(
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One incident: its facts, actions, candidates waiting for review and history."""
    from tracker.db import session_scope
    from tracker.queries.incidents import incident_details

    ctx = context()
    with session_scope(ctx.engine()) as session:
        data = incident_details(session, incident_id, ctx.today())
    if as_json:
        print_json(data)
        return
    from tracker.output.incident import print_incident

    print_incident(data, ctx.today(), console())


@incident_app.command("update")
def incident_update(
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    title: Annotated[str | None, typer.Option("--title")] = None,
    started: Annotated[
        str | None, typer.Option("--started", help="ISO 8601; no zone: policy.timezone.")
    ] = None,
    ended: Annotated[
        str | None, typer.Option("--ended", help="ISO 8601; no zone: policy.timezone.")
    ] = None,
    duration: Annotated[
        str | None, typer.Option("--duration", help="Minutes (90) or 1h30m.")
    ] = None,
    impact: Annotated[str | None, typer.Option("--impact")] = None,
    root_cause: Annotated[str | None, typer.Option("--root-cause")] = None,
    classes: Annotated[
        list[str] | None,
        typer.Option(
            "--class",
            help="Failure classes (docs/recurrence.md; repeat or comma-separate; '' clears).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the incident afterwards.")] = False,
) -> None:
    """Correct what the importer read wrong; a later re-import keeps the correction."""
    from tracker.incidents import parse_minutes, parse_when, update_incident

    ctx = context()
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = title
    if started is not None:
        changes["started_at"] = parse_when(started, ctx.tz, "--started")
    if ended is not None:
        changes["ended_at"] = parse_when(ended, ctx.tz, "--ended")
    if duration is not None:
        changes["duration_minutes"] = parse_minutes(duration)
    if impact is not None:
        changes["impact"] = impact
    if root_cause is not None:
        changes["root_cause"] = root_cause
    if not changes and classes is None:
        from tracker.errors import UserInputError

        raise UserInputError(
            "nothing to change; give --title, --started, --ended, --duration, --impact,"
            " --root-cause or --class"
        )
    changed: list[str] = []
    with writing() as session:
        if changes:
            changed = list(
                update_incident(session, incident_id, changes, actor=ctx.actor, source="cli")
            )
        if classes is not None:
            from tracker.recurrence.store import set_classes

            # Set by hand, they survive re-imports; same transaction as the other fields.
            names = set_classes(
                session.connection(), incident_id, [n for v in classes for n in v.split(",")]
            )
            changed.append(f"classes ({', '.join(names) or 'none'})")
    if not changed:
        err(f"incident #{incident_id}: nothing changed")
    else:
        err(f"incident #{incident_id}: updated {', '.join(changed)}")
    if as_json:
        incident_show(incident_id, as_json=True)


@incident_app.command("merge")
def incident_merge(
    keep: Annotated[int, typer.Argument(metavar="A", help="The incident that stays.")],
    gone: Annotated[int, typer.Argument(metavar="B", help="Its actions move to A; B is retired.")],
) -> None:
    """Merge incident B into A: B's actions move to A and B is retired."""
    from tracker.incidents import merge_incidents

    ctx = context()
    with writing() as session:
        moved = merge_incidents(session, keep, gone, actor=ctx.actor, source="cli")
    err(f"merged incident #{gone} into #{keep}: {len(moved)} action(s) moved")


@incident_app.command("delete")
def incident_delete(incident_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Delete an incident: its actions are retired, their history is kept."""
    from tracker.incidents import delete_incident

    ctx = context()
    with writing() as session:
        retired = delete_incident(session, incident_id, actor=ctx.actor, source="cli")
    err(f"deleted incident #{incident_id}: {len(retired)} action(s) retired")
