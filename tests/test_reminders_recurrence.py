"""Reminders say when the failure behind an open action happened again: a later incident
resembles the action's own. Through the real CLI on both backends (log channel), and by e-mail
over real SMTP (aiosmtpd)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.fakes.smtp import running_smtp_server
from tests.fakes.webhook import running_webhook
from tests.test_recurrence import CERT_1, CERT_2, DISK

NOW = "2026-03-09T09:00"
AGAIN = "the failure happened again: #{id} 2024-03-02 Checkout down again after certificate expiry"


def _config(tmp_path: Path, channels: str, port: int = 25) -> Path:
    path = tmp_path / "capa-tracker.toml"
    path.write_text(
        f"""
[policy]
timezone = "America/New_York"

[reminders]
channels = [{channels}]
escalate_after_days = 30

[reminders.email]
host = "127.0.0.1"
port = {port}
security = "none"
default_domain = "corp.test"
timeout_seconds = 5
""",
        encoding="utf-8",
    )
    return path


def _import(cli: Cli, path: Path, text: str) -> dict:
    path.write_text(text, encoding="utf-8")
    result = cli("import", str(path), "--json")
    assert result.code == 0, result.err
    incident: dict = result.json()["incidents"][0]
    return incident


def _seed(cli: Cli, tmp_path: Path) -> tuple[int, int, int, int]:
    """The certificate outage (one action owned and overdue), an unrelated disk outage, then
    the certificate failure again. Returns (first action, disk action, second action, #2)."""
    first = _import(cli, tmp_path / "a.md", CERT_1)
    disk = _import(cli, tmp_path / "c.md", DISK)
    second = _import(cli, tmp_path / "b.md", CERT_2)
    picked = (first["actions"][1]["id"], disk["actions"][0]["id"], second["actions"][1]["id"])
    for action in picked:
        done = cli("update", str(action), "--owner", "alice@corp.test", "--due", "2026-03-06")
        assert done.code == 0, done.err
    return (*picked, second["id"])


def _block(text: str, action: int) -> str:
    """The lines of one action in a plain-text digest."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"- #{action} "))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith("  ")), len(lines)
    )
    return "\n".join(lines[start:end])


def test_the_log_reminder_says_the_failure_happened_again(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    cli = Cli(capsys, db_url, config=_config(tmp_path, '"log"'))
    first, disk, second, again_id = _seed(cli, tmp_path)
    run = cli("remind", "--now", NOW)
    assert run.code == 0, run.err
    assert AGAIN.format(id=again_id) in _block(run.err, first)
    # An unrelated failure, and the latest incident itself, have nothing that came back.
    assert "happened again" not in _block(run.err, disk)
    assert "happened again" not in _block(run.err, second)

    plan = cli("remind", "--dry-run", "--now", NOW)
    assert plan.code == 0, plan.err
    [line] = [x for x in plan.out.splitlines() if f" #{first} " in x]
    assert f"({AGAIN.format(id=again_id)})" in line


def test_the_email_reminder_says_the_failure_happened_again(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    with running_smtp_server() as smtp:
        cli = Cli(capsys, sqlite_url, config=_config(tmp_path, '"email"', smtp.port))
        first, disk, _second, again_id = _seed(cli, tmp_path)
        run = cli("remind", "--now", NOW)
        [mail] = smtp.received()
    assert run.code == 0, run.err
    plain = mail.body("plain")
    assert AGAIN.format(id=again_id) in _block(plain, first)
    assert "happened again" not in _block(plain, disk)
    assert f"<strong>{AGAIN.format(id=again_id)}</strong>" in mail.body("html")


def test_the_webhook_post_says_the_failure_happened_again(
    capsys: pytest.CaptureFixture[str],
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with running_webhook() as hook:
        monkeypatch.setenv("CAPA_WEBHOOK_URL", hook.url)
        cli = Cli(capsys, sqlite_url, config=_config(tmp_path, '"webhook"'))
        first, disk, _second, again_id = _seed(cli, tmp_path)
        run = cli("remind", "--now", NOW)
        [post] = hook.received()
    assert run.code == 0, run.err
    lines = post.body["text"].splitlines()
    [mine] = [x for x in lines if x.startswith(f"• #{first} ")]
    assert mine.endswith(f"3 days overdue (due 2026-03-06) — {AGAIN.format(id=again_id)}")
    [other] = [x for x in lines if x.startswith(f"• #{disk} ")]
    assert "happened again" not in other
