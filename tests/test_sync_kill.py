"""A sync killed at random points (SIGKILL, in a subprocess) never leaves a duplicate issue.

The fakes run in this process; each `capa-tracker sync` is killed at a random moment after it
starts talking to Jira, while it creates issues in batches of 5. Latency, slow and lost answers
(`apply_then_drop`) and a short settle wait widen the window between Jira creating an issue and
the tracker committing its key. Five independent lanes (own site, own database) run side by
side so that 50 kills fit in about a minute despite each process's start-up time.

The test asserts what a user sees: never a duplicate issue, and after a clean run every action
has exactly one issue, linked. How long it takes and how many runs were killed mid-sync depend
on the machine; bench/bench_sync_kill.py prints those figures.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlmodel import select

from tests.fakes.jira import FakeJira, Fault
from tests.support.sync_helpers import TOKEN_ENV, add_actions, issues_by_action
from tracker.config import Settings
from tracker.context import AppContext
from tracker.db import session_scope
from tracker.models import SyncLink

REPO = Path(__file__).resolve().parents[1]
CAPA = str(Path(sys.executable).with_name("capa-tracker"))
LANES = 5
KILLS_PER_LANE = 10


def config(tmp_path: Path, site: FakeJira) -> Path:
    path = tmp_path / "kill.toml"
    path.write_text(
        f'[jira]\nurl = "{site.url}"\ndeployment = "cloud"\nemail = "{site.basic_auth[0]}"\n'
        f'token_env = "{TOKEN_ENV}"\nproject = "OPS"\nmax_retries = 2\ntimeout_seconds = 3\n'
        "[sync]\nbatch_size = 5\n",
        encoding="utf-8",
    )
    return path


def linked(ctx: AppContext) -> dict[int, str]:
    with session_scope(ctx.engine(), write=False) as s:
        rows = s.exec(select(SyncLink).where(SyncLink.jira_key != None))  # noqa: E711
        return {link.action_id: str(link.jira_key) for link in rows}


@dataclass
class Lane:
    number: int
    folder: Path
    db_url: str
    kills: int = 0
    orphaned: int = 0  # issues created by a run that died before committing their key
    actions: int = 0
    errors: list[str] = field(default_factory=list)

    def run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # reported by the test thread
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def _run(self) -> None:
        rng = random.Random(1000 + self.number)
        db_url = self.db_url
        ctx = AppContext.build(Settings(), db_url=db_url)
        with FakeJira(deployment="cloud") as site:
            site.faults.set_latency(0.01)
            site.faults.randomly(
                0.4,
                [Fault.slow(0.2), Fault.apply_then_drop(), Fault.apply_then_drop()],
                seed=self.number,
                method="POST",
                path="bulk",
            )
            env = dict(os.environ)
            # After a lost answer the sync waits this long for Jira's search before it looks
            # the markers up: the created-but-not-committed window a kill has to hit.
            env.update(
                {TOKEN_ENV: site.basic_auth[1], "CAPA_TRACKER_SYNC__SEARCH_SETTLE_SECONDS": "0.2"}
            )
            command = [CAPA, "--config", str(config(self.folder, site)), "--db", db_url, "sync"]
            add_actions(ctx, 10)
            self.actions = 10
            for _ in range(KILLS_PER_LANE):
                add_actions(ctx, 6)  # every run has creates to do
                self.actions += 6
                before = site.request_count
                proc = subprocess.Popen(
                    command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                deadline = time.monotonic() + 20
                while site.request_count == before and proc.poll() is None:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.005)
                time.sleep(rng.uniform(0.0, 0.6))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    self.kills += 1
                proc.wait()
                counts = issues_by_action(site)
                duplicates = {a: k for a, k in counts.items() if len(k) > 1}
                if duplicates:
                    raise AssertionError(f"duplicate issues after a kill: {duplicates}")
                self.orphaned += len(set(counts) - set(linked(ctx)))

            site.faults.clear()
            final = subprocess.run(
                command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60
            )
            if final.returncode != 0:
                raise AssertionError(f"final sync failed: {final.stderr[-2000:]}")
            counts = issues_by_action(site)
            links = linked(ctx)
            if len(counts) != self.actions or any(len(k) != 1 for k in counts.values()):
                raise AssertionError(f"{len(counts)} actions in Jira, {self.actions} expected")
            if {a: keys[0] for a, keys in counts.items()} != links:
                raise AssertionError("links and issues disagree")
        ctx.close()


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_sync_killed_at_random_points_never_duplicates(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    def lane_url(folder: Path) -> str:
        if backend == "sqlite":
            return f"sqlite:///{folder}/kill.db"
        return str(request.getfixturevalue("pg_cluster").new_database())

    lanes = run_lanes(tmp_path, lane_url)

    # Every lane checked after each kill that no action has two issues, and at the end that
    # every action has exactly one issue and its link names it.
    assert [e for lane in lanes for e in lane.errors] == []
    assert sum(lane.actions for lane in lanes) == LANES * (10 + 6 * KILLS_PER_LANE)


def run_lanes(folder: Path, lane_url: Callable[[Path], str]) -> list[Lane]:
    """Run the kill loop in LANES threads (each its own fake site and database)."""
    lanes = [Lane(n, folder / f"lane{n}", lane_url(folder / f"lane{n}")) for n in range(LANES)]
    for lane in lanes:  # migrations are not thread-safe: create the databases first
        lane.folder.mkdir()
        AppContext.build(Settings(), db_url=lane.db_url).engine().dispose()
    threads = [threading.Thread(target=lane.run) for lane in lanes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return lanes
