"""A real SMTP server on loopback (aiosmtpd) that keeps every message it accepts.

Speaks the real protocol, including STARTTLS and AUTH when asked, so the e-mail channel is
tested over the wire exactly as it talks to a production relay.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    authenticated_as: str | None

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def body(self, subtype: str) -> str:
        part = self.message.get_body(preferencelist=(subtype,))
        assert part is not None, f"no text/{subtype} part"
        return str(part.get_content()).replace("\r\n", "\n")


@dataclass
class FakeSmtpServer:
    host: str
    port: int
    messages: list[ReceivedMail] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=threading.Condition)
    # While set and not released, the server keeps each message but holds back its "250"
    # reply: the client has delivered and is waiting, which is where a test can kill it.
    hold: threading.Event | None = None

    def received(self) -> list[ReceivedMail]:
        with self.lock:
            return list(self.messages)

    def wait_for_messages(self, count: int, timeout: float = 30) -> list[ReceivedMail]:
        """Block until at least `count` messages have arrived (or fail after `timeout`)."""
        with self.lock:
            if not self.lock.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(f"{len(self.messages)} of {count} messages in {timeout}s")
            return list(self.messages)


class _Handler:
    def __init__(self, server: FakeSmtpServer, delay: float) -> None:
        self._server = server
        self._delay = delay

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        auth = session.auth_data
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        with self._server.lock:
            self._server.messages.append(
                ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), parsed, login)
            )
            self._server.lock.notify_all()
        hold = self._server.hold
        if hold is not None:
            await asyncio.get_running_loop().run_in_executor(None, hold.wait)
        if self._delay:
            # A slow relay: the message is here, the client still waits for "250".
            await asyncio.sleep(self._delay)
        return "250 OK"


class _AnyPortController(Controller):
    """aiosmtpd's Controller, but port 0 picks a free port (read back once bound)."""

    def _trigger_server(self) -> None:
        server: Any = self.server
        self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


def make_self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with the openssl command line."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@contextmanager
def running_smtp_server(
    *,
    tls_cert: tuple[Path, Path] | None = None,
    credentials: tuple[str, str] | None = None,
    implicit_tls: bool = False,
    delay: float = 0.0,
) -> Iterator[FakeSmtpServer]:
    """Start a server on 127.0.0.1; with `tls_cert` it offers STARTTLS (or, with
    `implicit_tls`, speaks TLS from the first byte); with `credentials` it requires AUTH
    LOGIN/PLAIN with exactly those; `delay` holds each reply to DATA that long."""
    server = FakeSmtpServer("127.0.0.1", 0)
    kwargs: dict[str, Any] = {}
    if tls_cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(tls_cert[0]), str(tls_cert[1]))
        kwargs["ssl_context" if implicit_tls else "tls_context"] = context
    if credentials is not None:
        user, password = credentials

        def authenticate(
            _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
        ) -> AuthResult:
            ok = (
                isinstance(data, LoginPassword)
                and data.login.decode() == user
                and data.password.decode() == password
            )
            return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

        kwargs |= {
            "authenticator": authenticate,
            "auth_required": True,
            "auth_require_tls": tls_cert is not None,
        }
    controller = _AnyPortController(_Handler(server, delay), hostname="127.0.0.1", port=0, **kwargs)
    controller.start()
    server.port = controller.port
    try:
        yield server
    finally:
        if server.hold is not None:
            server.hold.set()  # release a held reply, so the server can stop
        controller.stop()
