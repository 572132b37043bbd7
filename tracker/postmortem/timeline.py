"""The incident timeline: lines, headings or table rows that start with a date or time.

Times without a date take the date of the last date line seen (`**7th Sept:**`) or the
incident date; times without a zone take the zone the section announces ("All times PST"),
then the document's zone, then the configured default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo

from tracker.postmortem.blocks import TABLE_SEP_RE
from tracker.postmortem.dates import DateContext, Moment, find_zone, leading_moment
from tracker.postmortem.inline import strip_markup
from tracker.postmortem.model import TimelineEntry
from tracker.postmortem.sections import Section, descendants

TIMELINE_HEADING_RE = re.compile(
    r"timeline|chronolog|sequence of events|cronolog|l[íi]nea de tiempo|linha do tempo"
    r"|zeitleiste|zeitlicher ablauf|^\W*ablauf\W*$|事件经过|时间线|經過|经过|時系列|タイムライン|経緯"
    r"|타임라인|경과",
    re.IGNORECASE,
)


@dataclass(slots=True)
class RawEntry:
    """A timeline entry plus the text under it (used to judge start and end)."""

    entry: TimelineEntry
    detail: str = ""
    day: date | None = None  # the entry's date, also when it gives no time of day


@dataclass(slots=True)
class _State:
    day: date | None
    tz: tzinfo | None
    last: datetime | None = None


def timeline_sections(sections: list[Section]) -> list[int]:
    """Indexes of timeline sections and everything nested under them."""
    found: list[int] = []
    for index, section in enumerate(sections):
        if index not in found and TIMELINE_HEADING_RE.search(section.title):
            found += [index, *descendants(sections, index)]
    return found


def extract_timeline(
    sections: list[Section], ctx: DateContext, doc_tz: tzinfo | None
) -> list[RawEntry]:
    """Timeline entries in document order; falls back to time-led lines anywhere."""
    indexes = timeline_sections(sections)
    entries = _entries(sections, indexes, ctx, doc_tz)
    if len(entries) < 2:
        every = [i for i in range(len(sections)) if i not in indexes]
        fallback = _entries(sections, every, ctx, doc_tz)
        if len([e for e in fallback if e.entry.at]) >= 3:
            entries += fallback
    return entries


def _entries(
    sections: list[Section], indexes: list[int], ctx: DateContext, doc_tz: tzinfo | None
) -> list[RawEntry]:
    state = _State(ctx.default_date, doc_tz or ctx.default_tz)
    out: list[RawEntry] = []
    for index in indexes:
        section = sections[index]
        zone = find_zone(section.title, state.day) or _announced_zone(section, state.day)
        if zone is not None:
            state.tz = zone
        if index != indexes[0] or not TIMELINE_HEADING_RE.search(section.title):
            _line(section.title, state, ctx, out)
        in_code = False
        previous = ""
        for line in section.lines:
            if line.strip().startswith(("```", "~~~")):
                in_code = not in_code
            if in_code or TABLE_SEP_RE.match(line):
                continue
            if _line(line, state, ctx, out) or not out or not line.strip():
                previous = line
                continue
            switched = _zone_switch(line, state.day)
            if switched is not None:  # a second table of the same events, "in UTC"
                state.tz, state.last = switched, None
                previous = line
                continue
            if line[:1].isspace() and previous.strip() and not out[-1].detail:
                entry = out[-1].entry
                out[-1].entry = replace(entry, text=f"{entry.text} {strip_markup(line)}")
            elif out[-1].detail.count(" ") < 60:
                out[-1].detail += " " + strip_markup(line)
            previous = line
    return out


# A line inside the timeline that only says which clock follows: a tab labelled "UTC", a
# "Times below in UTC" note.
_ZONE_SWITCH_RE = re.compile(r"\blabel\s*=\s*[\"']|\btimes?\b|\bzone\b", re.IGNORECASE)


def _zone_switch(line: str, on: date | None) -> tzinfo | None:
    if len(line) > 100 or any(c.isdigit() for c in line) or not _ZONE_SWITCH_RE.search(line):
        return None
    return find_zone(line, on)


def _announced_zone(section: Section, on: date | None) -> tzinfo | None:
    for line in section.lines[:6]:
        if re.search(r"\btimes?\b|\bzone\b", line, re.IGNORECASE):
            zone = find_zone(line, on)
            if zone is not None:
                return zone
    return None


def _line(line: str, state: _State, ctx: DateContext, out: list[RawEntry]) -> bool:
    """Consume one line; True when it was a date line or an entry."""
    if not line.strip():
        return False
    saved = ctx.default_date
    ctx.default_date = state.day
    found = leading_moment(
        line.replace("|", " ", 1) if line.lstrip().startswith("|") else line, ctx
    )
    ctx.default_date = saved
    if found is None:
        return False
    moment, rest = found
    rest = strip_markup(rest.replace("|", " ")).strip(" |")
    if moment.day is not None:
        state.day = moment.day
    zone = find_zone(rest, state.day) if moment.at is None else None
    if zone is not None:
        state.tz = zone
    if moment.at is None and not rest.strip("() /:"):
        return True  # a date line such as "**7th Sept:**"
    at = _resolve(moment, state)
    raw = line.strip()[: moment.end + 8].strip()
    entry = TimelineEntry(at, rest or raw, _raw_time(line, moment))
    out.append(RawEntry(entry, day=moment.day or state.day))
    return True


def _raw_time(line: str, moment: Moment) -> str:
    stripped = re.sub(r"^[\s>#*|`_-]*", "", line)
    return strip_markup(stripped[: moment.end]).strip(" |:-")


def _resolve(moment: Moment, state: _State) -> datetime | None:
    day = moment.day or state.day
    if moment.at is None or day is None:
        return None
    value = Moment(day, moment.at, moment.tz, moment.start, moment.end).to_datetime(state.tz)
    if value is None:
        return None
    last = state.last
    # A time well before the previous one on the "same" day has rolled past midnight.
    if moment.day is None and last is not None and _comparable(value, last):
        rolled = value < last - timedelta(hours=6)
        value = value + timedelta(days=1) if rolled else value
        state.day = value.date()
    state.last = value
    return value


def _comparable(a: datetime, b: datetime) -> bool:
    return (a.tzinfo is None) == (b.tzinfo is None)
