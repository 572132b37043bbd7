"""The fake's JQL subset, tested without a network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fakes.jira import FakeJiraConfig
from tests.fakes.jira.errors import JiraError
from tests.fakes.jira.jql import parse, sort_issues, tokenize
from tests.fakes.jira.state import JiraStore, by_sort_key

BOT = FakeJiraConfig().users[0]


def store_with(count: int, zone: str = "UTC") -> JiraStore:
    store = JiraStore(FakeJiraConfig(time_zone=zone))
    for n in range(count):
        store.create(
            {
                "fields": {
                    "project": {"key": "OPS"},
                    "issuetype": {"name": "Task"},
                    "summary": f"Issue {n}",
                    "labels": ["capa-tracker"] if n % 2 == 0 else ["other"],
                    "priority": {"name": ["High", "Low"][n % 2]},
                }
            },
            BOT,
        )
    return store


def keys(store: JiraStore, jql: str) -> list[str]:
    query = parse(jql, store)
    found = [i for i in store.all_issues() if query.matches(i)]
    return [i.key for i in sort_issues(found, query, by_sort_key)]


def error_of(store: JiraStore, jql: str) -> str:
    with pytest.raises(JiraError) as caught:
        parse(jql, store)
    assert caught.value.status == 400
    return caught.value.messages[0]


def test_strings_may_use_either_quote_and_escapes() -> None:
    tokens = tokenize(r"""summary = "say \"hi\"" AND labels = 'it\'s'""")

    assert [t.text for t in tokens if t.kind == "string"] == ['say "hi"', "it's"]


def test_project_labels_and_order() -> None:
    store = store_with(6)

    assert keys(store, "project = OPS AND labels = capa-tracker ORDER BY key DESC") == [
        "OPS-5",
        "OPS-3",
        "OPS-1",
    ]
    assert keys(store, 'labels in ("other", nothing) order by key asc') == [
        "OPS-2",
        "OPS-4",
        "OPS-6",
    ]


def test_multi_key_order_and_default_order() -> None:
    store = store_with(4)

    assert keys(store, "project = OPS ORDER BY priority DESC, key ASC") == [
        "OPS-1",
        "OPS-3",
        "OPS-2",
        "OPS-4",
    ]
    assert keys(store, "project = OPS") == ["OPS-4", "OPS-3", "OPS-2", "OPS-1"]


def test_key_and_issuekey_and_status() -> None:
    store = store_with(3)
    store.person_transition("OPS-2", "Done", BOT)

    assert keys(store, "issuekey = OPS-2") == ["OPS-2"]
    assert keys(store, "key in (OPS-1, OPS-3) ORDER BY key") == ["OPS-1", "OPS-3"]
    assert keys(store, 'status = "Done"') == ["OPS-2"]
    assert keys(store, "status != Done ORDER BY key") == ["OPS-1", "OPS-3"]
    assert keys(store, "statusCategory = done") == ["OPS-2"]


@pytest.mark.parametrize(
    ("jql", "message"),
    [
        (
            "issue.property[capa-tracker].action_id = 7",
            "Field 'issue.property[capa-tracker].action_id' does not exist or you do not have "
            "permission to view it.",
        ),
        ("colour = red", "Field 'colour' does not exist or you do not have permission to view it."),
        ("project = NOPE", "The value 'NOPE' does not exist for the field 'project'."),
        ("status = Blocked", "The value 'Blocked' does not exist for the field 'status'."),
        ("key = OPS-77", "An issue with key 'OPS-77' does not exist for field 'key'."),
        ("key = banana", "The issue key 'banana' for field 'key' is invalid."),
    ],
)
def test_rejections_use_jira_wording(jql: str, message: str) -> None:
    assert error_of(store_with(1), jql) == message


@pytest.mark.parametrize(
    "jql",
    [
        "project = OPS OR labels = x",
        "assignee = currentUser()",
        "updated >= startOfDay()",
        "summary ~ disk",
        "labels is EMPTY",
        "project = OPS ORDER BY rank",
        "project = ",
    ],
)
def test_everything_else_is_a_400(jql: str) -> None:
    assert error_of(store_with(1), jql)


def test_updated_literals_have_minute_precision() -> None:
    store = store_with(1)
    issue = store.get("OPS-1")
    issue.updated = datetime(2026, 11, 27, 9, 15, 42, 123000, tzinfo=UTC)

    assert keys(store, 'updated >= "2026-11-27 09:15"') == ["OPS-1"]
    assert keys(store, 'updated > "2026/11/27 09:15"') == ["OPS-1"]  # 09:15:42 is later
    assert keys(store, 'updated >= "2026-11-27 09:16"') == []
    assert keys(store, 'updated <= "2026-11-27 09:15"') == []
    assert keys(store, 'updated < "2026-11-28"') == ["OPS-1"]
    assert "Valid formats include" in error_of(store, 'updated >= "2026-11-27 09:15:42"')
    assert "Valid formats include" in error_of(store, "updated >= 1795770942123")


def test_date_literals_are_read_in_the_site_time_zone() -> None:
    store = store_with(1, zone="America/New_York")
    store.get("OPS-1").updated = datetime(2026, 11, 27, 14, 20, tzinfo=UTC)  # 09:20 in New York

    assert keys(store, 'updated >= "2026-11-27 09:15"') == ["OPS-1"]
    assert keys(store, 'updated >= "2026-11-27 14:15"') == []
    assert store.now().tzinfo == ZoneInfo("America/New_York")


def test_relative_periods() -> None:
    store = store_with(1)
    store.get("OPS-1").updated = store.now() - timedelta(minutes=30)

    assert keys(store, "updated >= -1h") == ["OPS-1"]
    assert keys(store, "updated >= -10m") == []
