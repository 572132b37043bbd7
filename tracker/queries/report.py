"""The weekly report's figures: one read of the database, plain JSON-ready values.

The totals come from the same bucket expressions as `stats` (tracker.queries.actions), so the
report and `stats --json` agree on the same data; the rest is about the period: what was
opened, closed, verified and slipped since a date, and the day-by-day series the charts draw.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.engine import Connection

from tracker.policy import median_days_to_close
from tracker.queries.actions import (
    ACTIONS_WITH_INCIDENT,
    bucket_counts,
    counts_of,
    json_value,
)
from tracker.queries.figures import closed_after_creation
from tracker.schema import ACTION, EXTENSION, INCIDENT
from tracker.vocabulary import CLOSED_STATUSES, DONE_STATUSES, OPEN_STATUSES

A = ACTION.c
I = INCIDENT.c  # noqa: E741
X = EXTENSION.c
PRIORITIES = ("P0", "P1", "P2", "P3")
# A series longer than this many days is drawn by week.
DAILY_UP_TO = 62


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def _day_sql(column: Any, dialect: str) -> Any:
    """A stored UTC timestamp or date as its 'YYYY-MM-DD' text, in SQL (NULL stays NULL)."""
    if dialect == "sqlite":
        # SQLite keeps naive UTC text ('2026-12-02 10:00:00.000000') and dates as ISO text.
        return func.substr(column, 1, 10)
    if column.type.__class__.__name__ == "Date":
        return func.to_char(column, "YYYY-MM-DD")
    return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")


def build_report(
    conn: Connection,
    today: date,
    since: date,
    *,
    team: str | None = None,
    due_days: Mapping[str, int],
    recurring: list[dict[str, Any]] | None = None,
    failure_classes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Every figure of the report for the period [since, today], optionally one team's."""
    live: list[Any] = [A.retired.is_(False)]
    if team:
        live.append(func.lower(A.team) == team.lower())
    start = _midnight(since)
    # One scan for the totals (the stats buckets) and the period's counts.
    row = (
        conn.execute(
            select(
                *bucket_counts(today),
                func.sum(case((A.created_at >= start, 1), else_=0)).label("opened"),
                func.sum(
                    case((and_(A.closed_at >= start, A.status.in_(DONE_STATUSES)), 1), else_=0)
                ).label("closed_done"),
                func.sum(
                    case((and_(A.closed_at >= start, A.status == "wont_do"), 1), else_=0)
                ).label("closed_wont_do"),
                func.sum(case((A.verified_at >= start, 1), else_=0)).label("verified_in_period"),
                func.sum(case((and_(A.status == "done", A.verify_by < today), 1), else_=0)).label(
                    "verification_overdue"
                ),
            ).where(*live)
        )
        .mappings()
        .one()
    )
    totals, period = row, row
    # As `stats` (tracker/queries/figures.py): actions done when recorded are left out.
    closed_pairs = conn.execute(
        select(A.created_at, A.closed_at).where(*live, closed_after_creation())
    )
    median = median_days_to_close((c, d) for c, d in closed_pairs if c and d)
    return {
        "as_of": today.isoformat(),
        "since": since.isoformat(),
        "team": team,
        "totals": {**counts_of(totals), "median_days_to_close": median},
        "period": {
            "opened": int(period["opened"] or 0),
            "closed": int(period["closed_done"] or 0) + int(period["closed_wont_do"] or 0),
            "done": int(period["closed_done"] or 0),
            "wont_do": int(period["closed_wont_do"] or 0),
        },
        "verification": {
            "verified_in_period": int(period["verified_in_period"] or 0),
            "awaiting": int(totals["awaiting_verification"] or 0),
            "overdue": int(period["verification_overdue"] or 0),
        },
        "by_owner": _open_by(conn, A.owner, "owner", live, today),
        "by_team": _open_by(conn, A.team, "team", live, today),
        "slips": _slips(conn, live, start),
        "time_to_close": _time_to_close(conn, live, start, due_days),
        "incidents": _incidents(conn, live, today),
        "recurring": recurring or [],
        "failure_classes": failure_classes or [],
        "series": _series(conn, live, since, today),
    }


def _open_by(
    conn: Connection, column: Any, name: str, live: list[Any], today: date
) -> list[dict[str, Any]]:
    is_open = A.status.in_(OPEN_STATUSES)
    rows = conn.execute(
        select(
            column.label(name),
            func.sum(case((is_open, 1), else_=0)).label("open"),
            func.sum(case((and_(is_open, A.due_date < today), 1), else_=0)).label("overdue"),
        )
        .where(*live)
        .group_by(column)
        .order_by(column)
    ).mappings()
    out = [
        {name: r[name], "open": int(r["open"] or 0), "overdue": int(r["overdue"] or 0)}
        for r in rows
    ]
    return [r for r in out if r["open"]]


def _slips(conn: Connection, live: list[Any], start: datetime) -> dict[str, Any]:
    rows = conn.execute(
        select(
            X.action_id,
            X.at,
            X.actor,
            X.old_due,
            X.new_due,
            X.days_added,
            X.reason,
            A.title,
            A.owner,
        )
        .select_from(EXTENSION.join(ACTION, A.id == X.action_id))
        .where(*live, X.at >= start)
        .order_by(X.at, X.id)
    ).mappings()
    items = [
        {
            "action_id": r["action_id"],
            "title": r["title"],
            "owner": r["owner"],
            "at": json_value(r["at"]),
            "old_due": json_value(r["old_due"]),
            "new_due": json_value(r["new_due"]),
            "days_added": int(r["days_added"]),
            "reason": r["reason"],
            "actor": r["actor"],
        }
        for r in rows
    ]
    return {
        "count": len(items),
        "actions": len({i["action_id"] for i in items}),
        "days_added": sum(i["days_added"] for i in items),
        "items": items,
    }


def _time_to_close(
    conn: Connection, live: list[Any], start: datetime, due_days: Mapping[str, int]
) -> list[dict[str, Any]]:
    """Per priority, the actions done in the period: median days to close against the SLO."""
    pairs: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for priority, created, closed in conn.execute(
        select(A.priority, A.created_at, A.closed_at).where(
            *live, A.closed_at >= start, closed_after_creation()
        )
    ):
        pairs[priority].append((created, closed))
    out = []
    for priority in PRIORITIES:
        done = pairs.get(priority, [])
        slo = due_days.get(priority)
        within = sum(
            1 for c, d in done if slo is not None and (d - c).total_seconds() <= slo * 86400
        )
        out.append(
            {
                "priority": priority,
                "slo_days": slo,
                "closed": len(done),
                "median_days": median_days_to_close(done),
                "within_slo": within,
                "within_slo_pct": round(100 * within / len(done)) if done else None,
            }
        )
    return out


def _incidents(conn: Connection, live: list[Any], today: date) -> list[dict[str, Any]]:
    is_open = A.status.in_(OPEN_STATUSES)
    rows = conn.execute(
        select(
            I.id,
            I.title,
            I.started_at,
            func.count().label("actions"),
            func.sum(case((A.status.in_(CLOSED_STATUSES), 1), else_=0)).label("closed"),
            func.sum(case((A.status == "verified", 1), else_=0)).label("verified"),
            func.sum(case((and_(is_open, A.due_date < today), 1), else_=0)).label("overdue"),
        )
        .select_from(ACTIONS_WITH_INCIDENT)
        .where(*live, A.incident_id.is_not(None))
        .group_by(I.id, I.title, I.started_at)
        .order_by(I.id)
    ).mappings()
    return [
        {
            "incident_id": r["id"],
            "title": r["title"],
            "started_at": json_value(r["started_at"]),
            "actions": int(r["actions"]),
            "closed": int(r["closed"] or 0),
            "verified": int(r["verified"] or 0),
            "overdue": int(r["overdue"] or 0),
        }
        for r in rows
    ]


def _series(conn: Connection, live: list[Any], since: date, today: date) -> dict[str, Any]:
    """Open, closed, overdue and slips at the end of each day (or week) of the period.

    One pass over the actions alive during the period: each adds +1/-1 at the days its
    open (and overdue) interval starts and ends, and a running sum gives each day's count.
    """
    days = (today - since).days + 1
    step = 1 if days <= DAILY_UP_TO else 7
    opened = [0] * (days + 1)
    open_delta = [0] * (days + 1)
    overdue_delta = [0] * (days + 1)
    closed = [0] * (days + 1)

    def index(day: date) -> int:
        return min(max((day - since).days, 0), days)

    # Grouped in SQL by day (days before the period folded into its first day, due dates
    # after it into its last): a few thousand groups instead of every action.
    dialect = conn.dialect.name
    first, last = since.isoformat(), today.isoformat()
    before = (since - timedelta(days=1)).isoformat()
    cday = _day_sql(A.created_at, dialect)
    eday = _day_sql(A.closed_at, dialect)
    dday = _day_sql(A.due_date, dialect)
    c = case((cday < first, first), else_=cday)
    d = case((dday < before, before), (dday > last, last), else_=dday)
    grouped = select(c.label("c"), eday.label("e"), d.label("d"), func.count().label("n")).where(
        *live,
        A.created_at < _midnight(today + timedelta(days=1)),
        or_(A.closed_at.is_(None), A.closed_at >= _midnight(since)),
    )
    by_label: tuple[Any, ...] = (literal_column("c"), literal_column("e"), literal_column("d"))
    for c_text, e_text, d_text, n in conn.execute(grouped.group_by(*by_label)):
        created = date.fromisoformat(c_text)
        end = date.fromisoformat(e_text) if e_text else None  # open until the day it closed
        due = date.fromisoformat(d_text) if d_text else None
        lo = index(created)
        hi = index(end) if end is not None else days
        if end is not None and end >= since:
            closed[index(end)] += n
        if hi > lo:
            open_delta[lo] += n
            open_delta[hi] -= n
        if due is not None and due + timedelta(days=1) <= today:
            o = index(max(created, due + timedelta(days=1)))
            if hi > o:
                overdue_delta[o] += n
                overdue_delta[hi] -= n
    tomorrow = _midnight(today + timedelta(days=1))
    for o_text, n in conn.execute(
        select(cday.label("c"), func.count())
        .where(*live, A.created_at >= _midnight(since), A.created_at < tomorrow)
        .group_by(literal_column("c"))
    ):
        opened[index(date.fromisoformat(o_text))] += n
    slipped = [0] * (days + 1)
    xday = _day_sql(X.at, dialect)
    for x_text, n in conn.execute(
        select(xday.label("c"), func.count())
        .select_from(EXTENSION.join(ACTION, A.id == X.action_id))
        .where(*live, X.at >= _midnight(since), X.at < tomorrow)
        .group_by(literal_column("c"))
    ):
        slipped[index(date.fromisoformat(x_text))] += n
    labels: list[str] = []
    series: dict[str, list[int]] = {k: [] for k in ("open", "overdue", "opened", "closed", "slips")}
    running_open = running_overdue = 0
    bucket: dict[str, int] = defaultdict(int)
    for i in range(days):
        running_open += open_delta[i]
        running_overdue += overdue_delta[i]
        bucket["opened"] += opened[i]
        bucket["closed"] += closed[i]
        bucket["slips"] += slipped[i]
        if (days - 1 - i) % step == 0:
            labels.append((since + timedelta(days=i)).isoformat())
            series["open"].append(running_open)
            series["overdue"].append(running_overdue)
            for key in ("opened", "closed", "slips"):
                series[key].append(bucket[key])
            bucket.clear()
    return {"step_days": step, "dates": labels, **series}
