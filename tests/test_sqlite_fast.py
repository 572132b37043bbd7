"""The SQLite fast path for `list --json` gives exactly what the SQLAlchemy path gives."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from tests.conftest import Cli
from tracker.actions import create_action, transition, update_action
from tracker.db import make_engine, read_engine, session_scope, upgrade
from tracker.models import Action, Incident
from tracker.queries import actions as queries
from tracker.queries import sqlite_fast
from tracker.queries.filters import SORT_KEYS, ActionFilter

TODAY = date(2026, 11, 27)
TITLES = [
    "Add 100% alert_rule",
    "Quote \"this\" and 'that'",
    "Back\\slash",
    "Überwachung für ÄÖÜ",
    "plain",
]


@pytest.fixture
def tracker_db(sqlite_url: str) -> str:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    with session_scope(engine) as s:
        incident = Incident(title="Cache %_ outage", title_key="x", created_at=now, updated_at=now)
        s.add(incident)
        s.flush()
        for n in range(30):
            a = create_action(
                s,
                title=TITLES[n % len(TITLES)] + f" {n}",
                actor="t",
                incident_id=incident.id if n % 3 else None,
                kind=("corrective", "detective", "process")[n % 3],
                priority=f"P{n % 4}",
                owner=(None, "Alice", "bob@example.com")[n % 3],
                due_date=None if n % 7 == 0 else TODAY + timedelta(days=n - 12),
            )
            if n % 5 == 0:
                transition(s, a.id, "done", actor="t", verify_by=TODAY)
            if n % 11 == 0:
                update_action(s, a.id, {"tracking_ref": "acme/app#1"}, actor="t")
        # Timestamps with and without microseconds, and a retired action.
        s.execute(
            update(Action)
            .where(Action.id == 2)
            .values(created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
        )  # type: ignore[arg-type]
        s.execute(update(Action).where(Action.id == 3).values(retired=True))  # type: ignore[arg-type]
    engine.dispose()
    return sqlite_url


FILTERS = [
    ActionFilter(),
    ActionFilter(statuses=("open", "in_progress", "blocked")),
    ActionFilter(overdue=True),
    ActionFilter(due_within=5),
    ActionFilter(overdue=True, due_within=3),
    ActionFilter(owner="alice"),
    ActionFilter(owner="LIC"),
    ActionFilter(owner="bob@other.example"),
    ActionFilter(owner="example.com"),
    ActionFilter(owner="%"),
    ActionFilter(incident_id=1, kinds=("detective", "process"), priorities=("P1", "P2")),
    ActionFilter(text="100%"),
    ActionFilter(text="_"),
    ActionFilter(text="back\\"),
    ActionFilter(text="%_ out"),
    ActionFilter(include_retired=True),
    ActionFilter(ids=(1, 2, 3, 4)),
]


def _both(url: str, f: ActionFilter, **kw: Any) -> tuple[list[str], list[str]]:
    engine = make_engine(url)
    with read_engine(engine).connect() as conn:
        slow = list(queries.iter_action_json(conn, f, TODAY, **kw))
    engine.dispose()
    path = sqlite_fast.sqlite_file(url)
    assert path is not None
    conn2 = sqlite_fast.open_current(path, 1000)
    assert conn2 is not None
    fast = list(sqlite_fast.iter_action_json(conn2, f, TODAY, **kw))
    conn2.close()
    return slow, fast


@pytest.mark.parametrize("f", FILTERS)
def test_same_rows_same_order_same_json_for_every_filter(tracker_db: str, f: ActionFilter) -> None:
    slow, fast = _both(tracker_db, f)
    assert fast == slow


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        ("ali", {"Alice"}),
        ("BOB", {"bob@example.com"}),
        ("bob@elsewhere.example", {"bob@example.com"}),
    ],
)
def test_owner_substring_and_local_part_agree_on_both_paths(
    tracker_db: str, owner: str, expected: set[str]
) -> None:
    import json

    slow, fast = _both(tracker_db, ActionFilter(owner=owner))
    assert fast == slow
    assert {json.loads(row)["owner"] for row in fast} == expected


@pytest.mark.parametrize(
    ("sort", "descending"), itertools.product(sorted(SORT_KEYS), (False, True))
)
def test_same_order_for_every_sort(tracker_db: str, sort: str, descending: bool) -> None:
    slow, fast = _both(
        tracker_db, ActionFilter(include_retired=True), sort=sort, descending=descending, limit=17
    )
    assert fast == slow
    assert len(fast) == 17


def test_timestamps_match_what_show_prints(
    tracker_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, tracker_db)
    listed = {a["id"]: a for a in cli("list", "--all", "--json").json()}
    for action_id in (1, 2):
        shown = cli("show", str(action_id), "--json").json()
        for key in ("created_at", "updated_at", "closed_at", "due_date", "verify_by", "retired"):
            assert listed[action_id][key] == shown[key], key
    assert listed[2]["created_at"] == "2026-01-02T03:04:05Z"


def test_anything_but_a_current_sqlite_file_takes_the_normal_path(
    tracker_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sqlite_fast.sqlite_file(tracker_db)
    assert path is not None
    assert sqlite_fast.sqlite_file(f"sqlite:///{tmp_path / 'missing.db'}") is None
    assert sqlite_fast.sqlite_file("postgresql+psycopg://capa@/capa") is None
    assert sqlite_fast.sqlite_file(tracker_db + "?mode=ro") is None
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'older'")
    assert sqlite_fast.open_current(path, 1000) is None
    # A database that does not exist yet: the normal path creates it and lists nothing.
    fresh = Cli(capsys, f"sqlite:///{tmp_path / 'new' / 'fresh.db'}")("list", "--json")
    assert (fresh.code, fresh.json()) == (0, [])
