"""Benchmark the Jira sync against the fake Jira with 20 ms latency per request.

    .venv/bin/python bench/bench_sync.py [--deployment cloud|datacenter] [--count 1000]

Phases: (1) first push of N new actions; (2) N issues changed in Jira, pulled; (3) a sync with
nothing changed. The clock of the fake site moves forward between phases as the scheduler's
cadence would (5 minutes after people's edits, 15 minutes between syncs): a pull re-reads what
changed within its overlap window (2 minutes before the previous sync), so a sync run seconds
after a large change reads those issues again (no writes). Phase 3b shows that case honestly.

Targets (issue 3): first push <= 25 requests and < 10 s; pull of 1,000 changed <= 25 requests;
no-change sync <= 3 requests. Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sync.service import sync_once  # noqa: E402
from tests.fakes.jira import FakeJira  # noqa: E402
from tracker import actions as domain  # noqa: E402
from tracker.config import JiraSettings, PersonSettings, Settings  # noqa: E402
from tracker.context import AppContext  # noqa: E402
from tracker.db import session_scope  # noqa: E402
from tracker.models import Incident, utcnow  # noqa: E402

TOKEN_ENV = "CAPA_BENCH_JIRA_TOKEN"
OWNERS = {"alice@example.com": "alice", "bob@example.com": "bob", "carol@example.com": "carol"}


def build(site: FakeJira, folder: str, count: int) -> AppContext:
    cloud = site.deployment == "cloud"
    os.environ[TOKEN_ENV] = site.basic_auth[1] if cloud else site.token
    people = {
        email: PersonSettings(email=email, jira=site.user(name).account_id if cloud else name)
        for email, name in OWNERS.items()
    }
    settings = Settings(
        jira=JiraSettings(
            url=site.url,
            deployment=site.deployment,
            email=site.basic_auth[0] if cloud else "",
            token_env=TOKEN_ENV,
            project="OPS",
        ),
        people=people,
    )
    ctx = AppContext.build(settings, db_url=f"sqlite:///{folder}/bench.db")
    owners = list(OWNERS)
    now = utcnow()
    with session_scope(ctx.engine()) as s:
        incident = Incident(
            title="Checkout outage",
            root_cause="Expired TLS certificate",
            created_at=now,
            updated_at=now,
        )
        s.add(incident)
        s.flush()
        for n in range(count):
            domain.create_action(
                s,
                title=f"Corrective measure {n}",
                actor="bench",
                incident_id=incident.id,
                description=f"Step {n}: see [runbook|http://wiki/x] and {{code}}fix{{code}}.",
                priority=("P0", "P1", "P2", "P3")[n % 4],
                owner=owners[n % len(owners)],
                due_date=date(2027, 1, 1) + timedelta(days=n % 300),
            )
    return ctx


def phase(name: str, site: FakeJira, ctx: AppContext) -> tuple[float, int, dict[str, int]]:
    site.reset_requests()
    started = time.perf_counter()
    summary = sync_once(ctx, settle_seconds=0)
    wall = time.perf_counter() - started
    counts = {
        "created": len(summary.created),
        "updated": len(summary.updated),
        "pulled": len(summary.pulled),
        "failures": len(summary.failures),
        "writes": len(site.writes()),
    }
    shown = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"{name:<44} {wall:7.2f} s  {site.request_count:5d} requests  ({shown})")
    return wall, site.request_count, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deployment", choices=["cloud", "datacenter"], default="cloud")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args(argv)
    ok = True
    with FakeJira(deployment=args.deployment) as site, tempfile.TemporaryDirectory() as folder:
        ctx = build(site, folder, args.count)
        site.faults.set_latency(args.latency)
        print(
            f"fake Jira {args.deployment}, {args.count} actions, {args.latency * 1000:.0f} ms latency"
        )

        wall, requests, counts = phase("1. first push of new actions", site, ctx)
        ok &= wall < 10 and requests <= 25 and counts["created"] == args.count

        site.advance_clock(timedelta(minutes=15))
        for n, issue in enumerate(site.issues()):
            if n % 3 == 0:
                site.transition(issue.key, "Done")
            elif n % 3 == 1:
                site.set_due_date(issue.key, "2027-12-24")
            else:
                site.assign(issue.key, "bob" if n % 3 == 2 else "carol")
        site.advance_clock(timedelta(minutes=5))
        wall, requests, counts = phase("2. pull of issues changed in Jira", site, ctx)
        ok &= requests <= 25 and counts["pulled"] == args.count

        wall, requests, counts = phase("3b. sync again seconds after that pull", site, ctx)
        ok &= counts["writes"] == 0

        site.advance_clock(timedelta(minutes=15))
        wall, requests, counts = phase("3. sync with nothing changed (15 min later)", site, ctx)
        ok &= requests <= 3 and counts["writes"] == 0
        ctx.close()
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
