"""The real `capa-tracker dashboard` in a real terminal (tmux): type a filter, change a status.

Skipped when tmux is not installed (CI installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.tui_helpers import db_action, db_events, make_ctx, seed

TMUX = shutil.which("tmux")
pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.timeout(60),
]
CLI = Path(sys.executable).with_name("capa-tracker")


def _capture(session: str) -> str:
    return subprocess.run(
        [TMUX, "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=False
    ).stdout


def _keys(session: str, *keys: str) -> None:
    subprocess.run([TMUX, "send-keys", "-t", session, *keys], check=True)


def _wait(session: str, check: Callable[[str], bool], timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _capture(session)
        if check(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"screen never matched; last screen:\n{screen}")


def test_dashboard_in_tmux_filter_and_status_change(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, fixed=False)
    ids = seed(ctx)
    action_id = ids["Write the payment failover runbook"]
    session = f"capa-{uuid.uuid4().hex[:8]}"
    env = {
        "TERM": "xterm-256color",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "CAPA_TRACKER_USER": "alice@example.com",
        "PATH": os.environ.get("PATH", ""),
    }
    command = " ".join(
        [
            "env",
            "-u",
            "COLUMNS",
            "-u",
            "LINES",
            *[f"{k}='{v}'" for k, v in env.items()],
            str(CLI),
            "--db",
            f"sqlite:///{tmp_path / 't.db'}",
            "dashboard",
        ]
    )
    subprocess.run(
        [TMUX, "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command], check=True
    )
    try:
        _wait(session, lambda s: "row 1 of 9" in s and "On time" in s)
        time.sleep(0.5)  # let the terminal settle (the first keys can race the app's start)
        _keys(session, "/")
        time.sleep(0.3)
        _keys(session, "-l", "runbook")
        screen = _wait(session, lambda s: "row 1 of 1" in s)
        assert "Write the payment" in screen
        assert "“runbook”" in screen
        _keys(session, "Enter")  # back to the table
        time.sleep(0.3)
        _keys(session, "s")
        screen = _wait(session, lambda s: "won't do" in s and "in progress" in s)
        _keys(session, "Down", "Down", "Enter")  # blocked, done, [in progress]
        _wait(session, lambda s: "is now in progress" in s)
        assert db_action(ctx, action_id)["status"] == "in_progress"
        assert db_events(ctx, action_id)[-1]["source"] == "tui"
        _wait(session, lambda s: "in progress" in s.split("Write the payment", 1)[-1])
        _keys(session, "q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            alive = subprocess.run(
                [TMUX, "has-session", "-t", session], capture_output=True, check=False
            )
            if alive.returncode != 0:
                break
            time.sleep(0.1)
    finally:
        subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True, check=False)
        ctx.close()
