"""The command line as a user meets it: every command, its JSON, its exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import Cli

TODAY = datetime.now(UTC).date()  # the CLI's "today" in its default zone, UTC


def _add(cli: Cli, title: str, *args: str) -> int:
    result = cli("add", title, "--json", *args)
    assert result.code == 0, result.err
    return int(result.json()["id"])


@pytest.fixture
def populated(cli: Cli) -> dict[str, int]:
    return {
        "overdue": _add(
            cli,
            "Rotate the leaked token",
            "--owner",
            "alice",
            "--priority",
            "P0",
            "--due",
            (TODAY - timedelta(days=3)).isoformat(),
        ),
        "soon": _add(
            cli, "Add a disk-full alert", "--owner", "bob", "--kind", "detective", "--due", "+2d"
        ),
        "later": _add(
            cli,
            "Write the failover runbook",
            "--owner",
            "alice",
            "--kind",
            "process",
            "--priority",
            "P3",
        ),
        "none": _add(cli, "Load-test the checkout", "--kind", "preventive", "--due", "+20d"),
    }


def test_version_and_help_are_quick_and_say_what_they_should() -> None:
    exe = Path(sys.executable).with_name("capa-tracker")
    version = subprocess.run(
        [str(exe), "--version"], capture_output=True, text=True, check=False, timeout=30
    )
    assert version.returncode == 0
    assert version.stdout.startswith("capa-tracker ")
    helptext = subprocess.run(
        [str(exe), "--help"], capture_output=True, text=True, check=False, timeout=30
    )
    for command in (
        "import",
        "add",
        "list",
        "show",
        "update",
        "done",
        "incidents",
        "stats",
        "export",
        "sync",
        "remind",
        "scheduler",
        "dashboard",
        "demo",
        "config",
        "db",
    ):
        assert f"  {command} " in helptext.stdout


def test_add_applies_the_priority_slo_when_no_due_date_is_given(cli: Cli) -> None:
    result = cli("add", "Patch the kernel", "--priority", "P1", "--json")
    data = result.json()
    assert (data["id"], data["status"], data["priority"]) == (1, "open", "P1")
    assert data["due_date"] == (TODAY + timedelta(days=14)).isoformat()


def test_add_refuses_unknown_values(cli: Cli) -> None:
    assert cli("add", "x", "--kind", "magic").code == 2
    bad_date = cli("add", "x", "--due", "the 5th")
    assert bad_date.code == 2
    assert "YYYY-MM-DD" in bad_date.err
    assert cli("list", "--json").json() == []


def test_list_filters(cli: Cli, populated: dict[str, int]) -> None:
    def ids(*args: str) -> list[int]:
        result = cli("list", "--json", *args)
        assert result.code == 0, result.err
        return [a["id"] for a in result.json()]

    assert ids("--overdue") == [populated["overdue"]]
    assert ids("--due-within", "3") == [populated["soon"]]
    assert set(ids("--owner", "ALICE")) == {populated["overdue"], populated["later"]}
    assert ids("--kind", "process") == [populated["later"]]
    assert ids("--priority", "P0") == [populated["overdue"]]
    assert ids("--search", "disk") == [populated["soon"]]
    # Default sort is by due date, soonest (most overdue) first.
    assert ids() == [populated["overdue"], populated["soon"], populated["none"], populated["later"]]
    assert ids("--sort", "id", "--desc")[0] == populated["none"]


def test_list_hides_closed_actions_unless_asked(cli: Cli, populated: dict[str, int]) -> None:
    assert cli("done", str(populated["soon"])).code == 0
    open_ids = [a["id"] for a in cli("list", "--json").json()]
    assert populated["soon"] not in open_ids
    assert [a["id"] for a in cli("list", "--json", "--status", "done").json()] == [
        populated["soon"]
    ]
    assert len(cli("list", "--json", "--all").json()) == 4


def test_list_json_has_the_documented_fields(cli: Cli, populated: dict[str, int]) -> None:
    row = cli("list", "--json", "--overdue").json()[0]
    for key in (
        "id",
        "incident_id",
        "title",
        "kind",
        "priority",
        "owner",
        "due_date",
        "status",
        "jira_key",
        "created_at",
        "updated_at",
        "closed_at",
        "verify_by",
    ):
        assert key in row
    assert row["created_at"].endswith("Z")


def test_list_csv_and_table(cli: Cli, populated: dict[str, int]) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("list", "--csv").out)))
    assert [int(r["id"]) for r in rows][0] == populated["overdue"]
    table = cli("list")
    assert "3d overdue" in table.out
    assert "Rotate the leaked token" in table.out
    assert "4 action(s)" in table.err


def test_show_prints_the_history(cli: Cli, populated: dict[str, int]) -> None:
    action_id = populated["later"]
    cli("update", str(action_id), "--owner", "carol", "--note", "alice is on leave")
    detail = cli("show", f"#{action_id}", "--json").json()
    assert detail["owner"] == "carol"
    kinds = [(e["kind"], e["field"]) for e in detail["history"]]
    assert kinds == [("created", None), ("change", "owner"), ("note", None)]
    human = cli("show", str(action_id))
    assert "owner: alice -> carol" in human.out
    assert "alice is on leave" in human.out


def test_update_status_rules_and_messages(cli: Cli, populated: dict[str, int]) -> None:
    action_id = str(populated["none"])
    refused = cli("update", action_id, "--status", "verified")
    assert refused.code == 2
    assert (
        "is open; it can move to blocked, done, in_progress, wont_do, not verified" in refused.err
    )
    no_reason = cli("update", action_id, "--status", "wont_do")
    assert no_reason.code == 2
    assert "needs a reason" in no_reason.err
    ok = cli("update", action_id, "--status", "wont_do", "--reason", "covered by #2", "--json")
    assert ok.code == 0
    assert ok.json()["status"] == "wont_do"
    assert ok.json()["status_reason"] == "covered by #2"
    assert cli("update", action_id).code == 2
    assert cli("update", "999", "--owner", "x").code == 2


def test_update_with_a_stale_version_is_refused(cli: Cli, populated: dict[str, int]) -> None:
    action_id = str(populated["soon"])
    version = cli("show", action_id, "--json").json()["version"]
    assert cli("update", action_id, "--owner", "carol", "--expect-version", str(version)).code == 0
    stale = cli("update", action_id, "--owner", "dave", "--expect-version", str(version))
    assert stale.code == 1
    assert "changed meanwhile" in stale.err
    assert cli("show", action_id, "--json").json()["owner"] == "carol"


def test_done_with_note_sets_verify_by(cli: Cli, populated: dict[str, int]) -> None:
    result = cli(
        "done", str(populated["soon"]), str(populated["later"]), "--note", "alert live", "--json"
    )
    assert result.code == 0
    done = result.json()
    assert [a["status"] for a in done] == ["done", "done"]
    assert done[0]["verify_by"] == (TODAY + timedelta(days=30)).isoformat()
    history = cli("show", str(populated["soon"]), "--json").json()["history"]
    assert any(e["field"] == "status" and e["note"] == "alert live" for e in history)
    verified = cli("update", str(populated["soon"]), "--status", "verified", "--json").json()
    assert verified["verified_at"] is not None


def test_stats(cli: Cli, populated: dict[str, int]) -> None:
    cli("done", str(populated["later"]))
    data = cli("stats", "--json").json()
    assert (
        data["total"],
        data["open"],
        data["overdue"],
        data["due_this_week"],
        data["done_last_30_days"],
    ) == (4, 3, 1, 1, 1)
    assert data["median_days_to_close"] == 0.0
    owners = {r["owner"]: r for r in data["per_owner"]}
    assert owners["alice"]["overdue"] == 1
    assert owners["alice"]["done_last_30_days"] == 1
    assert data["per_incident"][0]["incident_id"] is None
    human = cli("stats")
    assert "median days to close" in human.out
    assert "Per owner" in human.out


def test_incidents_lists_progress(cli: Cli, tmp_path: Path) -> None:
    doc = tmp_path / "pm.md"
    doc.write_text(
        "# DNS outage\n\n## Follow-ups\n- Lower the TTL on the apex record\n- Add a second DNS provider\n",
        encoding="utf-8",
    )
    assert cli("import", str(doc)).code == 0
    cli("done", "1")
    (row,) = cli("incidents", "--json").json()
    assert (row["title"], row["actions"], row["closed"], row["overdue"]) == ("DNS outage", 2, 1, 0)
    assert "1/2" in cli("incidents").out


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_export_formats(cli: Cli, populated: dict[str, int], tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    result = cli("export", "--format", fmt, "--output", str(target))
    assert result.code == 0
    assert "exported 4 action(s)" in result.err
    text = target.read_text(encoding="utf-8")
    if fmt == "json":
        assert len(json.loads(text)) == 4
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(text)))) == 4
    else:
        assert len(re.findall(r"^\| #\d+ \|", text, flags=re.M)) == 4
        assert "| Rotate the leaked token |" in text


def test_export_markdown_escapes_pipes(cli: Cli) -> None:
    _add(cli, "Split a|b into two | services")
    out = cli("export", "--format", "markdown").out
    assert "Split a\\|b into two \\| services" in out


def test_export_rejects_an_unknown_format(cli: Cli) -> None:
    result = cli("export", "--format", "xml")
    assert result.code == 2
    assert "json, csv or markdown" in result.err


def test_untrusted_text_is_printed_literally(cli: Cli) -> None:
    title = "[bold red]x[/] [@click=app.quit]q"
    _add(cli, title)
    assert title in cli("list").out
    assert title in cli("show", "1").out


def test_db_upgrade_reports_the_revision(cli: Cli) -> None:
    result = cli("db", "upgrade")
    assert result.code == 0
    from tracker.db import head_revision

    assert f"database at revision {head_revision()}" in result.err


def test_db_copy_moves_everything_and_refuses_a_full_target(
    cli: Cli, populated: dict[str, int], tmp_path: Path
) -> None:
    cli("update", str(populated["soon"]), "--owner", "carol")
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    result = cli("db", "copy", "--to", target, "--json")
    assert result.code == 0, result.err
    counts = result.json()
    assert counts["action"] == 4
    assert counts["event"] == 5
    copied = Cli(cli.capsys, target)
    assert cli("list", "--json", "--all").json() == copied("list", "--json", "--all").json()
    again = cli("db", "copy", "--to", target)
    assert again.code == 1
    assert "already has rows" in again.err


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("list", "--no-such-flag").code == 2
    assert cli("show", "abc").code == 2
    assert cli("frobnicate").code == 2
    assert cli("sync", "--push-only", "--pull-only").code == 2


def test_an_unreadable_database_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "not-a-db.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    result = Cli(capsys, f"sqlite:///{bogus}")("list")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.count("\n") == 1
    assert "database" in result.err


def test_demo_fills_a_fresh_database_from_the_bundled_examples(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    result = cli("demo", "--no-dashboard", "--db-path", str(target))
    assert result.code == 0, result.err
    assert str(target) in result.err
    demo = Cli(cli.capsys, f"sqlite:///{target}")
    actions = demo("list", "--all", "--json").json()
    assert len(actions) >= 20
    statuses = {a["status"] for a in actions}
    assert {"open", "done"} <= statuses
    assert len(demo("incidents", "--json").json()) >= 5
    again = cli("demo", "--no-dashboard", "--db-path", str(target))
    assert again.code == 2
    assert "already exists" in again.err
