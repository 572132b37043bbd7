"""Recurrence against the database: failure classes kept in `incident_class`, related
incidents with their open and dropped actions, possible duplicate actions. Both backends."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select
from sqlalchemy.engine import Connection

from tracker.errors import NotFoundError, UserInputError
from tracker.policy import OPEN_STATUSES
from tracker.recurrence.match import IncidentText, Matcher, classify, duplicate_of
from tracker.recurrence.taxonomy import check_names
from tracker.schema import ACTION, INCIDENT, INCIDENT_CLASS

A = ACTION.c
I = INCIDENT.c  # noqa: E741
C = INCIDENT_CLASS.c
# An incident is compared with at most this many earlier ones sharing a class (the latest),
# and shows at most MAX_RELATED of those it resembles, most similar first.
RELATED_POOL = 50
MAX_RELATED = 5
# Built once: an import runs it for every document, and building costs more than running.
_STORED_CLASSES = (
    select(C.name, C.source).where(C.incident_id == bindparam("incident_id")).order_by(C.name)
)
# The timeline counts little (weight 1, capped); its first part is enough and long ones are slow.
MAX_TIMELINE = 8_000


def _timeline_text(raw: str | None) -> str:
    try:
        events = json.loads(raw or "[]")
    except ValueError:
        return ""
    return "\n".join(str(e.get("text", "")) if isinstance(e, dict) else str(e) for e in events)


def _texts(
    conn: Connection,
    ids: list[int] | None = None,
    *,
    full: bool = False,
    starts: dict[int, Any] | None = None,
) -> list[IncidentText]:
    """The incidents' words (and classes); the timeline and measures too when `full` (for
    classifying). `starts`, when given, receives each incident's start time."""
    columns = [I.id, I.title, I.impact, I.root_cause, I.started_at]
    if full:
        columns.append(I.timeline_json)
    stmt = select(*columns)
    measures: dict[int, list[str]] = defaultdict(list)
    if ids is not None:
        stmt = stmt.where(I.id.in_(ids))
    if full and ids is not None:
        mstmt = select(A.incident_id, A.title).where(A.incident_id.in_(ids), A.retired.is_(False))
        for incident_id, title in conn.execute(mstmt):
            measures[incident_id].append(title)
    classes = {} if full else _classes(conn, ids)
    out = []
    for r in conn.execute(stmt.order_by(I.id)).mappings():
        if starts is not None:
            starts[r["id"]] = r["started_at"]
        out.append(incident_words(r, measures[r["id"]] if full else None, classes.get(r["id"], [])))
    return out


def incident_words(
    row: Mapping[Any, Any], measures: Sequence[str] | None, classes: Sequence[str] = ()
) -> IncidentText:
    """An incident's words from its row (id, title, impact, root_cause, timeline_json); with
    `measures`, its timeline and measure titles too (what classifying reads)."""
    other = (
        _timeline_text(row["timeline_json"])[:MAX_TIMELINE] + "\n" + "\n".join(measures)
        if measures is not None
        else ""
    )
    return IncidentText(
        id=row["id"],
        title=row["title"] or "",
        impact=row["impact"] or "",
        root_cause=row["root_cause"] or "",
        other=other,
        classes=list(classes),
    )


def _classes(conn: Connection, ids: list[int] | None = None) -> dict[int, list[str]]:
    stmt = select(C.incident_id, C.name).order_by(C.incident_id, C.name)
    if ids is not None:
        stmt = stmt.where(C.incident_id.in_(ids))
    out: dict[int, list[str]] = defaultdict(list)
    for incident_id, name in conn.execute(stmt):
        out[incident_id].append(name)
    return dict(out)


def incident_classes(conn: Connection, incident_id: int) -> list[str]:
    return _classes(conn, [incident_id]).get(incident_id, [])


def classify_incident(
    conn: Connection, incident_id: int, found: list[str] | None = None
) -> list[str]:
    """Find the incident's classes from its words; classes set by hand are kept as they are.
    `found`: the classes of the words the caller just stored (a bulk import works them out
    in its worker processes), so they need not be read back and classified here."""
    stored = conn.execute(_STORED_CLASSES, {"incident_id": incident_id}).all()
    if any(source == "manual" for _, source in stored):
        return [name for name, _ in stored]
    if found is None:
        texts = _texts(conn, [incident_id], full=True)
        if not texts:
            return []
        found = classify(texts[0])
    if sorted(found) == [name for name, _ in stored]:
        return found  # a re-import that changes nothing writes nothing
    if stored:
        conn.execute(delete(INCIDENT_CLASS).where(C.incident_id == incident_id))
    if found:
        conn.execute(
            insert(INCIDENT_CLASS),
            [{"incident_id": incident_id, "name": n, "source": "auto"} for n in found],
        )
    return found


def set_classes(conn: Connection, incident_id: int, names: list[str]) -> list[str]:
    """Set an incident's classes by hand (they then survive re-imports)."""
    require_incident(conn, incident_id)
    try:
        wanted = check_names(names)
    except ValueError as exc:
        raise UserInputError(str(exc)) from exc
    conn.execute(delete(INCIDENT_CLASS).where(C.incident_id == incident_id))
    if wanted:
        conn.execute(
            insert(INCIDENT_CLASS),
            [{"incident_id": incident_id, "name": n, "source": "manual"} for n in wanted],
        )
    return wanted


def require_incident(conn: Connection, incident_id: int) -> Any:
    row = conn.execute(select(I.id, I.started_at).where(I.id == incident_id)).first()
    if row is None:
        raise NotFoundError(f"no incident #{incident_id}; `capa-tracker incidents` lists them")
    return row


@dataclass
class KnownIncidents:
    """Incidents' words and start times already read, kept by a caller that asks about one
    incident after another (an import): the next document's candidates are mostly the last
    one's. The caller forgets an incident whose words it changes or rolls back."""

    texts: dict[int, IncidentText] = field(default_factory=dict)
    starts: dict[int, Any] = field(default_factory=dict)

    def forget(self, incident_id: int | None = None) -> None:
        """Drop one incident, or all of them (None)."""
        if incident_id is None:
            self.texts.clear()
            self.starts.clear()
        else:
            self.texts.pop(incident_id, None)
            self.starts.pop(incident_id, None)


def related_incidents(
    conn: Connection,
    incident_id: int,
    *,
    matcher: Matcher | None = None,
    starts: dict[int, Any] | None = None,
    classes: list[str] | None = None,
    known: KnownIncidents | None = None,
) -> list[dict[str, Any]]:
    """The earlier incidents this one resembles, with their still-open and dropped actions.

    `matcher` and `starts` let a caller asking about many incidents build them once; `classes`
    (the incident's, just found) saves reading them again; `known` keeps what was read for
    the next call."""
    if matcher is None:
        if classes is None:
            require_incident(conn, incident_id)
            classes = incident_classes(conn, incident_id)
        if not classes:
            return []
        candidates = sorted({incident_id, *_latest_sharing(conn, incident_id, classes)})
        known = KnownIncidents() if known is None else known
        missing = [i for i in candidates if i not in known.texts]
        if missing:
            known.texts.update((t.id, t) for t in _texts(conn, missing, starts=known.starts))
        starts = known.starts
        matcher = Matcher([known.texts[i] for i in candidates if i in known.texts])
    starts = _starts(conn) if starts is None else starts
    my_start = starts.get(incident_id)

    def earlier(other: int) -> bool:
        theirs = starts.get(other)
        if theirs is not None and my_start is not None:
            return bool(theirs < my_start) or (theirs == my_start and other < incident_id)
        return other < incident_id

    earlier_ones = [t.id for t in matcher.incidents if earlier(t.id)]
    found = matcher.resembling(incident_id, earlier_ones)[:MAX_RELATED]
    if not found:
        return []
    ids = [r.incident_id for r in found]
    titles = {t.id: t.title for t in matcher.incidents}
    actions: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"open": [], "wont_do": []})
    for action_id, inc, status, _title in conn.execute(_ACTIONS_OF, {"ids": ids}):
        if status in OPEN_STATUSES:
            actions[inc]["open"].append(action_id)
        elif status == "wont_do":
            actions[inc]["wont_do"].append(action_id)
    return [
        {
            "incident_id": r.incident_id,
            "title": titles[r.incident_id],
            "score": r.score,
            "classes": list(r.shared_classes),
            "open_actions": actions[r.incident_id]["open"],
            "wont_do_actions": actions[r.incident_id]["wont_do"],
        }
        for r in found
    ]


def _latest_sharing(conn: Connection, incident_id: int, classes: list[str]) -> list[int]:
    """The RELATED_POOL incidents that share a class with this one and started last before
    it (as `earlier` in related_incidents decides). Only incidents sharing a class can
    resemble it; the latest of them bound the work per incident, which otherwise grew with
    the tracker (a bulk import of a whole archive went quadratic). The queries walk an index
    backwards and stop at the pool's size."""
    params = {"id": incident_id, "classes": classes}
    mine = conn.execute(_STARTED, params).scalar()
    if mine is None:
        return [int(i) for (i,) in conn.execute(_SHARING_BY_ID, params)]
    found = [int(i) for (i,) in conn.execute(_SHARING_BEFORE, {**params, "start": mine})]
    if len(found) < RELATED_POOL:
        undated = conn.execute(_SHARING_UNDATED, params)
        found += [int(i) for (i,) in undated][: RELATED_POOL - len(found)]
    return found


# The kept actions of a few incidents (what they left open or dropped, what may repeat).
_ACTIONS_OF = (
    select(A.id, A.incident_id, A.status, A.title)
    .where(A.incident_id.in_(bindparam("ids", expanding=True)), A.retired.is_(False))
    .order_by(A.id)
)
_SHARES = (
    select(C.incident_id)
    .where(C.incident_id == I.id, C.name.in_(bindparam("classes", expanding=True)))
    .exists()
)
_STARTED = select(I.started_at).where(I.id == bindparam("id"))
_SHARING_BY_ID = (
    select(I.id).where(_SHARES, I.id < bindparam("id")).order_by(I.id.desc()).limit(RELATED_POOL)
)
_SHARING_UNDATED = _SHARING_BY_ID.where(I.started_at.is_(None))
_SHARING_BEFORE = (
    select(I.id)
    .where(
        _SHARES,
        or_(
            I.started_at < bindparam("start"),
            and_(I.started_at == bindparam("start"), I.id < bindparam("id")),
        ),
    )
    .order_by(I.started_at.desc(), I.id.desc())
    .limit(RELATED_POOL)
)


def _starts(conn: Connection) -> dict[int, Any]:
    return {int(i): s for i, s in conn.execute(select(I.id, I.started_at))}


def open_actions(
    conn: Connection, *, not_incident: int | None = None, of_incidents: list[int] | None = None
) -> list[tuple[int, str]]:
    """(id, title) of the open actions, of some incidents only or of all but one."""
    if of_incidents is not None:
        # A few incidents' actions, their status checked here: with a status condition SQLite
        # picks the status index and reads every open action of the tracker.
        return [
            (int(i), str(t))
            for i, incident, status, t in conn.execute(_ACTIONS_OF, {"ids": of_incidents})
            if status in OPEN_STATUSES and incident != not_incident
        ]
    stmt = select(A.id, A.title).where(A.status.in_(sorted(OPEN_STATUSES)), A.retired.is_(False))
    if not_incident is not None:
        stmt = stmt.where((A.incident_id.is_(None)) | (A.incident_id != not_incident))
    return [(int(i), str(t)) for i, t in conn.execute(stmt.order_by(A.id))]


def possible_duplicates(
    conn: Connection,
    new: list[tuple[int, str]],
    *,
    incident_id: int | None = None,
    among_incidents: list[int] | None = None,
) -> list[dict[str, int]]:
    """For each new action, the open action elsewhere that it repeats (if any).

    `among_incidents` limits the search to those incidents' actions: an import looks among the
    incidents it resembles, so that a 100k-action tracker is not compared title by title with
    every measure of every document; `add` (one title) looks at every open action.
    """
    if not new or among_incidents == []:
        return []
    new_ids = {i for i, _ in new}
    existing = [
        (i, t)
        for i, t in open_actions(conn, not_incident=incident_id, of_incidents=among_incidents)
        if i not in new_ids
    ]
    out = []
    for action_id, title in new:
        dup = duplicate_of(title, existing)
        if dup is not None:
            out.append({"action_id": action_id, "duplicate_of": dup})
    return out


def class_counts(conn: Connection) -> list[dict[str, Any]]:
    """Incidents per failure class, most frequent first."""
    rows = conn.execute(
        select(C.name, func.count().label("n"))
        .group_by(C.name)
        .order_by(func.count().desc(), C.name)
    )
    return [{"name": name, "incidents": int(n)} for name, n in rows]


def recurring_since(conn: Connection, since: date) -> list[dict[str, Any]]:
    """Incidents that started (or were recorded) since `since` and resemble an earlier one."""
    from datetime import UTC, datetime

    start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
    ids = [
        int(i)
        for (i,) in conn.execute(
            select(I.id).where(func.coalesce(I.started_at, I.created_at) >= start).order_by(I.id)
        )
    ]
    out: list[dict[str, Any]] = []
    classified = {i for i, names in _classes(conn).items() if names}
    ids = [i for i in ids if i in classified]
    if not ids:
        return out
    matcher = Matcher(_texts(conn))
    titles = {t.id: t.title for t in matcher.incidents}
    starts = _starts(conn)
    for incident_id in ids:
        for r in related_incidents(conn, incident_id, matcher=matcher, starts=starts)[:1]:
            out.append(
                {
                    "incident_id": incident_id,
                    "title": titles[incident_id],
                    "related_id": r["incident_id"],
                    "related_title": r["title"],
                    "score": r["score"],
                    "open_actions": r["open_actions"],
                }
            )
    return out


def happened_again(conn: Connection, incident_ids: list[int]) -> dict[int, dict[str, Any]]:
    """For each of `incident_ids`, the latest LATER incident that resembles it (the same failure
    came back), as {incident_id, title, date}; incidents nothing later resembles are left out.

    What a reminder run needs for the incidents that still have open actions: one index over
    the incidents sharing a class with them, built once; for each incident the later ones of its
    classes are tried newest first, and the first that resembles it ends the search. Deleted
    and merged incidents take no part."""
    if not incident_ids:
        return {}
    mine = _classes(conn, sorted(set(incident_ids)))
    if not mine:
        return {}
    names = sorted({n for ns in mine.values() for n in ns})
    # A deleted incident, or one merged into another, is no longer a recurrence of anything.
    sharing = (
        select(C.incident_id, C.name, I.started_at, I.created_at)
        .join(INCIDENT, I.id == C.incident_id)
        .where(C.name.in_(names), I.deleted_at.is_(None), I.merged_into.is_(None))
    )
    by_class: dict[str, set[int]] = defaultdict(set)
    when: dict[int, Any] = {}
    for incident, name, started, created in conn.execute(sharing):
        by_class[name].add(int(incident))
        when[int(incident)] = started or created
    matcher = Matcher(_texts(conn, sorted(when)))
    # Time order: the start, else the recording time (as `recurring_since`), then the id.
    rank = {incident: n for n, incident in enumerate(sorted(when, key=lambda i: (when[i], i)))}
    out: dict[int, dict[str, Any]] = {}
    titles = {t.id: t.title for t in matcher.incidents}
    for incident, classes in mine.items():
        if incident not in rank:
            continue
        later = sorted(
            {o for name in classes for o in by_class[name] if rank[o] > rank[incident]},
            key=rank.__getitem__,
            reverse=True,
        )
        for other in later:
            if matcher.resembling(other, [incident]):
                out[incident] = {
                    "incident_id": other,
                    "title": titles[other],
                    "date": when[other].date(),
                }
                break
    return out


def resembled_earlier(conn: Connection, incident_ids: list[int]) -> dict[int, dict[str, Any]]:
    """For each of `incident_ids`, the earlier incident it resembles most (the first that
    `related_incidents` names), as {incident_id, title, open_actions: [ids]}; incidents that
    resemble nothing earlier are left out. One index for them all, built once."""
    wanted = set(incident_ids)
    classes = _classes(conn)
    if not wanted & set(classes):
        return {}
    by_class: dict[str, list[int]] = defaultdict(list)
    for incident, names in classes.items():
        for name in names:
            by_class[name].append(incident)
    starts: dict[int, Any] = {}
    matcher = Matcher(_texts(conn, sorted(classes), starts=starts))

    def earlier(other: int, me: int) -> bool:  # as in related_incidents
        theirs, mine = starts.get(other), starts.get(me)
        if theirs is not None and mine is not None:
            return bool(theirs < mine) or (theirs == mine and other < me)
        return other < me

    best: dict[int, int] = {}
    for incident in sorted(wanted & set(classes)):
        pool = {o for name in classes[incident] for o in by_class[name] if earlier(o, incident)}
        found = matcher.resembling(incident, sorted(pool))
        if found:
            best[incident] = found[0].incident_id
    if not best:
        return {}
    open_ids: dict[int, list[int]] = defaultdict(list)
    for action_id, incident in conn.execute(
        select(A.id, A.incident_id)
        .where(
            A.incident_id.in_(sorted(set(best.values()))),
            A.retired.is_(False),
            A.status.in_(sorted(OPEN_STATUSES)),
        )
        .order_by(A.id)
    ):
        open_ids[int(incident)].append(int(action_id))
    titles = {t.id: t.title for t in matcher.incidents}
    return {
        incident: {"incident_id": other, "title": titles[other], "open_actions": open_ids[other]}
        for incident, other in best.items()
    }
