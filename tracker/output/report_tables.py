"""The report's tables as plain rows, shared by the HTML and Markdown renderings so that both
show the same columns and figures; each rendering only escapes and lays them out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Longer lists are cut in HTML and Markdown (the JSON keeps every row).
MAX_ROWS = 200


@dataclass(frozen=True)
class ReportTable:
    heading: str
    headers: list[str]
    rows: list[list[Any]]
    # Columns holding numbers (right-aligned where the format can).
    numeric: set[int] = field(default_factory=set)
    # Rows left out by MAX_ROWS.
    more: int = 0


def by_owner(data: dict[str, Any]) -> ReportTable:
    rows = [[r["owner"] or "(nobody)", r["open"], r["overdue"]] for r in data["by_owner"]]
    return ReportTable("Open and overdue by owner", ["owner", "open", "overdue"], rows, {1, 2})


def by_team(data: dict[str, Any]) -> ReportTable:
    rows = [[r["team"] or "(none)", r["open"], r["overdue"]] for r in data["by_team"]]
    return ReportTable("Open and overdue by team", ["team", "open", "overdue"], rows, {1, 2})


def slips(data: dict[str, Any]) -> ReportTable:
    items = data["slips"]["items"]
    rows = [
        [
            f"#{x['action_id']} {x['title']}",
            x["owner"],
            x["at"][:10],
            x["old_due"],
            x["new_due"],
            x["days_added"],
            x["reason"],
        ]
        for x in items[:MAX_ROWS]
    ]
    headers = ["action", "owner", "on", "from", "to", "days", "reason"]
    return ReportTable("Due-date slips", headers, rows, {5}, max(0, len(items) - MAX_ROWS))


def time_to_close(data: dict[str, Any]) -> ReportTable:
    rows = [
        [
            r["priority"],
            r["slo_days"],
            r["closed"],
            r["median_days"],
            f"{r['within_slo']} ({r['within_slo_pct']}%)" if r["closed"] else None,
        ]
        for r in data["time_to_close"]
    ]
    headers = ["priority", "SLO days", "closed", "median days", "within SLO"]
    return ReportTable("Time to close by priority", headers, rows, {1, 2, 3, 4})


def incidents(data: dict[str, Any]) -> ReportTable:
    rows = [
        [
            f"#{r['incident_id']} {r['title']}",
            (r["started_at"] or "")[:10] or None,
            r["actions"],
            r["closed"],
            r["verified"],
            r["overdue"],
        ]
        for r in data["incidents"]
    ]
    headers = ["incident", "started", "actions", "closed", "verified", "overdue"]
    return ReportTable("Incidents", headers, rows, {2, 3, 4, 5})


def recurring(data: dict[str, Any]) -> ReportTable:
    rows = [
        [
            f"#{r['incident_id']} {r['title']}",
            f"#{r['related_id']} {r['related_title']}",
            ", ".join(f"#{i}" for i in r["open_actions"]),
        ]
        for r in data["recurring"]
    ]
    headers = ["incident", "resembles", "open actions of the earlier one"]
    return ReportTable("Recurring incidents", headers, rows)


def failure_classes(data: dict[str, Any]) -> ReportTable | None:
    if not data["failure_classes"]:
        return None
    rows = [[r["name"], r["incidents"]] for r in data["failure_classes"]]
    return ReportTable("Incidents per failure class", ["failure class", "incidents"], rows, {1})
