"""Apply a parsed post-mortem to the database: create, refresh or retire its actions.

Identity: an incident is found again by its source key (the file's resolved path) or, failing
that, by its title; a measure by a hash of its normalised title, with a fuzzy fallback so that
a reworded measure is updated rather than retired and re-created. What a person changed
(owner, status, due date, ...) always wins over the document.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Any, Literal

from sqlalchemy import bindparam, case, insert, or_, select
from sqlmodel import Session, col

from tracker.actions import DOCUMENT_FIELDS, as_text
from tracker.models import Action, Event, ImportCandidate, Incident, table_of, utcnow
from tracker.policy import due_date_for
from tracker.postmortem.model import ParsedMeasure, ParsedPostmortem
from tracker.vocabulary import DEFAULT_DUE_DAYS, DEFAULT_PRIORITY, DONE_STATUSES, STATUSES

# "deleted" / "merged": the document's incident was deleted or merged by a person; the
# document is not imported into it again.
Outcome = Literal["created", "updated", "unchanged", "deleted", "merged"]
_REWORD_RATIO = 0.75

# The statements a bulk import runs for every document, built once: building one costs
# several times more than running it (0.6 ms against 0.1 ms on SQLite).
_I, _A = table_of(Incident).c, table_of(Action).c
_FIND_INCIDENT = (
    select(_I.id)
    .where(or_(_I.source_key == bindparam("key"), _I.title_key == bindparam("title_key")))
    .order_by(case((_I.source_key == bindparam("key"), 0), else_=1), _I.id)
    .limit(1)
)
_NEW_ACTION_IDS = select(_A.source_key, _A.id).where(
    _A.incident_id == bindparam("incident_id"),
    _A.source_key.in_(bindparam("keys", expanding=True)),
)
_INSERT_INCIDENT = insert(table_of(Incident))
_INSERT_ACTIONS = insert(table_of(Action))
_INSERT_EVENTS = insert(table_of(Event))


@dataclass(frozen=True)
class ImportPolicy:
    """The settings an import needs, as plain values."""

    today: date
    default_priority: str = DEFAULT_PRIORITY
    due_days: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_DUE_DAYS))
    actor: str = "import"
    # Measures below this confidence are kept as candidates for review, not imported.
    min_confidence: float = 0.6


@dataclass
class ImportResult:
    incident_id: int
    outcome: Outcome
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    retired: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    # Ids of the incident's candidates still waiting for a person's decision.
    pending: list[int] = field(default_factory=list)
    # The incident itself: the session keeps loaded objects only while someone holds them,
    # and the caller reads it next (about a millisecond per document to load it again).
    incident: Incident | None = field(default=None, repr=False)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def title_key(title: str) -> str:
    return " ".join(title.lower().split())[:300]


def measure_key(title: str) -> str:
    return hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:16]


def incident_values(parsed: ParsedPostmortem) -> dict[str, Any]:
    title = parsed.title or "Untitled incident"
    return {
        "title": title,
        "title_key": title_key(title),
        "started_at": parsed.started_at if parsed.started_at and parsed.started_at.tzinfo else None,
        "ended_at": parsed.ended_at if parsed.ended_at and parsed.ended_at.tzinfo else None,
        "duration_minutes": parsed.duration_minutes,
        "impact": parsed.impact,
        "root_cause": parsed.root_cause,
        "timeline_json": json.dumps(
            [{"at": e.at.isoformat() if e.at else None, "text": e.text} for e in parsed.timeline],
            ensure_ascii=False,
        ),
    }


def measure_values(m: ParsedMeasure, policy: ImportPolicy) -> dict[str, Any]:
    """The action fields a measure gives, with the SLO due date when the document has none."""
    priority = m.priority or policy.default_priority
    status = m.doc_status if m.doc_status in STATUSES else "open"
    return {
        "title": m.title,
        "description": m.description,
        "kind": m.kind,
        "priority": priority,
        "owner": m.owner,
        "due_date": m.due_date or due_date_for(priority, policy.today, policy.due_days),
        "tracking_ref": m.tracking_ref,
        "status": status,
    }


def find_incident(session: Session, *, source_key: str, title: str) -> Incident | None:
    """The incident a document was imported as: by its source key, else by its title. One
    plain query for the id (a new document, a bulk import's usual case, misses both)."""
    session.flush()  # the plain query below does not flush on its own
    params = {"key": source_key, "title_key": title_key(title) if title else None}
    found = session.connection().execute(_FIND_INCIDENT, params).scalar()
    return None if found is None else session.get(Incident, found)


def import_postmortem(
    session: Session,
    parsed: ParsedPostmortem,
    *,
    source_path: str,
    source_key: str,
    text_hash: str,
    policy: ImportPolicy,
) -> ImportResult:
    """Create or refresh one incident, its actions and its candidates in the caller's
    transaction. Measures below `policy.min_confidence` become candidates; a candidate a person
    rejected stays rejected, one they accepted is refreshed like any action."""
    incident = find_incident(session, source_key=source_key, title=parsed.title)
    if incident is not None and incident.deleted_at is not None:
        outcome: Outcome = "merged" if incident.merged_into else "deleted"
        return ImportResult(incident.id or 0, outcome, incident=incident)
    if incident is not None and incident.source_hash == text_hash:
        ids = session.execute(
            select(col(Action.id)).where(
                col(Action.incident_id) == incident.id, col(Action.retired).is_(False)
            )
        )
        return ImportResult(
            incident.id or 0,
            "unchanged",
            unchanged=[i for (i,) in ids],
            pending=pending_candidates(session, incident.id or 0),
            incident=incident,
        )
    now = utcnow()
    values = incident_values(parsed)
    decided = _decided_candidates(session, incident.id) if incident is not None else {}
    sure, unsure = split_measures(parsed.measures, policy.min_confidence, decided)
    if incident is None:
        row = {
            **values,
            "source_path": source_path,
            "source_hash": text_hash,
            "source_key": source_key,
            "created_at": now,
            "updated_at": now,
            "edited_fields": "[]",
        }
        # A plain INSERT (the ORM's flush costs a millisecond); the caller gets what was stored.
        inserted = session.connection().execute(_INSERT_INCIDENT, row).inserted_primary_key
        assert inserted is not None
        incident = Incident(id=inserted[0], **row)
        assert incident.id is not None
        created = _insert_actions(session, incident.id, sure, policy)
        # A new incident has no candidates yet: nothing to look up when the document has none.
        pending = _store_candidates(session, incident.id, unsure, text_hash) if unsure else []
        return ImportResult(
            incident.id, "created", created=created, pending=pending, incident=incident
        )
    edited = set(json.loads(incident.edited_fields or "[]"))
    if "title" in edited:
        edited.add("title_key")
    for key, value in values.items():
        if key not in edited:
            setattr(incident, key, value)
    incident.source_path, incident.source_hash, incident.source_key, incident.updated_at = (
        source_path,
        text_hash,
        source_key,
        now,
    )
    assert incident.id is not None
    result = ImportResult(incident.id, "updated", incident=incident)
    _merge_actions(session, incident.id, sure, policy, result)
    result.pending = _store_candidates(session, incident.id, unsure, text_hash)
    return result


def split_measures(
    measures: Sequence[ParsedMeasure],
    min_confidence: float,
    decided: Mapping[str, str] | None = None,
) -> tuple[list[ParsedMeasure], list[ParsedMeasure]]:
    """(actions, candidates): by confidence, leaving out what a person rejected and keeping
    what they accepted among the actions. `decided` maps measure keys to a candidate status."""
    decided = decided or {}
    sure: list[ParsedMeasure] = []
    unsure: list[ParsedMeasure] = []
    for m in _unique(measures):
        status = decided.get(measure_key(m.title))
        if status == "rejected":
            continue
        if status == "accepted" or m.confidence >= min_confidence:
            sure.append(m)
        else:
            unsure.append(m)
    return sure, unsure


def pending_candidates(session: Session, incident_id: int) -> list[int]:
    rows = session.execute(
        select(col(ImportCandidate.id))
        .where(
            col(ImportCandidate.incident_id) == incident_id,
            col(ImportCandidate.status) == "pending",
        )
        .order_by(col(ImportCandidate.id))
    )
    return [i for (i,) in rows]


def _decided_candidates(session: Session, incident_id: int | None) -> dict[str, str]:
    rows = session.execute(
        select(col(ImportCandidate.measure_key), col(ImportCandidate.status)).where(
            col(ImportCandidate.incident_id) == incident_id,
            col(ImportCandidate.status) != "pending",
        )
    )
    return {key: status for key, status in rows}


def _store_candidates(
    session: Session, incident_id: int, measures: Sequence[ParsedMeasure], text_hash: str
) -> list[int]:
    """Keep the document's uncertain measures as pending candidates: new ones added, known
    ones refreshed, pending ones the document no longer has dropped. Returns pending ids."""
    existing = {
        c.measure_key: c
        for c in session.execute(
            select(ImportCandidate).where(col(ImportCandidate.incident_id) == incident_id)
        ).scalars()
    }
    wanted = {measure_key(m.title): m for m in measures}
    for key, candidate in existing.items():
        if candidate.status == "pending" and key not in wanted:
            session.delete(candidate)
    now = utcnow()
    for key, m in wanted.items():
        found = existing.get(key)
        if found is not None and found.status != "pending":
            continue
        target = found or ImportCandidate(
            incident_id=incident_id, measure_key=key, title=m.title, created_at=now
        )
        target.document_hash = text_hash
        target.title = m.title
        target.description = m.description
        target.kind = m.kind
        target.priority = m.priority
        target.owner = m.owner
        target.due_date = m.due_date
        target.tracking_ref = m.tracking_ref
        target.section = m.section
        target.confidence = float(m.confidence)
        target.reason = m.reason
        if found is None:
            session.add(target)
    session.flush()
    return pending_candidates(session, incident_id)


def _insert_actions(
    session: Session, incident_id: int, measures: Sequence[ParsedMeasure], policy: ImportPolicy
) -> list[int]:
    """Bulk insert: one INSERT ... RETURNING for the actions and one for their events."""
    if not measures:
        return []
    now = utcnow()
    rows = []
    for m in _unique(measures):
        v = measure_values(m, policy)
        rows.append(
            {
                **v,
                "incident_id": incident_id,
                "team": None,
                "created_at": now,
                "updated_at": now,
                "closed_at": now if v["status"] in DONE_STATUSES else None,
                "source_key": measure_key(m.title),
                "edited_fields": "[]",
                "retired": False,
                "version": 1,
                "status_reason": None,
                "jira_key": None,
                "verify_by": None,
                "verified_at": None,
                "verified_by": None,
            }
        )
    conn = session.connection()  # core statements: the ORM's per-statement work is not needed
    # A plain executemany, then the new ids by source key: INSERT ... RETURNING with parameter
    # order runs one statement per row on SQLite. Keys are unique within an incident (_unique).
    conn.execute(_INSERT_ACTIONS, rows)
    keys = [r["source_key"] for r in rows]
    found = conn.execute(_NEW_ACTION_IDS, {"incident_id": incident_id, "keys": keys})
    id_of = {key: action_id for key, action_id in found}
    ids = [id_of[key] for key in keys]
    conn.execute(
        _INSERT_EVENTS,
        [
            {
                "action_id": i,
                "incident_id": incident_id,
                "at": now,
                "actor": policy.actor,
                "source": "import",
                "kind": "created",
                "field": None,
                "old_value": None,
                "new_value": r["title"],
                "note": None,
            }
            for i, r in zip(ids, rows, strict=True)
        ],
    )
    return ids


def _unique(measures: Sequence[ParsedMeasure]) -> list[ParsedMeasure]:
    """A document that lists the same measure twice gets one action."""
    seen: set[str] = set()
    out = []
    for m in measures:
        key = measure_key(m.title)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _merge_actions(
    session: Session,
    incident_id: int,
    measures: Sequence[ParsedMeasure],
    policy: ImportPolicy,
    result: ImportResult,
) -> None:
    # Only the actions that came from this document: not those added by hand or moved here by
    # `incident merge` (their source_key is None).
    existing = list(
        session.execute(
            select(Action).where(
                col(Action.incident_id) == incident_id, col(Action.source_key).is_not(None)
            )
        ).scalars()
    )
    by_key = {a.source_key: a for a in existing}
    unmatched_old = {a.id: a for a in existing}
    new_measures: list[ParsedMeasure] = []
    pairs: list[tuple[Action, ParsedMeasure]] = []
    for m in _unique(measures):
        action = by_key.get(measure_key(m.title))
        if action is not None and action.id in unmatched_old:
            unmatched_old.pop(action.id)
            pairs.append((action, m))
        else:
            new_measures.append(m)
    # A reworded measure: pair it with the most similar remaining old one.
    still_new = []
    for m in new_measures:
        best = max(
            unmatched_old.values(),
            key=lambda a: SequenceMatcher(
                None, normalise_title(a.title), normalise_title(m.title)
            ).ratio(),
            default=None,
        )
        if (
            best is not None
            and SequenceMatcher(None, normalise_title(best.title), normalise_title(m.title)).ratio()
            >= _REWORD_RATIO
        ):
            unmatched_old.pop(best.id)
            pairs.append((best, m))
        else:
            still_new.append(m)
    for action, m in pairs:
        changed = _refresh(session, action, m, policy)
        (result.updated if changed else result.unchanged).append(action.id or 0)
    result.created = _insert_actions(session, incident_id, still_new, policy)
    for action in unmatched_old.values():
        if not action.retired:
            action.retired = True
            action.version += 1
            action.updated_at = utcnow()
            note = "the measure is no longer in the post-mortem"
            session.add(_import_event(action, policy, kind="retired", note=note))
            result.retired.append(action.id or 0)


def _refresh(session: Session, action: Action, m: ParsedMeasure, policy: ImportPolicy) -> bool:
    """Update document fields that no person has edited; returns True if anything changed."""
    edited = set(json.loads(action.edited_fields))
    values = measure_values(m, policy)
    changed = False
    now = utcnow()
    if action.retired:
        action.retired = False
        session.add(
            _import_event(
                action, policy, kind="restored", note="the measure is back in the post-mortem"
            )
        )
        changed = True
    for name in DOCUMENT_FIELDS:
        if name in edited or (name == "due_date" and m.due_date is None):
            # A due date we computed from the SLO is not re-computed on every import.
            continue
        new = values[name]
        old = getattr(action, name)
        if new != old:
            session.add(
                _import_event(
                    action, policy, field=name, old_value=as_text(old), new_value=as_text(new)
                )
            )
            setattr(action, name, new)
            changed = True
    action.source_key = measure_key(m.title)
    if changed:
        action.version += 1
        action.updated_at = now
    return changed


def _import_event(
    action: Action, policy: ImportPolicy, *, kind: str = "change", **values: Any
) -> Event:
    return Event(
        action_id=action.id,
        incident_id=action.incident_id,
        at=utcnow(),
        actor=policy.actor,
        source="import",
        kind=kind,
        **values,
    )
