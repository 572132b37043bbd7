"""`capa-tracker db copy --to URL`: move a whole tracker between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from tracker.db import analyze, make_engine, reset_sequences, upgrade
from tracker.errors import OperationFailed
from tracker.models import (
    Action,
    ActionExtension,
    Event,
    ImportCandidate,
    Incident,
    IncidentClass,
    Lock,
    Meta,
    Reminder,
    SyncLink,
    table_of,
)

# Parents before children, so foreign keys hold at every step.
TABLES = [
    table_of(t)
    for t in (
        Incident,
        IncidentClass,
        Action,
        ActionExtension,
        ImportCandidate,
        Event,
        Reminder,
        SyncLink,
        Meta,
        Lock,
    )
]
BATCH = 5_000


class CopyError(OperationFailed):
    pass


def copy_database(
    source: Engine, target_url: str, *, progress: Callable[[str], None]
) -> dict[str, int]:
    """Copy every row, keeping ids; refuses a target that already holds actions or incidents."""
    target = make_engine(target_url)
    upgrade(target)
    with target.connect() as conn:
        for table in (table_of(Incident), table_of(Action)):
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                raise CopyError(
                    f"the target database already has rows in {table.name}; copy into an empty database"
                )
    counts: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        for table in TABLES:
            n = 0
            result = src.execution_options(yield_per=BATCH).execute(
                select(table).order_by(*table.primary_key.columns)
            )
            for chunk in result.mappings().partitions(BATCH):
                dst.execute(insert(table), [dict(r) for r in chunk])
                n += len(chunk)
            counts[table.name] = n
            progress(f"… {table.name}: {n}")
        reset_sequences(dst, [t for t in TABLES if "id" in t.c])
    with source.connect() as src, target.connect() as dst:
        for table in TABLES:
            a = src.execute(select(func.count()).select_from(table)).scalar_one()
            b = dst.execute(select(func.count()).select_from(table)).scalar_one()
            if a != b:
                raise CopyError(
                    f"{table.name}: {a} rows in the source but {b} in the target after the copy"
                )
    analyze(target)
    target.dispose()
    return counts
