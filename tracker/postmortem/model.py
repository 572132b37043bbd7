"""Plain values produced by the post-mortem parser.

The parser is pure: text in, these dataclasses out. Nothing here touches a database, so the
import command, the dashboard's preview and the benchmarks all share one result shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Kind = Literal["corrective", "preventive", "detective", "mitigation", "process"]
KINDS: tuple[Kind, ...] = ("corrective", "preventive", "detective", "mitigation", "process")
Priority = Literal["P0", "P1", "P2", "P3"]
PRIORITIES: tuple[Priority, ...] = ("P0", "P1", "P2", "P3")
DateOrder = Literal["MDY", "DMY"]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of the incident timeline; `at` is None when the line had no readable time."""

    at: datetime | None
    text: str
    raw_time: str = ""


@dataclass(frozen=True, slots=True)
class ParsedMeasure:
    """One corrective or preventive measure as the document states it."""

    title: str
    kind: Kind
    description: str = ""
    owner: str | None = None
    priority: Priority | None = None
    due_date: date | None = None
    tracking_ref: str | None = None
    # Status as stated in the document ("done", "in_progress") or None when not stated.
    doc_status: str | None = None
    # Where in the document it came from (section heading), for previews and history.
    section: str = ""
    # How sure the reader is that this is a measure (0..1) and why it was taken, in words a
    # person can check ("under 'Action items'", "'we will' in 'Lessons'"). Below
    # `[import] min_confidence` it is offered for review instead of imported.
    confidence: float = 1.0
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something the reader should check, e.g. an ambiguous date read with the configured order."""

    code: str  # "ambiguous_date", "no_measures", "no_timezone", ...
    message: str


@dataclass(slots=True)
class ParsedPostmortem:
    """Everything the importer extracted from one document."""

    title: str
    started_at: datetime | None = None  # timezone-aware when the document gives a zone
    ended_at: datetime | None = None
    duration_minutes: int | None = None
    impact: str | None = None
    root_cause: str | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    measures: list[ParsedMeasure] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    format: str = "text"  # "markdown", "text", "rst", "html"
    # The day the incident started/ended when known; set even when no time of day is given.
    started_on: date | None = None
    ended_on: date | None = None
