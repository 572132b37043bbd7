"""Read queries: filtered, sorted, paged action lists and the stats. SQL Core, no ORM objects.

These are the hot paths (`list --overdue`, `stats`, the dashboard's pages), so they select
plain rows with the indexed filters first and never load a whole table into objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, column, func, literal_column, or_, select, table
from sqlalchemy.engine import Connection, RowMapping

from tracker.queries.figures import days_to_close, on_time_columns, on_time_rate
from tracker.queries.filters import (
    ACTION_FIELDS,
    DATE_FIELDS,
    TIMESTAMP_FIELDS,
    ActionFilter,
    check_sort,
    owner_patterns,
)
from tracker.schema import ACTION, EVENT, EXTENSION, INCIDENT
from tracker.vocabulary import CLOSED_STATUSES, DONE_STATUSES, OPEN_STATUSES

# ActionFilter and ACTION_FIELDS live in tracker.queries.filters; they are re-exported here for callers
# that build a query and its filter together.
__all__ = [
    "ACTION_FIELDS",
    "ActionFilter",
    "action_select",
    "bucket_counts",
    "counts_of",
    "change_counter",
    "count_actions",
    "incident_exists",
    "incident_json",
    "incident_rows",
    "iter_action_json",
    "iter_actions",
    "json_value",
    "owner_matches",
    "row_to_json",
    "stats",
]

A = ACTION.c
I = INCIDENT.c  # noqa: E741
ACTIONS_WITH_INCIDENT = ACTION.outerjoin(INCIDENT, A.incident_id == I.id)


def _like(column: Any, pattern: str, dialect: str) -> Any:
    # SQLite's LIKE already ignores ASCII case (and its lower() folds only ASCII), so plain
    # LIKE matches what lower(x) LIKE lower(p) would, without a function call per row.
    if dialect == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# The trigram index needs three characters; shorter text matches so much that a scan in due
# order finds a page at once anyway.
SEARCH_MIN_CHARS = 3


def _search_ids(text: str) -> Any:
    """Action ids whose title, owner, Jira key or incident title contain `text` (trigram index,
    migration 0002; SQLite only). A quoted FTS phrase matches literally: no operators."""
    phrase = '"' + text.replace('"', '""') + '"'
    index = table("action_search", column("rowid"))
    return select(index.c.rowid).where(literal_column("action_search").op("MATCH")(phrase))


def owner_matches(owner: str, dialect: str) -> Any:
    """`--owner`, the dashboard's Mine tab and its count: the owner contains what was typed
    (or its e-mail local part), in any case (filters.owner_patterns)."""
    return or_(*(_like(A.owner, f"%{_escape_like(p)}%", dialect) for p in owner_patterns(owner)))


def conditions(
    f: ActionFilter,
    today: date,
    dialect: str = "sqlite",
    *,
    for_page: bool = False,
    by_due: bool = False,
) -> list[Any]:
    """The WHERE of every action list (CLI, export, dashboard), shaped for speed.

    No join: the incident title is matched through a small subquery on incidents. Status
    lists are compared as `status || ''` so that SQLite scans the table once instead of
    walking the (status, due_date) index and fetching most rows one by one, which is several
    times slower when a status list covers most of the table.
    """
    # A page sorted by due date walks the (status, due_date) index and stops after one page.
    status = A.status if by_due else A.status + ""
    cond: list[Any] = []
    if f.overdue:
        cond += [status.in_(OPEN_STATUSES), A.due_date < today]
    if f.due_within is not None:
        cond += [status.in_(OPEN_STATUSES), A.due_date <= today + timedelta(days=f.due_within)]
        if not f.overdue:
            cond.append(A.due_date >= today)
    if f.statuses:
        cond.append(status.in_(list(f.statuses)))
    if f.owner:
        cond.append(owner_matches(f.owner, dialect))
    if f.unassigned:
        cond.append(or_(A.owner.is_(None), A.owner == ""))
    if f.incident_id is not None:
        cond.append(A.incident_id == f.incident_id)
    if f.kinds:
        cond.append(A.kind.in_(list(f.kinds)))
    if f.priorities:
        cond.append(A.priority.in_(list(f.priorities)))
    if f.ids:
        cond.append(A.id.in_(list(f.ids)))
    if not f.include_retired:
        cond.append(A.retired.is_(False))
    if f.text and for_page and dialect == "sqlite" and len(f.text) >= SEARCH_MIN_CHARS:
        cond.append(A.id.in_(_search_ids(f.text)))
    elif f.text:
        pattern = f"%{_escape_like(f.text)}%"
        cond.append(
            or_(
                _like(A.title, pattern, dialect),
                _like(A.owner, pattern, dialect),
                _like(A.jira_key, pattern, dialect),
                A.incident_id.in_(select(I.id).where(_like(I.title, pattern, dialect))),
            )
        )
    return cond


def action_select(
    f: ActionFilter, today: date, *, dialect: str, sort: str = "due", descending: bool = False
) -> Select[Any]:
    """The SELECT behind every action list; sorting ends on id so pages are stable."""
    column = A[check_sort(sort)]
    # Rows without a value go last whichever way we sort (NULLS LAST keeps SQLite's early exit).
    order: list[Any] = [(column.desc() if descending else column.asc()).nulls_last()]
    order.append(A.id.desc() if descending else A.id.asc())
    stmt = (
        select(
            *[A[name] for name in ACTION_FIELDS if name != "incident_title"],
            I.title.label("incident_title"),
        )
        .select_from(ACTIONS_WITH_INCIDENT)
        .where(and_(True, *conditions(f, today, dialect)))
        .order_by(*order)
    )
    return stmt


def iter_actions(
    conn: Connection,
    f: ActionFilter,
    today: date,
    *,
    sort: str = "due",
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[RowMapping]:
    stmt = action_select(f, today, dialect=conn.dialect.name, sort=sort, descending=descending)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    result = conn.execute(stmt).mappings()
    yield from result


def iter_action_json(
    conn: Connection,
    f: ActionFilter,
    today: date,
    *,
    sort: str = "due",
    descending: bool = False,
    limit: int | None = None,
) -> Iterator[str]:
    """The same rows as iter_actions, each already a JSON object string (built in SQL)."""
    from sqlalchemy import String, cast

    from tracker.db import json_bool_sql, json_object_sql, utc_text

    dialect = conn.dialect.name
    pairs: list[tuple[str, Any]] = []
    for name in ACTION_FIELDS:
        column: Any = I.title if name == "incident_title" else A[name]
        if name in TIMESTAMP_FIELDS:
            column = utc_text(column, dialect)
        elif name in DATE_FIELDS:
            column = cast(column, String())
        elif name == "retired":
            column = json_bool_sql(column, dialect)
        pairs.append((name, column))
    base = action_select(f, today, dialect=dialect, sort=sort, descending=descending)
    stmt = base.with_only_columns(json_object_sql(pairs, dialect), maintain_column_froms=True)
    if limit is not None:
        stmt = stmt.limit(limit)
    for (text,) in conn.execute(stmt):
        yield text


def incident_exists(conn: Connection, incident_id: int) -> bool:
    return conn.execute(select(I.id).where(I.id == incident_id)).first() is not None


def count_actions(conn: Connection, f: ActionFilter, today: date) -> int:
    stmt = (
        select(func.count())
        .select_from(ACTION)
        .where(and_(True, *conditions(f, today, conn.dialect.name)))
    )
    return int(conn.execute(stmt).scalar_one())


def incident_json(incident: Any) -> dict[str, Any]:
    """The public shape of an incident (an Incident row or model)."""
    import json

    return {
        "id": incident.id,
        "title": incident.title,
        "started_at": json_value(incident.started_at),
        "ended_at": json_value(incident.ended_at),
        "duration_minutes": incident.duration_minutes,
        "impact": incident.impact,
        "root_cause": incident.root_cause,
        "timeline": json.loads(incident.timeline_json or "[]"),
        "source": {"path": incident.source_path, "hash": incident.source_hash},
    }


def json_value(value: Any) -> Any:
    """Dates as ISO 8601, UTC timestamps with a Z: the same strings pydantic writes."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_to_json(row: RowMapping) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ACTION_FIELDS:
        value = row[name]
        if name in {"created_at", "updated_at", "closed_at", "verified_at"} and isinstance(
            value, datetime
        ):
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        out[name] = json_value(value)
    return out


# ---------------------------------------------------------------- stats


def bucket_counts(today: date) -> list[Any]:
    is_open = A.status.in_(OPEN_STATUSES)
    week_end = today + timedelta(days=7)
    month_ago = datetime.combine(today - timedelta(days=30), datetime.min.time(), tzinfo=UTC)
    return [
        func.count().label("total"),
        func.sum(case((is_open, 1), else_=0)).label("open"),
        func.sum(case((and_(is_open, A.due_date < today), 1), else_=0)).label("overdue"),
        func.sum(
            case((and_(is_open, A.due_date >= today, A.due_date < week_end), 1), else_=0)
        ).label("due_this_week"),
        func.sum(
            case(
                (
                    and_(
                        A.closed_at.is_not(None),
                        A.closed_at >= month_ago,
                        A.status.in_(DONE_STATUSES),
                    ),
                    1,
                ),
                else_=0,
            )
        ).label("done_last_30_days"),
        func.sum(case((A.status == "verified", 1), else_=0)).label("verified"),
        func.sum(case((A.status == "done", 1), else_=0)).label("awaiting_verification"),
        # Actions whose due date was moved later at least once (see action_extension).
        func.sum(case((A.id.in_(select(EXTENSION.c.action_id)), 1), else_=0)).label("slipped"),
    ]


def counts_of(row: RowMapping) -> dict[str, int]:
    return {
        k: int(row[k] or 0)
        for k in (
            "total",
            "open",
            "overdue",
            "due_this_week",
            "done_last_30_days",
            "verified",
            "awaiting_verification",
            "slipped",
        )
    }


def stats(conn: Connection, today: date) -> dict[str, Any]:
    """Totals, per owner and per incident, and the median days to close."""
    live = A.retired.is_(False)
    totals = conn.execute(select(*bucket_counts(today)).where(live)).mappings().one()
    on_time, judged = (
        int(v or 0) for v in conn.execute(select(*on_time_columns(today)).where(live)).one()
    )
    rate = on_time_rate(on_time, judged)
    median = days_to_close(conn)
    per_owner = conn.execute(
        select(A.owner.label("owner"), *bucket_counts(today))
        .where(live)
        .group_by(A.owner)
        .order_by(A.owner)
    ).mappings()
    per_incident = conn.execute(
        select(
            A.incident_id.label("incident_id"),
            I.title.label("incident_title"),
            *bucket_counts(today),
        )
        .select_from(ACTIONS_WITH_INCIDENT)
        .where(live)
        .group_by(A.incident_id, I.title)
        .order_by(A.incident_id)
    ).mappings()
    from tracker.recurrence.store import class_counts

    return {
        "as_of": today.isoformat(),
        **counts_of(totals),
        "median_days_to_close": median,
        "on_time": on_time,
        "on_time_judged": judged,
        "on_time_rate": None if rate is None else round(rate, 3),
        "per_owner": [{"owner": r["owner"], **counts_of(r)} for r in per_owner],
        "per_incident": [
            {"incident_id": r["incident_id"], "incident_title": r["incident_title"], **counts_of(r)}
            for r in per_incident
        ],
        "failure_classes": class_counts(conn),
    }


def incident_rows(conn: Connection, today: date) -> list[dict[str, Any]]:
    """Each incident with its measures' progress."""
    is_open = A.status.in_(OPEN_STATUSES)
    stmt = (
        select(
            I.id,
            I.title,
            I.started_at,
            I.ended_at,
            I.duration_minutes,
            I.source_path,
            func.count(A.id).label("actions"),
            func.sum(case((A.status.in_(CLOSED_STATUSES), 1), else_=0)).label("closed"),
            func.sum(case((and_(is_open, A.due_date < today), 1), else_=0)).label("overdue"),
        )
        .select_from(INCIDENT.outerjoin(ACTION, and_(A.incident_id == I.id, A.retired.is_(False))))
        .where(I.deleted_at.is_(None))  # deleted and merged incidents stay for their history
        .group_by(I.id)
        .order_by(I.id)
    )
    out = []
    for r in conn.execute(stmt).mappings():
        out.append(
            {
                "id": r["id"],
                "title": r["title"],
                "started_at": json_value(r["started_at"]),
                "ended_at": json_value(r["ended_at"]),
                "duration_minutes": r["duration_minutes"],
                "source_path": r["source_path"],
                "actions": int(r["actions"] or 0),
                "closed": int(r["closed"] or 0),
                "overdue": int(r["overdue"] or 0),
            }
        )
    return out


def change_counter(conn: Connection) -> int:
    """A cheap number that grows with every change (events are append-only)."""
    return int(conn.execute(select(func.coalesce(func.max(EVENT.c.id), 0))).scalar_one())
