"""Private by default: the database we create and the files `export -o` writes are readable by
their owner only. Post-mortems of security incidents live there."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.conftest import Cli


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_default_database_and_its_folder_are_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tracker.cli import main
    from tracker.config import default_data_dir

    folder = default_data_dir()
    assert str(folder).startswith(str(tmp_path))  # the isolated XDG_DATA_HOME
    assert not folder.exists()
    assert main(["add", "Rotate the token"]) == 0
    assert main(["list"]) == 0
    assert _mode(folder) == 0o700
    database = folder / "capa-tracker.db"
    assert _mode(database) == 0o600
    for sidecar in folder.glob("capa-tracker.db-*"):  # SQLite's -wal and -shm files
        assert _mode(sidecar) == 0o600, sidecar
    assert "Rotate the token" in capsys.readouterr().out


def test_an_existing_folder_is_left_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "team"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    cli = Cli(capsys, f"sqlite:///{shared / 'tracker.db'}")
    assert cli("add", "x").code == 0
    assert _mode(shared) == 0o755
    assert _mode(shared / "tracker.db") == 0o600


def test_export_files_are_private_new_or_overwritten(cli: Cli, tmp_path: Path) -> None:
    cli("add", "Rotate the token")
    new = tmp_path / "new.csv"
    assert cli("export", "--format", "csv", "-o", str(new)).code == 0
    assert _mode(new) == 0o600
    old = tmp_path / "old.md"
    old.write_text("stale", encoding="utf-8")
    old.chmod(0o644)
    assert cli("export", "--format", "markdown", "-o", str(old)).code == 0
    assert _mode(old) == 0o600
    assert "Rotate the token" in old.read_text(encoding="utf-8")
