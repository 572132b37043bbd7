"""The long-running scheduler: APScheduler wiring of the periodic jobs (reminders, Jira sync,
the weekly report e-mail).

A composition root like tracker/cli/: it may import the sync package, and does so lazily. It
builds the Jira comment client the reminders' jira channel uses and hands it in.
"""

from __future__ import annotations

import logging
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType
from typing import TYPE_CHECKING

from tracker.reminders.run import ReminderError, _zone, remind_pass, summary_line

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from apscheduler.triggers.base import BaseTrigger

    from tracker.config import Settings
    from tracker.context import AppContext
    from tracker.reminders.channels.jira import CommentClient

log = logging.getLogger("tracker.scheduler")

# A late start (machine asleep at 9:00) still sends that day's reminders; sync just waits.
REMIND_MISFIRE_GRACE_S = 6 * 3600
SYNC_MISFIRE_GRACE_S = 5 * 60

_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


_EVERY = re.compile(r"@every\s+(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?", re.IGNORECASE)
_ALIASES = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
}


def _cron_weekdays(field_text: str) -> str:
    """Numeric cron weekdays (0 or 7 = Sunday) as names: APScheduler counts 0 = Monday."""
    if not any(ch.isdigit() for ch in field_text):
        return field_text
    days: set[int] = set()
    for token in field_text.split(","):
        body, _, step_text = token.partition("/")
        step = int(step_text) if step_text else 1
        if body == "*":
            lo, hi = 0, 6
        elif "-" in body:
            lo_text, hi_text = body.split("-", 1)
            lo, hi = int(lo_text), int(hi_text)
        else:
            lo = int(body)
            hi = 6 if step_text else lo
        if not (0 <= lo <= 7 and 0 <= hi <= 7 and lo <= hi and step >= 1):
            raise ValueError(f"bad day-of-week {token!r}")
        days.update(d % 7 for d in range(lo, hi + 1, step))
    return ",".join(_CRON_DAYS[d] for d in sorted(days))


def make_trigger(expr: str, tz: ZoneInfo, *, setting: str) -> BaseTrigger:
    """A trigger from a schedule setting.

    Accepted: crontab's 5 fields (`0 9 * * MON-FRI`; weekdays 0/7 = Sunday as in cron), a 6-field
    form whose first field is seconds (`*/2 * * * * *`), the aliases @hourly/@daily/@weekly/
    @monthly, and `@every 2s` / `@every 5m` / `@every 1h` for tests and quick trials.
    """
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    text = " ".join(expr.split())
    text = _ALIASES.get(text.lower(), text)
    hint = "use 5 cron fields like '0 9 * * MON-FRI', 6 with seconds first, or '@every 30s'"
    every = _EVERY.fullmatch(text)
    if every:
        amount = float(every.group(1))
        unit = (every.group(2) or "s")[0].lower()
        seconds = amount * {"s": 1, "m": 60, "h": 3600}[unit]
        if seconds <= 0:
            raise ReminderError(f"{setting}: {expr!r} must be a positive interval; {hint}")
        return IntervalTrigger(seconds=seconds, timezone=tz)
    fields = text.split(" ")
    try:
        if len(fields) == 5:
            second, (minute, hour, day, month, dow) = "0", fields
        elif len(fields) == 6:
            second, minute, hour, day, month, dow = fields
        else:
            raise ValueError(f"expected 5 or 6 fields, got {len(fields)}")
        return CronTrigger(
            second=second,
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=_cron_weekdays(dow),
            timezone=tz,
        )
    except ValueError as exc:
        raise ReminderError(f"{setting}: bad schedule {expr!r} ({exc}); {hint}") from None


@dataclass
class JobOutcome:
    ok: bool
    message: str


def jira_comment_client(settings: Settings) -> CommentClient | None:
    """The Jira client for the reminders' jira channel, when that channel is configured.

    None when it is not, or when its settings are incomplete (the reminder pass then names
    the missing setting). A broken Jira setup raises the sync package's configuration error.
    """
    if "jira" not in settings.reminders.channels or settings.channel_secret_problems():
        return None
    from sync.client import build_comment_client

    return build_comment_client(settings)


def remind_job(ctx: AppContext, comment_client: CommentClient | None = None) -> JobOutcome:
    result = remind_pass(ctx, dry_run=False, comment_client=comment_client)
    for warning in result.warnings:
        log.warning("job remind: %s", warning)
    if result.plan.quiet_reason:
        return JobOutcome(True, f"nothing to send: {result.plan.quiet_reason}")
    return JobOutcome(result.report.failed == 0, summary_line(result))


def sync_job(ctx: AppContext) -> JobOutcome:
    """Run the Jira sync when it is configured and installed."""
    if not ctx.settings.jira.url:
        return JobOutcome(True, "skipped: not configured (jira.url is empty)")
    try:
        from sync.command_line import run_sync
    except ImportError:
        return JobOutcome(True, "skipped: sync not configured (the sync package is not installed)")
    code = run_sync(ctx, dry_run=False, push_only=False, pull_only=False, as_json=False)
    return JobOutcome(code == 0, f"exit code {code}")


def _logged(name: str, job: Callable[[AppContext], JobOutcome], ctx: AppContext) -> JobOutcome:
    """Run a job and write the one log line per run that operators grep for."""
    started = time.monotonic()
    try:
        outcome = job(ctx)
    except Exception as exc:  # a job failure must not stop the scheduler
        outcome = JobOutcome(False, f"error: {type(exc).__name__}: {exc}")
        if ctx.debug:
            log.exception("job %s raised", name)
    elapsed = time.monotonic() - started
    level = logging.INFO if outcome.ok else logging.ERROR
    state = "ok" if outcome.ok else "failed"
    log.log(level, "job %s: %s: %s (%.2fs)", name, state, outcome.message, elapsed)
    return outcome


def _setup_logging() -> None:
    if not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    # APScheduler's own per-run lines duplicate ours; keep its warnings (misfires) only.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def run_scheduler(
    ctx: AppContext,
    *,
    once: bool = False,
    report: Callable[[AppContext], JobOutcome] | None = None,
) -> int:
    """Run reminders and sync on their schedules until SIGINT/SIGTERM; `once` runs each now.

    `report` e-mails the weekly report (handed in by tracker.cli, which renders it); it runs
    on `[reports] schedule` when `[reports] recipients` is not empty."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    _setup_logging()
    settings = ctx.settings
    tz = _zone(settings)
    remind_trigger = make_trigger(settings.reminders.schedule, tz, setting="reminders.schedule")
    sync_trigger = make_trigger(settings.sync.schedule, tz, setting="sync.schedule")
    if not settings.reports.recipients:
        report = None
    report_trigger = (
        make_trigger(settings.reports.schedule, tz, setting="reports.schedule") if report else None
    )
    # Fail at start, not at 9:00: a channel without its secret, Jira or the database broken.
    settings.require_channel_secrets()
    comments = jira_comment_client(settings)
    ctx.engine()

    def remind(job_ctx: AppContext) -> JobOutcome:
        return remind_job(job_ctx, comments)

    if once:
        results = [_logged("remind", remind, ctx), _logged("sync", sync_job, ctx)]
        if report is not None:
            results.append(_logged("report", report, ctx))
        return 0 if all(r.ok for r in results) else 1

    scheduler = BlockingScheduler(timezone=tz, job_defaults={"coalesce": True, "max_instances": 1})
    scheduler.add_job(
        _logged,
        remind_trigger,
        args=("remind", remind, ctx),
        id="remind",
        name="remind",
        misfire_grace_time=REMIND_MISFIRE_GRACE_S,
    )
    scheduler.add_job(
        _logged,
        sync_trigger,
        args=("sync", sync_job, ctx),
        id="sync",
        name="sync",
        misfire_grace_time=SYNC_MISFIRE_GRACE_S,
    )
    if report is not None and report_trigger is not None:
        scheduler.add_job(
            _logged,
            report_trigger,
            args=("report", report, ctx),
            id="report",
            name="report",
            misfire_grace_time=REMIND_MISFIRE_GRACE_S,
        )

    stopper: list[threading.Thread] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        if stopper:
            return
        if not scheduler.running:  # signalled before the loop started: nothing to finish
            raise SystemExit(0)
        log.info("scheduler: %s received, finishing running jobs", signal.Signals(signum).name)
        # shutdown(wait=True) blocks until jobs in flight finish; run it off the main thread
        # so the signal handler returns and the scheduler's loop can wake up and exit.
        thread = threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=False)
        stopper.append(thread)
        thread.start()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    log.info(
        "scheduler: started (reminders %r, sync %r, timezone %s)",
        settings.reminders.schedule,
        settings.sync.schedule,
        tz.key,
    )
    try:
        scheduler.start()
    finally:
        for thread in stopper:
            thread.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("scheduler: stopped")
    return 0


def next_runs(expr: str, tz: ZoneInfo, start: datetime, count: int = 3) -> list[datetime]:
    """The next fire times of a schedule (for `config check` and the docs)."""
    trigger = make_trigger(expr, tz, setting="schedule")
    out: list[datetime] = []
    previous: datetime | None = None
    moment = start
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, moment)
        if fire is None:
            break
        out.append(fire)
        previous, moment = fire, fire + timedelta(microseconds=1)
    return out
