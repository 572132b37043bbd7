"""Idempotent delivery: every reminder is recorded under its unique key before it is sent.

Row states (column `status`):

* ``pending``  recorded, never attempted. Safe for anyone to claim.
* ``sending``  claimed by one process, which is delivering it (or died while doing so).
* ``sent``     delivered. Never touched again.
* ``failed``   the delivery attempt raised; `last_error` says why. Claimed again by the next run
  that plans it. When the next run plans a newer notice about the same thing instead (the
  overdue period moved on, due-soon became overdue), that one carries the news and, once it
  is sent, the old row becomes ``superseded``. A reminder whose action was closed meanwhile
  stays ``failed`` as history and is rightly not retried.
* ``superseded``  see above.

One pass: (1) insert all planned rows as ``pending``, ignoring the unique-key conflicts of rows
that exist; (2) per digest, claim its rows with one conditional UPDATE
``status IN ('pending','failed') -> 'sending'`` stamped with a fresh claim token — the database
serialises these updates, so of two processes exactly one gets each row; (3) deliver the digest
built from the rows this process claimed, with no transaction open; (4) mark them ``sent`` or
``failed`` (attempts + 1, last_error).

Trade-off, chosen on purpose: **at most once**. A process killed between delivering and step (4)
leaves rows in ``sending``; nobody re-sends them automatically, because we cannot know whether the
mail went out, and the promise to users is "never the same nag twice". Such rows are counted as
``in_flight`` in every run's summary (with a warning once they are older than `STALE_AFTER`),
and `requeue_stale` turns them back into ``failed`` for an operator who prefers a possible
duplicate over a possible loss. Overdue reminders also repeat every few days, so a lost one is
followed by the next period's.

The claim token stored in `digest_id` starts with the claim time (UTC, `20260309T140000Z-<uuid>`),
which is how a stale claim is told from one in progress without an extra column.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, func, insert, select, tuple_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from tracker.db import session_scope
from tracker.models import Reminder, utcnow
from tracker.reminders.channels.base import DeliveryError, ReminderChannel
from tracker.reminders.planner import Digest, PlannedReminder, digest_for

Key = tuple[str, str, str, int, str]
STALE_AFTER = timedelta(minutes=30)
CLAIMABLE = ("pending", "failed")
RULE_FAMILIES = (("due_soon", "due_today", "overdue"), ("escalation",), ("verification",))
_INSERT_CHUNK = 200


@dataclass
class DeliveryOutcome:
    recipient: str
    channel: str
    keys: list[Key]
    error: str | None = None


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    # Planned but not ours to send: already sent, or claimed by another process.
    skipped: int = 0
    in_flight: int = 0
    deliveries: list[DeliveryOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _key_columns() -> tuple[object, ...]:
    return (
        col(Reminder.recipient),
        col(Reminder.channel),
        col(Reminder.rule),
        col(Reminder.action_id),
        col(Reminder.window),
    )


def record_planned(engine: Engine, reminders: Sequence[PlannedReminder], now: datetime) -> int:
    """Insert the rows that do not exist yet as pending; returns how many were new."""
    if not reminders:
        return 0
    new = 0
    for start in range(0, len(reminders), _INSERT_CHUNK):
        chunk = reminders[start : start + _INSERT_CHUNK]
        with session_scope(engine) as session:
            existing = {
                (r, c, ru, a, w)
                for r, c, ru, a, w in session.execute(
                    select(*_key_columns()).where(  # type: ignore[call-overload]
                        tuple_(*_key_columns()).in_([p.key for p in chunk])
                    )
                )
            }
            rows = [
                {
                    "action_id": p.action_id,
                    "recipient": p.recipient,
                    "channel": p.channel,
                    "rule": p.rule,
                    "window": p.window,
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                }
                for p in chunk
                if p.key not in existing
            ]
            if not rows:
                continue
            try:
                with session.begin_nested():
                    session.execute(insert(Reminder), rows)
                new += len(rows)
            except IntegrityError:
                # Another process inserted some of them between our read and our write (only
                # possible where writers do not serialise, e.g. PostgreSQL): insert one by one.
                for row in rows:
                    try:
                        with session.begin_nested():
                            session.execute(insert(Reminder), [row])
                        new += 1
                    except IntegrityError:
                        pass
    return new


def _claim(engine: Engine, keys: Sequence[Key], token: str) -> list[Key]:
    """Atomically take the claimable rows among `keys`; returns the keys this call won."""
    with session_scope(engine) as session:
        session.execute(
            update(Reminder)
            .where(
                tuple_(*_key_columns()).in_(keys),
                col(Reminder.status).in_(CLAIMABLE),
            )
            .values(status="sending", digest_id=token)
            .execution_options(synchronize_session=False)
        )
        won = session.execute(
            select(*_key_columns()).where(  # type: ignore[call-overload]
                col(Reminder.digest_id) == token, col(Reminder.status) == "sending"
            )
        )
        return [(r, c, ru, a, w) for r, c, ru, a, w in won]


def _family(rule: str) -> tuple[str, ...]:
    """Rules that say the same thing about an action: a newer one makes an older one moot."""
    for family in RULE_FAMILIES:
        if rule in family:
            return family
    return (rule,)


def _finish(
    engine: Engine, token: str, now: datetime, error: str | None, keys: Sequence[Key]
) -> None:
    with session_scope(engine) as session:
        values: dict[str, object] = {"attempts": col(Reminder.attempts) + 1}
        if error is None:
            values |= {"status": "sent", "sent_at": now, "last_error": None}
        else:
            values |= {"status": "failed", "last_error": error[:2000]}
        session.execute(
            update(Reminder)
            .where(col(Reminder.digest_id) == token, col(Reminder.status) == "sending")
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if error is not None:
            return
        # An older failed (or never attempted) notice about the same thing is now answered.
        for recipient, channel, rule, action_id, window in keys:
            session.execute(
                update(Reminder)
                .where(
                    col(Reminder.recipient) == recipient,
                    col(Reminder.channel) == channel,
                    col(Reminder.action_id) == action_id,
                    col(Reminder.rule).in_(_family(rule)),
                    col(Reminder.window) != window,
                    col(Reminder.status).in_(CLAIMABLE),
                )
                .values(status="superseded")
                .execution_options(synchronize_session=False)
            )


def _status_counts(engine: Engine, keys: Iterable[Key]) -> dict[str, int]:
    key_list = list(keys)
    counts: dict[str, int] = {}
    with session_scope(engine, write=False) as session:
        for start in range(0, len(key_list), _INSERT_CHUNK):
            chunk = key_list[start : start + _INSERT_CHUNK]
            rows = session.execute(
                select(col(Reminder.status), func.count())
                .where(tuple_(*_key_columns()).in_(chunk))
                .group_by(col(Reminder.status))
            )
            for status, n in rows:
                counts[status] = counts.get(status, 0) + int(n)
    return counts


def _split(digest: Digest, channel: ReminderChannel) -> list[Digest]:
    """Channels that deliver per action get one digest per action, so retries stay exact."""
    if not channel.per_action:
        return [digest]
    return [digest_for(digest, [item.key]) for item in digest.items]


def send_digests(
    engine: Engine,
    digests: Sequence[Digest],
    channels: Mapping[str, ReminderChannel],
    *,
    clock: Callable[[], datetime] = utcnow,
    on_delivered: Callable[[Digest], None] | None = None,
) -> SendReport:
    """Record, claim, deliver and mark every digest's reminders; see the module docstring.

    `clock` stamps the bookkeeping (created, claimed, sent): real time even when the plan was
    made for a pretended `--now`, so that stale claims are judged against the wall clock.
    """
    report = SendReport()
    usable = [d for d in digests if d.channel in channels]
    record_planned(engine, [item for d in usable for item in d.items], clock())

    for whole in usable:
        channel = channels[whole.channel]
        for digest in _split(whole, channel):
            keys = [item.key for item in digest.items]
            token = claim_token(clock())
            won = _claim(engine, keys, token)
            if not won:
                continue
            mine = digest_for(digest, won)
            error: str | None = None
            try:
                channel.send(mine)
            except DeliveryError as exc:
                error = str(exc)
            _finish(engine, token, clock(), error, won)
            outcome = DeliveryOutcome(mine.recipient, mine.channel, list(won), error)
            report.deliveries.append(outcome)
            if error is None:
                report.sent += len(won)
                if on_delivered is not None:
                    on_delivered(mine)
            else:
                report.failed += len(won)

    planned_keys = [item.key for d in usable for item in d.items]
    counts = _status_counts(engine, planned_keys)
    report.in_flight = counts.get("sending", 0)
    report.skipped = len(planned_keys) - report.sent - report.failed - report.in_flight
    report.skipped = max(report.skipped, 0)
    stale = count_stale(engine, clock())
    if stale:
        report.warnings.append(
            f"{stale} reminder(s) have been 'sending' for over {int(STALE_AFTER.total_seconds() // 60)} "
            "minutes: a run was interrupted while delivering them, so whether they arrived is "
            "unknown; they are not re-sent automatically (see docs/reminders.md, 'Stuck reminders')"
        )
    return report


def claim_token(now: datetime) -> str:
    """A unique claim id that starts with the claim time, so stale claims sort before a cutoff."""
    return f"{_stamp(now)}-{uuid.uuid4().hex}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _stale_filter(now: datetime, older_than: timedelta) -> list[ColumnElement[bool]]:
    return [
        col(Reminder.status) == "sending",
        col(Reminder.digest_id) < _stamp(now - older_than),
    ]


def count_stale(engine: Engine, now: datetime, older_than: timedelta = STALE_AFTER) -> int:
    """Rows left in 'sending' by an interrupted run: claimed longer ago than `older_than`."""
    with session_scope(engine, write=False) as session:
        n = session.execute(
            select(func.count()).select_from(Reminder).where(*_stale_filter(now, older_than))
        ).scalar_one()
    return int(n)


def requeue_stale(
    engine: Engine, now: datetime | None = None, older_than: timedelta = STALE_AFTER
) -> int:
    """Turn long-'sending' rows into 'failed' so the next run re-sends them (at least once)."""
    now = now or utcnow()
    with session_scope(engine) as session:
        result = session.execute(
            update(Reminder)
            .where(*_stale_filter(now, older_than))
            .values(
                status="failed", last_error="interrupted while sending; re-queued by an operator"
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


def existing_status(engine: Engine, keys: Sequence[Key]) -> dict[Key, str]:
    """The recorded status of each of these keys that has a row (read-only, for dry runs)."""
    out: dict[Key, str] = {}
    with session_scope(engine, write=False) as session:
        for start in range(0, len(keys), _INSERT_CHUNK):
            chunk = keys[start : start + _INSERT_CHUNK]
            rows = session.execute(
                select(*_key_columns(), col(Reminder.status)).where(  # type: ignore[call-overload]
                    tuple_(*_key_columns()).in_(chunk)
                )
            )
            for r, c, ru, a, w, status in rows:
                out[(r, c, ru, a, w)] = status
    return out
