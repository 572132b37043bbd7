"""The dashboard's pure parts, without a terminal: text safety, cells, windows, groups, SQL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.tui_helpers import TODAY, make_ctx, seed
from tracker.queries.actions import ActionFilter, count_actions
from tracker.queries.dashboard import (
    PageRequest,
    count_page,
    fetch_page,
    summary,
    week_ends,
    weekly_trends,
)
from tui.app import CapaApp
from tui.rows import (
    PAGE_SIZE,
    columns_for_width,
    display_rows,
    due_text,
    needs_shift,
    position_text,
    progress_bar,
    window_around,
)
from tui.safe_text import clean, literal
from tui.screens.detail import DetailScreen
from tui.screens.help import help_lines
from tui.screens.incidents import IncidentsScreen
from tui.screens.main import MainScreen
from tui.screens.trends import TrendsScreen, count_ticks


def test_escapes_and_controls_become_visible() -> None:
    assert clean("[bold red]x[/] \x1b[31m") == "[bold red]x[/] ␛[31m"
    assert clean("a\nb\tc\x07\x7f\x9b") == "a b c␇␡\\x9b"
    assert clean("one\ntwo", multiline=True) == "one\ntwo"
    assert clean("\u202eevil") == "\\u202eevil"
    text = literal("[@click=app.quit]q[/]")
    assert text.plain == "[@click=app.quit]q[/]"
    assert not text.spans


def _row(**kw: Any) -> dict[str, Any]:
    base = {"id": 1, "status": "open", "due_date": None, "incident_id": None, "title": "t"}
    return {**base, **kw}


def test_due_text_has_a_mark_and_a_word_not_only_colour() -> None:
    assert due_text(_row(due_date=TODAY - timedelta(days=3)), TODAY) == "!! 3d overdue"
    assert due_text(_row(due_date=TODAY + timedelta(days=2)), TODAY) == "!  in 2d"
    assert due_text(_row(due_date=TODAY), TODAY) == "!  today"
    assert due_text(_row(due_date=TODAY + timedelta(days=20)), TODAY) == "in 20d"
    assert due_text(_row(status="done", due_date=TODAY), TODAY) == TODAY.isoformat()
    assert due_text(_row(), TODAY) == "-"


@pytest.mark.parametrize("width", [80, 100, 120, 160, 200])
def test_columns_fit_the_width(width: int) -> None:
    cols = columns_for_width(width)
    used = sum(c.width + 2 for c in cols) + 2
    assert used <= max(width, 80)
    assert [c.key for c in cols][:2] == ["id", "title"]
    assert ("jira" in [c.key for c in cols]) == (width >= 110)


def test_window_math() -> None:
    half = PAGE_SIZE // 2
    assert window_around(0, 1000) == 0
    assert window_around(500, 1000) == 500 - half
    assert window_around(999, 1000) == 1000 - PAGE_SIZE
    assert window_around(10, 50) == 0
    assert needs_shift(PAGE_SIZE - 10, 0, PAGE_SIZE, 1000)
    assert not needs_shift(half, 0, PAGE_SIZE, 1000)
    last_window = 1000 - PAGE_SIZE
    assert not needs_shift(999, last_window, PAGE_SIZE, 1000)  # nothing beyond the last window
    assert needs_shift(last_window + 5, last_window, PAGE_SIZE, 1000)
    assert position_text(0, 200, 1000, 9) == "row 10 of 1,000"
    assert position_text(0, 200, 200, None, exact=False) == "1–200 of 200+"
    assert position_text(0, 0, 0, None) == "no actions"
    assert progress_bar(1, 4, 8) == "██░░░░░░"


def test_display_rows_put_a_header_before_each_group() -> None:
    rows = [
        _row(id=1, incident_id=1, incident_title="A"),
        _row(id=2, incident_id=1, incident_title="A"),
        _row(id=3, incident_id=2, incident_title="B"),
    ]
    out = display_rows(rows, 10, "incident", {1: (5, 1), 2: (1, 0)})
    assert [d.key for d in out] == ["group:incident:1", "1", "2", "group:incident:2", "3"]
    assert [d.index for d in out] == [None, 10, 11, None, 12]
    assert out[0].counts == (5, 1)
    assert out[0].label == "#1 A"


@pytest.fixture
def conn(tmp_path: Path) -> Any:
    ctx = make_ctx(tmp_path)
    seed(ctx)
    with ctx.engine().connect() as c:
        yield c
    ctx.close()


@pytest.mark.parametrize(
    "f",
    [
        ActionFilter(),
        ActionFilter(statuses=("open", "in_progress", "blocked")),
        ActionFilter(overdue=True),
        ActionFilter(text="ALERT"),
        ActionFilter(text="stale"),  # matches the incident title
        ActionFilter(text="100%_"),
        ActionFilter(owner="Alice@Example.com"),
    ],
)
def test_dashboard_filter_matches_the_core_filter(conn: Any, f: ActionFilter) -> None:
    assert count_page(conn, f, TODAY) == count_actions(conn, f, TODAY)


@pytest.mark.parametrize("sort", ["due", "title", "priority", "owner", "jira", "incident"])
@pytest.mark.parametrize("descending", [False, True])
def test_pages_from_the_end_match_pages_from_the_start(
    conn: Any, sort: str, descending: bool
) -> None:
    f = ActionFilter()
    total = count_page(conn, f, TODAY)
    forward = fetch_page(conn, PageRequest(f, sort=sort, descending=descending, limit=100), TODAY)
    tail = fetch_page(
        conn,
        PageRequest(f, sort=sort, descending=descending, offset=7, limit=5),
        TODAY,
        total=total,
    )
    assert [r["id"] for r in tail] == [r["id"] for r in forward[7:12]]
    assert all(r["incident_title"] for r in forward)


def test_summary_and_trends(conn: Any) -> None:
    s = summary(conn, TODAY, user="alice@example.com")
    assert (s.open, s.overdue, s.due_soon, s.mine_open) == (9, 3, 3, 2)
    # Two done by their due date; three open ones are past it and count as late.
    assert s.on_time_rate == 0.4
    points = weekly_trends(conn, TODAY, weeks=12)
    assert [p.week_end for p in points] == week_ends(TODAY, 12)
    assert points[-1].week_end == TODAY
    assert points[-1].open_at_end == 9
    assert sum(p.opened for p in points) == 12
    assert week_ends(date(2026, 3, 18), 2) == [date(2026, 3, 11), date(2026, 3, 18)]


def test_help_lines_say_what_each_key_does() -> None:
    for screen in (CapaApp, MainScreen, DetailScreen, IncidentsScreen, TrendsScreen):
        lines = help_lines(screen.BINDINGS)
        texts = [text for _key, text in lines]
        assert len(set(texts)) == len(texts), screen
    main = dict(help_lines(MainScreen.BINDINGS))
    assert main["["] != main["]"]
    assert "previous" in main["["]
    assert "next" in main["]"]


def test_axis_ticks_are_whole_numbers_from_zero() -> None:
    assert count_ticks(0) == [0, 1]
    assert count_ticks(4) == [0, 1, 2, 3, 4]
    assert count_ticks(31) == [0, 10, 20, 30, 40]
    assert count_ticks(2345) == [0, 1000, 2000, 3000]
    for top in range(0, 500, 7):
        ticks = count_ticks(top)
        assert ticks[0] == 0
        assert ticks[-1] >= top
        assert len(ticks) <= 5


def test_detail_reminders_show_times_in_the_policy_zone_not_window_keys() -> None:
    from zoneinfo import ZoneInfo

    from tui.detail_view import reminders_text

    reminder = {
        "window": "2026-03-06/o",
        "rule": "due_soon",
        "recipient": "alice@corp.test",
        "channel": "email",
        "status": "sent",
        "sent_at": "2026-03-09T14:00:00Z",
        "planned_at": "2026-03-09T13:59:00Z",
        "last_error": None,
    }
    shown = reminders_text({"reminders": [reminder]}, ZoneInfo("America/New_York")).plain
    assert shown.startswith("2026-03-09 10:00  due soon → alice@corp.test via email: sent")
    assert "2026-03-06/o" not in shown
