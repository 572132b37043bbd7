"""Reading documents for an import: bytes to a parsed post-mortem, in worker processes when
there are many.

Parsing is pure and costs about as much as storing the result, so a bulk import parses the
next documents in other processes while this one writes. A few documents (and standard
input) are read here: starting a worker costs more than parsing a handful.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import tzinfo
from multiprocessing import get_context
from typing import TYPE_CHECKING

from tracker.importing.sources import MAX_BYTES, Source, read_bytes

if TYPE_CHECKING:
    from tracker.postmortem.model import DateOrder, ParsedPostmortem

# From this many documents on, parse in worker processes (when the machine has 2+ cores).
POOL_MIN_DOCUMENTS = 100
MAX_WORKERS = 4
# Documents per task sent to a worker, and tasks in flight per worker: enough to keep the
# workers busy, few enough that parsed documents do not pile up in memory.
CHUNK = 16
IN_FLIGHT = 4


@dataclass(frozen=True)
class ReadDocument:
    """One document read and parsed, or the reason it could not be."""

    parsed: ParsedPostmortem | None = None
    text_hash: str = ""
    error: str | None = None
    # The failure classes its incident gets if it is new (tracker.recurrence): classifying
    # costs as much as storing, so a worker does it too.
    classes: list[str] | None = None


def document_hash(text: str, date_order: str) -> str:
    """The document's fingerprint as imported: its text, and the date order when not the
    default, so that importing again with `--date-order DMY` re-reads it."""
    from tracker.importing.save import content_hash

    return content_hash(text if date_order == "MDY" else f"date_order={date_order}\n{text}")


def read_document(
    source: Source, date_order: DateOrder, default_tz: tzinfo, min_confidence: float
) -> ReadDocument:
    """Read, decode and parse one document; a bad file gives its error, not an exception."""
    from tracker.postmortem import DocumentError, decode_document, parse_postmortem

    try:
        text = decode_document(read_bytes(source), name=source.label, max_bytes=MAX_BYTES)
        parsed = parse_postmortem(
            text,
            date_order=date_order,
            default_tz=default_tz,
            name=source.path.name if source.path else "",
        )
    except (DocumentError, OSError) as exc:
        error = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return ReadDocument(error=error)
    classes = classes_if_new(parsed, min_confidence)
    return ReadDocument(parsed, document_hash(text, date_order), classes=classes)


def classes_if_new(parsed: ParsedPostmortem, min_confidence: float) -> list[str]:
    """The failure classes of the incident the document gives when nothing of it is stored
    yet: its words as tracker.importing.save would store them, actions above the threshold."""
    from tracker.importing.save import incident_values, split_measures
    from tracker.recurrence.match import classify
    from tracker.recurrence.store import incident_words

    actions, _ = split_measures(parsed.measures, min_confidence)
    return classify(
        incident_words({"id": 0, **incident_values(parsed)}, [m.title for m in actions])
    )


def _read_chunk(
    sources: Sequence[Source], date_order: DateOrder, default_tz: tzinfo, min_confidence: float
) -> list[ReadDocument]:
    return [read_document(s, date_order, default_tz, min_confidence) for s in sources]


def read_documents(
    sources: Sequence[Source], date_order: DateOrder, default_tz: tzinfo, min_confidence: float
) -> Iterator[ReadDocument]:
    """Each source read and parsed, in order: in worker processes for a bulk import."""
    cores = os.cpu_count() or 1
    # One core stays with the writer, which is the slower half: on two cores, 10,000 documents
    # took 86 s with one worker and 98 s with two (the second one took CPU from the writer).
    workers = min(cores - 1, MAX_WORKERS)
    on_disk = all(s.path is not None for s in sources)
    if len(sources) < POOL_MIN_DOCUMENTS or cores < 2 or not on_disk:
        for s in sources:
            yield read_document(s, date_order, default_tz, min_confidence)
        return
    chunks = [sources[i : i + CHUNK] for i in range(0, len(sources), CHUNK)]
    # "spawn": the caller may be the dashboard, whose threads a forked child must not inherit.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        pending: deque[Future[list[ReadDocument]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_read_chunk, chunk, date_order, default_tz, min_confidence))
            if len(pending) >= workers * IN_FLIGHT:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
