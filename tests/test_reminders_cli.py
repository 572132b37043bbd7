"""The reminder commands as people run them: the `capa-tracker` console script in a process,
real SMTP (aiosmtpd) and a real webhook receiver on loopback, a real SQLite database.

Monday 2026-03-09 in New York unless a test says otherwise.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from tests.fakes.jira import FakeJira
from tests.fakes.smtp import running_smtp_server
from tests.fakes.webhook import running_webhook
from tracker.actions import create_action
from tracker.db import make_engine, session_scope, upgrade
from tracker.models import Reminder, SyncLink

ROOT = Path(__file__).resolve().parents[1]
CAPA = str(Path(sys.executable).with_name("capa-tracker"))
NOW = "2026-03-09T09:00"


def write_config(tmp_path: Path, port: int = 25, *, extra: str = "", reminders: str = "") -> Path:
    path = tmp_path / "capa-tracker.toml"
    path.write_text(
        f"""
[database]
url = "sqlite:///{tmp_path / "tracker.db"}"

[policy]
timezone = "America/New_York"

[reminders]
escalate_after_days = 30
{reminders}

[reminders.email]
host = "127.0.0.1"
port = {port}
security = "none"
default_domain = "corp.test"
timeout_seconds = 5

[people.alice]
email = "alice@corp.test"
chat = "@alice"
{extra}
""",
        encoding="utf-8",
    )
    return path


def seed(tmp_path: Path, *owners: str, due: date = date(2026, 3, 6)) -> Engine:
    """One open action per owner, overdue on Monday 2026-03-09."""
    engine = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    upgrade(engine)
    with session_scope(engine) as s:
        for i, owner in enumerate(owners, start=1):
            create_action(s, title=f"Measure {i}", actor="test", owner=owner, due_date=due)
    return engine


def capa(
    config: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v for k, v in os.environ.items() if k not in ("CAPA_WEBHOOK_URL", "SMTP_PASSWORD")
    }
    return subprocess.run(
        [CAPA, "--config", str(config), *args],
        cwd=ROOT,
        env={**environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def recorded(engine: Engine) -> list[Reminder]:
    with session_scope(engine, write=False) as s:
        return list(s.exec(select(Reminder)))


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


# --- 1. only people with an address -----------------------------------------------------


def test_owners_who_are_not_addresses_are_skipped_and_named_once(tmp_path: Path) -> None:
    engine = seed(tmp_path, "alice", "@tomasz", "Ana Ferreira", "@tomasz", "bob")
    with running_smtp_server() as smtp:
        config = write_config(tmp_path, smtp.port, reminders='channels = ["email"]')
        run = capa(config, "remind", "--now", NOW)
        again = capa(config, "remind", "--now", NOW)

    assert run.returncode == 0, run.stderr
    assert sorted(m.rcpt_tos[0] for m in smtp.received()) == ["alice@corp.test", "bob@corp.test"]
    named = (
        "warning: 2 owner(s) are not e-mail addresses and get no reminders: "
        "'@tomasz' (#2, #4), 'Ana Ferreira' (#3); give them an email in [people] or set the "
        "action's owner to an address"
    )
    assert warnings(run.stderr) == [named]  # once per run, not once per action
    assert warnings(again.stderr) == [named]
    # Never recorded, so never "sent".
    assert sorted((r.recipient, r.status) for r in recorded(engine)) == [
        ("alice@corp.test", "sent"),
        ("bob@corp.test", "sent"),
    ]

    check = capa(config, "config", "check")
    assert check.returncode == 0, check.stderr
    assert warnings(check.stderr) == [named]


def test_a_people_email_that_is_not_an_address_is_a_config_error(tmp_path: Path) -> None:
    config = write_config(tmp_path, extra='[people.ana]\nemail = "Ana Ferreira"\n')
    check = capa(config, "config", "check")
    assert check.returncode == 2
    assert check.stderr.count("\n") == 1
    assert "people.ana.email: not an e-mail address" in check.stderr


# --- 2. a channel's secret --------------------------------------------------------------


def test_a_webhook_without_its_url_variable_is_refused_up_front(tmp_path: Path) -> None:
    engine = seed(tmp_path, "alice", "bob", "carol")
    config = write_config(tmp_path, reminders='channels = ["email", "webhook"]')
    line = (
        f'error: {config}: reminders.channels has "webhook" but $CAPA_WEBHOOK_URL is not set '
        "(export it with the incoming-webhook URL)\n"
    )
    for args in (["config", "check"], ["remind", "--now", NOW], ["scheduler", "--once"]):
        refused = capa(config, *args)
        assert (refused.returncode, refused.stderr) == (2, line), args
    assert recorded(engine) == []  # nothing half-done: no reminder recorded, none mailed

    # A dry run sends nothing, so it only warns, and shows the plan.
    dry = capa(config, "remind", "--dry-run", "--now", NOW)
    assert dry.returncode == 0, dry.stderr
    assert warnings(dry.stderr)[0].startswith(
        'warning: reminders.channels has "webhook" but $CAPA_WEBHOOK_URL is not set'
    )
    assert "webhook to team:" in dry.stdout


def test_an_smtp_login_without_its_password_variable_is_refused(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    text = config.read_text(encoding="utf-8").replace(
        'security = "none"', 'security = "none"\nusername = "capa-bot"'
    )
    config.write_text(text, encoding="utf-8")
    check = capa(config, "config", "check")
    assert check.returncode == 2
    assert check.stderr == (
        f"error: {config}: reminders.email.username is set but $SMTP_PASSWORD is not "
        "(export it with the SMTP password)\n"
    )
    assert capa(config, "config", "check", env={"SMTP_PASSWORD": "pw"}).returncode == 0


# --- 3. one team digest per webhook run -----------------------------------------------------


def test_the_webhook_gets_one_team_digest_with_every_owner_mentioned(tmp_path: Path) -> None:
    engine = seed(tmp_path, "alice", "bob", "carol", "bob")
    with running_webhook() as hook:
        config = write_config(tmp_path, reminders='channels = ["webhook"]')
        env = {"CAPA_WEBHOOK_URL": hook.url}
        first = capa(config, "remind", "--now", NOW, env=env)
        second = capa(config, "remind", "--now", NOW, env=env)
        posts = hook.received()

    assert first.returncode == 0, first.stderr
    assert "sent 4 reminder(s) in 1 message(s)" in first.stderr
    assert "sent 0 reminder(s) in 0 message(s), failed 0, skipped 4" in second.stderr
    [post] = posts  # one post for the team, and the rerun posts nothing
    text = post.body["text"]
    assert text.splitlines()[0] == "capa-tracker: 4 actions overdue"
    # Each owner mentioned once, above their actions: @alice by her chat handle.
    assert re.findall(r"^(\S+):$", text, flags=re.MULTILINE) == ["@alice", "bob", "carol"]
    assert "bob:\n• #2 Measure 2 — 3 days overdue (due 2026-03-06)\n• #4 Measure 4" in text
    assert {r.status for r in recorded(engine)} == {"sent"}


# --- 4. e-mails link the Jira issue ---------------------------------------------------------


def test_emails_link_the_actions_jira_issue_from_the_sync_link(tmp_path: Path) -> None:
    engine = seed(tmp_path, "alice", "alice")
    with session_scope(engine) as s:
        s.add(SyncLink(action_id=1, jira_key="OPS-41", jira_id="10041"))
    with running_smtp_server() as smtp:
        config = write_config(tmp_path, smtp.port, reminders='channels = ["email"]')
        with config.open("a", encoding="utf-8") as f:
            f.write('\n[jira]\nurl = "https://jira.corp.test/"\n')
        run = capa(config, "remind", "--now", NOW)
        [mail] = smtp.received()
    assert run.returncode == 0, run.stderr
    plain = mail.body("plain")
    assert (
        "- #1 Measure 1\n  3 days overdue (due 2026-03-06)\n  jira: OPS-41 https://jira.corp.test/browse/OPS-41\n"
        in plain
    )
    assert "- #2 Measure 2\n  3 days overdue (due 2026-03-06)\n\n" in plain  # not linked
    assert '<a href="https://jira.corp.test/browse/OPS-41">OPS-41</a>' in mail.body("html")


# --- 5. holidays by country and region ------------------------------------------------------


def test_holidays_come_from_the_country_and_region(tmp_path: Path) -> None:
    engine = seed(tmp_path, "alice", due=date(2026, 2, 9))
    holidays = '[reminders.holidays]\ncountry = "US"\nsubdivision = "NY"\ndates = [2026-02-13]\n'
    with running_smtp_server() as smtp:
        config = write_config(tmp_path, smtp.port, reminders='channels = ["email"]')
        with config.open("a", encoding="utf-8") as f:
            f.write("\n" + holidays)
        # Thursday 2026-02-12 is Lincoln's Birthday in New York State, not in all of the US.
        lincoln = capa(config, "remind", "--now", "2026-02-12")
        own = capa(config, "remind", "--now", "2026-02-13")  # a date of our own
        monday = capa(config, "remind", "--now", "2026-02-16")  # Presidents' Day (federal)
        tuesday = capa(config, "remind", "--now", "2026-02-17")
        received = smtp.received()

    assert lincoln.returncode == 0, lincoln.stderr
    assert "no reminders today: 2026-02-12 is a holiday (Lincoln's Birthday)" in lincoln.stderr
    assert "2026-02-13 is a holiday (configured holiday)" in own.stderr
    assert "2026-02-16 is a holiday (Washington's Birthday)" in monday.stderr
    assert tuesday.returncode == 0, tuesday.stderr
    assert [m.rcpt_tos for m in received] == [["alice@corp.test"]]  # Tuesday only
    assert "8 days overdue (due 2026-02-09)" in received[0].body("plain")
    assert len(recorded(engine)) == 1


def test_an_unknown_holiday_region_is_one_config_error(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    with config.open("a", encoding="utf-8") as f:
        f.write('\n[reminders.holidays]\ncountry = "US"\nsubdivision = "XY"\n')
    for args in (["config", "check"], ["remind", "--dry-run", "--now", NOW]):
        refused = capa(config, *args)
        assert refused.returncode == 2, args
        assert refused.stderr.startswith(
            "error: reminders.holidays.subdivision: US has no region 'XY'; use one of AK, AL,"
        )
        assert refused.stderr.count("\n") == 1


# --- 8. show lists reminders with their times -----------------------------------------------


def test_show_lists_the_reminders_with_their_times(tmp_path: Path) -> None:
    seed(tmp_path, "alice")
    with running_smtp_server() as smtp:
        config = write_config(tmp_path, smtp.port, reminders='channels = ["email"]')
        assert capa(config, "remind", "--now", NOW).returncode == 0
    shown = capa(config, "show", "1")
    assert shown.returncode == 0, shown.stderr
    reminders = shown.stdout.split("Reminders", 1)[1]
    assert re.search(
        r"^\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T  overdue -> alice@corp\.test via email: sent$",
        reminders,
        flags=re.MULTILINE,
    ), reminders
    assert "2026-03-06/o" not in reminders  # no internal window key
    data = capa(config, "show", "1", "--json")
    [row] = json.loads(data.stdout)["reminders"]
    assert row["planned_at"].endswith("Z")
    assert row["sent_at"].endswith("Z")


# --- 7. the root injects the Jira comment client ----------------------------------------------


def test_the_jira_channel_comments_through_the_client_the_cli_builds(tmp_path: Path) -> None:
    engine = seed(tmp_path, "alice", "bob")
    with FakeJira(deployment="cloud") as site:
        email, token = site.basic_auth
        config = write_config(tmp_path, reminders='channels = ["jira"]')
        with config.open("a", encoding="utf-8") as f:
            f.write(
                f'\n[jira]\nurl = "{site.url}"\nemail = "{email}"\n'
                'token_env = "CAPA_TEST_JIRA_TOKEN"\nproject = "OPS"\n'
            )
        without = capa(config, "remind", "--now", NOW)
        env = {"CAPA_TEST_JIRA_TOKEN": token, "CAPA_TRACKER_SYNC__SEARCH_SETTLE_SECONDS": "0"}
        synced = capa(config, "sync", env=env)
        run = capa(config, "remind", "--now", NOW, env=env)
        comments = {issue.key: [c.body for c in issue.comments] for issue in site.issues()}

    assert (without.returncode, without.stderr) == (
        2,
        f'error: {config}: reminders.channels has "jira" but $CAPA_TEST_JIRA_TOKEN is not set '
        "(export it with the Jira API token)\n",
    )
    assert synced.returncode == 0, synced.stderr
    assert run.returncode == 0, run.stderr
    assert sorted(comments.values()) == [
        [
            f"Reminder from capa-tracker for {owner}: 3 days overdue (due 2026-03-06). "
            "Please update the action or close it when done."
        ]
        for owner in ("alice", "bob")
    ]
    assert {r.channel for r in recorded(engine)} == {"jira"}
