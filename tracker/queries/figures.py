"""The figures `stats` and the dashboard both show, defined once so that they agree.

- On time: of the actions that were due, the share done by their due date. Done/verified
  actions with a due date count (on time if closed on or before it); open actions already
  past their due date count as late — they cannot be on time any more. Won't-do actions and
  actions without a due date are left out.
- Days to close: from creation to closing, over done/verified actions.

Both leave out actions already done when they were recorded (a measure the post-mortem lists
as done, imported done): they are closed the moment they are created, so their closing time
says nothing about how fast, or how punctually, the team closes actions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Connection

from tracker.policy import median_days_to_close
from tracker.schema import ACTION
from tracker.vocabulary import DONE_STATUSES, OPEN_STATUSES

A = ACTION.c


def on_time_columns(today: date) -> tuple[Any, Any]:
    """(on time, counted) as two SUM columns over the action table."""
    done_with_due = and_(closed_after_creation(), A.due_date.is_not(None))
    # date(closed_at) works on SQLite (text) and PostgreSQL (timestamp) alike.
    on_time = and_(done_with_due, func.date(A.closed_at) <= A.due_date)
    late_open = and_(A.status.in_(OPEN_STATUSES), A.due_date < today)
    return (
        func.sum(case((on_time, 1), else_=0)),
        func.sum(case((done_with_due, 1), (late_open, 1), else_=0)),
    )


def on_time_rate(on_time: int, counted: int) -> float | None:
    """The share on time, or None when nothing was due yet."""
    return on_time / counted if counted else None


def closed_after_creation() -> Any:
    """Done/verified actions that were open for a while (not already done when recorded)."""
    return and_(
        A.status.in_(DONE_STATUSES),
        A.closed_at.is_not(None),
        A.created_at.is_not(None),
        A.closed_at > A.created_at,
    )


def days_to_close(conn: Connection) -> float | None:
    """Median days from creation to closing (see the module docstring for what counts)."""
    pairs = conn.execute(
        select(A.created_at, A.closed_at).where(A.retired.is_(False), closed_after_creation())
    )
    return median_days_to_close((created, closed) for created, closed in pairs)
