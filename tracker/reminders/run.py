"""The reminder use case: one pass (plan, then deliver) and its report for the CLI and scheduler.

The composition roots (tracker/cli, tracker/scheduler.py) call `run_remind` / `remind_pass` and
hand in what the core may not import itself: the Jira comment client, built by the sync package.
Messages go to stderr, JSON to stdout. Configuration problems raise `ReminderError` (exit 2).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from datetime import time as dtime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.addresses import is_address
from tracker.errors import ConfigurationError
from tracker.reminders.channels.base import ReminderChannel
from tracker.reminders.channels.email import EmailChannel
from tracker.reminders.channels.jira import CommentClient, JiraCommentChannel
from tracker.reminders.channels.log import LogChannel
from tracker.reminders.channels.webhook import WebhookChannel
from tracker.reminders.loader import load_snapshots, with_recurrence
from tracker.reminders.planner import (
    Digest,
    Directory,
    ReminderPlan,
    plan_reminders,
    rules_from_settings,
)
from tracker.reminders.render import describe_plan_line, subject
from tracker.reminders.sender import SendReport, existing_status, send_digests
from tracker.reminders.workdays import holiday_dates

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tracker.config import Channel, Settings
    from tracker.context import AppContext

log = logging.getLogger("tracker.reminders")

# When no --now time of day is given, a date means this local time.
DEFAULT_RUN_TIME = dtime(9, 0)


class ReminderError(ConfigurationError):
    """Bad reminder or scheduler configuration (cron, timezone, --now, a channel's secret)."""


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
            if comment_client is None:
                warnings.append("jira channel skipped: no Jira comment client was given")
            else:
                channels[name] = JiraCommentChannel(comment_client)
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
    if dry_run:
        # A trial sends nothing, so a missing secret is worth a warning, not a refusal.
        warnings.extend(settings.channel_secret_problems())
    else:
        settings.require_channel_secrets()
    holidays = holiday_dates(settings.reminders.holidays, range(moment.year - 1, moment.year + 2))
    if channels is None:
        channels, skipped = build_channels(settings, comment_client=comment_client)
        warnings.extend(skipped)
    names: list[Channel] = [c for c in settings.reminders.channels if c in channels]
    rules = rules_from_settings(settings.reminders, channels=names, holidays=holidays)
    directory = Directory(settings.people, settings.reminders.email.default_domain)
    engine = ctx.engine()
    snapshots = with_recurrence(engine, load_snapshots(engine, jira_url=settings.jira.url))
    plan = plan_reminders(snapshots, rules, moment, tz, directory)
    if plan.quiet_reason and plan.today in holidays:
        plan = replace(plan, quiet_reason=f"{plan.quiet_reason} ({holidays[plan.today]})")
    result = RemindResult(plan=plan, now=moment, dry_run=dry_run, warnings=warnings)
    if plan.unreachable:
        warnings.append(unreachable_warning(plan.unreachable))
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


def unreachable_warning(unreachable: Sequence[tuple[str, Sequence[int]]]) -> str:
    """One line naming every owner who cannot be reached, with their actions."""
    named = ", ".join(
        f"{who!r} ({', '.join(f'#{i}' for i in ids[:10])}{', ...' if len(ids) > 10 else ''})"
        for who, ids in unreachable
    )
    return (
        f"{len(unreachable)} owner(s) are not e-mail addresses and get no reminders: {named}; "
        "give them an email in [people] or set the action's owner to an address"
    )


def find_unreachable(settings: Settings, engine: Engine) -> list[tuple[str, list[int]]]:
    """Owners (and their leads) of live actions whose address is not an e-mail address.

    What `config check` reports; the planner finds the same ones on each run.
    """
    directory = Directory(settings.people, settings.reminders.email.default_domain)
    found: dict[str, list[int]] = {}
    for action in load_snapshots(engine):
        owner = (action.owner or "").strip()
        if not owner:
            continue
        person = directory.resolve(owner)
        if not is_address(person.address):
            found.setdefault(owner, []).append(action.id)
        elif person.lead and not is_address(person.lead):
            found.setdefault(person.lead, []).append(action.id)
    return sorted(found.items())


def _digest_json(digest: Digest) -> dict[str, Any]:
    return {
        "recipient": digest.recipient,
        "channel": digest.channel,
        "subject": subject(digest),
        **({"mentions": [p.address for p in digest.people]} if digest.people else {}),
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
        "unreachable": {who: list(ids) for who, ids in plan.unreachable},
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
