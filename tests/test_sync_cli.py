"""`capa-tracker sync` as a user runs it: login failures in one line, exit codes, no token leaks."""

from __future__ import annotations

import base64
import json
import logging
import socket
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.fakes.jira import FakeJira, Fault
from tests.support.sync_helpers import TOKEN_ENV, add_actions
from tracker.config import Settings
from tracker.context import AppContext


def write_config(
    tmp_path: Path, site_url: str, deployment: str, email: str = "bot@example.com"
) -> Path:
    path = tmp_path / "capa.toml"
    path.write_text(
        "[jira]\n"
        f'url = "{site_url}"\n'
        f'deployment = "{deployment}"\n'
        f'email = "{email}"\n'
        f'token_env = "{TOKEN_ENV}"\n'
        'project = "OPS"\n'
        "max_retries = 1\n"
        "timeout_seconds = 3\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(params=["cloud", "datacenter"])
def site(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    with FakeJira(deployment=request.param) as fake:
        yield fake


@pytest.fixture(autouse=True)
def _no_settle_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake's search is consistent at once: no need to wait before marker lookups."""
    monkeypatch.setenv("CAPA_TRACKER_SYNC__SEARCH_SETTLE_SECONDS", "0")


def good_token(site: FakeJira) -> str:
    return site.basic_auth[1] if site.deployment == "cloud" else site.token


def sync_cli(capsys: pytest.CaptureFixture[str], db_url: str, config: Path) -> Cli:
    return Cli(capsys, db_url, config)


def seed(db_url: str, count: int = 2) -> None:
    ctx = AppContext.build(Settings(), db_url=db_url)
    add_actions(ctx, count)
    ctx.close()


def test_a_wrong_token_is_one_line_and_exit_1(
    tmp_path: Path,
    site: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db_url: str,
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "not-the-token-0123456789")
    result = sync_cli(capsys, db_url, write_config(tmp_path, site.url, site.deployment))("sync")
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: Jira refused the login (HTTP 401)")
    assert TOKEN_ENV in lines[0]
    assert "not-the-token-0123456789" not in result.err + result.out


def test_an_unreachable_url_and_a_site_that_is_not_jira(
    tmp_path: Path,
    site: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db_url: str,
) -> None:
    monkeypatch.setenv(TOKEN_ENV, good_token(site))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = sync_cli(
        capsys, db_url, write_config(tmp_path, f"http://127.0.0.1:{port}", site.deployment)
    )("sync")
    assert result.code == 1
    assert result.err.strip().startswith("error: cannot reach Jira at")
    assert len(result.err.strip().splitlines()) == 1

    result = sync_cli(capsys, db_url, write_config(tmp_path, site.url + "/wiki", site.deployment))(
        "sync"
    )
    assert result.code == 1
    assert "is not a Jira site" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_configuration_problems_exit_2(
    tmp_path: Path,
    site: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db_url: str,
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    result = sync_cli(capsys, db_url, write_config(tmp_path, site.url, site.deployment))("sync")
    assert result.code == 2
    assert f"export {TOKEN_ENV}=" in result.err
    result = sync_cli(capsys, db_url, write_config(tmp_path, "", site.deployment))("sync")
    assert result.code == 2
    assert "jira.url is empty" in result.err


def test_the_token_never_appears_in_output_or_logs(
    tmp_path: Path,
    site: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    db_url: str,
) -> None:
    token = good_token(site)
    monkeypatch.setenv(TOKEN_ENV, token)
    caplog.set_level(logging.DEBUG)
    seed(db_url, 3)
    cli = sync_cli(capsys, db_url, write_config(tmp_path, site.url, site.deployment))
    # Failures everywhere: 5xx with bodies, dropped answers, then a refused login.
    site.faults.queue(Fault.server_error(500, path="bulk"), Fault.server_error(500, path="bulk"))
    outputs = [cli("--debug", "sync", "--json"), cli("sync", "--dry-run"), cli("sync")]
    monkeypatch.setenv(TOKEN_ENV, token + "x")
    outputs.append(cli("--debug", "sync"))
    forms = [token, base64.b64encode(f"bot@example.com:{token}".encode()).decode()]
    text = "".join(r.out + r.err for r in outputs) + caplog.text
    for form in forms:
        assert form not in text
    assert "Authorization" not in text


def test_json_on_stdout_and_the_plan_on_a_dry_run(
    tmp_path: Path,
    site: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db_url: str,
) -> None:
    monkeypatch.setenv(TOKEN_ENV, good_token(site))
    seed(db_url, 2)
    cli = sync_cli(capsys, db_url, write_config(tmp_path, site.url, site.deployment))
    dry = cli("sync", "--dry-run")
    assert dry.code == 0
    assert dry.out.splitlines() == ["create #1 'Measure 0'", "create #2 'Measure 1'"]
    assert site.writes() == []
    done = cli("sync", "--json")
    assert done.code == 0
    data = json.loads(done.out)
    assert data["ok"] is True
    assert [c["action_id"] for c in data["created"]] == [1, 2]
    assert "created 2" in done.err
    shown = cli("show", "1", "--json")
    assert shown.json()["jira_key"] == data["created"][0]["key"]
