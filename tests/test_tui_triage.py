"""Triage in the dashboard (Pilot): mark rows with space, assign or reschedule them at once;
a later due date asks why, and the detail lists every slip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.support.tui_helpers import db_action, due, make_ctx, seed, wait_for
from tests.test_tui_app import answer, app_for, highlight, ready, table
from tracker.models import ActionExtension, table_of
from tui.screen_text import screen_text
from tui.screens.detail import DetailScreen
from tui.screens.dialogs import PromptDialog

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


@pytest.fixture
def ctx(tmp_path: Path) -> Any:
    c = make_ctx(tmp_path)
    c.ids = seed(c)  # type: ignore[attr-defined]
    yield c
    c.close()


def slips(ctx: Any, action_id: int) -> list[tuple[int, str | None]]:
    ext = table_of(ActionExtension).c
    with ctx.engine().connect() as conn:
        rows = conn.execute(
            select(ext.days_added, ext.reason).where(ext.action_id == action_id).order_by(ext.id)
        )
        return [(int(d), r) for d, r in rows]


async def test_marked_rows_are_assigned_and_rescheduled_together(ctx: Any) -> None:
    canary = ctx.ids["Add a canary stage to the deploy pipeline"]  # due in -5 days
    runbook = ctx.ids["Write the payment failover runbook"]  # due in 3 days
    other = ctx.ids["Alert on checkout error rate above 2%"]
    app = app_for(ctx)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        for action_id in (canary, runbook):
            await highlight(pilot, action_id)
            await pilot.press("space")
        await wait_for(pilot, lambda: app.main_screen.marked == {canary, runbook})
        await wait_for(pilot, lambda: str(table(app).get_row(str(canary))[0]).startswith("● "))

        await pilot.press("a")
        await answer(pilot, "erin@example.com")
        await wait_for(
            pilot,
            lambda: (
                [db_action(ctx, i)["owner"] for i in (canary, runbook)] == ["erin@example.com"] * 2
            ),
        )
        assert db_action(ctx, other)["owner"] == "bob@example.com"
        assert app.main_screen.marked == set()

        for action_id in (canary, runbook):
            await highlight(pilot, action_id)
            await pilot.press("space")
        await wait_for(pilot, lambda: len(app.main_screen.marked) == 2)
        await pilot.press("d")
        await answer(pilot, "+30d")
        # Both move later: the reason is asked once and kept with each slip.
        await wait_for(pilot, lambda: isinstance(app.screen, PromptDialog))
        assert "Why move the due dates?" in screen_text(app)
        await answer(pilot, "waiting for the vendor")
        await wait_for(
            pilot,
            lambda: [db_action(ctx, i)["due_date"] for i in (canary, runbook)] == [due(30)] * 2,
        )
        assert slips(ctx, canary) == [(35, "waiting for the vendor")]
        assert slips(ctx, runbook) == [(27, "waiting for the vendor")]

        app.open_detail(canary)
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details)
        text = screen_text(app)
        assert "1×, 35 day(s) added" in text
        assert "waiting for the vendor" in text


async def test_a_later_due_date_on_one_row_asks_why(ctx: Any) -> None:
    runbook = ctx.ids["Write the payment failover runbook"]
    app = app_for(ctx)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await highlight(pilot, runbook)
        await pilot.press("d")
        await answer(pilot, "+10d")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptDialog))
        assert f"Why move the due date from {due(3)} to {due(10)}?" in screen_text(app)
        await answer(pilot, "needs a maintenance window")
        await wait_for(pilot, lambda: db_action(ctx, runbook)["due_date"] == due(10))
        assert slips(ctx, runbook) == [(7, "needs a maintenance window")]
        # Earlier is no slip: no question, nothing recorded.
        await highlight(pilot, runbook)
        await pilot.press("d")
        await answer(pilot, "+5d")
        await wait_for(pilot, lambda: db_action(ctx, runbook)["due_date"] == due(5))
        assert slips(ctx, runbook) == [(7, "needs a maintenance window")]
