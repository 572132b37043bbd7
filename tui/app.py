"""The dashboard application: built by `create_app(ctx, sync=...)`, run by `run_dashboard`.

Data down, messages up: the app gives each screen its `Services` (tui/services.py) and
listens for what screens ask (`DetailRequested`, `ChangeRequested`, `WorkerFailed`). It runs
the change dialogues (tui/changes.py), the background jobs (sync, import) and the one handler
that turns any worker failure into a notification. Sync is a callable handed in by the root
(tracker.cli), so the dashboard never imports `sync`.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import Worker, WorkerState

from tracker.actions import ActionError
from tracker.context import AppContext
from tui.changes import BULK_CHANGES, CHANGES, Change, ChangeEnv
from tui.messages import (
    Activity,
    BulkChangeRequested,
    ChangeRequested,
    ChangeSaved,
    DetailRequested,
    PaletteCommand,
    WorkerFailed,
)
from tui.palette import DashboardCommands
from tui.safe_text import clean
from tui.screens.detail import DetailScreen
from tui.screens.dialogs import ImportPreviewDialog, PromptDialog
from tui.screens.help import HelpScreen
from tui.screens.incidents import IncidentsScreen
from tui.screens.main import MainScreen
from tui.screens.trends import TrendsScreen
from tui.services import AppServices, SyncNow, SyncOutcome

DARK, LIGHT = "textual-dark", "textual-light"


class CapaApp(App[int]):
    """The capa-tracker dashboard."""

    TITLE = "capa-tracker"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {DashboardCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="List every key"),
        Binding(
            "i",
            "incidents",
            "Incidents",
            show=False,
            id="app.incidents",
            tooltip="Post-mortems and their progress",
        ),
        Binding(
            "t",
            "trends",
            "Trends",
            show=False,
            id="app.trends",
            tooltip="Open, closed and overdue per week",
        ),
        Binding(
            "ctrl+s", "sync_now", "Sync", show=False, id="app.sync", tooltip="Sync with Jira now"
        ),
        Binding(
            "ctrl+o",
            "import_postmortem",
            "Import",
            show=False,
            id="app.import",
            tooltip="Import a post-mortem",
        ),
        Binding(
            "ctrl+t", "toggle_theme", "Theme", show=False, id="app.theme", tooltip="Light / dark"
        ),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave the dashboard"),
    ]

    class SyncFinished(Message):
        def __init__(self, summary: SyncOutcome) -> None:
            self.summary = summary
            super().__init__()

    class ImportParsed(Message):
        def __init__(self, preview: dict[str, Any], payload: dict[str, Any]) -> None:
            self.preview = preview
            self.payload = payload
            super().__init__()

    def __init__(
        self,
        ctx: AppContext,
        *,
        sync: SyncNow | None = None,
        poll_interval: float = 2.0,
        cursor_blink: bool = True,
        theme: str = DARK,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.services = AppServices(
            ctx, self, poll_interval=poll_interval, cursor_blink=cursor_blink
        )
        self._sync_now = sync
        self._initial_theme = theme
        self.main_screen: MainScreen | None = None

    # ------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        _calm_garbage_collector()
        self.theme = self._initial_theme
        self.main_screen = MainScreen(self.services)
        self.push_screen(self.main_screen)

    def on_detail_requested(self, message: DetailRequested) -> None:
        self.open_detail(message.action_id)

    def open_detail(self, action_id: int) -> None:
        self.push_screen(DetailScreen(self.services, action_id))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The app's own workers (changes, sync, import); screens send theirs as WorkerFailed.
        if event.state == WorkerState.ERROR:
            self.post_message(WorkerFailed(event.worker))

    def on_worker_failed(self, message: WorkerFailed) -> None:
        """The one place where a failed background job becomes a message for the user."""
        worker = message.worker
        error = worker.error
        if worker.group in ("sync", "import"):
            self.services.activity.publish("")
        if isinstance(error, ActionError):
            self.notify(clean(str(error)), title="Refused", severity="warning", markup=False)
        else:
            self.notify(
                clean(f"{type(error).__name__}: {error}"),
                title=f"{worker.name or 'background job'} failed",
                severity="error",
                markup=False,
                timeout=10,
            )

    # ------------------------------------------------------------ navigation

    def action_help(self) -> None:
        self.push_screen(
            HelpScreen(
                [
                    ("Everywhere", self.BINDINGS),
                    ("Action list", MainScreen.BINDINGS),
                    ("Action detail", DetailScreen.BINDINGS),
                    ("Incidents", IncidentsScreen.BINDINGS),
                    ("Trends", TrendsScreen.BINDINGS),
                ]
            )
        )

    def action_incidents(self) -> None:
        if isinstance(self.screen, IncidentsScreen):
            return

        def drill(result: tuple[int, str] | None) -> None:
            if result is not None and self.main_screen is not None:
                while self.screen is not self.main_screen and len(self.screen_stack) > 1:
                    self.pop_screen()
                self.main_screen.show_incident(*result)

        self.push_screen(IncidentsScreen(self.services), drill)

    def action_trends(self) -> None:
        if not isinstance(self.screen, TrendsScreen):
            self.push_screen(TrendsScreen(self.services))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    # ------------------------------------------------------------ changes

    def on_change_requested(self, message: ChangeRequested) -> None:
        self._ask_change(message.kind, message.ref)

    def on_bulk_change_requested(self, message: BulkChangeRequested) -> None:
        self._ask_bulk_change(message.kind, message.ids)

    def _change_env(self) -> ChangeEnv:
        policy = self.ctx.settings.policy
        return ChangeEnv(
            today=self.ctx.today(),
            actor=self.ctx.actor,
            verify_after_days=policy.verify_after_days,
            cursor_blink=self.services.cursor_blink,
            require_extension_reason=policy.require_reason_for_extension,
        )

    @work(exclusive=True, group="ask", exit_on_error=False, name="change")
    async def _ask_change(self, kind: str, ref: Any) -> None:
        """Ask what the change needs (tui/changes.py), then save it in a thread."""
        change = await CHANGES[kind].ask(ref, self._change_env(), self.push_screen_wait)
        if change is not None:
            self.save(change)

    @work(exclusive=True, group="ask", exit_on_error=False, name="change")
    async def _ask_bulk_change(self, kind: str, ids: tuple[int, ...]) -> None:
        """The same for several marked actions: one transaction, all or nothing."""
        change = await BULK_CHANGES[kind].ask(ids, self._change_env(), self.push_screen_wait)
        if change is not None:
            self.save(change)

    @work(thread=True, group="write", exit_on_error=False, name="saving a change")
    def save(self, change: Change) -> None:
        """Run one change in its own transaction (writers may wait for a lock: not on the UI)."""
        from tracker.db import session_scope

        with session_scope(self.services.engine()) as session:
            change.apply(session)
        self.post_message(ChangeSaved(change.action_id, change.summary))

    def on_change_saved(self, message: ChangeSaved) -> None:
        self.notify(clean(message.summary), markup=False)
        self.services.changed.publish(message.summary)

    # ------------------------------------------------------------ background jobs

    def on_activity(self, message: Activity) -> None:
        self.services.activity.publish(message.text)

    def action_sync_now(self) -> None:
        if self._sync_now is None or not self.ctx.settings.jira.url:
            self.notify(
                "Jira is not configured: set [jira] url in the config file",
                title="Sync",
                severity="warning",
                markup=False,
            )
            return
        self._sync(self._sync_now)

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False, name="sync")
    def _sync(self, sync_now: SyncNow) -> None:
        def progress(text: str) -> None:
            self.post_message(Activity(f"sync: {text}"))

        progress("starting")
        result = sync_now(progress)
        self.post_message(self.SyncFinished(result))

    def on_capa_app_sync_finished(self, message: SyncFinished) -> None:
        self.services.activity.publish("")
        s = message.summary
        counts = ", ".join(
            f"{len(part)} {name}"
            for name, part in (
                ("created", s.created),
                ("updated", s.updated),
                ("pulled", s.pulled),
                ("conflicts", s.conflicts),
                ("failures", s.failures),
            )
        )
        self.notify(
            f"Sync {'done' if s.ok else 'finished with problems'}: {counts}",
            title="Sync",
            severity="information" if s.ok else "warning",
            markup=False,
        )
        self.services.changed.publish("synced with Jira")

    def action_import_postmortem(self) -> None:
        def check(path: str) -> str | None:
            p = Path(path).expanduser()
            return None if p.is_file() else f"no such file: {path}"

        self.push_screen(
            PromptDialog(
                "Import a post-mortem",
                "Path of the document (.md, .txt, .rst, .html)",
                validate=check,
                required=True,
                cursor_blink=self.services.cursor_blink,
            ),
            self._import_path_chosen,
        )

    def _import_path_chosen(self, path: str | None) -> None:
        if path:
            self._parse_import(path)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, name="import")
    def _parse_import(self, path: str) -> None:
        """A dry run of the one import use case: what would be imported, and the candidates."""
        from tracker.importing.run import import_documents

        self.post_message(Activity(f"reading {path}"))
        run = import_documents(self.ctx, [path], dry_run=True)
        self.post_message(Activity(""))
        (outcome,) = run.outcomes
        if outcome.error or outcome.incident is None:
            raise ActionError(f"{path}: {outcome.error or 'could not be imported'}")
        incident = outcome.incident
        preview = {
            "path": path,
            "title": incident["title"],
            "measures": [a for a in incident.get("actions", []) if not a["retired"]],
            "candidates": [c for c in incident["candidates"] if c["status"] == "pending"],
            "warnings": outcome.warnings,
        }
        self.post_message(self.ImportParsed(preview, {"path": path}))

    def on_capa_app_import_parsed(self, message: ImportParsed) -> None:
        path = message.payload["path"]

        def chosen(keys: list[str] | None) -> None:
            if keys is not None:
                self._save_import(path, keys)

        self.push_screen(ImportPreviewDialog(message.preview), chosen)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, name="import")
    def _save_import(self, path: str, accept: list[str]) -> None:
        """The same use case for real, accepting the ticked candidates in its transaction."""
        from tracker.importing.run import import_documents

        self.post_message(Activity("importing…"))
        run = import_documents(self.ctx, [path], accept=accept, source="tui")
        self.post_message(Activity(""))
        (outcome,) = run.outcomes
        if outcome.error or outcome.incident is None:
            raise ActionError(f"{path}: {outcome.error or 'could not be imported'}")
        inc = outcome.incident
        if inc["outcome"] == "unchanged" and not accept:
            summary = f"incident #{inc['id']}: unchanged, already imported"
        else:
            summary = (
                f"Imported incident #{inc['id']}: {len(inc['created'])} new, "
                f"{len(inc['updated'])} updated, {len(inc['retired'])} retired"
            )
        if outcome.pending:
            summary += f"; {outcome.pending} possible measure(s) left for review"
        self.post_message(ChangeSaved(None, summary))

    # ------------------------------------------------------------ command palette

    def palette_commands(self) -> list[PaletteCommand]:
        """The app-wide commands; tui/palette.py adds the current screen's."""
        return [
            ("Incidents", "Post-mortems and their progress (i)", self.action_incidents),
            ("Trends", "Open, closed and overdue per week (t)", self.action_trends),
            ("Sync with Jira now", "ctrl+s", self.action_sync_now),
            ("Import a post-mortem", "ctrl+o", self.action_import_postmortem),
            ("Toggle light / dark theme", "ctrl+t", self.action_toggle_theme),
            ("Help: list key bindings", "?", self.action_help),
            ("Quit", "q", self.exit),
        ]


def _calm_garbage_collector() -> None:
    """Keep collector pauses out of keystrokes: the app's long-lived objects (widgets, styles)
    leave the collector's generations once started up, and young collections run less often.
    At 100k actions this took the worst filter keystrokes from ~100-170 ms to under ~60 ms."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def create_app(ctx: AppContext, *, sync: SyncNow | None = None, **opts: Any) -> CapaApp:
    """Build the dashboard for this context; nothing is opened until it runs.

    `sync` runs one sync with Jira (the root passes one; without it, ctrl+s says so)."""
    return CapaApp(ctx, sync=sync, **opts)


def run_dashboard(ctx: AppContext, *, sync: SyncNow | None = None) -> int:
    app = create_app(ctx, sync=sync)
    result = app.run()
    return int(result or 0) if app.return_code in (None, 0) else int(app.return_code or 1)
