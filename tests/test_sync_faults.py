"""Under injected faults the sync converges: no duplicate issue, no lost change, <= 3 runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sync.engine import SyncSummary
from tests.fakes.jira import FakeJira, Fault
from tests.support.sync_helpers import action, add_actions, issues_by_action, make_ctx, run
from tracker import actions as domain
from tracker.context import AppContext
from tracker.db import session_scope

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("both_backends")

FAULTS = [
    Fault.server_error(500),
    Fault.server_error(503),
    Fault.drop(),
    Fault.apply_then_drop(),
    Fault.rate_limited(retry_after=0),
]


@pytest.fixture
def ctx(tmp_path: Path, site: FakeJira, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    context = make_ctx(tmp_path, site, monkeypatch, max_retries=4)
    context.settings.sync.batch_size = 5
    yield context
    context.close()


def converge(ctx: AppContext, runs: int = 3) -> list[SyncSummary]:
    """Run until a run succeeds; failures of a run are retried by the next one."""
    done: list[SyncSummary] = []
    for _ in range(runs):
        try:
            summary = run(ctx)
        except Exception as exc:  # a whole run may fail (e.g. the login); the next one retries
            done.append(SyncSummary(failures=[{"action_id": None, "key": None, "error": str(exc)}]))
            continue
        done.append(summary)
        if summary.ok:
            break
    return done


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_twenty_percent_faults_converge_without_duplicates_or_lost_changes(
    ctx: AppContext, site: FakeJira, seed: int
) -> None:
    ids = add_actions(ctx, 35, owner="alice@example.com")
    with session_scope(ctx.engine()) as s:  # some are created and then moved
        for action_id in ids[-5:]:
            domain.transition(s, action_id, "done", actor="t")
    site.faults.randomly(0.2, FAULTS, seed=seed)

    runs = converge(ctx)
    assert site.faults.injected, "no fault was injected"
    assert runs[-1].ok, [r.failures for r in runs]
    assert len(runs) <= 3
    counts = issues_by_action(site)
    assert sorted(counts) == ids
    assert all(len(keys) == 1 for keys in counts.values()), counts
    assert all(action(ctx, i).jira_key == counts[i][0] for i in ids)

    # Changes on both sides, then the same faults again.
    jira_side, local_side = ids[:10], ids[10:20]
    for n, action_id in enumerate(jira_side):
        key = counts[action_id][0]
        if n % 2:
            site.transition(key, "Done")
        else:
            site.set_due_date(key, f"2027-10-{n + 1:02d}")
            site.assign(key, "carol")
    with session_scope(ctx.engine()) as s:
        for n, action_id in enumerate(local_side):
            domain.update_action(s, action_id, {"title": f"Revised {n}"}, actor="t")
            domain.transition(s, action_id, "in_progress", actor="t")

    runs = converge(ctx)
    assert runs[-1].ok, [r.failures for r in runs]
    assert len(runs) <= 3
    for n, action_id in enumerate(jira_side):
        view = action(ctx, action_id)
        if n % 2:
            assert view.status == "done"
        else:
            assert view.due_date == date(2027, 10, n + 1)
            assert view.owner == "carol@example.com"
    for n, action_id in enumerate(local_side):
        issue = site.issue(counts[action_id][0])
        assert issue.summary == f"Revised {n}"
        assert issue.status.name == "In Progress"
    for action_id in ids[-5:]:
        assert site.issue(counts[action_id][0]).status.name == "Done"
    assert all(len(keys) == 1 for keys in issues_by_action(site).values())

    # Without faults, the converged state is stable: nothing more to write.
    site.faults.clear()
    site.reset_requests()
    assert run(ctx).ok
    assert site.writes() == []


def test_a_lost_answer_to_a_bulk_create_is_looked_up_not_resent(
    ctx: AppContext, site: FakeJira
) -> None:
    ids = add_actions(ctx, 12)
    site.faults.queue(Fault.apply_then_drop(method="POST", path="bulk"))
    summary = run(ctx)
    assert summary.ok, summary.failures
    counts = issues_by_action(site)
    assert sorted(counts) == ids
    assert all(len(keys) == 1 for keys in counts.values())


@pytest.mark.parametrize("fake_jira", [{"search_lag": 1.5}], indirect=True)
def test_eventual_consistency_is_waited_out_before_the_lookup(
    tmp_path: Path, fake_jira: FakeJira, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = make_ctx(tmp_path, fake_jira, monkeypatch)
    ids = add_actions(ctx, 4)
    fake_jira.faults.queue(Fault.apply_then_drop(method="POST", path="bulk"))
    summary = run(ctx, settle_seconds=2.5)
    assert summary.ok, summary.failures
    assert {k: len(v) for k, v in issues_by_action(fake_jira).items()} == dict.fromkeys(ids, 1)
    ctx.close()
