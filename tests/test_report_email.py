"""The scheduler e-mails the weekly report: the real `capa-tracker scheduler --once` in a process,
a real SMTP server (aiosmtpd) on loopback, a real SQLite database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.fakes.smtp import running_smtp_server
from tests.test_reminders_cli import capa, seed, write_config

REPORTS = """
[reports]
recipients = ["lead@corp.test", "cto@corp.test"]
since = "30d"
"""


def test_scheduler_once_mails_the_report_to_each_recipient(tmp_path: Path) -> None:
    seed(tmp_path, "alice", "bob", due=date(2026, 3, 6))
    with running_smtp_server() as smtp:
        config = write_config(tmp_path, smtp.port, extra=REPORTS)
        run = capa(config, "scheduler", "--once")
        assert run.returncode == 0, run.stderr
        by_rcpt = {m.rcpt_tos[0]: m for m in smtp.received()}

    assert "job report: ok: report" in run.stderr
    assert "sent to 2 of 2" in run.stderr
    for rcpt in ("lead@corp.test", "cto@corp.test"):
        mail = by_rcpt[rcpt]
        assert mail.subject.startswith("Corrective actions: ")
        html = mail.body("html")
        assert "<svg" in html  # the charts, inline
        assert "<script" not in html
        assert "alice" in html  # open and overdue by owner
        text = mail.body("plain")
        assert "as of" in text.lower()
        assert "alice" in text
    # The period is the one `report --since 30d` covers on the same data.
    json_run = capa(config, "report", "--since", "30d", "--format", "json")
    assert json_run.returncode == 0, json_run.stderr
    data = json.loads(json_run.stdout)
    assert by_rcpt["lead@corp.test"].subject == (
        f"Corrective actions: {data['since']} to {data['as_of']}"
    )


def test_no_recipients_no_report_and_a_bad_address_is_refused(tmp_path: Path) -> None:
    seed(tmp_path, "alice")
    with running_smtp_server() as smtp:
        config = write_config(tmp_path, smtp.port)
        run = capa(config, "scheduler", "--once")
        assert run.returncode == 0, run.stderr
        assert all("lead" not in m.rcpt_tos[0] for m in smtp.received())
    assert "job report" not in run.stderr

    bad = write_config(tmp_path, extra='[reports]\nrecipients = ["the leads"]\n')
    check = capa(bad, "scheduler", "--once")
    assert check.returncode == 2
    assert check.stderr.count("\n") == 1
    assert "reports.recipients" in check.stderr
    assert "not an e-mail address" in check.stderr
