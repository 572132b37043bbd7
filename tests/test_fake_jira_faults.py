"""Fault injection of the fake Jira, observed through the real ``jira`` library."""

from __future__ import annotations

import time
from collections.abc import Iterator

import jira
import pytest
import requests
from jira.exceptions import JIRAError

from tests.fakes.jira import FakeJira, Fault, FaultKind, FaultPlan

TASK = {"project": {"key": "OPS"}, "issuetype": {"name": "Task"}, "summary": "Faulty"}


@pytest.fixture
def site() -> Iterator[FakeJira]:
    with FakeJira() as running:
        yield running


def connect(site: FakeJira, **kwargs: object) -> jira.JIRA:
    options: dict[str, object] = {"timeout": 5, **kwargs}
    return jira.JIRA(**site.client_kwargs(), **options)


def test_429_carries_retry_after_and_the_library_waits_it_out(site: FakeJira) -> None:
    client = connect(site)
    issue = client.create_issue(fields=TASK, prefetch=False)
    site.faults.queue(Fault.rate_limited(retry_after=1, method="GET", path=r"/issue/"))
    site.reset_requests()

    started = time.monotonic()
    fetched = client.issue(issue.key)
    waited = time.monotonic() - started

    assert fetched.key == issue.key
    assert [r.status for r in site.requests] == [429, 200]
    assert site.requests[0].fault == "status"
    assert waited >= 1.0  # the library sleeps 2 * Retry-After * uniform(0.5, 1)


def test_429_answer_has_header_and_error_body(site: FakeJira) -> None:
    site.faults.queue(Fault.rate_limited(retry_after=7))

    answer = requests.get(f"{site.url}/rest/api/2/myself", auth=site.basic_auth, timeout=5)

    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "7"
    assert answer.json()["errorMessages"]


def test_500_is_not_retried_by_the_library(site: FakeJira) -> None:
    client = connect(site)
    site.faults.queue(Fault.server_error(500))

    with pytest.raises(JIRAError) as caught:
        client.myself()

    assert caught.value.status_code == 500
    assert len([r for r in site.requests if r.path.endswith("myself")]) == 1


@pytest.mark.parametrize("status", [502, 503])
def test_gateway_errors(site: FakeJira, status: int) -> None:
    client = connect(site)
    site.faults.queue(Fault.server_error(status))

    with pytest.raises(JIRAError) as caught:
        client.myself()  # 503 without Retry-After is not "recoverable" for the library

    assert caught.value.status_code == status


def test_dropped_connection_writes_nothing(site: FakeJira) -> None:
    client = connect(site, max_retries=0)
    site.faults.queue(Fault.drop(method="POST"))

    with pytest.raises(requests.ConnectionError):
        client.create_issue(fields=TASK)

    assert site.issues() == []
    assert site.requests[-1].status is None
    assert site.requests[-1].fault == "drop"


def test_apply_then_drop_creates_although_the_client_saw_an_error(site: FakeJira) -> None:
    """The duplicate trap: with its default retries the library would POST again."""
    client = connect(site, max_retries=0)
    site.faults.queue(Fault.apply_then_drop(method="POST", path=r"/issue$"))

    with pytest.raises(requests.ConnectionError):
        client.create_issue(fields=TASK)

    assert [i.key for i in site.issues()] == ["OPS-1"]


def test_apply_then_drop_on_bulk(site: FakeJira) -> None:
    client = connect(site, max_retries=0)
    site.faults.queue(Fault.apply_then_drop(path=r"/issue/bulk$"))

    with pytest.raises(requests.ConnectionError):
        client.create_issues([TASK, TASK], prefetch=False)

    assert len(site.issues()) == 2


def test_slow_answer_times_out_and_is_still_applied(site: FakeJira) -> None:
    client = connect(site, timeout=0.2)
    site.faults.queue(Fault.slow(0.6, method="POST"))

    with pytest.raises(requests.ReadTimeout):
        client.create_issue(fields=TASK)

    deadline = time.monotonic() + 3
    while not site.issues() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(site.issues()) == 1


def test_latency_applies_to_every_request(site: FakeJira) -> None:
    client = connect(site)
    site.faults.set_latency(0.02)
    site.reset_requests()

    started = time.monotonic()
    for _ in range(5):
        client.myself()
    elapsed = time.monotonic() - started

    assert elapsed >= 5 * 0.02
    assert all(r.duration >= 0.02 for r in site.requests)


def test_queued_fault_waits_for_a_matching_request(site: FakeJira) -> None:
    client = connect(site)
    site.faults.queue(Fault.server_error(502, method="POST", path=r"/comment$"))
    issue = client.create_issue(fields=TASK, prefetch=False)  # POST /issue: not matched

    with pytest.raises(JIRAError):
        client.add_comment(issue.key, "hello")

    assert site.faults.pending == 0


def test_pass_placeholders_pick_which_request_fails(site: FakeJira) -> None:
    client = connect(site)
    site.faults.queue(Fault.none(), Fault.server_error(500))

    client.myself()
    with pytest.raises(JIRAError):
        client.myself()
    client.myself()


def test_random_faults_are_deterministic_with_a_seed() -> None:
    def run(seed: int) -> list[FaultKind | None]:
        plan = FaultPlan()
        plan.randomly(0.3, [Fault.server_error(503), Fault.drop()], seed=seed)
        return [
            fault.kind if (fault := plan.next_fault("GET", "/rest/api/2/myself")) else None
            for _ in range(200)
        ]

    first, again, other = run(7), run(7), run(8)

    assert first == again
    assert first != other
    assert 30 <= sum(kind is not None for kind in first) <= 90


def test_random_faults_respect_the_filter(site: FakeJira) -> None:
    client = connect(site)
    site.faults.randomly(1.0, [Fault.server_error(500)], seed=1, method="POST")

    assert client.myself()["displayName"] == "CAPA Bot"
    with pytest.raises(JIRAError):
        client.create_issue(fields=TASK)
    site.faults.clear()
    assert client.create_issue(fields=TASK, prefetch=False).key == "OPS-1"
