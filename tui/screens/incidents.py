"""Each post-mortem with its measures' progress; Enter shows that incident's actions."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from tracker.queries.actions import change_counter
from tracker.queries.dashboard import incident_screen_rows
from tui.messages import ChangeSaved, PaletteCommand
from tui.rows import progress_bar
from tui.safe_text import literal
from tui.screens.live import LiveScreen
from tui.services import Services


def incident_cells(row: dict[str, Any], title_width: int, bar: int = 10) -> tuple[Text, ...]:
    total, closed, overdue = row["actions"], row["closed"], row["overdue"]
    style = "bold red" if overdue else ("dim" if total and closed == total else "")
    started = (row.get("started_at") or "")[:10] or "-"
    title = literal(row["title"], style)
    title.truncate(title_width, overflow="ellipsis")
    return (
        Text(f"#{row['id']}", style=style),
        title,
        Text(started),
        Text(f"{progress_bar(closed, total, bar)} {closed}/{total}"),
        Text(f"!! {overdue} overdue" if overdue else "-", style=style),
        resembles_cell(row.get("resembles")),
    )


def resembles_cell(found: dict[str, Any] | None) -> Text:
    """'#7 (2 open)': the earlier incident of the same kind of failure, and how many of its
    actions are still open (highlighted when some are: the failure came back with work left undone)."""
    if not found:
        return Text("-")
    n = len(found["open_actions"])
    return Text(
        f"#{found['incident_id']} ({n} open)", style="bold yellow" if n else "", no_wrap=True
    )


class IncidentsScreen(LiveScreen):
    """Post-mortems and how far their measures have got."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", id="incidents.back", tooltip="Back to the list"),
        Binding("enter", "drill", "Actions", id="incidents.drill", tooltip="Show its actions"),
        # Not in the footer (kept as it was); listed by `?` and the command palette.
        Binding(
            "e", "edit", "Edit", id="incidents.edit", tooltip="Correct the incident", show=False
        ),
    ]

    load_group = "incidents"

    def __init__(self, services: Services) -> None:
        super().__init__(services, id="incidents")
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Incidents", style="bold"), id="incidents-title")
        yield DataTable(id="incident-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # On a narrow terminal a shorter progress bar leaves room for the Resembles column.
        self._bar = 5 if self.app.size.width < 100 else 10
        done_width = self._bar + 7
        title_width = max(12, self.app.size.width - 6 - 10 - done_width - 13 - 12 - 13)
        for label, width, key in (
            ("#", 5, "id"),
            ("Incident", title_width, "title"),
            ("Started", 10, "started"),
            ("Done", done_width, "progress"),
            ("Overdue", 12, "overdue"),
            ("Resembles", 12, "resembles"),
        ):
            table.add_column(label, width=width, key=key)
        self._title_width = title_width
        table.focus()
        # LiveScreen.on_mount runs next and starts the first load.

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="incidents", exit_on_error=False)
    def _load(self) -> None:
        with self.services.read_connection() as conn:
            rows = incident_screen_rows(conn, self.services.ctx.today())
            counter = change_counter(conn)
        self.post_message(self.Loaded(rows, counter))

    class Loaded(Message):
        def __init__(self, rows: list[dict[str, Any]], counter: int) -> None:
            self.rows = rows
            self.counter = counter
            super().__init__()

    def on_incidents_screen_loaded(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        self.rows = message.rows
        table.clear()
        for row in message.rows:
            table.add_row(*incident_cells(row, self._title_width, self._bar), key=str(row["id"]))
        if message.rows:
            table.move_cursor(row=min(keep, len(message.rows) - 1), animate=False)
        self.query_one("#incidents-title", Static).update(
            Text(
                f"Incidents ({len(message.rows)}) — Enter shows an incident's actions", style="bold"
            )
        )
        self.loaded(message.counter)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_drill()

    def action_drill(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows:
            return
        row = self.rows[table.cursor_row]
        self.dismiss((row["id"], f"#{row['id']} {row['title']}"))

    def action_back(self) -> None:
        self.dismiss(None)

    # ------------------------------------------------------------ corrections

    def action_edit(self) -> None:
        if self.rows:
            self._edit_load(self.rows[self.query_one(DataTable).cursor_row]["id"])

    class EditLoaded(Message):
        def __init__(self, incident: dict[str, Any]) -> None:
            self.incident = incident
            super().__init__()

    @work(thread=True, exclusive=True, group="incident-edit", exit_on_error=False)
    def _edit_load(self, incident_id: int) -> None:
        from tracker.db import session_scope
        from tracker.incidents import load_incident
        from tracker.queries.actions import incident_json

        with session_scope(self.services.engine()) as session:
            data = incident_json(load_incident(session, incident_id))
        self.post_message(self.EditLoaded(data))

    def on_incidents_screen_edit_loaded(self, message: EditLoaded) -> None:
        from tui.screens.dialogs import IncidentEditDialog

        incident_id = message.incident["id"]

        def edited(changes: dict[str, str] | None) -> None:
            if changes:
                self._edit_save(incident_id, changes)

        self.app.push_screen(
            IncidentEditDialog(message.incident, cursor_blink=self.services.cursor_blink), edited
        )

    @work(thread=True, exclusive=True, group="incident-edit", exit_on_error=False)
    def _edit_save(self, incident_id: int, typed: dict[str, str]) -> None:
        """The same domain operation as `incident update`: one transaction with its events."""
        from tracker.actions import ActionError
        from tracker.db import session_scope
        from tracker.errors import TrackerError
        from tracker.incidents import parse_minutes, parse_when, update_incident

        ctx = self.services.ctx
        try:
            changes: dict[str, Any] = {}
            for name, value in typed.items():
                if name in ("started_at", "ended_at"):
                    changes[name] = parse_when(value, ctx.tz, name) if value else None
                elif name == "duration_minutes":
                    changes[name] = parse_minutes(value) if value else None
                elif name == "title":
                    changes[name] = value
                else:
                    changes[name] = value or None
            with session_scope(self.services.engine()) as session:
                changed = update_incident(
                    session, incident_id, changes, actor=ctx.actor, source="tui"
                )
        except TrackerError as exc:
            raise ActionError(str(exc)) from exc
        summary = f"incident #{incident_id}: " + (
            f"corrected {', '.join(changed)}" if changed else "nothing changed"
        )
        # Up to the app (messages bubble), which notifies and tells every screen.
        self.post_message(ChangeSaved(None, summary))

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            ("Show this incident's actions", "Enter", self.action_drill),
            ("Correct this incident", "e", self.action_edit),
            ("Back to the list", "Escape", self.action_back),
        ]
