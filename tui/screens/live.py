"""A screen that reloads itself when the database changes (poll a counter, never the data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

from tracker.queries.actions import change_counter
from tui.messages import ChangeSaved

if TYPE_CHECKING:
    from tui.app import CapaApp


class LiveScreen(Screen[Any]):
    """Subclasses implement `reload()` (start a worker) and call `loaded(counter)` when done."""

    poll_interval: float = 2.0

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._counter: int | None = None
        self._poll_timer: Timer | None = None
        self._busy = False

    @property
    def capa(self) -> CapaApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.poll_interval = getattr(self.app, "poll_interval", self.poll_interval)
        self.start_reload()

    def on_screen_resume(self) -> None:
        if self._counter is not None:
            self._poll()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker state messages do not bubble: hand them to the app's one error handler.
        self.capa.on_worker_state_changed(event)

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
        with self.capa.read_connection() as conn:
            counter = change_counter(conn)
        self.post_message(self.CounterRead(counter))

    class CounterRead(Message):
        def __init__(self, counter: int) -> None:
            self.counter = counter
            super().__init__()

    def on_live_screen_counter_read(self, message: CounterRead) -> None:
        if message.counter != self._counter:
            self.start_reload()
        else:
            self._arm()

    def on_change_saved(self, message: ChangeSaved) -> None:
        self.start_reload()
