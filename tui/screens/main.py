"""The main screen: summary bar, quick filters, filter box and the paged action table.

Over 500 lines because the action list is the dashboard: its twenty keys (each with the help
line the help screen shows), windowed loading with a count and a summary after the page, and
filter coalescing belong to one screen; the pure parts live in tui/view.py and tui/rows.py.
"""

from __future__ import annotations

import time
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from tracker.queries.actions import ActionFilter, change_counter
from tracker.queries.dashboard import (
    GROUPS,
    Group,
    PageRequest,
    Summary,
    count_page,
    fetch_page,
    group_counts,
    summary,
)
from tui.messages import (
    BULK_KINDS,
    ActionRef,
    BulkChangeRequested,
    DetailRequested,
    PaletteCommand,
)
from tui.rows import (
    PAGE_SIZE,
    DisplayRow,
    cell_texts,
    columns_for_width,
    display_rows,
    group_header_cells,
    group_key,
    needs_shift,
    position_text,
    window_around,
)
from tui.screens.live import LiveScreen
from tui.services import Services
from tui.view import SORT_LABELS, SORT_ORDER, Page, ViewState, action_filter, empty_text
from tui.widgets.action_table import ActionTable
from tui.widgets.filter_box import FilterBox
from tui.widgets.summary_bar import QUICK_FILTERS, StatusLine, SummaryBar, status_parts

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class MainScreen(LiveScreen):
    """What is open, overdue and done; every action key works on the highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "open_detail", "Details", id="main.open", tooltip="Show the action's details"
        ),
        Binding("slash", "focus_filter", "Filter", id="main.filter", tooltip="Filter as you type"),
        Binding("1", "quick('all')", "All", show=False, id="main.all", tooltip="Show every action"),
        Binding(
            "2",
            "quick('open')",
            "Open",
            show=False,
            id="main.open_only",
            tooltip="Show open, in progress and blocked actions",
        ),
        Binding(
            "3",
            "quick('overdue')",
            "Overdue",
            show=False,
            id="main.overdue",
            tooltip="Show open actions past their due date",
        ),
        Binding(
            "4",
            "quick('mine')",
            "Mine",
            show=False,
            id="main.mine",
            tooltip="Show my open actions (user in the config, else the login name)",
        ),
        Binding(
            "5",
            "quick('done')",
            "Done",
            show=False,
            id="main.done",
            tooltip="Show done and verified actions",
        ),
        Binding("g", "cycle_group", "Group", id="main.group", tooltip="Group by incident / owner"),
        Binding(
            "right_square_bracket",
            "cycle_sort(1)",
            "Sort →",
            show=False,
            id="main.sort_next",
            tooltip="Sort by the next column",
        ),
        Binding(
            "left_square_bracket",
            "cycle_sort(-1)",
            "Sort ←",
            show=False,
            id="main.sort_prev",
            tooltip="Sort by the previous column",
        ),
        Binding(
            "r",
            "reverse_sort",
            "Reverse",
            show=False,
            id="main.reverse",
            tooltip="Reverse the sort order",
        ),
        Binding(
            "escape",
            "clear_filters",
            "Clear",
            show=False,
            id="main.clear",
            tooltip="Clear the text filter and the incident drill-down",
        ),
        Binding("s", "change('status')", "Status", id="main.status", tooltip="Change status"),
        Binding(
            "a",
            "change('assign')",
            "Assign",
            show=False,
            id="main.assign",
            tooltip="Assign an owner",
        ),
        Binding(
            "d",
            "change('due')",
            "Due",
            show=False,
            id="main.due",
            tooltip="Set the due date (+14d, next friday)",
        ),
        Binding(
            "p", "change('priority')", "Priority", show=False, id="main.priority", tooltip="P0..P3"
        ),
        Binding(
            "n",
            "change('note')",
            "Note",
            show=False,
            id="main.note",
            tooltip="Add a note to the history",
        ),
        Binding(
            "v",
            "change('verify_by')",
            "Verify by",
            show=False,
            id="main.verify_by",
            tooltip="When to check it worked",
        ),
        Binding(
            "V",
            "change('verify')",
            "Verified",
            show=False,
            id="main.verify",
            tooltip="Record that the measure worked",
        ),
        Binding(
            "f5",
            "reload",
            "Reload",
            show=False,
            id="main.reload",
            tooltip="Read the list again now (it also refreshes by itself)",
        ),
        Binding(
            "space",
            "toggle_mark",
            "Mark",
            show=False,
            id="main.mark",
            tooltip="Mark rows; a (assign) and d (due) then change every marked row",
        ),
    ]

    load_group = "main-page"

    def __init__(self, services: Services) -> None:
        super().__init__(services, id="main")
        self.state = ViewState()
        self._token = 0
        self._offset = 0
        self._total = 0
        self._shown: list[DisplayRow] = []
        self._pending_text: str | None = None
        self._typed_at: float | None = None
        self.last_filter_latency: float | None = None
        # Home/End to the new window shown, measured in the app (bench/bench_dashboard.py).
        self.last_jump_latency: float | None = None
        self._jumped_at: float | None = None
        self._counting = False
        self._total_exact = True
        self._width_class: int | None = None
        self.activity = ""
        self.loaded_once = False
        # Action ids marked with space for a change to several rows at once (triage).
        self.marked: set[int] = set()

    def compose(self) -> ComposeResult:
        yield SummaryBar(id="summary")
        yield FilterBox(id="filter", cursor_blink=self.services.cursor_blink)
        yield StatusLine(id="status-line")
        yield ActionTable(id="actions")
        yield Static("", id="empty-hint")
        yield Footer()

    def on_mount(self) -> None:
        # LiveScreen.on_mount runs next and starts the first load (see its docstring).
        self._layout_columns(self.size.width or self.app.size.width)
        self.query_one(ActionTable).focus()
        self.query_one("#empty-hint").display = False
        self.services.activity.subscribe(self, self.set_activity)

    def reload(self) -> None:
        self.load(kind="reload" if self.loaded_once else "query")

    def on_resize(self) -> None:
        if self._layout_columns(self.size.width) and self.loaded_once:
            self.load(kind="reload")
        self._update_status()

    # ------------------------------------------------------------ state -> query

    def _layout_columns(self, width: int) -> bool:
        specs = columns_for_width(width)
        labels = {
            s.key: s.label + (" ▼" if self.state.descending else " ▲")
            for s in specs
            if s.key == self.state.sort
        }
        table = self.query_one(ActionTable)
        changed = table.set_columns(specs, labels)
        if changed:
            self._shown = []
        return changed

    def set_state(self, **changes: Any) -> None:
        """Change what is shown; the table reloads from the first row."""
        new = replace(self.state, **changes)
        if new == self.state:
            return
        sort_changed = (new.sort, new.descending) != (self.state.sort, self.state.descending)
        self.state = new
        if sort_changed:
            self._layout_columns(self.size.width)
        self.load(kind="query")

    @property
    def user(self) -> str:
        return self.services.user

    def current_filter(self) -> ActionFilter | None:
        return action_filter(self.state, self.user)

    def load(
        self,
        *,
        kind: str,
        index: int | None = None,
        keep_screen_position: bool = False,
    ) -> None:
        """Ask for rows: 'query' (from the top), 'reload' (same place), 'around' (an index)."""
        self._token += 1
        self._busy = True
        table = self.query_one(ActionTable)
        cursor_key = table.cursor_key if kind != "query" else None
        offset = self._offset
        total: int | None = self._total if kind == "around" else None
        if kind == "query":
            offset, index = 0, 0
        elif kind == "around" and index is not None:
            offset = window_around(index, self._total)
        self._fetch(
            self._token,
            self.state,
            offset,
            total,
            index,
            cursor_key,
            kind == "reload" or not self.loaded_once,
            keep_screen_position,
        )

    @work(thread=True, exclusive=True, group="main-page", exit_on_error=False)
    def _fetch(
        self,
        token: int,
        state: ViewState,
        offset: int,
        total: int | None,
        cursor_index: int | None,
        cursor_key: str | None,
        with_summary: bool,
        keep_screen_position: bool,
    ) -> None:
        """Page first (the table updates), then the count, then the summary bar."""
        ctx = self.services.ctx
        today = ctx.today()
        f = action_filter(state, self.user)
        with self.services.read_connection() as conn:
            counter = change_counter(conn)
            if f is None:
                empty = Page(token, state, 0, [], 0, True, {}, counter, None, None, False)
                self.post_message(self.PageLoaded(empty))
                if with_summary:
                    self._post_summary(conn)
                return
            exact = total is not None
            if total is not None:
                offset = max(0, min(offset, max(0, total - PAGE_SIZE)))

            def page_at(at: int) -> list[dict[str, Any]]:
                req = PageRequest(
                    filter=f,
                    sort=state.sort,
                    descending=state.descending,
                    group=state.group,
                    offset=at,
                    limit=PAGE_SIZE,
                )
                return fetch_page(conn, req, today, total=total)

            rows = page_at(offset)
            if not rows and offset > 0:  # the list shrank under us: count, then clamp
                total = count_page(conn, f, today)
                exact = True
                offset = max(0, total - PAGE_SIZE)
                rows = page_at(offset)
            if not exact and len(rows) < PAGE_SIZE:
                total, exact = offset + len(rows), True  # a short last page is the count
            counts: dict[Any, tuple[int, int]] = {}
            if state.group != "none" and rows:
                keys = list(dict.fromkeys(group_key(r, state.group) for r in rows))
                counts = group_counts(conn, f, today, state.group, keys)
            page = Page(
                token=token,
                state=state,
                offset=offset,
                rows=rows,
                total=total if exact and total is not None else offset + len(rows),
                total_exact=exact,
                counts=counts,
                counter=counter,
                cursor_index=cursor_index,
                cursor_key=cursor_key,
                keep_screen_position=keep_screen_position,
            )
            self.post_message(self.PageLoaded(page))
            if not exact:
                self.post_message(self.CountLoaded(token, count_page(conn, f, today)))
            if with_summary:
                self._post_summary(conn)

    def _post_summary(self, conn: Connection) -> None:
        ctx = self.services.ctx
        stats = summary(
            conn, ctx.today(), user=self.user, soon_days=ctx.settings.policy.due_soon_days
        )
        self.post_message(self.SummaryLoaded(stats))

    class PageLoaded(Message):
        def __init__(self, page: Page) -> None:
            self.page = page
            super().__init__()

    class CountLoaded(Message):
        def __init__(self, token: int, total: int) -> None:
            self.token = token
            self.total = total
            super().__init__()

    class SummaryLoaded(Message):
        def __init__(self, summary: Summary) -> None:
            self.summary = summary
            super().__init__()

    def on_main_screen_summary_loaded(self, message: SummaryLoaded) -> None:
        self.query_one(SummaryBar).summary = message.summary

    def on_main_screen_count_loaded(self, message: CountLoaded) -> None:
        if message.token == self._token:
            self._total = message.total
            self._total_exact = True
            self._counting = False
            self._update_status()

    def on_main_screen_page_loaded(self, message: PageLoaded) -> None:
        page = message.page
        if page.token != self._token:
            return  # a newer request is on its way
        self._counting = not page.total_exact
        self._offset, self._total = page.offset, page.total
        self._total_exact = page.total_exact
        table = self.query_one(ActionTable)
        shown = display_rows(page.rows, page.offset, page.state.group, page.counts)
        today = self.services.ctx.today()
        soon = self.services.ctx.settings.policy.due_soon_days
        specs = table.specs
        cells = [
            (
                d.key,
                _with_mark(cell_texts(d.row, specs, today, soon), d.row["id"] in self.marked)
                if d.row is not None
                else group_header_cells(d, specs),
            )
            for d in shown
        ]
        cursor_key = page.cursor_key
        if page.cursor_index is not None:
            for d in shown:
                if d.index == page.cursor_index:
                    cursor_key = d.key
                    break
        self._shown = shown
        table.show_rows(
            cells, cursor_key=cursor_key, keep_screen_position=page.keep_screen_position
        )
        self.loaded_once = True
        hint = self.query_one("#empty-hint", Static)
        hint.display = not page.rows
        if not page.rows:
            configured = bool(self.services.ctx.settings.user)
            hint.update(empty_text(page.state, self.user, configured))
        if self._typed_at is not None:
            self.last_filter_latency = time.perf_counter() - self._typed_at
            self._typed_at = None
        if self._jumped_at is not None:
            self.last_jump_latency = time.perf_counter() - self._jumped_at
            self._jumped_at = None
        self._update_status()
        self.loaded(page.counter)
        if self._pending_text is not None:
            self._apply_pending_text()

    def action_reload(self) -> None:
        self.load(kind="reload")

    # ------------------------------------------------------------ table events

    def _cursor_display(self) -> DisplayRow | None:
        row = self.query_one(ActionTable).cursor_row
        if 0 <= row < len(self._shown):
            return self._shown[row]
        return None

    def _cursor_index(self) -> int | None:
        d = self._cursor_display()
        if d is None:
            return None
        if d.index is not None:
            return d.index
        row = self.query_one(ActionTable).cursor_row
        following = [x.index for x in self._shown[row:] if x.index is not None]
        return following[0] if following else None

    @on(DataTable.RowHighlighted, "#actions")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._update_status()
        index = self._cursor_index()
        if index is None or self._busy:
            return
        if needs_shift(index, self._offset, len(self._shown) - self._headers(), self._total):
            self.load(kind="around", index=index, keep_screen_position=True)

    def _headers(self) -> int:
        return sum(1 for d in self._shown if d.index is None)

    @on(ActionTable.JumpRequested)
    def _jump(self, event: ActionTable.JumpRequested) -> None:
        if not self._total or (event.where == "end" and not self._total_exact):
            return  # the count is on its way; End works once it is known
        index = 0 if event.where == "home" else self._total - 1
        self._jumped_at = time.perf_counter()
        self.load(kind="around", index=index)

    @on(DataTable.RowSelected, "#actions")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_detail()

    @on(DataTable.HeaderSelected, "#actions")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.state.sort:
            self.set_state(descending=not self.state.descending)
        else:
            self.set_state(sort=key, descending=False)

    # ------------------------------------------------------------ filter box

    @on(FilterBox.Changed, "#filter")
    def _typed(self, event: FilterBox.Changed) -> None:
        """Query at once when idle; while a query runs, keep only the latest text (coalesce)."""
        self._pending_text = event.value.strip()
        self._typed_at = time.perf_counter()
        if not self._busy:
            self._apply_pending_text()

    def _apply_pending_text(self) -> None:
        if self._pending_text is not None:
            text, self._pending_text = self._pending_text, None
            self.set_state(text=text)

    @on(FilterBox.Left)
    def _left_filter(self) -> None:
        self.query_one(ActionTable).focus()

    # ------------------------------------------------------------ actions

    def action_focus_filter(self) -> None:
        self.query_one(FilterBox).focus()

    def action_quick(self, name: str) -> None:
        self.set_state(quick=name)

    def action_cycle_group(self) -> None:
        self.set_state(group=GROUPS[(GROUPS.index(self.state.group) + 1) % len(GROUPS)])

    def action_group(self, group: Group) -> None:
        self.set_state(group=group)

    def action_cycle_sort(self, step: int) -> None:
        i = SORT_ORDER.index(self.state.sort) if self.state.sort in SORT_ORDER else 0
        self.set_state(sort=SORT_ORDER[(i + step) % len(SORT_ORDER)], descending=False)

    def action_sort(self, key: str) -> None:
        self.set_state(sort=key)

    def action_reverse_sort(self) -> None:
        self.set_state(descending=not self.state.descending)

    def action_clear_filters(self) -> None:
        self.marked.clear()
        box = self.query_one(FilterBox)
        if box.value:
            box.value = ""
        self.set_state(text="", incident_id=None, incident_label=None)

    def show_incident(self, incident_id: int, label: str) -> None:
        """Drill down from the incidents screen: that incident's actions, whatever status."""
        self.set_state(incident_id=incident_id, incident_label=label, quick="all", text="")
        self.query_one(FilterBox).value = ""

    def selected_ref(self) -> ActionRef | None:
        d = self._cursor_display()
        if d is None or d.row is None:
            return None
        return ActionRef.from_row(d.row)

    def action_open_detail(self) -> None:
        ref = self.selected_ref()
        if ref is not None:
            self.post_message(DetailRequested(ref.id))

    def action_toggle_mark(self) -> None:
        ref = self.selected_ref()
        if ref is None:
            return
        self.marked.symmetric_difference_update({ref.id})
        self.load(kind="reload")

    def action_change(self, kind: str) -> None:
        """With rows marked, assign and due change every marked row at once (all or nothing)."""
        if self.marked and kind in BULK_KINDS:
            ids = tuple(sorted(self.marked))
            self.marked.clear()
            self.load(kind="reload")
            self.post_message(BulkChangeRequested(kind, ids))
            return
        super().action_change(kind)

    def set_activity(self, text: str) -> None:
        self.activity = text
        self._update_status()

    def _update_status(self) -> None:
        index = self._cursor_index()
        self.query_one(StatusLine).show(
            *status_parts(
                quick=self.state.quick,
                text=self.state.text,
                incident=self.state.incident_label,
                group=self.state.group,
                sort_label=SORT_LABELS.get(self.state.sort, self.state.sort),
                descending=self.state.descending,
                position=position_text(
                    self._offset,
                    len(self._shown) - self._headers(),
                    self._total,
                    index,
                    exact=self._total_exact,
                ),
                activity=self.activity,
            )
        )

    # Used by the command palette: (title, help, callback) for this screen.
    def palette_commands(self) -> list[PaletteCommand]:
        cmds: list[PaletteCommand] = []
        for key, name, label in QUICK_FILTERS:
            cmds.append(
                (f"Show: {label}", f"Quick filter ({key})", partial(self.action_quick, name))
            )
        for g in GROUPS:
            cmds.append((f"Group by: {g}", "Group the table (g)", partial(self.action_group, g)))
        for key in SORT_ORDER:
            cmds.append(
                (
                    f"Sort by: {SORT_LABELS[key]}",
                    "Sort the table ([ / ], r reverses)",
                    partial(self.action_sort, key),
                )
            )
        cmds += [
            ("Reverse sort order", "r", self.action_reverse_sort),
            ("Filter actions", "Focus the filter box (/)", self.action_focus_filter),
            ("Clear filters", "Escape", self.action_clear_filters),
            ("Reload", "F5", self.action_reload),
            ("Open the selected action", "Enter", self.action_open_detail),
        ]
        return cmds


def _with_mark(cells: tuple[Any, ...], marked: bool) -> tuple[Any, ...]:
    """A marked row shows a dot before its id."""
    if not marked or not cells:
        return cells
    from rich.text import Text

    first = Text("● ", style="bold") + cells[0]
    return (first, *cells[1:])
