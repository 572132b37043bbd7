"""Fixtures the sync tests share (registered in tests/conftest.py): a fake Jira site of each
deployment and a tracker context pointed at it. A module that needs another site or context
defines its own fixture of the same name, which wins."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.jira import FakeJira
from tests.support.sync_helpers import make_ctx
from tracker.context import AppContext


@pytest.fixture(params=["cloud", "datacenter"])
def site(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    with FakeJira(deployment=request.param) as fake:
        yield fake


@pytest.fixture
def ctx(tmp_path: Path, site: FakeJira, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    context = make_ctx(tmp_path, site, monkeypatch)
    yield context
    context.close()
