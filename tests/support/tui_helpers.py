"""Shared helpers for the dashboard tests: fixed data, a fixed clock, waiting on the app.

No tests here; the other tests/test_tui_*.py import these helpers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from tracker.actions import create_action, transition
from tracker.config import Settings
from tracker.context import AppContext
from tracker.db import session_scope
from tracker.models import Action, Event, Incident, Reminder, SyncLink, table_of

# A Wednesday; every date in the fixed data is relative to it, so snapshots never move.
FIXED_NOW = datetime(2026, 3, 18, 10, 0, tzinfo=UTC)
TODAY = FIXED_NOW.date()
USER = "alice@example.com"
INJECTION = "[bold red]x[/] [@click=app.quit]q \x1b[31m"

# title, incident, owner, priority, kind, due offset (days), status
ACTIONS: list[tuple[str, int, str | None, str, str, int | None, str]] = [
    ("Add a canary stage to the deploy pipeline", 1, USER, "P1", "preventive", -5, "open"),
    (
        "Alert on checkout error rate above 2%",
        1,
        "bob@example.com",
        "P0",
        "detective",
        -1,
        "in_progress",
    ),
    ("Write the payment failover runbook", 1, "carol@example.com", "P2", "process", 3, "open"),
    ("Pin the client library version", 1, USER, "P2", "corrective", 20, "done"),
    ("Rotate the CDN API token automatically", 2, "dan@example.com", "P1", "preventive", 0, "open"),
    ("Purge the cache from the release job", 2, None, "P2", "corrective", 12, "blocked"),
    ("Add a synthetic check for stale prices", 2, USER, "P3", "detective", 40, "verified"),
    (
        "Document ownership of third-party credentials",
        2,
        "bob@example.com",
        "P2",
        "process",
        -12,
        "open",
    ),
    (
        "Test restores from backup every month",
        3,
        "carol@example.com",
        "P1",
        "preventive",
        6,
        "in_progress",
    ),
    ("Throttle the reindex job", 3, USER, "P2", "mitigation", None, "open"),
    ("Retire the legacy search cluster", 3, "dan@example.com", "P3", "corrective", 30, "wont_do"),
    ("Alert on queue depth", 3, "bob@example.com", "P2", "detective", 9, "open"),
]
INCIDENTS = [
    (
        1,
        "Checkout outage after a bad deploy",
        "Payments failed for 42 minutes.",
        "A config flag shipped without a canary.",
    ),
    (
        2,
        "Stale prices served from the CDN",
        "Customers saw old prices for 3 hours.",
        "The purge job used an expired token.",
    ),
    (
        3,
        "Search index corruption",
        "Search returned nothing for 25 minutes.",
        "A reindex ran out of disk.",
    ),
]


def settings(**overrides: Any) -> Settings:
    return Settings(**{"user": USER, **overrides})


def make_ctx(tmp_path: Path, *, fixed: bool = True, **overrides: Any) -> AppContext:
    ctx = AppContext.build(settings(**overrides), db_url=f"sqlite:///{tmp_path / 't.db'}")
    if fixed:
        ctx.fixed_now = FIXED_NOW
    return ctx


def seed(ctx: AppContext, *, actions: list[Any] | None = None) -> dict[str, int]:
    """Insert the fixed incidents and actions, then pin every timestamp to the fixed clock."""
    engine = ctx.engine()
    ids: dict[str, int] = {}
    with session_scope(engine) as s:
        for inc_id, title, impact, cause in INCIDENTS:
            s.add(
                Incident(
                    id=inc_id,
                    title=title,
                    impact=impact,
                    root_cause=cause,
                    started_at=FIXED_NOW - timedelta(days=60 - inc_id * 10, hours=2),
                    ended_at=FIXED_NOW - timedelta(days=60 - inc_id * 10, hours=1),
                    duration_minutes=60,
                    timeline_json=json.dumps(
                        [
                            {
                                "at": (
                                    FIXED_NOW - timedelta(days=60 - inc_id * 10, hours=2)
                                ).isoformat(),
                                "text": "Alerts fired",
                            },
                            {
                                "at": (
                                    FIXED_NOW - timedelta(days=60 - inc_id * 10, hours=1)
                                ).isoformat(),
                                "text": "Rolled back",
                            },
                        ]
                    ),
                    source_path=f"postmortems/incident-{inc_id}.md",
                    created_at=FIXED_NOW - timedelta(days=50),
                    updated_at=FIXED_NOW - timedelta(days=50),
                )
            )
        s.flush()
        for n, (title, inc, owner, pri, kind, due, status) in enumerate(actions or ACTIONS):
            view = create_action(
                s,
                title=title,
                actor="lead@example.com",
                source="import",
                incident_id=inc,
                owner=owner,
                priority=pri,
                kind=kind,
                description=f"Measure {n + 1} from the post-mortem.",
                due_date=TODAY + timedelta(days=due) if due is not None else None,
            )
            ids[title] = view.id
            path = {
                "done": ["done"],
                "verified": ["done", "verified"],
                "wont_do": ["wont_do"],
                "in_progress": ["in_progress"],
                "blocked": ["blocked"],
            }.get(status, [])
            for step in path:
                transition(
                    s,
                    view.id,
                    step,
                    actor=owner or "lead@example.com",
                    reason="superseded by the new cluster"
                    if step in ("wont_do", "blocked")
                    else None,
                )
    _pin_times(ctx)
    return ids


def _pin_times(ctx: AppContext) -> None:
    actions = table_of(Action)
    events = table_of(Event)
    with ctx.engine().begin() as conn:
        rows = conn.execute(actions.select().order_by(actions.c.id)).mappings().all()
        for i, row in enumerate(rows):
            created = FIXED_NOW - timedelta(days=40 - i * 3, hours=1)
            closed = created + timedelta(days=10) if row["closed_at"] is not None else None
            conn.execute(
                update(actions)
                .where(actions.c.id == row["id"])
                .values(created_at=created, updated_at=closed or created, closed_at=closed)
            )
            evs = conn.execute(
                events.select().where(events.c.action_id == row["id"]).order_by(events.c.id)
            ).all()
            for k, ev in enumerate(evs):
                conn.execute(
                    update(events)
                    .where(events.c.id == ev.id)
                    .values(at=created + timedelta(days=k * 5))
                )
        verified = conn.execute(actions.select().where(actions.c.status == "verified")).all()
        for row in verified:
            conn.execute(
                update(actions).where(actions.c.id == row.id).values(verified_at=row.closed_at)
            )


def add_reminder_and_link(ctx: AppContext, action_id: int) -> None:
    with session_scope(ctx.engine()) as s:
        s.add(
            Reminder(
                action_id=action_id,
                recipient=USER,
                channel="email",
                rule="overdue",
                window="2026-03-16",
                status="sent",
                created_at=FIXED_NOW - timedelta(days=2),
                sent_at=FIXED_NOW - timedelta(days=2),
            )
        )
        s.add(
            SyncLink(
                action_id=action_id,
                jira_key="OPS-42",
                pushed_at=FIXED_NOW - timedelta(days=1),
                pulled_at=FIXED_NOW - timedelta(hours=3),
                last_error="HTTP 503 from Jira",
                last_error_at=FIXED_NOW - timedelta(hours=3),
            )
        )
        s.execute(
            update(table_of(Action))
            .where(table_of(Action).c.id == action_id)
            .values(jira_key="OPS-42")
        )


async def wait_for(pilot: Any, condition: Callable[[], Any], timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds (workers finish, messages land)."""
    loops = int(timeout / 0.02)
    for _ in range(loops):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {condition}")


def notifications(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


def db_action(ctx: AppContext, action_id: int) -> dict[str, Any]:
    with ctx.engine().connect() as conn:
        row = (
            conn.execute(table_of(Action).select().where(table_of(Action).c.id == action_id))
            .mappings()
            .one()
        )
        return dict(row)


def db_events(ctx: AppContext, action_id: int) -> list[dict[str, Any]]:
    events = table_of(Event)
    with ctx.engine().connect() as conn:
        return [
            dict(r)
            for r in conn.execute(
                events.select().where(events.c.action_id == action_id).order_by(events.c.id)
            ).mappings()
        ]


def due(days: int) -> date:
    return TODAY + timedelta(days=days)
