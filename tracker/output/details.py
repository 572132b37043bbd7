"""What `capa-tracker show` prints for one action."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.policy import describe_due


def _due_text(d: dict[str, Any], due: date | None, today: date) -> str:
    if due is None:
        return "-"
    if d["closed_at"] is not None:
        return due.isoformat()
    return f"{due.isoformat()} ({describe_due(d['status'], due, today)})"


def print_details(d: dict[str, Any], today: date, console: Any) -> None:
    from rich.text import Text

    from tracker.output.formats import key_value_table

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
