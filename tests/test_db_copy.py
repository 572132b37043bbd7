"""Moving a tracker between SQLite and PostgreSQL with its history, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.support.pg_cluster import PostgresCluster

pytestmark = pytest.mark.postgres

DOC = "# Disk full on the build farm\n\n## Action items\n- Alert at 80% disk (owner: alice)\n- Rotate build logs daily\n- Document the clean-up runbook\n"


def _snapshot(cli: Cli) -> dict[str, Any]:
    actions = cli("list", "--all", "--json").json()
    return {
        "actions": actions,
        "incidents": cli("incidents", "--json").json(),
        "history": {
            a["id"]: cli("show", str(a["id"]), "--json").json()["history"] for a in actions
        },
    }


def test_sqlite_to_postgresql_and_back_keeps_everything(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_cluster: PostgresCluster
) -> None:
    sqlite = Cli(capsys, f"sqlite:///{tmp_path / 'team.db'}")
    doc = tmp_path / "pm.md"
    doc.write_text(DOC, encoding="utf-8")
    assert sqlite("import", str(doc)).code == 0
    assert sqlite("update", "2", "--status", "in_progress", "--note", "started").code == 0
    assert sqlite("done", "1", "--note", "alert live").code == 0
    before = _snapshot(sqlite)

    pg_url = pg_cluster.empty_database()
    moved = sqlite("db", "copy", "--to", pg_url, "--json")
    assert moved.code == 0, moved.err
    assert moved.json()["action"] == 3
    postgres = Cli(capsys, pg_url)
    assert _snapshot(postgres) == before
    # Ids continue after the copied ones (PostgreSQL sequences were moved past them).
    assert postgres("add", "A new action after the move", "--json").json()["id"] == 4

    back = Cli(capsys, f"sqlite:///{tmp_path / 'back.db'}")
    assert postgres("db", "copy", "--to", back.db_url).code == 0
    assert back("list", "--all", "--json").json() == postgres("list", "--all", "--json").json()
