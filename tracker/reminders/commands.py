"""`remind` (one pass) and `scheduler` (runs until stopped): thin shells over planner and sender.

The CLI registers these; `python -m tracker.reminders` runs them without the CLI. Messages go
to stderr, JSON to stdout. Configuration problems raise `ReminderError` (the CLI exits 2).
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
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
    from tracker.config import Settings
    from tracker.context import AppContext

log = logging.getLogger("tracker.reminders")

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
