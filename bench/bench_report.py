"""`capa-tracker report` over 100k actions, whole-process (median of 5 runs, peak RSS), in
each format, on SQLite and (when the server binaries are installed) PostgreSQL.

The data is bench_backends.fill (100k actions over 1,000 incidents, created over 200 days)
plus 10,000 due-date extensions spread over the last 30 days. Prints a Markdown table.

    .venv/bin/python bench/bench_report.py [--actions 100000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.pg_cluster import PostgresCluster, find_bindir  # noqa: E402

from bench.bench_backends import CAPA, fill, median_run  # noqa: E402
from tracker.db import make_engine  # noqa: E402


def add_slips(url: str, total: int, count: int, seed: int = 5) -> None:
    from sqlalchemy import insert, select

    from tracker.models import Action, ActionExtension, table_of

    rng = random.Random(seed)
    now = datetime.now(UTC)
    engine = make_engine(url)
    with engine.begin() as conn:
        a = table_of(Action).c
        dues = {i: d for i, d in conn.execute(select(a.id, a.due_date))}
        rows = []
        for action_id in rng.sample(range(1, total + 1), count):
            old = dues[action_id]
            days = rng.randint(1, 30)
            rows.append(
                {
                    "action_id": action_id,
                    "at": now - timedelta(days=rng.randint(0, 29), hours=rng.randint(0, 23)),
                    "actor": "bench",
                    "source": "cli",
                    "old_due": old,
                    "new_due": old + timedelta(days=days),
                    "days_added": days,
                    "reason": "waiting for the vendor",
                }
            )
        conn.execute(insert(table_of(ActionExtension)), rows)
    engine.dispose()


def measure(url: str) -> dict[str, str]:
    out = {}
    for fmt in ("json", "markdown", "html"):
        for since in ("7d", "30d"):
            cmd = [CAPA, "--db", url, "report", "--since", since, "--format", fmt]
            out[f"report --since {since} --format {fmt}"] = median_run(cmd)
    out["stats --json (for scale)"] = median_run([CAPA, "--db", url, "stats", "--json"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="capa-bench-") as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        fill(sqlite_url, args.actions)
        add_slips(sqlite_url, args.actions, args.actions // 10)
        results = {"SQLite": measure(sqlite_url)}
        bindir = None if args.no_postgres else find_bindir()
        if bindir is not None:
            cluster = PostgresCluster(bindir)
            cluster.start()
            try:
                pg_url = cluster.empty_database()
                subprocess.run(
                    [CAPA, "--db", sqlite_url, "db", "copy", "--to", pg_url],
                    check=True,
                    capture_output=True,
                )
                results["PostgreSQL"] = measure(pg_url)
            finally:
                cluster.stop()
    names = list(results)
    print(f"| {args.actions:,} actions | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for row in results["SQLite"]:
        print(f"| `{row}` | " + " | ".join(results[n][row] for n in names) + " |")


if __name__ == "__main__":
    main()
