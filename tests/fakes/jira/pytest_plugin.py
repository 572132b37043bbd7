"""pytest fixtures for the fake Jira. Register with ``pytest_plugins = ["tests.fakes.jira.pytest_plugin"]``.

``fake_jira`` is a running Cloud site; ``fake_jira_dc`` a Data Center one. Either can be
parametrised indirectly with a dict of ``FakeJiraConfig`` overrides::

    @pytest.mark.parametrize("fake_jira", [{"search_lag": 2.0}], indirect=True)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from . import FakeJira


def _site(request: pytest.FixtureRequest, deployment: str) -> Iterator[FakeJira]:
    overrides: dict[str, Any] = dict(getattr(request, "param", None) or {})
    overrides.setdefault("deployment", deployment)
    with FakeJira(**overrides) as site:
        yield site


@pytest.fixture
def fake_jira(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    yield from _site(request, "cloud")


@pytest.fixture
def fake_jira_dc(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    yield from _site(request, "datacenter")
