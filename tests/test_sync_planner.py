"""The pure planner: given both sides and what was last agreed, what happens where."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sync.mapping import ActionRecord, MappingConfig, RemoteIssue, push_fields
from sync.planner import LinkState, PlanContext, SyncPlan, owners_to_resolve, plan_sync

CFG = MappingConfig(instance_id="i")
CTX = PlanContext(
    mapping=CFG,
    users={"alice": "acc-a", "bob": "acc-b"},
    owners_by_ref={"acc-a": "alice", "acc-b": "bob"},
)
ACTION = ActionRecord(id=1, title="Canary", owner="alice", due_date=date(2027, 1, 10))


def agreed(
    action: ActionRecord, *, remote_status: str = "new", owner_ref: str | None = "acc-a"
) -> LinkState:
    """A link whose base says both sides agree on the action as it is."""
    base: dict[str, Any] = {f"f:{k}": v for k, v in push_fields(action, CFG).items()}
    due = action.due_date.isoformat() if action.due_date else None
    base["status"] = {"local": action.status, "remote": remote_status}
    base["owner"] = {"local": action.owner, "remote": owner_ref}
    base["due_date"] = {"local": due, "remote": due}
    return LinkState(action.id, "OPS-1", "10001", base)


def remote(**fields: Any) -> RemoteIssue:
    values: dict[str, Any] = {
        "id": "10001",
        "key": "OPS-1",
        "status": "To Do",
        "category": "new",
        "assignee": "acc-a",
        "duedate": date(2027, 1, 10),
    }
    values.update(fields)
    return RemoteIssue(**values)


def plan(
    action: ActionRecord,
    link: LinkState | None,
    issue: RemoteIssue | None = None,
    ctx: PlanContext = CTX,
) -> SyncPlan:
    links = {action.id: link} if link else {}
    return plan_sync([action], links, {"OPS-1": issue} if issue else {}, ctx)


def test_an_unlinked_action_is_created_with_its_status_to_follow() -> None:
    done = replace(ACTION, status="done")
    result = plan(done, None)
    assert [c.action_id for c in result.creates] == [1]
    create = result.creates[0]
    assert create.transition_to == "done"
    assert create.payload["fields"]["assignee"] == {"accountId": "acc-a"}
    assert create.base["status"]["local"] != "done"  # not agreed until the transition lands


def test_retired_actions_are_not_created_and_push_only_off_creates_nothing() -> None:
    assert plan(replace(ACTION, retired=True), None).creates == []
    assert plan(ACTION, None, ctx=replace(CTX, push=False)).creates == []


def test_nothing_changed_means_nothing_to_do() -> None:
    assert plan(ACTION, agreed(ACTION), remote()).links == []
    assert plan(ACTION, agreed(ACTION)).links == []


def test_a_local_edit_pushes_only_the_changed_fields() -> None:
    link = agreed(ACTION)
    edited = replace(ACTION, title="Canary, 5% first", due_date=date(2027, 2, 1))
    step = plan(edited, link).links[0]
    assert step.fields == {"summary": "Canary, 5% first", "duedate": "2027-02-01"}
    assert "priority" not in step.fields
    assert "labels" not in step.update
    assert step.transition_to is None
    assert not step.has_pull


def test_a_kind_change_moves_labels_with_add_and_remove() -> None:
    step = plan(replace(ACTION, kind="process"), agreed(ACTION)).links[0]
    assert step.update == {"labels": [{"remove": "corrective"}, {"add": "process"}]}


def test_a_local_status_change_becomes_a_transition() -> None:
    step = plan(replace(ACTION, status="done"), agreed(ACTION)).links[0]
    assert step.transition_to == "done"
    blocked = replace(ACTION, status="blocked")
    step = plan(
        blocked, agreed(replace(ACTION, status="in_progress"), remote_status="indeterminate")
    ).links[0]
    assert step.transition_to == "blocked"  # to jira.blocked_status (the engine may fall back)
    assert step.push_base["status"] == {"local": "blocked", "remote": "blocked"}


def test_plans_speak_in_status_names() -> None:
    lines = plan(replace(ACTION, status="in_progress"), agreed(ACTION)).describe()
    assert "move OPS-1 (#1) to In Progress" in lines
    lines = plan(
        replace(ACTION, status="wont_do", status_reason="duplicate"), agreed(ACTION)
    ).describe()
    assert "move OPS-1 (#1) to Done (Won't Do)" in lines
    assert not any("indeterminate" in line for line in lines)


def test_wont_do_and_blocked_pushes_carry_the_reason_as_a_comment() -> None:
    local = replace(ACTION, status="wont_do", status_reason="covered by the new LB")
    step = plan(local, agreed(ACTION)).links[0]
    assert step.comment is not None
    assert "covered by the new LB" in step.comment


def test_blocked_in_jira_pulls_as_blocked() -> None:
    issue = remote(status="Blocked", category="indeterminate")
    step = plan(ACTION, agreed(ACTION), issue).links[0]
    assert step.pull_status == "blocked"


def test_jira_edits_are_pulled() -> None:
    issue = remote(
        status="Done",
        category="done",
        resolution="Done",
        assignee="acc-b",
        duedate=date(2027, 5, 1),
    )
    step = plan(ACTION, agreed(ACTION), issue).links[0]
    assert step.pull_status == "done"
    assert step.pull_changes == {"owner": "bob", "due_date": date(2027, 5, 1)}
    assert not step.has_push


def test_wont_do_in_jira_carries_a_reason() -> None:
    issue = remote(status="Done", category="done", resolution="Won't Do")
    step = plan(ACTION, agreed(ACTION), issue).links[0]
    assert step.pull_status == "wont_do"
    assert step.pull_reason
    assert "Won't Do" in step.pull_reason


def test_conflicts_follow_the_configured_winner() -> None:
    local = replace(ACTION, status="wont_do", due_date=date(2027, 2, 2))
    issue = remote(status="Done", category="done", resolution="Done", duedate=date(2027, 3, 3))
    step = plan(local, agreed(ACTION), issue).links[0]
    by_field = {c.field: c for c in step.conflicts}
    assert by_field["status"].winner == "jira"
    assert step.pull_status == "done"
    assert by_field["due_date"].winner == "tracker"
    assert step.fields["duedate"] == "2027-02-02"
    flipped = replace(CTX, conflict_winner={"status": "tracker", "due_date": "jira"})
    step = plan(local, agreed(ACTION), issue, ctx=flipped).links[0]
    assert step.transition_to == "wont_do"
    assert step.pull_changes == {"due_date": date(2027, 3, 3)}


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    local = replace(ACTION, status="done")
    issue = remote(status="Done", category="done", resolution="Done")
    step = plan(local, agreed(ACTION), issue).links[0]
    assert step.conflicts == []
    assert not step.has_push
    assert not step.has_pull
    assert step.pull_base["status"] == {"local": "done", "remote": "done"}


def test_an_unknown_owner_is_reported_not_fatal() -> None:
    local = replace(ACTION, owner="zed")
    result = plan(local, agreed(ACTION))
    assert any("zed" in w for w in result.warnings)
    step = result.links[0]
    assert step.fields["assignee"] is None  # unassigned, never left with the previous person
    assert step.push_base["owner"]["remote"] is None
    assert step.warning is not None
    assert "zed" in step.warning
    assert owners_to_resolve([local], {1: agreed(ACTION)}) == {"zed"}
    # Not agreed: the next run looks for zed again.
    after = replace(agreed(ACTION), base={**agreed(ACTION).base, "owner": step.push_base["owner"]})
    assert owners_to_resolve([local], {1: after}) == {"zed"}


def test_pull_only_leaves_local_edits_for_later() -> None:
    step_plan = plan(replace(ACTION, title="New"), agreed(ACTION), ctx=replace(CTX, push=False))
    assert step_plan.links == []
