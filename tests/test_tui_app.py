"""The dashboard, driven with Textual's Pilot: every screen and every action.

Given a tracker with fixed incidents and actions (and a fixed clock), when I use the dashboard
from the keyboard, then the database records the change (source "tui") and the screen shows it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from textual.command import CommandList, CommandPalette
from textual.widgets import OptionList

from tests.support.tui_helpers import (
    ACTIONS,
    INJECTION,
    TODAY,
    add_reminder_and_link,
    db_action,
    db_events,
    due,
    make_ctx,
    notifications,
    seed,
    wait_for,
)
from tracker.actions import create_action
from tracker.db import session_scope
from tracker.models import Action, table_of
from tui.app import create_app
from tui.palette import palette_commands
from tui.rows import PAGE_SIZE
from tui.screen_text import screen_text
from tui.screens.detail import DetailScreen
from tui.screens.dialogs import ChoiceDialog, ImportPreviewDialog, PromptDialog
from tui.screens.help import HelpScreen
from tui.screens.incidents import IncidentsScreen
from tui.screens.main import MainScreen
from tui.screens.trends import TrendsScreen
from tui.widgets.action_table import ActionTable
from tui.widgets.summary_bar import SummaryBar

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def ctx(tmp_path: Path) -> Any:
    c = make_ctx(tmp_path)
    c.ids = seed(c)  # type: ignore[attr-defined]
    yield c
    c.close()


def app_for(ctx: Any, **opts: Any) -> Any:
    return create_app(ctx, **{"cursor_blink": False, "poll_interval": 0.2, **opts})


def table(app: Any) -> ActionTable:
    return app.main_screen.query_one(ActionTable)


def keys_shown(app: Any) -> list[str]:
    t = table(app)
    return [str(r.key.value) for r in t.ordered_rows]


async def ready(pilot: Any) -> None:
    app = pilot.app
    await wait_for(
        pilot,
        lambda: (
            app.main_screen is not None
            and app.main_screen.loaded_once
            and not app.main_screen._counting
            # The summary bar loads after the page and the count.
            and app.main_screen.query_one(SummaryBar).summary is not None
        ),
    )


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()  # until the screen has handled what the workers posted


async def choose(pilot: Any, value: str) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog))
    options = pilot.app.screen.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index(value)
    await pilot.press("enter")


async def answer(pilot: Any, text: str) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PromptDialog))
    box = pilot.app.screen.query_one("#prompt-input")
    box.value = text
    await pilot.press("enter")


async def highlight(pilot: Any, action_id: int) -> None:
    t = table(pilot.app)
    await wait_for(pilot, lambda: str(action_id) in t._cells)
    t.move_cursor(row=t.get_row_index(str(action_id)))
    await pilot.pause()


# ---------------------------------------------------------------- main screen


async def test_main_screen_shows_open_actions_with_marks_and_summary(ctx: Any) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        text = screen_text(app)
        # Default view: open actions (open, in progress, blocked), most urgent first.
        assert len(keys_shown(app)) == 9
        assert keys_shown(app)[0] == str(ctx.ids["Document ownership of third-party credentials"])
        assert "!! 12d overdue" in text
        assert "!  today" in text
        assert "!  in 3d" in text
        s = app.main_screen.query_one(SummaryBar).summary
        assert (s.open, s.overdue, s.due_soon) == (9, 3, 3)
        assert "On time" in text
        assert "row 1 of 9" in text


async def test_quick_filters_and_text_filter(ctx: Any) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        expected = {"1": 12, "2": 9, "3": 3, "4": 2, "5": 2}
        for key, count in expected.items():
            await pilot.press(key)
            await wait_for(pilot, lambda c=count: len(keys_shown(app)) == c)
        await pilot.press("1", "slash")
        await pilot.press(*"alert")
        await wait_for(pilot, lambda: len(keys_shown(app)) == 2)
        assert "“alert”" in screen_text(app)
        # Matches owners, incidents and Jira keys too.
        app.main_screen.query_one("#filter").value = "stale prices"
        await wait_for(pilot, lambda: len(keys_shown(app)) == 4)
        app.main_screen.query_one("#filter").value = "dan@"
        await wait_for(pilot, lambda: len(keys_shown(app)) == 2)
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: len(keys_shown(app)) == 12)


async def test_sorting_by_keys_and_header_click(ctx: Any) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("1", "right_square_bracket")  # due -> priority
        await wait_for(pilot, lambda: app.main_screen.state.sort == "priority")
        await settle(pilot)
        first = ctx.ids["Alert on checkout error rate above 2%"]
        assert keys_shown(app)[0] == str(first)  # the only P0
        await pilot.press("r")
        await wait_for(pilot, lambda: keys_shown(app)[-1] == str(first))
        assert "sort priority ▼" in screen_text(app)
        # Clicking a header sorts by it.
        await pilot.click(ActionTable, offset=(10, 0))
        await wait_for(pilot, lambda: app.main_screen.state.sort == "title")
        await settle(pilot)
        assert keys_shown(app)[0] == str(ctx.ids["Add a canary stage to the deploy pipeline"])


async def test_grouping_by_incident_and_owner(ctx: Any) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("1", "g")
        await wait_for(pilot, lambda: "group:incident:1" in keys_shown(app))
        keys = keys_shown(app)
        assert [k for k in keys if k.startswith("group:")] == [
            "group:incident:1",
            "group:incident:2",
            "group:incident:3",
        ]
        header = [c.plain for c in table(app).get_row("group:incident:1")]
        assert header[1] == "#1 Checkout outage after a bad deploy"
        assert "4 total" in header
        await pilot.press("g")
        await wait_for(pilot, lambda: "group:owner:alice@example.com" in keys_shown(app))
        assert keys_shown(app)[-2:] == [
            "group:owner:None",
            str(ctx.ids["Purge the cache from the release job"]),
        ]
        await pilot.press("g")
        await wait_for(pilot, lambda: not any(k.startswith("group:") for k in keys_shown(app)))


# ---------------------------------------------------------------- detail and changes


async def test_detail_shows_incident_history_reminders_and_jira(ctx: Any) -> None:
    action_id = ctx.ids["Document ownership of third-party credentials"]
    add_reminder_and_link(ctx, action_id)
    app = app_for(ctx)
    async with app.run_test(size=(100, 60)) as pilot:
        await ready(pilot)
        await highlight(pilot, action_id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details)
        await wait_for(pilot, lambda: "Rolled back" in screen_text(app))
        text = screen_text(app)
        assert f"#{action_id} Document ownership of third-party credentials" in text
        assert "Measure 8 from the post-mortem." in text
        assert "Stale prices served from the CDN" in text
        assert "Customers saw old prices for 3 hours." in text
        assert "The purge job used an expired token." in text
        assert "Rolled back" in text
        assert "lead@example.com (import)  created" in text
        assert "overdue → alice@example.com via email: sent" in text
        assert "OPS-42" in text
        assert "HTTP 503 from Jira" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_status_change_from_the_list(ctx: Any) -> None:
    action_id = ctx.ids["Write the payment failover runbook"]
    app = app_for(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await highlight(pilot, action_id)
        await pilot.press("s")
        await choose(pilot, "in_progress")
        await wait_for(pilot, lambda: db_action(ctx, action_id)["status"] == "in_progress")
        event = db_events(ctx, action_id)[-1]
        assert (event["field"], event["new_value"], event["source"]) == (
            "status",
            "in_progress",
            "tui",
        )
        assert event["actor"] == "alice@example.com"
        await wait_for(pilot, lambda: "is now in progress" in " ".join(notifications(app)))
        row = app.main_screen.query_one(ActionTable).get_row(str(action_id))
        await wait_for(pilot, lambda: "in prog" in table(app).get_row(str(action_id))[-1].plain)
        assert row is not None


async def test_wont_do_asks_for_a_reason(ctx: Any) -> None:
    action_id = ctx.ids["Alert on queue depth"]
    app = app_for(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await highlight(pilot, action_id)
        await pilot.press("s")
        await choose(pilot, "wont_do")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptDialog))
        await pilot.press("enter")  # empty: refused in the dialog
        assert "a value is required" in screen_text(app)
        await answer(pilot, "covered by the new SLO alerts")
        await wait_for(pilot, lambda: db_action(ctx, action_id)["status"] == "wont_do")
        assert db_action(ctx, action_id)["status_reason"] == "covered by the new SLO alerts"
        # It leaves the open view.
        await wait_for(pilot, lambda: str(action_id) not in keys_shown(app))


async def test_detail_changes_assign_due_priority_note_verify(ctx: Any) -> None:
    action_id = ctx.ids["Pin the client library version"]  # done
    app = app_for(ctx)
    async with app.run_test(size=(100, 80)) as pilot:
        await ready(pilot)
        app.open_detail(action_id)
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details)

        async def fresh(check: Any) -> None:
            await wait_for(pilot, check)
            await wait_for(
                pilot,
                lambda: (
                    isinstance(app.screen, DetailScreen)
                    and app.screen.details["version"] == db_action(ctx, action_id)["version"]
                ),
            )

        await pilot.press("a")
        await answer(pilot, "erin@example.com")
        await fresh(lambda: db_action(ctx, action_id)["owner"] == "erin@example.com")
        await pilot.press("d")
        await answer(pilot, "next friday")
        await wait_for(pilot, lambda: not isinstance(app.screen, PromptDialog))
        await fresh(lambda: db_action(ctx, action_id)["due_date"] == due(9))
        await pilot.press("d")
        await answer(pilot, "someday")
        assert "cannot read 'someday' as a date" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("p")
        await choose(pilot, "P0")
        await fresh(lambda: db_action(ctx, action_id)["priority"] == "P0")
        await pilot.press("n")
        await answer(pilot, "checked with the vendor")
        await fresh(
            lambda: any(e["note"] == "checked with the vendor" for e in db_events(ctx, action_id))
        )
        await pilot.press("v")
        await answer(pilot, "+14d")
        await fresh(lambda: db_action(ctx, action_id)["verify_by"] == due(14))
        await pilot.press("V")
        await fresh(lambda: db_action(ctx, action_id)["status"] == "verified")
        assert db_action(ctx, action_id)["verified_by"] == "alice@example.com"
        sources = {e["source"] for e in db_events(ctx, action_id)[-6:]}
        assert sources == {"tui"}
        text = screen_text(app)
        assert "verified" in text
        assert "checked with the vendor" in text
        assert "erin@example.com" in text


async def test_refused_change_shows_the_rule(ctx: Any) -> None:
    action_id = ctx.ids["Add a canary stage to the deploy pipeline"]  # open
    app = app_for(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await highlight(pilot, action_id)
        await pilot.press("V")  # open -> verified is not allowed
        await wait_for(pilot, lambda: any("it can move to" in n for n in notifications(app)))
        assert db_action(ctx, action_id)["status"] == "open"


async def test_stale_change_is_refused(ctx: Any) -> None:
    action_id = ctx.ids["Add a canary stage to the deploy pipeline"]
    app = app_for(ctx, poll_interval=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await highlight(pilot, action_id)
        with ctx.engine().begin() as conn:  # someone else writes meanwhile
            conn.execute(
                update(table_of(Action))
                .where(table_of(Action).c.id == action_id)
                .values(version=99)
            )
        await pilot.press("p")
        await choose(pilot, "P3")
        await wait_for(pilot, lambda: any("changed meanwhile" in n for n in notifications(app)))
        assert db_action(ctx, action_id)["priority"] == "P1"


# ---------------------------------------------------------------- other screens


async def test_incidents_screen_and_drill_down(ctx: Any) -> None:
    app = app_for(ctx)
    # Wide enough for the whole title beside the Resembles column.
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, IncidentsScreen) and app.screen.rows)
        await wait_for(pilot, lambda: "Checkout outage after a bad deploy" in screen_text(app))
        text = screen_text(app)
        assert "Checkout outage after a bad deploy" in text
        assert text.count("1/4") == 3  # a won't-do counts as closed
        assert "!! 2 overdue" in text
        assert "!! 1 overdue" in text
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: len(keys_shown(app)) == 4)
        assert app.main_screen.state.incident_id == 2
        assert "incident #2 Stale prices" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(keys_shown(app)) == 12)


async def test_trends_screen(ctx: Any) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.points)
        points = app.screen.points
        assert len(points) == 12
        assert points[-1].week_end == TODAY
        assert points[-1].open_at_end == 9
        assert points[-1].overdue_at_end == 3
        assert sum(p.opened for p in points) == 12
        await wait_for(pilot, lambda: "Overdue at week end" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_help_palette_theme_and_sync_not_configured(ctx: Any) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await wait_for(pilot, lambda: "Keys — Escape closes" in screen_text(app))
        text = str(app.screen.query_one("#help-text").content)
        assert "Change status" in text
        assert "Group by incident / owner" in text
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"Trends")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, CommandPalette)
                and app.screen.query_one(CommandList).option_count > 0
            ),
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TrendsScreen))
        await pilot.press("escape")
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: any("Jira is not configured" in n for n in notifications(app))
        )


async def test_palette_offers_every_action_for_the_selected_row(ctx: Any) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        titles = [t for t, _h, _c in palette_commands(app, app.main_screen)]
        first = keys_shown(app)[0]
        for label in (
            "Change status",
            "Assign owner",
            "Set due date",
            "Change priority",
            "Add a note",
            "Set verify-by date",
            "Record verification",
        ):
            assert f"{label} of #{first}" in titles
        for label in (
            "Incidents",
            "Trends",
            "Sync with Jira now",
            "Import a post-mortem",
            "Show: Overdue",
            "Group by: owner",
            "Sort by: Jira key",
        ):
            assert label in titles


async def test_import_preview_then_save(ctx: Any) -> None:
    doc = EXAMPLES / "search-index-outage.md"
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await answer(pilot, str(EXAMPLES / "missing.md"))
        assert "no such file" in screen_text(app)
        await answer(pilot, str(doc))
        await wait_for(pilot, lambda: isinstance(app.screen, ImportPreviewDialog), timeout=10)
        await wait_for(pilot, lambda: "measure(s) found" in screen_text(app))
        with ctx.engine().connect() as conn:
            before = conn.execute(table_of(Action).select()).all()
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: any("Imported incident" in n for n in notifications(app)), timeout=10
        )
        with ctx.engine().connect() as conn:
            after = conn.execute(table_of(Action).select()).all()
        assert len(after) > len(before)


async def test_import_cancelled_saves_nothing(ctx: Any) -> None:
    doc = EXAMPLES / "search-index-outage.md"
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await answer(pilot, str(doc))
        await wait_for(pilot, lambda: isinstance(app.screen, ImportPreviewDialog), timeout=10)
        await pilot.press("escape")
        await settle(pilot)
        with ctx.engine().connect() as conn:
            assert len(conn.execute(table_of(Action).select()).all()) == 12


async def test_worker_failure_becomes_a_notification(ctx: Any) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.open_detail(9999)
        await wait_for(pilot, lambda: any("no action #9999" in n for n in notifications(app)))
        assert app.is_running


# ---------------------------------------------------------------- safety and liveness


async def test_markup_and_escapes_are_shown_literally(ctx: Any) -> None:
    with session_scope(ctx.engine()) as s:
        view = create_action(
            s, title=INJECTION, actor="x", owner="[i]eve[/i]", due_date=due(-1), incident_id=1
        )
    app = app_for(ctx)
    async with app.run_test(size=(160, 30)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: str(view.id) in keys_shown(app))
        text = screen_text(app)
        assert "[bold red]x[/] [@click=app.quit]q ␛[31m" in text
        assert "[i]eve[/i]" in text
        await pilot.click(ActionTable, offset=(30, 1 + keys_shown(app).index(str(view.id))))
        await highlight(pilot, view.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details)
        await wait_for(pilot, lambda: "[bold red]x[/] [@click=app.quit]q ␛[31m" in screen_text(app))
        assert app.is_running
        await pilot.press("n")
        await answer(pilot, "[link=http://evil]click[/link] \x1b]0;title\x07")
        await wait_for(
            pilot,
            lambda: (
                "[link=http://evil]click[/link] ␛]0;title␇"
                in str(app.screen.query_one("#detail-history").content)
            ),
        )
        assert (
            db_events(ctx, view.id)[-1]["note"] == "[link=http://evil]click[/link] \x1b]0;title\x07"
        )
        assert app.is_running


async def test_changes_by_another_process_appear_without_restart(ctx: Any) -> None:
    action_id = ctx.ids["Alert on queue depth"]
    app = app_for(ctx)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)

        def title() -> str:
            return table(app).get_row(str(action_id))[1].plain

        assert title() == "Alert on queue depth"
        from tracker.actions import update_action

        with session_scope(ctx.engine()) as s:  # e.g. another person's CLI
            update_action(
                s, action_id, {"title": "Alert on queue depth and age"}, actor="bob", source="cli"
            )
        await wait_for(pilot, lambda: title() == "Alert on queue depth and age", timeout=5)
        assert len(keys_shown(app)) == 9


async def test_paging_through_a_long_list(tmp_path: Path) -> None:
    from tests.support.tui_helpers import FIXED_NOW
    from tracker.models import Incident

    c = make_ctx(tmp_path)
    engine = c.engine()
    actions = table_of(Action)
    with engine.begin() as conn:
        conn.execute(
            table_of(Incident).insert(),
            [
                {
                    "id": 1,
                    "title": "Big",
                    "timeline_json": "[]",
                    "created_at": FIXED_NOW,
                    "updated_at": FIXED_NOW,
                }
            ],
        )
        conn.execute(
            actions.insert(),
            [
                {
                    "incident_id": 1,
                    "title": f"Action number {i:04d}",
                    "description": "",
                    "kind": "corrective",
                    "priority": "P2",
                    "status": "open",
                    "due_date": due(i % 50),
                    "created_at": FIXED_NOW,
                    "updated_at": FIXED_NOW,
                    "edited_fields": "[]",
                    "retired": False,
                    "version": 1,
                }
                for i in range(1, 1001)
            ],
        )
    app = app_for(c)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert table(app).row_count == PAGE_SIZE  # a window, never the whole list
        assert "row 1 of 1,000" in screen_text(app)
        await pilot.press("end")
        await wait_for(pilot, lambda: "row 1,000 of 1,000" in screen_text(app))
        assert table(app).row_count == PAGE_SIZE
        last = keys_shown(app)[-1]
        assert table(app).cursor_key == last
        await pilot.press("home")
        await wait_for(pilot, lambda: "row 1 of 1,000" in screen_text(app))
        # Walking down past the window loads the next one, keeping the cursor's action.
        for _ in range(8):
            await pilot.press("pagedown")
            await settle(pilot)
        screen: MainScreen = app.main_screen
        index = screen._cursor_index()
        assert index is not None
        assert index > PAGE_SIZE - 20
        assert screen._offset > 0
        await pilot.press("down")
        await settle(pilot)
        assert screen._cursor_index() == index + 1
    c.close()


async def test_sync_now_pushes_to_jira_in_the_background(
    tmp_path: Path, fake_jira: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.tui_helpers import make_ctx, notifications, seed
    from tracker.cli.integrations import dashboard_sync
    from tracker.config import JiraSettings, SyncSettings

    monkeypatch.setenv("CAPA_TUI_JIRA_TOKEN", fake_jira.basic_auth[1])
    jira = JiraSettings(
        url=fake_jira.url,
        deployment="cloud",
        email=fake_jira.basic_auth[0],
        token_env="CAPA_TUI_JIRA_TOKEN",
        timeout_seconds=5,
    )
    c = make_ctx(tmp_path, fixed=False, jira=jira, sync=SyncSettings(search_settle_seconds=0))
    seed(c)
    app = app_for(c, sync=dashboard_sync(c))
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: any(n.startswith("Sync done") for n in notifications(app)), timeout=30
        )
        done = next(n for n in notifications(app) if n.startswith("Sync done"))
        created = len(fake_jira.issues())
        assert created > 0
        assert f"{created} created" in done
        # The table shows the Jira keys that came back, without a restart.
        await wait_for(pilot, lambda: "OPS-1" in screen_text(app), timeout=10)
    with c.engine().connect() as conn:
        keys = conn.execute(
            table_of(Action).select().where(table_of(Action).c.jira_key.is_not(None))
        ).all()
    assert len(keys) == created
    c.close()


# ---------------------------------------------------------------- sizes, keys and figures

OLD = ("Rotate the signing keys", 3, "erin@example.com", "P1", "preventive", -611, "open")


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_due_cell_and_position_are_never_cut(tmp_path: Path, size: tuple[int, int]) -> None:
    c = make_ctx(tmp_path)
    ids = seed(c, actions=[*ACTIONS, OLD])
    app = app_for(c)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        text = screen_text(app)
        assert "!! 611d overdue" in text
        assert "!! 12d overdue" in text
        assert "row 1 of 10" in text
        # A drill-down and a filter make the status line long; the position stays whole.
        app.main_screen.show_incident(3, "#3 Search index corruption after a failed reindex")
        app.main_screen.query_one("#filter").value = "rotate the signing"
        await wait_for(pilot, lambda: keys_shown(app) == [str(ids[OLD[0]])])
        await wait_for(pilot, lambda: "row 1 of 1" in screen_text(app))
        assert "!! 611d overdue" in screen_text(app)
    c.close()


async def test_footer_shows_every_key_or_says_more(ctx: Any) -> None:
    action_id = ctx.ids["Pin the client library version"]
    app = app_for(ctx)
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        app.open_detail(action_id)
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details)
        await wait_for(pilot, lambda: "esc Back" in screen_text(app).splitlines()[-1])
        footer = screen_text(app).splitlines()[-1]
        for key in ("esc Back", "s Status", "a Assign", "d Due", "p Priority", "n Note"):
            assert key in footer
        assert "v Verify by" in footer
        assert "V Verified" in footer
        assert "? Help" in footer
        assert "more" not in footer
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: "? more" in screen_text(app).splitlines()[-1])
        footer = screen_text(app).splitlines()[-1]
        assert "esc Back" in footer
        assert "s Status" in footer
        assert "V Verified" not in footer  # still a key: ? lists it
        await pilot.press("V")
        await wait_for(pilot, lambda: db_action(ctx, action_id)["status"] == "verified")


async def test_trends_axis_counts_in_whole_numbers(ctx: Any) -> None:
    import re

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.points)
        await wait_for(pilot, lambda: "Overdue at week end" in screen_text(app))
        labels = re.findall(r"^\s*([\d.]+)┤", screen_text(app), flags=re.MULTILINE)
        assert labels
        assert all(label.isdigit() for label in labels), labels
        assert "9" in labels or "10" in labels  # 9 open this week: the axis reaches it


async def test_mine_is_the_login_name_when_no_user_is_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import Cli

    monkeypatch.setenv("LOGNAME", "dan@example.com")  # getpass reads it first
    c = make_ctx(tmp_path, user="")
    ids = seed(c)
    # The CLI and the dashboard agree on who "mine" is.
    listed = Cli(capsys, c.db_url)("list", "--mine", "--json")
    assert listed.code == 0, listed.err
    mine = {a["id"] for a in listed.json()}
    assert mine == {ids["Rotate the CDN API token automatically"]}
    app = app_for(c)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: {int(k) for k in keys_shown(app)} == mine)
        monkeypatch.setenv("LOGNAME", "nobody-here")
    app = app_for(c)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: "No open actions owned by nobody-here" in screen_text(app))
        assert "your login name" in screen_text(app)
        assert "no actions" in screen_text(app)
    c.close()


async def test_mine_says_why_it_is_empty_when_no_user_is_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    def no_login() -> str:
        raise OSError("no login name")  # as in a container without a passwd entry

    monkeypatch.setattr(getpass, "getuser", no_login)
    c = make_ctx(tmp_path, user="")
    seed(c)
    app = app_for(c)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: "no user is known" in screen_text(app))
        assert not keys_shown(app)
        assert "user =" in screen_text(app)
    c.close()


async def test_on_time_and_days_to_close_agree_with_stats(
    ctx: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import time_machine

    from tests.conftest import Cli
    from tests.support.tui_helpers import FIXED_NOW

    with session_scope(ctx.engine()) as s:  # measures already done when they were imported
        for title in ("Rename the alert", "Remove the old flag"):
            create_action(
                s, title=title, actor="x", source="import", status="done", due_date=due(-3)
            )
    with time_machine.travel(FIXED_NOW, tick=False):
        stats = Cli(capsys, ctx.db_url)("stats", "--json").json()
    # Done by the due date: 2 of the 2 done ones, but 3 open ones are already late.
    assert stats["on_time_rate"] == 0.4
    # Closed 10 days after they were created; the two done-at-import ones do not count.
    assert stats["median_days_to_close"] == 10.0
    app = app_for(ctx)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert "On time 40%" in screen_text(app)


async def test_a_saved_change_reloads_every_screen_without_waiting_for_the_poll(
    ctx: Any,
) -> None:
    action_id = ctx.ids["Alert on queue depth"]
    app = app_for(ctx, poll_interval=3600)  # the poll never fires during the test
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        app.open_detail(action_id)
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details)
        await pilot.press("p")
        await choose(pilot, "P0")
        # The detail on top and the list underneath both show it.
        await wait_for(pilot, lambda: "  P0  " in screen_text(app).splitlines()[1])
        columns = [s.key for s in table(app).specs]
        await wait_for(
            pilot,
            lambda: table(app).get_row(str(action_id))[columns.index("priority")].plain == "P0",
        )


async def test_incidents_screen_shows_which_earlier_incident_each_resembles(ctx: Any) -> None:
    """A later bad deploy like incident #1 shows "#1 (3 open)"; the others resemble nothing."""
    from tracker.models import Incident
    from tracker.recurrence.store import classify_incident

    with session_scope(ctx.engine()) as s:
        first = s.get(Incident, 1)
        assert first is not None
        assert first.started_at is not None
        s.add(
            Incident(
                id=4,
                title="Checkout outage after another bad deploy",
                impact="Payments failed for 20 minutes.",
                root_cause="A config flag shipped without a canary, again.",
                started_at=first.started_at + timedelta(days=40),
                created_at=first.created_at,
                updated_at=first.updated_at,
                timeline_json="[]",
            )
        )
    with session_scope(ctx.engine()) as s:
        conn = s.connection()
        classes = {i: classify_incident(conn, i) for i in (1, 2, 3, 4)}
    assert classes[1]
    assert classes[4] == classes[1]
    app = app_for(ctx)
    async with app.run_test(size=(130, 30)) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, IncidentsScreen) and app.screen.rows)
        await wait_for(pilot, lambda: "Resembles" in screen_text(app))
        lines = screen_text(app).splitlines()
        [later] = [x for x in lines if "another bad deploy" in x]
        assert later.rstrip(" │▎▊").endswith("#1 (3 open)")
        [first_line] = [x for x in lines if "Checkout outage after a bad deploy" in x]
        assert "open)" not in first_line
