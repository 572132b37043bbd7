"""`incident related` and `incident classes`: recurring incidents (docs/recurrence.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.cli.root import context, err, incident_app, print_json


@incident_app.command("related")
def related(
    incident_id: Annotated[int, typer.Argument(metavar="ID", help="Incident id.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Earlier incidents of the same kind of failure, with their actions still open."""
    from tracker.db import read_engine
    from tracker.output.import_report import resembles_line
    from tracker.recurrence.store import incident_classes, related_incidents

    with read_engine(context().engine()).connect() as conn:
        found = related_incidents(conn, incident_id)
        classes = incident_classes(conn, incident_id)
    if as_json:
        print_json({"incident_id": incident_id, "classes": classes, "related": found})
        return
    err(f"#{incident_id} failure classes: {', '.join(classes) or '(none found)'}")
    for r in found:
        print(resembles_line(r))
    if not found:
        err("resembles no earlier incident")


@incident_app.command("classes")
def classes_cmd(
    incident_id: Annotated[int, typer.Argument(metavar="ID", help="Incident id.")],
    set_to: Annotated[
        list[str] | None,
        typer.Option("--class", help="Set the failure classes by hand (repeat; '' clears)."),
    ] = None,
    auto: Annotated[
        bool, typer.Option("--auto", help="Drop hand-set classes and find them from the text.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show or set an incident's failure classes (docs/recurrence.md lists them)."""
    from tracker.recurrence.store import classify_incident, incident_classes, set_classes

    with context().engine().begin() as conn:
        if auto:
            set_classes(conn, incident_id, [])
            names = classify_incident(conn, incident_id)
        elif set_to is not None:
            names = set_classes(conn, incident_id, [n for v in set_to for n in v.split(",")])
        else:
            from tracker.recurrence.store import require_incident

            require_incident(conn, incident_id)
            names = incident_classes(conn, incident_id)
    if as_json:
        print_json({"incident_id": incident_id, "classes": names})
    else:
        print(", ".join(names) or "(none)")
