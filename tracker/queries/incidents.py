"""One incident with its actions, candidates and history (`incident show`, the dashboard)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from tracker.models import Event, ImportCandidate
from tracker.queries.actions import incident_json, iter_actions, json_value, row_to_json
from tracker.queries.filters import ActionFilter


def incident_details(session: Session, incident_id: int, today: date) -> dict[str, Any]:
    """Everything known about one incident, as JSON-ready values (deleted ones too)."""
    from tracker.incidents import load_incident

    incident = load_incident(session, incident_id, live=False)
    data = incident_json(incident)
    data["edited_fields"] = json.loads(incident.edited_fields or "[]")
    data["deleted_at"] = json_value(incident.deleted_at)
    data["merged_into"] = incident.merged_into
    f = ActionFilter(incident_id=incident_id, include_retired=True)
    data["actions"] = [
        row_to_json(r) for r in iter_actions(session.connection(), f, today, sort="id")
    ]
    candidates = session.exec(
        select(ImportCandidate)
        .where(col(ImportCandidate.incident_id) == incident_id)
        .order_by(col(ImportCandidate.id))
    )
    data["candidates"] = [
        {
            "id": c.id,
            "title": c.title,
            "confidence": round(float(c.confidence), 3),
            "reason": c.reason,
            "status": c.status,
            "action_id": c.action_id,
        }
        for c in candidates
    ]
    events = session.exec(
        select(Event)
        .where(col(Event.incident_id) == incident_id, col(Event.action_id).is_(None))
        .order_by(col(Event.id))
    )
    data["history"] = [
        {
            "at": json_value(e.at),
            "actor": e.actor,
            "source": e.source,
            "kind": e.kind,
            "field": e.field,
            "old_value": e.old_value,
            "new_value": e.new_value,
            "note": e.note,
        }
        for e in events
    ]
    return data
