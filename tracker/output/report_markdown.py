"""The report as Markdown: absolute dates only and an "as of" line, so it still reads right
when pasted somewhere a week later. Table cells are escaped like `export --format markdown`."""

from __future__ import annotations

from typing import Any

from tracker.output import report_tables
from tracker.output.report_tables import ReportTable


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    text = " ".join(str(value).split())
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    return text or "-"


def _section(table: ReportTable) -> list[str]:
    out = [f"## {table.heading}", ""]
    if not table.rows:
        return [*out, "None.", ""]
    out += ["| " + " | ".join(table.headers) + " |", "|" + "---|" * len(table.headers)]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table.rows]
    if table.more:
        out.append(f"… and {table.more} more (`--format json` lists them all).")
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
        *_section(report_tables.by_owner(data)),
        *_section(report_tables.by_team(data)),
        *_section(report_tables.slips(data)),
        *_section(report_tables.time_to_close(data)),
        *_section(report_tables.incidents(data)),
        *_section(report_tables.recurring(data)),
    ]
    classes = report_tables.failure_classes(data)
    if classes is not None:
        lines += _section(classes)
    return "\n".join(lines).rstrip("\n") + "\n"
