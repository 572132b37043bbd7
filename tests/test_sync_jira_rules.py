"""Jira as it really behaves (issue 12): limits, resolutions, workflow statuses, unknown
people, wrong settings, custom fields by schema, existing tickets.

Every case runs the real `jira` library over HTTP against the fake Jira (Cloud and Data
Center) on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import Cli
from tests.fakes.jira import CustomField, FakeJira, User
from tests.fakes.jira.model import blocked_workflow
from tests.support.sync_helpers import (
    TOKEN_ENV,
    action,
    add_action,
    add_incident,
    history,
    make_ctx,
    run,
)
from tracker import actions as domain
from tracker.context import AppContext
from tracker.db import session_scope
from tracker.models import Action, Event, Meta, SyncLink, table_of

pytestmark = pytest.mark.usefixtures("both_backends")


def move(ctx: AppContext, action_id: int, to: str, reason: str | None = None) -> None:
    with session_scope(ctx.engine()) as s:
        domain.transition(s, action_id, to, actor="alice", source="cli", reason=reason)


def edit(ctx: AppContext, action_id: int, **changes: Any) -> None:
    with session_scope(ctx.engine()) as s:
        domain.update_action(s, action_id, changes, actor="alice", source="cli")


def key_of(ctx: AppContext, action_id: int) -> str:
    key = action(ctx, action_id).jira_key
    assert key is not None
    return key


def close_in_jira(site: FakeJira, key: str, resolution: str) -> None:
    """A person resolves the issue in Jira with this resolution (through the REST API)."""
    issue = site.issue(key)
    done = next(t for t in site.store.transitions_for(issue) if t.to == "Done")
    site.store.transition(
        key,
        {"transition": {"id": done.id}, "fields": {"resolution": {"name": resolution}}},
        site.user("bob"),
    )
    site.advance_clock(timedelta(minutes=1))


def db_rows(ctx: AppContext) -> dict[str, list[Any]]:
    with ctx.engine().connect() as conn:
        return {
            m.__name__: [tuple(r) for r in conn.execute(select(table_of(m)))]
            for m in (Action, Event, Meta, SyncLink)
        }


def config_file(tmp_path: Path, site: FakeJira, extra: str = "", project: str = "OPS") -> Path:
    path = tmp_path / f"capa-{project}.toml"
    cloud = site.deployment == "cloud"
    path.write_text(
        "[jira]\n"
        f'url = "{site.url}"\n'
        f'deployment = "{site.deployment}"\n'
        f'email = "{site.basic_auth[0] if cloud else ""}"\n'
        f'token_env = "{TOKEN_ENV}"\n'
        f'project = "{project}"\n'
        "max_retries = 1\n"
        "timeout_seconds = 3\n" + extra,
        encoding="utf-8",
    )
    return path


# ------------------------------------------------------------------ 1. limits


def test_long_titles_and_descriptions_fit_jiras_limits(ctx: AppContext, site: FakeJira) -> None:
    title = "Rotate the signing keys of every payment service " * 7  # 343 characters
    description = "Step: rotate the key, then verify the signature. " * 800  # 40,000
    first = add_action(ctx, title, description=description)

    summary = run(ctx)

    assert summary.ok, summary.failures
    issue = site.issue(key_of(ctx, first))
    assert len(issue.summary) <= 254
    assert issue.summary.endswith("…")
    assert issue.summary[:-1] == issue.summary[:-1].rstrip()  # cut at a word
    assert title.startswith(issue.summary[:-1])
    assert issue.description is not None
    assert len(issue.description) <= 32_767
    assert f"capa-tracker show {first}" in issue.description.splitlines()[-1]
    kept = action(ctx, first)  # the tracker keeps the whole text
    assert kept.title.strip() == title.strip()
    assert kept.description is not None
    assert kept.description.strip() == description.strip()


# ------------------------------------------------------------------ 2. statuses


def test_wont_do_reaches_jira_with_its_resolution_and_reason_and_never_echoes(
    ctx: AppContext, site: FakeJira
) -> None:
    first = add_action(ctx, "Add a canary stage")
    created_wont_do = add_action(ctx, "Buy a second CDN")
    move(ctx, created_wont_do, "wont_do", reason="cost")  # before its issue exists
    assert run(ctx).ok
    move(ctx, first, "wont_do", reason="superseded by the new platform")

    assert run(ctx).ok

    for action_id, reason in ((first, "superseded by the new platform"), (created_wont_do, "cost")):
        issue = site.issue(key_of(ctx, action_id))
        assert issue.status.category.key == "done"
        assert issue.resolution == "Won't Do"
        assert any(reason in c.body for c in issue.comments)
    site.advance_clock(timedelta(minutes=20))
    site.reset_requests()
    again = run(ctx)
    assert again.ok
    assert again.pulled == []
    assert site.writes() == []
    assert action(ctx, first).status == "wont_do"
    assert action(ctx, first).status_reason == "superseded by the new platform"


def test_a_closed_issue_with_a_not_done_resolution_pulls_as_wont_do(
    ctx: AppContext, site: FakeJira
) -> None:
    dup = add_action(ctx, "Page on certificate expiry")
    fixed = add_action(ctx, "Renew certificates automatically")
    assert run(ctx).ok
    close_in_jira(site, key_of(ctx, dup), "Duplicate")
    close_in_jira(site, key_of(ctx, fixed), "Done")

    assert run(ctx).ok

    wont = action(ctx, dup)
    assert wont.status == "wont_do"
    assert wont.status_reason is not None
    assert "Duplicate" in wont.status_reason
    assert action(ctx, fixed).status == "done"


def test_done_from_jira_sets_verify_by_like_a_local_done(ctx: AppContext, site: FakeJira) -> None:
    first = add_action(ctx, "Renew certificates automatically")
    assert run(ctx).ok
    close_in_jira(site, key_of(ctx, first), "Done")

    assert run(ctx).ok

    done = action(ctx, first)
    assert done.status == "done"
    days = ctx.settings.policy.verify_after_days
    assert done.verify_by == ctx.today() + timedelta(days=days)
    assert any(e.field == "verify_by" and e.source == "jira" for e in history(ctx, first))


@pytest.mark.parametrize("with_blocked", [True, False], ids=["blocked-status", "fallback"])
def test_blocked_maps_to_the_workflow_status_or_falls_back_without_echo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_blocked: bool
) -> None:
    overrides: dict[str, Any] = {}
    if with_blocked:
        statuses, transitions = blocked_workflow()
        overrides = {"statuses": statuses, "transitions": transitions}
    with FakeJira(**overrides) as site:
        ctx = make_ctx(tmp_path, site, monkeypatch)
        first = add_action(ctx, "Move DNS to the new provider")
        assert run(ctx).ok
        move(ctx, first, "blocked", reason="waiting for the vendor contract")

        assert run(ctx).ok

        issue = site.issue(key_of(ctx, first))
        expected = "Blocked" if with_blocked else "In Progress"
        assert issue.status.name == expected
        assert any("waiting for the vendor contract" in c.body for c in issue.comments)
        site.advance_clock(timedelta(minutes=20))
        site.reset_requests()
        again = run(ctx)
        assert again.pulled == []
        assert site.writes() == []
        assert action(ctx, first).status == "blocked"
        if with_blocked:  # and back: Jira's Blocked comes in as blocked
            move(ctx, first, "in_progress")
            assert run(ctx).ok
            assert site.issue(key_of(ctx, first)).status.name == "In Progress"
            site.transition(key_of(ctx, first), "Blocked")
            site.advance_clock(timedelta(minutes=1))
            assert run(ctx).ok
            assert action(ctx, first).status == "blocked"
        ctx.close()


def test_dry_run_plans_speak_in_status_names(ctx: AppContext, site: FakeJira, cli: Cli) -> None:
    first = add_action(ctx, "Add a canary stage")
    assert run(ctx).ok
    move(ctx, first, "in_progress")

    planned = run(ctx, dry_run=True)

    assert f"move {key_of(ctx, first)} (#{first}) to In Progress" in planned.plan
    assert not any("indeterminate" in line for line in planned.plan)


# ------------------------------------------------------------------ 3. people


def test_an_owner_without_a_jira_user_unassigns_warns_and_is_assigned_once_found(
    ctx: AppContext, site: FakeJira, cli: Cli
) -> None:
    first = add_action(ctx, "Rotate the keys", owner="alice@example.com")
    assert run(ctx).ok
    assert site.issue(key_of(ctx, first)).assignee is not None
    edit(ctx, first, owner="zed@example.com")

    summary = run(ctx)

    assert summary.ok, summary.failures
    assert site.issue(key_of(ctx, first)).assignee is None  # not left with alice
    assert any("zed@example.com" in w and "unassigned" in w for w in summary.warnings)
    shown = cli("show", str(first), "--json")
    assert shown.code == 0
    warning = shown.json()["sync"]["warning"]
    assert "zed@example.com" in warning
    text = cli("show", str(first))
    assert "sync warning" in text.out
    assert "zed@example.com" in text.out

    # The person gets a Jira account: the next sync assigns the issue and clears the warning.
    site.config.users.append(
        User("5b10ac8d82e05b22cc7d4e99", "zed", "JIRAUSER10199", "Zed Example", "zed@example.com")
    )
    assert run(ctx).ok
    assignee = site.issue(key_of(ctx, first)).assignee
    assert assignee is not None
    assert assignee.name == "zed"
    assert cli("show", str(first), "--json").json()["sync"]["warning"] is None


# ------------------------------------------------------------------ 4. settings


@pytest.mark.parametrize(
    ("extra", "setting"),
    [
        ("", "jira.project"),
        ('issue_type = "Bug"\n', "jira.issue_type"),
        ('custom_fields = { "Root cuase" = "root_cause" }\n', "jira.custom_fields"),
        ('custom_fields = { "Root cause" = "root_cuase" }\n', "jira.custom_fields"),
        ('wont_do_resolution = "Rejected"\n', "jira.wont_do_resolution"),
        ('done_resolutions = ["Fixed"]\n', "jira.done_resolutions"),
    ],
)
def test_wrong_settings_stop_the_sync_before_any_write(
    tmp_path: Path,
    site: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: str,
    setting: str,
) -> None:
    ctx = make_ctx(tmp_path, site, monkeypatch)
    first = add_action(ctx, "Add a canary stage")
    assert run(ctx).ok  # linked, watermark set
    edit(ctx, first, title="Add a canary stage, revised")
    before = db_rows(ctx)
    site.reset_requests()
    project = "NOPE" if setting == "jira.project" else "OPS"
    cli = Cli(capsys, ctx.db_url, config_file(tmp_path, site, extra, project=project))

    result = cli("sync")

    assert result.code == 2
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: ")
    assert setting in lines[0]
    assert site.writes() == []
    assert db_rows(ctx) == before  # nothing written, watermark untouched
    assert cli("config", "check", "--online").code == 2
    ctx.close()


def test_config_check_online_reports_what_it_checked(
    tmp_path: Path, site: FakeJira, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    monkeypatch.setenv(TOKEN_ENV, site.basic_auth[1] if site.deployment == "cloud" else site.token)
    cli.config = config_file(tmp_path, site, 'custom_fields = { "Root cause" = "root_cause" }\n')

    result = cli("config", "check", "--online")

    assert result.code == 0, result.err
    assert "Jira OK" in result.err
    assert "project OPS (Operations), issue type Task" in result.err
    assert "customfield_10050" in result.err
    assert site.writes() == []


def test_a_misspelled_attribute_fails_config_check_offline(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "typo.toml"
    path.write_text('[jira]\ncustom_fields = { "Team" = "teem" }\n', encoding="utf-8")
    cli.config = path

    result = cli("config", "check")

    assert result.code == 2
    assert result.err.count("error:") == 1
    assert "jira.custom_fields" in result.err
    assert "'teem'" in result.err


# ------------------------------------------------------------------ 5. custom fields


@pytest.mark.parametrize("deployment", ["cloud", "datacenter"])
def test_custom_fields_are_escaped_only_when_wiki_rendered_and_listed_once_per_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deployment: str
) -> None:
    fields = [
        CustomField("customfield_10050", "Root cause", "textarea"),
        CustomField("customfield_10053", "Team", "textfield"),
    ]
    with FakeJira(deployment=deployment, custom_fields=fields) as site:
        ctx = make_ctx(
            tmp_path,
            site,
            monkeypatch,
            custom_fields={"Root cause": "root_cause", "Team": "team"},
        )
        incident = add_incident(ctx, root_cause="cert [expired] - no *alert*")
        first = add_action(ctx, "Alert on expiry", incident_id=incident, team="payments-sre")
        assert run(ctx).ok
        edit(ctx, first, team="payments-sre-2")
        assert run(ctx).ok

        issue = site.issue(key_of(ctx, first))
        assert issue.custom["customfield_10053"] == "payments-sre-2"  # plain text: as typed
        assert issue.custom["customfield_10050"] == "cert \\[expired\\] \\- no \\*alert\\*"
        field_reads = [r for r in site.requests if r.path.endswith("/field")]
        assert len(field_reads) == 1
        ctx.close()


# ------------------------------------------------------------------ 7. existing tickets


def test_an_action_naming_an_existing_ticket_links_to_it(ctx: AppContext, site: FakeJira) -> None:
    existing = site.store.create(
        {
            "fields": {
                "project": {"key": "OPS"},
                "issuetype": {"name": "Task"},
                "summary": "Certificate monitoring (filed during the incident)",
                "labels": ["incident-42"],
            }
        },
        site.user("bob"),
    )
    linked = add_action(ctx, "Alert on certificate expiry", tracking_ref=existing.key)
    other = add_action(ctx, "Rotate keys", tracking_ref="INFRA-9")  # another project

    summary = run(ctx)

    assert summary.ok, summary.failures
    assert key_of(ctx, linked) == existing.key
    assert [c["action_id"] for c in summary.created] == [other]
    issue = site.issue(existing.key)
    assert issue.summary == "Certificate monitoring (filed during the incident)"  # untouched
    assert {"incident-42", "capa-tracker", f"capa-{linked}"} <= set(issue.labels)
    site.reset_requests()
    site.advance_clock(timedelta(minutes=20))
    again = run(ctx)
    assert again.ok
    assert again.created == []
    assert site.writes() == []
    assert len(site.issues()) == 2


def test_summary_json_for_the_sync_warning_is_stable(ctx: AppContext, site: FakeJira) -> None:
    first = add_action(ctx, "Rotate the keys", owner="nobody@example.com")
    summary = run(ctx)
    assert summary.ok
    assert json.dumps(summary.to_json())  # serialisable
    with session_scope(ctx.engine(), write=False) as s:
        link = s.get(SyncLink, first)
        assert link is not None
        assert link.sync_warning is not None
        assert "nobody@example.com" in link.sync_warning


@pytest.mark.asyncio
@pytest.mark.timeout(60)
async def test_the_dashboard_detail_shows_the_sync_warning(ctx: AppContext, site: FakeJira) -> None:
    from tui.app import create_app
    from tui.screen_text import screen_text
    from tui.screens.detail import DetailScreen

    first = add_action(ctx, "Rotate the keys", owner="nobody@example.com")
    assert run(ctx).ok
    app = create_app(ctx, cursor_blink=False, poll_interval=0.2)
    async with app.run_test(size=(120, 50)) as pilot:
        app.open_detail(first)
        for _ in range(250):  # until the detail has loaded (at most 5 s)
            if isinstance(app.screen, DetailScreen) and app.screen.details:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        text = screen_text(app)
        assert "warning" in text
        assert "no Jira user found for owner" in text
        assert "nobody@example.com" in text
