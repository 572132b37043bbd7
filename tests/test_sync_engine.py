"""The sync over real HTTP: the real `jira` library against the fake Jira, Cloud and Data Center."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from sync.errors import SyncLockedError
from sync.lock import SyncLock
from tests.fakes.jira import FakeJira, Fault
from tests.support.sync_helpers import (
    action,
    add_action,
    add_actions,
    add_incident,
    history,
    issues_by_action,
    run,
)
from tracker import actions as domain
from tracker.context import AppContext
from tracker.db import session_scope
from tracker.models import SyncLink, table_of

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("both_backends")


def edit(ctx: AppContext, action_id: int, **changes: Any) -> None:
    with session_scope(ctx.engine()) as s:
        domain.update_action(s, action_id, changes, actor="alice", source="cli")


def move(ctx: AppContext, action_id: int, to: str, reason: str | None = None) -> None:
    with session_scope(ctx.engine()) as s:
        domain.transition(s, action_id, to, actor="alice", source="cli", reason=reason)


def db_rows(ctx: AppContext) -> dict[str, list[Any]]:
    from tracker.models import Action, Event, Meta

    with ctx.engine().connect() as conn:
        return {
            m.__name__: [tuple(r) for r in conn.execute(select(table_of(m)))]
            for m in (Action, Event, Meta, SyncLink)
        }


def test_first_sync_creates_one_issue_per_action_with_the_right_fields(
    ctx: AppContext, site: FakeJira
) -> None:
    incident = add_incident(ctx, "Checkout outage", root_cause="Expired cert [~accountid:x]")
    first = add_action(
        ctx,
        "Renew certificates automatically",
        incident_id=incident,
        description="Use {code}certbot{code} and see [docs|http://x]",
        kind="preventive",
        priority="P1",
        owner="alice@example.com",
        due_date=date(2027, 2, 1),
    )
    second = add_action(ctx, "Page on expiry", incident_id=incident, priority="P3")
    closed = add_action(ctx, "Rotate now", incident_id=incident, status="done")

    summary = run(ctx)

    assert summary.ok, summary.failures
    assert sorted(c["action_id"] for c in summary.created) == [first, second, closed]
    assert {k: len(v) for k, v in issues_by_action(site).items()} == {
        first: 1,
        second: 1,
        closed: 1,
    }
    key = action(ctx, first).jira_key
    assert key is not None
    issue = site.issue(key)
    assert issue.summary == "Renew certificates automatically"
    assert issue.priority.name == "High"
    assert issue.duedate == "2027-02-01"
    assert issue.assignee is not None
    assert issue.assignee.email == "alice@example.com"
    assert set(issue.labels) == {"capa-tracker", "preventive", f"capa-{first}"}
    assert issue.description is not None
    assert "\\{code\\}" in issue.description
    assert "[docs|" not in issue.description
    assert "[~accountid:" not in issue.description
    assert "Checkout outage" in issue.description
    assert issue.properties["capa-tracker.action"]["action_id"] == first
    assert site.issue(str(action(ctx, second).jira_key)).priority.name == "Low"
    assert site.issue(str(action(ctx, closed).jira_key)).status.name == "Done"
    bulk = [r for r in site.requests if r.path.endswith("/issue/bulk")]
    assert len(bulk) == 1


def test_a_second_sync_without_changes_writes_nothing(ctx: AppContext, site: FakeJira) -> None:
    add_actions(ctx, 7, owner="bob@example.com")
    assert run(ctx).ok
    site.reset_requests()
    before = db_rows(ctx)

    summary = run(ctx)

    assert summary.ok
    assert summary.created == summary.updated == summary.pulled == []
    assert site.writes() == []
    assert site.request_count <= 3
    after = db_rows(ctx)
    assert after["Action"] == before["Action"]
    assert after["Event"] == before["Event"]


def test_local_edits_reach_jira_with_only_the_changed_fields(
    ctx: AppContext, site: FakeJira
) -> None:
    [first, _] = add_actions(ctx, 2)
    assert run(ctx).ok
    edit(
        ctx,
        first,
        title="Measure zero, revised",
        due_date=date(2027, 6, 30),
        owner="carol@example.com",
    )
    move(ctx, first, "in_progress")
    site.reset_requests()

    summary = run(ctx)

    assert summary.ok, summary.failures
    key = str(action(ctx, first).jira_key)
    issue = site.issue(key)
    assert issue.summary == "Measure zero, revised"
    assert issue.duedate == "2027-06-30"
    assert issue.assignee is not None
    assert issue.assignee.name == "carol"
    assert issue.status.name == "In Progress"
    edits = [r for r in site.writes() if r.method == "PUT"]
    assert len(edits) == 1
    sent = edits[0].json()["fields"]
    assert set(sent) == {"summary", "duedate", "assignee"}


def test_jira_edits_come_back_as_events_from_jira(ctx: AppContext, site: FakeJira) -> None:
    [first, second] = add_actions(ctx, 2)
    assert run(ctx).ok
    key = str(action(ctx, first).jira_key)
    site.assign(key, "bob")
    site.set_due_date(key, "2027-09-09")
    site.transition(str(action(ctx, second).jira_key), "Done")

    summary = run(ctx)

    assert summary.ok, summary.failures
    assert action(ctx, first).owner == "bob@example.com"
    assert action(ctx, first).due_date == date(2027, 9, 9)
    done = action(ctx, second)
    assert done.status == "done"
    assert done.closed_at is not None
    jira_events = [e for e in history(ctx, first) if e.source == "jira"]
    assert {e.field for e in jira_events} == {"owner", "due_date"}
    site.reset_requests()
    assert run(ctx).ok
    assert site.writes() == []  # nothing echoes back to Jira


def test_wont_do_both_ways(ctx: AppContext, site: FakeJira) -> None:
    [first, second] = add_actions(ctx, 2)
    assert run(ctx).ok
    move(ctx, first, "wont_do", reason="superseded by the new platform")
    assert run(ctx).ok
    issue = site.issue(str(action(ctx, first).jira_key))
    assert issue.status.name == "Done"
    assert issue.resolution == "Won't Do"

    # In Jira: resolve the other one as Won't Do through the API.
    key = str(action(ctx, second).jira_key)
    site.store.transition(
        key,
        {"transition": {"id": "731"}, "fields": {"resolution": {"name": "Won't Do"}}},
        site.user("bob"),
    )
    assert run(ctx).ok
    view = action(ctx, second)
    assert view.status == "wont_do"
    assert view.status_reason is not None
    assert "Won't Do" in view.status_reason


def test_a_conflict_is_resolved_as_configured_and_recorded(ctx: AppContext, site: FakeJira) -> None:
    [first] = add_actions(ctx, 1)
    assert run(ctx).ok
    key = str(action(ctx, first).jira_key)
    # Both sides change status and due date.
    move(ctx, first, "blocked", reason="waiting for vendor")
    edit(ctx, first, due_date=date(2027, 4, 4))
    site.transition(key, "Done")
    site.set_due_date(key, "2027-05-05")

    summary = run(ctx)

    assert summary.ok, summary.failures
    assert {c["field"]: c["winner"] for c in summary.conflicts} == {
        "status": "jira",
        "due_date": "tracker",
    }
    view = action(ctx, first)
    assert view.status == "done"  # Jira wins the status
    assert view.due_date == date(2027, 4, 4)  # the tracker wins the due date
    assert site.issue(key).duedate == "2027-04-04"
    conflicts = [e for e in history(ctx, first) if e.kind == "conflict"]
    assert {e.field for e in conflicts} == {"status", "due_date"}
    site.reset_requests()
    assert run(ctx).ok
    assert site.writes() == []


def test_dry_run_changes_nothing_on_either_side(ctx: AppContext, site: FakeJira) -> None:
    [first, _] = add_actions(ctx, 2)
    assert run(ctx).ok
    edit(ctx, first, title="Changed here")
    site.transition(str(action(ctx, first).jira_key), "Done")
    add_actions(ctx, 1)
    before = db_rows(ctx)
    issues_before = [(i.key, i.summary, i.status.name, i.updated) for i in site.issues()]
    site.reset_requests()

    summary = run(ctx, dry_run=True)

    assert summary.dry_run
    assert any(line.startswith("create #") for line in summary.plan)
    assert any("summary" in line for line in summary.plan)
    assert any("status done" in line for line in summary.plan)
    assert site.writes() == []
    assert db_rows(ctx) == before
    assert [(i.key, i.summary, i.status.name, i.updated) for i in site.issues()] == issues_before


def test_a_400_for_one_issue_marks_its_link_and_the_rest_go_on(
    ctx: AppContext, site: FakeJira
) -> None:
    ids = add_actions(ctx, 3)
    # A priority this site does not know: Jira refuses that one issue.
    with session_scope(ctx.engine()) as s:
        domain.update_action(s, ids[1], {"priority": "P0"}, actor="t")
    ctx.settings.jira.priority_map["P0"] = "Blocker"

    summary = run(ctx)

    assert not summary.ok
    assert [f["action_id"] for f in summary.failures] == [ids[1]]
    assert sorted(c["action_id"] for c in summary.created) == [ids[0], ids[2]]
    with ctx.engine().connect() as conn:
        link = (
            conn.execute(select(table_of(SyncLink)).where(table_of(SyncLink).c.action_id == ids[1]))
            .mappings()
            .one()
        )
    assert link["jira_key"] is None
    assert "Priority" in link["last_error"]
    ctx.settings.jira.priority_map["P0"] = "Highest"
    assert run(ctx).ok
    assert len(issues_by_action(site)) == 3


def test_rate_limits_are_waited_out_and_5xx_retried(ctx: AppContext, site: FakeJira) -> None:
    add_actions(ctx, 3)
    site.faults.queue(
        Fault.rate_limited(retry_after=1, path="search|bulk"),
        Fault.server_error(503, method="GET"),
    )
    summary = run(ctx)
    assert summary.ok, summary.failures
    assert len(issues_by_action(site)) == 3
    assert site.faults.pending == 0


def test_the_lock_refuses_a_second_concurrent_sync(ctx: AppContext, site: FakeJira) -> None:
    add_actions(ctx, 1)
    with SyncLock(ctx.engine()), pytest.raises(SyncLockedError, match="another sync is running"):
        run(ctx)
    assert site.writes() == []
    assert run(ctx).ok


def test_pull_only_and_push_only(ctx: AppContext, site: FakeJira) -> None:
    [first] = add_actions(ctx, 1)
    assert run(ctx).ok
    key = str(action(ctx, first).jira_key)
    edit(ctx, first, title="Local title")
    site.set_due_date(key, "2027-08-08")
    site.advance_clock(timedelta(seconds=1))

    assert run(ctx, pull_only=True).ok
    assert action(ctx, first).due_date == date(2027, 8, 8)
    assert site.issue(key).summary != "Local title"
    assert run(ctx, push_only=True).ok
    assert site.issue(key).summary == "Local title"


def test_the_reminders_comment_client_posts_to_the_issue(ctx: AppContext, site: FakeJira) -> None:
    from sync.client import build_comment_client

    [first] = add_actions(ctx, 1)
    assert run(ctx).ok
    key = str(action(ctx, first).jira_key)
    build_comment_client(ctx.settings).add_comment(key, "Due in 3 days.")
    assert [c.body for c in site.issue(key).comments] == ["Due in 3 days."]
