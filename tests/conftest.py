"""Shared fixtures: a fresh tracker database per test and an in-process CLI runner."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.pg_cluster import PostgresCluster, find_bindir

pytest_plugins = ["tests.fakes.jira.pytest_plugin", "tests.support.sync_fixtures"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "checkout-outage-postmortem.txt"
EXAMPLES = REPO / "examples"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's config or writes to their data dir."""
    for name in list(os.environ):
        if name.startswith("CAPA_TRACKER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    """One throwaway PostgreSQL cluster for the whole run (see tests/support/pg_cluster.py)."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    cluster = PostgresCluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh tracker database on each backend: every test using it runs on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


# Set by `both_backends` for the test that is running; helpers read it via `current_db_url`.
CURRENT_DB_URL: str | None = None


@pytest.fixture
def both_backends(db_url: str) -> Iterator[str]:
    """Opt a whole module into both backends: `pytestmark = pytest.mark.usefixtures("both_backends")`
    and build databases with `current_db_url(tmp_path)`."""
    global CURRENT_DB_URL
    CURRENT_DB_URL = db_url
    yield db_url
    CURRENT_DB_URL = None


def current_db_url(tmp_path: Path, name: str = "t.db") -> str:
    """The database for the running test: the backend `both_backends` chose, else SQLite."""
    return CURRENT_DB_URL or f"sqlite:///{tmp_path / name}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For the few tests about SQLite itself (pragmas, WAL, file handling)."""
    return f"sqlite:///{tmp_path / 'tracker.db'}"


class Cli:
    """Runs `capa-tracker` in-process, the way the console script does."""

    def __init__(
        self, capsys: pytest.CaptureFixture[str], db_url: str, config: Path | None = None
    ) -> None:
        self.capsys = capsys
        self.db_url = db_url
        self.config = config

    def __call__(self, *args: str, stdin: bytes | None = None) -> Result:
        from tracker.cli import main

        argv = ["--db", self.db_url]
        if self.config is not None:
            argv = ["--config", str(self.config), *argv]
        self.capsys.readouterr()
        code = main([*argv, *args])
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    return Cli(capsys, db_url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Any]:
    from tracker.db import make_engine, upgrade

    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()
