"""Plan reminders over 100k action snapshots; prints timings (target: under 1 s).

    .venv/bin/python bench/bench_reminders.py [N]

Snapshots mix every state the planner cares about: far-off, due soon, due today, overdue (some
long enough to escalate), done awaiting verification, closed; 500 owners, some in [people].
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.config import PersonSettings
from tracker.reminders.planner import (
    ActionSnapshot,
    Directory,
    ReminderRules,
    plan_reminders,
)

TZ = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)  # a Tuesday


def snapshots(n: int, seed: int = 7) -> list[ActionSnapshot]:
    rng = random.Random(seed)
    today = NOW.date()
    statuses = ["open"] * 6 + ["in_progress"] * 2 + ["blocked", "done", "verified", "wont_do"]
    out: list[ActionSnapshot] = []
    for i in range(n):
        status = rng.choice(statuses)
        due = today + timedelta(days=rng.randint(-60, 90))
        out.append(
            ActionSnapshot(
                id=i + 1,
                title=f"Corrective action {i}",
                owner=f"user{rng.randrange(500)}" if rng.random() > 0.02 else None,
                due_date=due if rng.random() > 0.05 else None,
                status=status,
                verify_by=due + timedelta(days=30) if status == "done" else None,
                verified_at=datetime(2026, 1, 1, tzinfo=UTC) if status == "verified" else None,
                jira_key=f"OPS-{i}" if rng.random() > 0.3 else None,
                jira_url=None,
                incident_title=f"Incident {i // 10}",
            )
        )
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    actions = snapshots(n)
    people = {
        f"user{i}": PersonSettings(email=f"user{i}@corp.test", lead=f"lead{i % 20}")
        for i in range(0, 500, 2)
    }
    rules = ReminderRules(
        due_soon_days=(0, 3),
        escalation_address="sre-leads@corp.test",
        holidays=frozenset({date(2026, 5, 25), date(2026, 7, 3)}),
        channels=("email", "webhook"),
    )
    timings: list[float] = []
    plan = None
    for _ in range(5):
        directory = Directory(people, "example.com")  # fresh caches each round: a cold run
        started = time.perf_counter()
        plan = plan_reminders(actions, rules, NOW, TZ, directory)
        timings.append(time.perf_counter() - started)
    assert plan is not None
    print(f"actions:   {n:,}")
    print(f"reminders: {len(plan.reminders):,} in {len(plan.digests):,} digests")
    print(f"unowned:   {len(plan.unowned):,}")
    print(
        f"plan time: best {min(timings):.3f} s, worst {max(timings):.3f} s over 5 runs (target < 1 s)"
    )


if __name__ == "__main__":
    main()
