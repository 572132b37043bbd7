"""The remind pass against a real database and real channels: recorded, delivered once,
failures recorded and retried on the next run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from tests.conftest import current_db_url
from tests.fakes.smtp import FakeSmtpServer, running_smtp_server
from tests.fakes.webhook import FakeWebhook, running_webhook
from tracker.actions import create_action, transition
from tracker.config import ConfigError, EmailSettings, PersonSettings, ReminderSettings, Settings
from tracker.context import AppContext
from tracker.db import make_engine, session_scope, upgrade
from tracker.models import Reminder, utcnow
from tracker.reminders.run import remind_pass, run_remind
from tracker.reminders.sender import claim_token, requeue_stale

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("both_backends")

NY = ZoneInfo("America/New_York")
MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=NY)


@pytest.fixture
def smtp() -> Iterator[FakeSmtpServer]:
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWebhook]:
    with running_webhook() as receiver:
        monkeypatch.setenv("CAPA_WEBHOOK_URL", receiver.url)
        yield receiver


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(current_db_url(tmp_path))
    upgrade(engine)
    with session_scope(engine) as s:
        create_action(s, title="Rotate keys", actor="t", owner="alice", due_date=date(2026, 3, 2))
        create_action(s, title="Disk alerts", actor="t", owner="alice", due_date=date(2026, 3, 11))
        create_action(s, title="Runbook", actor="t", owner="bob", due_date=date(2026, 3, 5))
        create_action(s, title="Far away", actor="t", owner="bob", due_date=date(2026, 6, 1))
        done = create_action(s, title="Canary", actor="t", owner="bob", due_date=date(2026, 2, 1))
        transition(s, done.id, "done", actor="t", verify_by=date(2026, 3, 1))
    return engine


def context(
    tmp_path: Path,
    port: int,
    channels: list[str],
    *,
    escalate_after_days: int = 30,
    jira_url: str = "",
) -> AppContext:
    settings = Settings.model_validate(
        {
            "database": {"url": current_db_url(tmp_path)},
            "jira": {"url": jira_url, "token_env": "CAPA_TEST_JIRA_TOKEN"},
            "policy": {"timezone": "America/New_York"},
            "people": {"alice": PersonSettings(email="alice@corp.test", lead="carol@corp.test")},
            "reminders": ReminderSettings.model_validate(
                {
                    "channels": channels,
                    "escalate_after_days": escalate_after_days,
                    "email": EmailSettings(
                        host="127.0.0.1",
                        port=port,
                        security="none",
                        sender="capa@corp.test",
                        default_domain="corp.test",
                        timeout_seconds=3,
                    ),
                }
            ),
        }
    )
    return AppContext.build(settings)


def rows(engine: Engine) -> list[Reminder]:
    with session_scope(engine, write=False) as s:
        return list(s.exec(select(Reminder).order_by(col(Reminder.id))))


def test_a_pass_mails_one_digest_per_owner_and_records_every_reminder(
    tmp_path: Path, engine: Engine, smtp: FakeSmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = context(tmp_path, smtp.port, ["email"])
    assert run_remind(ctx, dry_run=False, now=MONDAY, as_json=False) == 0
    mails = {m.rcpt_tos[0]: m for m in smtp.received()}
    assert sorted(mails) == ["alice@corp.test", "bob@corp.test"]
    assert mails["alice@corp.test"].subject == "capa-tracker: 1 action overdue, 1 due soon"
    assert (
        mails["bob@corp.test"].subject == "capa-tracker: 1 action overdue, 1 awaiting verification"
    )
    bob = mails["bob@corp.test"].body("plain")
    assert bob.index("Canary") < bob.index("Runbook")  # 8 days past verify-by, 4 days overdue
    recorded = sorted(rows(engine), key=lambda r: r.action_id)
    assert [(r.action_id, r.recipient, r.rule, r.status, r.attempts) for r in recorded] == [
        (1, "alice@corp.test", "overdue", "sent", 1),
        (2, "alice@corp.test", "due_soon", "sent", 1),
        (3, "bob@corp.test", "overdue", "sent", 1),
        (5, "bob@corp.test", "verification", "sent", 1),
    ]
    assert all(r.sent_at is not None and r.digest_id for r in recorded)
    assert "sent 4 reminder(s) in 2 message(s), failed 0" in capsys.readouterr().err

    # The same day again: nothing new.
    assert run_remind(ctx, dry_run=False, now=MONDAY, as_json=False) == 0
    assert len(smtp.received()) == 2
    assert "sent 0 reminder(s) in 0 message(s), failed 0, skipped 4" in capsys.readouterr().err
    # Tuesday: alice's reminders cover the same windows; bob's overdue and verification
    # periods (every 2 days) have moved on, so only bob hears again.
    assert run_remind(ctx, dry_run=False, now=MONDAY + timedelta(days=1), as_json=False) == 0
    assert [m.rcpt_tos for m in smtp.received()[2:]] == [["bob@corp.test"]]
    assert "sent 2 reminder(s) in 1 message(s), failed 0, skipped 2" in capsys.readouterr().err


def test_dry_run_shows_who_would_get_what_and_writes_nothing(
    tmp_path: Path, engine: Engine, smtp: FakeSmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = context(tmp_path, smtp.port, ["email"])
    assert run_remind(ctx, dry_run=True, now=MONDAY, as_json=False) == 0
    out = capsys.readouterr().out
    assert "email to alice@corp.test: capa-tracker: 1 action overdue, 1 due soon" in out
    assert "bob@corp.test" in out
    assert "verification" in out
    assert rows(engine) == []
    assert smtp.received() == []

    run_remind(ctx, dry_run=False, now=MONDAY, as_json=False)
    capsys.readouterr()
    run_remind(ctx, dry_run=True, now=MONDAY, as_json=True)
    planned = json.loads(capsys.readouterr().out)["planned"]
    assert {p["status"] for p in planned} == {"sent"}


def test_json_output(
    tmp_path: Path, engine: Engine, smtp: FakeSmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = context(tmp_path, smtp.port, ["email"])
    assert run_remind(ctx, dry_run=False, now=MONDAY, as_json=True) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["sent"], data["failed"], data["skipped"]) == (4, 0, 0)
    assert data["today"] == "2026-03-09"
    assert data["planned"][0] == {
        "action_id": 1,
        "recipient": "alice@corp.test",
        "channel": "email",
        "rule": "overdue",
        "window": "2026-03-02/o3",
        "days_late": 7,
    }
    assert data["digests"][0]["subject"] == "capa-tracker: 1 action overdue, 1 due soon"
    assert [d["ok"] for d in data["deliveries"]] == [True, True]


def test_smtp_down_records_failure_and_the_next_run_sends(
    tmp_path: Path, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    with running_smtp_server() as probe:
        dead_port = probe.port  # free again once the probe server stops
    ctx = context(tmp_path, dead_port, ["email"])
    assert run_remind(ctx, dry_run=False, now=MONDAY, as_json=False) == 1
    err = capsys.readouterr().err
    assert f"failed: e-mail to alice@corp.test via 127.0.0.1:{dead_port} failed" in err
    failed = rows(engine)
    assert {(r.status, r.attempts) for r in failed} == {("failed", 1)}
    assert all("ConnectionRefusedError" in (r.last_error or "") for r in failed)

    with running_smtp_server() as smtp:
        ctx = context(tmp_path, smtp.port, ["email"])
        assert run_remind(ctx, dry_run=False, now=MONDAY, as_json=False) == 0
        assert sorted(m.rcpt_tos[0] for m in smtp.received()) == [
            "alice@corp.test",
            "bob@corp.test",
        ]
    assert {(r.status, r.attempts, r.last_error) for r in rows(engine)} == {("sent", 2, None)}


def test_a_failure_whose_period_has_moved_on_is_superseded_by_the_newer_notice(
    tmp_path: Path, engine: Engine
) -> None:
    with running_smtp_server() as probe:
        dead_port = probe.port
    assert (
        run_remind(
            context(tmp_path, dead_port, ["email"]), dry_run=False, now=MONDAY, as_json=False
        )
        == 1
    )
    tuesday = MONDAY + timedelta(days=1)
    with running_smtp_server() as smtp:
        ctx = context(tmp_path, smtp.port, ["email"])
        assert run_remind(ctx, dry_run=False, now=tuesday, as_json=False) == 0
        bob = next(m for m in smtp.received() if m.rcpt_tos == ["bob@corp.test"])
    # Bob's overdue period moved from o1 to o2 overnight: he hears about it once, newest news.
    assert "5 days overdue" in bob.body("plain")
    bob_rows = {(r.window, r.status) for r in rows(engine) if r.action_id == 3}
    assert bob_rows == {("2026-03-05/o1", "superseded"), ("2026-03-05/o2", "sent")}


def test_webhook_500_records_failure_and_the_next_run_posts(
    tmp_path: Path, engine: Engine, hook: FakeWebhook
) -> None:
    ctx = context(tmp_path, 1, ["webhook"])
    hook.status = 500
    assert run_remind(ctx, dry_run=False, now=MONDAY, as_json=False) == 1
    recorded = rows(engine)
    assert {r.status for r in recorded} == {"failed"}
    assert all("answered HTTP 500" in (r.last_error or "") for r in recorded)
    assert not any("s3cr3t" in (r.last_error or "") for r in recorded)

    hook.status = 200
    assert run_remind(ctx, dry_run=False, now=MONDAY, as_json=False) == 0
    # One team post for everybody, each owner mentioned above their actions.
    [text] = [p.body["text"] for p in hook.received()]
    assert text.splitlines()[0] == (
        "capa-tracker: 2 actions overdue, 1 due soon, 1 awaiting verification"
    )
    assert "\nbob:\n• #5 Canary — awaiting verification" in text
    assert "\nalice:\n• #1 Rotate keys — 7 days overdue (due 2026-03-02)\n• #2 Disk alerts" in text
    assert {r.status for r in rows(engine)} == {"sent"}


def test_channels_are_independent(
    tmp_path: Path, engine: Engine, smtp: FakeSmtpServer, hook: FakeWebhook
) -> None:
    ctx = context(tmp_path, smtp.port, ["email", "webhook"])
    hook.status = 500
    assert run_remind(ctx, dry_run=False, now=MONDAY, as_json=False) == 1
    by_channel = {(r.channel, r.status) for r in rows(engine)}
    assert by_channel == {("email", "sent"), ("webhook", "failed")}
    hook.status = 200
    assert run_remind(ctx, dry_run=False, now=MONDAY, as_json=False) == 0
    assert len(smtp.received()) == 2
    assert len(hook.received()) == 1  # one team post


def test_escalation_mails_the_lead(tmp_path: Path, engine: Engine, smtp: FakeSmtpServer) -> None:
    ctx = context(tmp_path, smtp.port, ["email"], escalate_after_days=7)
    run_remind(ctx, dry_run=False, now=MONDAY, as_json=False)
    carol = [m for m in smtp.received() if m.rcpt_tos == ["carol@corp.test"]]
    assert [m.subject for m in carol] == ["capa-tracker: 1 action escalated"]
    assert "owner alice" in carol[0].body("plain")


class RecordingCommentClient:
    def __init__(self) -> None:
        self.comments: list[str] = []
        self.down = False

    def add_comment(self, issue_key: str, body: str) -> None:
        if self.down and issue_key == "OPS-3":
            raise ConnectionError("jira unreachable")
        self.comments.append(issue_key)


def test_jira_comments_are_per_action_so_a_failure_retries_only_that_issue(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAPA_TEST_JIRA_TOKEN", "t0ken")
    with session_scope(engine) as s:
        from tracker.models import Action

        for action_id, key in ((1, "OPS-1"), (3, "OPS-3")):
            s.execute(update(Action).where(col(Action.id) == action_id).values(jira_key=key))
    ctx = context(tmp_path, 1, ["jira"], jira_url="https://jira.test")
    client = RecordingCommentClient()
    client.down = True
    assert run_remind(ctx, dry_run=False, now=MONDAY, as_json=False, comment_client=client) == 1
    assert client.comments == ["OPS-1"]
    client.down = False
    assert run_remind(ctx, dry_run=False, now=MONDAY, as_json=False, comment_client=client) == 0
    assert client.comments == ["OPS-1", "OPS-3"]


def test_a_channel_missing_its_setting_or_secret_refuses_the_run_up_front(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError, match=r'^reminders.channels has "jira" but jira.url is empty$'):
        remind_pass(context(tmp_path, 1, ["jira"]), dry_run=False, now=MONDAY)
    ctx = context(tmp_path, 1, ["email", "jira"], jira_url="https://jira.test")
    with pytest.raises(ConfigError, match=r"CAPA_TEST_JIRA_TOKEN is not set"):
        remind_pass(ctx, dry_run=False, now=MONDAY)
    assert rows(engine) == []  # nothing recorded, nothing half-sent
    # A dry run sends nothing: it warns instead, and still shows the plan.
    dry = remind_pass(ctx, dry_run=True, now=MONDAY)
    assert dry.warnings[0].startswith('reminders.channels has "jira" but $CAPA_TEST_JIRA_TOKEN')
    assert dry.plan.reminders


def test_an_interrupted_delivery_is_not_resent_until_an_operator_requeues_it(
    tmp_path: Path, engine: Engine, smtp: FakeSmtpServer
) -> None:
    ctx = context(tmp_path, smtp.port, ["email"])
    # Another run claimed alice's overdue reminder 2 hours ago and never finished.
    with session_scope(engine) as s:
        s.add(
            Reminder(
                action_id=1,
                recipient="alice@corp.test",
                channel="email",
                rule="overdue",
                window="2026-03-02/o3",
                status="sending",
                digest_id=claim_token(utcnow() - timedelta(hours=2)),
                created_at=utcnow() - timedelta(hours=2),
            )
        )
    result = remind_pass(ctx, dry_run=False, now=MONDAY)
    assert (result.report.sent, result.report.in_flight) == (3, 1)
    assert any("not re-sent automatically" in w for w in result.warnings)
    alice = next(m for m in smtp.received() if m.rcpt_tos == ["alice@corp.test"])
    assert "Rotate keys" not in alice.body("plain")

    assert requeue_stale(engine) == 1
    again = remind_pass(ctx, dry_run=False, now=MONDAY)
    assert again.report.sent == 1
    assert again.report.in_flight == 0
    assert "Rotate keys" in smtp.received()[-1].body("plain")


def test_a_fresh_claim_is_left_alone_by_requeue(tmp_path: Path, engine: Engine) -> None:
    with session_scope(engine) as s:
        s.add(
            Reminder(
                action_id=1,
                recipient="a@x",
                channel="email",
                rule="overdue",
                window="w",
                status="sending",
                digest_id=claim_token(utcnow() - timedelta(minutes=5)),
                created_at=utcnow() - timedelta(days=3),
            )
        )
    assert requeue_stale(engine) == 0
    assert requeue_stale(engine, utcnow() + timedelta(hours=1)) == 1
