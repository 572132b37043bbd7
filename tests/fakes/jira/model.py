"""The fake Jira's configuration and records: plain dataclasses, no behaviour beyond lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Deployment = Literal["cloud", "datacenter"]

JIRA_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.{ms:03d}%z"


def format_jira_time(moment: datetime) -> str:
    """Jira's REST timestamp: ``2026-11-27T09:15:02.123+0000`` (milliseconds, no colon in offset)."""
    return moment.strftime(JIRA_TIME_FORMAT).format(ms=moment.microsecond // 1000)


@dataclass(frozen=True)
class StatusCategory:
    id: int
    key: str  # new | indeterminate | done
    name: str
    color: str


@dataclass(frozen=True)
class Status:
    id: str
    name: str
    category: StatusCategory
    description: str = ""


@dataclass(frozen=True)
class Transition:
    """One workflow transition; ``sources`` empty means global (from any status)."""

    id: str
    name: str
    to: str  # target status name
    sources: tuple[str, ...] = ()

    def available_from(self, status_name: str) -> bool:
        return (not self.sources or status_name in self.sources) and status_name != self.to


@dataclass(frozen=True)
class Resolution:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Priority:
    id: str
    name: str


@dataclass(frozen=True)
class IssueType:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Project:
    id: str
    key: str
    name: str
    #: Names of the issue types in the project's scheme; empty means every type of the site.
    issue_types: tuple[str, ...] = ()

    def has_issue_type(self, name: str) -> bool:
        return not self.issue_types or name in self.issue_types


@dataclass(frozen=True)
class User:
    """A Jira user. Cloud identifies users by ``account_id``; Data Center by ``name`` (and key)."""

    account_id: str
    name: str
    key: str
    display_name: str
    email: str
    time_zone: str = "UTC"
    active: bool = True

    def matches(self, term: str) -> bool:
        """Prefix match on display-name words, e-mail or username, as Jira's user search does."""
        needle = term.casefold()
        words = [self.display_name.casefold(), *self.display_name.casefold().split()]
        return any(
            candidate.startswith(needle)
            for candidate in (*words, self.email.casefold(), self.name.casefold())
        )


@dataclass(frozen=True)
class CustomField:
    id: str  # customfield_10050
    name: str  # Root cause
    kind: Literal["textarea", "textfield"] = "textarea"

    @property
    def number(self) -> int:
        return int(self.id.rsplit("_", 1)[1])


@dataclass
class Comment:
    id: str
    author: User
    body: str
    created: datetime
    updated: datetime


@dataclass
class ChangeItem:
    field: str
    from_string: str | None
    to_string: str | None
    from_id: str | None = None
    to_id: str | None = None


@dataclass
class History:
    id: str
    author: User
    created: datetime
    items: list[ChangeItem]


@dataclass
class Issue:
    id: str
    key: str
    project: Project
    issue_type: IssueType
    summary: str
    status: Status
    priority: Priority
    reporter: User
    created: datetime
    updated: datetime
    description: str | None = None
    labels: list[str] = field(default_factory=list)
    duedate: str | None = None  # yyyy-MM-dd
    assignee: User | None = None
    resolution: str | None = None
    resolutiondate: datetime | None = None
    status_category_changed: datetime | None = None
    custom: dict[str, Any] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    history: list[History] = field(default_factory=list)

    @property
    def number(self) -> int:
        return int(self.key.rsplit("-", 1)[1])


TO_DO = StatusCategory(2, "new", "To Do", "blue-gray")
IN_PROGRESS = StatusCategory(4, "indeterminate", "In Progress", "yellow")
DONE = StatusCategory(3, "done", "Done", "green")


def default_statuses() -> list[Status]:
    return [
        Status("10000", "To Do", TO_DO, "Work that has not been started."),
        Status("10001", "In Progress", IN_PROGRESS, "The issue is being worked on."),
        Status("10002", "Done", DONE, "Work is complete."),
    ]


def default_transitions(base: int = 711) -> list[Transition]:
    """A classic workflow whose transition names differ from their target status names.

    Ids start at an odd ``base`` so that clients cannot get away with Jira's old 1..5 constants.
    """
    return [
        Transition(str(base), "Start Progress", "In Progress", ("To Do",)),
        Transition(str(base + 10), "Stop Progress", "To Do", ("In Progress",)),
        Transition(str(base + 20), "Resolve Issue", "Done", ("To Do", "In Progress")),
        Transition(str(base + 30), "Reopen Issue", "To Do", ("Done",)),
    ]


BLOCKED = "Blocked"


def blocked_workflow(base: int = 711) -> tuple[list[Status], list[Transition]]:
    """The classic workflow plus a "Blocked" status (In Progress category) and its transitions."""
    statuses = [*default_statuses(), Status("10003", BLOCKED, IN_PROGRESS, "Waiting on others.")]
    transitions = [
        *default_transitions(base),
        Transition(str(base + 40), "Block", BLOCKED, ("To Do", "In Progress")),
        Transition(str(base + 50), "Unblock", "In Progress", (BLOCKED,)),
        Transition(str(base + 60), "Resolve Blocked", "Done", (BLOCKED,)),
    ]
    return statuses, transitions


def default_resolutions() -> list[Resolution]:
    """Jira Cloud's default resolutions (Data Center adds Fixed, Won't Fix, Incomplete, ...)."""
    return [
        Resolution("10000", "Done", "Work has been completed on this issue."),
        Resolution("10001", "Won't Do", "This issue won't be actioned."),
        Resolution("10002", "Duplicate", "The problem is a duplicate of an existing issue."),
        Resolution("10003", "Cannot Reproduce", "This issue could not be reproduced."),
    ]


def default_priorities() -> list[Priority]:
    names = ["Highest", "High", "Medium", "Low", "Lowest"]
    return [Priority(str(index), name) for index, name in enumerate(names, start=1)]


def default_users() -> list[User]:
    return [
        User(
            "5b10a2844c20165700ede21g",
            "capa-bot",
            "JIRAUSER10100",
            "CAPA Bot",
            "bot@example.com",
        ),
        User(
            "5b10ac8d82e05b22cc7d4ef5",
            "alice",
            "JIRAUSER10101",
            "Alice Example",
            "alice@example.com",
        ),
        User(
            "712020:2a54b7e1-bd43-4e1c-9d1e-3f4d2c1b0a99",
            "bob",
            "JIRAUSER10102",
            "Bob Builder",
            "bob@example.com",
        ),
        User(
            "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
            "carol",
            "JIRAUSER10103",
            "Carol Lead",
            "carol@example.com",
        ),
    ]


def default_custom_fields() -> list[CustomField]:
    return [
        CustomField("customfield_10050", "Root cause", "textarea"),
        CustomField("customfield_10051", "Incident", "textfield"),
    ]


@dataclass
class FakeJiraConfig:
    """Everything that shapes a fake site; tests override what they need."""

    deployment: Deployment = "cloud"
    #: Cloud: e-mail -> API token (basic auth). Data Center: PAT -> username (bearer auth).
    cloud_credentials: dict[str, str] = field(
        default_factory=lambda: {"bot@example.com": "cloud-token"}
    )
    dc_tokens: dict[str, str] = field(default_factory=lambda: {"dc-pat": "capa-bot"})
    projects: list[Project] = field(default_factory=lambda: [Project("10000", "OPS", "Operations")])
    issue_types: list[IssueType] = field(default_factory=lambda: [IssueType("10002", "Task")])
    priorities: list[Priority] = field(default_factory=default_priorities)
    default_priority: str = "Medium"
    statuses: list[Status] = field(default_factory=default_statuses)
    initial_status: str = "To Do"
    transitions: list[Transition] = field(default_factory=default_transitions)
    resolutions: list[Resolution] = field(default_factory=default_resolutions)
    users: list[User] = field(default_factory=default_users)
    custom_fields: list[CustomField] = field(default_factory=default_custom_fields)
    #: Time zone JQL date literals are read in (the searching user's profile zone in Jira).
    time_zone: str = "UTC"
    first_issue_id: int = 10_001
    bulk_limit: int = 50
    #: Page-size caps: Cloud ``search/jql`` gives up to 5000 when only ids/keys are asked.
    cloud_page_limit: int = 100
    cloud_id_page_limit: int = 5000
    dc_page_limit: int = 1000
    #: Seconds before a write becomes visible to Cloud ``search/jql`` (eventual consistency).
    search_lag: float = 0.0
    max_property_bytes: int = 32_768
    #: Jira's limits: summary "less than 255 characters"; single-line text fields 254;
    #: description and multi-line text fields 32,767 characters.
    summary_limit: int = 254
    text_limit: int = 32_767
    textfield_limit: int = 254


def issue_fields_meta(custom_fields: list[CustomField]) -> list[dict[str, Any]]:
    """The system fields this fake knows, as (id, name, schema, navigable, clause names)."""
    system: list[tuple[str, str, dict[str, Any], bool, list[str]]] = [
        ("summary", "Summary", {"type": "string", "system": "summary"}, True, ["summary"]),
        (
            "description",
            "Description",
            {"type": "string", "system": "description"},
            True,
            ["description"],
        ),
        (
            "issuetype",
            "Issue Type",
            {"type": "issuetype", "system": "issuetype"},
            True,
            ["issuetype", "type"],
        ),
        ("project", "Project", {"type": "project", "system": "project"}, True, ["project"]),
        ("priority", "Priority", {"type": "priority", "system": "priority"}, True, ["priority"]),
        (
            "labels",
            "Labels",
            {"type": "array", "items": "string", "system": "labels"},
            True,
            ["labels"],
        ),
        ("duedate", "Due date", {"type": "date", "system": "duedate"}, True, ["due", "duedate"]),
        ("assignee", "Assignee", {"type": "user", "system": "assignee"}, True, ["assignee"]),
        ("reporter", "Reporter", {"type": "user", "system": "reporter"}, True, ["reporter"]),
        ("status", "Status", {"type": "status", "system": "status"}, True, ["status"]),
        (
            "resolution",
            "Resolution",
            {"type": "resolution", "system": "resolution"},
            True,
            ["resolution"],
        ),
        (
            "resolutiondate",
            "Resolved",
            {"type": "datetime", "system": "resolutiondate"},
            True,
            ["resolutiondate", "resolved"],
        ),
        (
            "created",
            "Created",
            {"type": "datetime", "system": "created"},
            True,
            ["created", "createdDate"],
        ),
        (
            "updated",
            "Updated",
            {"type": "datetime", "system": "updated"},
            True,
            ["updated", "updatedDate"],
        ),
        (
            "statuscategorychangedate",
            "Status Category Changed",
            {"type": "datetime", "system": "statuscategorychangedate"},
            True,
            ["statusCategoryChangedDate"],
        ),
        ("comment", "Comment", {"type": "comments-page", "system": "comment"}, False, ["comment"]),
    ]
    fields: list[dict[str, Any]] = [
        {
            "id": field_id,
            "key": field_id,
            "name": name,
            "custom": False,
            "orderable": field_id not in {"status", "resolutiondate", "created", "updated"},
            "navigable": navigable,
            "searchable": True,
            "clauseNames": clauses,
            "schema": schema,
        }
        for field_id, name, schema, navigable, clauses in system
    ]
    fields.append(
        {
            "id": "issuekey",
            "key": "issuekey",
            "name": "Key",
            "custom": False,
            "orderable": False,
            "navigable": True,
            "searchable": False,
            "clauseNames": ["id", "issue", "issuekey", "key"],
        }
    )
    for custom in custom_fields:
        fields.append(
            {
                "id": custom.id,
                "key": custom.id,
                "name": custom.name,
                "custom": True,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [f"cf[{custom.number}]", custom.name],
                "schema": {
                    "type": "string",
                    "custom": f"com.atlassian.jira.plugin.system.customfieldtypes:{custom.kind}",
                    "customId": custom.number,
                },
            }
        )
    return fields
