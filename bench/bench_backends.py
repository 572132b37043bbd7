"""SQLite vs PostgreSQL at 100k actions, whole-process: `list --overdue --json`, one `update`,
and `stats --json`, each timed with /usr/bin/time (median of 5 runs, peak RSS).

The PostgreSQL side is a throwaway cluster started from the installed server binaries (as the
tests do); the data is the same on both, moved with `capa-tracker db copy`.

    .venv/bin/python bench/bench_backends.py [--actions 100000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.pg_cluster import PostgresCluster, find_bindir  # noqa: E402
from tracker.db import make_engine, upgrade  # noqa: E402

CAPA = str(Path(sys.executable).with_name("capa-tracker"))


def fill(url: str, total: int, seed: int = 1) -> None:
    """Bulk-insert `total` actions over total/100 incidents (Core executemany, not the CLI)."""
    from sqlalchemy import insert

    from tracker.models import Action, Incident, table_of

    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    today = now.date()
    statuses = ("open", "open", "in_progress", "done", "blocked")
    with engine.begin() as conn:
        conn.execute(
            insert(table_of(Incident)),
            [
                {
                    "id": i + 1,
                    "title": f"Incident {i}",
                    "title_key": f"incident {i}",
                    "timeline_json": "[]",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(total // 100)
            ],
        )
        rows = []
        for i in range(total):
            status = rng.choice(statuses)
            rows.append(
                {
                    "incident_id": i // 100 + 1,
                    "title": f"Harden component {i} against failure",
                    "description": "",
                    "kind": "preventive",
                    "priority": f"P{rng.randint(0, 3)}",
                    "owner": f"owner{rng.randint(1, 60)}",
                    "due_date": today + timedelta(days=rng.randint(-90, 60)),
                    "status": status,
                    "created_at": now - timedelta(days=rng.randint(0, 200)),
                    "updated_at": now,
                    "closed_at": now if status == "done" else None,
                    "edited_fields": "[]",
                    "retired": False,
                    "version": 1,
                }
            )
        conn.execute(insert(table_of(Action)), rows)
    engine.dispose()


def timed(cmd: list[str]) -> tuple[float, float]:
    with tempfile.NamedTemporaryFile("r") as tf:
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", tf.name, *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        if proc.returncode != 0:
            raise SystemExit(f"{cmd[3:]} failed: {proc.stderr.decode()[-300:]}")
        seconds, kb = tf.read().split()[-2:]
    return float(seconds), int(kb) / 1024


def median_run(cmd: list[str], runs: int = 5) -> str:
    results = [timed(cmd) for _ in range(runs)]
    return f"{statistics.median(r[0] for r in results):.2f} s / {max(r[1] for r in results):.0f} MB"


def measure(url: str) -> dict[str, str]:
    update_runs = []
    for i in range(5):
        update_runs.append(timed([CAPA, "--db", url, "update", str(1000 + i), "--note", "bench"]))
    return {
        "list --overdue --json": median_run([CAPA, "--db", url, "list", "--overdue", "--json"]),
        "update ID --note": f"{statistics.median(r[0] for r in update_runs):.2f} s / {max(r[1] for r in update_runs):.0f} MB",
        "stats --json": median_run([CAPA, "--db", url, "stats", "--json"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--actions", type=int, default=100_000)
    args = parser.parse_args()
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")
    with tempfile.TemporaryDirectory(prefix="capa-bench-") as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        fill(sqlite_url, args.actions)
        cluster = PostgresCluster(bindir)
        cluster.start()
        try:
            pg_url = cluster.empty_database()
            subprocess.run(
                [CAPA, "--db", sqlite_url, "db", "copy", "--to", pg_url],
                check=True,
                capture_output=True,
            )
            figures = {"SQLite": measure(sqlite_url), "PostgreSQL": measure(pg_url)}
        finally:
            cluster.stop()
    commands = list(figures["SQLite"])
    print(f"{args.actions:,} actions; wall time (median of 5) / peak RSS, whole process\n")
    print("| command | SQLite | PostgreSQL |")
    print("|---|---|---|")
    for command in commands:
        print(f"| `{command}` | {figures['SQLite'][command]} | {figures['PostgreSQL'][command]} |")


if __name__ == "__main__":
    main()
