"""Domain operations: allowed transitions, history written with every change, stale writers refused."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from tracker.actions import (
    TRANSITIONS,
    ActionError,
    StaleAction,
    TransitionRefused,
    add_note,
    create_action,
    get_action,
    history,
    transition,
    update_action,
)
from tracker.db import session_scope
from tracker.models import Action, Event


def _new(engine: Any, **kw: Any) -> int:
    with session_scope(engine) as s:
        return create_action(s, title=kw.pop("title", "Add an alert"), actor="alice", **kw).id


def test_create_writes_a_created_event(engine: Any) -> None:
    action_id = _new(
        engine, owner="bob", due_date=date(2026, 12, 1), kind="detective", priority="P1"
    )
    with session_scope(engine) as s:
        a = get_action(s, action_id)
        events = history(s, action_id)
    assert (a.status, a.owner, a.kind, a.priority, a.version) == (
        "open",
        "bob",
        "detective",
        "P1",
        1,
    )
    assert [(e.kind, e.actor, e.new_value) for e in events] == [
        ("created", "alice", "Add an alert")
    ]


def test_every_changed_field_is_an_event_and_no_ops_write_nothing(engine: Any) -> None:
    action_id = _new(engine, owner="bob")
    with session_scope(engine) as s:
        update_action(
            s,
            action_id,
            {"owner": "carol", "due_date": date(2027, 1, 5), "priority": "P2"},
            actor="dana",
        )
    with session_scope(engine) as s:
        a = update_action(s, action_id, {"owner": "carol"}, actor="dana")
        events = history(s, action_id)
    changes = {(e.field, e.old_value, e.new_value) for e in events if e.kind == "change"}
    assert changes == {("owner", "bob", "carol"), ("due_date", None, "2027-01-05")}
    assert a.version == 2
    assert json.loads(s.get(Action, action_id).edited_fields) == ["due_date", "owner"]  # type: ignore[union-attr]


def test_the_transition_table_is_enforced(engine: Any) -> None:
    action_id = _new(engine)
    with (
        session_scope(engine) as s,
        pytest.raises(
            TransitionRefused, match="can move to blocked, done, in_progress, wont_do, not verified"
        ),
    ):
        transition(s, action_id, "verified", actor="a")
    for to in ("in_progress", "blocked", "done", "verified", "open"):
        with session_scope(engine) as s:
            assert to in TRANSITIONS[get_action(s, action_id).status]
            transition(s, action_id, to, actor="a")
    with session_scope(engine) as s:
        statuses = [
            (e.old_value, e.new_value) for e in history(s, action_id) if e.field == "status"
        ]
    assert statuses == [
        ("open", "in_progress"),
        ("in_progress", "blocked"),
        ("blocked", "done"),
        ("done", "verified"),
        ("verified", "open"),
    ]


def test_wont_do_needs_a_reason_and_keeps_it(engine: Any) -> None:
    action_id = _new(engine)
    with session_scope(engine) as s, pytest.raises(TransitionRefused, match="needs a reason"):
        transition(s, action_id, "wont_do", actor="a")
    with session_scope(engine) as s:
        a = transition(s, action_id, "wont_do", actor="a", reason="superseded by #9")
    assert (a.status, a.status_reason) == ("wont_do", "superseded by #9")
    assert a.closed_at is not None


def test_done_then_verified_records_who_and_when_and_reopen_clears_it(engine: Any) -> None:
    action_id = _new(engine)
    with session_scope(engine) as s:
        a = transition(s, action_id, "done", actor="bob", verify_by=date(2027, 1, 1))
        assert (a.closed_at is not None, a.verify_by) == (True, date(2027, 1, 1))
        a = transition(s, action_id, "verified", actor="carol")
        assert (a.verified_by, a.verified_at is not None) == ("carol", True)
        a = transition(s, action_id, "open", actor="carol")
    assert (a.closed_at, a.verified_at, a.verified_by) == (None, None, None)


def test_a_stale_writer_is_refused_and_nothing_is_written(engine: Any) -> None:
    action_id = _new(engine)
    with session_scope(engine) as s:
        update_action(s, action_id, {"owner": "bob"}, actor="a", expected_version=1)
    with pytest.raises(StaleAction, match="changed meanwhile"), session_scope(engine) as s:
        update_action(s, action_id, {"owner": "carol"}, actor="b", expected_version=1)
    with session_scope(engine) as s:
        assert get_action(s, action_id).owner == "bob"
        assert len([e for e in history(s, action_id) if e.field == "owner"]) == 1


def test_a_failed_transaction_leaves_no_event(engine: Any) -> None:
    action_id = _new(engine)

    def change_then_die() -> None:
        with session_scope(engine) as s:
            update_action(s, action_id, {"owner": "zed"}, actor="a")
            raise RuntimeError("killed mid-way")

    with pytest.raises(RuntimeError, match="killed mid-way"):
        change_then_die()
    with session_scope(engine) as s:
        assert get_action(s, action_id).owner is None
        assert s.exec(select(Event).where(Event.field == "owner")).all() == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "oops"}, "unknown kind 'oops'"),
        ({"priority": "P9"}, "unknown priority 'P9'"),
        ({"title": "  "}, "needs a title"),
        ({"status": "done"}, "cannot be changed this way"),
    ],
)
def test_bad_values_are_refused_with_the_accepted_ones(
    engine: Any, changes: dict[str, Any], message: str
) -> None:
    action_id = _new(engine)
    with session_scope(engine) as s, pytest.raises(ActionError, match=message):
        update_action(s, action_id, changes, actor="a")


def test_notes_are_history_and_empty_notes_are_refused(engine: Any) -> None:
    action_id = _new(engine)
    with session_scope(engine) as s:
        add_note(s, action_id, "talked to the DB team", actor="a")
        with pytest.raises(ActionError, match="cannot be empty"):
            add_note(s, action_id, "  ", actor="a")
    with session_scope(engine) as s:
        assert [e.note for e in history(s, action_id) if e.kind == "note"] == [
            "talked to the DB team"
        ]
