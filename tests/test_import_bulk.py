"""Importing many documents at once: parsed in worker processes, stored in batched
transactions with one savepoint per document.

What a user must be able to rely on: a bulk import stores exactly what importing the files
one by one stores (incidents, actions, failure classes), keeps going past a bad file, and a
bulk import killed half-way leaves only whole documents behind, which the next run completes.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tracker.importing.reading import POOL_MIN_DOCUMENTS

CAPA = str(Path(sys.executable).with_name("capa-tracker"))
# Words that give a failure class (tracker.recurrence.taxonomy), so the classes a worker
# works out are compared too.
CAUSES = ("the TLS certificate expired", "a DNS delegation was removed", "the disk filled up")


def write_documents(folder: Path, count: int, per_doc: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for d in range(count):
        rows = "\n".join(
            f"| Harden service {d} step {i} | owner{(d + i) % 7} | P{i % 4} | 2027-0{1 + i % 9}-1{i % 9} |"
            for i in range(per_doc)
        )
        text = (
            f"# Outage {d} of the billing service\n\n"
            f"Root cause: {CAUSES[d % len(CAUSES)]}.\n\n"
            f"Started 2026-03-{1 + d % 28:02d} 10:00 UTC, resolved 2026-03-{1 + d % 28:02d} 11:{d % 60:02d} UTC.\n\n"
            "## Action items\n\n| Action | Owner | Priority | Due |\n|---|---|---|---|\n"
            f"{rows}\n"
        )
        path = folder / f"pm-{d:04d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def stored(incident: dict[str, Any]) -> tuple[Any, ...]:
    return (
        Path(incident["source"]["path"]).name,
        incident["title"],
        incident["started_at"],
        incident["duration_minutes"],
        tuple(incident["classes"]),
        incident["outcome"],
        len(incident["created"]),
    )


def test_bulk_import_stores_what_one_by_one_imports_store(
    cli: Cli, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    count = POOL_MIN_DOCUMENTS + 20
    paths = write_documents(tmp_path / "docs", count)
    bad = tmp_path / "docs" / "pm-0050.md"
    bad.write_bytes(b"\x00\x01\x02 not a document \xff\xfe" * 40)

    bulk = cli("import", "--json", str(tmp_path / "docs"))

    assert bulk.code == 2, bulk.err  # one file could not be read; the others are in
    data = bulk.json()
    assert [e["path"] for e in data["errors"]] == [str(bad)]
    one_by_one = Cli(capsys, f"sqlite:///{tmp_path / 'one.db'}")
    expected = []
    for path in paths:
        if path == bad:
            continue
        run = one_by_one("import", "--json", str(path))
        assert run.code == 0, run.err
        expected.extend(run.json()["incidents"])
    assert len(data["incidents"]) == count - 1
    assert [stored(i) for i in data["incidents"]] == [stored(i) for i in expected]
    assert {c for i in data["incidents"] for c in i["classes"]} >= {"certificate", "dns"}

    listed = cli("list", "--json", "--all")
    assert len(listed.json()) == 3 * (count - 1)
    again = cli("import", "--json", str(tmp_path / "docs"))
    assert {i["outcome"] for i in again.json()["incidents"]} == {"unchanged"}


def test_bulk_dry_run_keeps_nothing(cli: Cli, tmp_path: Path) -> None:
    write_documents(tmp_path / "docs", POOL_MIN_DOCUMENTS + 5)

    run = cli("import", "--dry-run", "--json", str(tmp_path / "docs"))

    assert run.code == 0, run.err
    assert len(run.json()["incidents"]) == POOL_MIN_DOCUMENTS + 5
    assert cli("incidents", "--json").json() == []
    assert cli("list", "--json", "--all").json() == []


def _counts(db: Path) -> tuple[int, list[tuple[int, int, int]]]:
    with sqlite3.connect(db) as conn:
        incidents = conn.execute("SELECT count(*) FROM incident").fetchone()[0]
        per_incident = conn.execute(
            "SELECT i.id, count(DISTINCT a.id), count(e.id) FROM incident i "
            "LEFT JOIN action a ON a.incident_id = i.id "
            "LEFT JOIN event e ON e.action_id = a.id GROUP BY i.id"
        ).fetchall()
    return incidents, per_incident


def test_killed_bulk_import_leaves_whole_documents_and_the_next_run_completes(
    tmp_path: Path,
) -> None:
    count = 600
    write_documents(tmp_path / "docs", count)
    db = tmp_path / "kill.db"
    env = {**os.environ, "CAPA_TRACKER_CONFIG": str(tmp_path / "none.toml")}
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    cmd = [CAPA, "--db", f"sqlite:///{db}", "import", str(tmp_path / "docs")]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    committed = 0
    while proc.poll() is None and time.monotonic() < deadline:
        if db.exists():
            try:
                committed = _counts(db)[0]
            except sqlite3.OperationalError:  # the schema is still being created
                committed = 0
        if committed:
            break
        time.sleep(0.02)  # polling for the first committed batch, not waiting a fixed time
    killed = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert killed, "the import finished before it could be killed; use more documents"

    incidents, per_incident = _counts(db)
    assert 0 < incidents < count
    # Every stored document is whole: its three actions, each with its 'created' event.
    assert all(actions == 3 and events == 3 for _, actions, events in per_incident)

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    incidents, per_incident = _counts(db)
    assert incidents == count
    assert all(actions == 3 and events == 3 for _, actions, events in per_incident)
