"""Serve the test suite's fake Jira on loopback for the smoke run, until terminated.

Writes `url email token` to the file named by the first argument once the server listens.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from tests.fakes.jira import FakeJira


def main() -> None:
    site = FakeJira(deployment="cloud").start()
    email, token = site.basic_auth
    Path(sys.argv[1]).write_text(f"{site.url} {email} {token}\n", encoding="utf-8")
    signal.signal(signal.SIGTERM, lambda *_: (site.stop(), sys.exit(0)))
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
