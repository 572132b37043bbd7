"""Four processes on one store, for a bounded time, on each backend:

two `capa-tracker update` writers changing random actions (one owns priorities, the other due
dates; both add notes), a `capa-tracker remind` loop delivering to a real SMTP server, and a
`capa-tracker sync` loop against the fake Jira. Afterwards: every acknowledged change is in the
final state and in the history, no reminder was delivered twice, no action has two Jira issues,
and no process failed.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.jira import FakeJira
from tests.fakes.smtp import running_smtp_server

CAPA = str(Path(sys.executable).with_name("capa-tracker"))
SECONDS = float(os.environ.get("CAPA_STRESS_SECONDS", "30"))
TOKEN_ENV = "CAPA_STRESS_JIRA_TOKEN"
ACTIONS = 24


def _document(today: datetime) -> str:
    rows = []
    for i in range(ACTIONS):
        due = (today + timedelta(days=(i % 8) - 4)).date().isoformat()
        rows.append(
            f"| Harden part {i} of the payment path | Prevention | owner{i % 4}@example.com | P2 | {due} |"
        )
    table = "\n".join(rows)
    return f"# Payments outage\n\n## Action items\n\n| Action | Type | Owner | Priority | Due date |\n|---|---|---|---|---|\n{table}\n"


class Loop(threading.Thread):
    """Runs one command over and over until the deadline; records every outcome."""

    def __init__(self, name: str, deadline: float, step: Any) -> None:
        super().__init__(name=name, daemon=True)
        self.deadline = deadline
        self.step = step
        self.failures: list[str] = []
        self.runs = 0

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            self.runs += 1
            problem = self.step(self.runs)
            if problem:
                self.failures.append(problem)


def _run(config: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CAPA, "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_four_processes_lose_nothing_and_duplicate_nothing(db_url: str, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    doc = tmp_path / "pm.md"
    doc.write_text(_document(now), encoding="utf-8")
    with FakeJira(deployment="cloud") as site, running_smtp_server() as smtp:
        site.faults.set_latency(0.005)
        config = tmp_path / "stress.toml"
        config.write_text(
            f'[database]\nurl = "{db_url}"\n'
            f'[jira]\nurl = "{site.url}"\ndeployment = "cloud"\nemail = "{site.basic_auth[0]}"\n'
            f'token_env = "{TOKEN_ENV}"\nproject = "OPS"\ntimeout_seconds = 5\n'
            f'[reminders]\nchannels = ["email"]\nquiet_days = []\n'
            f'[reminders.email]\nhost = "127.0.0.1"\nport = {smtp.port}\nsecurity = "none"\n',
            encoding="utf-8",
        )
        env = {**os.environ, TOKEN_ENV: site.basic_auth[1]}
        imported = _run(config, env, "import", str(doc), "--json")
        assert imported.returncode == 0, imported.stderr
        ids = json.loads(imported.stdout)["incidents"][0]["created"]
        deadline = time.monotonic() + SECONDS
        acknowledged: dict[str, list[tuple[int, str, str]]] = {"prio": [], "due": []}

        def writer(kind: str, seed: int) -> Any:
            rng = random.Random(seed)

            def step(n: int) -> str | None:
                action_id = rng.choice(ids)
                value = (
                    f"P{rng.randint(0, 3)}"
                    if kind == "prio"
                    else (now.date() + timedelta(days=rng.randint(-5, 30))).isoformat()
                )
                flag = "--priority" if kind == "prio" else "--due"
                note = f"{kind}-{n}"
                # A later due date needs a reason (policy.require_reason_for_extension).
                why = ["--reason", f"stress {n}"] if kind == "due" else []
                proc = _run(
                    config, env, "update", str(action_id), flag, value, *why, "--note", note
                )
                if proc.returncode != 0:
                    return f"update exited {proc.returncode}: {proc.stderr.strip()}"
                acknowledged[kind].append((action_id, value, note))
                return None

            return step

        def remind(n: int) -> str | None:
            proc = _run(config, env, "remind", "--now", (now + timedelta(days=n % 3)).isoformat())
            return (
                None
                if proc.returncode == 0
                else f"remind exited {proc.returncode}: {proc.stderr.strip()}"
            )

        def sync(n: int) -> str | None:
            proc = _run(config, env, "sync")
            return (
                None
                if proc.returncode == 0
                else f"sync exited {proc.returncode}: {proc.stderr.strip()}"
            )

        loops = [
            Loop("writer-prio", deadline, writer("prio", 1)),
            Loop("writer-due", deadline, writer("due", 2)),
            Loop("remind", deadline, remind),
            Loop("sync", deadline, sync),
        ]
        for loop in loops:
            loop.start()
        for loop in loops:
            loop.join(timeout=SECONDS + 180)
        assert all(not loop.is_alive() for loop in loops)
        assert {loop.name: loop.failures for loop in loops} == {loop.name: [] for loop in loops}
        assert all(loop.runs >= 2 for loop in loops), {loop.name: loop.runs for loop in loops}

        # One quiet sync to push the last changes.
        final_sync = _run(config, env, "sync")
        assert final_sync.returncode == 0, final_sync.stderr

        actions = {
            a["id"]: a for a in json.loads(_run(config, env, "list", "--all", "--json").stdout)
        }
        for kind, field in (("prio", "priority"), ("due", "due_date")):
            last: dict[int, str] = {}
            for action_id, value, _ in acknowledged[kind]:
                last[action_id] = value
            assert {i: actions[i][field] for i in last} == last
        from sqlalchemy import text

        from tracker.db import make_engine

        engine = make_engine(db_url)
        with engine.connect() as conn:
            notes = Counter(
                (row.action_id, row.note)
                for row in conn.execute(
                    text("SELECT action_id, note FROM event WHERE note IS NOT NULL")
                )
            )
            digests = conn.execute(
                text("SELECT COUNT(DISTINCT digest_id) FROM reminder WHERE status = 'sent'")
            ).scalar_one()
            stuck = conn.execute(
                text("SELECT COUNT(*) FROM reminder WHERE status IN ('sending', 'failed')")
            ).scalar_one()
        engine.dispose()
        for kind in acknowledged:
            for action_id, _, note in acknowledged[kind]:
                assert notes[(action_id, note)] >= 1, (action_id, note)

        # Jira: exactly one issue per action, carrying the final priority and due date.
        per_action = Counter(
            label
            for issue in site.issues()
            for label in issue.labels
            if label.startswith("capa-") and label[5:].isdigit()
        )
        assert sorted(per_action) == sorted(f"capa-{i}" for i in ids)
        assert set(per_action.values()) == {1}
        due_in_jira = {
            next(
                lab for lab in issue.labels if lab.startswith("capa-") and lab[5:].isdigit()
            ): issue.duedate
            for issue in site.issues()
        }
        assert {f"capa-{i}": actions[i]["due_date"] for i in ids} == due_in_jira

        # Reminders: one mail per claimed digest; a row delivered twice would need two claims,
        # and so more mails than digests.
        mails = smtp.received()
        assert digests > 0, "the remind loop delivered nothing"
        assert (len(mails), stuck) == (digests, 0)
