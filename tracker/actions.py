"""The domain operations on actions: create, update, transition, assign, note, history.

Every change goes through here, so that the transition rules hold everywhere and every change
writes its Event in the same transaction as the change itself. Functions take a Session and
return plain `ActionView`s; live ORM objects never leave this module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import update
from sqlmodel import Session, col, select

from tracker.errors import EXIT_FAILED, ConflictError, NotFoundError, RuleError
from tracker.models import Action, ActionExtension, Event, Incident, utcnow
from tracker.vocabulary import CLOSED_STATUSES, KINDS, PRIORITIES, REASON_STATUSES, STATUSES

# from-status -> statuses it may move to. One table, used by the CLI, the dashboard and sync.
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress", "blocked", "done", "wont_do"}),
    "in_progress": frozenset({"open", "blocked", "done", "wont_do"}),
    "blocked": frozenset({"open", "in_progress", "done", "wont_do"}),
    "done": frozenset({"verified", "open", "in_progress"}),
    "verified": frozenset({"open"}),
    "wont_do": frozenset({"open"}),
}
CLOSED = frozenset(CLOSED_STATUSES)
# Fields a person may edit directly; status goes through transition().
EDITABLE = (
    "title",
    "description",
    "kind",
    "priority",
    "owner",
    "team",
    "due_date",
    "verify_by",
    "tracking_ref",
)
# Fields that a re-import may refresh unless a person has edited them.
DOCUMENT_FIELDS = ("title", "description", "kind", "priority", "owner", "due_date", "tracking_ref")
PEOPLE_SOURCES = frozenset({"cli", "tui", "jira", "api"})


class ActionError(RuleError):
    """A domain rule refused the operation (exit 2); the message says why and what to do."""


class ActionNotFound(ActionError, NotFoundError):
    """No action has that id."""


class TransitionRefused(ActionError):
    """The status change is not allowed from the current status, or lacks its reason."""


class ExtensionNeedsReason(ActionError):
    """A due date moved later without saying why, while the policy asks for a reason."""


class StaleAction(ActionError, ConflictError):
    """Someone else changed the action since it was read (exit 1: reload and retry)."""

    exit_code = EXIT_FAILED


class ActionView(BaseModel):
    """The public shape of an action (also the JSON the CLI prints)."""

    id: int
    incident_id: int | None
    incident_title: str | None = None
    title: str
    description: str
    kind: str
    priority: str
    owner: str | None
    team: str | None
    due_date: date | None
    status: str
    status_reason: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    jira_key: str | None
    tracking_ref: str | None
    verify_by: date | None
    verified_at: datetime | None
    verified_by: str | None
    retired: bool
    version: int


class EventView(BaseModel):
    id: int
    action_id: int | None
    at: datetime
    actor: str
    source: str
    kind: str
    field: str | None
    old_value: str | None
    new_value: str | None
    note: str | None


def view(action: Action, incident_title: str | None = None) -> ActionView:
    data = action.model_dump()
    data["incident_title"] = incident_title
    return ActionView.model_validate(data)


def as_text(value: Any) -> str | None:
    """How a field value is written into the history."""
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _event(
    session: Session,
    action: Action,
    *,
    actor: str,
    source: str,
    kind: str = "change",
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    note: str | None = None,
    at: datetime | None = None,
) -> None:
    session.add(
        Event(
            action_id=action.id,
            incident_id=action.incident_id,
            at=at or utcnow(),
            actor=actor,
            source=source,
            kind=kind,
            field=field,
            old_value=as_text(old),
            new_value=as_text(new),
            note=note,
        )
    )


def validate_fields(changes: Mapping[str, Any]) -> None:
    """Refuse values the domain does not know, with the accepted ones in the message."""
    if "kind" in changes and changes["kind"] not in KINDS:
        raise ActionError(f"unknown kind {changes['kind']!r}; use one of {', '.join(KINDS)}")
    if "priority" in changes and changes["priority"] not in PRIORITIES:
        raise ActionError(
            f"unknown priority {changes['priority']!r}; use one of {', '.join(PRIORITIES)}"
        )
    if "title" in changes and not str(changes["title"] or "").strip():
        raise ActionError("an action needs a title")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ActionError(
            f"{unknown[0]!r} cannot be changed this way; editable: {', '.join(EDITABLE)}"
        )


def _load(session: Session, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None:
        raise ActionNotFound(f"no action #{action_id}; `capa-tracker list` shows the ids")
    return action


def _load_for_write(session: Session, action_id: int, expected_version: int | None) -> Action:
    """Lock the row (PostgreSQL: FOR UPDATE; SQLite's writers are already serialised) so that a
    blind write waits for a concurrent one instead of failing, then check the caller's version."""
    action = session.get(Action, action_id, with_for_update=True, populate_existing=True)
    if action is None:
        raise ActionNotFound(f"no action #{action_id}; `capa-tracker list` shows the ids")
    if expected_version is not None and action.version != expected_version:
        raise StaleAction(
            f"action #{action_id} was changed meanwhile (version {action.version}, you had "
            f"{expected_version}); reload it and try again"
        )
    return action


def _bump(session: Session, action: Action, expected_version: int | None) -> None:
    """Optimistic concurrency: the write only lands if nobody wrote since we read."""
    seen = action.version if expected_version is None else expected_version
    now = utcnow()
    result = session.execute(
        update(Action)
        .where(col(Action.id) == action.id, col(Action.version) == seen)
        .values(version=seen + 1, updated_at=now)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleAction(f"action #{action.id} was changed meanwhile; reload it and try again")
    action.version = seen + 1
    action.updated_at = now


def incident_title(session: Session, incident_id: int | None) -> str | None:
    if incident_id is None:
        return None
    incident = session.get(Incident, incident_id)
    return incident.title if incident else None


def get_action(session: Session, action_id: int) -> ActionView:
    action = _load(session, action_id)
    return view(action, incident_title(session, action.incident_id))


def create_action(
    session: Session,
    *,
    title: str,
    actor: str,
    source: str = "cli",
    incident_id: int | None = None,
    description: str = "",
    kind: str = "corrective",
    priority: str = "P2",
    owner: str | None = None,
    team: str | None = None,
    due_date: date | None = None,
    tracking_ref: str | None = None,
    source_key: str | None = None,
    status: str = "open",
    note: str | None = None,
) -> ActionView:
    """Create an action and its `created` event."""
    validate_fields({"title": title, "kind": kind, "priority": priority})
    if status not in TRANSITIONS:
        raise ActionError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    if incident_id is not None and session.get(Incident, incident_id) is None:
        raise ActionError(f"no incident {incident_id}; `capa-tracker incidents` lists them")
    now = utcnow()
    action = Action(
        incident_id=incident_id,
        title=title.strip(),
        description=description,
        kind=kind,
        priority=priority,
        owner=owner or None,
        team=team or None,
        due_date=due_date,
        status=status,
        tracking_ref=tracking_ref,
        source_key=source_key,
        created_at=now,
        updated_at=now,
        closed_at=now if status in CLOSED else None,
    )
    session.add(action)
    session.flush()
    _event(session, action, actor=actor, source=source, kind="created", new=action.title, note=note)
    return view(action, incident_title(session, incident_id))


def update_action(
    session: Session,
    action_id: int,
    changes: Mapping[str, Any],
    *,
    actor: str,
    source: str = "cli",
    expected_version: int | None = None,
    note: str | None = None,
    reason: str | None = None,
    require_extension_reason: bool = False,
) -> ActionView:
    """Change editable fields; one event per changed field. No-op changes write nothing.

    A due date moved later is a slip: it is recorded in `action_extension` with `reason`, and
    refused without a reason when `require_extension_reason` (policy) is set.
    """
    validate_fields(changes)
    action = _load_for_write(session, action_id, expected_version)
    changed = {k: v for k, v in changes.items() if getattr(action, k) != v}
    if not changed:
        return view(action, incident_title(session, action.incident_id))
    reason = reason.strip() if reason and reason.strip() else None
    new_due = changed.get("due_date")
    if action.due_date is not None and new_due is not None and new_due > action.due_date:
        if require_extension_reason and reason is None:
            raise ExtensionNeedsReason(
                f"action #{action_id}: moving the due date later ({action.due_date} -> "
                f'{new_due}) needs a reason (--reason "...")'
            )
        session.add(
            ActionExtension(
                action_id=action_id,
                at=utcnow(),
                actor=actor,
                source=source,
                old_due=action.due_date,
                new_due=new_due,
                days_added=(new_due - action.due_date).days,
                reason=reason,
            )
        )
    edited = set(json.loads(action.edited_fields))
    for field, new in changed.items():
        _event(
            session,
            action,
            actor=actor,
            source=source,
            field=field,
            old=getattr(action, field),
            new=new,
            note=reason if field == "due_date" and reason else note,
        )
        setattr(action, field, new)
        if source in PEOPLE_SOURCES and field in DOCUMENT_FIELDS:
            edited.add(field)
    action.edited_fields = json.dumps(sorted(edited))
    _bump(session, action, expected_version)
    return view(action, incident_title(session, action.incident_id))


def transition(
    session: Session,
    action_id: int,
    to: str,
    *,
    actor: str,
    source: str = "cli",
    reason: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    verify_by: date | None = None,
) -> ActionView:
    """Move an action along the allowed transitions; `wont_do` needs a reason."""
    if to not in TRANSITIONS:
        raise ActionError(f"unknown status {to!r}; use one of {', '.join(STATUSES)}")
    action = _load_for_write(session, action_id, expected_version)
    if action.status == to:
        return view(action, incident_title(session, action.incident_id))
    allowed = TRANSITIONS[action.status]
    if to not in allowed:
        raise TransitionRefused(
            f"action #{action_id} is {action.status}; it can move to {', '.join(sorted(allowed))}, not {to}"
        )
    if to == "wont_do" and not (reason and reason.strip()):
        raise TransitionRefused('wont_do needs a reason (--reason "...")')
    now = utcnow()
    _event(
        session,
        action,
        actor=actor,
        source=source,
        field="status",
        old=action.status,
        new=to,
        note=reason or note,
    )
    if note and reason:
        _event(session, action, actor=actor, source=source, kind="note", note=note)
    action.status = to
    action.status_reason = reason if to in REASON_STATUSES else None
    if to in CLOSED and action.closed_at is None:
        action.closed_at = now
    if to not in CLOSED:
        action.closed_at = None
        action.verified_at = None
        action.verified_by = None
    if to == "verified":
        action.verified_at = now
        action.verified_by = actor
    if verify_by is not None and verify_by != action.verify_by:
        _event(
            session,
            action,
            actor=actor,
            source=source,
            field="verify_by",
            old=action.verify_by,
            new=verify_by,
        )
        action.verify_by = verify_by
    _bump(session, action, expected_version)
    return view(action, incident_title(session, action.incident_id))


def add_note(
    session: Session, action_id: int, text: str, *, actor: str, source: str = "cli"
) -> ActionView:
    if not text.strip():
        raise ActionError("a note cannot be empty")
    action = _load_for_write(session, action_id, None)
    _event(session, action, actor=actor, source=source, kind="note", note=text)
    _bump(session, action, None)
    return view(action, incident_title(session, action.incident_id))


def history(session: Session, action_id: int) -> list[EventView]:
    _load(session, action_id)
    rows = session.exec(select(Event).where(Event.action_id == action_id).order_by(col(Event.id)))
    return [EventView.model_validate(e.model_dump()) for e in rows]


def record_event(
    session: Session,
    action_id: int,
    *,
    kind: str,
    actor: str,
    source: str,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    note: str | None = None,
) -> None:
    """Append an event that is not a field change made here (e.g. a sync conflict)."""
    _event(
        session,
        _load(session, action_id),
        actor=actor,
        source=source,
        kind=kind,
        field=field,
        old=old,
        new=new,
        note=note,
    )


class ExtensionView(BaseModel):
    at: datetime
    actor: str
    source: str
    old_due: date
    new_due: date
    days_added: int
    reason: str | None


def extensions(session: Session, action_id: int) -> list[ExtensionView]:
    """Every time the action's due date moved later, oldest first."""
    rows = session.exec(
        select(ActionExtension)
        .where(ActionExtension.action_id == action_id)
        .order_by(col(ActionExtension.id))
    )
    return [ExtensionView.model_validate(e.model_dump()) for e in rows]
