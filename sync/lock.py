"""One sync at a time per database.

PostgreSQL: a session-level advisory lock on a connection held for the whole run; the server
drops it when that connection ends, so a killed sync never leaves it behind.
SQLite (and anything else): a lease row in the `lock` table, taken inside a write transaction.
A lease whose holder process is gone (same host, dead pid) or whose time ran out is taken over.
"""

from __future__ import annotations

import os
import socket
import uuid
import zlib
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.engine import Connection, Engine

from sync.errors import SyncLockedError
from tracker.models import Lock, table_of, utcnow

DEFAULT_TTL = timedelta(minutes=30)


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _holder_is_gone(holder: str) -> bool:
    host, _, rest = holder.partition(":")
    pid_text = rest.split(":", 1)[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class SyncLock:
    """`with SyncLock(engine):` ... raises SyncLockedError when another sync holds it."""

    def __init__(self, engine: Engine, name: str = "sync", *, ttl: timedelta = DEFAULT_TTL) -> None:
        self.engine = engine
        self.name = name
        self.ttl = ttl
        self.holder = _holder()
        self._pg: Connection | None = None
        self._held = False

    @property
    def _key(self) -> int:
        return zlib.crc32(f"capa-tracker:{self.name}".encode()) & 0x7FFFFFFF

    def acquire(self) -> None:
        if self.engine.dialect.name == "postgresql":
            conn = self.engine.connect()
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}).scalar()
            conn.commit()
            if not got:
                conn.close()
                raise SyncLockedError(
                    f"another {self.name} is running on this database; "
                    "wait for it to finish (the lock is released when it ends)"
                )
            self._pg = conn
            self._held = True
            return
        table = table_of(Lock)
        now = utcnow()
        with self.engine.begin() as conn:
            row = conn.execute(select(table).where(table.c.name == self.name)).mappings().first()
            values: dict[str, Any] = {
                "holder": self.holder,
                "acquired_at": now,
                "expires_at": now + self.ttl,
            }
            if row is None:
                conn.execute(insert(table).values(name=self.name, **values))
            elif row["expires_at"] <= now or _holder_is_gone(str(row["holder"])):
                conn.execute(update(table).where(table.c.name == self.name).values(**values))
            else:
                since: datetime = row["acquired_at"]
                raise SyncLockedError(
                    f"another {self.name} is running on this database "
                    f"(holder {row['holder']}, since {since:%Y-%m-%d %H:%M:%S} UTC); "
                    "wait for it to finish, or if it died on another machine, "
                    f"the lock frees itself at {row['expires_at']:%H:%M:%S} UTC"
                )
        self._held = True

    def renew(self) -> None:
        """Push the lease's expiry out (long runs call this between steps)."""
        if not self._held or self._pg is not None:
            return
        table = table_of(Lock)
        with self.engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.name == self.name, table.c.holder == self.holder)
                .values(expires_at=utcnow() + self.ttl)
            )

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        if self._pg is not None:
            try:
                self._pg.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
                self._pg.commit()
            finally:
                self._pg.close()
                self._pg = None
            return
        table = table_of(Lock)
        with self.engine.begin() as conn:
            conn.execute(
                delete(table).where(table.c.name == self.name, table.c.holder == self.holder)
            )

    def __enter__(self) -> SyncLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
