"""The main screen: summary bar, quick filters, filter box and the paged action table."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer
from textual.worker import Worker

from tracker.policy import OPEN_STATUSES
from tracker.queries.actions import ActionFilter, change_counter
from tracker.queries.dashboard import (
    GROUPS,
    PageRequest,
    count_page,
    fetch_page,
    group_counts,
    summary,
)
from tui.messages import ActionRef, ChangeSaved
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
from tui.widgets.action_table import ActionTable
from tui.widgets.filter_box import FilterBox
from tui.widgets.summary_bar import QUICK_FILTERS, StatusLine, SummaryBar, status_text

if TYPE_CHECKING:
    from tracker.queries.dashboard import Summary
    from tui.app import CapaApp

SORT_ORDER = ("due", "priority", "id", "title", "incident", "kind", "owner", "status", "jira")
SORT_LABELS = {
    "id": "#",
    "title": "title",
    "incident": "incident",
    "kind": "kind",
    "priority": "priority",
    "owner": "owner",
    "due": "due",
    "status": "status",
    "jira": "Jira key",
}


@dataclass(frozen=True)
class ViewState:
    """Everything that decides which rows the table shows (the screen's only query state)."""

    quick: str = "open"
    text: str = ""
    incident_id: int | None = None
    incident_label: str | None = None
    sort: str = "due"
    descending: bool = False
    group: str = "none"


def action_filter(state: ViewState, user: str) -> ActionFilter:
    """The ActionFilter for a view: quick filter + text + incident drill-down."""
    base: dict[str, Any] = {"text": state.text or None, "incident_id": state.incident_id}
    if state.quick == "open":
        base["statuses"] = tuple(sorted(OPEN_STATUSES))
    elif state.quick == "overdue":
        base["overdue"] = True
    elif state.quick == "mine":
        base["owner"] = user
        base["statuses"] = tuple(sorted(OPEN_STATUSES))
    elif state.quick == "done":
        base["statuses"] = ("done", "verified")
    return ActionFilter(**base)


@dataclass(frozen=True)
class Page:
    """What one load brought back from the database."""

    token: int
    state: ViewState
    offset: int
    rows: list[dict[str, Any]]
    total: int
    total_exact: bool
    counts: dict[Any, tuple[int, int]]
    counter: int
    cursor_index: int | None
    cursor_key: str | None
    keep_screen_position: bool


class MainScreen(Screen[None]):
    """What is open, overdue and done; every action key works on the highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "open_detail", "Open", id="main.open", tooltip="Show the action's details"
        ),
        Binding("slash", "focus_filter", "Filter", id="main.filter", tooltip="Filter as you type"),
        Binding("1", "quick('all')", "All", show=False, id="main.all", tooltip="All actions"),
        Binding("2", "quick('open')", "Open", show=False, id="main.open_only"),
        Binding("3", "quick('overdue')", "Overdue", show=False, id="main.overdue"),
        Binding("4", "quick('mine')", "Mine", show=False, id="main.mine"),
        Binding("5", "quick('done')", "Done", show=False, id="main.done"),
        Binding("g", "cycle_group", "Group", id="main.group", tooltip="Group by incident / owner"),
        Binding("right_square_bracket", "cycle_sort(1)", "Sort", show=False, id="main.sort_next"),
        Binding("left_square_bracket", "cycle_sort(-1)", "Sort", show=False, id="main.sort_prev"),
        Binding("r", "reverse_sort", "Reverse", show=False, id="main.reverse"),
        Binding("escape", "clear_filters", "Clear", show=False, id="main.clear"),
        Binding("s", "change('status')", "Status", id="main.status", tooltip="Change status"),
        Binding("a", "change('assign')", "Assign", show=False, id="main.assign"),
        Binding("d", "change('due')", "Due", show=False, id="main.due"),
        Binding("p", "change('priority')", "Priority", show=False, id="main.priority"),
        Binding("n", "change('note')", "Note", show=False, id="main.note"),
        Binding("v", "change('verify_by')", "Verify by", show=False, id="main.verify_by"),
        Binding("V", "change('verify')", "Verified", show=False, id="main.verify"),
        Binding("f5", "reload", "Reload", show=False, id="main.reload"),
        Binding(
            "space",
            "toggle_mark",
            "Mark",
            show=False,
            id="main.mark",
            tooltip="Mark rows; a (assign) and d (due) then change every marked row",
        ),
    ]

    class Opened(Message):
        """The user wants the detail of an action."""

        def __init__(self, action_id: int) -> None:
            self.action_id = action_id
            super().__init__()

    def __init__(self, *, poll_interval: float = 2.0, cursor_blink: bool = True) -> None:
        super().__init__(id="main")
        self.state = ViewState()
        self.poll_interval = poll_interval
        self._cursor_blink = cursor_blink
        self._token = 0
        self._offset = 0
        self._total = 0
        self._shown: list[DisplayRow] = []
        self._counter: int | None = None
        self._poll_timer: Timer | None = None
        self._pending_text: str | None = None
        self._typed_at: float | None = None
        self.last_filter_latency: float | None = None
        # Home/End to the new window shown, measured in the app (bench/bench_dashboard.py).
        self.last_jump_latency: float | None = None
        self._jumped_at: float | None = None
        self._loading = False
        self._counting = False
        self._total_exact = True
        self._width_class: int | None = None
        self.activity = ""
        self.loaded_once = False
        # Action ids marked with space for a change to several rows at once (triage).
        self.marked: set[int] = set()

    @property
    def capa(self) -> CapaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield SummaryBar(id="summary")
        yield FilterBox(id="filter", cursor_blink=self._cursor_blink)
        yield StatusLine(id="status-line")
        yield ActionTable(id="actions")
        yield Footer()

    def on_mount(self) -> None:
        self._layout_columns(self.size.width or self.app.size.width)
        self.query_one(ActionTable).focus()
        self.load(kind="query")

    def on_resize(self) -> None:
        if self._layout_columns(self.size.width) and self.loaded_once:
            self.load(kind="reload")

    def on_screen_resume(self) -> None:
        if self.loaded_once:
            self._poll()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker state messages do not bubble: hand them to the app's one error handler.
        self.capa.on_worker_state_changed(event)

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
        return self.capa.ctx.settings.user or self.capa.ctx.actor

    def current_filter(self) -> ActionFilter:
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
        self._loading = True
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
        ctx = self.capa.ctx
        today = ctx.today()
        f = action_filter(state, self.user)
        with self.capa.read_connection() as conn:
            counter = change_counter(conn)
            exact = total is not None
            if total is not None:
                offset = max(0, min(offset, max(0, total - PAGE_SIZE)))

            def page_at(at: int) -> list[dict[str, Any]]:
                req = PageRequest(
                    filter=f,
                    sort=state.sort,
                    descending=state.descending,
                    group=state.group,  # type: ignore[arg-type]
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
                counts = group_counts(conn, f, today, state.group, keys)  # type: ignore[arg-type]
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
                stats = summary(
                    conn, today, user=self.user, soon_days=ctx.settings.policy.due_soon_days
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
        self._loading = False
        self._counting = not page.total_exact
        self._offset, self._total = page.offset, page.total
        self._total_exact = page.total_exact
        table = self.query_one(ActionTable)
        shown = display_rows(page.rows, page.offset, page.state.group, page.counts)
        today = self.capa.ctx.today()
        soon = self.capa.ctx.settings.policy.due_soon_days
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
        self._counter = page.counter
        self.loaded_once = True
        if self._typed_at is not None:
            self.last_filter_latency = time.perf_counter() - self._typed_at
            self._typed_at = None
        if self._jumped_at is not None:
            self.last_jump_latency = time.perf_counter() - self._jumped_at
            self._jumped_at = None
        self._update_status()
        self._arm_poll()
        if self._pending_text is not None:
            self._apply_pending_text()

    # ------------------------------------------------------------ live refresh

    def _arm_poll(self) -> None:
        """The next check is scheduled only once this one (and its reload) has finished."""
        if self._poll_timer is not None:
            self._poll_timer.stop()
        self._poll_timer = self.set_timer(self.poll_interval, self._poll)

    def _poll(self) -> None:
        if not self.is_current or self._loading:
            self._arm_poll()
            return
        self._check_counter(self._token)

    @work(thread=True, exclusive=True, group="main-poll", exit_on_error=False)
    def _check_counter(self, token: int) -> None:
        with self.capa.read_connection() as conn:
            counter = change_counter(conn)
        self.post_message(self.CounterRead(token, counter))

    class CounterRead(Message):
        def __init__(self, token: int, counter: int) -> None:
            self.token = token
            self.counter = counter
            super().__init__()

    def on_main_screen_counter_read(self, message: CounterRead) -> None:
        if message.counter != self._counter and message.token == self._token:
            self.load(kind="reload")
        else:
            self._arm_poll()

    def on_change_saved(self, message: ChangeSaved) -> None:
        self.load(kind="reload")

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
        if index is None or self._loading:
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
        if not self._loading:
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
        self.set_state(group=GROUPS[(GROUPS.index(self.state.group) + 1) % len(GROUPS)])  # type: ignore[arg-type]

    def action_group(self, group: str) -> None:
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
            self.post_message(self.Opened(ref.id))

    def action_toggle_mark(self) -> None:
        ref = self.selected_ref()
        if ref is None:
            return
        self.marked.symmetric_difference_update({ref.id})
        self.load(kind="reload")

    def clear_marks(self) -> None:
        if self.marked:
            self.marked.clear()
            self.load(kind="reload")

    def action_change(self, what: str) -> None:
        if self.marked and what in ("assign", "due"):
            self.capa.start_bulk_change(what, sorted(self.marked), self.clear_marks)
            return
        ref = self.selected_ref()
        if ref is None:
            self.notify("No action selected", severity="warning")
            return
        self.capa.start_change(what, ref)

    def set_activity(self, text: str) -> None:
        self.activity = text
        self._update_status()

    def _update_status(self) -> None:
        index = self._cursor_index()
        self.query_one(StatusLine).update(
            status_text(
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
    def palette_commands(self) -> list[tuple[str, str, Any]]:
        cmds: list[tuple[str, str, Any]] = []
        for key, name, label in QUICK_FILTERS:
            cmds.append(
                (f"Show: {label}", f"Quick filter ({key})", lambda n=name: self.action_quick(n))
            )
        for g in GROUPS:
            cmds.append((f"Group by: {g}", "Group the table (g)", lambda g=g: self.action_group(g)))
        for key in SORT_ORDER:
            cmds.append(
                (
                    f"Sort by: {SORT_LABELS[key]}",
                    "Sort the table ([ / ], r reverses)",
                    lambda k=key: self.action_sort(k),
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
