"""How a digest reads: subject, plain text, HTML, chat text and blocks, Jira comment. Pure.

User text (titles, incident names, owners) is escaped in HTML and in chat markup, so an action
called "<script>" or "*urgent*" arrives as written.
"""

from __future__ import annotations

import html
from typing import Any

from tracker.reminders.planner import Digest, PlannedReminder, Rule

PRODUCT = "capa-tracker"
# (rules, words) in the order the subject lists them.
_SUBJECT_PARTS: tuple[tuple[tuple[Rule, ...], str], ...] = (
    (("escalation",), "escalated"),
    (("overdue",), "overdue"),
    (("due_today",), "due today"),
    (("due_soon",), "due soon"),
    (("verification",), "awaiting verification"),
)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _days(n: int) -> str:
    return _plural(n, "day")


def subject(digest: Digest) -> str:
    """'capa-tracker: 2 actions overdue, 1 due soon'."""
    parts: list[str] = []
    for rules, words in _SUBJECT_PARTS:
        n = digest.count(*rules)
        if n:
            parts.append(f"{_plural(n, 'action') if not parts else n} {words}")
    return f"{PRODUCT}: {', '.join(parts) or 'nothing to report'}"


def status_line(item: PlannedReminder) -> str:
    """'3 days overdue (due 2026-03-02)' and friends: the state the reminder is about."""
    action = item.action
    if item.rule == "verification":
        verify_by = action.verify_by.isoformat() if action.verify_by else "?"
        return f"awaiting verification, {_days(item.days_late)} past verify-by {verify_by}"
    due = action.due_date.isoformat() if action.due_date else "?"
    if item.rule == "due_today":
        return f"due today ({due})"
    if item.rule == "due_soon":
        return f"due in {_days(-item.days_late)} ({due})"
    words = f"{_days(item.days_late)} overdue (due {due})"
    if item.rule == "escalation":
        owner = action.owner or "nobody"
        return f"escalated: {words}, owner {owner}"
    return words


def again_line(item: PlannedReminder) -> str | None:
    """'the failure happened again: #12 2026-11-20 Checkout outage' when a later incident
    resembles the action's own."""
    again = item.action.happened_again
    if again is None:
        return None
    day = f" {again.day.isoformat()}" if again.day else ""
    return f"the failure happened again: #{again.incident_id}{day} {again.title}"


def _jira_ref(item: PlannedReminder) -> str | None:
    action = item.action
    if action.jira_key and action.jira_url:
        return f"{action.jira_key} {action.jira_url}"
    return action.jira_key


def _intro(digest: Digest) -> str:
    if all(item.rule == "escalation" for item in digest.items):
        return "These actions are overdue long enough to be escalated to you:"
    return "These post-mortem actions need your attention:"


def _footer(digest: Digest) -> str:
    return (
        f"Sent by {PRODUCT} on {digest.today.isoformat()}. Update an action with "
        f"`{PRODUCT} update ID` or mark it done with `{PRODUCT} done ID`."
    )


def plain_text(digest: Digest) -> str:
    lines = [f"Hello {digest.name},", "", _intro(digest), ""]
    for item in digest.items:
        action = item.action
        lines.append(f"- #{action.id} {action.title}")
        lines.append(f"  {status_line(item)}")
        if action.incident_title:
            lines.append(f"  incident: {action.incident_title}")
        again = again_line(item)
        if again:
            lines.append(f"  {again}")
        ref = _jira_ref(item)
        if ref:
            lines.append(f"  jira: {ref}")
    lines += ["", _footer(digest), ""]
    return "\n".join(lines)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _safe_url(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("https://", "http://")) else None


def html_body(digest: Digest) -> str:
    rows: list[str] = []
    for item in digest.items:
        action = item.action
        url = _safe_url(action.jira_url)
        jira = ""
        if action.jira_key:
            key = _e(action.jira_key)
            jira = f'<a href="{_e(url)}">{key}</a>' if url else key
        incident = _e(action.incident_title) if action.incident_title else ""
        again = again_line(item)
        if again:
            incident += f"<br><strong>{_e(again)}</strong>"
        rows.append(
            "<tr>"
            f"<td>#{action.id}</td>"
            f"<td>{_e(action.title)}</td>"
            f"<td>{_e(status_line(item))}</td>"
            f"<td>{incident}</td>"
            f"<td>{jira}</td>"
            "</tr>"
        )
    return (
        "<!DOCTYPE html>\n<html><body>\n"
        f"<p>Hello {_e(digest.name)},</p>\n"
        f"<p>{_e(_intro(digest))}</p>\n"
        '<table border="1" cellpadding="4" cellspacing="0">\n'
        "<tr><th>Action</th><th>Title</th><th>State</th><th>Incident</th><th>Jira</th></tr>\n"
        + "\n".join(rows)
        + f"\n</table>\n<p><small>{_e(_footer(digest))}</small></p>\n</body></html>\n"
    )


def _mrkdwn(text: str) -> str:
    """Escape the three characters Slack's markup reserves."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _groups(digest: Digest) -> list[tuple[str, list[PlannedReminder]]]:
    """(mention, items) per recipient in the digest's order.

    The mention is the chat handle from [people] as configured (Slack needs "<@U024BE7LH>" to
    ping, Mattermost "@alice"), else the recipient's name, escaped. A person's own digest is a
    team digest with one person in it.
    """
    if not digest.people:
        return [(digest.chat or _mrkdwn(digest.name), list(digest.items))]
    mention = {p.address: p.chat or _mrkdwn(p.name) for p in digest.people}
    groups: dict[str, list[PlannedReminder]] = {p.address: [] for p in digest.people}
    for item in digest.items:
        groups.setdefault(item.recipient, []).append(item)
    return [(mention.get(r, _mrkdwn(r)), items) for r, items in groups.items() if items]


def _chat_line(item: PlannedReminder, *, link: bool) -> str:
    """One action; its Jira key as a Slack link in blocks, followed by the bare URL in text
    (which every Slack-compatible receiver turns into a link)."""
    action = item.action
    line = f"#{action.id} {_mrkdwn(action.title)} — {_mrkdwn(status_line(item))}"
    again = again_line(item)
    if again:
        line += f" — {_mrkdwn(again)}"
    url = _safe_url(action.jira_url)
    if action.jira_key:
        key = _mrkdwn(action.jira_key)
        if url:
            line += f" — <{url}|{key}>" if link else f" — {key} {url}"
        else:
            line += f" — {key}"
    return line


def chat_text(digest: Digest) -> str:
    """The plain 'text' field: readable in Slack, Mattermost and anything Slack-compatible.

    One post for the team: the subject, then each recipient mentioned above their actions.
    """
    lines = [_mrkdwn(subject(digest))]
    for mention, items in _groups(digest):
        lines.append(f"{mention}:")
        lines.extend(f"• {_chat_line(item, link=False)}" for item in items)
    return "\n".join(lines)


# Slack accepts at most 50 blocks per message: the header, 47 people, a "more" note.
_MAX_PEOPLE_BLOCKS = 47


def chat_blocks(digest: Digest) -> list[dict[str, Any]]:
    """Slack Block Kit blocks; receivers that do not know blocks show `text` instead."""
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{_mrkdwn(subject(digest))}*"}}
    ]
    groups = _groups(digest)
    for mention, items in groups[:_MAX_PEOPLE_BLOCKS]:
        lines = [f"{mention}:"] + [f"• {_chat_line(item, link=True)}" for item in items[:15]]
        if len(items) > 15:
            lines.append(f"…and {len(items) - 15} more")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    if len(groups) > _MAX_PEOPLE_BLOCKS:
        more = len(groups) - _MAX_PEOPLE_BLOCKS
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"…and {more} more people"}],
            }
        )
    return blocks


def jira_comment(item: PlannedReminder) -> str:
    """The comment left on the action's Jira issue."""
    again = again_line(item)
    return (
        f"Reminder from {PRODUCT} for {item.action.owner or 'the owner'}: "
        f"{status_line(item)}.{f' Note: {again}.' if again else ''} "
        "Please update the action or close it when done."
    )


def describe_plan_line(item: PlannedReminder) -> str:
    """One dry-run line: who would get what, where."""
    again = again_line(item)
    return (
        f"{item.channel:7} {item.recipient:30} {item.rule:12} #{item.action_id} {status_line(item)}"
        + (f" ({again})" if again else "")
    )
