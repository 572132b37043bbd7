"""The REST endpoints: request in, ``Reply`` out. No sockets here (see server.py)."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import jql
from .errors import JiraError
from .model import Issue, User
from .render import Renderer
from .state import JiraStore, by_sort_key

GONE_MESSAGE = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)
UNBOUNDED_MESSAGE = (
    "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
)
ID_ONLY_FIELDS = {"id", "key"}


@dataclass
class Request:
    method: str
    path: str  # below /rest/api/{2|latest}/
    query: dict[str, list[str]]
    body: bytes
    user: User

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def listed(self, name: str) -> list[str]:
        """A list parameter given repeatedly and/or comma-separated."""
        return [part for value in self.query.get(name, []) for part in value.split(",") if part]

    def json(self) -> Any:
        if not self.body:
            raise JiraError(400, ["No content to map to Object due to end of input"])
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise JiraError(400, [f"Unexpected character in the request body: {error}"]) from None


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request, "re.Match[str]"], Reply]


def _int(value: Any, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise JiraError(400, [f"The value '{value}' is not a valid number for '{name}'."]) from None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.split(",") if part]
    return [str(part) for item in value for part in str(item).split(",") if part]


class JiraApi:
    """Routes and handlers over one store; ``renderer`` knows the public base URL."""

    def __init__(self, store: JiraStore, renderer: Renderer) -> None:
        self.store = store
        self.render = renderer
        self.cloud = store.config.deployment == "cloud"
        self._page_tokens: dict[str, tuple[str, int]] = {}
        issue = r"issue/(?P<key>[^/]+)"
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(r"serverInfo"), self.server_info),
            ("GET", re.compile(r"field"), lambda r, m: Reply(200, self.render.fields())),
            ("GET", re.compile(r"myself"), lambda r, m: Reply(200, self.render.user(r.user))),
            ("GET", re.compile(r"user/search"), self.user_search),
            ("GET", re.compile(r"user"), self.user_get),
            ("GET", re.compile(r"project"), self.projects),
            ("GET", re.compile(r"project/(?P<key>[^/]+)"), self.project),
            ("GET", re.compile(r"issuetype"), self.issue_types),
            ("GET", re.compile(r"priority"), self.priorities),
            ("GET", re.compile(r"status"), self.statuses),
            ("GET", re.compile(r"resolution"), self.resolutions),
            ("POST", re.compile(r"issue"), self.create_issue),
            ("POST", re.compile(r"issue/bulk"), self.create_issues),
            ("GET", re.compile(issue), self.get_issue),
            ("PUT", re.compile(issue), self.edit_issue),
            ("PUT", re.compile(issue + r"/assignee"), self.assign),
            ("GET", re.compile(issue + r"/transitions"), self.transitions),
            ("POST", re.compile(issue + r"/transitions"), self.do_transition),
            ("GET", re.compile(issue + r"/comment"), self.comments),
            ("POST", re.compile(issue + r"/comment"), self.add_comment),
            ("GET", re.compile(issue + r"/comment/(?P<id>\d+)"), self.comment),
            ("GET", re.compile(issue + r"/properties"), self.property_keys),
            ("GET", re.compile(issue + r"/properties/(?P<prop>[^/]+)"), self.get_property),
            ("PUT", re.compile(issue + r"/properties/(?P<prop>[^/]+)"), self.set_property),
            ("DELETE", re.compile(issue + r"/properties/(?P<prop>[^/]+)"), self.delete_property),
            ("GET", re.compile(r"search"), self.legacy_search),
            ("POST", re.compile(r"search"), self.legacy_search),
            ("GET", re.compile(r"search/jql"), self.search_jql),
            ("POST", re.compile(r"search/jql"), self.search_jql),
        ]

    def handle(self, request: Request) -> Reply:
        allowed: list[str] = []
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(request.path)
            if match is None:
                continue
            if method == request.method:
                return handler(request, match)
            allowed.append(method)
        if allowed:
            return Reply(405, {"errorMessages": ["Method Not Allowed"], "errors": {}})
        return Reply(404, {"errorMessages": ["null for uri: " + request.path], "errors": {}})

    # -- site and users ------------------------------------------------------------------
    def server_info(self, request: Request, match: re.Match[str]) -> Reply:
        return Reply(200, self.render.server_info())

    def user_search(self, request: Request, match: re.Match[str]) -> Reply:
        query, username = request.param("query"), request.param("username")
        if self.cloud and username is not None and not query:
            raise JiraError(
                400, ["The query parameter 'username' is not supported in GDPR strict mode."]
            )
        term = query if self.cloud else username
        if not term:
            wanted = "query" if self.cloud else "username"
            raise JiraError(400, [f"The {wanted} query parameter was not provided"])
        start = _int(request.param("startAt"), "startAt", 0)
        limit = _int(request.param("maxResults"), "maxResults", 50)
        found = [u for u in self.store.config.users if u.matches(term)]
        return Reply(200, [self.render.user(u) for u in found[start : start + limit]])

    def user_get(self, request: Request, match: re.Match[str]) -> Reply:
        wanted = request.param("accountId") if self.cloud else request.param("username")
        for user in self.store.config.users:
            if wanted in (user.account_id if self.cloud else user.name, user.key):
                return Reply(200, self.render.user(user))
        raise JiraError(404, [f"The user with the key '{wanted}' does not exist"])

    def projects(self, request: Request, match: re.Match[str]) -> Reply:
        return Reply(200, [self.render.project(p) for p in self.store.config.projects])

    def project(self, request: Request, match: re.Match[str]) -> Reply:
        ref = match["key"]
        for project in self.store.config.projects:
            if ref in (project.id, project.key):
                return Reply(200, self.render.project(project, request.listed("expand")))
        raise JiraError(404, [f"No project could be found with key '{ref}'."])

    def issue_types(self, request: Request, match: re.Match[str]) -> Reply:
        return Reply(200, [self.render.issue_type(t) for t in self.store.config.issue_types])

    def priorities(self, request: Request, match: re.Match[str]) -> Reply:
        return Reply(200, [self.render.priority(p) for p in self.store.config.priorities])

    def statuses(self, request: Request, match: re.Match[str]) -> Reply:
        return Reply(200, [self.render.status(s) for s in self.store.config.statuses])

    def resolutions(self, request: Request, match: re.Match[str]) -> Reply:
        return Reply(200, [self.render.resolution(r) for r in self.store.config.resolutions])

    # -- issues --------------------------------------------------------------------------
    def _created(self, issue: Issue) -> dict[str, str]:
        return {"id": issue.id, "key": issue.key, "self": self.render.api(f"issue/{issue.id}")}

    def create_issue(self, request: Request, match: re.Match[str]) -> Reply:
        issue = self.store.create(request.json(), request.user)
        return Reply(201, self._created(issue))

    def create_issues(self, request: Request, match: re.Match[str]) -> Reply:
        payload = request.json()
        updates = payload.get("issueUpdates") if isinstance(payload, dict) else None
        if not isinstance(updates, list) or not updates:
            raise JiraError(400, ["Issue updates must not be empty."])
        limit = self.store.config.bulk_limit
        if len(updates) > limit:
            raise JiraError(
                400, [f"The number of issues to create in bulk ({len(updates)}) exceeds {limit}."]
            )
        issues: list[dict[str, str]] = []
        errors: list[dict[str, Any]] = []
        for number, update in enumerate(updates):
            try:
                issues.append(self._created(self.store.create(update, request.user)))
            except JiraError as error:
                errors.append(
                    {
                        "status": error.status,
                        "elementErrors": error.body(),
                        "failedElementNumber": number,
                    }
                )
        return Reply(201 if issues else 400, {"issues": issues, "errors": errors})

    def _issue_body(self, issue: Issue, request: Request, default_fields: str) -> dict[str, Any]:
        return self.render.issue(
            issue,
            fields=request.listed("fields"),
            default_fields=default_fields,
            expand=set(request.listed("expand")),
            properties=request.listed("properties"),
        )

    def get_issue(self, request: Request, match: re.Match[str]) -> Reply:
        issue = self.store.get(match["key"])
        return Reply(200, self._issue_body(issue, request, "*all"))

    def edit_issue(self, request: Request, match: re.Match[str]) -> Reply:
        issue = self.store.edit(match["key"], request.json(), request.user)
        if request.param("returnIssue") == "true":
            return Reply(200, self._issue_body(issue, request, "*all"))
        return Reply(204)

    def assign(self, request: Request, match: re.Match[str]) -> Reply:
        self.store.assign(match["key"], request.json(), request.user)
        return Reply(204)

    def transitions(self, request: Request, match: re.Match[str]) -> Reply:
        issue = self.store.get(match["key"])
        available = self.store.transitions_for(issue)
        wanted = request.param("transitionId")
        if wanted:
            available = [t for t in available if t.id == wanted]
        return Reply(
            200,
            {
                "expand": "transitions",
                "transitions": [self.render.transition(t) for t in available],
            },
        )

    def do_transition(self, request: Request, match: re.Match[str]) -> Reply:
        self.store.transition(match["key"], request.json(), request.user)
        return Reply(204)

    def comments(self, request: Request, match: re.Match[str]) -> Reply:
        issue = self.store.get(match["key"])
        start = _int(request.param("startAt"), "startAt", 0)
        limit = _int(request.param("maxResults"), "maxResults", 5000)
        return Reply(200, self.render.comments_page(issue, start, limit))

    def add_comment(self, request: Request, match: re.Match[str]) -> Reply:
        comment = self.store.add_comment(match["key"], request.json(), request.user)
        return Reply(201, self.render.comment(self.store.get(match["key"]), comment))

    def comment(self, request: Request, match: re.Match[str]) -> Reply:
        issue = self.store.get(match["key"])
        for comment in issue.comments:
            if comment.id == match["id"]:
                return Reply(200, self.render.comment(issue, comment))
        raise JiraError(404, [f"Can not find a comment for the id: {match['id']}."])

    def property_keys(self, request: Request, match: re.Match[str]) -> Reply:
        issue = self.store.get(match["key"])
        keys = [
            {"self": self.render.api(f"issue/{issue.id}/properties/{key}"), "key": key}
            for key in issue.properties
        ]
        return Reply(200, {"keys": keys})

    def get_property(self, request: Request, match: re.Match[str]) -> Reply:
        issue = self.store.get(match["key"])
        if match["prop"] not in issue.properties:
            raise JiraError(404, [f"The property with key '{match['prop']}' does not exist."])
        return Reply(200, {"key": match["prop"], "value": issue.properties[match["prop"]]})

    def set_property(self, request: Request, match: re.Match[str]) -> Reply:
        created = self.store.set_property(match["key"], match["prop"], request.json())
        return Reply(201 if created else 200)

    def delete_property(self, request: Request, match: re.Match[str]) -> Reply:
        self.store.delete_property(match["key"], match["prop"])
        return Reply(204)

    # -- search --------------------------------------------------------------------------
    def _search_params(self, request: Request) -> dict[str, Any]:
        """GET query parameters or a POST body, normalised to one dict."""
        if request.method == "POST":
            body = request.json()
            if not isinstance(body, dict):
                raise JiraError(400, ["Invalid request payload."])
            return {
                "jql": body.get("jql") or "",
                "startAt": body.get("startAt"),
                "maxResults": body.get("maxResults"),
                "fields": _as_list(body.get("fields")),
                "expand": set(_as_list(body.get("expand"))),
                "properties": _as_list(body.get("properties")),
                "nextPageToken": body.get("nextPageToken"),
                "reconcileIssues": [str(i) for i in body.get("reconcileIssues") or []],
            }
        return {
            "jql": request.param("jql", "") or "",
            "startAt": request.param("startAt"),
            "maxResults": request.param("maxResults"),
            "fields": request.listed("fields"),
            "expand": set(request.listed("expand")),
            "properties": request.listed("properties"),
            "nextPageToken": request.param("nextPageToken"),
            "reconcileIssues": request.listed("reconcileIssues"),
        }

    def _run(self, text: str, lag: float = 0.0, reconcile: list[str] | None = None) -> list[Issue]:
        with self.store.lock:
            query = jql.parse(text, self.store)
            pool = self.store.searchable_issues(lag, reconcile or [])
            found = [issue for issue in pool if query.matches(issue)]
            return jql.sort_issues(found, query, by_sort_key)

    def _bodies(
        self, issues: list[Issue], params: dict[str, Any], default: str
    ) -> list[dict[str, Any]]:
        return [
            self.render.issue(
                issue,
                fields=params["fields"],
                default_fields=default,
                expand=params["expand"],
                properties=params["properties"],
            )
            for issue in issues
        ]

    def legacy_search(self, request: Request, match: re.Match[str]) -> Reply:
        if self.cloud:
            return Reply(410, {"errorMessages": [GONE_MESSAGE], "errors": {}})
        params = self._search_params(request)
        start = max(0, _int(params["startAt"], "startAt", 0))
        limit = _int(params["maxResults"], "maxResults", 50)
        limit = min(max(limit, 0), self.store.config.dc_page_limit)
        found = self._run(params["jql"])
        page = found[start : start + limit]
        body: dict[str, Any] = {
            "expand": "schema,names",
            "startAt": start,
            "maxResults": limit,
            "total": len(found),
            "issues": self._bodies(page, params, "*navigable"),
        }
        if "names" in params["expand"]:
            names = {f["id"]: f["name"] for f in self.render.fields()}
            body["names"] = names
        return Reply(200, body)

    def search_jql(self, request: Request, match: re.Match[str]) -> Reply:
        if not self.cloud:
            return Reply(404, {"errorMessages": ["null for uri: " + request.path], "errors": {}})
        params = self._search_params(request)
        if len(params["properties"]) > 5:
            raise JiraError(400, ["A maximum of 5 issue properties can be requested."])
        text = params["jql"]
        if not jql.parse(text, self.store).bounded:
            raise JiraError(400, [UNBOUNDED_MESSAGE])
        fields = params["fields"] or ["id"]
        params["fields"] = fields
        only_ids = set(fields) <= ID_ONLY_FIELDS
        cap = (
            self.store.config.cloud_id_page_limit
            if only_ids
            else self.store.config.cloud_page_limit
        )
        limit = min(max(_int(params["maxResults"], "maxResults", 50), 1), cap)
        start = 0
        token = params["nextPageToken"]
        if token:
            with self.store.lock:
                remembered = self._page_tokens.get(token)
            if remembered is None or remembered[0] != text:
                raise JiraError(400, ["The provided next page token is invalid or expired."])
            start = remembered[1]
        found = self._run(text, self.store.config.search_lag, params["reconcileIssues"])
        page = found[start : start + limit]
        body: dict[str, Any] = {"issues": self._bodies(page, params, "id")}
        if start + limit < len(found):
            next_token = secrets.token_urlsafe(24)
            with self.store.lock:
                self._page_tokens[next_token] = (text, start + limit)
            body["nextPageToken"] = next_token
            body["isLast"] = False
        else:
            body["isLast"] = True
        if "names" in params["expand"]:
            body["names"] = {f["id"]: f["name"] for f in self.render.fields()}
        return Reply(200, body)
