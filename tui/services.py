"""What screens get from the app, passed in their constructor: data down, never the app itself.

Screens read the database through `Services`, learn about saved changes and background
activity through its signals, and send everything else up as messages (tui/messages.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sized
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Protocol

from textual.dom import DOMNode
from textual.signal import Signal

from tracker.config import current_user
from tracker.context import AppContext

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


class SyncOutcome(Protocol):
    """What the dashboard reports of a sync run (sync.engine.SyncSummary fits)."""

    @property
    def created(self) -> Sized: ...
    @property
    def updated(self) -> Sized: ...
    @property
    def pulled(self) -> Sized: ...
    @property
    def conflicts(self) -> Sized: ...
    @property
    def failures(self) -> Sized: ...
    @property
    def ok(self) -> bool: ...


# One sync run, reporting progress lines; handed in by the root (tracker.cli), so that the
# dashboard never imports `sync`.
SyncNow = Callable[[Callable[[str], None]], SyncOutcome]


class Services(Protocol):
    """The small surface a screen may use."""

    @property
    def ctx(self) -> AppContext: ...
    @property
    def poll_interval(self) -> float: ...
    @property
    def cursor_blink(self) -> bool: ...
    @property
    def user(self) -> str:
        """Who "Mine" is: the configured user, else the login name; "" when neither is known."""
        ...

    @property
    def changed(self) -> Signal[str]:
        """Published (with a summary) after a change was saved from the dashboard."""
        ...

    @property
    def activity(self) -> Signal[str]:
        """Progress of a background job ("" when it ends)."""
        ...

    def engine(self) -> Engine: ...
    def read_connection(self) -> AbstractContextManager[Connection]: ...


class AppServices:
    """The app's `Services`: one lazily opened engine shared by the worker threads."""

    def __init__(
        self, ctx: AppContext, owner: DOMNode, *, poll_interval: float, cursor_blink: bool
    ) -> None:
        self._ctx = ctx
        self._poll_interval = poll_interval
        self._cursor_blink = cursor_blink
        self._engine_lock = threading.Lock()
        self._changed: Signal[str] = Signal(owner, "changed")
        self._activity: Signal[str] = Signal(owner, "activity")
        self._user = current_user(ctx.settings)

    @property
    def ctx(self) -> AppContext:
        return self._ctx

    @property
    def poll_interval(self) -> float:
        return self._poll_interval

    @property
    def cursor_blink(self) -> bool:
        return self._cursor_blink

    @property
    def user(self) -> str:
        return self._user

    @property
    def changed(self) -> Signal[str]:
        return self._changed

    @property
    def activity(self) -> Signal[str]:
        return self._activity

    def engine(self) -> Engine:
        """Opened (and upgraded) on first use, by whichever worker needs it first."""
        with self._engine_lock:
            return self._ctx.engine()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        from tracker.db import read_engine

        with read_engine(self.engine()).connect() as conn:
            yield conn

    def read_connection(self) -> AbstractContextManager[Connection]:
        return self._read()
