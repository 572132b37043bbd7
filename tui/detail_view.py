"""The detail screen's text, built from `action_details` (pure: dict in, Rich Text out)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text

from tracker.policy import describe_due
from tui.rows import STATUS_LABEL, due_text
from tui.safe_text import clean


def _when(value: str | None, tz: ZoneInfo) -> str:
    if not value:
        return "-"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return clean(value)
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _pairs(out: Text, pairs: list[tuple[str, str]], style: str = "") -> None:
    width = max((len(k) for k, _ in pairs), default=0)
    for key, value in pairs:
        out.append(f"{key:<{width}}  ", style="dim")
        out.append(clean(value), style=style)
        out.append("\n")


def header_text(d: dict[str, Any], today: date, soon_days: int = 7) -> Text:
    out = Text(no_wrap=False)
    out.append(f"#{d['id']} ", style="bold")
    out.append(clean(d["title"]), style="bold")
    out.append("\n")
    status = STATUS_LABEL.get(d["status"], d["status"])
    out.append(f"{status}", style="reverse bold")
    if d.get("status_reason"):
        out.append(f" ({clean(d['status_reason'])})")
    out.append(f"  {d['priority']}  {d['kind']}  ")
    out.append(due_text(d, today, soon_days) if d.get("due_date") else "no due date")
    return out


def fields_text(d: dict[str, Any], today: date, tz: ZoneInfo) -> Text:
    out = Text()
    due = date.fromisoformat(d["due_date"]) if d.get("due_date") else None
    pairs = [
        ("owner", d.get("owner") or "-"),
        ("team", d.get("team") or "-"),
        (
            "due",
            f"{due.isoformat()} ({describe_due(d['status'], due, today)})" if due else "-",
        ),
        ("verify by", d.get("verify_by") or "-"),
        (
            "verified",
            f"{_when(d.get('verified_at'), tz)} by {d.get('verified_by') or '-'}"
            if d.get("verified_at")
            else ("awaiting verification" if d["status"] == "done" else "-"),
        ),
        ("Jira", d.get("jira_key") or "-"),
        ("tracking", d.get("tracking_ref") or "-"),
        ("created", _when(d.get("created_at"), tz)),
        ("updated", _when(d.get("updated_at"), tz)),
    ]
    slips = d.get("extensions") or []
    if slips:
        days = sum(e["days_added"] for e in slips)
        pairs.insert(3, ("slipped", f"{len(slips)}×, {days} day(s) added"))
    _pairs(out, pairs)
    for e in slips:
        out.append(f"  {e['old_due']} → {e['new_due']} (+{e['days_added']}d)  ", style="dim")
        out.append(clean(e.get("reason") or "no reason given"), style="italic")
        out.append("\n")
    if d.get("description"):
        out.append("\n")
        out.append(clean(d["description"], multiline=True))
        out.append("\n")
    return out


def incident_text(d: dict[str, Any], tz: ZoneInfo) -> Text:
    out = Text()
    inc = d.get("incident")
    if not inc:
        out.append("No incident.", style="dim")
        return out
    out.append(f"#{inc['id']} ", style="bold")
    out.append(clean(inc["title"]), style="bold")
    out.append("\n")
    pairs = [
        ("started", _when(inc.get("started_at"), tz)),
        ("ended", _when(inc.get("ended_at"), tz)),
        (
            "duration",
            f"{inc['duration_minutes']} min" if inc.get("duration_minutes") is not None else "-",
        ),
        ("source", (inc.get("source") or {}).get("path") or "-"),
    ]
    _pairs(out, pairs)
    for label, key in (("Impact", "impact"), ("Root cause", "root_cause")):
        out.append(f"\n{label}\n", style="bold")
        out.append(clean(inc.get(key) or "-", multiline=True))
        out.append("\n")
    if inc.get("classes"):
        out.append("\nFailure classes  ", style="dim")
        out.append(", ".join(clean(c) for c in inc["classes"]))
        out.append("\n")
    for r in inc.get("related") or []:
        out.append("\nresembles ", style="bold red" if r["open_actions"] else "bold")
        out.append(f"#{r['incident_id']} ")
        out.append(clean(r["title"]))
        still = r["open_actions"]
        out.append(
            f": {len(still)} action(s) still open ({', '.join(f'#{i}' for i in still)})"
            if still
            else ": none of its actions is still open"
        )
        out.append("\n")
    if inc.get("timeline"):
        out.append("\nTimeline\n", style="bold")
        for entry in inc["timeline"]:
            at = _when(entry.get("at"), tz) if entry.get("at") else clean(entry.get("raw_time"))
            out.append(f"{at}  ", style="dim")
            out.append(clean(entry.get("text")))
            out.append("\n")
    return out


def history_text(d: dict[str, Any], tz: ZoneInfo) -> Text:
    out = Text()
    for e in d.get("history", []):
        out.append(f"{_when(e['at'], tz)}  ", style="dim")
        out.append(clean(e["actor"]))
        out.append(f" ({clean(e['source'])})  ", style="dim")
        if e.get("field"):
            out.append(
                f"{clean(e['field'])}: {clean(e['old_value'] or '-')} → {clean(e['new_value'] or '-')}"
            )
        elif e["kind"] == "created":
            out.append("created")
        else:
            out.append(clean(e["kind"]))
        if e.get("note"):
            out.append("  — ")
            out.append(clean(e["note"]), style="italic")
        out.append("\n")
    if not d.get("history"):
        out.append("No history.", style="dim")
    return out


def reminders_text(d: dict[str, Any], tz: ZoneInfo) -> Text:
    out = Text()
    if not d.get("reminders"):
        out.append("No reminders sent.", style="dim")
        return out
    for r in d["reminders"]:
        # When it went out, or when the run that planned it ran: a time, not the window key.
        when = r.get("sent_at") or r.get("planned_at")
        out.append(f"{_when(when, tz)}  ", style="dim")
        out.append(f"{clean(str(r['rule']).replace('_', ' '))} → {clean(r['recipient'])}")
        out.append(f" via {clean(r['channel'])}: {clean(r['status'])}")
        if r.get("last_error"):
            out.append(f"  error: {clean(r['last_error'])}", style="red")
        out.append("\n")
    return out


def sync_text(d: dict[str, Any], tz: ZoneInfo) -> Text:
    out = Text()
    s = d.get("sync")
    if not s:
        out.append(
            f"Jira {clean(d.get('jira_key'))}, never synced"
            if d.get("jira_key")
            else "Not linked to Jira.",
            style="dim",
        )
        return out
    pairs = [
        ("Jira key", s.get("jira_key") or "-"),
        ("last push", _when(s.get("pushed_at"), tz)),
        ("last pull", _when(s.get("pulled_at"), tz)),
        ("last error", s.get("last_error") or "none"),
    ]
    if s.get("warning"):
        pairs.append(("warning", s["warning"]))
    if s.get("last_error_at"):
        pairs.append(("error at", _when(s.get("last_error_at"), tz)))
    _pairs(out, pairs)
    return out
