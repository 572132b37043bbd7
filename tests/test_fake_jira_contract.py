"""Contract: the fake's JSON answers match Atlassian's own OpenAPI component schemas.

Cloud answers are checked against the Cloud platform v3 description (v2 has the same shapes
except ADF, and the fake speaks v2: descriptions and comment bodies are strings, which the
v3 schemas leave untyped). Data Center answers are checked against the DC 10.3 description,
with the documented spec defects in ``tests.fakes.jira.contract.DC_OVERRIDES`` relaxed.
Skipped when ``../shared/jira-openapi`` is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.fakes.jira import FakeJira
from tests.fakes.jira.contract import CLOUD_SPEC, DC_SPEC, SpecSchemas, load, spec_dir

pytestmark = pytest.mark.skipif(
    not (spec_dir() / CLOUD_SPEC).is_file() or not (spec_dir() / DC_SPEC).is_file(),
    reason=f"Atlassian OpenAPI descriptions not found in {spec_dir()}",
)

TASK = {"project": {"key": "OPS"}, "issuetype": {"name": "Task"}}

#: Issue field -> component schema (Cloud), for the values IssueBean leaves untyped.
CLOUD_FIELD_SCHEMAS = {
    "status": "StatusDetails",
    "priority": "Priority",
    "issuetype": "IssueTypeDetails",
    "project": "Project",
    "assignee": "UserDetails",
    "reporter": "UserDetails",
    "creator": "UserDetails",
    "resolution": "Resolution",
    "comment": "PageOfComments",
}


class Api:
    """Raw HTTP against the fake, with the deployment's credentials."""

    def __init__(self, site: FakeJira) -> None:
        self.site = site
        self.session = requests.Session()
        if site.deployment == "cloud":
            self.session.auth = site.basic_auth
        else:
            self.session.headers["Authorization"] = f"Bearer {site.token}"

    def call(self, method: str, path: str, expect: int, **kwargs: Any) -> Any:
        answer = self.session.request(
            method, f"{self.site.url}/rest/api/2/{path}", timeout=5, **kwargs
        )
        assert answer.status_code == expect, answer.text
        return answer.json() if answer.content else None


def populate(api: Api) -> str:
    """One issue with every field set, a comment, a property, a history; returns its key."""
    site = api.site
    alice = site.user("alice")
    assignee = {"accountId": alice.account_id} if site.deployment == "cloud" else {"name": "alice"}
    created = api.call(
        "POST",
        "issue",
        201,
        json={
            "fields": {
                **TASK,
                "summary": "Contract",
                "description": "Text",
                "labels": ["capa-tracker"],
                "duedate": "2026-12-24",
                "priority": {"name": "High"},
                "assignee": assignee,
                "customfield_10050": "Root",
            }
        },
    )
    key = created["key"]
    api.call("POST", f"issue/{key}/comment", 201, json={"body": "A comment"})
    api.call("PUT", f"issue/{key}/properties/capa-tracker", 201, json={"action_id": 1})
    site.transition(key, "Done")
    return str(key)


@pytest.fixture(scope="module")
def cloud_spec() -> SpecSchemas:
    return load(CLOUD_SPEC)


@pytest.fixture(scope="module")
def dc_spec() -> SpecSchemas:
    return load(DC_SPEC)


@pytest.fixture
def cloud() -> Iterator[Api]:
    with FakeJira(deployment="cloud") as site:
        yield Api(site)


@pytest.fixture
def dc() -> Iterator[Api]:
    with FakeJira(deployment="datacenter") as site:
        yield Api(site)


def check_issue_fields(spec: SpecSchemas, issue: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    for field, schema in CLOUD_FIELD_SCHEMAS.items():
        value = issue.get("fields", {}).get(field)
        if value is not None:
            errors += spec.errors(value, schema)
    return errors


class TestCloud:
    def test_server_info_user_and_fields(self, cloud: Api, cloud_spec: SpecSchemas) -> None:
        assert cloud_spec.errors(cloud.call("GET", "serverInfo", 200), "ServerInformation") == []
        assert cloud_spec.errors(cloud.call("GET", "myself", 200), "User") == []
        users = cloud.call("GET", "user/search", 200, params={"query": "a"})
        assert users
        assert cloud_spec.errors(users, "User", array=True) == []
        fields = cloud.call("GET", "field", 200)
        assert cloud_spec.errors(fields, "FieldDetails", array=True) == []

    def test_reference_data(self, cloud: Api, cloud_spec: SpecSchemas) -> None:
        assert cloud_spec.errors(cloud.call("GET", "project/OPS", 200), "Project") == []
        assert cloud_spec.errors(cloud.call("GET", "priority", 200), "Priority", array=True) == []
        issue_types = cloud.call("GET", "issuetype", 200)
        assert cloud_spec.errors(issue_types, "IssueTypeDetails", array=True) == []
        assert (
            cloud_spec.errors(cloud.call("GET", "status", 200), "StatusDetails", array=True) == []
        )
        resolutions = cloud.call("GET", "resolution", 200)
        assert cloud_spec.errors(resolutions, "Resolution", array=True) == []
        project = cloud.call("GET", "project/OPS", 200, params={"expand": "issueTypes"})
        assert cloud_spec.errors(project, "Project") == []

    def test_create_and_bulk_create(self, cloud: Api, cloud_spec: SpecSchemas) -> None:
        created = cloud.call("POST", "issue", 201, json={"fields": {**TASK, "summary": "One"}})
        bulk = cloud.call(
            "POST",
            "issue/bulk",
            201,
            json={"issueUpdates": [{"fields": {**TASK, "summary": "Two"}}, {"fields": TASK}]},
        )
        all_failed = cloud.call(
            "POST", "issue/bulk", 400, json={"issueUpdates": [{"fields": TASK}]}
        )

        assert cloud_spec.errors(created, "CreatedIssue") == []
        assert cloud_spec.errors(bulk, "CreatedIssues") == []
        assert bulk["errors"][0]["failedElementNumber"] == 1
        assert cloud_spec.errors(all_failed, "CreatedIssues") == []

    def test_issue_with_expansions(self, cloud: Api, cloud_spec: SpecSchemas) -> None:
        key = populate(cloud)

        issue = cloud.call(
            "GET",
            f"issue/{key}",
            200,
            params={"expand": "names,changelog,transitions", "properties": "capa-tracker"},
        )

        assert cloud_spec.errors(issue, "IssueBean") == []
        assert check_issue_fields(cloud_spec, issue) == []
        assert cloud_spec.errors(issue["changelog"], "PageOfChangelogs") == []
        assert issue["fields"]["resolution"]["name"] == "Done"

    def test_transitions_comments_properties(self, cloud: Api, cloud_spec: SpecSchemas) -> None:
        key = populate(cloud)

        transitions = cloud.call("GET", f"issue/{key}/transitions", 200)
        comment = cloud.call("POST", f"issue/{key}/comment", 201, json={"body": "more"})
        comments = cloud.call("GET", f"issue/{key}/comment", 200)
        prop = cloud.call("GET", f"issue/{key}/properties/capa-tracker", 200)
        keys = cloud.call("GET", f"issue/{key}/properties", 200)

        assert cloud_spec.errors(transitions, "Transitions") == []
        assert transitions["transitions"]
        assert cloud_spec.errors(comment, "Comment") == []
        assert cloud_spec.errors(comments, "PageOfComments") == []
        assert cloud_spec.errors(prop, "EntityProperty") == []
        assert cloud_spec.errors(keys, "PropertyKeys") == []

    def test_search_jql_pages(self, cloud: Api, cloud_spec: SpecSchemas) -> None:
        populate(cloud)
        populate(cloud)
        params = {
            "jql": "project = OPS",
            "maxResults": 1,
            "fields": "*all",
            "properties": "capa-tracker",
        }

        first = cloud.call("GET", "search/jql", 200, params=params)
        last = cloud.call(
            "POST",
            "search/jql",
            200,
            json={**params, "nextPageToken": first["nextPageToken"], "fields": ["*all"]},
        )

        for page in (first, last):
            assert cloud_spec.errors(page, "SearchAndReconcileResults") == []
            assert check_issue_fields(cloud_spec, page["issues"][0]) == []
        assert "nextPageToken" not in last
        assert last["isLast"] is True

    @pytest.mark.parametrize(
        ("method", "path", "status", "body"),
        [
            ("POST", "issue", 400, {"fields": TASK}),
            ("GET", "issue/OPS-99", 404, None),
            ("GET", "search/jql", 400, None),
            ("GET", "search", 410, None),
        ],
    )
    def test_errors_are_error_collections(
        self,
        cloud: Api,
        cloud_spec: SpecSchemas,
        method: str,
        path: str,
        status: int,
        body: Any,
    ) -> None:
        params = {"jql": "issue.property[x].y = 1"} if path.startswith("search") else None

        answer = cloud.call(method, path, status, json=body, params=params)

        assert cloud_spec.errors(answer, "ErrorCollection") == []

    def test_401_is_an_error_collection(self, cloud: Api, cloud_spec: SpecSchemas) -> None:
        answer = requests.get(f"{cloud.site.url}/rest/api/2/myself", timeout=5)

        assert answer.status_code == 401
        assert cloud_spec.errors(answer.json(), "ErrorCollection") == []


class TestDataCenter:
    def test_legacy_search(self, dc: Api, dc_spec: SpecSchemas) -> None:
        populate(dc)

        page = dc.call(
            "GET",
            "search",
            200,
            params={"jql": "project = OPS", "fields": "*all", "expand": "names"},
        )

        assert dc_spec.errors(page, "SearchResultsBean") == []
        assert page["total"] == 1
        assert dc_spec.errors(page["issues"][0]["fields"]["status"], "StatusJsonBean") == []

    def test_writes_and_reads(self, dc: Api, dc_spec: SpecSchemas) -> None:
        created = dc.call("POST", "issue", 201, json={"fields": {**TASK, "summary": "One"}})
        bulk = dc.call(
            "POST",
            "issue/bulk",
            201,
            json={"issueUpdates": [{"fields": TASK}, {"fields": {**TASK, "summary": "x"}}]},
        )
        key = populate(dc)

        assert dc_spec.errors(created, "IssueCreateResponse") == []
        assert dc_spec.errors(bulk, "IssuesCreateResponse") == []
        assert dc_spec.errors(dc.call("GET", f"issue/{key}", 200), "IssueBean") == []
        assert (
            dc_spec.errors(dc.call("GET", f"issue/{key}/transitions", 200), "TransitionsMetaBean")
            == []
        )
        comments = dc.call("GET", f"issue/{key}/comment", 200)
        assert dc_spec.errors(comments, "CommentsWithPaginationJsonBean") == []
        prop = dc.call("GET", f"issue/{key}/properties/capa-tracker", 200)
        assert dc_spec.errors(prop, "EntityPropertyBean") == []
        assert dc_spec.errors(dc.call("GET", "myself", 200), "UserBean") == []
        # The DC spec declares /field as a single FieldBean; Jira answers an array of them.
        assert dc_spec.errors(dc.call("GET", "field", 200), "FieldBean", array=True) == []
        assert (
            dc_spec.errors(dc.call("POST", "issue", 400, json={"fields": TASK}), "ErrorCollection")
            == []
        )


def test_the_fake_speaks_no_schema_it_does_not_know(
    cloud_spec: SpecSchemas, dc_spec: SpecSchemas
) -> None:
    """Guard the schema names used above against a changed spec file."""
    used_cloud = set(CLOUD_FIELD_SCHEMAS.values()) | {
        "ServerInformation",
        "User",
        "FieldDetails",
        "CreatedIssue",
        "CreatedIssues",
        "IssueBean",
        "Transitions",
        "Comment",
        "PageOfComments",
        "EntityProperty",
        "PropertyKeys",
        "SearchAndReconcileResults",
        "ErrorCollection",
        "PageOfChangelogs",
    }
    used_dc = {
        "SearchResultsBean",
        "IssueCreateResponse",
        "IssuesCreateResponse",
        "IssueBean",
        "TransitionsMetaBean",
        "CommentsWithPaginationJsonBean",
        "EntityPropertyBean",
        "UserBean",
        "FieldBean",
        "ErrorCollection",
        "StatusJsonBean",
    }

    assert used_cloud <= cloud_spec.names()
    assert used_dc <= dc_spec.names()
