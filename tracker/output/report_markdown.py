"""The report as Markdown: absolute dates only and an "as of" line, so it still reads right
when pasted somewhere a week later. Table cells are escaped like `export --format markdown`."""

from __future__ import annotations

from typing import Any

# Longer lists are cut (the JSON keeps every row).
MAX_ROWS = 200


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    text = " ".join(str(value).split())
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    return text or "-"


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    if not rows:
        return ["None.", ""]
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*out, ""]


def render_markdown(data: dict[str, Any]) -> str:
    t, p, v, s = data["totals"], data["period"], data["verification"], data["slips"]
    team = f" (team {_cell(data['team'])})" if data["team"] else ""
    lines = [
        f"# Corrective actions {data['since']} to {data['as_of']}{team}",
        "",
        f"As of {data['as_of']}; the period runs from {data['since']} to {data['as_of']}.",
        "",
        f"- Open: {t['open']}, overdue: {t['overdue']}, due within 7 days: {t['due_this_week']}",
        f"- Opened in the period: {p['opened']}; closed: {p['closed']} "
        f"({p['done']} done, {p['wont_do']} won't do)",
        f"- Verified in the period: {v['verified_in_period']}; awaiting verification: "
        f"{v['awaiting']}; verification overdue: {v['overdue']}",
        f"- Due-date slips: {s['count']} extension(s) of {s['actions']} action(s), "
        f"{s['days_added']} day(s) added; actions ever slipped: {t['slipped']}",
        f"- Median days to close: {_cell(t['median_days_to_close'])}",
        "",
        "## Open and overdue by owner",
        "",
        *_table(
            ["owner", "open", "overdue"],
            [[r["owner"] or "(nobody)", r["open"], r["overdue"]] for r in data["by_owner"]],
        ),
        "## Open and overdue by team",
        "",
        *_table(
            ["team", "open", "overdue"],
            [[r["team"] or "(none)", r["open"], r["overdue"]] for r in data["by_team"]],
        ),
        "## Due-date slips",
        "",
        *_table(
            ["action", "owner", "on", "from", "to", "days", "reason"],
            [
                [
                    f"#{x['action_id']} {x['title']}",
                    x["owner"],
                    x["at"][:10],
                    x["old_due"],
                    x["new_due"],
                    x["days_added"],
                    x["reason"],
                ]
                for x in s["items"][:MAX_ROWS]
            ],
        ),
        *(
            [f"… and {len(s['items']) - MAX_ROWS} more (`--format json` lists them all).", ""]
            if len(s["items"]) > MAX_ROWS
            else []
        ),
        "## Time to close by priority",
        "",
        *_table(
            ["priority", "SLO days", "closed", "median days", "within SLO"],
            [
                [
                    r["priority"],
                    r["slo_days"],
                    r["closed"],
                    r["median_days"],
                    f"{r['within_slo']} ({r['within_slo_pct']}%)" if r["closed"] else None,
                ]
                for r in data["time_to_close"]
            ],
        ),
        "## Incidents",
        "",
        *_table(
            ["incident", "started", "actions", "closed", "verified", "overdue"],
            [
                [
                    f"#{r['incident_id']} {r['title']}",
                    (r["started_at"] or "")[:10] or None,
                    r["actions"],
                    r["closed"],
                    r["verified"],
                    r["overdue"],
                ]
                for r in data["incidents"]
            ],
        ),
        "## Recurring incidents",
        "",
        *_table(
            ["incident", "resembles", "open actions of the earlier one"],
            [
                [
                    f"#{r['incident_id']} {r['title']}",
                    f"#{r['related_id']} {r['related_title']}",
                    ", ".join(f"#{i}" for i in r["open_actions"]),
                ]
                for r in data["recurring"]
            ],
        ),
    ]
    if data["failure_classes"]:
        lines += [
            "## Incidents per failure class",
            "",
            *_table(
                ["failure class", "incidents"],
                [[r["name"], r["incidents"]] for r in data["failure_classes"]],
            ),
        ]
    return "\n".join(lines).rstrip("\n") + "\n"
