"""Schedules, --now, and one scheduler pass in-process."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from tests.conftest import current_db_url
from tracker.cli import main
from tracker.config import Settings
from tracker.context import AppContext
from tracker.reminders.run import ReminderError, parse_now
from tracker.scheduler import make_trigger, next_runs, run_scheduler

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("both_backends")

NY = ZoneInfo("America/New_York")
FRIDAY_NOON = datetime(2026, 3, 6, 12, 0, tzinfo=NY)  # the Friday before clocks go forward


def utc_runs(expr: str, start: datetime = FRIDAY_NOON, count: int = 3) -> list[datetime]:
    return [t.astimezone(UTC) for t in next_runs(expr, NY, start, count)]


def test_weekday_mornings_stay_at_nine_local_across_the_dst_change() -> None:
    assert utc_runs("0 9 * * MON-FRI") == [
        datetime(2026, 3, 9, 13, 0, tzinfo=UTC),  # 09:00 EDT
        datetime(2026, 3, 10, 13, 0, tzinfo=UTC),
        datetime(2026, 3, 11, 13, 0, tzinfo=UTC),
    ]
    assert utc_runs("0 9 * * MON-FRI", FRIDAY_NOON - timedelta(hours=4), 1) == [
        datetime(2026, 3, 6, 14, 0, tzinfo=UTC)  # 09:00 EST
    ]


def test_numeric_weekdays_mean_what_they_mean_in_cron() -> None:
    assert utc_runs("0 9 * * 1-5") == utc_runs("0 9 * * MON-FRI")
    sunday = [datetime(2026, 3, 8, 13, 0, tzinfo=UTC)]
    assert utc_runs("0 9 * * 0", count=1) == sunday
    assert utc_runs("0 9 * * 7", count=1) == sunday
    assert utc_runs("0 9 * * 6,0", count=2) == [
        datetime(2026, 3, 7, 14, 0, tzinfo=UTC),
        datetime(2026, 3, 8, 13, 0, tzinfo=UTC),
    ]


def test_fast_schedules_for_tests_and_trials() -> None:
    trigger = make_trigger("@every 2s", NY, setting="reminders.schedule")
    assert isinstance(trigger, IntervalTrigger)
    assert trigger.interval == timedelta(seconds=2)
    five_minutes = make_trigger("@every 5m", NY, setting="x")
    assert isinstance(five_minutes, IntervalTrigger)
    assert five_minutes.interval == timedelta(minutes=5)
    runs = next_runs("*/10 * * * * *", NY, FRIDAY_NOON, 2)
    assert [r.second for r in runs] == [0, 10]
    assert next_runs("@daily", NY, FRIDAY_NOON, 1) == [datetime(2026, 3, 7, 0, 0, tzinfo=NY)]


@pytest.mark.parametrize(
    ("expr", "why"),
    [
        ("0 9 * *", "expected 5 or 6 fields, got 4"),
        ("61 * * * *", "61"),
        ("0 9 * * MON-FRY", "FRY"),
        ("0 9 * * 8", "bad day-of-week '8'"),
        ("@every 0s", "must be a positive interval"),
        ("every day at nine", "expected 5 or 6 fields"),
    ],
)
def test_a_bad_schedule_is_one_clear_error(expr: str, why: str) -> None:
    with pytest.raises(ReminderError) as error:
        make_trigger(expr, NY, setting="reminders.schedule")
    message = str(error.value)
    assert message.startswith(f"reminders.schedule: bad schedule {expr!r}") or (
        message.startswith(f"reminders.schedule: {expr!r}")
    )
    assert why in message
    assert "0 9 * * MON-FRI" in message  # the hint


def test_parse_now() -> None:
    assert parse_now("2026-03-09", NY) == datetime(2026, 3, 9, 9, 0, tzinfo=NY)
    assert parse_now("2026-03-09T07:30", NY) == datetime(2026, 3, 9, 7, 30, tzinfo=NY)
    with_offset = parse_now("2026-03-09T07:30+00:00", NY)
    assert with_offset == datetime(2026, 3, 9, 7, 30, tzinfo=UTC)
    with pytest.raises(ReminderError, match="--now: cannot read 'monday'"):
        parse_now("monday", NY)


def test_scheduler_once_runs_each_job_and_logs_its_outcome(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings.model_validate(
        {
            "database": {"url": current_db_url(tmp_path)},
            "reminders": {"channels": ["log"]},
        }
    )
    caplog.set_level(logging.INFO, logger="tracker.scheduler")
    assert run_scheduler(AppContext.build(settings), once=True) == 0
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("job remind: ok: ") for m in messages), messages
    assert any(
        m.startswith("job sync: ok: skipped: not configured (jira.url is empty)") for m in messages
    )


def test_module_entry_maps_bad_input_to_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "{current_db_url(tmp_path)}"\n', encoding="utf-8")
    assert main(["--config", str(config), "remind", "--now", "soon"]) == 2
    assert capsys.readouterr().err.startswith("error: --now: cannot read 'soon'")
    assert main(["--config", str(tmp_path / "missing.toml"), "remind"]) == 2
