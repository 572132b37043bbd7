"""Engine and sessions; SQLite pragmas; schema upgrades on start.

SQLite runs in WAL mode with a busy timeout and foreign keys on, so that the dashboard, the
scheduler and a sync can share one file. Everything dialect-specific lives here.

Private by default: post-mortems of security incidents live in the database, so a SQLite file
we create is readable by its owner only (0600; SQLite gives its -wal and -shm files the same
mode) and so is a folder we create for it (0700). Files and folders that exist are left alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError

if TYPE_CHECKING:
    from sqlmodel import Session

from tracker.errors import OperationFailed

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class DatabaseError(OperationFailed):
    """The database cannot be opened or upgraded; the message says what to do."""


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN reach SQLite (pysqlite otherwise defers it), so that
        # "BEGIN IMMEDIATE" below takes the write lock up front and busy_timeout applies.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    return on_connect


def _sqlite_begin(conn: Any) -> None:
    # Writers take the lock at BEGIN: a deferred transaction that upgrades to a write lock
    # can fail at once with "database is locked" instead of waiting for the busy timeout.
    read_only = conn.get_execution_options().get("capa_read_only", False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str, *, busy_timeout_ms: int = 10_000, echo: bool = False) -> Engine:
    """Build an engine for `url`; creates the SQLite file's folder when missing."""
    try:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:" and "?" not in path:
                create_private_file(Path(path).expanduser())
            # A small pool: opening a SQLite connection (and its pragmas) per transaction costs
            # more than the transaction itself; the pool hands a connection to one thread at a time.
            engine = create_engine(
                url,
                echo=echo,
                pool_size=2,
                max_overflow=8,
                connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
            )
            event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(url, echo=echo, pool_pre_ping=True, pool_size=2, max_overflow=4)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot use database URL {_safe(url)}: {exc}") from exc
    return engine


PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def create_private_file(path: Path) -> None:
    """Make `path` (and its missing folders, 0700) as an empty 0600 file unless it exists."""
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def _safe(url: str) -> str:
    from tracker.config import mask_url

    return mask_url(url)


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """For Alembic comparisons: the search index (migration 0002) is SQLite machinery, not a
    model, so it is left out."""
    return not (type_ == "table" and name is not None and name.startswith("action_search"))


def head_revision() -> str:
    """The newest migration, read from file names (cheap: no Alembic import)."""
    names = sorted(p.stem for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))
    return names[-1].split("_", 1)[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row else None


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest migration; returns True when anything ran."""
    try:
        if current_revision(engine) == head_revision():
            return False
        from alembic import command

        command.upgrade(alembic_config(engine), "head")
    except DBAPIError as exc:
        raise DatabaseError(f"cannot open or upgrade {_safe(str(engine.url))}: {exc.orig}") from exc
    return True


def read_engine(engine: Engine) -> Engine:
    """The same engine, but SQLite transactions on it take no write lock."""
    return engine.execution_options(capa_read_only=True)


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One session per unit of work: commit on success, roll back on any error."""
    from sqlmodel import Session

    bind = engine if write else read_engine(engine)
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def analyze(engine: Engine) -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL would otherwise plan for
    empty tables until autovacuum comes by: a nested loop over 100k rows took 3 s instead of
    0.1 s). SQLite gets the same for its query planner."""
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def reset_sequences(conn: Any, tables: list[Any]) -> None:
    """After inserting explicit ids, move PostgreSQL's sequences past them (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )


# ---------------------------------------------------------------- dialect-specific SQL


def utc_text(column: Any, dialect: str) -> Any:
    """A UTC timestamp column as ISO 8601 text with a Z, as pydantic writes it."""
    from sqlalchemy import func, literal

    if dialect == "postgresql":
        with_us = func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        return func.replace(with_us, ".000000Z", "Z")
    # SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" in UTC (see models.UTCDateTime).
    iso = func.replace(func.replace(column, " ", "T"), ".000000", "")
    return iso.op("||")(literal("Z"))


def json_object_sql(pairs: list[tuple[str, Any]], dialect: str) -> Any:
    """One JSON object per row, built by the database: the hot list path writes it verbatim."""
    from sqlalchemy import String, cast, func, literal

    args: list[Any] = []
    for key, value in pairs:
        args += [literal(key, String()), value]
    if dialect == "postgresql":
        return cast(func.json_build_object(*args), String())
    return func.json_object(*args)


def json_bool_sql(column: Any, dialect: str) -> Any:
    """A boolean column as a JSON boolean (SQLite keeps 0/1)."""
    from sqlalchemy import func, literal

    if dialect == "postgresql":
        return column
    return func.json(func.iif(column, literal("true"), literal("false")))
