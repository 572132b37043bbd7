"""The one import use case (CLI, dashboard, scheduler): sources in, one savepoint per document.

A file that cannot be read gets one message and is skipped; the others still import. A
post-mortem without measures is still an incident (0 actions and a warning). Exit code 2 when
any input was bad, 1 when the database refused, else 0.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.context import AppContext
from tracker.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tracker.importing.sources import Source, expand
from tracker.recurrence.store import KnownIncidents

if TYPE_CHECKING:
    from tracker.importing.reading import ReadDocument
    from tracker.importing.save import ImportPolicy
    from tracker.postmortem.model import DateOrder

NO_MEASURES = (
    "no corrective or preventive measures found; imported as an incident with 0 actions "
    "(the importer looks for a section such as 'Action items', 'Remediation' or 'Follow-ups')"
)


class _Rollback(Exception):
    """Raised inside a dry run's transaction so that nothing is kept."""


@dataclass
class FileOutcome:
    source: Source
    incident: dict[str, Any] | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    # Candidates of this document's incident still waiting for a person (`import --review`).
    pending: int = 0


@dataclass
class ImportRun:
    """What one import did, document by document; rendered by the caller."""

    outcomes: list[FileOutcome]
    dry_run: bool
    bad_input: bool = False
    db_failed: bool = False

    @property
    def exit_code(self) -> int:
        return EXIT_USAGE if self.bad_input else EXIT_FAILED if self.db_failed else EXIT_OK

    def as_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "incidents": [o.incident for o in self.outcomes if o.incident],
            "errors": [
                {"path": o.source.label, "error": o.error} for o in self.outcomes if o.error
            ],
        }


# Up to this many documents, an import report shows each incident's actions.
FEW_DOCUMENTS = 5
# A bulk import commits after this long: per-document commits cost as much as the writes,
# and a long transaction would keep the dashboard and the scheduler waiting for the lock.
BATCH_SECONDS = 0.5


def import_documents(
    ctx: AppContext,
    paths: Sequence[str],
    *,
    dry_run: bool = False,
    want_actions: bool | None = True,
    progress: Callable[[str], None] | None = None,
    date_order: DateOrder | None = None,
    accept: Collection[str] = (),
    source: str = "cli",
) -> ImportRun:
    """Import each document in its own savepoint, committing every BATCH_SECONDS; a dry run
    rolls every one back. A document the database refuses is rolled back alone.

    `date_order` overrides `policy.date_order` for this run; `accept` names candidates (by
    their `key`) to accept in the same transaction, as the dashboard's ticked boxes do.
    `want_actions=None`: list each incident's actions only when there are at most
    FEW_DOCUMENTS documents (what a person reads); a bulk import skips that query."""
    from sqlalchemy.exc import SQLAlchemyError

    from tracker.db import DatabaseError, session_scope
    from tracker.importing.reading import read_documents

    policy = import_policy(ctx)
    order: DateOrder = date_order or ctx.settings.policy.date_order
    items = list(expand(paths))
    if want_actions is None:
        want_actions = len(items) <= FEW_DOCUMENTS
    outcomes = [
        FileOutcome(Source(i[0], i[0]), error=i[1]) if isinstance(i, tuple) else FileOutcome(i)
        for i in items
    ]
    bad_input = any(o.error for o in outcomes)
    db_failed = False
    readable = [o for o in outcomes if o.error is None]
    sources = [o.source for o in readable]
    show_progress = progress is not None and len(sources) > 20
    documents = zip(
        readable, read_documents(sources, order, ctx.tz, policy.min_confidence), strict=True
    )
    step = _DocumentStep(policy, accept, source, want_actions=want_actions, dry_run=dry_run)
    done = 0
    while done < len(sources):
        batch: list[FileOutcome] = []
        try:
            with session_scope(ctx.engine()) as session:
                began = time.monotonic()
                for outcome, read in documents:
                    done += 1
                    if read.parsed is None:
                        outcome.error = read.error
                        bad_input = True
                    else:
                        batch.append(outcome)
                        db_failed |= not step.run(session, outcome, read)
                    if show_progress and progress is not None and done % 50 == 0:
                        progress(f"… {done}/{len(sources)} documents")
                    if time.monotonic() - began > BATCH_SECONDS:
                        break
        except (SQLAlchemyError, DatabaseError) as exc:
            # The commit failed: none of this batch's documents was kept.
            step.known.forget()
            for outcome in batch:
                outcome.incident = None
                outcome.error = f"database refused the import: {getattr(exc, 'orig', exc)}"
            db_failed = True
    return ImportRun(outcomes, dry_run, bad_input=bad_input, db_failed=db_failed)


@dataclass
class _DocumentStep:
    """Store one parsed document in its own savepoint of the caller's transaction."""

    policy: ImportPolicy
    accept: Collection[str]
    source: str
    want_actions: bool
    dry_run: bool
    # Earlier incidents' words read for resemblance, kept from one document to the next.
    known: KnownIncidents = field(default_factory=KnownIncidents)

    def run(self, session: Any, outcome: FileOutcome, read: ReadDocument) -> bool:
        """Fill `outcome`; False when the database refused the document."""
        from sqlalchemy.exc import SQLAlchemyError

        from tracker.db import DatabaseError
        from tracker.importing.review import accept_by_key
        from tracker.importing.save import import_postmortem

        item = outcome.source
        parsed, text_hash = read.parsed, read.text_hash
        assert parsed is not None
        outcome.warnings = [w.message for w in parsed.warnings if w.code != "no_measures"]
        if not parsed.measures:
            outcome.warnings.append(NO_MEASURES)
        key = item.source_key if item.path else f"stdin:{parsed.title.strip().lower()}"
        try:
            with session.begin_nested():
                result = import_postmortem(
                    session,
                    parsed,
                    source_path=item.label,
                    source_key=key,
                    text_hash=text_hash,
                    policy=self.policy,
                )
                if result.outcome in ("deleted", "merged"):
                    outcome.warnings.append(_not_again(session, result))
                if self.accept and result.outcome not in ("deleted", "merged"):
                    result.created.extend(
                        accept_by_key(
                            session,
                            result.incident_id,
                            self.accept,
                            self.policy,
                            source=self.source,
                        )
                    )
                    result.pending = _still_pending(session, result.incident_id)
                outcome.pending = len(result.pending)
                incident = _incident_json(
                    session,
                    result,
                    outcome.warnings,
                    want_actions=self.want_actions,
                    today=self.policy.today,
                )
                # Accepted candidates add actions the worker did not classify with.
                classes = read.classes if result.outcome == "created" and not self.accept else None
                if result.outcome != "created":
                    self.known.forget(result.incident_id)  # its words may have changed
                incident.update(_recurrence(session, result, classes, self.known))
                outcome.incident = incident
                if self.dry_run:
                    raise _Rollback
        except _Rollback:
            self.known.forget(result.incident_id)  # rolled back: its id may be used again
        except (SQLAlchemyError, DatabaseError) as exc:
            self.known.forget()
            outcome.incident = None
            outcome.error = f"database refused the import: {getattr(exc, 'orig', exc)}"
            return False
        return True


def import_policy(ctx: AppContext) -> ImportPolicy:
    """The settings an import (and a review of its candidates) needs, as plain values."""
    from tracker.importing.save import ImportPolicy

    return ImportPolicy(
        today=ctx.today(),
        default_priority=ctx.settings.policy.default_priority,
        due_days=dict(ctx.settings.policy.due_days),
        actor=ctx.actor,
        min_confidence=ctx.settings.import_.min_confidence,
    )


def _still_pending(session: Any, incident_id: int) -> list[int]:
    from tracker.importing.save import pending_candidates

    return pending_candidates(session, incident_id)


def _not_again(session: Any, result: Any) -> str:
    from tracker.models import Incident

    incident = result.incident or session.get(Incident, result.incident_id)
    if result.outcome == "merged":
        return (
            f"incident #{result.incident_id} was merged into #{incident.merged_into}; "
            "the document is not imported again"
        )
    return f"incident #{result.incident_id} was deleted; the document is not imported again"


def _incident_json(
    session: Any, result: Any, warnings: list[str], *, want_actions: bool, today: date
) -> dict[str, Any]:
    from tracker.importing.review import candidate_json, candidates_of
    from tracker.models import Incident
    from tracker.queries.actions import incident_json, iter_actions, row_to_json
    from tracker.queries.filters import ActionFilter

    incident = result.incident or session.get(Incident, result.incident_id)
    data: dict[str, Any] = {
        **incident_json(incident),
        "outcome": result.outcome,
        "created": result.created,
        "updated": result.updated,
        "retired": result.retired,
        "warnings": list(warnings),
    }
    if want_actions:
        f = ActionFilter(incident_id=incident.id, include_retired=True)
        data["actions"] = [
            row_to_json(r) for r in iter_actions(session.connection(), f, today, sort="id")
        ]
    # A new incident's only candidates are the pending ones: the bulk import skips the query.
    if result.outcome == "created" and not result.pending:
        data["candidates"] = []
    else:
        data["candidates"] = [
            candidate_json(c)
            for c in candidates_of(session, [incident.id])
            if c.status != "accepted"
        ]
    return data


def _recurrence(
    session: Any, result: Any, classes: list[str] | None, known: KnownIncidents
) -> dict[str, Any]:
    """Failure classes (`classes` when the caller worked them out), the earlier incidents this
    one resembles, and new actions that repeat open ones (tracker.recurrence)."""
    from sqlalchemy import select

    from tracker.recurrence.store import classify_incident, possible_duplicates, related_incidents
    from tracker.schema import ACTION

    conn = session.connection()
    classes = classify_incident(conn, result.incident_id, classes)
    related = related_incidents(conn, result.incident_id, classes=classes, known=known)
    new: list[tuple[int, str]] = []
    if result.created and related:  # duplicates are looked for among related incidents only
        a = ACTION.c
        new = [
            (int(i), str(t))
            for i, t in conn.execute(select(a.id, a.title).where(a.id.in_(result.created)))
        ]
    return {
        "classes": classes,
        "related": related,
        "duplicates": possible_duplicates(
            conn,
            new,
            incident_id=result.incident_id,
            among_incidents=[r["incident_id"] for r in related],
        ),
    }
