"""Validation of issue field values in create/edit requests, with Jira's error messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .model import CustomField, FakeJiraConfig, IssueType, Priority, Project, User

CANNOT_SET = "Field '{field}' cannot be set. It is not on the appropriate screen, or unknown."
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: Sentinel for "field not given" (None means "clear the field").
UNSET: Any = object()


@dataclass
class FieldChanges:
    """The validated, normalised values of one create or edit request."""

    values: dict[str, Any]
    errors: dict[str, str]


class FieldValidator:
    """Turns REST field payloads into plain values; collects Jira-worded errors per field."""

    def __init__(self, config: FakeJiraConfig) -> None:
        self.config = config
        self.cloud = config.deployment == "cloud"
        self._custom = {field.id: field for field in config.custom_fields}

    # -- lookups -------------------------------------------------------------------------
    def project(self, ref: Any) -> Project | None:
        if not isinstance(ref, dict):
            return None
        for project in self.config.projects:
            if str(ref.get("id", "")) == project.id or ref.get("key") == project.key:
                return project
        return None

    def issue_type(self, ref: Any) -> IssueType | None:
        if not isinstance(ref, dict):
            return None
        for issue_type in self.config.issue_types:
            if str(ref.get("id", "")) == issue_type.id or ref.get("name") == issue_type.name:
                return issue_type
        return None

    def user(self, ref: Any) -> User | None:
        """Cloud finds users by ``accountId`` only; Data Center by ``name`` (or ``key``)."""
        if not isinstance(ref, dict):
            return None
        for user in self.config.users:
            if self.cloud and ref.get("accountId") == user.account_id:
                return user
            if not self.cloud and (ref.get("name") == user.name or ref.get("key") == user.key):
                return user
        return None

    def priority(self, ref: Any) -> Priority | None:
        if not isinstance(ref, dict):
            return None
        for priority in self.config.priorities:
            if str(ref.get("id", "")) == priority.id or ref.get("name") == priority.name:
                return priority
        return None

    # -- validation ----------------------------------------------------------------------
    def validate(self, fields: dict[str, Any], *, creating: bool) -> FieldChanges:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        if creating:
            self._required(fields, values, errors)
        for name, raw in fields.items():
            if name in {"project", "issuetype"}:
                if not creating:
                    errors[name] = CANNOT_SET.format(field=name)
                continue
            message = self._one(name, raw, values)
            if message:
                errors[name] = message
        return FieldChanges(values, errors)

    def _required(
        self, fields: dict[str, Any], values: dict[str, Any], errors: dict[str, str]
    ) -> None:
        if "project" not in fields:
            errors["project"] = "project is required"
        elif (project := self.project(fields["project"])) is None:
            errors["project"] = "valid project is required"
        else:
            values["project"] = project
        if "issuetype" not in fields:
            errors["issuetype"] = "issue type is required"
        elif (issue_type := self.issue_type(fields["issuetype"])) is None or (
            "project" in values and not values["project"].has_issue_type(issue_type.name)
        ):
            errors["issuetype"] = "valid issue type is required"
        else:
            values["issuetype"] = issue_type
        if "summary" not in fields:
            errors["summary"] = "You must specify a summary of the issue."

    def _one(self, name: str, raw: Any, values: dict[str, Any]) -> str | None:
        if name == "summary":
            return self._summary(raw, values)
        if name == "description":
            if raw is not None and not isinstance(raw, str):
                return "Operation value must be a string"
            if raw and len(raw) > self.config.text_limit:
                return _too_long(self.config.text_limit)
            values[name] = raw or None
            return None
        if name == "priority":
            found = self.priority(raw)
            if found is None:
                shown = raw.get("name", raw.get("id")) if isinstance(raw, dict) else raw
                return f"Specify a valid 'id' or 'name' for Priority ('{shown}' is not valid)"
            values[name] = found
            return None
        if name == "labels":
            return self._labels(raw, values)
        if name == "duedate":
            return self._duedate(raw, values)
        if name in {"assignee", "reporter"}:
            return self._user_field(name, raw, values)
        if name in self._custom:
            return self._custom_value(self._custom[name], raw, values)
        return CANNOT_SET.format(field=name)

    def _summary(self, raw: Any, values: dict[str, Any]) -> str | None:
        if not isinstance(raw, str) or not raw.strip():
            return "You must specify a summary of the issue."
        if "\n" in raw or "\r" in raw:
            return "The summary is invalid because it contains newline characters."
        if len(raw) > self.config.summary_limit:
            return f"Summary must be less than {self.config.summary_limit + 1} characters."
        values["summary"] = raw
        return None

    def _labels(self, raw: Any, values: dict[str, Any]) -> str | None:
        if raw is None:
            values["labels"] = []
            return None
        if not isinstance(raw, list) or not all(isinstance(label, str) for label in raw):
            return "Operation value must be a list of strings"
        for label in raw:
            if " " in label:
                return f"The label '{label}' contains spaces which is invalid."
            if len(label) > 255:
                return "The label must not exceed 255 characters."
        values["labels"] = list(dict.fromkeys(raw))
        return None

    def _duedate(self, raw: Any, values: dict[str, Any]) -> str | None:
        if raw is None or raw == "":
            values["duedate"] = None
            return None
        if not isinstance(raw, str) or not _DATE.match(raw):
            return f"Error parsing date string: {raw}"
        try:
            date.fromisoformat(raw)
        except ValueError:
            return f"Error parsing date string: {raw}"
        values["duedate"] = raw
        return None

    def _user_field(self, name: str, raw: Any, values: dict[str, Any]) -> str | None:
        if raw is None or (isinstance(raw, dict) and all(v is None for v in raw.values())):
            if name == "reporter":
                return "Reporter is required."
            values[name] = None
            return None
        found = self.user(raw)
        if found is None:
            if self.cloud:
                if isinstance(raw, dict) and "accountId" not in raw:
                    return f"Specify the user by accountId for the field '{name}'."
                return f"Specify a valid value for {name}"
            shown = raw.get("name") if isinstance(raw, dict) else raw
            return f"User '{shown}' does not exist."
        values[name] = found
        return None

    def _custom_value(self, custom: CustomField, raw: Any, values: dict[str, Any]) -> str | None:
        if raw is not None and not isinstance(raw, str):
            return "Operation value must be a string"
        limit = (
            self.config.textfield_limit if custom.kind == "textfield" else self.config.text_limit
        )
        if isinstance(raw, str) and len(raw) > limit:
            return _too_long(limit)
        values[custom.id] = raw
        return None


def _too_long(limit: int) -> str:
    return f"The entered text is too long. It exceeds the allowed limit of {limit:,} characters."
