"""Configuration: lookup order, environment overrides, one clear line for a wrong setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tracker.config import ConfigError, load_settings


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file(tmp_path: Path) -> None:
    s = load_settings(environ={})
    assert s.source is None
    assert s.policy.due_days == {"P0": 7, "P1": 14, "P2": 30, "P3": 60}
    assert s.database_url().endswith("capa-tracker.db")
    assert s.jira.verify_tls is True


def test_lookup_order_explicit_then_env_then_cwd_then_user_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_dir = _write(
        tmp_path / "xdg-config" / "capa-tracker" / "config.toml", 'user = "from-user-dir"\n'
    )
    assert load_settings(environ={}).user == "from-user-dir"
    _write(tmp_path / "capa-tracker.toml", 'user = "from-cwd"\n')
    assert load_settings(environ={}).user == "from-cwd"
    env_file = _write(tmp_path / "env.toml", 'user = "from-env"\n')
    monkeypatch.setenv("CAPA_TRACKER_CONFIG", str(env_file))
    assert load_settings().user == "from-env"
    explicit = _write(tmp_path / "explicit.toml", 'user = "explicit"\n')
    assert load_settings(explicit).user == "explicit"
    assert user_dir.exists()


def test_environment_overrides_nested_keys() -> None:
    s = load_settings(
        environ={
            "CAPA_TRACKER_POLICY__DATE_ORDER": "DMY",
            "CAPA_TRACKER_REMINDERS__DUE_SOON_DAYS": "[5, 1]",
            "CAPA_TRACKER_USER": "zoe",
        }
    )
    assert (s.policy.date_order, s.reminders.due_soon_days, s.user) == ("DMY", [5, 1], "zoe")


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            '[policy]\ntimezone = "Mars/Olympus"\n',
            "policy.timezone: unknown timezone 'Mars/Olympus'",
        ),
        ('[policy]\ndate_order = "YMD"\n', "policy.date_order: Input should be 'MDY' or 'DMY'"),
        ('[jira]\ntokn_env = "X"\n', "jira.tokn_env: unknown setting"),
        ("[policy\n", "not valid TOML"),
        ("[policy]\ndue_days = { P7 = 3 }\n", "unknown priority 'P7'"),
        ("[reminders.email]\nport = 70000\n", "reminders.email.port"),
    ],
)
def test_a_wrong_setting_names_the_file_and_the_key(
    tmp_path: Path, toml: str, expected: str
) -> None:
    path = _write(tmp_path / "bad.toml", toml)
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_cli_exit_2_and_one_line_without_traceback_for_bad_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    path = _write(tmp_path / "bad.toml", '[policy]\ntimezone = "Nowhere/City"\n')
    result = Cli(capsys, sqlite_url, config=path)("list")
    assert result.code == 2
    assert result.err.strip().count("\n") == 0
    assert "Traceback" not in result.err
    assert "policy.timezone" in result.err
    assert str(path) in result.err


def test_missing_config_file_is_exit_2(cli: Cli, tmp_path: Path) -> None:
    from tracker.cli import main

    code = main(["--config", str(tmp_path / "nope.toml"), "list"])
    assert code == 2


def test_config_check_masks_secrets(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _write(
        tmp_path / "c.toml",
        '[jira]\nurl = "https://x.example"\ntoken_env = "MY_JIRA_TOKEN"\n[database]\nurl = "postgresql+psycopg://capa:hunter2@db/capa"\n',
    )
    monkeypatch.setenv("MY_JIRA_TOKEN", "s3cr3t-token-value")
    from tracker.cli import main

    capsys.readouterr()
    assert main(["--config", str(path), "config", "check", "--json"]) == 0
    out = capsys.readouterr().out
    assert "s3cr3t-token-value" not in out
    assert "hunter2" not in out
    import json

    data = json.loads(out)
    assert data["jira"]["token_env"] == "MY_JIRA_TOKEN"
    assert data["jira"]["token_set"] is True
    assert data["database"]["url"] == "postgresql+psycopg://capa:***@db/capa"
    assert data["config_file"] == str(path)


def test_the_example_config_is_valid_and_documents_every_setting() -> None:
    import tomllib

    from tracker.config import Settings

    example = Path(__file__).resolve().parents[1] / "config.example.toml"
    data = tomllib.loads(example.read_text(encoding="utf-8"))
    Settings.model_validate(data)
    text = example.read_text(encoding="utf-8")

    def keys(model: type, prefix: str = "") -> list[str]:
        out = []
        for name, field in model.model_fields.items():  # type: ignore[attr-defined]
            if name == "source":
                continue
            ann = field.annotation
            if isinstance(ann, type) and hasattr(ann, "model_fields") and name != "people":
                out += keys(ann, f"{prefix}{name}.")
            else:
                out.append(name)
        return out

    missing = [k for k in keys(Settings) if k not in text]
    assert missing == []


def test_config_check_shows_next_runs_and_refuses_a_bad_schedule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    good = _write(
        tmp_path / "good.toml",
        '[policy]\ntimezone = "Europe/Oslo"\n[reminders]\nschedule = "30 8 * * MON-FRI"\n',
    )
    result = Cli(capsys, sqlite_url, config=good)("config", "check", "--json")
    assert result.code == 0
    runs = result.json()["next_runs"]["reminders"]
    assert len(runs) == 3
    assert all("T08:30:00+01:00" in r or "T08:30:00+02:00" in r for r in runs)
    bad = _write(tmp_path / "bad.toml", '[sync]\nschedule = "every now and then"\n')
    refused = Cli(capsys, sqlite_url, config=bad)("config", "check")
    assert refused.code == 2
    assert "sync.schedule" in refused.err
