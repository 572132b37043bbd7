"""What every channel is: something that delivers one digest or raises `DeliveryError`."""

from __future__ import annotations

from typing import Protocol

from tracker.reminders.planner import Digest


class DeliveryError(Exception):
    """A digest could not be delivered; the message says where and why, without secrets."""


class ReminderChannel(Protocol):
    name: str
    # True when the channel delivers each action separately (a Jira comment per issue), so a
    # failure part-way must not re-deliver the items that already went out.
    per_action: bool

    def send(self, digest: Digest) -> None: ...
