"""The change kinds: what to ask the user, then what to save, one entry per kind.

Each kind's `ask` is a short dialogue (a dialog or two, shown through `ask`) that ends with
the `Change` to save, or None when the user cancelled. The app runs it in a worker and saves
the change through tracker.actions in another (tui/app.py `on_change_requested`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from sqlmodel import Session
from textual.screen import Screen

from tracker.actions import TRANSITIONS, ActionError, add_note, transition, update_action
from tracker.policy import parse_due
from tracker.vocabulary import default_verify_by
from tui.messages import BULK_KINDS, ActionRef
from tui.rows import STATUS_LABEL
from tui.safe_text import clean
from tui.screens.dialogs import ChoiceDialog, PromptDialog

T = TypeVar("T")
PRIORITIES = ("P0", "P1", "P2", "P3")


class Ask(Protocol):
    """Show a dialog and wait for its answer (App.push_screen_wait)."""

    def __call__(self, screen: Screen[T], /) -> Awaitable[T]: ...


@dataclass(frozen=True)
class ChangeEnv:
    """What the dialogues need to know besides the action."""

    today: date
    actor: str
    verify_after_days: int | None = None
    cursor_blink: bool = True
    # [policy] require_reason_for_extension: a later due date needs a reason.
    require_extension_reason: bool = True


@dataclass(frozen=True)
class Change:
    """One change, ready to run in its own transaction."""

    action_id: int | None  # None: several actions (a bulk change)
    summary: str
    apply: Callable[[Session], Any]


Dialogue = Callable[[ActionRef, ChangeEnv, Ask], Awaitable[Change | None]]


@dataclass(frozen=True)
class ChangeKind:
    label: str  # as the command palette offers it: "<label> of #12"
    ask: Dialogue


def _title(ref: ActionRef) -> str:
    return f"#{ref.id} {clean(ref.title)}"


def _update(
    ref: ActionRef,
    env: ChangeEnv,
    summary: str,
    fields: dict[str, Any],
    *,
    reason: str | None = None,
) -> Change:
    return Change(
        ref.id,
        summary,
        lambda s: update_action(
            s,
            ref.id,
            fields,
            actor=env.actor,
            source="tui",
            expected_version=ref.version,
            reason=reason,
            require_extension_reason=env.require_extension_reason,
        ),
    )


def _check_date(env: ChangeEnv) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        try:
            parse_due(text, env.today)
        except ValueError as exc:
            return str(exc)
        return None

    return check


async def _slip_reason(title: str, question: str, env: ChangeEnv, ask: Ask) -> str | None:
    """Why a due date moves later (kept with the slip); None when the user cancelled, "" when
    they gave none and the policy allows that."""
    reason = await ask(
        PromptDialog(
            title, question, required=env.require_extension_reason, cursor_blink=env.cursor_blink
        )
    )
    return None if reason is None else reason


def transition_change(
    ref: ActionRef, env: ChangeEnv, to: str, *, reason: str | None = None
) -> Change:
    verify_by = None
    if to == "done" and ref.verify_by is None:
        verify_by = default_verify_by(env.today, env.verify_after_days or 0)
    return Change(
        ref.id,
        f"#{ref.id} is now {STATUS_LABEL.get(to, to)}",
        lambda s: transition(
            s,
            ref.id,
            to,
            actor=env.actor,
            source="tui",
            reason=reason,
            expected_version=ref.version,
            verify_by=verify_by,
        ),
    )


async def _status(ref: ActionRef, env: ChangeEnv, ask: Ask) -> Change | None:
    allowed = sorted(TRANSITIONS.get(ref.status, ()))
    if not allowed:
        raise ActionError(f"#{ref.id} cannot change status from {ref.status}")
    to = await ask(
        ChoiceDialog(
            f"{_title(ref)}: {STATUS_LABEL.get(ref.status, ref.status)} →",
            [(s, STATUS_LABEL.get(s, s)) for s in allowed],
        )
    )
    if to is None:
        return None
    reason = None
    if to == "wont_do":
        reason = await ask(
            PromptDialog(
                _title(ref),
                "Why won't this be done? (kept in the history)",
                required=True,
                cursor_blink=env.cursor_blink,
            )
        )
        if not reason:
            return None
    return transition_change(ref, env, to, reason=reason)


async def _assign(ref: ActionRef, env: ChangeEnv, ask: Ask) -> Change | None:
    owner = await ask(
        PromptDialog(
            _title(ref),
            "Owner (name or e-mail; empty to unassign)",
            value=ref.owner or "",
            cursor_blink=env.cursor_blink,
        )
    )
    if owner is None:
        return None
    return _update(ref, env, f"#{ref.id} assigned to {owner or 'nobody'}", {"owner": owner or None})


def _date_dialogue(field: str, label: str, word: str) -> Dialogue:
    async def dialogue(ref: ActionRef, env: ChangeEnv, ask: Ask) -> Change | None:
        current: date | None = getattr(ref, field)
        text = await ask(
            PromptDialog(
                _title(ref),
                f"{label}: 2026-12-01, +14d, +2w, tomorrow, next friday",
                value=current.isoformat() if current else "",
                validate=_check_date(env),
                required=True,
                cursor_blink=env.cursor_blink,
            )
        )
        if not text:
            return None
        when = parse_due(text, env.today)
        reason = None
        if field == "due_date" and current is not None and when > current:
            # A slip: the reason is kept with it (and required by policy by default).
            reason = await _slip_reason(
                _title(ref), f"Why move the due date from {current} to {when}?", env, ask
            )
            if reason is None:
                return None
        return _update(ref, env, f"#{ref.id} {word} {when}", {field: when}, reason=reason or None)

    return dialogue


async def _priority(ref: ActionRef, env: ChangeEnv, ask: Ask) -> Change | None:
    chosen = await ask(
        ChoiceDialog(f"{_title(ref)}: priority", [(p, p) for p in PRIORITIES], current=ref.priority)
    )
    if not chosen:
        return None
    return _update(ref, env, f"#{ref.id} priority {chosen}", {"priority": chosen})


async def _note(ref: ActionRef, env: ChangeEnv, ask: Ask) -> Change | None:
    note = await ask(
        PromptDialog(_title(ref), "Note", required=True, cursor_blink=env.cursor_blink)
    )
    if not note:
        return None
    return Change(
        ref.id,
        f"#{ref.id} note added",
        lambda s: add_note(s, ref.id, note, actor=env.actor, source="tui"),
    )


async def _verify(ref: ActionRef, env: ChangeEnv, ask: Ask) -> Change | None:
    return transition_change(ref, env, "verified")


CHANGES: dict[str, ChangeKind] = {
    "status": ChangeKind("Change status", _status),
    "assign": ChangeKind("Assign owner", _assign),
    "due": ChangeKind("Set due date", _date_dialogue("due_date", "Due date", "due")),
    "priority": ChangeKind("Change priority", _priority),
    "note": ChangeKind("Add a note", _note),
    "verify_by": ChangeKind(
        "Set verify-by date", _date_dialogue("verify_by", "Verify by", "verify by")
    ),
    "verify": ChangeKind("Record verification", _verify),
}


# ---------------------------------------------------------------- several marked actions

BulkDialogue = Callable[[tuple[int, ...], ChangeEnv, Ask], Awaitable[Change | None]]


def _update_all(
    ids: tuple[int, ...],
    env: ChangeEnv,
    summary: str,
    fields: dict[str, Any],
    *,
    reason: str | None = None,
) -> Change:
    """One transaction for every marked action: all change or none does."""

    def apply(s: Session) -> None:
        for action_id in ids:
            update_action(
                s,
                action_id,
                fields,
                actor=env.actor,
                source="tui",
                reason=reason,
                require_extension_reason=env.require_extension_reason,
            )

    return Change(None, summary, apply)


async def _assign_all(ids: tuple[int, ...], env: ChangeEnv, ask: Ask) -> Change | None:
    owner = await ask(
        PromptDialog(
            f"{len(ids)} marked actions",
            "Owner of every marked action (empty to unassign)",
            cursor_blink=env.cursor_blink,
        )
    )
    if owner is None:
        return None
    return _update_all(
        ids, env, f"{len(ids)} actions assigned to {owner or 'nobody'}", {"owner": owner or None}
    )


async def _due_all(ids: tuple[int, ...], env: ChangeEnv, ask: Ask) -> Change | None:
    title = f"{len(ids)} marked actions"
    text = await ask(
        PromptDialog(
            title,
            "Due date of every marked action: 2026-12-01, +14d, next friday",
            validate=_check_date(env),
            required=True,
            cursor_blink=env.cursor_blink,
        )
    )
    if not text:
        return None
    when = parse_due(text, env.today)
    reason = await _slip_reason(
        title, "Why move the due dates? (kept with every one that moves later)", env, ask
    )
    if reason is None:
        return None
    return _update_all(
        ids, env, f"{len(ids)} actions due {when}", {"due_date": when}, reason=reason or None
    )


@dataclass(frozen=True)
class BulkChangeKind:
    label: str
    ask: BulkDialogue


# The changes that apply to every marked row at once (triage): space marks, a / d change.
BULK_CHANGES: dict[str, BulkChangeKind] = {
    "assign": BulkChangeKind("Assign every marked action", _assign_all),
    "due": BulkChangeKind("Reschedule every marked action", _due_all),
}
assert set(BULK_CHANGES) == BULK_KINDS
