"""`capa-tracker show`: one action with its incident, history, reminders and Jira link."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from tracker.actions import get_action, history
from tracker.models import Incident, Reminder, SyncLink
from tracker.policy import describe_due
from tracker.queries import incident_json, json_value


def action_details(session: Session, action_id: int) -> dict[str, Any]:
    """Everything known about one action, as JSON-ready values."""
    action = get_action(session, action_id)
    data: dict[str, Any] = action.model_dump(mode="json")
    incident = session.get(Incident, action.incident_id) if action.incident_id else None
    data["incident"] = incident_json(incident) if incident else None
    data["history"] = [e.model_dump(mode="json") for e in history(session, action_id)]
    reminders = session.exec(
        select(Reminder).where(Reminder.action_id == action_id).order_by(col(Reminder.id))
    )
    data["reminders"] = [
        {
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
        }
        if link
        else None
    )
    return data


def _due_text(d: dict[str, Any], due: date | None, today: date) -> str:
    if due is None:
        return "-"
    if d["closed_at"] is not None:
        return due.isoformat()
    return f"{due.isoformat()} ({describe_due(d['status'], due, today)})"


def print_details(d: dict[str, Any], today: date, console: Any) -> None:
    from rich.text import Text

    from tracker.render import key_value_table

    due = date.fromisoformat(d["due_date"]) if d["due_date"] else None
    console.print(Text(f"#{d['id']} {d['title']}", style="bold"))
    pairs: list[tuple[str, Any]] = [
        ("status", d["status"] + (f" ({d['status_reason']})" if d["status_reason"] else "")),
        ("kind", d["kind"]),
        ("priority", d["priority"]),
        ("owner", d["owner"] or "-"),
        ("team", d["team"] or "-"),
        ("due", _due_text(d, due, today)),
        ("verify by", d["verify_by"]),
        ("verified", f"{d['verified_at']} by {d['verified_by']}" if d["verified_at"] else None),
        ("jira", d["jira_key"]),
        ("tracking", d["tracking_ref"]),
        ("incident", f"#{d['incident']['id']} {d['incident']['title']}" if d["incident"] else "-"),
    ]
    if d["sync"] and d["sync"]["last_error"]:
        pairs.append(("sync error", d["sync"]["last_error"]))
    console.print(key_value_table((k, v) for k, v in pairs if v is not None))
    if d["description"]:
        console.print(Text("\n" + d["description"]))
    console.print(Text("\nHistory", style="bold"))
    for e in d["history"]:
        what = e["kind"]
        if e["field"]:
            what = f"{e['field']}: {e['old_value'] or '-'} -> {e['new_value'] or '-'}"
        elif e["kind"] == "created":
            what = "created"
        line = f"{e['at'][:16].replace('T', ' ')}  {e['actor']} ({e['source']})  {what}"
        if e["note"]:
            line += f"  — {e['note']}"
        console.print(Text(line))
    if d["reminders"]:
        console.print(Text("\nReminders", style="bold"))
        for r in d["reminders"]:
            console.print(
                Text(
                    f"{r['window']}  {r['rule']} -> {r['recipient']} via {r['channel']}: {r['status']}"
                )
            )
