"""One action: description, incident, history, reminders, Jira link; changes from the keyboard."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Static

from tracker.db import session_scope
from tracker.queries.actions import change_counter
from tracker.queries.details import action_details
from tui.detail_view import (
    fields_text,
    header_text,
    history_text,
    incident_text,
    reminders_text,
    sync_text,
)
from tui.messages import ActionRef, PaletteCommand
from tui.screens.live import LiveScreen
from tui.services import Services

CHANGE_BINDINGS: list[BindingType] = [
    Binding(
        "s", "change('status')", "Status", id="detail.status", tooltip="Move to another status"
    ),
    Binding("a", "change('assign')", "Assign", id="detail.assign", tooltip="Assign an owner"),
    Binding(
        "d", "change('due')", "Due", id="detail.due", tooltip="Set the due date (+14d, next friday)"
    ),
    Binding("p", "change('priority')", "Priority", id="detail.priority", tooltip="P0..P3"),
    Binding("n", "change('note')", "Note", id="detail.note", tooltip="Add a note to the history"),
    Binding(
        "v",
        "change('verify_by')",
        "Verify by",
        id="detail.verify_by",
        tooltip="When to check it worked",
    ),
    Binding(
        "V",
        "change('verify')",
        "Verified",
        id="detail.verify",
        tooltip="Record that the measure worked",
    ),
]


class DetailScreen(LiveScreen):
    """Everything about one action; Escape goes back to the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", id="detail.back", tooltip="Back to the list"),
        *CHANGE_BINDINGS,
    ]

    load_group = "detail"

    def __init__(self, services: Services, action_id: int) -> None:
        super().__init__(services, id="detail")
        self.action_id = action_id
        self.details: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…", style="dim"), id="detail-header")
        with VerticalScroll(id="detail-body"):
            for section, title in (
                ("fields", "Action"),
                ("incident", "Incident"),
                ("history", "History"),
                ("reminders", "Reminders"),
                ("sync", "Jira"),
            ):
                yield Static(Text(title, style="bold underline"), classes="section-title")
                yield Static("", id=f"detail-{section}", classes="section")
        yield Footer()

    def on_mount(self) -> None:
        # LiveScreen.on_mount runs next and starts the first load.
        self.query_one("#detail-body").focus()

    def reload(self) -> None:
        self._load(self.action_id)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _load(self, action_id: int) -> None:
        with session_scope(self.services.engine(), write=False) as session:
            details = action_details(session, action_id)
            counter = change_counter(session.connection())
        self.post_message(self.Loaded(details, counter))

    class Loaded(Message):
        def __init__(self, details: dict[str, Any], counter: int) -> None:
            self.details = details
            self.counter = counter
            super().__init__()

    def on_detail_screen_loaded(self, message: Loaded) -> None:
        d = self.details = message.details
        ctx = self.services.ctx
        today, tz = ctx.today(), ctx.tz
        soon = ctx.settings.policy.due_soon_days
        self.query_one("#detail-header", Static).update(header_text(d, today, soon))
        self.query_one("#detail-fields", Static).update(fields_text(d, today, tz))
        self.query_one("#detail-incident", Static).update(incident_text(d, tz))
        self.query_one("#detail-history", Static).update(history_text(d, tz))
        self.query_one("#detail-reminders", Static).update(reminders_text(d, tz))
        self.query_one("#detail-sync", Static).update(sync_text(d, tz))
        self.loaded(message.counter)

    def selected_ref(self) -> ActionRef | None:
        return ActionRef.from_row(self.details) if self.details else None

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> list[PaletteCommand]:
        return [("Back to the list", "Escape", self.action_back)]
