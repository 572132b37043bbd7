"""The reminder rules, with a controlled clock: given these actions and this day, who hears what.

March 2026 in New York: Mon 2, ..., Sat 7, Sun 8 (clocks go forward), Mon 9, ..., Fri 13.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.config import PersonSettings, ReminderSettings
from tracker.reminders.planner import (
    TEAM,
    ActionSnapshot,
    Directory,
    PlannedReminder,
    ReminderPlan,
    ReminderRules,
    plan_reminders,
    rules_from_settings,
)
from tracker.reminders.render import chat_blocks, chat_text, html_body, plain_text, subject

NY = ZoneInfo("America/New_York")
PEOPLE = {
    "alice": PersonSettings(email="alice@corp.test", chat="@alice", lead="carol"),
    "carol": PersonSettings(email="carol@corp.test"),
    "dave@corp.test": PersonSettings(email="dave@corp.test", lead="erin@corp.test"),
}
RULES = ReminderRules(due_soon_days=(0, 3), overdue_every_days=2, escalate_after_days=7)


def at(day: str, hour: int = 9) -> datetime:
    """9:00 local time in New York on that day."""
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=NY).replace(
        hour=hour
    )


def action(
    id: int = 1,
    *,
    due: str | None = "2026-03-13",
    owner: str | None = "alice",
    status: str = "open",
    verify_by: str | None = None,
    verified: bool = False,
    jira_key: str | None = None,
    title: str = "Add disk alerts",
) -> ActionSnapshot:
    return ActionSnapshot(
        id=id,
        title=title,
        owner=owner,
        due_date=date.fromisoformat(due) if due else None,
        status=status,
        verify_by=date.fromisoformat(verify_by) if verify_by else None,
        verified_at=datetime(2026, 3, 1, tzinfo=UTC) if verified else None,
        jira_key=jira_key,
        jira_url=f"https://jira.test/browse/{jira_key}" if jira_key else None,
        incident_title="Checkout outage",
    )


def plan(
    actions: list[ActionSnapshot],
    now: datetime,
    rules: ReminderRules = RULES,
    people: dict[str, PersonSettings] = PEOPLE,
) -> ReminderPlan:
    return plan_reminders(actions, rules, now, NY, Directory(people, "example.com"))


def brief(reminders: tuple[PlannedReminder, ...]) -> list[tuple[int, str, str, str]]:
    return [(r.action_id, r.recipient, r.rule, r.window) for r in reminders]


# --- due soon / due today -------------------------------------------------------------


def test_due_soon_starts_at_the_first_offset_and_due_today_on_the_day() -> None:
    a = action(due="2026-03-13")  # a Friday
    assert plan([a], at("2026-03-09")).reminders == ()  # 4 days left: nothing yet
    tuesday = plan([a], at("2026-03-10")).reminders
    assert brief(tuesday) == [(1, "alice@corp.test", "due_soon", "2026-03-13/d3")]
    assert tuesday[0].days_late == -3
    # Wednesday re-plans the same reminder (same key): the sender makes it a no-op.
    assert brief(plan([a], at("2026-03-11")).reminders) == brief(tuesday)
    friday = plan([a], at("2026-03-13")).reminders
    assert brief(friday) == [(1, "alice@corp.test", "due_today", "2026-03-13/d0")]


def test_a_threshold_on_the_weekend_is_sent_on_monday() -> None:
    a = action(due="2026-03-10")  # Tuesday; 3 days before is Saturday
    saturday = plan([a], at("2026-03-07"))
    assert saturday.reminders == ()
    assert saturday.quiet_reason == "SAT is a quiet day"
    assert plan([a], at("2026-03-08")).reminders == ()
    monday = plan([a], at("2026-03-09")).reminders
    assert brief(monday) == [(1, "alice@corp.test", "due_soon", "2026-03-10/d3")]
    assert monday[0].days_late == -1


def test_a_due_date_on_the_weekend_is_announced_on_the_last_working_day_before_it() -> None:
    a = action(due="2026-03-15")  # Sunday
    thursday = plan([a], at("2026-03-12")).reminders
    assert brief(thursday) == [(1, "alice@corp.test", "due_soon", "2026-03-15/d3")]
    # The "due today" notice would fall on Sunday and Monday is too late: Friday gets it.
    friday = plan([a], at("2026-03-13")).reminders
    assert brief(friday) == [(1, "alice@corp.test", "due_soon", "2026-03-15/d0")]
    # Monday it is overdue, which is its own rule.
    assert [r.rule for r in plan([a], at("2026-03-16")).reminders] == ["overdue"]


def test_holidays_are_quiet_and_move_reminders_like_weekends() -> None:
    rules = ReminderRules(due_soon_days=(0,), holidays=frozenset({date(2026, 3, 10)}))
    a = action(due="2026-03-10")
    holiday = plan([a], at("2026-03-10"), rules)
    assert holiday.reminders == ()
    assert holiday.quiet_reason == "2026-03-10 is a holiday"
    assert brief(plan([a], at("2026-03-09"), rules).reminders) == [
        (1, "alice@corp.test", "due_soon", "2026-03-10/d0")
    ]


def test_configured_quiet_days_replace_the_weekend() -> None:
    rules = ReminderRules(due_soon_days=(0,), quiet_weekdays=frozenset({4}))  # Fridays off
    a = action(due="2026-03-13")  # Friday
    assert plan([a], at("2026-03-13"), rules).quiet_reason == "FRI is a quiet day"
    assert [r.rule for r in plan([a], at("2026-03-12"), rules).reminders] == ["due_soon"]
    assert [r.rule for r in plan([a], at("2026-03-14"), rules).reminders] == ["overdue"]


def test_a_missed_run_is_caught_up_with_the_most_urgent_threshold_only() -> None:
    a = action(due="2026-03-13")
    # No run on Tue-Thu; on Friday only "due today" goes out, not also the 3-day notice.
    assert [r.window for r in plan([a], at("2026-03-13")).reminders] == ["2026-03-13/d0"]


# --- overdue, escalation, verification -------------------------------------------------


def test_overdue_repeats_once_per_period() -> None:
    a = action(due="2026-03-02", owner="bob")
    rules = ReminderRules(overdue_every_days=2, escalate_after_days=30)
    windows: dict[str, str] = {}
    day = date(2026, 3, 3)
    while day <= date(2026, 3, 13):
        for r in plan([a], at(day.isoformat()), rules).reminders:
            windows.setdefault(r.window, day.isoformat())
        day += timedelta(days=1)
    # Periods of 2 days since the due date; the weekend period (days 5-6 late: Sat 7, Sun 8)
    # has no working day and is skipped; every other period is reminded on its first day.
    assert windows == {
        "2026-03-02/o0": "2026-03-03",
        "2026-03-02/o1": "2026-03-05",
        "2026-03-02/o3": "2026-03-09",
        "2026-03-02/o4": "2026-03-11",
        "2026-03-02/o5": "2026-03-13",
    }


def test_escalation_goes_to_the_owners_lead_after_the_threshold_and_repeats() -> None:
    a = action(due="2026-03-02")
    assert [r.rule for r in plan([a], at("2026-03-06")).reminders] == ["overdue"]  # 4 days
    monday = plan([a], at("2026-03-09")).reminders  # 7 days overdue
    escalations = [r for r in monday if r.rule == "escalation"]
    assert brief(tuple(escalations)) == [(1, "carol@corp.test", "escalation", "2026-03-02/e0")]
    assert escalations[0].owner_address == "alice@corp.test"
    later = [r for r in plan([a], at("2026-03-16")).reminders if r.rule == "escalation"]
    assert [r.window for r in later] == ["2026-03-02/e1"]


def test_escalation_falls_back_to_the_escalation_address_or_nobody() -> None:
    rules = ReminderRules(escalate_after_days=7, escalation_address="sre-leads@corp.test")
    bob = action(due="2026-03-02", owner="bob")  # not in [people]: no lead
    assert ("escalation", "sre-leads@corp.test") in {
        (r.rule, r.recipient) for r in plan([bob], at("2026-03-09"), rules).reminders
    }
    assert "escalation" not in {r.rule for r in plan([bob], at("2026-03-09")).reminders}


def test_a_lead_given_by_address_and_a_person_keyed_by_address() -> None:
    dave = action(due="2026-03-02", owner="dave@corp.test")
    got = {(r.rule, r.recipient) for r in plan([dave], at("2026-03-09")).reminders}
    assert got == {("overdue", "dave@corp.test"), ("escalation", "erin@corp.test")}


def test_verification_reminder_for_done_actions_past_verify_by() -> None:
    done = action(status="done", due="2026-02-01", verify_by="2026-03-05")
    assert plan([done], at("2026-03-05")).reminders == ()  # the day itself has not passed
    got = plan([done], at("2026-03-06")).reminders
    assert brief(got) == [(1, "alice@corp.test", "verification", "2026-03-05/v0")]
    verified = action(status="done", verify_by="2026-03-05", verified=True)
    assert plan([verified], at("2026-03-06")).reminders == ()
    off = ReminderRules(verification_reminders=False)
    assert plan([done], at("2026-03-06"), off).reminders == ()


@pytest.mark.parametrize("status", ["verified", "wont_do", "done"])
def test_closed_actions_get_no_due_date_reminders(status: str) -> None:
    assert plan([action(due="2026-03-02", status=status)], at("2026-03-09")).reminders == ()


def test_blocked_counts_as_open_and_no_due_date_means_no_reminder() -> None:
    got = plan([action(due="2026-03-06", status="blocked"), action(2, due=None)], at("2026-03-09"))
    assert [(r.action_id, r.rule) for r in got.reminders] == [(1, "overdue")]


# --- owners and recipients -------------------------------------------------------------


def test_owner_names_map_through_people_and_the_default_domain() -> None:
    actions = [
        action(1, owner="alice", due="2026-03-06"),
        action(2, owner="bob", due="2026-03-06"),
        action(3, owner="Zed@Other.test", due="2026-03-06"),
    ]
    recipients = {r.action_id: r.recipient for r in plan(actions, at("2026-03-09")).reminders}
    assert recipients == {1: "alice@corp.test", 2: "bob@example.com", 3: "Zed@Other.test"}


def test_unowned_actions_go_to_the_escalation_address_or_are_reported() -> None:
    a = action(owner=None, due="2026-03-06")
    reported = plan([a], at("2026-03-09"))
    assert reported.reminders == ()
    assert reported.unowned == (1,)
    rules = ReminderRules(escalation_address="sre-leads@corp.test")
    routed = plan([a], at("2026-03-09"), rules)
    assert brief(routed.reminders) == [(1, "sre-leads@corp.test", "overdue", "2026-03-06/o1")]
    assert routed.unowned == ()


# --- digests --------------------------------------------------------------------------


def test_one_digest_per_recipient_most_overdue_first_with_jira_links() -> None:
    actions = [
        action(1, due="2026-03-12", title="Due soon one"),
        action(2, due="2026-03-04", title="Older", jira_key="OPS-2"),
        action(3, due="2026-03-06", title="Newer"),
        action(4, due="2026-03-05", owner="bob", title="Bob's"),
    ]
    got = plan(actions, at("2026-03-09"))
    assert [(d.recipient, d.channel) for d in got.digests] == [
        ("alice@corp.test", "email"),
        ("bob@example.com", "email"),
    ]
    alice = got.digests[0]
    assert [i.action_id for i in alice.items] == [2, 3, 1]
    assert subject(alice) == "capa-tracker: 2 actions overdue, 1 due soon"
    text = plain_text(alice)
    assert text.startswith("Hello alice,")
    assert "jira: OPS-2 https://jira.test/browse/OPS-2" in text
    assert text.index("Older") < text.index("Newer") < text.index("Due soon one")
    assert subject(got.digests[1]) == "capa-tracker: 1 action overdue"


def test_the_lead_gets_an_escalation_digest_of_their_own() -> None:
    got = plan([action(due="2026-03-02")], at("2026-03-09"))
    carol = next(d for d in got.digests if d.recipient == "carol@corp.test")
    assert subject(carol) == "capa-tracker: 1 action escalated"
    assert "Hello carol," in plain_text(carol)
    assert "escalated: 7 days overdue (due 2026-03-02), owner alice" in plain_text(carol)


def test_each_channel_gets_its_own_digest_and_jira_only_for_linked_actions() -> None:
    rules = ReminderRules(channels=("email", "webhook", "jira"))
    actions = [action(1, due="2026-03-06", jira_key="OPS-1"), action(2, due="2026-03-06")]
    got = plan(actions, at("2026-03-09"), rules)
    by_channel = {d.channel: [i.action_id for i in d.items] for d in got.digests}
    assert by_channel == {"email": [1, 2], "webhook": [1, 2], "jira": [1]}
    webhook = next(d for d in got.digests if d.channel == "webhook")
    assert webhook.recipient == TEAM
    assert [(p.address, p.chat) for p in webhook.people] == [("alice@corp.test", "@alice")]


def test_the_chat_webhook_gets_one_team_digest_with_every_recipient_mentioned() -> None:
    rules = ReminderRules(channels=("email", "webhook"), escalate_after_days=7)
    actions = [
        action(1, due="2026-03-02", owner="alice"),  # 7 days overdue: carol is told too
        action(2, due="2026-03-06", owner="bob"),
        action(3, due="2026-03-09", owner="alice"),
    ]
    got = plan(actions, at("2026-03-09"), rules)
    [team] = [d for d in got.digests if d.channel == "webhook"]
    assert [d.recipient for d in got.digests if d.channel == "email"] == [
        "alice@corp.test",
        "bob@example.com",
        "carol@corp.test",
    ]
    # Most urgent first, each recipient's reminders together.
    assert [(i.recipient, i.action_id, i.rule) for i in team.items] == [
        ("carol@corp.test", 1, "escalation"),
        ("alice@corp.test", 1, "overdue"),
        ("alice@corp.test", 3, "due_today"),
        ("bob@example.com", 2, "overdue"),
    ]
    text = chat_text(team)
    assert text.splitlines()[0] == "capa-tracker: 1 action escalated, 2 overdue, 1 due today"
    assert "@alice:\n• #1 Add disk alerts — 7 days overdue (due 2026-03-02)\n• #3" in text
    assert "carol:\n• #1 Add disk alerts — escalated: 7 days overdue" in text
    assert "bob:\n• #2" in text
    blocks = chat_blocks(team)
    assert [b["text"]["text"].split(":")[0] for b in blocks[1:]] == ["carol", "@alice", "bob"]


@pytest.mark.parametrize("owner", ["@tomasz", "Ana Ferreira", "tomasz@"])
def test_an_owner_who_is_not_an_address_is_skipped_and_named(owner: str) -> None:
    rules = ReminderRules(channels=("email", "webhook"), escalate_after_days=7)
    actions = [
        action(1, due="2026-03-02", owner=owner),
        action(2, due="2026-03-06"),
        action(3, due="2026-03-06", owner=owner),
    ]
    got = plan(actions, at("2026-03-09"), rules)
    assert got.unreachable == ((owner, (1, 3)),)
    assert {r.action_id for r in got.reminders} == {2}
    assert all("@" in r.recipient and " " not in r.recipient for r in got.reminders)


def test_a_lead_who_is_not_an_address_gets_no_escalation_but_is_named() -> None:
    people = {"alice": PersonSettings(email="alice@corp.test", lead="Carol Smith")}
    directory = Directory(people, "corp.test")
    rules = ReminderRules(escalate_after_days=7)
    got = plan_reminders([action(1, due="2026-03-02")], rules, at("2026-03-09"), NY, directory)
    assert [(r.recipient, r.rule) for r in got.reminders] == [("alice@corp.test", "overdue")]
    assert got.unreachable == (("Carol Smith@corp.test", (1,)),)


def test_user_text_is_escaped_in_html() -> None:
    got = plan([action(title="<script>alert(1)</script> & co")], at("2026-03-13"))
    body = html_body(got.digests[0])
    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in body


# --- clock and timezone ----------------------------------------------------------------


def test_the_day_is_the_configured_timezones_day_across_the_dst_change() -> None:
    a = action(due="2026-03-06")
    # 04:30 UTC on Monday 9 March is 00:30 EDT (UTC-4, clocks went forward on Sunday): Monday.
    monday = plan([a], datetime(2026, 3, 9, 4, 30, tzinfo=UTC))
    assert monday.today == date(2026, 3, 9)
    assert [r.days_late for r in monday.reminders] == [3]
    # 03:30 UTC is still Sunday 23:30 EDT: a quiet day.
    assert plan([a], datetime(2026, 3, 9, 3, 30, tzinfo=UTC)).quiet_reason == "SUN is a quiet day"
    # A week earlier, under EST (UTC-5), 04:30 UTC is still Sunday evening.
    assert plan([a], datetime(2026, 3, 2, 4, 30, tzinfo=UTC)).today == date(2026, 3, 1)
    # Across the change the overdue count is in calendar days, not 24-hour blocks.
    friday_eve = plan([a], at("2026-03-06", 23))
    assert [r.rule for r in friday_eve.reminders] == ["due_today"]  # not overdue yet
    assert [r.days_late for r in plan([a], at("2026-03-09", 0)).reminders] == [3]


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        plan([action()], datetime(2026, 3, 9, 9, 0))  # noqa: DTZ001


def test_rules_from_settings() -> None:
    settings = ReminderSettings(
        due_soon_days=[3, 0, 3],
        quiet_days=["fri", "Saturday"],
        holidays=[date(2026, 12, 25)],  # the older form of [reminders.holidays] dates
        channels=["email", "log"],
        escalation_address="",
    )
    rules = rules_from_settings(settings, holidays=[date(2026, 11, 26)])
    assert rules.due_soon_days == (0, 3)
    assert rules.quiet_weekdays == frozenset({4, 5})
    assert rules.holidays == frozenset({date(2026, 12, 25), date(2026, 11, 26)})
    assert rules.channels == ("email", "log")
    assert rules.escalation_address is None
    assert rules.default_domain == "example.com"
