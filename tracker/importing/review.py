"""Candidates: the measures the importer was not sure of, waiting for a person.

Accepting one creates an action (with its `created` event, source `cli` or `tui`) keyed like
an imported measure, so that the next import of the document refreshes it instead of adding
it again. Rejecting one records an incident event; a re-import never brings it back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from tracker.errors import NotFoundError, RuleError
from tracker.importing.store import ImportPolicy, measure_key
from tracker.models import Action, Event, ImportCandidate, utcnow
from tracker.policy import due_date_for

CANDIDATE_STATUSES = ("pending", "accepted", "rejected")


def candidate_json(c: ImportCandidate) -> dict[str, Any]:
    return {
        "id": c.id,
        "key": c.measure_key,
        "title": c.title,
        "confidence": round(float(c.confidence), 3),
        "reason": c.reason,
        "section": c.section,
        "kind": c.kind,
        "status": c.status,
        "action_id": c.action_id,
    }


def candidates_of(
    session: Session, incident_ids: Iterable[int], *, status: str | None = None
) -> list[ImportCandidate]:
    stmt = select(ImportCandidate).where(col(ImportCandidate.incident_id).in_(list(incident_ids)))
    if status is not None:
        stmt = stmt.where(col(ImportCandidate.status) == status)
    return list(session.execute(stmt.order_by(col(ImportCandidate.id))).scalars())


def _pending(session: Session, candidate_id: int) -> ImportCandidate:
    c = session.get(ImportCandidate, candidate_id)
    if c is None:
        raise NotFoundError(f"no candidate #{candidate_id}")
    if c.status != "pending":
        raise RuleError(f"candidate #{candidate_id} was already {c.status}")
    return c


def accept_candidate(
    session: Session,
    candidate_id: int,
    policy: ImportPolicy,
    *,
    source: str,
    title: str | None = None,
) -> int:
    """Make the candidate an action (title optionally corrected); returns the action id."""
    c = _pending(session, candidate_id)
    now = utcnow()
    new_title = (title or "").strip() or c.title
    priority = c.priority or policy.default_priority
    action = Action(
        incident_id=c.incident_id,
        title=new_title,
        description=c.description,
        kind=c.kind,
        priority=priority,
        owner=c.owner,
        due_date=c.due_date or due_date_for(priority, policy.today, policy.due_days),
        tracking_ref=c.tracking_ref,
        status="open",
        created_at=now,
        updated_at=now,
        # The document's key, so that a re-import finds this action again.
        source_key=c.measure_key,
        # An edited title is the person's: a re-import keeps it.
        edited_fields='["title"]' if new_title != c.title else "[]",
    )
    session.add(action)
    session.flush()
    c.status, c.action_id, c.decided_at, c.decided_by = "accepted", action.id, now, policy.actor
    note = f"accepted from the import's candidates (confidence {c.confidence:.2f}"
    note += f"; {c.reason})" if c.reason else ")"
    session.add(
        Event(
            action_id=action.id,
            incident_id=c.incident_id,
            at=now,
            actor=policy.actor,
            source=source,
            kind="created",
            new_value=new_title,
            note=note,
        )
    )
    session.flush()
    assert action.id is not None
    return action.id


def reject_candidate(session: Session, candidate_id: int, *, actor: str, source: str) -> None:
    c = _pending(session, candidate_id)
    now = utcnow()
    c.status, c.decided_at, c.decided_by = "rejected", now, actor
    session.add(
        Event(
            action_id=None,
            incident_id=c.incident_id,
            at=now,
            actor=actor,
            source=source,
            kind="rejected",
            old_value=c.title,
            note="not a measure; a re-import keeps it out",
        )
    )
    session.flush()


def accept_by_key(
    session: Session, incident_id: int, keys: Iterable[str], policy: ImportPolicy, *, source: str
) -> list[int]:
    """Accept the incident's pending candidates with these measure keys (the dashboard's
    ticked boxes, chosen on a dry run's preview)."""
    wanted = set(keys)
    return [
        accept_candidate(session, c.id or 0, policy, source=source)
        for c in candidates_of(session, [incident_id], status="pending")
        if c.measure_key in wanted
    ]


__all__ = [
    "CANDIDATE_STATUSES",
    "accept_by_key",
    "accept_candidate",
    "candidate_json",
    "candidates_of",
    "measure_key",
    "reject_candidate",
]
