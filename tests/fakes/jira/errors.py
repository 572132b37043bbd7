"""Jira's error answer: an HTTP status plus an ``ErrorCollection`` body."""

from __future__ import annotations

from typing import Any


class JiraError(Exception):
    """Raised by the store or the JQL parser; the server turns it into a JSON error answer."""

    def __init__(
        self,
        status: int,
        messages: list[str] | None = None,
        errors: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.messages = list(messages or [])
        self.errors = dict(errors or {})
        super().__init__(f"{status}: {self.messages or self.errors}")

    def body(self) -> dict[str, Any]:
        return {"errorMessages": self.messages, "errors": self.errors}


def not_found_issue() -> JiraError:
    return JiraError(404, ["Issue does not exist or you do not have permission to see it."])


def bad_request(field: str, message: str) -> JiraError:
    return JiraError(400, errors={field: message})
