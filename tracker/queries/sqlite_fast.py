"""A read-only fast path for `list --json` on SQLite: the standard library's sqlite3 and one
hand-written statement, so that a script piping 100k actions does not pay SQLAlchemy's import.

It produces the same rows, in the same order, as the same JSON text as
`tracker.queries.iter_action_json` (tests/test_sqlite_fast.py compares them), and it is only
used when the database file exists and its schema is current; anything else takes the normal
path, which opens, upgrades and reports errors as usual.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote

from tracker.db import head_revision
from tracker.queries.filters import (
    ACTION_FIELDS,
    DATE_FIELDS,
    TIMESTAMP_FIELDS,
    ActionFilter,
    check_sort,
    owner_patterns,
)
from tracker.vocabulary import OPEN_STATUSES


def sqlite_file(url: str) -> Path | None:
    """The file behind a plain `sqlite:///path` URL, or None for anything else."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    path = Path(unquote(url.removeprefix("sqlite:///")))
    return path if path.name and path.is_file() else None


def open_current(path: Path, busy_timeout_ms: int) -> sqlite3.Connection | None:
    """A read-only connection when the schema is current; None means: use the normal path."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000)
        conn.execute("PRAGMA mmap_size = 268435456")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    if row is None or row[0] != head_revision():
        conn.close()
        return None
    return conn


def incident_exists(conn: sqlite3.Connection, incident_id: int) -> bool:
    return (
        conn.execute("SELECT 1 FROM incident WHERE id = ?", (incident_id,)).fetchone() is not None
    )


def _json_column(name: str) -> str:
    if name == "incident_title":
        return "i.title"
    column = f"a.{name}"
    if name in TIMESTAMP_FIELDS:
        # Stored as "YYYY-MM-DD HH:MM:SS.ffffff" UTC; shown as pydantic writes it (db.utc_text).
        return f"(replace(replace({column}, ' ', 'T'), '.000000', '') || 'Z')"
    if name in DATE_FIELDS:
        return f"CAST({column} AS VARCHAR)"
    if name == "retired":
        return f"json(iif({column}, 'true', 'false'))"
    return column


def _where(f: ActionFilter, today: date) -> tuple[list[str], list[object]]:
    """The same conditions as queries._conditions, in the same order."""
    cond: list[str] = []
    args: list[object] = []

    def within(column: str, values: tuple[object, ...] | list[object]) -> None:
        cond.append(f"{column} IN ({', '.join('?' * len(values))})")
        args.extend(values)

    if f.overdue:
        within("a.status", OPEN_STATUSES)
        cond.append("a.due_date < ?")
        args.append(today.isoformat())
    if f.due_within is not None:
        within("a.status", OPEN_STATUSES)
        cond.append("a.due_date <= ?")
        args.append((today + timedelta(days=f.due_within)).isoformat())
        if not f.overdue:
            cond.append("a.due_date >= ?")
            args.append(today.isoformat())
    if f.statuses:
        within("a.status", list(f.statuses))
    if f.owner:
        patterns = owner_patterns(f.owner)
        cond.append("(" + " OR ".join("a.owner LIKE ? ESCAPE '\\'" for _ in patterns) + ")")
        args.extend(f"%{_escape_like(p)}%" for p in patterns)
    if f.unassigned:
        cond.append("(a.owner IS NULL OR a.owner = '')")
    if f.incident_id is not None:
        cond.append("a.incident_id = ?")
        args.append(f.incident_id)
    if f.kinds:
        within("a.kind", list(f.kinds))
    if f.priorities:
        within("a.priority", list(f.priorities))
    if f.ids:
        within("a.id", list(f.ids))
    if not f.include_retired:
        cond.append("a.retired IS 0")
    if f.text:
        like = f"%{_escape_like(f.text.lower())}%"
        fields = ("a.title", "a.owner", "a.jira_key", "i.title")
        cond.append("(" + " OR ".join(f"lower({c}) LIKE ? ESCAPE '\\'" for c in fields) + ")")
        args.extend([like] * len(fields))
    return cond, args


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def iter_action_json(
    conn: sqlite3.Connection,
    f: ActionFilter,
    today: date,
    *,
    sort: str = "due",
    descending: bool = False,
    limit: int | None = None,
) -> Iterator[str]:
    column = f"a.{check_sort(sort)}"
    direction = "DESC" if descending else "ASC"
    order = [f"{column} {direction} NULLS LAST", f"a.id {direction}"]
    pairs = ", ".join(f"'{name}', {_json_column(name)}" for name in ACTION_FIELDS)
    cond, args = _where(f, today)
    sql = (
        f"SELECT json_object({pairs}) FROM action AS a LEFT OUTER JOIN incident AS i "
        f"ON a.incident_id = i.id WHERE {' AND '.join(cond) or '1'} ORDER BY {', '.join(order)}"
    )
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    for (text,) in conn.execute(sql, args):
        yield text
