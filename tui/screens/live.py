"""A screen that reloads itself when the database changes (poll a counter, never the data).

Every dashboard screen but the dialogs is one. It gets the app's `Services` in its
constructor, sends requests up as messages (a change, a detail, a failed worker) and never
imports the app.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.binding import ActiveBinding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from tracker.queries.actions import change_counter
from tui.messages import ActionRef, ChangeRequested, PaletteCommand, WorkerFailed
from tui.services import Services
from tui.widgets.footer import fit_footer


class LiveScreen(Screen[Any]):
    """Subclasses implement `reload()` (start a worker) and call `loaded(counter)` when done.

    Textual calls the `on_mount` of every class in the MRO, subclass first: a subclass's
    `on_mount` lays out its widgets, then this one starts the first load. Never call
    `super().on_mount()`.
    """

    def __init__(self, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self._counter: int | None = None
        self._poll_timer: Timer | None = None
        self._busy = False

    @property
    def is_busy(self) -> bool:
        """A load is on its way (the poll waits for it)."""
        return self._busy

    @property
    def poll_interval(self) -> float:
        return self.services.poll_interval

    def on_mount(self) -> None:
        self.services.changed.subscribe(self, self._changed_elsewhere)
        self.start_reload()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """As Textual's, but the footer shows what fits and "? more" (tui/widgets/footer.py)."""
        width = self.size.width or self.app.size.width
        return fit_footer(super().active_bindings, width, self.app.get_key_display)

    def on_resize(self) -> None:
        self.refresh_bindings()  # the footer fits its keys again

    def on_screen_resume(self) -> None:
        if self._counter is not None:
            self._poll()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker state messages do not bubble: send failures up to the app's one handler.
        if event.state == WorkerState.ERROR:
            if event.worker.group == self.load_group:
                self._busy = False
                self._arm()
            self.post_message(WorkerFailed(event.worker))

    # ------------------------------------------------------------ loading

    load_group = "live-load"  # the worker group of `reload()`; its failure re-arms the poll

    def start_reload(self) -> None:
        self._busy = True
        self.reload()

    def reload(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def loaded(self, counter: int) -> None:
        """Call when a reload has been applied: the next check is armed only now."""
        self._busy = False
        self._counter = counter
        self._arm()

    def _changed_elsewhere(self, summary: str) -> None:
        self.start_reload()

    # ------------------------------------------------------------ polling

    def _arm(self) -> None:
        if self._poll_timer is not None:
            self._poll_timer.stop()
        self._poll_timer = self.set_timer(self.poll_interval, self._poll)

    def _poll(self) -> None:
        if not self.is_current or self._busy:
            self._arm()
            return
        self._check()

    @work(thread=True, exclusive=True, group="live-poll", exit_on_error=False)
    def _check(self) -> None:
        with self.services.read_connection() as conn:
            counter = change_counter(conn)
        self.post_message(self.CounterRead(counter))

    class CounterRead(Message):
        def __init__(self, counter: int) -> None:
            self.counter = counter
            super().__init__()

    def on_live_screen_counter_read(self, message: CounterRead) -> None:
        if self._busy:
            return  # a load is on its way; it arms the next check
        if message.counter != self._counter:
            self.start_reload()
        else:
            self._arm()

    # ------------------------------------------------------------ changes

    def selected_ref(self) -> ActionRef | None:
        """The action the change keys work on (None: this screen has none)."""
        return None

    def action_change(self, kind: str) -> None:
        ref = self.selected_ref()
        if ref is None:
            self.notify("No action selected", severity="warning")
            return
        self.post_message(ChangeRequested(kind, ref))

    def palette_commands(self) -> list[PaletteCommand]:
        """(title, help, callback) for the command palette, besides the app's."""
        return []
