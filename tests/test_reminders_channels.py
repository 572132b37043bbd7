"""Channels over real protocols: SMTP to aiosmtpd on loopback, webhook POSTs to a receiver."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.fakes.smtp import make_self_signed_cert, running_smtp_server
from tests.fakes.webhook import FakeWebhook, running_webhook
from tracker.config import EmailSettings
from tracker.reminders.channels.base import DeliveryError
from tracker.reminders.channels.email import EmailChannel
from tracker.reminders.channels.jira import JiraCommentChannel
from tracker.reminders.channels.log import LogChannel
from tracker.reminders.channels.webhook import WebhookChannel, redact_url
from tracker.reminders.planner import ActionSnapshot, Digest, PlannedReminder


def _item(id: int, rule: str, days_late: int, title: str, jira: str | None) -> PlannedReminder:
    snap = ActionSnapshot(
        id=id,
        title=title,
        owner="alice",
        due_date=date(2026, 3, 9) - timedelta(days=days_late),
        status="open",
        jira_key=jira,
        jira_url=f"https://jira.test/browse/{jira}" if jira else None,
        incident_title="Checkout <outage>",
    )
    return PlannedReminder(id, "alice@corp.test", "email", rule, "w", days_late, snap)  # type: ignore[arg-type]


DIGEST = Digest(
    recipient="alice@corp.test",
    channel="email",
    name="alice",
    chat="@alice",
    items=(
        _item(7, "overdue", 5, "Rotate <secrets> & keys", "OPS-7"),
        _item(8, "overdue", 2, "Add disk alerts", None),
        _item(9, "due_soon", -2, "Write runbook", "OPS-9"),
    ),
    today=date(2026, 3, 9),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- e-mail -----------------------------------------------------------------------------


def test_email_digest_arrives_with_subject_recipient_and_both_parts() -> None:
    with running_smtp_server() as server:
        settings = EmailSettings(
            host=server.host, port=server.port, security="none", sender="capa@corp.test"
        )
        EmailChannel(settings, password=None).send(DIGEST)
        [mail] = server.received()
    assert mail.rcpt_tos == ["alice@corp.test"]
    assert mail.mail_from == "capa@corp.test"
    assert mail.subject == "capa-tracker: 2 actions overdue, 1 due soon"
    assert mail.message["Auto-Submitted"] == "auto-generated"
    plain = mail.body("plain")
    assert "Hello alice," in plain
    assert "- #7 Rotate <secrets> & keys\n  5 days overdue (due 2026-03-04)" in plain
    assert "jira: OPS-7 https://jira.test/browse/OPS-7" in plain
    assert plain.index("#7") < plain.index("#8") < plain.index("#9")
    html = mail.body("html")
    assert "Rotate &lt;secrets&gt; &amp; keys" in html
    assert "Checkout &lt;outage&gt;" in html
    assert '<a href="https://jira.test/browse/OPS-7">OPS-7</a>' in html
    assert "<secrets>" not in html


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_self_signed_cert(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def trusted(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    # OpenSSL reads SSL_CERT_FILE when the default context is built: trust our test CA.
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))


@pytest.mark.usefixtures("trusted")
def test_email_starttls_with_login(certificate: tuple[Path, Path]) -> None:
    with running_smtp_server(tls_cert=certificate, credentials=("bot", "pa55")) as server:
        settings = EmailSettings(
            host="127.0.0.1", port=server.port, security="starttls", username="bot"
        )
        EmailChannel(settings, password="pa55").send(DIGEST)
        with pytest.raises(DeliveryError) as refused:
            EmailChannel(settings, password="wrong").send(DIGEST)
        [mail] = server.received()
    assert mail.authenticated_as == "bot"
    assert "login as 'bot' refused (535); check $SMTP_PASSWORD" in str(refused.value)
    assert "wrong" not in str(refused.value)


@pytest.mark.usefixtures("trusted")
def test_email_implicit_tls(certificate: tuple[Path, Path]) -> None:
    with running_smtp_server(tls_cert=certificate, implicit_tls=True) as server:
        settings = EmailSettings(host="127.0.0.1", port=server.port, security="tls")
        EmailChannel(settings, password=None).send(DIGEST)
        assert len(server.received()) == 1


def test_email_to_a_server_that_is_down_raises_a_clear_error() -> None:
    port = free_port()
    settings = EmailSettings(host="127.0.0.1", port=port, security="none", timeout_seconds=2)
    with pytest.raises(
        DeliveryError,
        match=rf"e-mail to alice@corp.test via 127.0.0.1:{port} failed: ConnectionRefusedError",
    ):
        EmailChannel(settings, password=None).send(DIGEST)


def test_email_login_without_password_says_which_variable() -> None:
    with running_smtp_server() as server:
        settings = EmailSettings(
            host="127.0.0.1", port=server.port, security="none", username="bot"
        )
        with pytest.raises(DeliveryError, match=r"password variable \$SMTP_PASSWORD is empty"):
            EmailChannel(settings, password=None).send(DIGEST)


# --- webhook ----------------------------------------------------------------------------


@pytest.fixture
def hook() -> Iterator[FakeWebhook]:
    with running_webhook() as receiver:
        yield receiver


def test_webhook_posts_slack_compatible_json(hook: FakeWebhook) -> None:
    WebhookChannel(hook.url, url_env="HOOK").send(DIGEST)
    [post] = hook.received()
    assert post.content_type == "application/json"
    text = post.body["text"]
    assert text.splitlines()[:2] == ["capa-tracker: 2 actions overdue, 1 due soon", "@alice:"]
    assert "• #7 Rotate &lt;secrets&gt; &amp; keys — 5 days overdue (due 2026-03-04)" in text
    assert "OPS-7 https://jira.test/browse/OPS-7" in text
    blocks = post.body["blocks"]
    assert blocks[0]["text"]["type"] == "mrkdwn"
    assert blocks[1]["text"]["text"].startswith("@alice:\n• #7 Rotate")
    assert "<https://jira.test/browse/OPS-7|OPS-7>" in blocks[1]["text"]["text"]
    assert len(blocks) == 2  # the subject, then one section per person mentioned


def test_webhook_without_blocks_sends_text_only(hook: FakeWebhook) -> None:
    WebhookChannel(hook.url, url_env="HOOK", blocks=False).send(DIGEST)
    assert set(hook.received()[0].body) == {"text"}


def test_webhook_http_500_is_a_delivery_error_without_the_secret_url(hook: FakeWebhook) -> None:
    hook.status = 500
    with pytest.raises(DeliveryError) as failed:
        WebhookChannel(hook.url, url_env="HOOK").send(DIGEST)
    message = str(failed.value)
    assert message == f"webhook POST to {hook.base_url}/*** answered HTTP 500: internal_error"
    assert "s3cr3t" not in message
    assert failed.value.__cause__ is None
    assert failed.value.__context__ is None


def test_webhook_connection_refused_hides_the_token() -> None:
    url = f"http://127.0.0.1:{free_port()}/hooks/T1/B1/s3cr3t-t0ken?x=s3cr3t2"
    with pytest.raises(DeliveryError) as failed:
        WebhookChannel(url, url_env="HOOK", timeout_seconds=2).send(DIGEST)
    message = str(failed.value)
    assert message.startswith("webhook POST to http://127.0.0.1:")
    assert "ConnectionError" in message
    assert "s3cr3t" not in message


def test_webhook_without_url_names_the_variable() -> None:
    with pytest.raises(DeliveryError, match=r"\$CAPA_WEBHOOK_URL is not set"):
        WebhookChannel(None, url_env="CAPA_WEBHOOK_URL").send(DIGEST)


def test_redact_url() -> None:
    assert redact_url("https://hooks.slack.com/services/T0/B0/XYZ") == "https://hooks.slack.com/***"


# --- jira and log -----------------------------------------------------------------------


class RecordingCommentClient:
    def __init__(self, fail_on: str | None = None) -> None:
        self.comments: list[tuple[str, str]] = []
        self.fail_on = fail_on

    def add_comment(self, issue_key: str, body: str) -> None:
        if issue_key == self.fail_on:
            raise RuntimeError("HTTP 403 forbidden")
        self.comments.append((issue_key, body))


def test_jira_channel_comments_on_each_linked_issue() -> None:
    client = RecordingCommentClient()
    JiraCommentChannel(client).send(DIGEST)
    assert [key for key, _ in client.comments] == ["OPS-7", "OPS-9"]
    assert client.comments[0][1] == (
        "Reminder from capa-tracker for alice: 5 days overdue (due 2026-03-04). "
        "Please update the action or close it when done."
    )
    with pytest.raises(DeliveryError, match="jira comment on OPS-9 failed: RuntimeError: HTTP 403"):
        JiraCommentChannel(RecordingCommentClient(fail_on="OPS-9")).send(DIGEST)


def test_log_channel_writes_the_plain_digest() -> None:
    out = io.StringIO()
    LogChannel(out).send(DIGEST)
    assert out.getvalue().startswith(
        "[reminder to alice@corp.test] capa-tracker: 2 actions overdue, 1 due soon\nHello alice,"
    )
