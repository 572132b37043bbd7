"""Measures the importer is not sure of: kept as candidates, listed, reviewed in a terminal.

The confidence of each measure is the parser's; these tests take the numbers from it (through
the pure `parse_postmortem`) rather than hard-coding them, so that tuning the parser does not
break them. They need a parser that is unsure of some measures (prose "we will ..."); a parser
that gives every measure 1.0 has nothing to review, and the tests say so and skip.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Cli

DOC = """# Disk full on the build cache

Started 2026-03-02 14:00 UTC and ended 2026-03-02 15:30 UTC.

## Impact
Builds failed for 90 minutes.

## Action items
- Alert when the build cache disk is 80% full
- Rotate build cache logs daily

## Lessons learned
We were slow to notice the alert. We will probably look into a second disk for the cache
someday. The team is working on a clearer on-call handover.
"""
DEFAULT_MIN = 0.6
EXE = Path(sys.executable).with_name("capa-tracker")


def _below(threshold: float, text: str = DOC) -> list[str]:
    from tracker.postmortem import parse_postmortem

    parsed = parse_postmortem(text, name="build-cache.md")
    return [m.title for m in parsed.measures if m.confidence < threshold]


def _needs(threshold: float, count: int) -> list[str]:
    titles = _below(threshold)
    if len(titles) < count:
        pytest.skip(
            f"the parser in this tree is unsure (< {threshold}) of {len(titles)} measure(s) in "
            f"the sample, {count} needed: nothing to review"
        )
    return titles


def _write(tmp_path: Path, text: str = DOC) -> Path:
    path = tmp_path / "build-cache.md"
    path.write_text(text, encoding="utf-8")
    return path


def _config(tmp_path: Path, min_confidence: float) -> Path:
    path = tmp_path / "capa.toml"
    path.write_text(f"[import]\nmin_confidence = {min_confidence}\n", encoding="utf-8")
    return path


def test_uncertain_measures_are_listed_as_candidates_beside_the_actions(
    cli: Cli, tmp_path: Path
) -> None:
    unsure = _needs(DEFAULT_MIN, 1)
    path = _write(tmp_path)
    for args in (("--dry-run", "--json"), ("--json",)):
        result = cli("import", str(path), *args)
        assert result.code == 0, result.err
        (incident,) = result.json()["incidents"]
        candidates = incident["candidates"]
        assert [c["title"] for c in candidates] == unsure
        assert all(c["confidence"] < DEFAULT_MIN and c["reason"] for c in candidates)
        assert all(c["status"] == "pending" for c in candidates)
        assert not {a["title"] for a in incident["actions"]} & set(unsure)
        assert incident["actions"], "the sure measures are actions"
    # Nothing of the dry run was kept: the real import created the candidates once.
    shown = cli("incident", "show", str(incident["id"]), "--json").json()
    assert [c["title"] for c in shown["candidates"]] == unsure


def test_import_says_how_many_possible_measures_wait_for_review(cli: Cli, tmp_path: Path) -> None:
    unsure = _needs(DEFAULT_MIN, 1)
    path = _write(tmp_path)
    result = cli("import", str(path))
    assert result.code == 0, result.err
    n = len(unsure)
    expected = (
        f"{n} possible measure{'s' if n != 1 else ''} not imported — "
        f"review with `capa-tracker import {path} --review`"
    )
    assert expected in result.err.splitlines()


def test_min_confidence_is_a_setting(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    _needs(DEFAULT_MIN, 1)
    everything = Cli(capsys, db_url, _config(tmp_path, 0.0))
    incident = everything("import", str(_write(tmp_path)), "--json").json()["incidents"][0]
    assert incident["candidates"] == []
    assert set(_below(DEFAULT_MIN)) <= {a["title"] for a in incident["actions"]}
    wrong = Cli(capsys, db_url, _config(tmp_path, 1.5))("import", str(_write(tmp_path)))
    assert wrong.code == 2
    (line,) = wrong.err.splitlines()
    assert line.startswith("error:")
    assert "import.min_confidence" in line


class Terminal:
    """The installed console script on a pseudo-terminal: what a person types and sees."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [str(EXE), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} never appeared; the terminal shows:\n{self.seen}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk:
                    if text not in self.seen:
                        raise AssertionError(f"{text!r} never appeared:\n{self.seen}")
                    break
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        index = self.seen.index(text) + len(text)
        before, self.seen = self.seen[:index], self.seen[index:]
        return before

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 30.0) -> int:
        try:
            while True:
                ready, _, _ = select.select([self.master], [], [], timeout)
                if not ready:
                    break
                chunk = os.read(self.master, 4096)
                if not chunk:
                    break
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        except OSError:
            pass
        code = self.proc.wait(timeout=timeout)
        os.close(self.master)
        return code


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAPA_TRACKER_")}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"))
    env.update(extra)
    return env


def test_review_in_a_terminal_accepts_edits_and_rejects_one_key_each(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    # Every measure below 1.0 is a candidate here, so that there are several to answer.
    unsure = _needs(1.0, 3)
    path = _write(tmp_path)
    env = _env(tmp_path, CAPA_TRACKER_IMPORT__MIN_CONFIDENCE="1.0")
    term = Terminal(["--db", db_url, "import", str(path), "--review"], env)
    term.expect(f"[1/{len(unsure)}]")
    term.expect("q quit? ")
    term.send("a")
    term.expect("accepted: action #")
    term.expect(f"[2/{len(unsure)}]")
    term.expect("q quit? ")
    term.send("e")
    term.expect("title")
    term.send("\x15Corrected title from the review\r")  # ctrl-U clears the offered default
    term.expect("accepted: action #")
    term.expect(f"[3/{len(unsure)}]")
    term.expect("q quit? ")
    term.send("r")
    term.expect("rejected")
    term.expect("q quit? ")
    term.send("q")
    term.expect("reviewed: 2 accepted, 1 rejected")
    assert term.finish() == 0

    titles = [a["title"] for a in cli("list", "--json").json()]
    assert titles == [unsure[0], "Corrected title from the review"]
    (incident,) = cli("incidents", "--json").json()
    shown = cli("incident", "show", str(incident["id"]), "--json").json()
    statuses = {c["title"]: c["status"] for c in shown["candidates"]}
    assert statuses[unsure[0]] == "accepted"
    assert statuses[unsure[1]] == "accepted"
    assert statuses[unsure[2]] == "rejected"
    assert [k for k in shown["history"] if k["kind"] == "rejected"][0]["old_value"] == unsure[2]
    first = cli("list", "--json").json()[0]
    created = cli("show", str(first["id"]), "--json").json()["history"][0]
    assert (created["kind"], created["source"]) == ("created", "cli")
    assert "candidates" in created["note"]

    # The document changes and is imported again: the rejected one stays out, the accepted
    # ones are the same actions, the corrected title is kept.
    path.write_text(DOC + "\n## Timeline\n- 14:00 builds fail\n", encoding="utf-8")
    again = cli("import", str(path), "--json")
    assert again.code == 0, again.err
    data = again.json()["incidents"][0]
    assert data["outcome"] == "updated"
    assert data["retired"] == []
    assert data["created"] == []
    live = [a["title"] for a in data["actions"] if not a["retired"]]
    assert live == titles
    assert unsure[2] not in [c["title"] for c in data["candidates"] if c["status"] == "pending"]


def test_review_reads_answers_from_a_pipe_one_letter_a_line(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    unsure = _needs(DEFAULT_MIN, 1)
    path = _write(tmp_path)
    proc = subprocess.run(
        [str(EXE), "--db", db_url, "import", str(path), "--review"],
        input=b"r\n" * len(unsure),
        capture_output=True,
        env=_env(tmp_path),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert f"reviewed: 0 accepted, {len(unsure)} rejected, 0 still waiting" in proc.stderr.decode()
    # Rejected stays rejected when the same (or a changed) document is imported again.
    for text in (DOC, DOC + "\n## Timeline\n- 14:00 builds fail\n"):
        path.write_text(text, encoding="utf-8")
        result = cli("import", str(path), "--json")
        assert result.code == 0, result.err
        incident = result.json()["incidents"][0]
        assert {c["status"] for c in incident["candidates"]} == {"rejected"}
        assert not {a["title"] for a in incident["actions"]} & set(unsure)
        assert "possible measure" not in cli("import", str(path)).err


def test_review_refuses_json_and_dry_run(cli: Cli, tmp_path: Path) -> None:
    path = _write(tmp_path)
    for extra in ("--json", "--dry-run"):
        result = cli("import", str(path), "--review", extra)
        assert result.code == 2
        (line,) = result.err.splitlines()
        assert line.startswith("error:")
        assert "--review" in line
    assert cli("incidents", "--json").json() == []
