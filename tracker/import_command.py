"""`capa-tracker import`: files, directories and stdin in; one transaction per document.

A bad file gets one message and is skipped; the others still import. Exit code 2 when any
input was bad, 1 when the database refused, else 0.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tracker.context import AppContext

DOCUMENT_SUFFIXES = {
    ".md",
    ".markdown",
    ".txt",
    ".rst",
    ".text",
    ".html",
    ".htm",
    ".sql",
    ".adoc",
    "",
}
MAX_BYTES = 10_000_000


class _Rollback(Exception):
    """Raised inside a dry run's transaction so that nothing is kept."""


@dataclass
class Source:
    label: str  # what we print: the path as given, or "-"
    source_key: str
    path: Path | None = None


@dataclass
class FileOutcome:
    source: Source
    incident: dict[str, Any] | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def expand(paths: Sequence[str]) -> Iterator[Source | tuple[str, str]]:
    """Files as given, directories walked for documents; a missing path yields an error."""
    for raw in paths:
        if raw == "-":
            yield Source("-", "stdin")
            continue
        p = Path(raw).expanduser()
        if p.is_dir():
            found = sorted(
                q
                for q in p.rglob("*")
                if q.is_file()
                and q.suffix.lower() in DOCUMENT_SUFFIXES
                and not q.name.startswith(".")
            )
            if not found:
                yield (
                    raw,
                    "no post-mortem documents in this directory (.md, .txt, .rst, .html, .sql)",
                )
            for q in found:
                yield Source(str(q), str(q.resolve()), q)
        elif p.is_file():
            yield Source(raw, str(p.resolve()), p)
        elif p.exists():
            yield (raw, "not a regular file")
        else:
            yield (raw, "no such file or directory")


def read_bytes(source: Source) -> bytes:
    from tracker.postmortem import DocumentError

    if source.path is None:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        size = source.path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(
                f"file is {size / 1_000_000:.1f} MB, over the {MAX_BYTES // 1_000_000} MB limit for a post-mortem; "
                "is this the right file?"
            )
        data = source.path.read_bytes()
    return data


def run_import(
    ctx: AppContext,
    paths: Sequence[str],
    *,
    dry_run: bool,
    as_json: bool,
    progress: Callable[[str], None],
) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from tracker.db import DatabaseError, session_scope
    from tracker.importer import ImportPolicy, content_hash, import_postmortem
    from tracker.postmortem import DocumentError, decode_document, parse_postmortem

    policy = ImportPolicy(
        today=ctx.today(),
        default_priority=ctx.settings.policy.default_priority,
        due_days=dict(ctx.settings.policy.due_days),
        actor=ctx.actor,
    )
    outcomes: list[FileOutcome] = []
    bad_input = db_failed = False
    engine = ctx.engine()
    items = list(expand(paths))
    show_progress = len(items) > 20 and not as_json
    for n, item in enumerate(items, 1):
        if isinstance(item, tuple):
            outcomes.append(FileOutcome(Source(item[0], item[0]), error=item[1]))
            bad_input = True
            continue
        outcome = FileOutcome(item)
        outcomes.append(outcome)
        try:
            text = decode_document(read_bytes(item), name=item.label, max_bytes=MAX_BYTES)
            parsed = parse_postmortem(
                text,
                date_order=ctx.settings.policy.date_order,
                default_tz=ctx.tz,
                name=item.path.name if item.path else "",
            )
        except (DocumentError, OSError) as exc:
            outcome.error = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            bad_input = True
            continue
        outcome.warnings = [w.message for w in parsed.warnings if w.code != "no_measures"]
        if not parsed.measures:
            outcome.error = (
                "no corrective or preventive measures found; the importer looks for a section such as "
                "'Action items', 'Corrective and preventive measures', 'Remediation' or 'Follow-ups'"
            )
            bad_input = True
            continue
        key = item.source_key if item.path else f"stdin:{parsed.title.strip().lower()}"
        try:
            with session_scope(engine) as session:
                result = import_postmortem(
                    session,
                    parsed,
                    source_path=item.label,
                    source_key=key,
                    text_hash=content_hash(text),
                    policy=policy,
                )
                outcome.incident = _incident_json(
                    session,
                    result,
                    parsed,
                    want_actions=as_json or len(items) <= 5,
                    today=policy.today,
                )
                if dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        except (SQLAlchemyError, DatabaseError) as exc:
            outcome.error = f"database refused the import: {getattr(exc, 'orig', exc)}"
            db_failed = True
        if show_progress and n % 50 == 0:
            progress(f"… {n}/{len(items)} documents")
    _report(outcomes, dry_run=dry_run, as_json=as_json, progress=progress, today=ctx.today())
    return 2 if bad_input else 1 if db_failed else 0


def _incident_json(
    session: Any, result: Any, parsed: Any, *, want_actions: bool, today: date
) -> dict[str, Any]:
    from tracker.filters import ActionFilter
    from tracker.models import Incident
    from tracker.queries import incident_json, iter_actions, row_to_json

    incident = session.get(Incident, result.incident_id)
    data: dict[str, Any] = {
        **incident_json(incident),
        "outcome": result.outcome,
        "created": result.created,
        "updated": result.updated,
        "retired": result.retired,
        "warnings": [w.message for w in parsed.warnings if w.code != "no_measures"],
    }
    if want_actions:
        f = ActionFilter(incident_id=incident.id, include_retired=True)
        data["actions"] = [
            row_to_json(r) for r in iter_actions(session.connection(), f, today, sort="id")
        ]
    return data


def _report(
    outcomes: list[FileOutcome],
    *,
    dry_run: bool,
    as_json: bool,
    progress: Callable[[str], None],
    today: Any,
) -> None:
    if as_json:
        from tracker.render import write_json

        write_json(
            {
                "dry_run": dry_run,
                "incidents": [o.incident for o in outcomes if o.incident],
                "errors": [{"path": o.source.label, "error": o.error} for o in outcomes if o.error],
            }
        )
        return
    verb = "would import" if dry_run else "imported"
    done = [o for o in outcomes if o.incident]
    for o in outcomes:
        if o.error:
            progress(f"error: {o.source.label}: {o.error}")
            continue
        inc = o.incident or {}
        counts = f"{len(inc['created'])} new, {len(inc['updated'])} updated, {len(inc['retired'])} retired"
        if inc["outcome"] == "unchanged":
            counts = "unchanged, already imported"
        if len(outcomes) <= 20:
            progress(f"{verb} {o.source.label}: incident #{inc['id']} {inc['title']!r}: {counts}")
        for w in o.warnings:
            progress(f"  warning: {w}")
        if inc.get("actions") and len(outcomes) <= 5 and inc["outcome"] != "unchanged":
            from rich.console import Console

            from tracker.render import action_table

            Console(stderr=True, highlight=False, markup=False, emoji=False).print(
                action_table(inc["actions"], today)
            )
    total_new = sum(len((o.incident or {}).get("created", [])) for o in done)
    failed = sum(1 for o in outcomes if o.error)
    progress(
        f"{verb} {len(done)} document(s), {total_new} new action(s)"
        + (f"; {failed} failed" if failed else "")
    )
