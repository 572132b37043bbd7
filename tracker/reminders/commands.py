"""`remind` (one pass) and `scheduler` (runs until stopped): thin shells over planner and sender.

The CLI registers these; `python -m tracker.reminders` runs them without the CLI. Messages go
to stderr, JSON to stdout. Configuration problems raise `ReminderError` (the CLI exits 2).
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from types import FrameType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.reminders.channels.base import ReminderChannel
from tracker.reminders.channels.email import EmailChannel
from tracker.reminders.channels.jira import CommentClient, JiraCommentChannel
from tracker.reminders.channels.log import LogChannel
from tracker.reminders.channels.webhook import WebhookChannel
from tracker.reminders.loader import load_snapshots
from tracker.reminders.planner import (
    Channel,
    Digest,
    Directory,
    ReminderPlan,
    plan_reminders,
    rules_from_settings,
)
from tracker.reminders.render import describe_plan_line, subject
from tracker.reminders.sender import SendReport, existing_status, send_digests

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

    from tracker.config import Settings
    from tracker.context import AppContext

log = logging.getLogger("tracker.reminders")

# A late start (machine asleep at 9:00) still sends that day's reminders; sync just waits.
REMIND_MISFIRE_GRACE_S = 6 * 3600
SYNC_MISFIRE_GRACE_S = 5 * 60
# When no --now time of day is given, a date means this local time.
DEFAULT_RUN_TIME = dtime(9, 0)


class ReminderError(Exception):
    """Bad reminder or scheduler configuration (cron, timezone, --now); the CLI exits 2."""


# --------------------------------------------------------------------------- one pass


@dataclass
class RemindResult:
    plan: ReminderPlan
    now: datetime
    dry_run: bool
    report: SendReport = field(default_factory=SendReport)
    # Planned reminder key -> its status in the database before this run (dry run only).
    known: dict[tuple[str, str, str, int, str], str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def parse_now(text: str, tz: ZoneInfo) -> datetime:
    """Read `--now`: ISO date or datetime; without an offset it is local time in `tz`."""
    raw = text.strip()
    try:
        if len(raw) == 10:
            return datetime.combine(date.fromisoformat(raw), DEFAULT_RUN_TIME, tzinfo=tz)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ReminderError(
            f"--now: cannot read {text!r}; use ISO 8601 like 2026-03-09 or 2026-03-09T09:00-05:00"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def _zone(settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(settings.policy.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ReminderError(
            f"policy.timezone: unknown timezone {settings.policy.timezone!r}; "
            "use an IANA name like 'America/New_York'"
        ) from None


def _optional_module(name: str) -> Any | None:
    """Import a sibling package that may not be installed (sync).

    The core must not depend on `sync` (see the import-linter contract), so this composition
    seam resolves it at run time and treats its absence as "not configured".
    """
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _sync_comment_client(settings: Settings) -> tuple[CommentClient | None, str | None]:
    if not settings.jira.url:
        return None, "jira channel skipped: jira.url is empty"
    module = _optional_module("sync.client")
    factory = getattr(module, "build_comment_client", None) if module else None
    if factory is None:
        return None, "jira channel skipped: the Jira sync client (sync.client) is not available"
    try:
        client: CommentClient = factory(settings)
    except Exception as exc:  # a broken Jira setup must not stop e-mail reminders
        return None, f"jira channel skipped: cannot build the Jira client ({exc})"
    return client, None


def build_channels(
    settings: Settings, *, comment_client: CommentClient | None = None
) -> tuple[dict[str, ReminderChannel], list[str]]:
    """The configured channels that can run here, and warnings for the ones that cannot."""
    cfg = settings.reminders
    channels: dict[str, ReminderChannel] = {}
    warnings: list[str] = []
    for name in dict.fromkeys(cfg.channels):
        if name == "email":
            channels[name] = EmailChannel(cfg.email, settings.secret(cfg.email.password_env))
        elif name == "webhook":
            channels[name] = WebhookChannel(
                settings.secret(cfg.webhook.url_env),
                url_env=cfg.webhook.url_env,
                timeout_seconds=cfg.webhook.timeout_seconds,
            )
        elif name == "log":
            channels[name] = LogChannel()
        elif name == "jira":
            client, why = (
                (comment_client, None)
                if comment_client is not None
                else _sync_comment_client(settings)
            )
            if client is None:
                warnings.append(why or "jira channel skipped")
            else:
                channels[name] = JiraCommentChannel(client)
    return channels, warnings


def remind_pass(
    ctx: AppContext,
    *,
    dry_run: bool,
    now: datetime | None = None,
    comment_client: CommentClient | None = None,
    channels: dict[str, ReminderChannel] | None = None,
) -> RemindResult:
    """Plan and (unless a dry run) deliver this run's reminders."""
    settings = ctx.settings
    tz = _zone(settings)
    moment = (now or ctx.now()).astimezone(tz)
    warnings: list[str] = []
    if channels is None:
        channels, warnings = build_channels(settings, comment_client=comment_client)
    names: list[Channel] = [c for c in settings.reminders.channels if c in channels]
    rules = rules_from_settings(settings.reminders, channels=names)
    directory = Directory(settings.people, settings.reminders.email.default_domain)
    engine = ctx.engine()
    snapshots = load_snapshots(engine, jira_url=settings.jira.url)
    plan = plan_reminders(snapshots, rules, moment, tz, directory)
    result = RemindResult(plan=plan, now=moment, dry_run=dry_run, warnings=warnings)
    if plan.unowned:
        ids = ", ".join(f"#{i}" for i in plan.unowned[:20])
        warnings.append(
            f"{len(plan.unowned)} action(s) need attention but have no owner and no "
            f"reminders.escalation_address is set: {ids}"
        )
    if dry_run:
        result.known = existing_status(engine, [r.key for r in plan.reminders])
        return result
    result.report = send_digests(engine, plan.digests, channels)
    warnings.extend(result.report.warnings)
    return result


def _digest_json(digest: Digest) -> dict[str, Any]:
    return {
        "recipient": digest.recipient,
        "channel": digest.channel,
        "subject": subject(digest),
        "actions": [
            {"action_id": i.action_id, "rule": i.rule, "days_late": i.days_late}
            for i in digest.items
        ],
    }


def result_json(result: RemindResult) -> dict[str, Any]:
    """The documented `remind --json` shape."""
    plan, report = result.plan, result.report
    return {
        "now": result.now.isoformat(),
        "today": plan.today.isoformat(),
        "dry_run": result.dry_run,
        "quiet_reason": plan.quiet_reason,
        "planned": [
            {
                "action_id": r.action_id,
                "recipient": r.recipient,
                "channel": r.channel,
                "rule": r.rule,
                "window": r.window,
                "days_late": r.days_late,
                **({"status": result.known.get(r.key, "new")} if result.dry_run else {}),
            }
            for r in plan.reminders
        ],
        "digests": [_digest_json(d) for d in plan.digests],
        "sent": report.sent,
        "failed": report.failed,
        "skipped": report.skipped,
        "in_flight": report.in_flight,
        "deliveries": [
            {
                "recipient": d.recipient,
                "channel": d.channel,
                "reminders": len(d.keys),
                "ok": d.error is None,
                "error": d.error,
            }
            for d in report.deliveries
        ],
        "unowned": list(plan.unowned),
        "warnings": result.warnings,
    }


def _print_dry_run(result: RemindResult) -> None:
    plan = result.plan
    if not plan.digests:
        print("nothing to send")
        return
    for digest in plan.digests:
        print(f"{digest.channel} to {digest.recipient}: {subject(digest)}")
        for item in digest.items:
            state = result.known.get(item.key)
            note = f"  (already {state})" if state in {"sent", "sending"} else ""
            note = note or ("  (retry)" if state == "failed" else "")
            print(f"  {describe_plan_line(item)}{note}")


def summary_line(result: RemindResult) -> str:
    report = result.report
    digests = sum(1 for d in report.deliveries if d.error is None)
    line = (
        f"sent {report.sent} reminder(s) in {digests} message(s), failed {report.failed}, "
        f"skipped {report.skipped} (already sent)"
    )
    if report.in_flight:
        line += f", {report.in_flight} in flight or interrupted"
    return line


def run_remind(
    ctx: AppContext,
    *,
    dry_run: bool,
    now: datetime | None,
    as_json: bool,
    comment_client: CommentClient | None = None,
) -> int:
    """One reminder pass. Exit code 0, or 1 when any delivery failed (it is retried next run)."""
    result = remind_pass(ctx, dry_run=dry_run, now=now, comment_client=comment_client)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    plan = result.plan
    if plan.quiet_reason:
        print(f"no reminders today: {plan.quiet_reason}", file=sys.stderr)
    if as_json:
        print(json.dumps(result_json(result), indent=2))
    elif dry_run:
        _print_dry_run(result)
    if not dry_run:
        for outcome in result.report.deliveries:
            if outcome.error:
                print(f"failed: {outcome.error} (will retry next run)", file=sys.stderr)
        print(summary_line(result), file=sys.stderr)
    return 1 if result.report.failed else 0


# --------------------------------------------------------------------------- scheduler

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


def remind_job(ctx: AppContext) -> JobOutcome:
    result = remind_pass(ctx, dry_run=False)
    for warning in result.warnings:
        log.warning("job remind: %s", warning)
    if result.plan.quiet_reason:
        return JobOutcome(True, f"nothing to send: {result.plan.quiet_reason}")
    return JobOutcome(result.report.failed == 0, summary_line(result))


def sync_job(ctx: AppContext) -> JobOutcome:
    """Run the Jira sync when it is configured and installed."""
    if not ctx.settings.jira.url:
        return JobOutcome(True, "skipped: not configured (jira.url is empty)")
    module = _optional_module("sync.commands")
    run_sync: Callable[..., int] | None = getattr(module, "run_sync", None) if module else None
    if run_sync is None:
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


def run_scheduler(ctx: AppContext, *, once: bool = False) -> int:
    """Run reminders and sync on their schedules until SIGINT/SIGTERM; `once` runs each now."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    _setup_logging()
    settings = ctx.settings
    tz = _zone(settings)
    remind_trigger = make_trigger(settings.reminders.schedule, tz, setting="reminders.schedule")
    sync_trigger = make_trigger(settings.sync.schedule, tz, setting="sync.schedule")
    ctx.engine()  # fail at start, not at 9:00, when the database cannot be opened

    if once:
        results = [_logged("remind", remind_job, ctx), _logged("sync", sync_job, ctx)]
        return 0 if all(r.ok for r in results) else 1

    scheduler = BlockingScheduler(timezone=tz, job_defaults={"coalesce": True, "max_instances": 1})
    scheduler.add_job(
        _logged,
        remind_trigger,
        args=("remind", remind_job, ctx),
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
