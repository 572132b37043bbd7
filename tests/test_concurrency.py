"""Several processes on one store: no lost update, stale writers refused, no 'database is locked'."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CAPA = str(Path(sys.executable).with_name("capa-tracker"))


def _capa(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CAPA, "--db", db_url, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_two_processes_writing_one_action_lose_nothing(db_url: str) -> None:
    created = _capa(db_url, "add", "Shared action", "--json")
    assert created.returncode == 0, created.stderr
    action_id = str(json.loads(created.stdout)["id"])

    def writer(name: str) -> list[int]:
        codes = []
        for i in range(5):
            proc = _capa(db_url, "update", action_id, "--note", f"{name}-{i}")
            codes.append(proc.returncode)
            assert "database is locked" not in proc.stderr
        return codes

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(writer, ["alpha", "beta"]))
    assert results == [[0] * 5, [0] * 5]
    detail = json.loads(_capa(db_url, "show", action_id, "--json").stdout)
    notes = sorted(e["note"] for e in detail["history"] if e["kind"] == "note")
    assert notes == sorted([f"alpha-{i}" for i in range(5)] + [f"beta-{i}" for i in range(5)])
    assert detail["version"] == 11


def test_a_writer_holding_an_old_version_is_refused_across_processes(db_url: str) -> None:
    action = json.loads(_capa(db_url, "add", "Contended", "--json").stdout)
    first = _capa(
        db_url,
        "update",
        str(action["id"]),
        "--owner",
        "alice",
        "--expect-version",
        str(action["version"]),
    )
    assert first.returncode == 0, first.stderr
    second = _capa(
        db_url,
        "update",
        str(action["id"]),
        "--owner",
        "bob",
        "--expect-version",
        str(action["version"]),
    )
    assert second.returncode == 1
    assert "changed meanwhile" in second.stderr
    assert json.loads(_capa(db_url, "show", str(action["id"]), "--json").stdout)["owner"] == "alice"
