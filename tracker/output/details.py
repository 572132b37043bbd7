"""What `capa-tracker show` prints for one action."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from tracker.policy import describe_due


def local_time(value: str | None, tz: tzinfo) -> str:
    """A stored UTC timestamp ("2026-12-02T08:21:00Z") in the policy zone, with the zone named:
    "2026-12-02 09:21 CET"."""
    if not value:
        return "-"
    at = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(tz)
    return at.strftime("%Y-%m-%d %H:%M ") + (at.tzname() or str(tz))


def _reminder_line(r: dict[str, Any], tz: tzinfo) -> str:
    """When a reminder went (or was planned to go), to whom, why, and how it ended."""
    when = r.get("sent_at") or r.get("planned_at") or r.get("created_at")
    status = r["status"]
    if status == "sent":
        verb = "sent"
    elif status == "failed":
        verb = "failed" + (f" ({r['last_error']})" if r.get("last_error") else "")
    else:
        verb = "pending"
    rule = str(r["rule"]).replace("_", " ")
    return f"{local_time(when, tz)}  {rule} -> {r['recipient']} via {r['channel']}: {verb}"


def _due_text(d: dict[str, Any], due: date | None, today: date) -> str:
    if due is None:
        return "-"
    if d["closed_at"] is not None:
        return due.isoformat()
    return f"{due.isoformat()} ({describe_due(d['status'], due, today)})"


def print_details(d: dict[str, Any], today: date, console: Any, tz: tzinfo) -> None:
    """The action's fields, history and reminders; times in the policy zone, labelled."""
    from rich.text import Text

    from tracker.output.writers import key_value_table

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
        (
            "verified",
            f"{local_time(d['verified_at'], tz)} by {d['verified_by']}"
            if d["verified_at"]
            else None,
        ),
        ("jira", d["jira_key"]),
        ("tracking", d["tracking_ref"]),
        ("incident", f"#{d['incident']['id']} {d['incident']['title']}" if d["incident"] else "-"),
    ]
    if d["sync"] and d["sync"]["last_error"]:
        pairs.append(("sync error", d["sync"]["last_error"]))
    if d["sync"] and d["sync"].get("warning"):
        pairs.append(("sync warning", d["sync"]["warning"]))
    console.print(key_value_table((k, v) for k, v in pairs if v is not None))
    if d["incident"]:
        from tracker.output.import_report import resembles_line

        for r in d["incident"].get("related") or []:
            console.print(Text(f"incident {resembles_line(r)}"))
    if d["description"]:
        console.print(Text("\n" + d["description"]))
    slips = d.get("extensions") or []
    if slips:
        days = sum(e["days_added"] for e in slips)
        console.print(
            Text(f"\nDue date extended {len(slips)} time(s), {days} day(s) added", style="bold")
        )
        for e in slips:
            console.print(
                Text(
                    f"{e['at'][:10]}  {e['old_due']} -> {e['new_due']} (+{e['days_added']}d)  "
                    f"{e['actor']}: {e['reason'] or '(no reason given)'}"
                )
            )
    console.print(Text(f"\nHistory (times in {tz})", style="bold"))
    for e in d["history"]:
        what = e["kind"]
        if e["field"]:
            what = f"{e['field']}: {e['old_value'] or '-'} -> {e['new_value'] or '-'}"
        elif e["kind"] == "created":
            what = "created"
        line = f"{local_time(e['at'], tz)}  {e['actor']} ({e['source']})  {what}"
        if e["note"]:
            line += f"  — {e['note']}"
        console.print(Text(line))
    if d["reminders"]:
        console.print(Text("\nReminders", style="bold"))
        for r in d["reminders"]:
            console.print(Text(_reminder_line(r, tz)))
