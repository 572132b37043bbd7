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


# A server of our own: other tmux sessions on the machine are never touched.
SOCKET = f"capa-test-{uuid.uuid4().hex[:8]}"


def _tmux(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    assert TMUX is not None
    return subprocess.run([TMUX, "-L", SOCKET, *args], capture_output=True, text=True, check=check)


def _capture(session: str) -> str:
    return _tmux("capture-pane", "-p", "-t", session).stdout


def _cursor(session: str) -> tuple[int, int]:
    x, _, y = _tmux("display", "-p", "-t", session, "#{cursor_x} #{cursor_y}").stdout.partition(" ")
    return int(x or -1), int(y or -1)


def _keys(session: str, *keys: str) -> None:
    _tmux("send-keys", "-t", session, *keys, check=True)


def _wait_until(check: Callable[[], bool], timeout: float = 15) -> None:
    """Poll a condition (every 50 ms) until it holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"condition never held: {check}")


def _wait(session: str, check: Callable[[str], bool], timeout: float = 15) -> str:
    screens: list[str] = []

    def matched() -> bool:
        screens.append(_capture(session))
        return check(screens[-1])

    try:
        _wait_until(matched, timeout)
    except AssertionError:
        raise AssertionError(f"screen never matched; last screen:\n{screens[-1]}") from None
    return screens[-1]


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
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command, check=True)
    try:
        _wait(session, lambda s: "row 1 of 9" in s and "On time" in s)
        _keys(session, "/")
        # The terminal's cursor moves into the filter box (line 2) once it has the keys.
        _wait_until(lambda: _cursor(session)[1] == 1)
        _keys(session, "-l", "runbook")
        screen = _wait(session, lambda s: "row 1 of 1" in s)
        assert "Write the payment" in screen
        assert "“runbook”" in screen
        assert "esc Back to table" in screen  # the footer says how to leave the filter box
        _keys(session, "Enter")  # back to the table: its keys are in the footer again
        _wait(session, lambda s: "s Status" in s)
        _keys(session, "s")
        screen = _wait(session, lambda s: "won't do" in s and "in progress" in s)
        _keys(session, "Down", "Down", "Enter")  # blocked, done, [in progress]
        _wait(session, lambda s: "is now in progress" in s)
        assert db_action(ctx, action_id)["status"] == "in_progress"
        assert db_events(ctx, action_id)[-1]["source"] == "tui"
        _wait(session, lambda s: "in progress" in s.split("Write the payment", 1)[-1])
        _keys(session, "q")
        # The dashboard quits: its tmux session ends with it.
        _wait_until(lambda: _tmux("has-session", "-t", session).returncode != 0, timeout=10)
    finally:
        _tmux("kill-server")  # our own server only (-L)
        ctx.close()
