"""The domain operations on incidents: correct, merge, delete. Each writes its events in the
same transaction as the change, so a refusal leaves nothing half-applied.

An incident is never removed from the database: `delete` and `merge` set `deleted_at` (and
`merged_into`) and retire its actions, whose history stays readable with `show`. A field a
person corrected is listed in `edited_fields`, and a re-import of the document keeps it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from tracker.actions import as_text
from tracker.errors import NotFoundError, RuleError, UserInputError
from tracker.models import Action, Event, ImportCandidate, Incident, utcnow

# Fields `incident update` may correct (the others come only from the document).
INCIDENT_FIELDS = ("title", "started_at", "ended_at", "duration_minutes", "impact", "root_cause")


def parse_when(text: str, tz: tzinfo, option: str) -> datetime:
    """ISO 8601 date and time; without a zone it is read in the policy time zone."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserInputError(
            f"{option}: {text!r} is not a date and time; use ISO 8601 like "
            "2026-01-11T14:00 or '2026-01-11 14:00+01:00'"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=tz)


_DURATION_RE = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*$", re.IGNORECASE)


def parse_minutes(text: str) -> int:
    """`90`, `90m`, `1h30m`, `2h` -> minutes."""
    raw = text.strip()
    if raw.isdigit():
        return int(raw)
    match = _DURATION_RE.match(raw)
    if not raw or match is None or not any(match.groups()):
        raise UserInputError(
            f"--duration: {text!r} is not a duration; use minutes (90) or hours and minutes (1h30m)"
        )
    hours, minutes = match.groups()
    return int(hours or 0) * 60 + int(minutes or 0)


def load_incident(session: Session, incident_id: int, *, live: bool = True) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFoundError(
            f"no incident #{incident_id}; `capa-tracker incident list` shows the incidents"
        )
    if live and incident.deleted_at is not None:
        how = f"merged into #{incident.merged_into}" if incident.merged_into else "deleted"
        raise RuleError(f"incident #{incident_id} was {how}; it cannot be changed")
    return incident


def _event(incident_id: int, actor: str, source: str, kind: str, **values: Any) -> Event:
    return Event(
        action_id=values.pop("action_id", None),
        incident_id=incident_id,
        at=utcnow(),
        actor=actor,
        source=source,
        kind=kind,
        **values,
    )


def update_incident(
    session: Session, incident_id: int, changes: Mapping[str, Any], *, actor: str, source: str
) -> dict[str, tuple[Any, Any]]:
    """Correct some fields; returns {field: (old, new)} for what really changed.

    When the start or end moves and no duration is given, the duration follows them."""
    unknown = sorted(set(changes) - set(INCIDENT_FIELDS))
    if unknown:
        raise UserInputError(f"unknown incident field {unknown[0]!r}")
    incident = load_incident(session, incident_id)
    wanted = dict(changes)
    if "title" in wanted and not str(wanted["title"] or "").strip():
        raise UserInputError("--title: an incident needs a title")
    if "title" in wanted:
        wanted["title"] = str(wanted["title"]).strip()
    if wanted.get("duration_minutes") is not None and wanted["duration_minutes"] < 0:
        raise UserInputError("--duration: must be zero or more")
    started = wanted.get("started_at", incident.started_at)
    ended = wanted.get("ended_at", incident.ended_at)
    if started is not None and ended is not None:
        if ended < started:
            raise UserInputError(
                f"the end ({ended.isoformat()}) is before the start ({started.isoformat()})"
            )
        moved = "started_at" in wanted or "ended_at" in wanted
        if moved and "duration_minutes" not in wanted:
            wanted["duration_minutes"] = int((ended - started).total_seconds() // 60)
    changed: dict[str, tuple[Any, Any]] = {}
    for name, new in wanted.items():
        old = getattr(incident, name)
        if _same(old, new):
            continue
        changed[name] = (old, new)
        session.add(
            _event(
                incident_id,
                actor,
                source,
                "change",
                field=name,
                old_value=as_text(old),
                new_value=as_text(new),
            )
        )
        setattr(incident, name, new)
    if changed:
        edited = set(json.loads(incident.edited_fields or "[]")) | set(changed)
        incident.edited_fields = json.dumps(sorted(edited))
        if "title" in changed:
            incident.title_key = " ".join(incident.title.lower().split())[:300]
        incident.updated_at = utcnow()
        session.flush()
    return changed


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old == new
    return bool(old == new)


def merge_incidents(
    session: Session, keep_id: int, gone_id: int, *, actor: str, source: str
) -> list[int]:
    """Move B's actions (and candidates) to A and retire B; returns the moved action ids."""
    if keep_id == gone_id:
        raise RuleError(f"cannot merge incident #{keep_id} into itself")
    keep = load_incident(session, keep_id)
    gone = load_incident(session, gone_id)
    now = utcnow()
    actions = list(
        session.execute(
            select(Action).where(col(Action.incident_id) == gone_id).order_by(col(Action.id))
        ).scalars()
    )
    for action in actions:
        action.incident_id = keep_id
        # It no longer belongs to a document: a re-import of A's leaves it alone.
        action.source_key = None
        action.version += 1
        action.updated_at = now
        session.add(
            _event(
                keep_id,
                actor,
                source,
                "change",
                action_id=action.id,
                field="incident",
                old_value=f"#{gone_id}",
                new_value=f"#{keep_id}",
                note=f"incident #{gone_id} merged into #{keep_id}",
            )
        )
    kept_keys = {
        key
        for (key,) in session.execute(
            select(col(ImportCandidate.measure_key)).where(
                col(ImportCandidate.incident_id) == keep_id
            )
        )
    }
    for c in session.execute(
        select(ImportCandidate).where(col(ImportCandidate.incident_id) == gone_id)
    ).scalars():
        if c.measure_key in kept_keys:
            session.delete(c)
        else:
            c.incident_id = keep_id
    gone.deleted_at, gone.merged_into, gone.updated_at = now, keep_id, now
    keep.updated_at = now
    note = f"#{gone_id} {gone.title!r} merged into #{keep_id}; {len(actions)} action(s) moved"
    session.add(_event(keep_id, actor, source, "merged", new_value=f"#{gone_id}", note=note))
    session.add(_event(gone_id, actor, source, "merged", new_value=f"#{keep_id}", note=note))
    session.flush()
    return [a.id or 0 for a in actions]


def delete_incident(session: Session, incident_id: int, *, actor: str, source: str) -> list[int]:
    """Retire the incident's actions (their history stays) and hide the incident; returns the
    retired action ids."""
    incident = load_incident(session, incident_id)
    now = utcnow()
    retired = []
    for action in session.execute(
        select(Action).where(col(Action.incident_id) == incident_id, col(Action.retired).is_(False))
    ).scalars():
        action.retired = True
        action.version += 1
        action.updated_at = now
        retired.append(action.id or 0)
        session.add(
            _event(
                incident_id,
                actor,
                source,
                "retired",
                action_id=action.id,
                note=f"incident #{incident_id} was deleted",
            )
        )
    incident.deleted_at, incident.updated_at = now, now
    session.add(
        _event(
            incident_id,
            actor,
            source,
            "deleted",
            old_value=incident.title,
            note=f"{len(retired)} action(s) retired",
        )
    )
    session.flush()
    return retired
