"""The fake Jira, driven by the real ``jira`` library over real HTTP, Cloud and Data Center."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import jira
import pytest
import requests
from jira.exceptions import JIRAError

from tests.fakes.jira import FakeJira

pytest_plugins = ["tests.fakes.jira.pytest_plugin"]

TASK = {"project": {"key": "OPS"}, "issuetype": {"name": "Task"}}


def task(summary: str, **fields: Any) -> dict[str, Any]:
    return {**TASK, "summary": summary, **fields}


def connect(site: FakeJira, **kwargs: Any) -> jira.JIRA:
    return jira.JIRA(**site.client_kwargs(), timeout=5, **kwargs)


@pytest.fixture(params=["cloud", "datacenter"])
def site(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    with FakeJira(deployment=request.param) as running:
        yield running


@pytest.fixture
def client(site: FakeJira) -> jira.JIRA:
    return connect(site)


class TestStartUp:
    def test_cloud_client_starts_with_server_info_only(self, fake_jira: FakeJira) -> None:
        client = connect(fake_jira)

        assert client.deploymentType == "Cloud"
        assert [(r.method, r.path) for r in fake_jira.requests] == [
            ("GET", "/rest/api/2/serverInfo")
        ]
        assert client.myself()["accountId"] == fake_jira.user("capa-bot").account_id

    def test_datacenter_client_uses_bearer_token(self, fake_jira_dc: FakeJira) -> None:
        client = connect(fake_jira_dc)

        assert client.deploymentType == "Server"
        me = client.myself()
        assert me["name"] == "capa-bot"
        assert "accountId" not in me

    def test_field_list_names_custom_fields(self, client: jira.JIRA) -> None:
        by_name = {f["name"]: f for f in client.fields()}

        assert by_name["Root cause"]["id"] == "customfield_10050"
        assert by_name["Root cause"]["custom"] is True
        assert "cf[10050]" in by_name["Root cause"]["clauseNames"]

    def test_user_search_by_deployment(self, site: FakeJira, client: jira.JIRA) -> None:
        if site.deployment == "cloud":
            found = client.search_users(query="alice@example.com")
            assert [u.accountId for u in found] == [site.user("alice").account_id]
        else:
            found = client.search_users(user="alice")
            assert [(u.name, u.key) for u in found] == [("alice", "JIRAUSER10101")]

    def test_cloud_rejects_username_search(self, fake_jira: FakeJira) -> None:
        with pytest.raises(JIRAError) as caught:
            connect(fake_jira).search_users(user="alice")

        assert caught.value.status_code == 400
        assert "GDPR" in caught.value.text


class TestAuthentication:
    def test_wrong_cloud_token_is_401(self, fake_jira: FakeJira) -> None:
        with pytest.raises(JIRAError) as caught:
            jira.JIRA(server=fake_jira.url, basic_auth=("bot@example.com", "wrong"), timeout=5)

        assert caught.value.status_code == 401

    def test_wrong_pat_is_401(self, fake_jira_dc: FakeJira) -> None:
        with pytest.raises(JIRAError) as caught:
            jira.JIRA(server=fake_jira_dc.url, token_auth="nope", timeout=5)

        assert caught.value.status_code == 401

    def test_anonymous_reads_server_info_but_nothing_else(self, fake_jira: FakeJira) -> None:
        client = jira.JIRA(server=fake_jira.url, timeout=5)  # no credentials at all

        with pytest.raises(JIRAError) as caught:
            client.myself()

        assert caught.value.status_code == 401


class TestIssues:
    def test_create_fills_jira_fields(self, site: FakeJira, client: jira.JIRA) -> None:
        issue = client.create_issue(
            fields=task(
                "Add disk alerts",
                description="From incident *INC-7*",
                labels=["capa-tracker", "detective"],
                duedate="2026-12-24",
                priority={"name": "High"},
                customfield_10050="Disk filled up",
            )
        )

        assert issue.key == "OPS-1"
        assert issue.fields.status.name == "To Do"
        assert issue.fields.status.statusCategory.key == "new"
        assert issue.fields.priority.name == "High"
        assert issue.fields.labels == ["capa-tracker", "detective"]
        assert issue.fields.duedate == "2026-12-24"
        assert issue.fields.customfield_10050 == "Disk filled up"
        assert issue.fields.resolution is None
        assert issue.fields.created.endswith("+0000")
        assert len(issue.fields.created) == len("2026-11-27T09:15:02.123+0000")

    def test_assignee_is_set_by_account_id_or_name(self, site: FakeJira, client: jira.JIRA) -> None:
        alice = site.user("alice")
        ref = {"accountId": alice.account_id} if site.deployment == "cloud" else {"name": "alice"}

        issue = client.create_issue(fields=task("Owned", assignee=ref))

        assert issue.fields.assignee.displayName == "Alice Example"

    def test_missing_summary_is_a_field_error(self, client: jira.JIRA) -> None:
        with pytest.raises(JIRAError) as caught:
            client.create_issue(fields=TASK)

        assert caught.value.status_code == 400
        assert caught.value.text == "You must specify a summary of the issue."
        assert caught.value.response.json() == {
            "errorMessages": [],
            "errors": {"summary": "You must specify a summary of the issue."},
        }

    @pytest.mark.parametrize(
        ("field", "value"),
        [("priority", {"name": "Blocker"}), ("duedate", "2026-13-40"), ("duedate", "24.12.2026")],
    )
    def test_bad_values_are_field_errors(self, client: jira.JIRA, field: str, value: Any) -> None:
        with pytest.raises(JIRAError) as caught:
            client.create_issue(fields=task("Bad", **{field: value}))

        assert caught.value.status_code == 400
        assert list(caught.value.response.json()["errors"]) == [field]

    def test_unknown_issue_is_404(self, client: jira.JIRA) -> None:
        with pytest.raises(JIRAError) as caught:
            client.issue("OPS-404")

        assert caught.value.status_code == 404

    def test_edit_changes_only_given_fields_and_bumps_updated(
        self, site: FakeJira, client: jira.JIRA
    ) -> None:
        issue = client.create_issue(fields=task("Old", labels=["capa-tracker"]))
        site.advance_clock(timedelta(minutes=3))

        issue.update(fields={"summary": "New", "duedate": "2027-01-15"})

        assert issue.fields.summary == "New"
        assert issue.fields.duedate == "2027-01-15"
        assert issue.fields.labels == ["capa-tracker"]
        assert issue.fields.updated > issue.fields.created

    def test_edit_with_label_operations(self, client: jira.JIRA) -> None:
        issue = client.create_issue(fields=task("Labels", labels=["a", "b"]))

        issue.update(update={"labels": [{"add": "c"}, {"remove": "a"}]})

        assert issue.fields.labels == ["b", "c"]

    def test_status_cannot_be_edited(self, client: jira.JIRA) -> None:
        issue = client.create_issue(fields=task("Stuck"))

        with pytest.raises(JIRAError) as caught:
            issue.update(fields={"status": {"name": "Done"}})

        assert caught.value.status_code == 400
        assert "cannot be set" in caught.value.text

    def test_get_with_fields_expand_and_properties(self, client: jira.JIRA) -> None:
        created = client.create_issue(fields=task("Props"))
        client.add_issue_property(created.key, "capa-tracker", {"action_id": 12})

        issue = client.issue(
            created.key,
            fields="summary,status",
            expand="names,changelog",
            properties="capa-tracker",
        )

        assert set(issue.raw["fields"]) == {"summary", "status"}
        assert issue.raw["names"] == {"summary": "Summary", "status": "Status"}
        assert issue.raw["properties"] == {"capa-tracker": {"action_id": 12}}
        assert issue.raw["changelog"]["histories"] == []


class TestWorkflow:
    def test_transitions_name_their_target_status(self, client: jira.JIRA) -> None:
        issue = client.create_issue(fields=task("Flow"))

        offered = {t["to"]["name"]: t for t in client.transitions(issue)}

        assert set(offered) == {"In Progress", "Done"}
        assert offered["Done"]["name"] == "Resolve Issue"  # not the status name
        assert offered["Done"]["to"]["statusCategory"]["key"] == "done"
        assert int(offered["Done"]["id"]) > 5  # no hard-coded 1..5 ids

    def test_transition_by_name_resolves_and_reopen_clears(self, client: jira.JIRA) -> None:
        issue = client.create_issue(fields=task("Flow"))

        client.transition_issue(issue, "Resolve Issue", comment="fixed")
        done = client.issue(issue.key)
        client.transition_issue(issue, "Reopen Issue")
        reopened = client.issue(issue.key)

        assert done.fields.status.name == "Done"
        assert done.fields.resolution.name == "Done"
        assert done.fields.resolutiondate is not None
        assert [c.body for c in client.comments(issue)] == ["fixed"]
        assert reopened.fields.resolution is None
        assert reopened.fields.resolutiondate is None

    def test_unavailable_transition_is_rejected(self, site: FakeJira, client: jira.JIRA) -> None:
        issue = client.create_issue(fields=task("Flow"))
        reopen = next(t.id for t in site.config.transitions if t.name == "Reopen Issue")

        with pytest.raises(JIRAError) as caught:
            client.transition_issue(issue, reopen)

        assert caught.value.status_code == 400
        assert "is not valid for this issue" in caught.value.text


class TestCommentsAndProperties:
    def test_comments_round_trip(self, client: jira.JIRA) -> None:
        issue = client.create_issue(fields=task("Talk"))

        added = client.add_comment(issue, "first")
        client.add_comment(issue, "second")

        assert added.body == "first"
        assert [c.body for c in client.comments(issue)] == ["first", "second"]

    def test_properties_put_get_and_list(self, client: jira.JIRA) -> None:
        issue = client.create_issue(fields=task("Props"))

        first = client.add_issue_property(issue.key, "capa-tracker", {"action_id": 1})
        second = client.add_issue_property(issue.key, "capa-tracker", {"action_id": 2})

        assert (first.status_code, second.status_code) == (201, 200)
        assert client.issue_property(issue.key, "capa-tracker").raw == {
            "key": "capa-tracker",
            "value": {"action_id": 2},
        }
        assert [p.key for p in client.issue_properties(issue.key)] == ["capa-tracker"]

    def test_property_does_not_bump_updated(self, site: FakeJira, client: jira.JIRA) -> None:
        issue = client.create_issue(fields=task("Quiet"))
        site.advance_clock(timedelta(minutes=5))

        client.add_issue_property(issue.key, "capa-tracker", {"action_id": 1})

        assert client.issue(issue.key).fields.updated == issue.fields.updated

    def test_properties_can_be_set_at_create_time(self, site: FakeJira) -> None:
        """IssueUpdateDetails.properties: the marker arrives atomically with the issue."""
        body = {
            "fields": task("Atomic"),
            "properties": [{"key": "capa-tracker", "value": {"id": 5}}],
        }

        answer = requests.post(
            f"{site.url}/rest/api/2/issue",
            json=body,
            auth=site.basic_auth if site.deployment == "cloud" else None,
            headers={} if site.deployment == "cloud" else {"Authorization": f"Bearer {site.token}"},
            timeout=5,
        )

        assert answer.status_code == 201
        assert site.issue(answer.json()["key"]).properties == {"capa-tracker": {"id": 5}}


class TestBulkCreate:
    def test_fifty_in_one_request(self, site: FakeJira, client: jira.JIRA) -> None:
        site.reset_requests()

        created = client.create_issues([task(f"Bulk {n}") for n in range(50)], prefetch=False)

        assert [c["status"] for c in created] == ["Success"] * 50
        assert [(r.method, r.path) for r in site.requests] == [("POST", "/rest/api/2/issue/bulk")]
        assert len({c["issue"].key for c in created}) == 50

    def test_library_does_not_split_fifty_one(self, site: FakeJira, client: jira.JIRA) -> None:
        """``create_issues`` sends everything in one request; Jira's limit is 50.

        The 400 carries an ErrorCollection, which the library's bulk path does not expect: it
        surfaces as ``KeyError('issues')``, not a JIRAError. Callers must chunk by 50 themselves.
        """
        with pytest.raises(KeyError, match="issues"):
            client.create_issues([task(f"Bulk {n}") for n in range(51)], prefetch=False)

        assert site.requests[-1].status == 400
        assert "exceeds 50" in site.requests[-1].path or site.issues() == []

    def test_partial_failure_reports_failed_element(self, client: jira.JIRA) -> None:
        created = client.create_issues(
            [task("ok 0"), {**TASK, "summary": ""}, task("ok 2")], prefetch=False
        )

        assert [c["status"] for c in created] == ["Success", "Error", "Success"]
        assert created[1]["error"] == {"summary": "You must specify a summary of the issue."}

    def test_all_failing_is_400_with_created_issues_shape(self, site: FakeJira) -> None:
        client = connect(site)

        created = client.create_issues([{**TASK, "summary": ""}], prefetch=False)

        assert created[0]["status"] == "Error"
        assert site.requests[-1].status == 400

    def test_string_project_costs_a_lookup_per_issue(
        self, site: FakeJira, client: jira.JIRA
    ) -> None:
        """What the library does with ``project="OPS"``: one GET per issue. Pass dicts."""
        site.reset_requests()

        client.create_issues(
            [
                {"project": "OPS", "issuetype": {"name": "Task"}, "summary": f"s{n}"}
                for n in range(3)
            ],
            prefetch=False,
        )

        assert [r.path for r in site.requests].count("/rest/api/2/project/OPS") == 3


class TestPersonInJira:
    def test_person_changes_show_up_and_bump_updated(
        self, site: FakeJira, client: jira.JIRA
    ) -> None:
        issue = client.create_issue(fields=task("Person"))
        site.advance_clock(timedelta(minutes=2))

        site.transition(issue.key, "In Progress")
        site.assign(issue.key, "bob")
        site.set_due_date(issue.key, "2027-02-01")
        site.edit(issue.key, summary="Renamed", labels=["capa-tracker", "urgent"])
        seen = client.issue(issue.key, expand="changelog")

        assert seen.fields.status.name == "In Progress"
        assert seen.fields.assignee.displayName == "Bob Builder"
        assert seen.fields.duedate == "2027-02-01"
        assert seen.fields.summary == "Renamed"
        assert seen.fields.updated > issue.fields.updated
        changed = [i["field"] for h in seen.raw["changelog"]["histories"] for i in h["items"]]
        assert changed == ["status", "assignee", "duedate", "summary", "labels"]

    def test_person_can_close_directly(self, site: FakeJira, client: jira.JIRA) -> None:
        issue = client.create_issue(fields=task("Close me"))

        site.transition(issue.key, "Done")

        assert client.issue(issue.key).fields.resolution.name == "Done"


class TestSearch:
    def test_cloud_pages_with_next_page_token(self, fake_jira: FakeJira) -> None:
        client = connect(fake_jira)
        client.create_issues(
            [task(f"t{n}", labels=["capa-tracker"]) for n in range(45)], prefetch=False
        )
        client.create_issues([task(f"u{n}") for n in range(10)], prefetch=False)
        fake_jira.reset_requests()

        found = client.enhanced_search_issues(
            "project = OPS AND labels = capa-tracker ORDER BY key ASC",
            maxResults=0,
            fields="summary",
        )
        first = client.enhanced_search_issues(
            "labels = capa-tracker ORDER BY key ASC", maxResults=20, json_result=True
        )

        assert [i.key for i in found] == [f"OPS-{n}" for n in range(1, 46)]
        assert "total" not in first
        assert first["isLast"] is False
        assert first["nextPageToken"]
        searches = [r for r in fake_jira.requests if r.path.endswith("search/jql")]
        assert len(searches) == 2  # 45 issues fit one page of 100, then the 20-page probe

    def test_cloud_search_of_105_takes_two_pages(self, fake_jira: FakeJira) -> None:
        client = connect(fake_jira)
        for start in (0, 50, 100):
            client.create_issues(
                [task(f"i{n}") for n in range(start, min(start + 50, 105))], prefetch=False
            )
        fake_jira.reset_requests()

        found = client.search_issues("project = OPS", maxResults=False, fields="summary")

        assert len(found) == 105
        pages = [r for r in fake_jira.requests if r.path.endswith("search/jql")]
        assert len(pages) == 2
        assert "nextPageToken" in pages[1].query

    def test_cloud_post_search_pages_too(self, fake_jira: FakeJira) -> None:
        client = connect(fake_jira)
        for start in (0, 50, 100):
            client.create_issues(
                [task(f"i{n}") for n in range(start, min(start + 50, 105))], prefetch=False
            )

        found = client.enhanced_search_issues("project = OPS", maxResults=0, use_post=True)

        assert len(found) == 105

    def test_cloud_legacy_search_is_gone(self, fake_jira: FakeJira) -> None:
        answer = requests.get(
            f"{fake_jira.url}/rest/api/2/search",
            params={"jql": "project = OPS"},
            auth=fake_jira.basic_auth,
            timeout=5,
        )

        assert answer.status_code == 410
        assert "search/jql" in answer.json()["errorMessages"][0]

    def test_datacenter_pages_with_start_at_and_total(self, fake_jira_dc: FakeJira) -> None:
        client = connect(fake_jira_dc)
        for start in (0, 50, 100):
            client.create_issues(
                [task(f"i{n}") for n in range(start, min(start + 50, 105))], prefetch=False
            )
        fake_jira_dc.reset_requests()

        found = client.search_issues("project = OPS ORDER BY key DESC", maxResults=False)

        assert len(found) == 105
        assert found.total == 105
        assert found[0].key == "OPS-105"
        starts = [r.query["startAt"] for r in fake_jira_dc.requests if r.path.endswith("/search")]
        assert starts == [["0"], ["100"]]

    def test_datacenter_has_no_search_jql(self, fake_jira_dc: FakeJira) -> None:
        answer = requests.get(
            f"{fake_jira_dc.url}/rest/api/2/search/jql",
            params={"jql": "project = OPS"},
            headers={"Authorization": f"Bearer {fake_jira_dc.token}"},
            timeout=5,
        )

        assert answer.status_code == 404

    def test_properties_parameter_returns_entity_properties(
        self, site: FakeJira, client: jira.JIRA
    ) -> None:
        created = client.create_issues([task("a"), task("b")], prefetch=False)
        client.add_issue_property(created[0]["issue"].key, "capa-tracker", {"action_id": 41})

        found = client.search_issues(
            "project = OPS ORDER BY key ASC", fields="summary", properties="capa-tracker"
        )

        assert [i.raw.get("properties") for i in found] == [{"capa-tracker": {"action_id": 41}}, {}]

    def test_issue_property_clauses_are_rejected(self, client: jira.JIRA) -> None:
        with pytest.raises(JIRAError) as caught:
            client.search_issues("issue.property[capa-tracker].action_id = 41")

        assert caught.value.status_code == 400
        assert caught.value.text == (
            "Field 'issue.property[capa-tracker].action_id' does not exist or you do not "
            "have permission to view it."
        )

    def test_updated_since_has_minute_precision(self, site: FakeJira, client: jira.JIRA) -> None:
        issue = client.create_issue(fields=task("Clock"))
        updated = issue.fields.updated  # e.g. 2026-11-27T09:15:02.123+0000
        minute = f"{updated[:10]} {updated[11:16]}"

        same_minute = client.search_issues(f'updated >= "{minute}"', fields="summary")
        later = client.search_issues(f'updated > "{minute}"', fields="summary")

        assert [i.key for i in same_minute] == [issue.key]
        assert [i.key for i in later] == ([issue.key] if updated[17:23] != "00.000" else [])
        with pytest.raises(JIRAError) as caught:
            client.search_issues(f'updated >= "{minute}:30"')
        assert "Valid formats include" in caught.value.text

    def test_key_in_needs_existing_keys(self, client: jira.JIRA) -> None:
        client.create_issues([task("a"), task("b"), task("c")], prefetch=False)

        found = client.search_issues("key in (OPS-1, 'OPS-3') ORDER BY key ASC", fields="summary")
        with pytest.raises(JIRAError) as caught:
            client.search_issues("key in (OPS-1, OPS-99)")

        assert [i.key for i in found] == ["OPS-1", "OPS-3"]
        assert caught.value.text == "An issue with key 'OPS-99' does not exist for field 'key'."


class TestEventualConsistency:
    def test_cloud_search_lags_behind_writes_unless_reconciled(self) -> None:
        with FakeJira(search_lag=0.3) as site:
            client = connect(site)
            issue = client.create_issue(fields=task("Fresh"), prefetch=False)

            at_once = client.enhanced_search_issues("project = OPS", json_result=True)
            reconciled = client.enhanced_search_issues(
                "project = OPS", reconcileIssues=[int(issue.id)], json_result=True
            )
            time.sleep(0.35)
            later = client.enhanced_search_issues("project = OPS", json_result=True)

        assert at_once["issues"] == []
        assert [i["id"] for i in reconciled["issues"]] == [issue.id]
        assert [i["id"] for i in later["issues"]] == [issue.id]
