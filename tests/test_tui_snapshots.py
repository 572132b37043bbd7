"""Snapshots of the main, detail, incidents and trends screens at 80x24 and 160x50.

Fixed data and a fixed clock; no cursor blink; the refresh poll is slowed so nothing moves.
The data holds an action 611 days overdue: its Due cell must show whole at both sizes.
Regenerate with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.tui_helpers import ACTIONS, make_ctx, seed, wait_for
from tui.app import create_app
from tui.screens.detail import DetailScreen
from tui.screens.help import HelpScreen
from tui.screens.incidents import IncidentsScreen
from tui.screens.trends import TrendsScreen

SIZES = [(80, 24), (160, 50)]
OLD = ("Rotate the signing keys", 3, "erin@example.com", "P1", "preventive", -611, "open")
pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def app(tmp_path: Path) -> Any:
    ctx = make_ctx(tmp_path)
    seed(ctx, actions=[*ACTIONS, OLD])
    yield create_app(ctx, cursor_blink=False, poll_interval=3600)
    ctx.close()


async def _main_ready(pilot: Any) -> None:
    await wait_for(pilot, lambda: pilot.app.main_screen and pilot.app.main_screen.loaded_once)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare: Any, app: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_main_ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen_grouped_by_incident(
    snap_compare: Any, app: Any, size: tuple[int, int]
) -> None:
    async def grouped(pilot: Any) -> None:
        await _main_ready(pilot)
        await pilot.press("1", "g")
        await wait_for(pilot, lambda: pilot.app.main_screen.state.group == "incident")
        await _main_ready(pilot)

    assert snap_compare(app, terminal_size=size, run_before=grouped)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_detail_screen(snap_compare: Any, app: Any, size: tuple[int, int]) -> None:
    async def detail(pilot: Any) -> None:
        await _main_ready(pilot)
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(pilot.app.screen, DetailScreen) and pilot.app.screen.details
        )
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=detail)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_incidents_screen(snap_compare: Any, app: Any, size: tuple[int, int]) -> None:
    async def incidents(pilot: Any) -> None:
        await _main_ready(pilot)
        await pilot.press("i")
        await wait_for(
            pilot, lambda: isinstance(pilot.app.screen, IncidentsScreen) and pilot.app.screen.rows
        )
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=incidents)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_trends_screen(snap_compare: Any, app: Any, size: tuple[int, int]) -> None:
    async def trends(pilot: Any) -> None:
        await _main_ready(pilot)
        await pilot.press("t")
        await wait_for(
            pilot, lambda: isinstance(pilot.app.screen, TrendsScreen) and pilot.app.screen.points
        )
        await pilot.app.workers.wait_for_complete()
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=size, run_before=trends)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_screen(snap_compare: Any, app: Any, size: tuple[int, int]) -> None:
    async def help_screen(pilot: Any) -> None:
        await _main_ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=help_screen)
