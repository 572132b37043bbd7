"""What the CLI prints, for people and for pipes: uncut rows, resolved dates, warnings for past
dates, owner matching, no empty frames, times in the policy zone. Through the real CLI."""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.conftest import Cli
from tracker.policy import parse_due

TODAY = datetime.now(UTC).date()
LONG_TITLE = (
    "Rotate every credential the leaked CI token could reach, including the deploy keys of "
    "the three payment services and the read-only replica accounts nobody remembers owning"
)


def test_a_piped_table_keeps_each_action_on_one_line(cli: Cli) -> None:
    cli("add", LONG_TITLE, "--owner", "ana.ferreira@corp.example", "--priority", "P1")
    cli("add", "Short one", "--owner", "bob")
    out = cli("list").out
    (row,) = [line for line in out.splitlines() if "#1" in line]
    assert LONG_TITLE in row
    assert "ana.ferreira@corp.example" in row
    assert "P1" in row
    assert "open" in row
    assert len([line for line in out.splitlines() if line.strip()]) == 4  # header, rule, 2 rows
    assert len(row) > 200


def test_no_empty_table_frame_when_nothing_matches(cli: Cli) -> None:
    cli("add", "Something", "--kind", "detective")
    result = cli("list", "--kind", "process")
    assert result.code == 0
    assert result.out == ""
    assert result.err.strip() == "no actions match"
    incidents = cli("incidents")
    assert incidents.out == ""
    assert "no incidents yet" in incidents.err


def test_a_typed_date_is_echoed_resolved(cli: Cli) -> None:
    friday = parse_due("next friday", TODAY)
    added = cli("add", "Patch", "--due", "next friday")
    assert f"due {friday.isoformat()} (next friday)" in added.err
    default = cli("add", "No date", "--priority", "P1")
    assert f"due {(TODAY + timedelta(days=14)).isoformat()} (P1 default)" in default.err
    moved = cli("update", "1", "--due", "+2w", "--reason", "waiting for the vendor")
    assert f"due {(TODAY + timedelta(days=14)).isoformat()} (+2w)" in moved.err
    done = cli("done", "1", "--verify-by", "+30d")
    assert f"verify by {(TODAY + timedelta(days=30)).isoformat()} (+30d)" in done.err


def test_a_past_date_is_accepted_with_a_warning(cli: Cli) -> None:
    past = (TODAY - timedelta(days=10)).isoformat()
    added = cli("add", "Already late", "--due", past, "--json")
    assert added.code == 0
    assert added.json()["due_date"] == past
    assert f"warning: due date {past} is in the past (10 day(s) ago)" in added.err
    verify = cli("update", "1", "--verify-by", past)
    assert verify.code == 0
    assert f"warning: verify-by date {past} is in the past" in verify.err
    future = cli("update", "1", "--due", "+3d")
    assert "warning" not in future.err


def test_owner_matches_case_insensitively_on_a_substring_or_the_local_part(cli: Cli) -> None:
    for title, owner in (
        ("One", "ana@corp.example"),
        ("Two", "Ana Ferreira"),
        ("Three", "bob@corp.example"),
        ("Four", "Anatoly"),
    ):
        cli("add", title, "--owner", owner)

    def owners(*args: str) -> set[str]:
        json_rows = cli("list", "--json", *args).json()
        csv_rows = list(csv.DictReader(io.StringIO(cli("list", "--csv", *args).out)))
        assert {r["owner"] for r in json_rows} == {r["owner"] for r in csv_rows}
        return {r["owner"] for r in json_rows}

    everyone_ana = {"ana@corp.example", "Ana Ferreira", "Anatoly"}
    assert owners("--owner", "ana") == everyone_ana
    assert owners("--owner", "ANA") == everyone_ana
    assert owners("--owner", "ana@other.example") == everyone_ana
    assert owners("--owner", "ferreira") == {"Ana Ferreira"}
    assert owners("--owner", "bob@corp.example") == {"bob@corp.example"}
    assert owners("--owner", "100%") == set()
    table = cli("list", "--owner", "ana").out
    assert "Ana Ferreira" in table
    assert "bob" not in table

    # The dashboard's Mine count for user "ana" agrees with `list --owner ana`.
    from tracker.db import make_engine
    from tracker.queries.dashboard import summary

    engine = make_engine(cli.db_url)
    with engine.connect() as conn:
        assert summary(conn, TODAY, user="ana").mine_open == len(everyone_ana)
    engine.dispose()


def test_history_times_carry_the_policy_timezone(
    capsys: object, db_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "capa-tracker.toml"
    config.write_text('[policy]\ntimezone = "Asia/Kolkata"\n', encoding="utf-8")
    cli = Cli(capsys, db_url, config)  # type: ignore[arg-type]
    cli("add", "Patch")
    cli("done", "1")
    cli("update", "1", "--status", "verified")
    shown = cli("show", "1", "--json").json()

    def local(stamp: str) -> str:
        at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        return at.astimezone(ZoneInfo("Asia/Kolkata")).strftime("%Y-%m-%d %H:%M IST")

    out = cli("show", "1").out
    assert "History (times in Asia/Kolkata)" in out
    assert f"{local(shown['history'][0]['at'])}  " in out
    assert f"verified   {local(shown['verified_at'])} by " in out
    assert "Z by" not in out


def test_show_lists_reminders_by_time_not_by_window_key(cli: Cli) -> None:
    from sqlmodel import Session

    from tracker.db import make_engine
    from tracker.models import Reminder

    cli("add", "Patch", "--owner", "ana@corp.example")
    engine = make_engine(cli.db_url)
    sent = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    with Session(engine) as session:
        session.add(
            Reminder(
                action_id=1,
                recipient="ana@corp.example",
                channel="email",
                rule="due_soon",
                window="2026-W48-weird-key",
                status="sent",
                created_at=sent - timedelta(minutes=1),
                sent_at=sent,
            )
        )
        session.commit()
    engine.dispose()
    out = cli("show", "1").out
    assert "2026-11-27 09:00 UTC  due soon -> ana@corp.example via email: sent" in out
    assert "W48-weird-key" not in out


def test_on_a_terminal_the_table_fits_its_width(db_url: str) -> None:
    """The real console script in a pseudo-terminal 80 columns wide: long titles fold, no line
    is wider than the terminal."""
    exe = Path(sys.executable).with_name("capa-tracker")
    env = {**os.environ, "COLUMNS": "80", "LINES": "24", "TERM": "xterm"}
    subprocess.run(
        [str(exe), "--db", db_url, "add", LONG_TITLE], env=env, check=True, capture_output=True
    )
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [str(exe), "--db", db_url, "list"], stdout=follower, stderr=subprocess.DEVNULL, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=60) == 0
    os.close(leader)
    text = re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode("utf-8"))
    lines = [line for line in text.replace("\r", "").split("\n") if line.strip()]
    assert max(len(line) for line in lines) <= 80
    assert len(lines) > 4  # the title folded over several lines
    assert "Rotate every" in text
