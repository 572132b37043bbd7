"""The dashboard's import dialog: the one import use case, candidates with checkboxes (Pilot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from textual.widgets import Checkbox

from tests.support.tui_helpers import make_ctx, notifications, wait_for
from tests.test_import_candidates import DOC, _needs
from tracker.config import ImportSettings
from tracker.db import session_scope
from tracker.importing.review import candidates_of
from tracker.models import Action, Incident, table_of
from tui.app import create_app
from tui.screens.dialogs import ImportPreviewDialog, PromptDialog

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


@pytest.fixture
def ctx(tmp_path: Path) -> Any:
    # Every measure below 1.0 is a candidate, so that there are several boxes to tick.
    c = make_ctx(tmp_path, **{"import": ImportSettings(min_confidence=1.0)})
    yield c
    c.close()


def _rows(ctx: Any, model: Any) -> list[Any]:
    with ctx.engine().connect() as conn:
        return list(conn.execute(table_of(model).select()).mappings())


async def test_ticked_candidates_are_imported_and_the_others_wait(ctx: Any, tmp_path: Path) -> None:
    unsure = _needs(1.0, 2)
    path = tmp_path / "build-cache.md"
    path.write_text(DOC, encoding="utf-8")
    app = create_app(ctx, cursor_blink=False, poll_interval=0.2)
    async with app.run_test(size=(120, 45)) as pilot:
        await wait_for(pilot, lambda: app.main_screen is not None and app.main_screen.loaded_once)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptDialog))
        app.screen.query_one("#prompt-input").value = str(path)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ImportPreviewDialog), timeout=10)
        dialog = app.screen
        boxes = list(dialog.query(Checkbox))
        assert [str(b.label).split("  (")[0] for b in boxes] == unsure
        assert not any(b.value for b in boxes)
        # The preview was a dry run: nothing stored yet.
        assert _rows(ctx, Incident) == []
        boxes[1].focus()
        await pilot.press("space")
        await wait_for(pilot, lambda: boxes[1].value)
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: any("Imported incident" in n for n in notifications(app)), timeout=10
        )
    titles = [r["title"] for r in _rows(ctx, Action)]
    assert titles == [unsure[1]]
    with session_scope(ctx.engine()) as session:
        (incident,) = session.exec(select(Incident)).all()
        status = {c.title: c.status for c in candidates_of(session, [incident.id or 0])}
    assert status[unsure[1]] == "accepted"
    assert [status[t] for t in unsure if t != unsure[1]] == ["pending"] * (len(unsure) - 1)
    assert any(f"{len(unsure) - 1} possible measure(s) left" in n for n in notifications(app))


async def test_an_incident_is_corrected_from_the_incidents_screen(tmp_path: Path) -> None:
    from tests.support.tui_helpers import seed
    from tracker.models import Event
    from tui.screens.dialogs import IncidentEditDialog
    from tui.screens.incidents import IncidentsScreen

    ctx = make_ctx(tmp_path)
    seed(ctx)
    try:
        app = create_app(ctx, cursor_blink=False, poll_interval=0.2)
        async with app.run_test(size=(120, 45)) as pilot:
            await wait_for(
                pilot, lambda: app.main_screen is not None and app.main_screen.loaded_once
            )
            await pilot.press("i")
            await wait_for(
                pilot, lambda: isinstance(app.screen, IncidentsScreen) and app.screen.rows
            )
            first = app.screen.rows[0]
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, IncidentEditDialog))
            app.screen.query_one("#edit-title").value = "Corrected from the dashboard"
            app.screen.query_one("#edit-ended_at").value = "2000-01-01T00:00Z"  # before the start
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: any("before the start" in n for n in notifications(app)))
            with session_scope(ctx.engine()) as session:
                assert session.get(Incident, first["id"]).title == first["title"]  # nothing applied
            await wait_for(pilot, lambda: isinstance(app.screen, IncidentsScreen))
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, IncidentEditDialog))
            app.screen.query_one("#edit-title").value = "Corrected from the dashboard"
            app.screen.query_one("#edit-impact").value = "Everyone saw it"
            await pilot.press("ctrl+s")
            await wait_for(
                pilot,
                lambda: (
                    isinstance(app.screen, IncidentsScreen)
                    and app.screen.rows
                    and app.screen.rows[0]["title"] == "Corrected from the dashboard"
                ),
                timeout=10,
            )
            assert any("corrected title, impact" in n for n in notifications(app))
        with session_scope(ctx.engine()) as session:
            incident = session.get(Incident, first["id"])
            assert incident is not None
            assert (incident.title, incident.impact) == (
                "Corrected from the dashboard",
                "Everyone saw it",
            )
            events = session.exec(
                select(Event).where(Event.incident_id == first["id"], Event.action_id.is_(None))  # type: ignore[union-attr]
            ).all()
            assert {(e.field, e.source) for e in events} == {("title", "tui"), ("impact", "tui")}
    finally:
        ctx.close()
