"""Whole-process benchmark of the CLI against Taskwarrior on the same items.

Generates post-mortems (100 measures each, as a Markdown action table) for each size, imports
them with `capa-tracker import`, then times `list --overdue --json` and `stats --json`; gives
Taskwarrior the same items (`task import`, then `task +OVERDUE export`). Wall time and peak RSS
come from /usr/bin/time for each process. Prints a Markdown table; asserts nothing.

    .venv/bin/python bench/bench_cli.py                       # 10k and 100k
    .venv/bin/python bench/bench_cli.py --sizes 1000000 --no-taskwarrior
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

KINDS = ("Prevention", "Mitigation", "Process", "Detection", "Repair")
TW_PRIORITY = {"P0": "H", "P1": "H", "P2": "M", "P3": "L"}


@dataclass
class Run:
    seconds: float
    max_rss_mb: float


def timed(cmd: list[str], *, env: dict[str, str] | None = None, stdin: str | None = None) -> Run:
    """Run under /usr/bin/time; stdout is discarded (as a script piping it would consume it)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", tf.name, *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            input=stdin.encode() if stdin is not None else None,
            check=False,
        )
        if proc.returncode != 0:
            raise SystemExit(
                f"{' '.join(cmd[:4])} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}"
            )
        seconds, kb = tf.read().split()[-2:]
    return Run(float(seconds), int(kb) / 1024)


def best_of(n: int, cmd: list[str], **kw: object) -> Run:
    runs = [timed(cmd, **kw) for _ in range(n)]  # type: ignore[arg-type]
    return Run(statistics.median(r.seconds for r in runs), max(r.max_rss_mb for r in runs))


def generate(
    folder: Path, total: int, per_doc: int, today: date, seed: int = 42
) -> list[dict[str, str]]:
    """Write the post-mortems; return the same items for Taskwarrior."""
    rng = random.Random(seed)
    items: list[dict[str, str]] = []
    for d in range(total // per_doc):
        rows = []
        for i in range(per_doc):
            due = today + timedelta(days=rng.randint(-90, 60))
            prio = f"P{rng.randint(0, 3)}"
            owner = f"owner{rng.randint(1, 60)}"
            title = f"Harden service {d} component {i} against failure mode {rng.randint(1, 9999)}"
            rows.append(f"| {title} | {rng.choice(KINDS)} | {owner} | {prio} | {due.isoformat()} |")
            items.append(
                {
                    "description": title,
                    "status": "pending",
                    "project": f"incident{d}",
                    "priority": TW_PRIORITY[prio],
                    "due": due.strftime("%Y%m%dT000000Z"),
                    "entry": "20260101T000000Z",
                    "tags": [owner],  # type: ignore[dict-item]
                }
            )
        text = "\n".join(
            [
                f"# Synthetic outage {d}",
                "",
                "The outage started 2026-01-05 10:00 UTC and ended 2026-01-05 11:30 UTC.",
                "",
                "## Action items",
                "",
                "| Action | Type | Owner | Priority | Due date |",
                "|---|---|---|---|---|",
                *rows,
                "",
            ]
        )
        (folder / f"pm-{d:05d}.md").write_text(text, encoding="utf-8")
    return items


def capa(db: str, *args: str) -> list[str]:
    exe = Path(sys.executable).with_name("capa-tracker")
    return [str(exe), "--db", db, *args]


def bench_size(total: int, per_doc: int, taskwarrior: bool, work: Path) -> dict[str, object]:
    today = datetime.now(UTC).date()
    docs = work / f"docs-{total}"
    docs.mkdir()
    items = generate(docs, total, per_doc, today)
    db = f"sqlite:///{work / f'capa-{total}.db'}"
    env = {**os.environ, "CAPA_TRACKER_CONFIG": str(work / "none.toml")}
    (work / "none.toml").write_text("", encoding="utf-8")
    out: dict[str, object] = {"actions": total, "documents": total // per_doc}
    out["capa_import"] = timed(capa(db, "import", str(docs)), env=env)
    out["capa_overdue"] = best_of(3, capa(db, "list", "--overdue", "--json"), env=env)
    out["capa_stats"] = best_of(3, capa(db, "stats", "--json"), env=env)
    overdue = subprocess.run(
        capa(db, "list", "--overdue", "--json"), capture_output=True, env=env, check=True
    )
    out["overdue_rows"] = len(json.loads(overdue.stdout))
    if taskwarrior and shutil.which("task"):
        tw = work / f"tw-{total}"
        tw.mkdir()
        rc = tw / "taskrc"
        rc.write_text(
            f"data.location={tw}\nconfirmation=off\nverbose=nothing\njson.array=on\nrecurrence=off\nhooks=off\n",
            encoding="utf-8",
        )
        tenv = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(tw)}
        feed = tw / "items.json"
        feed.write_text(json.dumps(items), encoding="utf-8")
        out["tw_import"] = timed(["task", "rc.gc=off", "import", str(feed)], env=tenv)
        out["tw_overdue"] = best_of(3, ["task", "+OVERDUE", "export"], env=tenv)
        tw_rows = subprocess.run(
            ["task", "+OVERDUE", "export"], capture_output=True, env=tenv, check=True
        )
        out["tw_overdue_rows"] = len(json.loads(tw_rows.stdout))
    return out


def startup(work: Path) -> dict[str, Run]:
    db = f"sqlite:///{work / 'startup.db'}"
    return {
        "--version": best_of(5, capa(db, "--version")),
        "--help": best_of(5, capa(db, "--help")),
    }


def fmt(run: object) -> str:
    if isinstance(run, Run):
        return f"{run.seconds:.2f} s / {run.max_rss_mb:.0f} MB"
    return "-" if run is None else str(run)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated action counts")
    parser.add_argument(
        "--per-doc", type=int, default=100, help="measures per generated post-mortem"
    )
    parser.add_argument("--no-taskwarrior", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="capa-bench-") as tmp:
        work = Path(tmp)
        for name, run in startup(work).items():
            print(f"capa-tracker {name}: {fmt(run)}", flush=True)
        print()
        print(
            "| actions | documents | capa import | capa list --overdue --json | capa stats --json | overdue rows | task import | task +OVERDUE export | task rows |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for size in (int(s) for s in args.sizes.split(",")):
            r = bench_size(size, args.per_doc, not args.no_taskwarrior, work)
            print(
                f"| {size:,} | {r['documents']:,} | {fmt(r['capa_import'])} | {fmt(r['capa_overdue'])} | "
                f"{fmt(r['capa_stats'])} | {r['overdue_rows']:,} | {fmt(r.get('tw_import'))} | "
                f"{fmt(r.get('tw_overdue'))} | {r.get('tw_overdue_rows', '-')} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
