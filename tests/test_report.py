"""`capa-tracker report` through the real CLI on both backends: its figures agree with
`stats --json`, the files it writes, and the HTML as a real browser (headless Chromium) shows it."""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import Cli

TODAY = datetime.now(UTC).date()
HOSTILE = '<script>alert("x")</script> & <b>bold</b> | pipe'


def _add(cli: Cli, title: str, *args: str) -> int:
    result = cli("add", title, "--json", *args)
    assert result.code == 0, result.err
    return int(result.json()["id"])


@pytest.fixture
def tracked(cli: Cli) -> dict[str, int]:
    """A small week: open, overdue, done, verified, won't do, a slip, two teams."""
    past = (TODAY - timedelta(days=4)).isoformat()
    ids = {
        "overdue": _add(
            cli,
            "Rotate the leaked token",
            "--owner",
            "alice",
            "--team",
            "sec",
            "--priority",
            "P0",
            "--due",
            past,
        ),
        "slipped": _add(cli, HOSTILE, "--owner", "bob", "--team", "web", "--due", "+3d"),
        "done": _add(cli, "Add a disk alert", "--owner", "alice", "--team", "sec"),
        "verified": _add(
            cli, "Failover drill", "--owner", "carol", "--team", "web", "--priority", "P1"
        ),
        "dropped": _add(cli, "Buy more disks", "--team", "web"),
        "loose": _add(cli, "Nobody owns me", "--due", "+20d"),
    }
    assert cli("update", str(ids["slipped"]), "--due", "+10d", "--reason", HOSTILE).code == 0
    assert cli("done", str(ids["done"]), str(ids["verified"])).code == 0
    assert cli("update", str(ids["verified"]), "--status", "verified").code == 0
    assert cli("update", str(ids["dropped"]), "--status", "wont_do", "--reason", "dup").code == 0
    return ids


def test_report_figures_equal_stats(cli: Cli, tracked: dict[str, int]) -> None:
    stats = cli("stats", "--json").json()
    result = cli("report", "--since", "7d", "--format", "json")
    assert result.code == 0, result.err
    report = result.json()
    for key in (
        "total",
        "open",
        "overdue",
        "due_this_week",
        "done_last_30_days",
        "verified",
        "awaiting_verification",
        "slipped",
        "median_days_to_close",
    ):
        assert report["totals"][key] == stats[key], key
    owners = {r["owner"]: (r["open"], r["overdue"]) for r in report["by_owner"]}
    assert owners == {
        r["owner"]: (r["open"], r["overdue"]) for r in stats["per_owner"] if r["open"]
    }
    assert report["as_of"] == stats["as_of"] == TODAY.isoformat()
    assert report["since"] == (TODAY - timedelta(days=7)).isoformat()
    assert report["period"] == {"opened": 6, "closed": 3, "done": 2, "wont_do": 1}
    assert report["verification"] == {"verified_in_period": 1, "awaiting": 1, "overdue": 0}
    assert report["slips"]["count"] == 1
    assert report["slips"]["days_added"] == 7
    assert report["slips"]["items"][0]["reason"] == HOSTILE
    teams = {r["team"]: (r["open"], r["overdue"]) for r in report["by_team"]}
    assert teams == {None: (1, 0), "sec": (1, 1), "web": (1, 0)}
    p1 = next(r for r in report["time_to_close"] if r["priority"] == "P1")
    assert (p1["slo_days"], p1["closed"], p1["within_slo"]) == (14, 1, 1)
    series = report["series"]
    assert series["dates"][-1] == TODAY.isoformat()
    assert len(series["dates"]) == 8
    # The last point of each series is today's figure.
    assert series["open"][-1] == stats["open"]
    assert series["overdue"][-1] == stats["overdue"]
    assert sum(series["closed"]) == 3
    assert sum(series["slips"]) == 1

    web = cli("report", "--team", "WEB", "--format", "json").json()
    assert web["team"] == "WEB"
    assert web["totals"]["total"] == 3
    assert web["totals"]["open"] == 1


def test_report_markdown_has_absolute_dates_and_escapes(
    cli: Cli, tracked: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "weekly.md"
    result = cli("report", "--since", "30d", "--format", "markdown", "-o", str(out))
    assert result.code == 0, result.err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    since = (TODAY - timedelta(days=30)).isoformat()
    assert f"As of {TODAY.isoformat()}; the period runs from {since}" in text
    assert not re.search(r"\b(today|yesterday|in \d+d|\d+d overdue)\b", text)
    assert "<script>" not in text
    assert "&lt;script>" in text
    assert "\\| pipe" in text


def test_report_refuses_bad_options(cli: Cli, tmp_path: Path) -> None:
    for args in (("--since", "soon"), ("--format", "pdf"), ("--since", "2999-01-01")):
        result = cli("report", *args)
        assert result.code == 2, args
        assert result.err.startswith("error: ")
        assert result.err.count("\n") == 1
    existing = tmp_path / "old.html"
    existing.write_text("x", encoding="utf-8")
    existing.chmod(0o644)
    assert cli("report", "--format", "html", "-o", str(existing)).code == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    assert cli("report", "-o", str(tmp_path / "missing-dir" / "r.md")).code == 1


def _self_contained(html: str) -> None:
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert "@import" not in html
    assert "url(" not in html
    # No reference outside the file: the only URLs are the SVG namespace and pygal's comments.
    hrefs = re.findall(r"""(?:href|src)\s*=\s*["']([^"']*)""", html)
    assert hrefs == []


def test_report_html_is_one_self_contained_escaped_file(
    cli: Cli, tracked: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "weekly.html"
    assert cli("report", "--format", "html", "-o", str(out)).code == 0
    html = out.read_text(encoding="utf-8")
    _self_contained(html)
    assert html.count("<svg") == 3
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'name="viewport"' in html


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


# Added to a copy of the report: measures, in the browser, what it laid out.
PROBE = """<script>
const out = [...document.querySelectorAll('figure')].map(f => {
  const svg = f.querySelector('svg'); const r = svg.getBoundingClientRect();
  return {caption: f.querySelector('figcaption').textContent,
          width: Math.round(r.width), height: Math.round(r.height),
          marks: svg.querySelectorAll('path, rect').length};
});
const pre = document.createElement('pre'); pre.id = 'probe';
pre.textContent = JSON.stringify({charts: out, page: document.documentElement.scrollWidth,
  viewport: window.innerWidth});
document.body.appendChild(pre);
</script>"""


def test_report_html_renders_its_charts_in_headless_chromium(
    cli: Cli, tracked: dict[str, int], tmp_path: Path
) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    out = tmp_path / "weekly.html"
    assert cli("report", "--format", "html", "-o", str(out)).code == 0
    base = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--window-size=390,2200",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    shot = tmp_path / "phone.png"
    subprocess.run(
        [*base, f"--screenshot={shot}", out.as_uri()], capture_output=True, timeout=120, check=True
    )
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (390, 2200)
    assert len(png) > 20_000  # a blank page of this size compresses to a few kB

    probe = tmp_path / "probe.html"
    probe.write_text(
        out.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8"
    )
    dom = subprocess.run(
        [*base, "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    measured = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    charts, viewport = measured["charts"], measured["viewport"]
    # Headless Chromium keeps a minimum window width (about 500 px); a phone is narrower still,
    # so the layout must follow the viewport, whatever it is.
    assert viewport <= 520
    assert [c["caption"] for c in charts] == ["Open vs closed", "Overdue", "Due-date slips"]
    for chart in charts:
        # Each chart is drawn, scaled to the phone's width, with its lines and bars in it.
        assert viewport - 64 <= chart["width"] <= viewport, chart
        assert chart["height"] > 150, chart
        assert chart["marks"] > 10, chart
    assert measured["page"] <= viewport  # nothing wider than the screen: no sideways scrolling
