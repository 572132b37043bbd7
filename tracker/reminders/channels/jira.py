"""A comment on each action's Jira issue, through a client the caller supplies.

The core never imports Jira: the sync package provides an object with `add_comment`, and the
composition root passes it in (tests pass a recording fake).
"""

from __future__ import annotations

from typing import Protocol

from tracker.reminders.channels.base import DeliveryError
from tracker.reminders.planner import Digest
from tracker.reminders.render import jira_comment


class CommentClient(Protocol):
    def add_comment(self, issue_key: str, body: str) -> None: ...


class JiraCommentChannel:
    name = "jira"
    per_action = True

    def __init__(self, client: CommentClient) -> None:
        self._client = client

    def send(self, digest: Digest) -> None:
        for item in digest.items:
            key = item.action.jira_key
            if not key:
                continue
            try:
                self._client.add_comment(key, jira_comment(item))
            except Exception as exc:  # the client's errors are its own; report them all alike
                raise DeliveryError(
                    f"jira comment on {key} failed: {type(exc).__name__}: {exc}"
                ) from None
