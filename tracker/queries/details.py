"""One action with its incident, history, reminders and Jira link (for `show` and the dashboard)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from tracker.actions import extensions, get_action, history
from tracker.models import Incident, Reminder, SyncLink
from tracker.queries.actions import incident_json, json_value


def action_details(session: Session, action_id: int) -> dict[str, Any]:
    """Everything known about one action, as JSON-ready values."""
    action = get_action(session, action_id)
    data: dict[str, Any] = action.model_dump(mode="json")
    incident = session.get(Incident, action.incident_id) if action.incident_id else None
    data["incident"] = incident_json(incident) if incident else None
    if incident is not None and incident.id is not None:
        from tracker.recurrence.store import incident_classes, related_incidents

        conn = session.connection()
        data["incident"]["classes"] = incident_classes(conn, incident.id)
        data["incident"]["related"] = related_incidents(conn, incident.id)
    data["history"] = [e.model_dump(mode="json") for e in history(session, action_id)]
    # Every move of the due date to a later day (a slip), oldest first.
    data["extensions"] = [e.model_dump(mode="json") for e in extensions(session, action_id)]
    reminders = session.exec(
        select(Reminder).where(Reminder.action_id == action_id).order_by(col(Reminder.id))
    )
    # `planned_at`: when a reminder run planned (and first tried) it; `sent_at`: when it went out.
    data["reminders"] = [
        {
            **{
                k: json_value(v)
                for k, v in r.model_dump(
                    include={
                        "recipient",
                        "channel",
                        "rule",
                        "window",
                        "status",
                        "sent_at",
                        "last_error",
                    }
                ).items()
            },
            "planned_at": json_value(r.created_at),
        }
        for r in reminders
    ]
    link = session.get(SyncLink, action_id)
    data["sync"] = (
        {
            "jira_key": link.jira_key,
            "pushed_at": json_value(link.pushed_at),
            "pulled_at": json_value(link.pulled_at),
            "last_error": link.last_error,
            "last_error_at": json_value(link.last_error_at),
            "warning": link.sync_warning,
        }
        if link
        else None
    )
    return data
