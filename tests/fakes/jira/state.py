"""The issue store: every change to the fake site's data goes through here, under one lock."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .errors import JiraError, bad_request, not_found_issue
from .fields import FieldValidator
from .model import (
    ChangeItem,
    Comment,
    FakeJiraConfig,
    History,
    Issue,
    Project,
    Status,
    Transition,
    User,
)

_SYSTEM_ORDER = ("summary", "description", "priority", "labels", "duedate", "assignee", "reporter")


def _describe(value: Any) -> str | None:
    """The ``fromString``/``toString`` of a history item."""
    if value is None:
        return None
    if isinstance(value, User):
        return value.display_name
    if isinstance(value, list):
        return " ".join(value)
    return str(getattr(value, "name", value))


class JiraStore:
    """Projects, users, workflow and issues of one fake site. Thread-safe."""

    def __init__(self, config: FakeJiraConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.zone = ZoneInfo(config.time_zone)
        self.validator = FieldValidator(config)
        self.clock_offset = timedelta(0)
        self._issues: dict[str, Issue] = {}  # by id
        self._keys: dict[str, str] = {}  # key -> id
        self._next_id = config.first_issue_id
        self._next_number: dict[str, int] = {project.key: 1 for project in config.projects}
        self._next_comment = 10_000
        self._next_history = 10_000
        #: (visible-from time, snapshot) per issue id, kept only when a search lag is set.
        self._versions: dict[str, list[tuple[datetime, Issue]]] = {}

    @property
    def projects(self) -> list[Project]:
        return self.config.projects

    @property
    def statuses(self) -> list[Status]:
        return self.config.statuses

    # -- time ------------------------------------------------------------------------------
    def now(self) -> datetime:
        return datetime.now(self.zone) + self.clock_offset

    # -- lookups ---------------------------------------------------------------------------
    def status(self, name: str) -> Status:
        for status in self.config.statuses:
            if status.name.casefold() == name.casefold():
                return status
        raise KeyError(f"unknown status {name!r}")

    def user_by_name(self, name: str) -> User:
        for user in self.config.users:
            if name in (user.name, user.email, user.account_id, user.display_name):
                return user
        raise KeyError(f"unknown user {name!r}")

    def get(self, id_or_key: str) -> Issue:
        with self.lock:
            issue_id = self._keys.get(id_or_key.upper(), id_or_key)
            issue = self._issues.get(issue_id)
            if issue is None:
                raise not_found_issue()
            return issue

    def exists_key(self, key: str) -> bool:
        with self.lock:
            return key.upper() in self._keys

    def all_issues(self) -> list[Issue]:
        with self.lock:
            return list(self._issues.values())

    def searchable_issues(self, lag: float, reconcile: Iterable[str] = ()) -> list[Issue]:
        """The issues a search sees: with a lag, each issue as it was ``lag`` seconds ago."""
        with self.lock:
            if lag <= 0:
                return list(self._issues.values())
            horizon = self.now() - timedelta(seconds=lag)
            fresh = set(reconcile)
            seen: list[Issue] = []
            for issue_id, issue in self._issues.items():
                if issue_id in fresh:
                    seen.append(issue)
                    continue
                visible = [snap for at, snap in self._versions.get(issue_id, []) if at <= horizon]
                if visible:
                    seen.append(visible[-1])
            return seen

    def transitions_for(self, issue: Issue) -> list[Transition]:
        return [t for t in self.config.transitions if t.available_from(issue.status.name)]

    # -- writes through REST ---------------------------------------------------------------
    def create(self, payload: Any, actor: User) -> Issue:
        if not isinstance(payload, dict) or not isinstance(payload.get("fields"), dict):
            raise JiraError(400, ["Issue fields are required."])
        properties = self._properties_of(payload.get("properties"))
        changes = self.validator.validate(payload["fields"], creating=True)
        if changes.errors:
            raise JiraError(400, errors=changes.errors)
        values = changes.values
        with self.lock:
            now = self.now()
            project = values.pop("project")
            issue_type = values.pop("issuetype")
            number = self._next_number[project.key]
            self._next_number[project.key] = number + 1
            issue = Issue(
                id=str(self._next_id),
                key=f"{project.key}-{number}",
                project=project,
                issue_type=issue_type,
                summary=values.pop("summary"),
                status=self.status(self.config.initial_status),
                priority=values.pop("priority", None) or self._default_priority(),
                reporter=values.pop("reporter", None) or actor,
                created=now,
                updated=now,
                status_category_changed=now,
            )
            self._next_id += 1
            self._assign_values(issue, values)
            issue.properties.update(properties)
            self._issues[issue.id] = issue
            self._keys[issue.key] = issue.id
            self._snapshot(issue)
            return issue

    def edit(self, id_or_key: str, payload: Any, actor: User) -> Issue:
        if not isinstance(payload, dict):
            raise JiraError(400, ["Can not deserialize the request body."])
        with self.lock:
            issue = self.get(id_or_key)
            fields = dict(payload.get("fields") or {})
            comments: list[str] = []
            update_errors = self._fold_updates(issue, payload.get("update") or {}, fields, comments)
            changes = self.validator.validate(fields, creating=False)
            errors = {**update_errors, **changes.errors}
            if errors:
                raise JiraError(400, errors=errors)
            self._change(issue, changes.values, actor)
            for body in comments:
                self._comment(issue, body, actor)
            if "properties" in payload:
                issue.properties.update(self._properties_of(payload["properties"]))
            return issue

    def assign(self, id_or_key: str, payload: Any, actor: User) -> Issue:
        with self.lock:
            issue = self.get(id_or_key)
            changes = self.validator.validate({"assignee": payload}, creating=False)
            if changes.errors:
                raise JiraError(400, errors=changes.errors)
            self._change(issue, changes.values, actor)
            return issue

    def transition(self, id_or_key: str, payload: Any, actor: User) -> Issue:
        with self.lock:
            issue = self.get(id_or_key)
            wanted = payload.get("transition") if isinstance(payload, dict) else None
            if not isinstance(wanted, dict) or wanted.get("id") in (None, ""):
                raise JiraError(400, ["Missing 'transition' identifier"])
            transition_id = str(wanted["id"])
            match = [t for t in self.transitions_for(issue) if t.id == transition_id]
            if not match:
                raise JiraError(
                    400, [f"Transition id '{transition_id}' is not valid for this issue."]
                )
            fields = dict(payload.get("fields") or {})
            resolution = fields.pop("resolution", None)
            changes = self.validator.validate(fields, creating=False)
            if changes.errors:
                raise JiraError(400, errors=changes.errors)
            comments: list[str] = []
            self._fold_updates(issue, payload.get("update") or {}, {}, comments)
            name = self._resolution_name(resolution)
            self._move(issue, self.status(match[0].to), actor, resolution=name)
            self._change(issue, changes.values, actor)
            for body in comments:
                self._comment(issue, body, actor)
            return issue

    def add_comment(self, id_or_key: str, payload: Any, actor: User) -> Comment:
        body = payload.get("body") if isinstance(payload, dict) else None
        if not isinstance(body, str) or not body.strip():
            raise bad_request("comment", "Comment body can not be empty!")
        with self.lock:
            return self._comment(self.get(id_or_key), body, actor)

    def set_property(self, id_or_key: str, key: str, value: Any) -> bool:
        """Store an entity property; True when it was created (not replaced)."""
        if not key or len(key) > 255:
            raise JiraError(400, ["The property key cannot be longer than 255 characters."])
        encoded = json.dumps(value)
        if len(encoded.encode()) > self.config.max_property_bytes:
            raise JiraError(
                400,
                [
                    f"The property value is too big. Limit is {self.config.max_property_bytes} bytes."
                ],
            )
        with self.lock:
            issue = self.get(id_or_key)
            created = key not in issue.properties
            issue.properties[key] = json.loads(encoded)
            self._snapshot(issue)
            return created

    def delete_property(self, id_or_key: str, key: str) -> None:
        with self.lock:
            issue = self.get(id_or_key)
            if issue.properties.pop(key, None) is None:
                raise JiraError(404, [f"Property with key '{key}' not found."])
            self._snapshot(issue)

    # -- writes "as a person in Jira" ------------------------------------------------------
    def person_transition(self, id_or_key: str, status_name: str, actor: User) -> Issue:
        with self.lock:
            issue = self.get(id_or_key)
            self._move(issue, self.status(status_name), actor, resolution=None)
            return issue

    def person_change(self, id_or_key: str, values: dict[str, Any], actor: User) -> Issue:
        with self.lock:
            issue = self.get(id_or_key)
            self._change(issue, values, actor)
            return issue

    def person_comment(self, id_or_key: str, body: str, actor: User) -> Comment:
        with self.lock:
            return self._comment(self.get(id_or_key), body, actor)

    # -- internals -------------------------------------------------------------------------
    def _resolution_name(self, ref: Any) -> str | None:
        """The resolution a transition sets, by id or name; Jira refuses unknown ones."""
        if ref is None:
            return None
        for known in self.config.resolutions:
            if isinstance(ref, dict) and (
                ref.get("name") == known.name or str(ref.get("id", "")) == known.id
            ):
                return known.name
        raise JiraError(
            400, errors={"resolution": "Could not find valid 'id' or 'name' in resolution object."}
        )

    def _default_priority(self) -> Any:
        return next(p for p in self.config.priorities if p.name == self.config.default_priority)

    def _properties_of(self, raw: Any) -> dict[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, list) or not all(isinstance(p, dict) and p.get("key") for p in raw):
            raise JiraError(400, ["Issue properties must be a list of {key, value} objects."])
        return {p["key"]: p.get("value") for p in raw}

    def _fold_updates(
        self,
        issue: Issue,
        update: dict[str, Any],
        fields: dict[str, Any],
        comments: list[str],
    ) -> dict[str, str]:
        """Turn ``update`` operations into field values (labels add/remove, comment add, set)."""
        errors: dict[str, str] = {}
        for name, operations in update.items():
            if not isinstance(operations, list):
                errors[name] = "Operations must be a list."
                continue
            for operation in operations:
                if not isinstance(operation, dict) or len(operation) != 1:
                    errors[name] = "Each operation must have exactly one verb."
                    continue
                ((verb, value),) = operation.items()
                if name == "comment" and verb == "add":
                    comments.append(str((value or {}).get("body", "")))
                elif name == "labels" and verb in {"add", "remove"}:
                    labels = list(fields.get("labels", issue.labels))
                    if verb == "add" and value not in labels:
                        labels.append(value)
                    if verb == "remove" and value in labels:
                        labels.remove(value)
                    fields["labels"] = labels
                elif verb == "set":
                    fields[name] = value
                else:
                    errors[name] = f"Field '{name}' does not support operation '{verb}'"
        return errors

    def _assign_values(self, issue: Issue, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if name.startswith("customfield_"):
                issue.custom[name] = value
            else:
                setattr(issue, name, value)

    def _current(self, issue: Issue, name: str) -> Any:
        if name.startswith("customfield_"):
            return issue.custom.get(name)
        return getattr(issue, name)

    def _change(self, issue: Issue, values: dict[str, Any], actor: User) -> None:
        items: list[ChangeItem] = []
        ordered = sorted(values, key=lambda n: (_SYSTEM_ORDER + (n,)).index(n))
        for name in ordered:
            before, after = self._current(issue, name), values[name]
            if before == after:
                continue
            items.append(ChangeItem(name, _describe(before), _describe(after)))
            self._assign_values(issue, {name: after})
        self._record(issue, items, actor)

    def _move(self, issue: Issue, target: Status, actor: User, resolution: str | None) -> None:
        if target == issue.status:
            return
        now = self.now()
        items = [ChangeItem("status", issue.status.name, target.name, issue.status.id, target.id)]
        if target.category.key == "done" and issue.resolution is None:
            issue.resolution = resolution or "Done"
            issue.resolutiondate = now
            items.append(ChangeItem("resolution", None, issue.resolution))
        elif target.category.key != "done" and issue.resolution is not None:
            items.append(ChangeItem("resolution", issue.resolution, None))
            issue.resolution = None
            issue.resolutiondate = None
        if target.category != issue.status.category:
            issue.status_category_changed = now
        issue.status = target
        self._record(issue, items, actor)

    def _comment(self, issue: Issue, body: str, actor: User) -> Comment:
        now = self.now()
        comment = Comment(str(self._next_comment), actor, body, now, now)
        self._next_comment += 1
        issue.comments.append(comment)
        issue.updated = now
        self._snapshot(issue)
        return comment

    def _record(self, issue: Issue, items: list[ChangeItem], actor: User) -> None:
        if not items:
            return
        now = self.now()
        issue.history.append(History(str(self._next_history), actor, now, items))
        self._next_history += 1
        issue.updated = now
        self._snapshot(issue)

    def _snapshot(self, issue: Issue) -> None:
        if self.config.search_lag > 0:
            self._versions.setdefault(issue.id, []).append((self.now(), copy.deepcopy(issue)))


def by_sort_key(field: str) -> Callable[[Issue], Any]:
    """Sort key for ``ORDER BY field``; empty values sort last ascending, as in Jira."""

    def key(issue: Issue) -> Any:
        value: Any
        if field == "key":
            value = (issue.project.key, issue.number)
        elif field == "priority":
            value = -int(issue.priority.id)  # Highest first when DESC, as in Jira
        elif field == "status":
            value = issue.status.name
        elif field in {"assignee", "reporter"}:
            user = getattr(issue, field)
            value = user.display_name if user else None
        elif field.startswith("customfield_"):
            value = issue.custom.get(field)
        else:
            value = getattr(issue, field)
        return (value is None, value if value is not None else 0)

    return key
