"""The report as one self-contained HTML file: inline CSS, inline SVG charts (pygal), no
scripts, no outside styles or fonts. Every text that people wrote is escaped; the layout is
one column that reads on a phone."""

from __future__ import annotations

from html import escape
from typing import Any

from tracker.output import report_tables
from tracker.output.report_tables import ReportTable

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:60rem;padding:1rem;color:#1b1b1b;line-height:1.4}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin-top:1.6rem;
border-bottom:1px solid #ddd;padding-bottom:.2rem}
.asof{color:#555;margin:0 0 1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.5rem}
.card{border:1px solid #ddd;border-radius:.4rem;padding:.5rem}
.card b{display:block;font-size:1.4rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #eee;vertical-align:top}
td.n,th.n{text-align:right}
figure{margin:1rem 0}figure svg{width:100%;height:auto;display:block}
figcaption{font-weight:600}
.bad{color:#b00020;font-weight:600}
"""

CARD_LABELS = (
    ("open", "open"),
    ("overdue", "overdue"),
    ("due_this_week", "due in 7 days"),
    ("awaiting_verification", "awaiting verification"),
    ("slipped", "slipped"),
)


def chart_svgs(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(caption, inline SVG) for each chart: open vs closed, overdue, slips."""
    s = data["series"]
    unit = "day" if s["step_days"] == 1 else "week"
    return [
        (
            "Open vs closed",
            _line(s["dates"], {"open": s["open"], f"closed per {unit}": s["closed"]}),
        ),
        ("Overdue", _line(s["dates"], {"overdue": s["overdue"]})),
        ("Due-date slips", _bars(s["dates"], {f"slips per {unit}": s["slips"]})),
    ]


def _config() -> dict[str, Any]:
    from pygal.style import DefaultStyle

    # Large labels: the chart is scaled down to a phone's width and must still read.
    style = DefaultStyle(
        label_font_size=15,
        major_label_font_size=15,
        legend_font_size=16,
        title_font_size=18,
        background="transparent",
    )
    return {
        "style": style,
        "js": [],
        "disable_xml_declaration": True,
        "width": 640,
        "height": 340,
        "x_label_rotation": 30,
        "show_minor_x_labels": False,
        "legend_at_bottom": True,
        "print_values": False,
        "include_x_axis": True,
        "min_scale": 1,
    }


def _finish(chart: Any, dates: list[str], series: dict[str, list[int]]) -> str:
    from pygal.etree import etree

    chart.x_labels = [d[5:] for d in dates]  # MM-DD; the heading carries the year
    every = max(1, len(dates) // 8)
    chart.x_labels_major = chart.x_labels[::every]
    for name, values in series.items():
        chart.add(name, values)
    tree = chart.render_tree()
    # pygal's inline <script> only drives tooltips; the report carries no script at all.
    for parent in list(tree.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.endswith("script"):
                parent.remove(child)
    text: str = etree.tostring(tree, encoding="unicode")
    return text


def _line(dates: list[str], series: dict[str, list[int]]) -> str:
    import pygal

    return _finish(pygal.Line(**_config()), dates, series)


def _bars(dates: list[str], series: dict[str, list[int]]) -> str:
    import pygal

    return _finish(pygal.Bar(**_config()), dates, series)


def _section(table: ReportTable, intro: str = "") -> str:
    """One heading and its table; every cell escaped, numbers right-aligned."""
    out = [f"<h2>{escape(table.heading)}</h2>"]
    if intro:
        out.append(f"<p>{escape(intro)}</p>")
    if not table.rows:
        return "\n".join([*out, "<p>None.</p>"])
    n = table.numeric
    head = "".join(
        f'<th class="n">{escape(h)}</th>' if i in n else f"<th>{escape(h)}</th>"
        for i, h in enumerate(table.headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{escape(_text(v))}</td>' if i in n else f"<td>{escape(_text(v))}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    out.append(
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    )
    if table.more:
        out.append(f"<p>… and {table.more} more (`--format json` lists them all).</p>")
    return "\n".join(out)


def _text(value: Any) -> str:
    if value is None:
        return "-"
    return str(value)


def render_html(data: dict[str, Any]) -> str:
    t, p, v = data["totals"], data["period"], data["verification"]
    team = f" — team {data['team']}" if data["team"] else ""
    title = f"Corrective actions {data['since']} to {data['as_of']}{team}"
    cards = "".join(
        f'<div class="card">{escape(label)}<b>{t[key]}</b></div>' for key, label in CARD_LABELS
    )
    cards += (
        f'<div class="card">opened<b>{p["opened"]}</b></div>'
        f'<div class="card">closed<b>{p["closed"]}</b></div>'
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="asof">As of {escape(data["as_of"])}; period from {escape(data["since"])}. '
        f"Median days to close: {escape(_text(t['median_days_to_close']))}.</p>",
        f'<div class="cards">{cards}</div>',
        "<h2>Charts</h2>",
    ]
    for caption, svg in chart_svgs(data):
        parts.append(f"<figure><figcaption>{escape(caption)}</figcaption>{svg}</figure>")
    parts += [
        _section(report_tables.by_owner(data)),
        _section(report_tables.by_team(data)),
        _section(
            report_tables.slips(data),
            f"{data['slips']['count']} extension(s) of {data['slips']['actions']} action(s), "
            f"{data['slips']['days_added']} day(s) added.",
        ),
        "<h2>Verification</h2>",
        f"<p>Verified in the period: {v['verified_in_period']}; done and awaiting "
        f"verification: {v['awaiting']}; "
        + (
            f'<span class="bad">verification overdue: {v["overdue"]}</span>'
            if v["overdue"]
            else "verification overdue: 0"
        )
        + ".</p>",
        _section(report_tables.time_to_close(data)),
        _section(report_tables.incidents(data)),
        _section(report_tables.recurring(data)),
    ]
    classes = report_tables.failure_classes(data)
    if classes is not None:
        parts.append(_section(classes))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
