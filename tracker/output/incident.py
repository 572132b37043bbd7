"""What `capa-tracker incident show` prints for one incident."""

from __future__ import annotations

from datetime import date
from typing import Any


def print_incident(d: dict[str, Any], today: date, console: Any) -> None:
    from rich.text import Text

    from tracker.output.formats import action_table, key_value_table

    console.print(Text(f"#{d['id']} {d['title']}", style="bold"))
    state = None
    if d["merged_into"]:
        state = f"merged into #{d['merged_into']} ({d['deleted_at']})"
    elif d["deleted_at"]:
        state = f"deleted ({d['deleted_at']})"
    duration = d["duration_minutes"]
    pairs: list[tuple[str, Any]] = [
        ("state", state),
        ("started", d["started_at"] or "-"),
        ("ended", d["ended_at"] or "-"),
        ("duration", f"{duration} min" if duration is not None else "-"),
        ("impact", d["impact"] or "-"),
        ("root cause", d["root_cause"] or "-"),
        ("source", d["source"]["path"] or "-"),
        ("corrected", ", ".join(d["edited_fields"]) or None),
    ]
    console.print(key_value_table((k, v) for k, v in pairs if v is not None))
    live = [a for a in d["actions"] if not a["retired"]]
    console.print(
        Text(f"\nActions ({len(live)}, {len(d['actions']) - len(live)} retired)", style="bold")
    )
    if live:
        console.print(action_table(live, today))
    waiting = [c for c in d["candidates"] if c["status"] == "pending"]
    if waiting:
        console.print(
            Text(f"\nPossible measures waiting for review ({len(waiting)})", style="bold")
        )
        for c in waiting:
            console.print(Text(f"  {c['confidence']:.2f}  {c['title']}  — {c['reason']}"))
    if d["history"]:
        console.print(Text("\nHistory", style="bold"))
        for e in d["history"]:
            what = e["kind"]
            if e["field"]:
                what = f"{e['field']}: {e['old_value'] or '-'} -> {e['new_value'] or '-'}"
            line = f"{e['at'][:16].replace('T', ' ')}  {e['actor']} ({e['source']})  {what}"
            if e["note"]:
                line += f"  — {e['note']}"
            console.print(Text(line))
