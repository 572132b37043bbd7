"""The exit-code rule, command by command, through the real CLI on both backends.

Anything the user typed wrong exits 2 with exactly one `error:` line that names what is
allowed, and changes nothing; an operation that failed while running exits 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli

KINDS = "corrective, preventive, detective, mitigation, process"
STATUSES = "open, in_progress, blocked, done, verified, wont_do"
PRIORITIES = "P0, P1, P2, P3"
DATES = "YYYY-MM-DD, +14d, +2w, today, tomorrow or next friday"

# (arguments, words the one error line must contain). Action #1 exists and is open.
TYPED_WRONG = [
    (["add", "x", "--kind", "magic"], KINDS),
    (["add", "x", "--priority", "P9"], PRIORITIES),
    (["add", "x", "--due", "the 5th"], DATES),
    (["add", "x", "--incident", "99"], "no incident 99"),
    (["list", "--kind", "foo"], KINDS),
    (["list", "--kind", "process,foo"], KINDS),
    (["list", "--priority", "P7"], PRIORITIES),
    (["list", "--status", "bogus"], STATUSES),
    (["list", "--incident", "99"], "no incident #99"),
    (["list", "--json", "--kind", "foo"], KINDS),
    (["list", "--json", "--incident", "99"], "no incident #99"),
    (["list", "--sort", "colour"], "use one of id, due"),
    (["list", "--due-within", "-3"], "zero or more days"),
    (["list", "--no-such-flag"], "capa-tracker list --help"),
    (["show", "99"], "no action #99"),
    (["show", "abc"], "capa-tracker show --help"),
    (["update", "1", "--status", "bogus"], STATUSES),
    (["update", "1", "--priority", "P9"], PRIORITIES),
    (["update", "1", "--kind", "magic"], KINDS),
    (["update", "1", "--due", "someday"], DATES),
    (["update", "1", "--status", "wont_do"], "needs a reason"),
    (["update", "1", "--status", "verified"], "blocked, done, in_progress, wont_do"),
    (["update", "1"], "nothing to change"),
    (["update", "99", "--owner", "x"], "no action #99"),
    (["done", "99"], "no action #99"),
    (["done", "1", "--verify-by", "later"], DATES),
    (["export", "--format", "xml"], "json, csv or markdown"),
    (["stats", "--format", "xml"], "capa-tracker stats --help"),
    (["incidents", "--all"], "capa-tracker incidents --help"),
    (["frobnicate"], "capa-tracker --help"),
]


@pytest.mark.parametrize(("args", "allowed"), TYPED_WRONG, ids=lambda v: " ".join(v))
def test_anything_typed_wrong_exits_2_with_one_error_line_naming_what_is_allowed(
    cli: Cli, args: list[str], allowed: str
) -> None:
    assert cli("add", "Rotate the token", "--owner", "ana").code == 0
    before = cli("list", "--all", "--json").out

    result = cli(*args)

    assert result.code == 2, result.err
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: ")
    assert allowed in lines[0]
    assert cli("list", "--all", "--json").out == before


def test_a_bad_id_among_several_changes_none_of_them(cli: Cli) -> None:
    cli("add", "One")
    cli("add", "Two")
    result = cli("done", "1", "2", "99")
    assert result.code == 2
    assert [a["status"] for a in cli("list", "--all", "--json").json()] == ["open", "open"]


def test_a_failed_operation_exits_1(cli: Cli, tmp_path: Path) -> None:
    cli("add", "One")
    result = cli("export", "-o", str(tmp_path / "no-such-dir" / "out.json"))
    assert result.code == 1
    assert result.err.startswith("error: cannot write")
    assert result.err.count("\n") == 1


def test_a_changed_record_is_an_operation_failure_not_a_typo(cli: Cli) -> None:
    cli("add", "One")
    assert cli("update", "1", "--owner", "ana", "--expect-version", "1").code == 0
    stale = cli("update", "1", "--owner", "bob", "--expect-version", "1")
    assert stale.code == 1
    assert stale.err.startswith("error: ")
    assert "changed meanwhile" in stale.err
