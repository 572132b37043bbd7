"""Errors of the Jira sync, and the redaction every message passes through before it is shown.

The `jira` library's own exceptions print request headers (Authorization included) and bodies,
so nothing here ever formats one with `str()`: messages are rebuilt from the status code and
Jira's error list, then `redact()`ed.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable

from tracker.errors import ConfigurationError, JiraError


class SyncError(JiraError):
    """The sync could not run; the message is one line, already redacted."""

    exit_code = 1


class SyncConfigError(SyncError, ConfigurationError):
    """The configuration cannot work (no URL, no token, a project or field Jira does not
    have, ...): exit 2, one line naming the setting."""

    exit_code = 2


class JiraLoginError(SyncError):
    """Jira refused us or is not reachable / not a Jira."""


class SyncLockedError(SyncError):
    """Another sync holds the lock on this database."""


class JiraRequestError(SyncError):
    """One request failed for good. `status` is None when no answer came back."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        outcome_known: bool = True,
        body: object = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = body  # Jira's parsed error body (never headers), for per-element errors
        # False when the request may have been applied although we got no answer
        # (dropped connection, timeout, 5xx): a create must then be looked up, not repeated.
        self.outcome_known = outcome_known


_AUTH_HEADER = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(basic|bearer)?\s*[^'\",}\s]+")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Remove tokens (raw and base64 inside basic auth) and Authorization headers from text."""
    out = text
    for secret in secrets:
        if not secret:
            continue
        out = out.replace(secret, "***")
    out = _AUTH_HEADER.sub(lambda m: m.group(1) + "***", out)
    out = _BEARER.sub(lambda m: m.group(1) + " ***", out)
    return out


def basic_auth_forms(email: str, token: str) -> list[str]:
    """The encodings of a token that could show up in a log: raw and as a basic-auth value."""
    pair = f"{email}:{token}".encode()
    return [token, base64.b64encode(pair).decode()]


def one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
