"""The pure mapping: what an action looks like in Jira, and what Jira's answers mean here."""

from __future__ import annotations

from datetime import date

import pytest

from sync.mapping import (
    PROPERTY_KEY,
    ActionRecord,
    CustomFieldRef,
    MappingConfig,
    RemoteIssue,
    create_payload,
    description_of,
    escape_wiki,
    fingerprint,
    fit_text,
    jql_string,
    labels_update,
    parse_issue,
    push_fields,
    remote_status_class,
    summary_of,
)

CFG = MappingConfig(instance_id="inst-1")


def record(**fields: object) -> ActionRecord:
    values: dict[str, object] = {
        "id": 12,
        "title": "Add a canary stage",
        "description": "Deploys go to 5% first.",
        "kind": "preventive",
        "priority": "P1",
        "owner": "alice@example.com",
        "due_date": date(2027, 3, 1),
        "incident_title": "Checkout outage",
        "root_cause": "A bad config push",
    }
    values.update(fields)
    return ActionRecord(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "ping [~accountid:5b10ac8d82e05b22cc7d4ef5] now",
        "{code}rm -rf /{code}",
        "see [the runbook|http://evil.example.com]",
        "!http://evil.example.com/x.png!",
        "*bold* _em_ -strike- +ins+ ^sup^ ~sub~ ??cite??",
        "h1. Not a heading\nbq. not a quote\n# not a list",
        "a \\\\ line break",
    ],
)
def test_user_text_is_not_interpreted_as_wiki_markup(text: str) -> None:
    escaped = escape_wiki(text).replace("&#92;", "")  # a backslash, as an entity
    # Every markup character is preceded by a backslash; no bare backslash pair remains.
    for index, char in enumerate(escaped):
        if char in "[]{}|~*_^+-?!#":
            assert escaped[index - 1] == "\\", (char, escaped)
    assert "\\\\" not in escaped  # a backslash pair would be a forced line break
    assert "[~accountid:" not in escaped
    assert "{code}" not in escaped


def test_escape_keeps_plain_text_and_lines() -> None:
    assert escape_wiki("Rotate the keys\r\nweekly") == "Rotate the keys\nweekly"
    assert escape_wiki(None) == ""


def test_summary_is_one_line_and_at_most_254_characters_cut_at_a_word() -> None:
    assert summary_of("two\nlines") == "two lines"
    assert len(summary_of("x" * 400)) == 254
    title = "Rotate " + "credentials " * 30  # 367 characters
    summary = summary_of(title)
    assert len(summary) <= 254
    assert summary.endswith("credentials…")
    assert summary_of("y" * 254) == "y" * 254


def test_long_texts_are_cut_with_a_line_saying_where_the_full_text_is() -> None:
    text = fit_text("word " * 10_000, 32_767, 12)
    assert len(text) <= 32_767
    assert text.endswith("the full text is in capa-tracker: capa-tracker show 12)")
    assert "wor\n" not in text  # cut at a word
    description = description_of(record(description="[x] " * 20_000))
    assert len(description) <= 32_767
    assert "capa-tracker show 12" in description.splitlines()[-1]


def test_create_payload_on_cloud_has_every_field_and_the_markers() -> None:
    payload = create_payload(record(), CFG, "acc-1")
    fields = payload["fields"]
    assert fields["project"] == {"key": "OPS"}
    assert fields["issuetype"] == {"name": "Task"}
    assert fields["summary"] == "Add a canary stage"
    assert fields["priority"] == {"name": "High"}
    assert fields["labels"] == ["capa-tracker", "preventive", "capa-12"]
    assert fields["duedate"] == "2027-03-01"
    assert fields["assignee"] == {"accountId": "acc-1"}
    description = fields["description"]
    assert "Deploys go to 5% first." in description
    assert "Checkout outage" in description
    assert "A bad config push" in description
    assert "preventive" in description
    assert "12" in description
    assert payload["properties"] == [
        {"key": PROPERTY_KEY, "value": {"instance": "inst-1", "action_id": 12}}
    ]


def test_data_center_assigns_by_user_name_and_unknown_owner_leaves_it_unassigned() -> None:
    dc = MappingConfig(deployment="datacenter")
    assert create_payload(record(), dc, "alice")["fields"]["assignee"] == {"name": "alice"}
    assert "assignee" not in create_payload(record(), dc, None)["fields"]


def test_custom_fields_by_resolved_id() -> None:
    cfg = MappingConfig(
        custom_fields=(
            CustomFieldRef("customfield_10050", "root_cause", "textarea"),
            CustomFieldRef("customfield_10051", "incident_title", "textfield"),
            CustomFieldRef("customfield_10052", "team", "url"),
        )
    )
    values = push_fields(record(root_cause="x [~accountid:1]", team="payments-sre"), cfg)
    assert values["customfield_10050"] == "x \\[\\~accountid:1\\]"  # wiki-rendered: escaped
    assert values["customfield_10051"] == "Checkout outage"
    assert values["customfield_10052"] == "payments-sre"  # plain: as typed


def test_labels_update_adds_and_removes_only_ours() -> None:
    assert labels_update(
        ["capa-tracker", "preventive", "capa-1"], ["capa-tracker", "process", "capa-1"]
    ) == [
        {"remove": "preventive"},
        {"add": "process"},
    ]


@pytest.mark.parametrize(
    ("status", "category", "resolution", "expected"),
    [
        ("To Do", "new", None, "new"),
        ("In Progress", "indeterminate", None, "indeterminate"),
        ("Done", "done", "Done", "done"),
        ("Done", "done", "Won't Do", "wont_do"),
        ("Done", "done", "Duplicate", "wont_do"),
        ("Done", "done", "Cannot Reproduce", "wont_do"),
        ("Done", "done", "Fixed", "done"),  # listed in done_resolutions below
        ("Won't Do", "done", None, "wont_do"),
        ("Shipped", "indeterminate", None, "done"),  # a configured done status
        ("Blocked", "indeterminate", None, "blocked"),
    ],
)
def test_remote_status_classes(
    status: str, category: str, resolution: str | None, expected: str
) -> None:
    cfg = MappingConfig(done_statuses=("Shipped",), done_resolutions=("Done", "Fixed"))
    issue = RemoteIssue("1", "OPS-1", status=status, category=category, resolution=resolution)
    assert remote_status_class(issue, cfg) == expected


def test_parse_issue_reads_the_pull_fields() -> None:
    raw = {
        "id": "10001",
        "key": "OPS-1",
        "fields": {
            "status": {"name": "Done", "statusCategory": {"key": "done"}},
            "resolution": {"name": "Done"},
            "assignee": {"accountId": "acc-1", "name": "alice", "emailAddress": "a@x"},
            "duedate": "2027-01-31",
            "updated": "2026-11-27T09:15:02.123+0000",
            "labels": ["capa-tracker"],
        },
        "properties": {PROPERTY_KEY: {"instance": "i", "action_id": 3}},
    }
    cloud = parse_issue(raw, "cloud")
    assert cloud.assignee == "acc-1"
    assert cloud.duedate == date(2027, 1, 31)
    assert cloud.updated is not None
    assert cloud.updated.utcoffset() is not None
    assert cloud.prop == {"instance": "i", "action_id": 3}
    assert parse_issue(raw, "datacenter").assignee == "alice"


def test_jql_strings_escape_quotes_and_backslashes() -> None:
    assert jql_string('a"b\\c') == '"a\\"b\\\\c"'


def test_fingerprint_is_stable_and_order_free() -> None:
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})
    assert len(fingerprint({})) == 64
