"""E-mail over SMTP: plain-text and HTML parts, STARTTLS or TLS, optional login.

The password comes from the environment variable the settings name and is never part of an
error message; server replies are, because they say what to fix.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from tracker.config import EmailSettings
from tracker.reminders.channels.base import DeliveryError
from tracker.reminders.planner import Digest
from tracker.reminders.render import html_body, plain_text, subject


def build_message(digest: Digest, sender: str) -> EmailMessage:
    """The multipart/alternative message for one digest."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = digest.recipient
    message["Subject"] = subject(digest)
    message["Date"] = formatdate(localtime=False)
    domain = sender.rpartition("@")[2] or "capa-tracker.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    # RFC 3834: tells autoresponders (out-of-office) not to answer.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(plain_text(digest))
    message.add_alternative(html_body(digest), subtype="html")
    return message


class EmailChannel:
    name = "email"
    per_action = False

    def __init__(self, settings: EmailSettings, password: str | None) -> None:
        self._settings = settings
        self._password = password

    def send(self, digest: Digest) -> None:
        cfg = self._settings
        try:
            message = build_message(digest, cfg.sender)
        except (ValueError, TypeError) as exc:  # e.g. a line break in an address
            raise DeliveryError(f"e-mail to {digest.recipient!r}: bad header ({exc})") from None
        send_message(cfg, self._password, message, digest.recipient)


def send_message(
    cfg: EmailSettings, password: str | None, message: EmailMessage, recipient: str
) -> None:
    """Deliver one message over SMTP as the settings say; `recipient` names it in errors."""
    where = f"{cfg.host}:{cfg.port}"
    try:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if cfg.security == "tls":
            smtp = smtplib.SMTP_SSL(
                cfg.host, cfg.port, timeout=cfg.timeout_seconds, context=context
            )
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_seconds)
        with smtp:
            smtp.ehlo()
            if cfg.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if cfg.username:
                if not password:
                    raise DeliveryError(
                        f"e-mail via {where}: username is set but the password "
                        f"variable ${cfg.password_env} is empty"
                    )
                smtp.login(cfg.username, password)
            refused = smtp.send_message(message)
    except DeliveryError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"e-mail via {where}: login as {cfg.username!r} refused "
            f"({exc.smtp_code}); check ${cfg.password_env}"
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(
            f"e-mail to {recipient}: recipient refused by {where} "
            f"({_reply(exc.recipients.get(recipient))})"
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            f"e-mail to {recipient} via {where}: server said "
            f"{exc.smtp_code} {_text(exc.smtp_error)}"
        ) from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise DeliveryError(
            f"e-mail to {recipient} via {where} failed: {type(exc).__name__}: {exc}"
        ) from None
    if refused:
        raise DeliveryError(f"e-mail to {recipient}: refused by {where} ({refused})")


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


def _reply(reply: tuple[int, bytes] | None) -> str:
    if reply is None:
        return "no reason given"
    return f"{reply[0]} {_text(reply[1])}"
