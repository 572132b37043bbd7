"""`capa-tracker demo` in a real terminal (tmux): rows on screen, and its temporary database is
gone once the dashboard closes.

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

TMUX = shutil.which("tmux")
pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.timeout(90),
]
CLI = Path(sys.executable).with_name("capa-tracker")


# Its own tmux server, so other terminal tests running at the same time cannot interfere.
SOCKET = f"capa-demo-test-{os.getpid()}"


def _tmux(*args: str) -> subprocess.CompletedProcess[str]:
    assert TMUX is not None
    return subprocess.run([TMUX, "-L", SOCKET, *args], capture_output=True, text=True, check=False)


def _until(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_demo_shows_rows_and_removes_its_database_on_quit(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    session = f"capa-demo-{uuid.uuid4().hex[:8]}"
    env = {
        "TERM": "xterm-256color",
        "HOME": str(tmp_path),
        "TMPDIR": str(scratch),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PATH": os.environ.get("PATH", ""),
    }
    # The tmux server inherits this process's environment: drop COLUMNS/LINES (the test
    # fixtures set COLUMNS=200), else the app lays out for 200 columns in a 120-column pane.
    command = " ".join(
        ["env", "-u", "COLUMNS", "-u", "LINES", *[f"{k}='{v}'" for k, v in env.items()]]
        + [str(CLI), "demo"]
    )
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    try:
        _until(lambda: "row 1 of" in _tmux("capture-pane", "-p", "-t", session).stdout, "rows")
        assert [p.name for p in scratch.iterdir() if p.name.startswith("capa-demo-")]
        _tmux("send-keys", "-t", session, "q")
        _until(lambda: _tmux("has-session", "-t", session).returncode != 0, "the demo to exit")
        assert [p.name for p in scratch.iterdir() if p.name.startswith("capa-demo-")] == []
    finally:
        _tmux("kill-server")
