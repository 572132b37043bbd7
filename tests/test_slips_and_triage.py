"""Due-date slips (every extension recorded, a reason required by policy) and bulk triage,
through the real CLI on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import Cli

TODAY = datetime.now(UTC).date()


def _add(cli: Cli, title: str, *args: str) -> int:
    result = cli("add", title, "--json", *args)
    assert result.code == 0, result.err
    return int(result.json()["id"])


def test_a_later_due_date_needs_a_reason_and_every_extension_is_kept(cli: Cli) -> None:
    due = TODAY + timedelta(days=5)
    action = str(
        _add(cli, "Renew the TLS certificate", "--owner", "alice", "--due", due.isoformat())
    )

    refused = cli("update", action, "--due", (due + timedelta(days=7)).isoformat())
    assert refused.code == 2
    assert refused.err.count("\n") == 1
    assert refused.err.startswith("error: ")
    assert "needs a reason" in refused.err
    assert cli("show", action, "--json").json()["due_date"] == due.isoformat()

    # Earlier is never a slip and needs no reason.
    earlier = due - timedelta(days=2)
    assert cli("update", action, "--due", earlier.isoformat()).code == 0
    assert cli("update", action, "--due", "+12d", "--reason", "vendor delay").code == 0
    later = TODAY + timedelta(days=20)
    assert cli("update", action, "--due", later.isoformat(), "--reason", "freeze week").code == 0

    detail = cli("show", action, "--json").json()
    slips = detail["extensions"]
    assert [(s["old_due"], s["new_due"], s["days_added"], s["reason"]) for s in slips] == [
        (earlier.isoformat(), (TODAY + timedelta(days=12)).isoformat(), 12 - 3, "vendor delay"),
        ((TODAY + timedelta(days=12)).isoformat(), later.isoformat(), 8, "freeze week"),
    ]
    text = cli("show", action).out
    assert "Due date extended 2 time(s), 17 day(s) added" in text
    assert "vendor delay" in text
    assert "freeze week" in text

    stats = cli("stats", "--json").json()
    assert stats["slipped"] == 1
    assert {r["owner"]: r["slipped"] for r in stats["per_owner"]} == {"alice": 1}
    assert "due date moved later" in cli("stats").out


def test_the_policy_can_drop_the_reason_but_the_slip_is_still_recorded(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "capa.toml"
    config.write_text("[policy]\nrequire_reason_for_extension = false\n", encoding="utf-8")
    cli = Cli(capsys, db_url, config)
    action = str(_add(cli, "Add a disk alert", "--due", "+3d"))
    assert cli("update", action, "--due", "+10d").code == 0
    slips = cli("show", action, "--json").json()["extensions"]
    assert [(s["days_added"], s["reason"]) for s in slips] == [(7, None)]
    assert "(no reason given)" in cli("show", action).out


def test_triage_lists_the_unassigned_and_assigns_several_at_once(cli: Cli) -> None:
    owned = _add(cli, "Owned already", "--owner", "bob")
    loose = [_add(cli, f"Loose end {n}", "--due", "+5d") for n in range(3)]

    listed = cli("list", "--unassigned", "--json").json()
    assert [a["id"] for a in listed] == loose
    table = cli("list", "--unassigned")
    assert "Loose end 0" in table.out
    assert "Owned already" not in table.out
    assert cli("list", "--unassigned", "--owner", "bob").code == 2

    due = (TODAY + timedelta(days=14)).isoformat()
    ids = [str(i) for i in loose]
    result = cli("update", *ids, "--owner", "carol", "--due", due, "--reason", "triage", "--json")
    assert result.code == 0, result.err
    assert [(a["owner"], a["due_date"]) for a in result.json()] == [("carol", due)] * 3
    assert cli("list", "--unassigned", "--json").json() == []
    for action_id in loose:
        history = cli("show", str(action_id), "--json").json()["history"]
        changes = [e["field"] for e in history if e["kind"] == "change"]
        assert changes == ["owner", "due_date"]
    assert cli("show", str(owned), "--json").json()["owner"] == "bob"


def test_bulk_update_is_all_or_nothing(cli: Cli) -> None:
    first = _add(cli, "First", "--due", "+5d")
    second = _add(cli, "Second", "--due", "+5d")
    # One unknown id: nothing changes on the others.
    missing = cli("update", str(first), "999", str(second), "--owner", "dave")
    assert missing.code == 2
    assert missing.err.startswith("error: ")
    assert "#999" in missing.err
    # One action would slip without a reason: none of them moves.
    third = _add(cli, "Third", "--due", "+30d")
    refused = cli("update", str(third), str(first), "--due", "+10d")
    assert refused.code == 2
    for action_id in (first, second, third):
        detail = cli("show", str(action_id), "--json").json()
        assert detail["owner"] is None
        assert detail["extensions"] == []
    assert (
        cli("show", str(third), "--json").json()["due_date"]
        == (TODAY + timedelta(days=30)).isoformat()
    )
    assert cli("update", str(first), str(second), "--expect-version", "1", "--owner", "x").code == 2
