"""Human rendering of `capa-tracker stats`."""

from __future__ import annotations

from typing import Any

LABELS = (
    ("open", "open"),
    ("overdue", "overdue"),
    ("due_this_week", "due in 7 days"),
    ("done_last_30_days", "done in 30 days"),
    ("awaiting_verification", "awaiting verification"),
    ("slipped", "due date moved later"),
)


def print_stats(data: dict[str, Any], console: Any, *, one_line_rows: bool = False) -> None:
    from rich.table import Table
    from rich.text import Text

    from tracker.output.writers import key_value_table

    median = data["median_days_to_close"]
    pairs = [(label, data[key]) for key, label in LABELS]
    pairs.append(("median days to close", "-" if median is None else median))
    rate = data["on_time_rate"]
    pairs.append(
        (
            "on time",
            "-"
            if rate is None
            else f"{rate:.0%} ({data['on_time']} of {data['on_time_judged']} done or past due)",
        )
    )
    console.print(Text(f"Actions as of {data['as_of']}", style="bold"))
    console.print(key_value_table(pairs))
    for title, rows, key in (
        ("Per owner", data["per_owner"], "owner"),
        ("Per incident", data["per_incident"], "incident_title"),
    ):
        if not rows:
            continue
        table = Table(title=title, header_style="bold", title_justify="left")
        table.add_column(key.replace("_", " "), overflow="fold", no_wrap=one_line_rows)
        for _, label in LABELS:
            table.add_column(label, justify="right", no_wrap=True)
        for r in rows:
            name = r[key] if r[key] is not None else "(none)"
            if key == "incident_title" and r["incident_id"] is not None:
                name = f"#{r['incident_id']} {name}"
            table.add_row(Text(str(name)), *(Text(str(r[k])) for k, _ in LABELS))
        console.print(table)
    if data.get("failure_classes"):
        table = Table(
            title="Incidents per failure class", header_style="bold", title_justify="left"
        )
        table.add_column("failure class")
        table.add_column("incidents", justify="right")
        for r in data["failure_classes"]:
            table.add_row(Text(r["name"]), Text(str(r["incidents"])))
        console.print(table)
