"""Real processes on one SQLite database: parallel passes, a crash after sending, the scheduler.

Each test runs the real `capa-tracker remind` / `capa-tracker scheduler` console script against an aiosmtpd server in this process, and counts what
arrived.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from tests.conftest import current_db_url
from tests.fakes.smtp import FakeSmtpServer, running_smtp_server
from tracker.actions import create_action
from tracker.db import make_engine, session_scope, upgrade
from tracker.models import Reminder

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("both_backends")

ROOT = Path(__file__).resolve().parents[1]
CAPA = str(Path(sys.executable).with_name("capa-tracker"))
NOW = "2026-03-09T09:00"  # a Monday
OWNERS = ["alice", "bob", "carol", "dave", "erin", "frank"]


def write_config(tmp_path: Path, port: int, **reminders: str) -> Path:
    extra = "".join(f"{key} = {value}\n" for key, value in reminders.items())
    path = tmp_path / "capa-tracker.toml"
    path.write_text(
        f"""
[database]
url = "{current_db_url(tmp_path)}"

[policy]
timezone = "America/New_York"

[reminders]
channels = ["email"]
escalate_after_days = 30
{extra}
[reminders.email]
host = "127.0.0.1"
port = {port}
security = "none"
default_domain = "corp.test"
timeout_seconds = 5
""",
        encoding="utf-8",
    )
    return path


def seed(tmp_path: Path, n_per_owner: int, *, start: date) -> Engine:
    """Open actions spread over owners and due dates: overdue, due soon, due today."""
    engine = make_engine(current_db_url(tmp_path))
    upgrade(engine)
    with session_scope(engine) as s:
        for i in range(n_per_owner * len(OWNERS)):
            create_action(
                s,
                title=f"Measure {i}",
                actor="test",
                owner=OWNERS[i % len(OWNERS)],
                due_date=start - timedelta(days=i % 9 - 2),  # 2 days ahead .. 6 days overdue
            )
    return engine


def remind(config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [CAPA, "--config", str(config), "remind", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def delivered(server: FakeSmtpServer) -> Counter[tuple[str, int]]:
    """(recipient, action id) for every action line in every message received."""
    seen: Counter[tuple[str, int]] = Counter()
    for mail in server.received():
        for action_id in re.findall(r"^- #(\d+) ", mail.body("plain"), flags=re.MULTILINE):
            seen[(mail.rcpt_tos[0], int(action_id))] += 1
    return seen


def recorded(engine: Engine) -> list[Reminder]:
    with session_scope(engine, write=False) as s:
        return list(s.exec(select(Reminder)))


def test_parallel_passes_deliver_every_reminder_exactly_once(tmp_path: Path) -> None:
    engine = seed(tmp_path, 8, start=date(2026, 3, 9))
    with running_smtp_server(delay=0.02) as server:
        config = write_config(tmp_path, server.port)
        procs = [remind(config, "--now", NOW, "--json") for _ in range(3)]
        results = [p.communicate(timeout=60) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in results]

    rows = recorded(engine)
    expected = Counter((r.recipient, r.action_id) for r in rows)
    assert len(rows) == 48  # every action needs attention on this Monday
    assert {r.status for r in rows} == {"sent"}
    assert all(r.attempts == 1 for r in rows)
    # Every recorded reminder arrived once, and nothing else arrived.
    assert delivered(server) == expected
    outputs = [json.loads(out) for out, _ in results]
    assert sum(o["sent"] for o in outputs) == 48
    assert all(o["failed"] == 0 for o in outputs)


def test_a_pass_killed_after_sending_is_not_repeated(tmp_path: Path) -> None:
    engine = seed(tmp_path, 3, start=date(2026, 3, 9))
    with running_smtp_server() as server:
        # The relay keeps the first mail but holds its "250": the sender has delivered and is
        # waiting for the answer when the test kills it, before it can record "sent".
        server.hold = threading.Event()
        config = write_config(tmp_path, server.port)
        crashed = remind(config, "--now", NOW)
        server.wait_for_messages(1)
        crashed.kill()
        crashed.communicate(timeout=60)
        assert crashed.returncode == -signal.SIGKILL
        server.hold.set()
        [first] = server.received()
        lost_to_crash = {
            (r.recipient, r.action_id) for r in recorded(engine) if r.status == "sending"
        }
        assert {(first.rcpt_tos[0], a) for _, a in delivered(server)} == lost_to_crash

        rerun = remind(config, "--now", NOW, "--json")
        out, err = rerun.communicate(timeout=60)
        assert rerun.returncode == 0, err

    counts = delivered(server)
    assert set(counts.values()) == {1}  # nothing twice
    assert len(server.received()) == len(OWNERS)  # every owner got exactly one digest
    summary = json.loads(out)
    assert summary["in_flight"] == len(lost_to_crash)
    assert summary["sent"] == 18 - len(lost_to_crash)
    # The interrupted rows stay "sending": unknown outcome, never re-sent on their own.
    assert {(r.recipient, r.action_id) for r in recorded(engine) if r.status == "sending"} == (
        lost_to_crash
    )


# --- scheduler ------------------------------------------------------------------------


class LogReader:
    """Collects a process's stderr lines on a thread, so the test can wait for a line."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._proc = proc
        self._changed = threading.Condition()
        self._done = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._done = True
            self._changed.notify_all()

    def _match(self, pattern: str) -> str | None:
        return next((line for line in self.lines if re.search(pattern, line)), None)

    def wait_for(self, pattern: str, timeout: float = 20) -> str:
        """Block until a line matches (woken by each new line), the process ends, or timeout."""
        with self._changed:
            self._changed.wait_for(lambda: self._match(pattern) or self._done, timeout)
            found = self._match(pattern)
        if found is None:
            raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.lines))
        return found

    def text(self) -> str:
        self._thread.join(timeout=5)
        return "\n".join(self.lines)


@pytest.fixture
def scheduler_setup(tmp_path: Path) -> Iterator[tuple[Path, Engine, FakeSmtpServer]]:
    # Due dates relative to the real clock, and no quiet days: the test passes on any day.
    engine = seed(tmp_path, 1, start=datetime.now(ZoneInfo("America/New_York")).date())
    with running_smtp_server() as server:
        config = write_config(tmp_path, server.port, schedule='"@every 1s"', quiet_days="[]")
        with config.open("a", encoding="utf-8") as f:
            f.write('\n[sync]\nschedule = "*/1 * * * * *"\n')
        yield config, engine, server


def start_scheduler(config: Path) -> tuple[subprocess.Popen[str], LogReader]:
    proc = subprocess.Popen(
        [CAPA, "--config", str(config), "scheduler"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return proc, LogReader(proc)


def test_scheduler_runs_both_jobs_and_stops_gracefully_on_sigterm(
    scheduler_setup: tuple[Path, Engine, FakeSmtpServer],
) -> None:
    config, engine, server = scheduler_setup
    # The relay holds its reply to the first mail: the remind job is mid-delivery when the
    # signal arrives, and is let go only once the scheduler has said it is stopping.
    server.hold = threading.Event()
    proc, log = start_scheduler(config)
    try:
        log.wait_for(r"scheduler: started \(reminders '@every 1s', sync '\*/1 \* \* \* \* \*'")
        log.wait_for(r"job sync: ok: skipped: not configured \(jira\.url is empty\)")
        server.wait_for_messages(1, timeout=20)
        proc.send_signal(signal.SIGTERM)
        log.wait_for(r"scheduler: SIGTERM received, finishing running jobs")
        server.hold.set()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.text()
    assert "scheduler: SIGTERM received, finishing running jobs" in text
    # The job in flight finished after the signal: its outcome was logged and recorded.
    assert re.search(r"job remind: ok: sent \d+ reminder\(s\)", text), text
    assert text.index("SIGTERM received") < text.index("job remind: ok: sent")
    assert text.rstrip().endswith("scheduler: stopped")
    rows = recorded(engine)
    assert rows
    assert {r.status for r in rows} <= {"sent", "pending"}
    assert not any(r.status == "sending" for r in rows)


def test_scheduler_refuses_a_bad_cron_expression_at_start(tmp_path: Path) -> None:
    config = write_config(tmp_path, 25, schedule='"0 9 * * MON-FRY"')
    proc = subprocess.run(
        [CAPA, "--config", str(config), "scheduler"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: reminders.schedule: bad schedule '0 9 * * MON-FRY'")
    assert proc.stderr.count("\n") == 1
