"""The figures behind tests/test_sync_kill.py: how long the kill loop takes, how many runs
were killed mid-sync and how often a kill hit the create/commit window.

    .venv/bin/python bench/bench_sync_kill.py

The test only asserts what a user sees (no duplicate issue, every action linked once); these
figures depend on the machine, so they are printed here, not asserted. Exit code 1 only when
a lane found a duplicate or a wrong link.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.test_sync_kill import KILLS_PER_LANE, LANES, run_lanes  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="capa-kill-") as folder:
        started = time.monotonic()
        lanes = run_lanes(Path(folder), lambda lane: f"sqlite:///{lane}/kill.db")
        seconds = time.monotonic() - started
    runs = LANES * KILLS_PER_LANE
    kills = sum(lane.kills for lane in lanes)
    orphaned = sum(lane.orphaned for lane in lanes)
    errors = [e for lane in lanes for e in lane.errors]
    print(f"kill loop: {LANES} lanes x {KILLS_PER_LANE} runs, {seconds:.1f} s wall clock")
    print(f"killed mid-sync: {kills} of {runs} runs ({kills / runs:.0%})")
    print(f"issues created but not yet committed when killed (then adopted): {orphaned}")
    print(
        f"actions synced: {sum(lane.actions for lane in lanes)}, duplicates/wrong links: "
        f"{len(errors)}"
    )
    for error in errors:
        print(f"  {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
