"""Read the actions the planner looks at into plain snapshots (one query, no ORM objects)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from tracker.db import read_engine, session_scope
from tracker.models import Action, Incident, SyncLink
from tracker.recurrence.store import happened_again
from tracker.reminders.planner import ActionSnapshot, Recurrence
from tracker.vocabulary import OPEN_STATUSES

# Open actions may be due soon or overdue; done ones may await verification.
_RELEVANT = (*sorted(OPEN_STATUSES), "done")


def jira_browse_url(base_url: str, key: str | None) -> str | None:
    if not key or not base_url:
        return None
    return f"{base_url.rstrip('/')}/browse/{key}"


def load_snapshots(engine: Engine, *, jira_url: str = "") -> list[ActionSnapshot]:
    """All live actions that could need a reminder, with their Jira issue's address when the
    action is linked and `jira_url` (the site) is known."""
    query = (
        select(
            col(Action.id),
            col(Action.title),
            col(Action.owner),
            col(Action.due_date),
            col(Action.status),
            col(Action.verify_by),
            col(Action.verified_at),
            # The sync link is where the Jira sync records the issue; the action's own key is
            # what someone typed (`update --jira`) or an older sync copied there.
            func.coalesce(col(SyncLink.jira_key), col(Action.jira_key)),
            col(Incident.title),
            col(Action.team),
            col(Action.priority),
            col(Action.incident_id),
        )
        .select_from(Action)
        .outerjoin(Incident, col(Incident.id) == col(Action.incident_id))
        .outerjoin(SyncLink, col(SyncLink.action_id) == col(Action.id))
        .where(col(Action.status).in_(_RELEVANT), col(Action.retired).is_(False))
        .order_by(col(Action.id))
    )
    with session_scope(engine, write=False) as session:
        rows = session.execute(query).all()
    return [
        ActionSnapshot(
            id=row[0],
            title=row[1],
            owner=row[2],
            due_date=row[3],
            status=row[4],
            verify_by=row[5],
            verified_at=row[6],
            jira_key=row[7],
            jira_url=jira_browse_url(jira_url, row[7]),
            incident_title=row[8],
            team=row[9],
            priority=row[10],
            incident_id=row[11],
        )
        for row in rows
    ]


def with_recurrence(engine: Engine, snapshots: list[ActionSnapshot]) -> list[ActionSnapshot]:
    """The snapshots, each open action's carrying the later incident that resembles its own
    (the failure happened again). Computed once per run, for the incidents with open actions."""
    ids = sorted(
        {
            s.incident_id
            for s in snapshots
            if s.incident_id is not None and s.status in OPEN_STATUSES
        }
    )
    if not ids:
        return snapshots
    with read_engine(engine).connect() as conn:
        found = happened_again(conn, ids)
    if not found:
        return snapshots
    again = {
        incident: Recurrence(r["incident_id"], r["title"], r["date"])
        for incident, r in found.items()
    }
    return [
        replace(s, happened_again=again[s.incident_id])
        if s.incident_id in again and s.status in OPEN_STATUSES
        else s
        for s in snapshots
    ]
