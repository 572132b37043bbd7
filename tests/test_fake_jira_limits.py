"""The fake Jira refuses what real Jira refuses (../shared/jira-openapi): field limits,
unknown resolutions, issue types outside the project. Driven by the `jira` library over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jira
import pytest
from jira.exceptions import JIRAError

from tests.fakes.jira import CustomField, FakeJira, Project
from tests.fakes.jira.model import IssueType

TASK = {"project": {"key": "OPS"}, "issuetype": {"name": "Task"}}
FIELDS = [
    CustomField("customfield_10050", "Root cause", "textarea"),
    CustomField("customfield_10051", "Incident", "textfield"),
]


@pytest.fixture(params=["cloud", "datacenter"])
def site(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    with FakeJira(
        deployment=request.param,
        custom_fields=FIELDS,
        issue_types=[IssueType("10002", "Task"), IssueType("10004", "Bug")],
        projects=[
            Project("10000", "OPS", "Operations", ("Task",)),
            Project("10001", "DEV", "Development"),
        ],
    ) as running:
        yield running


@pytest.fixture
def client(site: FakeJira) -> jira.JIRA:
    return jira.JIRA(**site.client_kwargs(), timeout=5)


def refused(client: jira.JIRA, **fields: Any) -> dict[str, str]:
    with pytest.raises(JIRAError) as caught:
        client.create_issue(fields={**TASK, **fields})
    assert caught.value.status_code == 400
    errors: dict[str, str] = caught.value.response.json()["errors"]
    return errors


def test_summary_holds_254_characters(client: jira.JIRA) -> None:
    assert client.create_issue(fields={**TASK, "summary": "s" * 254}).fields.summary == "s" * 254
    errors = refused(client, summary="s" * 255)
    assert errors["summary"] == "Summary must be less than 255 characters."


def test_description_and_text_areas_hold_32767_characters(client: jira.JIRA) -> None:
    text = "d" * 32_767
    issue = client.create_issue(
        fields={**TASK, "summary": "long", "description": text, "customfield_10050": text}
    )
    assert len(issue.fields.description) == 32_767
    too_long = "It exceeds the allowed limit of 32,767 characters."
    assert too_long in refused(client, summary="x", description=text + "d")["description"]
    assert (
        too_long in refused(client, summary="x", customfield_10050=text + "d")["customfield_10050"]
    )


def test_single_line_text_fields_hold_254_characters(client: jira.JIRA) -> None:
    client.create_issue(fields={**TASK, "summary": "ok", "customfield_10051": "t" * 254})
    errors = refused(client, summary="x", customfield_10051="t" * 255)
    assert "254 characters" in errors["customfield_10051"]


def test_resolutions_are_listed_and_unknown_ones_refused(client: jira.JIRA, site: FakeJira) -> None:
    names = [r.name for r in client.resolutions()]
    assert names == ["Done", "Won't Do", "Duplicate", "Cannot Reproduce"]
    issue = client.create_issue(fields={**TASK, "summary": "close me"})
    done = next(t["id"] for t in client.transitions(issue) if t["to"]["name"] == "Done")
    with pytest.raises(JIRAError) as caught:
        client.transition_issue(issue, done, fields={"resolution": {"name": "Rejected"}})
    assert caught.value.status_code == 400
    client.transition_issue(issue, done, fields={"resolution": {"name": "Won't Do"}})
    closed = client.issue(issue.key)
    assert closed.fields.resolution.name == "Won't Do"
    assert closed.fields.resolution.id == "10001"


def test_projects_have_their_own_issue_types(client: jira.JIRA) -> None:
    ops = client.project("OPS", expand="issueTypes")
    assert [t.name for t in ops.issueTypes] == ["Task"]
    assert [t.name for t in client.project("DEV", expand="issueTypes").issueTypes] == [
        "Task",
        "Bug",
    ]
    errors = refused(client, summary="x", issuetype={"name": "Bug"})
    assert errors["issuetype"] == "valid issue type is required"
    with pytest.raises(JIRAError) as caught:
        client.project("NOPE")
    assert caught.value.status_code == 404
