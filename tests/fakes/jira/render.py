"""JSON shapes of Jira's REST API v2 (Cloud and Data Center) for the fake's records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .model import (
    ChangeItem,
    Comment,
    CustomField,
    History,
    Issue,
    IssueType,
    Priority,
    Project,
    Resolution,
    Status,
    Transition,
    User,
    format_jira_time,
    issue_fields_meta,
)
from .state import JiraStore

ISSUE_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"
PRIORITY_COLOURS = {
    "Highest": "#d04437",
    "High": "#f15C75",
    "Medium": "#f79232",
    "Low": "#707070",
    "Lowest": "#999999",
}


class Renderer:
    """Builds response bodies; ``base`` is the site URL (``http://127.0.0.1:port``)."""

    def __init__(self, store: JiraStore, base: str) -> None:
        self.store = store
        self.base = base
        self.cloud = store.config.deployment == "cloud"

    def api(self, path: str) -> str:
        return f"{self.base}/rest/api/2/{path}"

    # -- reference data ----------------------------------------------------------------
    def avatars(self, kind: str, ident: str) -> dict[str, str]:
        return {
            size: f"{self.base}/secure/{kind}avatar?size={label}&ownerId={ident}"
            for size, label in (
                ("48x48", "large"),
                ("24x24", "small"),
                ("16x16", "xsmall"),
                ("32x32", "medium"),
            )
        }

    def user(self, user: User, *, brief: bool = False) -> dict[str, Any]:
        """A user; ``brief`` is the shape embedded in issues and comments (no locale)."""
        body = self._user(user)
        if brief:
            body.pop("locale")
        return body

    def _user(self, user: User) -> dict[str, Any]:
        if self.cloud:
            return {
                "self": self.api(f"user?accountId={user.account_id}"),
                "accountId": user.account_id,
                "accountType": "atlassian",
                "emailAddress": user.email,
                "avatarUrls": self.avatars("user", user.account_id),
                "displayName": user.display_name,
                "active": user.active,
                "timeZone": user.time_zone,
                "locale": "en_US",
            }
        return {
            "self": self.api(f"user?username={user.name}"),
            "key": user.key,
            "name": user.name,
            "emailAddress": user.email,
            "avatarUrls": self.avatars("user", user.name),
            "displayName": user.display_name,
            "active": user.active,
            "deleted": False,
            "timeZone": user.time_zone,
            "locale": "en_US",
        }

    def status(self, status: Status) -> dict[str, Any]:
        category = status.category
        return {
            "self": self.api(f"status/{status.id}"),
            "description": status.description,
            "iconUrl": f"{self.base}/images/icons/statuses/generic.png",
            "name": status.name,
            "id": status.id,
            "statusCategory": {
                "self": self.api(f"statuscategory/{category.id}"),
                "id": category.id,
                "key": category.key,
                "colorName": category.color,
                "name": category.name,
            },
        }

    def priority(self, priority: Priority) -> dict[str, Any]:
        return {
            "self": self.api(f"priority/{priority.id}"),
            "iconUrl": f"{self.base}/images/icons/priorities/{priority.name.lower()}.svg",
            "name": priority.name,
            "id": priority.id,
            "statusColor": PRIORITY_COLOURS.get(priority.name, "#707070"),
            "description": f"{priority.name} priority",
        }

    def issue_type(self, issue_type: IssueType) -> dict[str, Any]:
        return {
            "self": self.api(f"issuetype/{issue_type.id}"),
            "id": issue_type.id,
            "description": issue_type.description,
            "iconUrl": f"{self.base}/images/icons/issuetypes/task.svg",
            "name": issue_type.name,
            "subtask": False,
            "avatarId": 10318,
            "hierarchyLevel": 0,
        }

    def project(self, project: Project, expand: Iterable[str] = ()) -> dict[str, Any]:
        body: dict[str, Any] = {
            "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
            "self": self.api(f"project/{project.id}"),
            "id": project.id,
            "key": project.key,
            "name": project.name,
            "avatarUrls": self.avatars("project", project.id),
            "projectTypeKey": "software",
            "simplified": False,
        }
        if "issueTypes" in expand:
            body["issueTypes"] = [
                self.issue_type(t)
                for t in self.store.config.issue_types
                if project.has_issue_type(t.name)
            ]
        return body

    def resolution(self, resolution: Resolution) -> dict[str, Any]:
        return {
            "self": self.api(f"resolution/{resolution.id}"),
            "id": resolution.id,
            "description": resolution.description,
            "name": resolution.name,
        }

    def _resolution_named(self, name: str | None) -> dict[str, Any] | None:
        if not name:
            return None
        for known in self.store.config.resolutions:
            if known.name == name:
                return self.resolution(known)
        return self.resolution(Resolution("10000", name))

    def fields(self) -> list[dict[str, Any]]:
        return issue_fields_meta(self.store.config.custom_fields)

    def server_info(self) -> dict[str, Any]:
        now = format_jira_time(self.store.now())
        if self.cloud:
            return {
                "baseUrl": self.base,
                "displayUrl": self.base,
                "version": "1001.0.0-SNAPSHOT",
                "versionNumbers": [1001, 0, 0],
                "deploymentType": "Cloud",
                "buildNumber": 100299,
                "buildDate": "2026-11-20T00:00:00.000+0000",
                "serverTime": now,
                "scmInfo": "57a0ca5b4a0bb0ac5f3fee4764acb1c14e4d7e71",
                "serverTitle": "Jira",
                "serverTimeZone": self.store.config.time_zone,
            }
        return {
            "baseUrl": self.base,
            "version": "10.3.4",
            "versionNumbers": [10, 3, 4],
            "deploymentType": "Server",
            "buildNumber": 10030004,
            "buildDate": "2025-02-10T00:00:00.000+0000",
            "databaseBuildNumber": 10030004,
            "serverTime": now,
            "scmInfo": "a0c1d7c5e0b3f0d4a6f5b2e9d8c7b6a5f4e3d2c1",
            "serverTitle": "Jira",
            "serverTimeZone": self.store.config.time_zone,
            "defaultLocale": {"locale": "en_US"},
        }

    # -- issues ------------------------------------------------------------------------
    def comment(self, issue: Issue, comment: Comment) -> dict[str, Any]:
        body: dict[str, Any] = {
            "self": self.api(f"issue/{issue.id}/comment/{comment.id}"),
            "id": comment.id,
            "author": self.user(comment.author, brief=True),
            "body": comment.body,
            "updateAuthor": self.user(comment.author, brief=True),
            "created": format_jira_time(comment.created),
            "updated": format_jira_time(comment.updated),
        }
        if self.cloud:
            body["jsdPublic"] = True
        return body

    def comments_page(self, issue: Issue, start: int = 0, limit: int = 5000) -> dict[str, Any]:
        chosen = issue.comments[start : start + limit]
        return {
            "comments": [self.comment(issue, c) for c in chosen],
            "maxResults": limit if limit < 5000 else len(issue.comments),
            "total": len(issue.comments),
            "startAt": start,
        }

    def transition(self, transition: Transition) -> dict[str, Any]:
        return {
            "id": transition.id,
            "name": transition.name,
            "to": self.status(self.store.status(transition.to)),
            "hasScreen": False,
            "isGlobal": not transition.sources,
            "isInitial": False,
            "isAvailable": True,
            "isConditional": False,
            "isLooped": False,
        }

    def history(self, entry: History) -> dict[str, Any]:
        return {
            "id": entry.id,
            "author": self.user(entry.author, brief=True),
            "created": format_jira_time(entry.created),
            "items": [self.change_item(item) for item in entry.items],
        }

    @staticmethod
    def change_item(item: ChangeItem) -> dict[str, Any]:
        """A changelog item; empty sides are left out (the Cloud schema has no nulls here)."""
        body: dict[str, Any] = {
            "field": item.field,
            "fieldId": item.field,
            "fieldtype": "custom" if item.field.startswith("customfield_") else "jira",
            "from": item.from_id,
            "fromString": item.from_string,
            "to": item.to_id,
            "toString": item.to_string,
        }
        return {key: value for key, value in body.items() if value is not None}

    def field_values(self, issue: Issue) -> dict[str, Any]:
        """Every field of the issue, keyed by field id, in v2 shape (description as a string)."""

        def when(moment: Any) -> str | None:
            return format_jira_time(moment) if moment is not None else None

        values: dict[str, Any] = {
            "summary": issue.summary,
            "description": issue.description,
            "issuetype": self.issue_type(issue.issue_type),
            "project": self.project(issue.project),
            "priority": self.priority(issue.priority),
            "labels": list(issue.labels),
            "duedate": issue.duedate,
            "assignee": self.user(issue.assignee, brief=True) if issue.assignee else None,
            "reporter": self.user(issue.reporter, brief=True),
            "creator": self.user(issue.reporter, brief=True),
            "status": self.status(issue.status),
            "resolution": self._resolution_named(issue.resolution),
            "resolutiondate": when(issue.resolutiondate),
            "created": when(issue.created),
            "updated": when(issue.updated),
            "statuscategorychangedate": when(issue.status_category_changed),
            "lastViewed": None,
            "comment": self.comments_page(issue),
        }
        for custom in self.store.config.custom_fields:
            values[custom.id] = issue.custom.get(custom.id)
        return values

    def issue(
        self,
        issue: Issue,
        *,
        fields: list[str],
        default_fields: str,
        expand: set[str],
        properties: list[str],
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "expand": ISSUE_EXPAND,
            "id": issue.id,
            "self": self.api(f"issue/{issue.id}"),
            "key": issue.key,
        }
        selected = select_fields(fields or [default_fields], self.store.config.custom_fields)
        values = self.field_values(issue)
        if selected:
            body["fields"] = {name: values[name] for name in values if name in selected}
        if "names" in expand:
            names = {f["id"]: f["name"] for f in self.fields()}
            body["names"] = {name: names[name] for name in body.get("fields", {}) if name in names}
        if "transitions" in expand:
            body["transitions"] = [self.transition(t) for t in self.store.transitions_for(issue)]
        if "changelog" in expand:
            body["changelog"] = {
                "startAt": 0,
                "maxResults": len(issue.history),
                "total": len(issue.history),
                "histories": [self.history(h) for h in issue.history],
            }
        if properties:
            wanted = (
                issue.properties
                if "*all" in properties
                else {key: issue.properties[key] for key in properties if key in issue.properties}
            )
            body["properties"] = dict(wanted)
        return body


def select_fields(requested: list[str], custom_fields: list[CustomField]) -> set[str]:
    """Resolve Jira's ``fields`` parameter (``*all``, ``*navigable``, ``id``, ``-name``)."""
    navigable = {f["id"] for f in issue_fields_meta(custom_fields) if f["navigable"]} - {"issuekey"}
    every = {f["id"] for f in issue_fields_meta(custom_fields)} | {"creator", "lastViewed"}
    every -= {"issuekey"}
    chosen: set[str] = set()
    excluded: set[str] = set()
    for token in requested:
        token = token.strip()
        if token == "*all":
            chosen |= every
        elif token == "*navigable":
            chosen |= navigable | {"creator", "lastViewed"}
        elif token.startswith("-"):
            excluded.add(token[1:])
        elif token in every:
            chosen.add(token)
    if excluded and not chosen:
        chosen = navigable | {"creator", "lastViewed"}
    return chosen - excluded
