"""Slack-compatible incoming webhooks (Slack, Mattermost, Rocket.Chat, Teams' Slack mode).

The URL is itself the secret (its path carries the token), so it never appears in a message:
errors name only the scheme and host.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests

from tracker.reminders.channels.base import DeliveryError
from tracker.reminders.planner import Digest
from tracker.reminders.render import chat_blocks, chat_text


def redact_url(url: str) -> str:
    """'https://hooks.slack.com/services/T0/B0/XYZ' -> 'https://hooks.slack.com/***'."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme or '?'}://{host}/***"


def _scrub(text: str, url: str) -> str:
    parts = urlsplit(url)
    for secret in (url, parts.path, parts.query):
        if secret and secret != "/":
            text = text.replace(secret, "/***")
    return text


def payload(digest: Digest, *, blocks: bool = True) -> dict[str, Any]:
    """'text' is what every receiver shows; 'blocks' enrich Slack and are ignored elsewhere."""
    body: dict[str, Any] = {"text": chat_text(digest)}
    if blocks:
        body["blocks"] = chat_blocks(digest)
    return body


class WebhookChannel:
    name = "webhook"
    per_action = False

    def __init__(
        self,
        url: str | None,
        *,
        url_env: str,
        timeout_seconds: float = 10.0,
        blocks: bool = True,
        session: requests.Session | None = None,
    ) -> None:
        self._url = url
        self._url_env = url_env
        self._timeout = timeout_seconds
        self._blocks = blocks
        self._session = session

    def send(self, digest: Digest) -> None:
        url = self._url
        if not url:
            raise DeliveryError(
                f"webhook: the environment variable ${self._url_env} is not set; "
                "put the incoming-webhook URL there"
            )
        where = redact_url(url)
        post = self._session.post if self._session is not None else requests.post
        try:
            response = post(url, json=payload(digest, blocks=self._blocks), timeout=self._timeout)
        except requests.RequestException as exc:
            # requests' messages quote the full URL; scrub it, and drop the chained exception.
            raise DeliveryError(
                f"webhook POST to {where} failed: {type(exc).__name__}: {_scrub(str(exc), url)}"
            ) from None
        if not 200 <= response.status_code < 300:
            detail = _scrub(response.text[:200].strip(), url)
            raise DeliveryError(
                f"webhook POST to {where} answered HTTP {response.status_code}"
                + (f": {detail}" if detail else "")
            )
