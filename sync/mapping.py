"""Pure mapping between actions and Jira issues: fields out, field values back, fingerprints.

No network and no database here: the engine resolves users and custom field ids first and passes
them in, so every rule in this module is tested with plain values.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

PROPERTY_KEY = "capa-tracker.action"
MARKER_PREFIX = "capa-"
# Jira's limits (../shared/jira-openapi): a summary "must be less than 255 characters";
# single-line text fields hold 254, the description and multi-line text fields 32,767.
SUMMARY_LIMIT = 254
TEXTFIELD_LIMIT = 254
TEXT_LIMIT = 32_767
# What the search asks for when pulling; enough to compare the fields that flow back.
PULL_FIELDS = ("status", "resolution", "assignee", "duedate", "updated", "labels")
TWO_WAY = ("status", "owner", "due_date")

# Local status <-> a class both sides agree on (Jira knows categories, not our six statuses).
# `blocked` is a workflow status of its own (jira.blocked_status) when the workflow has one;
# `done` and `wont_do` are both Jira's Done category, told apart by the resolution.
LOCAL_CLASS = {
    "open": "new",
    "in_progress": "indeterminate",
    "blocked": "blocked",
    "done": "done",
    "verified": "done",
    "wont_do": "wont_do",
}
CLASS_TO_LOCAL = {
    "new": "open",
    "indeterminate": "in_progress",
    "blocked": "blocked",
    "done": "done",
    "wont_do": "wont_do",
}
# Attributes a custom field can carry (jira.custom_fields values).
ATTRIBUTES = frozenset(
    {
        "id",
        "title",
        "description",
        "kind",
        "priority",
        "owner",
        "team",
        "due_date",
        "status",
        "status_reason",
        "tracking_ref",
        "incident_id",
        "incident",
        "incident_title",
        "incident.title",
        "root_cause",
        "incident.root_cause",
        "impact",
        "incident.impact",
    }
)


# ------------------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class ActionRecord:
    """A plain snapshot of one action and the incident it came from."""

    id: int
    title: str
    description: str = ""
    kind: str = "corrective"
    priority: str = "P2"
    owner: str | None = None
    team: str | None = None
    due_date: date | None = None
    status: str = "open"
    status_reason: str | None = None
    retired: bool = False
    incident_id: int | None = None
    incident_title: str | None = None
    root_cause: str | None = None
    impact: str | None = None
    tracking_ref: str | None = None

    def attribute(self, name: str) -> Any:
        """A value for a custom field: an action attribute or one of its incident's."""
        aliases = {"incident": "incident_title", "incident.title": "incident_title"}
        name = aliases.get(name, name.removeprefix("incident."))
        return getattr(self, name, None)


@dataclass(frozen=True)
class CustomFieldRef:
    field_id: str
    attribute: str
    # From the field's schema: "textarea" (multi-line, wiki-rendered, 32,767 characters),
    # "textfield" (one line, plain, 254) or another type (plain text, 32,767).
    kind: str = "textarea"

    @property
    def wiki(self) -> bool:
        return self.kind == "textarea"

    @property
    def limit(self) -> int:
        return TEXTFIELD_LIMIT if self.kind == "textfield" else TEXT_LIMIT


def field_kind(schema: Mapping[str, Any] | None) -> str:
    """ "textarea", "textfield" or the custom type's last part, from a field's schema."""
    custom = str((schema or {}).get("custom") or "")
    return custom.rsplit(":", 1)[-1] if custom else str((schema or {}).get("type") or "")


@dataclass(frozen=True)
class MappingConfig:
    deployment: str = "cloud"
    project: str = "OPS"
    issue_type: str = "Task"
    label: str = "capa-tracker"
    priority_map: Mapping[str, str] = field(
        default_factory=lambda: {"P0": "Highest", "P1": "High", "P2": "Medium", "P3": "Low"}
    )
    done_statuses: tuple[str, ...] = ()
    done_status: str = "Done"
    wont_do_status: str = "Won't Do"
    wont_do_resolution: str = "Won't Do"
    done_resolutions: tuple[str, ...] = ("Done",)
    blocked_status: str = "Blocked"
    custom_fields: tuple[CustomFieldRef, ...] = ()
    instance_id: str = ""


# ------------------------------------------------------------------------------ text


_WIKI_SPECIAL = frozenset("[]{}|~*_^+-?!#()")
_BLOCK_START = re.compile(r"^(\s*)(h[1-6]|bq)\.", re.MULTILINE)


def escape_wiki(text: str | None) -> str:
    """User text made inert for REST v2 wiki markup.

    Mentions (`[~accountid:...]`), links (`[text|url]`), macros (`{code}`), images (`!x!`),
    emphasis and list/heading markers are shown as typed instead of being interpreted.
    A backslash becomes an entity, since `\\\\` is wiki markup's forced line break.
    """
    if not text:
        return ""
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    out = "".join(
        "&#92;" if ch == "\\" else ("\\" + ch if ch in _WIKI_SPECIAL else ch) for ch in flat
    )
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}{m.group(2)}\\.", out)


def _cut_at_space(text: str, limit: int) -> str:
    """At most `limit` characters, cut at the last white space when there is one in reach
    (a wiki escape such as `\\-` or `&#92;` never holds a space, so none is split)."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = max(head.rfind(" "), head.rfind("\n"))
    if space > limit // 2:
        return head[:space].rstrip()
    return re.sub(r"(\\|&#?9?2?)$", "", head).rstrip()  # no half of a wiki escape


def summary_of(title: str) -> str:
    """Jira's summary: one line, at most 254 characters, cut at a word with "…"."""
    line = " ".join(title.split())
    if len(line) <= SUMMARY_LIMIT:
        return line
    return _cut_at_space(line, SUMMARY_LIMIT - 1) + "…"


def fit_text(text: str, limit: int, action_id: int) -> str:
    """A long text cut to Jira's limit, with a line saying where the whole text is."""
    if len(text) <= limit:
        return text
    note = (
        f"\n\n… (cut to fit Jira's limit of {limit:,} characters; the full text is in "
        f"capa-tracker: capa-tracker show {action_id})"
    )
    return _cut_at_space(text, limit - len(note)) + note


def description_of(action: ActionRecord) -> str:
    """The issue's description (wiki markup), at most 32,767 characters."""
    return fit_text(_description(action), TEXT_LIMIT, action.id)


def _description(action: ActionRecord) -> str:
    parts: list[str] = []
    if action.description.strip():
        parts.append(escape_wiki(action.description.strip()))
    facts = []
    if action.incident_title:
        facts.append(f"*Incident:* {escape_wiki(action.incident_title)}")
    if action.root_cause:
        facts.append(f"*Root cause:* {escape_wiki(action.root_cause)}")
    facts.append(f"*Kind:* {escape_wiki(action.kind)}")
    parts.append("\n".join(facts))
    parts.append(
        f"_Tracked by capa-tracker as action {escape_wiki(f'#{action.id}')} "
        f"(capa-tracker show {action.id}); edit title, description and priority there._"
    )
    return "\n\n".join(parts)


def marker_label(action_id: int) -> str:
    return f"{MARKER_PREFIX}{action_id}"


def action_id_of_marker(label: str) -> int | None:
    rest = label.removeprefix(MARKER_PREFIX)
    return int(rest) if label.startswith(MARKER_PREFIX) and rest.isdigit() else None


def labels_of(action: ActionRecord, cfg: MappingConfig) -> list[str]:
    kind = re.sub(r"\s+", "-", action.kind.strip()) if action.kind else ""
    return list(dict.fromkeys(x for x in (cfg.label, kind, marker_label(action.id)) if x))


# ------------------------------------------------------------------------------ fields out


def user_ref(ref: str | None, deployment: str) -> dict[str, str] | None:
    """An assignee value: accountId on Cloud, user name on Data Center; None unassigns."""
    if ref is None:
        return None
    return {"accountId": ref} if deployment == "cloud" else {"name": ref}


def push_fields(action: ActionRecord, cfg: MappingConfig) -> dict[str, Any]:
    """The fields the tracker owns (title, description, priority, labels, custom fields)."""
    values: dict[str, Any] = {
        "summary": summary_of(action.title),
        "description": description_of(action),
        "labels": labels_of(action, cfg),
    }
    priority = cfg.priority_map.get(action.priority)
    if priority:
        values["priority"] = {"name": priority}
    for custom in cfg.custom_fields:
        raw = action.attribute(custom.attribute)
        text = "" if raw is None else str(raw.isoformat() if isinstance(raw, date) else raw)
        if custom.kind == "textfield":
            text = " ".join(text.split())
            text = (
                text if len(text) <= custom.limit else _cut_at_space(text, custom.limit - 1) + "…"
            )
        else:
            text = fit_text(escape_wiki(text) if custom.wiki else text, custom.limit, action.id)
        values[custom.field_id] = text or None
    return values


def property_value(action_id: int, instance_id: str) -> dict[str, Any]:
    """The entity property every created issue carries: which tracker, which action."""
    return {"instance": instance_id, "action_id": action_id}


def create_payload(
    action: ActionRecord, cfg: MappingConfig, assignee: str | None
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "project": {"key": cfg.project},
        "issuetype": {"name": cfg.issue_type},
        **push_fields(action, cfg),
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    if action.due_date is not None:
        fields["duedate"] = action.due_date.isoformat()
    if assignee is not None:
        fields["assignee"] = user_ref(assignee, cfg.deployment)
    return {
        "fields": fields,
        "properties": [{"key": PROPERTY_KEY, "value": property_value(action.id, cfg.instance_id)}],
    }


def labels_update(old: list[str], new: list[str]) -> list[dict[str, str]]:
    """`update.labels` operations: labels people added in Jira stay."""
    ops = [{"remove": label} for label in old if label not in new]
    ops += [{"add": label} for label in new if label not in old]
    return ops


# ------------------------------------------------------------------------------ issues in


@dataclass(frozen=True)
class RemoteIssue:
    """The part of a Jira issue the sync reads, as plain values."""

    id: str
    key: str
    updated: datetime | None = None
    status: str = ""
    category: str = "new"  # new | indeterminate | done
    resolution: str | None = None
    assignee: str | None = None  # accountId (Cloud) or name (Data Center)
    assignee_email: str | None = None
    assignee_display: str | None = None
    duedate: date | None = None
    labels: tuple[str, ...] = ()
    prop: Mapping[str, Any] | None = None


def parse_jira_time(raw: str | None) -> datetime | None:
    if not raw:
        return None
    text = raw.replace("Z", "+00:00")
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_issue(raw: Mapping[str, Any], deployment: str) -> RemoteIssue:
    fields: Mapping[str, Any] = raw.get("fields") or {}
    status = fields.get("status") or {}
    category = ((status.get("statusCategory") or {}).get("key")) or "new"
    resolution = (fields.get("resolution") or {}).get("name") if fields.get("resolution") else None
    person = fields.get("assignee") or None
    ref = None
    if person:
        ref = person.get("accountId") if deployment == "cloud" else person.get("name")
    due = fields.get("duedate")
    props = raw.get("properties") or {}
    prop = props.get(PROPERTY_KEY) if isinstance(props, Mapping) else None
    return RemoteIssue(
        id=str(raw.get("id", "")),
        key=str(raw.get("key", "")),
        updated=parse_jira_time(fields.get("updated")),
        status=str(status.get("name") or ""),
        category=str(category),
        resolution=resolution,
        assignee=ref,
        assignee_email=(person or {}).get("emailAddress") or None,
        assignee_display=(person or {}).get("displayName") or None,
        duedate=date.fromisoformat(due[:10]) if isinstance(due, str) and due else None,
        labels=tuple(fields.get("labels") or ()),
        prop=prop if isinstance(prop, Mapping) else None,
    )


def remote_status_class(issue: RemoteIssue, cfg: MappingConfig) -> str:
    """Jira's status as new / indeterminate / blocked / done / wont_do.

    A Done-category issue is `done` when its resolution is one of jira.done_resolutions (or it
    has none), else `wont_do` (Won't Do, Duplicate, Cannot Reproduce, ...).
    """
    name = issue.status.casefold()
    done_names = {s.casefold() for s in (*cfg.done_statuses, cfg.done_status)}
    if name == cfg.wont_do_status.casefold():
        return "wont_do"
    if issue.category == "done" or name in done_names:
        done_resolutions = {r.casefold() for r in cfg.done_resolutions}
        if issue.resolution is not None and issue.resolution.casefold() not in done_resolutions:
            return "wont_do"
        return "done"
    if cfg.blocked_status and name == cfg.blocked_status.casefold():
        return "blocked"
    return "indeterminate" if issue.category == "indeterminate" else "new"


def status_words(status_class: str, cfg: MappingConfig) -> str:
    """A status class as people say it in Jira ("In Progress", "Done (Won't Do)")."""
    return {
        "new": "To Do",
        "indeterminate": "In Progress",
        "blocked": cfg.blocked_status,
        "done": cfg.done_status,
        "wont_do": f"{cfg.done_status} ({cfg.wont_do_resolution})",
    }.get(status_class, status_class)


def local_status_class(status: str) -> str:
    return LOCAL_CLASS.get(status, "new")


def owner_from_remote(issue: RemoteIssue, owners_by_ref: Mapping[str, str]) -> str | None:
    """The local owner for a Jira assignee: configured person, then e-mail, then name."""
    if issue.assignee is None:
        return None
    return (
        owners_by_ref.get(issue.assignee)
        or issue.assignee_email
        or issue.assignee_display
        or issue.assignee
    )


def remote_two_way(issue: RemoteIssue, cfg: MappingConfig) -> dict[str, Any]:
    """The two-way fields as Jira holds them (compared with what was last agreed)."""
    return {
        "status": remote_status_class(issue, cfg),
        "owner": issue.assignee,
        "due_date": issue.duedate.isoformat() if issue.duedate else None,
    }


def local_two_way(action: ActionRecord) -> dict[str, Any]:
    return {
        "status": action.status,
        "owner": action.owner,
        "due_date": action.due_date.isoformat() if action.due_date else None,
    }


def fingerprint(values: Mapping[str, Any]) -> str:
    blob = json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def jql_string(value: str) -> str:
    """A JQL string literal: double quotes, with quotes and backslashes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
