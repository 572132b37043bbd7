"""Figures that tell the truth: on-time rate, days to close, and exports that still read right
next month. Through the real CLI on both backends."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import Cli

TODAY = datetime.now(UTC).date()


def test_open_overdue_actions_count_as_late_in_the_on_time_rate(cli: Cli) -> None:
    late = (TODAY - timedelta(days=5)).isoformat()
    cli("add", "Done in time", "--due", "+10d")
    cli("add", "Still open and late", "--due", late)
    cli("add", "Open, not due yet", "--due", "+10d")
    assert cli("done", "1").code == 0

    data = cli("stats", "--json").json()
    assert (data["on_time"], data["on_time_judged"], data["on_time_rate"]) == (1, 2, 0.5)
    assert "50% (1 of 2 done or past due)" in cli("stats").out


def test_days_to_close_ignores_actions_already_done_at_import(cli: Cli, tmp_path: Path) -> None:
    doc = tmp_path / "pm.md"
    doc.write_text(
        "# DNS outage\n\n## Action items\n- [x] Lower the TTL on the apex record\n"
        "- [ ] Add a second DNS provider\n",
        encoding="utf-8",
    )
    assert cli("import", str(doc)).code == 0
    statuses = sorted(a["status"] for a in cli("list", "--all", "--json").json())
    assert statuses == ["done", "open"]
    data = cli("stats", "--json").json()
    # The action done at import was never closed by anyone here: no close time to measure.
    assert data["median_days_to_close"] is None
    assert data["on_time_judged"] == 0
    assert data["on_time_rate"] is None
    assert cli("done", "2").code == 0
    assert cli("stats", "--json").json()["median_days_to_close"] == 0.0


def test_markdown_export_is_grouped_by_incident_with_absolute_dates_and_as_of(
    cli: Cli, tmp_path: Path
) -> None:
    doc = tmp_path / "pm.md"
    doc.write_text(
        "# DNS outage\n\n## Action items\n- Lower the TTL on the apex record\n", encoding="utf-8"
    )
    cli("import", str(doc))
    late = (TODAY - timedelta(days=3)).isoformat()
    cli("add", "Rotate the token", "--due", late)
    target = tmp_path / "capa.md"
    result = cli("export", "--format", "markdown", "-o", str(target))
    assert result.code == 0
    assert f"as of {TODAY.isoformat()}" in result.err
    text = target.read_text(encoding="utf-8")
    assert f"As of {TODAY.isoformat()} (UTC)." in text
    assert "## #1 DNS outage" in text
    assert "## Without incident" in text
    assert text.index("## #1 DNS outage") < text.index("Lower the TTL")
    assert text.index("## Without incident") < text.index("Rotate the token")
    assert f"| {late} (overdue) |" in text
    assert "d overdue" not in text
    assert " in 30d" not in text


def test_csv_export_carries_absolute_dates_and_the_as_of_day(cli: Cli, tmp_path: Path) -> None:
    cli("add", "Rotate the token", "--due", "+5d")
    out = cli("export", "--format", "csv").out
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["due_date"] == (TODAY + timedelta(days=5)).isoformat()
    assert row["as_of"] == TODAY.isoformat()
