"""The dashboard's trigram search index (SQLite) follows every write and finds what LIKE finds."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text

from tracker.actions import create_action, update_action
from tracker.db import make_engine, read_engine, session_scope, upgrade
from tracker.models import Incident, utcnow
from tracker.queries.dashboard import PageRequest, fetch_page
from tracker.queries.filters import ActionFilter

TODAY = date(2026, 11, 27)


def _ids(engine: Any, query: str) -> set[int]:
    with read_engine(engine).connect() as conn:
        rows = fetch_page(conn, PageRequest(filter=ActionFilter(text=query), limit=500), TODAY)
    return {r["id"] for r in rows}


def _like_ids(engine: Any, query: str) -> set[int]:
    pattern = f"%{query.lower()}%"
    sql = text(
        "SELECT a.id FROM action a LEFT JOIN incident i ON i.id = a.incident_id WHERE a.retired IS 0 AND "
        "(lower(a.title) LIKE :p OR lower(a.owner) LIKE :p OR lower(a.jira_key) LIKE :p OR lower(i.title) LIKE :p)"
    )
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(sql, {"p": pattern})}


def test_the_index_follows_inserts_updates_renames_and_deletes(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    now = utcnow()
    with session_scope(engine) as s:
        incident = Incident(
            title="Kafka rebalance storm", title_key="k", created_at=now, updated_at=now
        )
        s.add(incident)
        s.flush()
        first = create_action(
            s, title="Pin consumer group ids", actor="t", incident_id=incident.id, owner="dana"
        ).id
        second = create_action(s, title="Alert on 100% lag_growth", actor="t").id
    assert _ids(engine, "consumer") == {first}
    assert _ids(engine, "rebalance") == {first}  # through the incident title
    assert _ids(engine, "DANA") == {first}  # case-insensitive, owner field
    assert _ids(engine, "100% lag_") == {second}  # % and _ are literal
    with session_scope(engine) as s:
        update_action(s, first, {"owner": "erin", "title": "Pin the consumer group ids"}, actor="t")
        s.execute(text("UPDATE action SET jira_key = 'OPS-77' WHERE id = :i"), {"i": second})
        s.execute(text("UPDATE incident SET title = 'Kafka partition storm'"))
    assert _ids(engine, "dana") == set()
    assert _ids(engine, "erin") == {first}
    assert _ids(engine, "ops-77") == {second}
    assert _ids(engine, "rebalance") == set()
    assert _ids(engine, "partition") == {first}
    assert _ids(engine, "consumer group ids erin") == set()  # no match across two fields
    with session_scope(engine) as s:
        s.execute(text("DELETE FROM action WHERE id = :i"), {"i": second})
    assert _ids(engine, "lag_growth") == set()
    engine.dispose()


def test_search_finds_what_like_finds(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    now = utcnow()
    words = ["disk", "alert", "runbook", "failover", "quota", "cache", "token", "dns"]
    with session_scope(engine) as s:
        inc = Incident(title="Storage outage", title_key="s", created_at=now, updated_at=now)
        s.add(inc)
        s.flush()
        for n in range(60):
            create_action(
                s,
                title=f"{words[n % 8]} {words[(n * 3) % 8]} step {n}",
                actor="t",
                incident_id=inc.id if n % 2 else None,
                owner=f"owner{n % 5}",
            )
    for query in (
        "disk",
        "alert run",
        "step 1",
        "owner3",
        "storage",
        "cache quota",
        "nothing here",
    ):
        assert _ids(engine, query) == _like_ids(engine, query), query
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM action_search")).scalar_one() == 60
    engine.dispose()
