"""The Jira adapter: builds a `jira.JIRA` from the settings and speaks REST v2 through it.

Everything the sync needs from Jira goes through `JiraGateway`, a small interface over the
library's session. The library's own retries are switched off (`max_retries=0`): it retries
dropped connections for any method, POST included, which turns a lost answer to a create into a
duplicate issue. Here reads and idempotent writes are retried with backoff and jitter, 429 is
waited out, and a create whose answer was lost is reported as "outcome unknown" so that the
engine looks it up by its marker instead of sending it again.

Over 500 lines on purpose: one adapter, so every REST call and its retry rule sit side by side.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import requests

from sync.errors import (
    JiraLoginError,
    JiraRequestError,
    SyncConfigError,
    basic_auth_forms,
    one_line,
    redact,
)
from tracker.config import JiraSettings, Settings

if TYPE_CHECKING:
    from jira import JIRA

TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})
MAX_RATE_LIMIT_WAITS = 8
MAX_RETRY_AFTER_SECONDS = 120.0


@dataclass
class RetryPolicy:
    """How hard to try: `max_retries` extra attempts for transient failures."""

    max_retries: int = 4
    base_delay: float = 0.25
    max_delay: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter (attempt counts from 1)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return float(ceiling / 2 + self.rng.uniform(0, ceiling / 2))


@dataclass(frozen=True)
class BulkCreateResult:
    """Per position in the request: the created issue (id, key) or the error text."""

    created: dict[int, tuple[str, str]]
    errors: dict[int, str]


class JiraPort(Protocol):
    """What the sync engine needs from Jira. `JiraGateway` is the real one."""

    deployment: str
    requests: int

    def connect(self) -> dict[str, Any]: ...

    def fields(self) -> list[dict[str, Any]]: ...

    def project(self, key: str) -> dict[str, Any]: ...

    def resolutions(self) -> list[dict[str, Any]]: ...

    def find_users(self, query: str) -> list[dict[str, Any]]: ...

    def search(
        self,
        jql: str,
        *,
        fields: Sequence[str],
        properties: Sequence[str] = (),
        page_size: int | None = None,
    ) -> Iterator[list[dict[str, Any]]]: ...

    def create_issues(self, payloads: Sequence[Mapping[str, Any]]) -> BulkCreateResult: ...

    def edit_issue(self, key: str, body: Mapping[str, Any]) -> None: ...

    def get_issue(self, key: str, fields: Sequence[str]) -> dict[str, Any]: ...

    def transitions(self, key: str) -> list[dict[str, Any]]: ...

    def transition_issue(
        self, key: str, transition_id: str, fields: Mapping[str, Any] | None = None
    ) -> None: ...

    def add_comment(self, key: str, body: str) -> None: ...


# ---------------------------------------------------------------------------- construction


def check_settings(settings: Settings) -> str:
    """Refuse a configuration that cannot work; return the token from the environment."""
    cfg = settings.jira
    where = settings.source or "the configuration"
    if not cfg.url:
        raise SyncConfigError(f"{where}: jira.url is empty; set it to your Jira site's address")
    parts = urlsplit(cfg.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SyncConfigError(
            f"{where}: jira.url {cfg.url!r} is not an http(s) URL; use e.g. https://example.atlassian.net"
        )
    if cfg.deployment == "cloud" and not cfg.email:
        raise SyncConfigError(
            f"{where}: jira.email is empty; Jira Cloud logs in with the e-mail that owns the API token"
        )
    if not cfg.project:
        raise SyncConfigError(f"{where}: jira.project is empty; set the project key, e.g. OPS")
    token = settings.secret(cfg.token_env)
    if not token:
        raise SyncConfigError(
            f"the Jira token is not set: export {cfg.token_env}=<token> "
            f"(jira.token_env names the variable; the token never goes in the file)"
        )
    return token


def secrets_of(settings: Settings) -> list[str]:
    """Every form of the token that must never appear in output."""
    token = settings.secret(settings.jira.token_env)
    if not token:
        return []
    return basic_auth_forms(settings.jira.email, token)


def build_client(settings: Settings) -> JIRA:
    """A `jira.JIRA` for the configured site: timeouts, TLS verification, no library retries.

    Makes no request; `JiraGateway.connect()` checks the login.
    """
    from jira import JIRA

    token = check_settings(settings)
    cfg = settings.jira
    auth: dict[str, Any] = (
        {"basic_auth": (cfg.email, token)} if cfg.deployment == "cloud" else {"token_auth": token}
    )
    try:
        return JIRA(
            server=cfg.url,
            options={"verify": cfg.verify_tls, "check_update": False},
            timeout=(min(10.0, cfg.timeout_seconds), cfg.timeout_seconds),
            max_retries=0,
            get_server_info=False,
            **auth,
        )
    except Exception as exc:  # the library validates options eagerly; never show its text raw
        raise SyncConfigError(
            redact(f"cannot set up the Jira client: {type(exc).__name__}", [token])
        ) from None


def build_gateway(settings: Settings, *, policy: RetryPolicy | None = None) -> JiraGateway:
    return JiraGateway(
        build_client(settings),
        settings.jira,
        secrets=secrets_of(settings),
        policy=policy or RetryPolicy(max_retries=settings.jira.max_retries),
    )


# ---------------------------------------------------------------------------- the adapter


class JiraGateway:
    """REST v2 calls through the library's session, with our retry rules and redaction."""

    def __init__(
        self,
        client: JIRA,
        settings: JiraSettings,
        *,
        secrets: Sequence[str] = (),
        policy: RetryPolicy | None = None,
    ) -> None:
        self.client = client
        self.settings = settings
        self.deployment: str = settings.deployment
        self.secrets = [s for s in secrets if s]
        self.policy = policy or RetryPolicy(max_retries=settings.max_retries)
        self.requests = 0

    # -- plumbing ------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return f"{self.settings.url.rstrip('/')}/rest/api/2/{path}"

    def _message(self, method: str, path: str, status: int | None, detail: str) -> str:
        where = f"{method} {path.split('?', 1)[0]}"
        head = f"HTTP {status}" if status is not None else "no answer"
        return redact(
            one_line(f"{where}: {head}: {detail}" if detail else f"{where}: {head}"), self.secrets
        )

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        retry_unknown: bool = True,
    ) -> Any:
        """One logical call. `retry_unknown` False: never resend after a lost answer."""
        from jira.exceptions import JIRAError

        attempt = 0
        waits = 0
        while True:
            self.requests += 1
            try:
                response = self.client._session.request(
                    method,
                    self._url(path),
                    params=dict(params) if params else None,
                    data=json.dumps(body) if body is not None else None,
                )
            except JIRAError as exc:
                status = exc.status_code
                detail, data = _jira_detail(exc)
                if status == 429 and waits < MAX_RATE_LIMIT_WAITS:
                    waits += 1
                    self.policy.sleep(self._retry_after(exc.response, waits))
                    continue
                if status in TRANSIENT_STATUSES:
                    if retry_unknown and attempt < self.policy.max_retries:
                        attempt += 1
                        self.policy.sleep(self.policy.backoff(attempt))
                        continue
                    raise JiraRequestError(
                        self._message(method, path, status, detail),
                        status=status,
                        outcome_known=method == "GET",
                    ) from None
                raise JiraRequestError(
                    self._message(method, path, status, detail), status=status, body=data
                ) from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                if retry_unknown and attempt < self.policy.max_retries:
                    attempt += 1
                    self.policy.sleep(self.policy.backoff(attempt))
                    continue
                kind = "timed out" if isinstance(exc, requests.Timeout) else "connection lost"
                raise JiraRequestError(
                    self._message(method, path, None, kind),
                    status=None,
                    outcome_known=method == "GET",
                ) from None
            if not response.content:
                return None
            try:
                return response.json()
            except ValueError:
                raise JiraRequestError(
                    self._message(method, path, response.status_code, "the answer is not JSON"),
                    status=response.status_code,
                ) from None

    def _retry_after(self, response: Any, waits: int) -> float:
        raw = getattr(response, "headers", {}).get("Retry-After") if response is not None else None
        try:
            seconds = float(raw) if raw is not None else self.policy.backoff(waits)
        except ValueError:
            seconds = self.policy.backoff(waits)
        return max(0.0, min(seconds, MAX_RETRY_AFTER_SECONDS)) + self.policy.rng.uniform(0, 0.1)

    # -- login -----------------------------------------------------------------------------
    def connect(self) -> dict[str, Any]:
        """Check that the URL is a Jira and that it accepts us; returns serverInfo."""
        url = self.settings.url
        try:
            info = self._send("GET", "serverInfo")
        except JiraRequestError as exc:
            if exc.status is None:
                raise JiraLoginError(
                    f"cannot reach Jira at {url} ({_tail(str(exc))}); check jira.url and the network"
                ) from None
            if exc.status == 404:
                raise JiraLoginError(
                    f"{url} is not a Jira site (no REST API at /rest/api/2/serverInfo, HTTP 404); check jira.url"
                ) from None
            if exc.status in (401, 403):
                raise self._refused(exc.status) from None
            raise JiraLoginError(
                f"Jira at {url} answered HTTP {exc.status}; try again later"
            ) from None
        if not isinstance(info, dict) or "versionNumbers" not in info:
            raise JiraLoginError(f"{url} answered, but not like a Jira site; check jira.url")
        kind = str(info.get("deploymentType", ""))
        try:
            me = self._send("GET", "myself")
        except JiraRequestError as exc:
            if exc.status in (401, 403):
                raise self._refused(exc.status, kind) from None
            raise JiraLoginError(
                f"Jira at {url} did not confirm the login ({_tail(str(exc))})"
            ) from None
        if not isinstance(me, dict):
            raise JiraLoginError(
                f"{url} answered /myself, but not like a Jira site; check jira.url"
            )
        info["_myself"] = me
        return info

    def _refused(self, status: int, kind: str = "") -> JiraLoginError:
        cfg = self.settings
        if cfg.deployment == "cloud":
            how = f"check jira.email ({cfg.email}) and the API token in ${cfg.token_env}"
        else:
            how = f"check the personal access token in ${cfg.token_env}"
        hint = ""
        if kind == "Server" and cfg.deployment == "cloud":
            hint = '; this site is Data Center/Server: set jira.deployment = "datacenter"'
        elif kind == "Cloud" and cfg.deployment == "datacenter":
            hint = '; this site is Jira Cloud: set jira.deployment = "cloud" and jira.email'
        word = "refused the login" if status == 401 else "denied access"
        return JiraLoginError(f"Jira {word} (HTTP {status}): {how}{hint}")

    # -- reads -----------------------------------------------------------------------------
    def fields(self) -> list[dict[str, Any]]:
        return list(self._send("GET", "field") or [])

    def project(self, key: str) -> dict[str, Any]:
        found = self._send("GET", f"project/{key}", params={"expand": "issueTypes"})
        return dict(found or {})

    def resolutions(self) -> list[dict[str, Any]]:
        return list(self._send("GET", "resolution") or [])

    def find_users(self, query: str) -> list[dict[str, Any]]:
        param = "query" if self.deployment == "cloud" else "username"
        found = self._send("GET", "user/search", params={param: query, "maxResults": 20})
        return list(found or [])

    def get_issue(self, key: str, fields: Sequence[str]) -> dict[str, Any]:
        return dict(self._send("GET", f"issue/{key}", params={"fields": ",".join(fields)}) or {})

    def transitions(self, key: str) -> list[dict[str, Any]]:
        body = self._send("GET", f"issue/{key}/transitions") or {}
        return list(body.get("transitions") or [])

    def search(
        self,
        jql: str,
        *,
        fields: Sequence[str],
        properties: Sequence[str] = (),
        page_size: int | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """Page through every result of one JQL search, one list of raw issues per page."""
        if self.deployment == "cloud":
            yield from self._search_cloud(jql, fields, properties, page_size or 100)
        else:
            yield from self._search_dc(jql, fields, properties, page_size or 1000)

    def _search_cloud(
        self, jql: str, fields: Sequence[str], properties: Sequence[str], size: int
    ) -> Iterator[list[dict[str, Any]]]:
        token: str | None = None
        while True:
            body: dict[str, Any] = {"jql": jql, "maxResults": size, "fields": list(fields)}
            if properties:
                body["properties"] = list(properties)
            if token:
                body["nextPageToken"] = token
            page = self._send("POST", "search/jql", body=body) or {}
            yield list(page.get("issues") or [])
            token = page.get("nextPageToken")
            if not token or page.get("isLast"):
                return

    def _search_dc(
        self, jql: str, fields: Sequence[str], properties: Sequence[str], size: int
    ) -> Iterator[list[dict[str, Any]]]:
        start = 0
        while True:
            if properties:
                # The POST body has no `properties`; GET does (keep such queries short).
                params = {
                    "jql": jql,
                    "startAt": start,
                    "maxResults": size,
                    "fields": ",".join(fields),
                    "properties": ",".join(properties),
                }
                page = self._send("GET", "search", params=params) or {}
            else:
                body = {"jql": jql, "startAt": start, "maxResults": size, "fields": list(fields)}
                page = self._send("POST", "search", body=body) or {}
            issues = list(page.get("issues") or [])
            yield issues
            start += len(issues)
            if not issues or start >= int(page.get("total", 0)):
                return

    # -- writes ----------------------------------------------------------------------------
    def create_issues(self, payloads: Sequence[Mapping[str, Any]]) -> BulkCreateResult:
        """One bulk create (at most 50). Never resent after a lost answer: see the module doc."""
        try:
            body = self._send(
                "POST", "issue/bulk", body={"issueUpdates": list(payloads)}, retry_unknown=False
            )
        except JiraRequestError as exc:
            if exc.status == 400 and exc.outcome_known:
                # Every element failed: Jira answers 400 with the same per-element errors.
                if isinstance(exc.body, dict) and "errors" in exc.body:
                    return _bulk_result(exc.body, len(payloads))
                return BulkCreateResult({}, {i: str(exc) for i in range(len(payloads))})
            raise
        return _bulk_result(body or {}, len(payloads))

    def edit_issue(self, key: str, body: Mapping[str, Any]) -> None:
        self._send("PUT", f"issue/{key}", body=dict(body))

    def transition_issue(
        self, key: str, transition_id: str, fields: Mapping[str, Any] | None = None
    ) -> None:
        body: dict[str, Any] = {"transition": {"id": transition_id}}
        if fields:
            body["fields"] = dict(fields)
        self._send("POST", f"issue/{key}/transitions", body=body, retry_unknown=False)

    def add_comment(self, key: str, body: str) -> None:
        self._send("POST", f"issue/{key}/comment", body={"body": body}, retry_unknown=False)


def _bulk_result(body: Mapping[str, Any], count: int) -> BulkCreateResult:
    issues = list(body.get("issues") or [])
    errors: dict[int, str] = {}
    for item in body.get("errors") or []:
        number = item.get("failedElementNumber")
        if isinstance(number, int):
            errors[number] = _element_error(item.get("elementErrors") or {})
    # Jira lists created issues in request order, skipping the failed positions.
    positions = [i for i in range(count) if i not in errors]
    created = {
        pos: (str(issue.get("id")), str(issue.get("key")))
        for pos, issue in zip(positions, issues, strict=False)
    }
    for pos in positions[len(issues) :]:
        errors[pos] = "Jira did not create this issue (no result for it)"
    return BulkCreateResult(created, errors)


def _element_error(detail: Mapping[str, Any]) -> str:
    parts = [str(m) for m in detail.get("errorMessages") or []]
    parts += [f"{k}: {v}" for k, v in (detail.get("errors") or {}).items()]
    return "; ".join(parts) or "rejected by Jira"


def _jira_detail(exc: Any) -> tuple[str, Any]:
    """Jira's own error list from the response body (never headers), and the parsed body."""
    response = getattr(exc, "response", None)
    try:
        data = response.json() if response is not None and response.content else None
    except ValueError:
        data = None
    if isinstance(data, dict):
        if isinstance(data.get("errors"), list):  # a bulk answer: per-element errors
            return "; ".join(
                _element_error(e.get("elementErrors") or {}) for e in data["errors"]
            ), data
        text = _element_error(data)
        if text != "rejected by Jira":
            return text, data
    return "", data


def _tail(message: str) -> str:
    return message.rsplit(": ", 1)[-1]


# ---------------------------------------------------------------------------- comments


class JiraCommenter:
    """`add_comment(issue_key, body)` for the reminders' Jira channel; connects on first use."""

    def __init__(self, settings: Settings, *, gateway: JiraGateway | None = None) -> None:
        self._settings = settings
        self._gateway = gateway

    def add_comment(self, issue_key: str, body: str) -> None:
        if self._gateway is None:
            self._gateway = build_gateway(self._settings)
        self._gateway.add_comment(issue_key, body)


def build_comment_client(settings: Settings) -> JiraCommenter:
    """The factory `tracker.reminders` looks up by name."""
    check_settings(settings)
    return JiraCommenter(settings)
