"""Post-mortem text -> ParsedPostmortem: the one entry point the importer calls.

The steps are separate modules (formats, sections, timeline, incident, measures) so each
rule can be read and tested alone; this module only wires them in order.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from tracker.postmortem.blocks import clear_block_cache
from tracker.postmortem.dates import (
    DateContext,
    date_order_evidence,
    find_dates,
    has_local_dates,
)
from tracker.postmortem.formats import normalise
from tracker.postmortem.incident import (
    CAUSE_RE,
    IMPACT_RE,
    decide_window,
    document_zone,
    fields,
    find_title,
    in_assumed_zone,
    incident_date,
    meta_moments,
    section_text,
    stated_zone,
)
from tracker.postmortem.measures import action_regions, find_measures
from tracker.postmortem.model import DateOrder, ParsedMeasure, ParsedPostmortem, ParseWarning
from tracker.postmortem.sections import Section, descendants, split_sections
from tracker.postmortem.timeline import RawEntry, extract_timeline, timeline_sections

__all__ = ["parse_postmortem"]

_ORDER_WORDS = {"DMY": "day-first", "MDY": "month-first"}


def parse_postmortem(
    text: str,
    *,
    date_order: DateOrder = "MDY",
    default_tz: dt.tzinfo | None = None,
    name: str = "",
) -> ParsedPostmortem:
    """Extract incident facts, timeline and measures from one post-mortem document."""
    clear_block_cache()  # blocks are remembered within one document, not across documents
    doc = normalise(text.replace("\r\n", "\n").replace("\r", "\n"), name)
    sections = split_sections(doc.text)
    evidence = date_order_evidence(doc.text)
    order = evidence.order or date_order
    ctx = DateContext(
        date_order=order,
        default_tz=default_tz,
        order_from_document=evidence.order is not None,
        local_dates=has_local_dates(doc.text),
    )
    if evidence.order is not None and evidence.order != date_order:
        ctx.warnings.append(
            ParseWarning(
                "date_order_inferred",
                f"dates such as 11-01-2026 read {_ORDER_WORDS[order]} because the document also "
                f"writes '{evidence.example}' (configured order {date_order})",
            )
        )
    facts = fields(sections)
    day = incident_date(sections, facts, doc.meta, name, ctx)
    ctx.default_date = day
    ctx.default_year = day.year if day else _year_hint(name, doc.meta)
    prose = _prose(sections)
    doc_tz = document_zone(facts, prose, day)
    entries = extract_timeline(sections, ctx, doc_tz)
    # A post dated by its front matter or file name: the day read from it (which "since
    # yesterday" in the opening moves back) is the incident's when no time is given.
    posted_day = day if _named_day(name, doc.meta, ctx) else None
    meta_window = meta_moments(doc.meta, ctx, doc_tz or default_tz)
    window = decide_window(
        facts, prose, entries, ctx, doc_tz or default_tz, posted_day, meta_window
    )
    zone = stated_zone(prose, window, ctx, None if doc_tz else default_tz)
    if zone is not None:  # "at 4:05pm PDT" in the summary; the timeline gave no zone
        window.started_at = window.started_at and window.started_at.replace(tzinfo=zone)
        window.ended_at = window.ended_at and window.ended_at.replace(tzinfo=zone)
        entries = [_in_zone(raw, zone, default_tz) for raw in entries]
    result = ParsedPostmortem(
        title=find_title(sections, doc.meta, name),
        started_at=window.started_at,
        ended_at=window.ended_at,
        duration_minutes=window.duration_minutes,
        impact=section_text(sections, facts, IMPACT_RE),
        root_cause=section_text(sections, facts, CAUSE_RE),
        timeline=[raw.entry for raw in entries],
        measures=_template_measures(find_measures(sections, ctx), sections, doc.meta),
        format=doc.format,
        started_on=window.started_on or (window.started_at.date() if window.started_at else None),
        ended_on=window.ended_on or (window.ended_at.date() if window.ended_at else None),
    )
    result.warnings = _warnings(result, ctx)
    return result


TEMPLATE_WORD_RE = re.compile(
    r"\b(?:template|modelo|mod[èe]le|plantilla|vorlage|modello|sjabloon|шаблон)\b|テンプレート|模板|템플릿"
    r"|\bm[ẫa]u b[áa]o c[áa]o\b",
    re.IGNORECASE,
)
PLACEHOLDER_RE = re.compile(
    r"\[[^\]\d]{3,60}\](?!\()|\{\{[^}]+\}\}|<[A-Z][A-Za-z ]{2,40}>|\bX{3,}\b"
)


def _is_template(sections: list[Section], meta: dict[str, str]) -> bool:
    """A blank template: its title is a placeholder or names itself a template."""
    title = meta.get("title") or next((s.title for s in sections if s.level > 0), "")
    opening = " ".join(line for line in sections[0].lines[:5]) if sections else ""
    if PLACEHOLDER_RE.search(title) or TEMPLATE_WORD_RE.search(title):
        return True
    return bool(re.search(r"\b(?:use|copy|fill (?:in|out)) this\s+\w*\s*template\b", opening, re.I))


def _template_measures(
    measures: list[ParsedMeasure], sections: list[Section], meta: dict[str, str]
) -> list[ParsedMeasure]:
    """In a blank template, the rows are examples: offered for review, never imported."""
    if not measures or not _is_template(sections, meta):
        return measures
    return [
        replace(m, confidence=min(m.confidence, 0.3), reason=f"template example ({m.reason})")
        for m in measures
    ]


def _in_zone(raw: RawEntry, zone: dt.tzinfo, assumed: dt.tzinfo | None) -> RawEntry:
    """A timeline entry read in the configured zone, moved to the zone the prose states."""
    at = raw.entry.at
    if at is None or not in_assumed_zone(at, assumed):
        return raw
    return replace(raw, entry=replace(raw.entry, at=at.replace(tzinfo=zone)))


def _named_day(name: str, meta: dict[str, str], ctx: DateContext) -> dt.date | None:
    """A full date in front matter or the file name ('2020-02-19-outage.md')."""
    for text in (meta.get("date", ""), name):
        found = [d for d in find_dates(text, ctx) if d.has_year]
        if found:
            return found[0].value
    return None


def _year_hint(name: str, meta: dict[str, str]) -> int | None:
    """A bare year in the file name or metadata, so 'Feb 18 20:00' still gets a year."""
    m = re.search(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)", f"{meta.get('date', '')} {name}")
    return int(m[1]) if m else None


def _prose(sections: list[Section]) -> str:
    """Headings and text outside the timeline: where windows and durations are stated."""
    skip = set(timeline_sections(sections))
    # "Deploy to 5% of pods for 30 minutes" in an action item is not the outage's duration.
    for root in action_regions(sections):
        skip.update([root, *descendants(sections, root)])
    parts: list[str] = []
    for index, section in enumerate(sections):
        if index in skip:
            continue
        parts.append(section.title)
        parts.extend(section.lines)
    return "\n".join(parts)


def _warnings(result: ParsedPostmortem, ctx: DateContext) -> list[ParseWarning]:
    warnings = list(ctx.warnings)
    if not result.measures:
        warnings.append(
            ParseWarning(
                "no_measures",
                "no corrective or preventive measures found; add an 'Action items' section "
                "or add the actions by hand",
            )
        )
    times = [t for t in (result.started_at, result.ended_at) if t is not None]
    if any(t.tzinfo is None for t in times):
        warnings.append(
            ParseWarning(
                "no_timezone",
                "the document gives times without a time zone; set policy.timezone or "
                "check the incident times",
            )
        )
    return warnings
