"""A throwaway PostgreSQL cluster for the tests: the installed server binaries, a temporary
directory, a Unix socket and no TCP port, no system service. Each test gets a fresh database
cloned from a migrated template, so both backends run the same tests at nearly the same cost.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

SERVER_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin")


def find_bindir() -> Path | None:
    """Where initdb, pg_ctl and postgres live, or None when no server is installed."""
    for pattern in SERVER_GLOBS:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            if Path(candidate, "initdb").is_file() and Path(candidate, "pg_ctl").is_file():
                return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _as_user() -> tuple[int, int] | None:
    """PostgreSQL refuses to run as root: run it as the `postgres` (or `nobody`) account."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    raise RuntimeError("running as root and no unprivileged account to run PostgreSQL as")


def _demote(ids: tuple[int, int] | None) -> Callable[[], None] | None:
    if ids is None:
        return None

    def run_as() -> None:
        os.setgid(ids[1])
        os.setuid(ids[0])

    return run_as


class PostgresCluster:
    """Start with `start()`, get database URLs with `new_database()`, `stop()` at the end."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="capa-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.port = 54000 + (os.getpid() % 1000)
        self.ids = _as_user()
        self.template: str | None = None

    def _run(self, *args: str) -> None:
        proc = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            preexec_fn=_demote(self.ids),  # noqa: PLW1509
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=self.root,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {proc.stderr.strip() or proc.stdout.strip()}")

    def start(self) -> None:
        self.sock.mkdir()
        if self.ids is not None:
            for path in (self.root, self.sock):
                os.chown(path, *self.ids)
        self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "capa", "-E", "UTF8", "--no-sync"
        )
        options = (
            f"-p {self.port} -k {self.sock} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://capa@/{database}?host={self.sock}&port={self.port}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=str(self.sock), port=self.port, user="capa", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def empty_database(self) -> str:
        """A database with no schema at all, for migration tests."""
        name = f"e_{uuid.uuid4().hex[:12]}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def new_database(self) -> str:
        """A fresh, migrated database (cloned from a template migrated once)."""
        if self.template is None:
            from tracker.db import make_engine, upgrade

            self.template = "capa_template"
            self._admin(f"CREATE DATABASE {self.template}")
            engine = make_engine(self.url(self.template))
            upgrade(engine)
            engine.dispose()
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
