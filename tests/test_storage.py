"""Storage: migrations from an empty database, the schema matches the models, SQLite set-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import tracker.models  # noqa: F401
from tracker.db import current_revision, head_revision, include_name, make_engine, upgrade


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'nested' / 'dir' / 'new.db'}"
    return request.getfixturevalue("pg_cluster").empty_database()


def test_migrations_build_an_empty_database_and_are_idempotent(empty_url: str) -> None:
    engine = make_engine(empty_url)
    assert current_revision(engine) is None
    assert upgrade(engine) is True
    assert current_revision(engine) == head_revision()
    assert upgrade(engine) is False
    tables = set(inspect(engine).get_table_names())
    assert {
        "incident",
        "action",
        "event",
        "reminder",
        "sync_link",
        "meta",
        "lock",
        "alembic_version",
    } <= tables


def test_the_migrated_schema_matches_the_models(engine: Any) -> None:
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), SQLModel.metadata)
    assert diff == []


def test_hot_queries_have_indexes(engine: Any) -> None:
    indexes = {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("action")}
    assert indexes["ix_action_status_due"] == ["status", "due_date"]
    assert indexes["ix_action_owner_status"][0] == "owner"
    assert indexes["ix_action_incident"][0] == "incident_id"
    unique = inspect(engine).get_unique_constraints("reminder")
    assert unique[0]["column_names"] == ["recipient", "channel", "rule", "action_id", "window"]


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000


def test_the_overdue_query_uses_the_status_due_index(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with engine.connect() as conn:
        plan = " ".join(
            str(r[-1])
            for r in conn.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT id FROM action WHERE status IN ('open','in_progress','blocked') AND due_date < '2026-01-01'"
                )
            )
        )
    assert "ix_action_status_due" in plan


def test_the_light_query_schema_matches_the_models() -> None:
    from tracker.models import Action, Event, Incident, table_of
    from tracker.schema import ACTION, EVENT, INCIDENT

    for light, model in ((ACTION, Action), (INCIDENT, Incident)):
        full = table_of(model)
        assert [c.name for c in light.c] == [c.name for c in full.c]
        for c in light.c:
            assert c.type._type_affinity is full.c[c.name].type._type_affinity, c.name
    assert {c.name for c in EVENT.c} <= {c.name for c in table_of(Event).c}


def test_the_actions_transition_table_covers_every_status() -> None:
    from tracker.actions import STATUSES, TRANSITIONS
    from tracker.policy import STATUSES as POLICY_STATUSES

    assert set(STATUSES) == set(POLICY_STATUSES) == set(TRANSITIONS)
    assert all(targets <= set(STATUSES) for targets in TRANSITIONS.values())
