"""The log channel: the digest as plain text on stderr (or any stream), for trials and cron mail."""

from __future__ import annotations

import sys
from typing import TextIO

from tracker.reminders.channels.base import DeliveryError
from tracker.reminders.planner import Digest
from tracker.reminders.render import plain_text, subject


class LogChannel:
    name = "log"
    per_action = False

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def send(self, digest: Digest) -> None:
        stream = self._stream or sys.stderr
        try:
            stream.write(f"[reminder to {digest.recipient}] {subject(digest)}\n")
            stream.write(plain_text(digest))
            stream.flush()
        except (OSError, ValueError) as exc:
            raise DeliveryError(f"log channel: cannot write ({exc})") from exc
