"""A stateful Jira-compatible server for tests: real HTTP on loopback, Jira's JSON shapes.

with FakeJira(deployment="cloud") as jira_site:
    client = jira.JIRA(server=jira_site.url, basic_auth=jira_site.basic_auth)
    jira_site.faults.queue(Fault.rate_limited(retry_after=1))
    jira_site.transition("OPS-1", "Done")          # as a person in Jira would
    assert jira_site.request_count == 3
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from types import TracebackType
from typing import Any

from .faults import Fault, FaultKind, FaultPlan
from .model import (
    CustomField,
    Deployment,
    FakeJiraConfig,
    Issue,
    Project,
    Status,
    Transition,
    User,
    format_jira_time,
)
from .render import Renderer
from .routes import JiraApi
from .server import FakeJiraHttp, RequestRecord
from .state import JiraStore

__all__ = [
    "CustomField",
    "FakeJira",
    "FakeJiraConfig",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "Issue",
    "Project",
    "RequestRecord",
    "Status",
    "Transition",
    "User",
    "format_jira_time",
]

_UNSET: Any = object()


class FakeJira:
    """One fake Jira site. ``deployment`` is ``"cloud"`` or ``"datacenter"``."""

    def __init__(self, config: FakeJiraConfig | None = None, **overrides: Any) -> None:
        self.config = replace(config or FakeJiraConfig(), **overrides)
        self.store = JiraStore(self.config)
        self.faults = FaultPlan()
        self._renderer = Renderer(self.store, "http://127.0.0.1")
        self._http = FakeJiraHttp(JiraApi(self.store, self._renderer), self.config, self.faults)
        self._running = False

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> FakeJira:
        self._http.start()
        self._renderer.base = f"http://127.0.0.1:{self._http.port}"
        self._running = True
        return self

    def stop(self) -> None:
        if self._running:
            self._http.stop()
            self._running = False

    def __enter__(self) -> FakeJira:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return self._renderer.base

    @property
    def deployment(self) -> Deployment:
        return self.config.deployment

    # -- credentials for clients -------------------------------------------------------
    @property
    def basic_auth(self) -> tuple[str, str]:
        """(e-mail, API token) accepted by a Cloud site."""
        return next(iter(self.config.cloud_credentials.items()))

    @property
    def token(self) -> str:
        """A personal access token accepted by a Data Center site."""
        return next(iter(self.config.dc_tokens))

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``jira.JIRA(**...)`` matching this site's deployment."""
        if self.deployment == "cloud":
            return {"server": self.url, "basic_auth": self.basic_auth}
        return {"server": self.url, "token_auth": self.token}

    # -- observability -----------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        return self._http.log.records()

    @property
    def request_count(self) -> int:
        return len(self._http.log)

    def writes(self) -> list[RequestRecord]:
        """Requests that change data (create, edit, transition, comment, property, ...)."""
        return [r for r in self.requests if r.is_write]

    def reset_requests(self) -> None:
        self._http.log.reset()

    # -- reading state directly --------------------------------------------------------
    def issue(self, key: str) -> Issue:
        return self.store.get(key)

    def issues(self) -> list[Issue]:
        return sorted(self.store.all_issues(), key=lambda i: int(i.id))

    def user(self, name: str) -> User:
        """A user by username, e-mail, account id or display name."""
        return self.store.user_by_name(name)

    def advance_clock(self, delta: timedelta) -> None:
        """Move the site's clock (timestamps of later changes) without sleeping."""
        self.store.clock_offset += delta

    # -- changes "as a person in Jira would" (each bumps ``updated``) -------------------
    def _actor(self, actor: str | None) -> User:
        return self.store.user_by_name(actor) if actor else self.config.users[1]

    def transition(self, key: str, status: str, *, actor: str | None = None) -> Issue:
        """Move an issue to the named status (resolution set/cleared as Jira does)."""
        return self.store.person_transition(key, status, self._actor(actor))

    def assign(self, key: str, user: str | None, *, actor: str | None = None) -> Issue:
        assignee = self.store.user_by_name(user) if user else None
        return self.store.person_change(key, {"assignee": assignee}, self._actor(actor))

    def set_due_date(self, key: str, due: str | None, *, actor: str | None = None) -> Issue:
        return self.store.person_change(key, {"duedate": due}, self._actor(actor))

    def edit(
        self,
        key: str,
        *,
        summary: str | None = None,
        labels: list[str] | None = None,
        description: str | None = _UNSET,
        priority: str | None = None,
        actor: str | None = None,
        **custom: Any,
    ) -> Issue:
        """Edit fields; ``custom`` takes custom field ids (``customfield_10050="..."``)."""
        values: dict[str, Any] = dict(custom)
        if summary is not None:
            values["summary"] = summary
        if labels is not None:
            values["labels"] = list(labels)
        if description is not _UNSET:
            values["description"] = description
        if priority is not None:
            values["priority"] = next(p for p in self.config.priorities if p.name == priority)
        return self.store.person_change(key, values, self._actor(actor))

    def comment(self, key: str, body: str, *, actor: str | None = None) -> None:
        self.store.person_comment(key, body, self._actor(actor))

    def set_property(self, key: str, prop: str, value: Any) -> None:
        self.store.set_property(key, prop, value)
