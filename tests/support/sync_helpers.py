"""Shared helpers for the sync tests (no tests here): settings, database, actions, runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sync.engine import SyncSummary
from sync.service import sync_once
from tests.conftest import current_db_url
from tests.fakes.jira import FakeJira
from tracker import actions as domain
from tracker.config import JiraSettings, PersonSettings, Settings
from tracker.context import AppContext
from tracker.db import session_scope
from tracker.models import Incident, utcnow

TOKEN_ENV = "CAPA_TEST_JIRA_TOKEN"


def jira_settings(site: FakeJira, **overrides: Any) -> JiraSettings:
    cloud = site.deployment == "cloud"
    values: dict[str, Any] = {
        "url": site.url,
        "deployment": site.deployment,
        "email": site.basic_auth[0] if cloud else "",
        "token_env": TOKEN_ENV,
        "project": "OPS",
        "max_retries": 4,
        "timeout_seconds": 5.0,
    }
    values.update(overrides)
    return JiraSettings(**values)


def make_ctx(
    tmp_path: Path,
    site: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
    *,
    people: dict[str, PersonSettings] | None = None,
    **jira: Any,
) -> AppContext:
    token = site.basic_auth[1] if site.deployment == "cloud" else site.token
    monkeypatch.setenv(TOKEN_ENV, token)
    settings = Settings(jira=jira_settings(site, **jira), people=people or {})
    return AppContext.build(settings, db_url=current_db_url(tmp_path))


def add_incident(ctx: AppContext, title: str = "Checkout outage", root_cause: str = "") -> int:
    now = utcnow()
    with session_scope(ctx.engine()) as s:
        incident = Incident(
            title=title, root_cause=root_cause or None, created_at=now, updated_at=now
        )
        s.add(incident)
        s.flush()
        assert incident.id is not None
        return incident.id


def add_action(ctx: AppContext, title: str, **fields: Any) -> int:
    with session_scope(ctx.engine()) as s:
        return domain.create_action(s, title=title, actor="tester", **fields).id


def add_actions(ctx: AppContext, count: int, **fields: Any) -> list[int]:
    incident = add_incident(ctx)
    with session_scope(ctx.engine()) as s:
        return [
            domain.create_action(
                s,
                title=f"Measure {n}",
                actor="tester",
                incident_id=incident,
                description=f"Do the thing number {n}.",
                due_date=date(2027, 1, 1 + n % 28),
                **fields,
            ).id
            for n in range(count)
        ]


def action(ctx: AppContext, action_id: int) -> domain.ActionView:
    with session_scope(ctx.engine(), write=False) as s:
        return domain.get_action(s, action_id)


def history(ctx: AppContext, action_id: int) -> list[domain.EventView]:
    with session_scope(ctx.engine(), write=False) as s:
        return domain.history(s, action_id)


def run(ctx: AppContext, **options: Any) -> SyncSummary:
    options.setdefault("settle_seconds", 0.0)
    return sync_once(ctx, **options)


def issues_by_action(site: FakeJira) -> dict[int, list[str]]:
    """Action id -> keys of the issues carrying its marker label (more than one = duplicate)."""
    out: dict[int, list[str]] = {}
    for issue in site.issues():
        for label in issue.labels:
            if label.startswith("capa-") and label[5:].isdigit():
                out.setdefault(int(label[5:]), []).append(issue.key)
    return out
