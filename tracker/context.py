"""What every command needs: settings, the database (opened and upgraded on first use), "now".

Built by `tracker.cli` from the global options; the dashboard and the scheduler get the same
object, so nothing reads config or opens a database at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tracker.config import Settings, current_user

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass
class AppContext:
    settings: Settings
    db_url: str
    debug: bool = False
    # A fixed "now" for reproducible runs (`remind --now`, tests); None means the clock.
    fixed_now: datetime | None = None
    _engine: Engine | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls, settings: Settings, *, db_url: str | None = None, debug: bool = False
    ) -> AppContext:
        return cls(settings=settings, db_url=db_url or settings.database_url(), debug=debug)

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.policy.tz

    @property
    def actor(self) -> str:
        """Who is acting, for the history: the configured user, else the login name."""
        return current_user(self.settings) or "unknown"

    def now(self) -> datetime:
        return (self.fixed_now or datetime.now(self.tz)).astimezone(self.tz)

    def today(self) -> date:
        return self.now().date()

    def engine(self) -> Engine:
        """Open the database and bring its schema up to date, once per process."""
        if self._engine is None:
            from tracker.db import make_engine, upgrade

            engine = make_engine(
                self.db_url, busy_timeout_ms=self.settings.database.busy_timeout_ms
            )
            upgrade(engine)
            self._engine = engine
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
