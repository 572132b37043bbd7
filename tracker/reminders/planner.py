"""Which reminders are due: actions + rules + "now" -> reminders and one digest per recipient.

Pure: plain values in, plain values out; no database, clock or network. The sender records
every `PlannedReminder` under its key (recipient, channel, rule, action, window), so the planner
can be generous: it re-plans everything still due on every run and the key makes repeats no-ops.

Calendar rules (all dates are local dates in the configured timezone, so a daylight-saving
change only moves the instant a day starts, never which day it is):

* Nothing is planned on a quiet day (weekend or configured quiet weekday) or a holiday.
* due_soon / due_today: for each configured offset `d` the threshold is `due - d`. On a working
  day the most urgent threshold already reached is planned (catch-up, so a threshold that fell
  on a quiet day, or on a day the scheduler did not run, goes out on the next working day).
  A threshold whose next working day would come *after* the due date is moved back to the last
  working day before it: a warning always arrives before the deadline (due on Sunday with
  offset 0 -> reminded on Friday).
* overdue: repeated every `overdue_every_days` calendar days; the window is the index of that
  period since the due date, so each period is reminded once, on its first working day.
* escalation: from `escalate_after_days` overdue, to the owner's lead (or the escalation
  address), again every `escalate_after_days` days.
* verification: a done, unverified action whose `verify_by` lies in the past, to the owner,
  repeated like overdue.

Recipients: an owner (or lead) whose resolved address is not an e-mail address ("@tomasz",
"Ana Ferreira" + default domain) is reached on no channel; the plan names them in
`unreachable` and the run warns once. E-mail (and the log) get one digest per person; the chat
webhook gets one team digest per run in which each owner is mentioned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from tracker.addresses import is_address
from tracker.vocabulary import OPEN_STATUSES

if TYPE_CHECKING:
    from tracker.config import Channel, PersonSettings, ReminderSettings

Rule = Literal["due_soon", "due_today", "overdue", "escalation", "verification"]

# The recipient shown for the one team digest a chat webhook gets per run.
TEAM = "team"
# Channels that post to a shared room: one digest for everybody, owners mentioned.
TEAM_CHANNELS: frozenset[str] = frozenset({"webhook"})
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
# Within one digest, rows with equal lateness read best in this order.
RULE_ORDER: Mapping[str, int] = {
    "escalation": 0,
    "overdue": 1,
    "verification": 2,
    "due_today": 3,
    "due_soon": 4,
}


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A later incident that resembles the action's own: the failure happened again."""

    incident_id: int
    title: str
    day: date | None = None


@dataclass(frozen=True, slots=True)
class ActionSnapshot:
    """What the planner needs to know about one action (read from the database by the caller)."""

    id: int
    title: str
    owner: str | None
    due_date: date | None
    status: str
    verify_by: date | None = None
    verified_at: datetime | None = None
    jira_key: str | None = None
    jira_url: str | None = None
    incident_title: str | None = None
    team: str | None = None
    priority: str = "P2"
    incident_id: int | None = None
    # The latest later incident resembling this one's (open actions only; see loader).
    happened_again: Recurrence | None = None


@dataclass(frozen=True, slots=True)
class ReminderRules:
    """The reminder settings as plain values (see `rules_from_settings`)."""

    due_soon_days: tuple[int, ...] = (3, 0)
    overdue_every_days: int = 2
    escalate_after_days: int = 7
    escalation_address: str | None = None
    verification_reminders: bool = True
    quiet_weekdays: frozenset[int] = frozenset({5, 6})
    holidays: frozenset[date] = frozenset()
    channels: tuple[Channel, ...] = ("email",)
    default_domain: str = "example.com"

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.quiet_weekdays and day not in self.holidays


@dataclass(frozen=True, slots=True)
class Person:
    """A resolved recipient: the address is the identity used in the Reminder key."""

    address: str
    name: str
    chat: str | None = None
    lead: str | None = None


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    """One notice to record and deliver; `key` is the Reminder table's unique key."""

    action_id: int
    recipient: str
    channel: Channel
    rule: Rule
    window: str
    # Days past the relevant date (due date, or verify_by); negative = days still left.
    days_late: int
    action: ActionSnapshot
    # For escalations: the owner the lead is told about.
    owner_address: str | None = None

    @property
    def key(self) -> tuple[str, str, str, int, str]:
        return (self.recipient, self.channel, self.rule, self.action_id, self.window)


@dataclass(frozen=True, slots=True)
class Mention:
    """How a team digest names one recipient: their chat handle if known, else their name."""

    address: str
    name: str
    chat: str | None = None


@dataclass(frozen=True, slots=True)
class Digest:
    """Everything one recipient hears on one channel in one run, most overdue first.

    A team digest (recipient `TEAM`) carries everybody's reminders and, in `people`, how to
    mention each recipient; its items stay grouped by recipient.
    """

    recipient: str
    channel: Channel
    name: str
    chat: str | None
    items: tuple[PlannedReminder, ...]
    today: date
    people: tuple[Mention, ...] = ()

    def count(self, *rules: Rule) -> int:
        return sum(1 for item in self.items if item.rule in rules)


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    today: date
    reminders: tuple[PlannedReminder, ...]
    digests: tuple[Digest, ...]
    # Actions needing attention that nobody can be told about (no owner, no escalation address).
    unowned: tuple[int, ...] = ()
    # Why nothing was planned (quiet day or holiday), if so.
    quiet_reason: str | None = None
    # Owners (or leads) as written whose address is not an e-mail address -> their action ids.
    unreachable: tuple[tuple[str, tuple[int, ...]], ...] = ()


def rules_from_settings(
    reminders: ReminderSettings,
    *,
    channels: Iterable[Channel] | None = None,
    holidays: Iterable[date] = (),
) -> ReminderRules:
    """Turn validated settings into rules; `channels` narrows the configured list.

    `holidays` are the country's public holidays (tracker/reminders/workdays.py), added to the
    configured `dates`; the planner itself stays free of calendars and packages.
    """
    chosen = tuple(reminders.channels if channels is None else channels)
    return ReminderRules(
        due_soon_days=tuple(sorted({d for d in reminders.due_soon_days if d >= 0})),
        overdue_every_days=reminders.overdue_every_days,
        escalate_after_days=reminders.escalate_after_days,
        escalation_address=reminders.escalation_address or None,
        verification_reminders=reminders.verification_reminders,
        quiet_weekdays=frozenset(WEEKDAYS.index(d) for d in reminders.quiet_days),
        holidays=frozenset(reminders.holidays.dates) | frozenset(holidays),
        channels=chosen,
        default_domain=reminders.email.default_domain,
    )


class Directory:
    """Owner names and addresses -> people, through the [people] table and the default domain."""

    def __init__(self, people: Mapping[str, PersonSettings], default_domain: str) -> None:
        self._people = dict(people)
        self._by_email = {p.email.lower(): k for k, p in people.items() if p.email}
        self._domain = default_domain
        self._cache: dict[str, Person] = {}

    def name_for(self, address: str) -> str:
        """How to greet the owner of an address: their [people] name, else the local part."""
        key = self._by_email.get(address.lower())
        if key is not None and "@" not in key:
            return key
        return address.partition("@")[0] or address

    def resolve(self, who: str) -> Person:
        """The person behind a name or address; unknown names get the default domain."""
        cached = self._cache.get(who)
        if cached is not None:
            return cached
        key = who if who in self._people else self._by_email.get(who.lower())
        settings = self._people.get(key) if key is not None else None
        if settings is not None and settings.email:
            address = settings.email
        elif "@" in who:
            address = who
        else:
            address = f"{who}@{self._domain}"
        lead: str | None = None
        if settings is not None and settings.lead:
            lead_key = settings.lead
            lead_settings = self._people.get(lead_key) or self._people.get(
                self._by_email.get(lead_key.lower(), "")
            )
            if lead_settings is not None and lead_settings.email:
                lead = lead_settings.email
            else:
                lead = lead_key if "@" in lead_key else f"{lead_key}@{self._domain}"
        person = Person(
            address=address.strip(),
            name=who,
            chat=settings.chat if settings is not None else None,
            lead=lead,
        )
        self._cache[who] = person
        return person


def _next_working(day: date, rules: ReminderRules) -> date:
    # A year of quiet days would be a configuration error; stop looking after that.
    for _ in range(366):
        if rules.is_working_day(day):
            return day
        day += timedelta(days=1)
    return day


def _previous_working(day: date, rules: ReminderRules) -> date:
    for _ in range(366):
        if rules.is_working_day(day):
            return day
        day -= timedelta(days=1)
    return day


@lru_cache(maxsize=4096)
def _due_soon_triggers(due: date, rules: ReminderRules) -> tuple[tuple[int, date], ...]:
    """(offset, working day it becomes active) for each due_soon offset, most urgent first.

    Cached: 100k actions share a few hundred due dates.
    """
    out: list[tuple[int, date]] = []
    for offset in rules.due_soon_days:  # ascending: most urgent first
        threshold = due - timedelta(days=offset)
        active = _next_working(threshold, rules)
        if active > due:
            active = _previous_working(threshold, rules)
        out.append((offset, active))
    return tuple(out)


def _period(days_late: int, every: int) -> int:
    return (days_late - 1) // every


def plan_reminders(
    actions: Iterable[ActionSnapshot],
    rules: ReminderRules,
    now: datetime,
    tz: ZoneInfo,
    directory: Directory,
) -> ReminderPlan:
    """Plan this run's reminders and digests. `now` must be aware; it is read in `tz`."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    today = now.astimezone(tz).date()
    if today in rules.holidays:
        return ReminderPlan(today, (), (), quiet_reason=f"{today.isoformat()} is a holiday")
    if today.weekday() in rules.quiet_weekdays:
        return ReminderPlan(
            today, (), (), quiet_reason=f"{WEEKDAYS[today.weekday()]} is a quiet day"
        )

    every = rules.overdue_every_days
    escalate = rules.escalate_after_days
    # The furthest a trigger can sit before its due date: the largest offset plus a quiet stretch.
    horizon = (max(rules.due_soon_days) if rules.due_soon_days else -1) + 31
    planned: list[PlannedReminder] = []
    unowned: list[int] = []
    unreachable: dict[str, list[int]] = defaultdict(list)
    owner_channels = rules.channels
    escalation_address = rules.escalation_address

    for action in actions:
        hits: list[tuple[Rule, str, int]] = []
        escalation: tuple[str, int] | None = None
        if action.status in OPEN_STATUSES:
            due = action.due_date
            if due is None:
                continue
            late = (today - due).days
            if late > 0:
                hits.append(("overdue", f"{due.isoformat()}/o{_period(late, every)}", late))
                if late >= escalate:
                    escalation = (f"{due.isoformat()}/e{(late - escalate) // escalate}", late)
            elif rules.due_soon_days and -late <= horizon:
                for offset, active in _due_soon_triggers(due, rules):
                    if active <= today:
                        rule: Rule = "due_today" if late == 0 else "due_soon"
                        hits.append((rule, f"{due.isoformat()}/d{offset}", late))
                        break
        elif (
            action.status == "done"
            and rules.verification_reminders
            and action.verify_by is not None
            and action.verified_at is None
        ):
            late = (today - action.verify_by).days
            if late > 0:
                window = f"{action.verify_by.isoformat()}/v{_period(late, every)}"
                hits.append(("verification", window, late))
        if not hits:
            continue

        owner = (action.owner or "").strip()
        lead: str | None
        if owner:
            person = directory.resolve(owner)
            if not is_address(person.address):
                unreachable[owner].append(action.id)
                continue
            recipient, lead = person.address, person.lead or escalation_address
            if lead and not is_address(lead):
                if escalation is not None:
                    unreachable[lead].append(action.id)
                lead = escalation_address
        elif escalation_address:
            recipient, lead = escalation_address, None
        else:
            unowned.append(action.id)
            continue

        for rule, window, late in hits:
            for channel in owner_channels:
                if channel == "jira" and not action.jira_key:
                    continue
                planned.append(
                    PlannedReminder(action.id, recipient, channel, rule, window, late, action)
                )
        if escalation is not None and lead and lead != recipient:
            window, late = escalation
            for channel in owner_channels:
                # The lead is told by mail or chat; a second Jira comment would add nothing.
                if channel == "jira":
                    continue
                planned.append(
                    PlannedReminder(
                        action.id, lead, channel, "escalation", window, late, action, recipient
                    )
                )

    return ReminderPlan(
        today=today,
        reminders=tuple(planned),
        digests=build_digests(planned, directory, today),
        unowned=tuple(unowned),
        unreachable=tuple((who, tuple(ids)) for who, ids in sorted(unreachable.items())),
    )


def _sort_key(item: PlannedReminder) -> tuple[int, int, int]:
    return (-item.days_late, RULE_ORDER[item.rule], item.action_id)


def build_digests(
    reminders: Sequence[PlannedReminder], directory: Directory, today: date
) -> tuple[Digest, ...]:
    """One digest per (recipient, channel), most overdue first; one per team channel."""
    groups: dict[tuple[str, str], list[PlannedReminder]] = defaultdict(list)
    team: dict[str, list[PlannedReminder]] = defaultdict(list)
    for item in reminders:
        if item.channel in TEAM_CHANNELS:
            team[item.channel].append(item)
        else:
            groups[(item.recipient, item.channel)].append(item)
    digests: list[Digest] = []
    for (recipient, _channel), items in sorted(groups.items()):
        items.sort(key=_sort_key)
        person = directory.resolve(recipient)
        digests.append(
            Digest(
                recipient=recipient,
                channel=items[0].channel,
                name=_display_name(items, recipient, directory),
                chat=person.chat,
                items=tuple(items),
                today=today,
            )
        )
    for _channel, items in sorted(team.items()):
        digests.append(_team_digest(items, directory, today))
    return tuple(digests)


def _team_digest(items: list[PlannedReminder], directory: Directory, today: date) -> Digest:
    """Everybody's reminders for one chat room: grouped by recipient, the most overdue first."""
    by_recipient: dict[str, list[PlannedReminder]] = defaultdict(list)
    for item in items:
        by_recipient[item.recipient].append(item)
    for group in by_recipient.values():
        group.sort(key=_sort_key)
    order = sorted(by_recipient, key=lambda r: (_sort_key(by_recipient[r][0]), r))
    people = tuple(
        Mention(r, _display_name(by_recipient[r], r, directory), directory.resolve(r).chat)
        for r in order
    )
    ordered = tuple(item for r in order for item in by_recipient[r])
    return Digest(TEAM, ordered[0].channel, TEAM, None, ordered, today, people)


def _display_name(items: Sequence[PlannedReminder], recipient: str, directory: Directory) -> str:
    """The owner's name as written on the action; else the [people] name; else the address."""
    for item in items:
        if item.rule != "escalation" and item.action.owner and "@" not in item.action.owner:
            return item.action.owner
    return directory.name_for(recipient)


def digest_for(digest: Digest, keep: Iterable[tuple[str, str, str, int, str]]) -> Digest:
    """The same digest restricted to the reminders this process claimed."""
    wanted = set(keep)
    items = tuple(item for item in digest.items if item.key in wanted)
    present = {item.recipient for item in items}
    people = tuple(p for p in digest.people if p.address in present)
    return Digest(
        digest.recipient, digest.channel, digest.name, digest.chat, items, digest.today, people
    )
