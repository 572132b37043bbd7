"""Incident facts: title, the incident date, start/end/duration, impact and root cause.

Stated facts beat inferred ones: an explicit "from A to B" window or a "Date of incident"
field wins over the timeline, and a stated duration ("for about 12 hours") wins over the
difference of start and end, because authors round on purpose. Of several stated windows the
one written first counts: a summary comes before the details of one step of the response.

Over 500 lines because title, window, zone, impact and cause are read from the same fields
and prose; each rule needs the others' results, so they stay together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache

from tracker.postmortem.blocks import section_blocks
from tracker.postmortem.dates import (
    MONTHS as MONTH_ABBREVIATIONS,
)
from tracker.postmortem.dates import (
    DateContext,
    Moment,
    find_dates,
    find_moments,
    find_times,
    find_zone,
    on_or_after,
    stated_duration,
    weekday_number,
)
from tracker.postmortem.inline import strip_markup
from tracker.postmortem.labels import DISTRACTOR_LABEL_RE, is_action_label
from tracker.postmortem.sections import LEVEL_BOLD, Section
from tracker.postmortem.timeline import RawEntry

GENERIC_TITLES = {
    "postmortem", "post mortem", "postmortem report", "post mortem report", "incident report",
    "incident postmortem", "incident post mortem", "retrospective", "rca", "root cause analysis",
    "outage report", "incident review", "post incident review", "pir", "report", "summary",
    "postmortems", "post mortems", "incidents", "incident reports", "incident", "outage",
}  # fmt: skip
# `Label: value`, also `- Label: value`, `:Label: value` (reST field lists), `**Label:**`, a
# full-width colon (开始时间：…) and labels in any script ("Thời gian bắt đầu", "Начало").
FIELD_RE = re.compile(
    r"^\s*(?:[-*+]\s+|:)?\**_?((?:[A-Z]|[^\W\d_a-z])(?:[^\W\d_]|[ /()'’-]){1,40}?)_?\**\s*[:：]"
    r"\s*\**\s*(.*)$"
    r"|^\s*_(?P<label>[A-Z][A-Za-z /()'’-]{1,40}?)_\s+(?P<value>\S.*)$"
)
RANGE_JOIN_RE = re.compile(
    r"^[\s,)）*_`]*(?:(?:Uhr|hrs?|h|horas?|heures?)\b[\s,)）*_`]*)?(?:to|until|till|through|and|-|–|—|~|～|〜|a|à|al|alle|ao|e|y|et|und|bis|tot"
    r"|en|do|до|по|і|и|và|đến|ile|hingga|sampai|às|as|至|到|から|부터)"
    # "entre las 10:15 y las 11:45", "tra le 10:15 e le 11:45": an article before the time
    r"[\s,(（*_`]*(?:(?:las?|le|les|los|the|de)\s+)?"
    # "bis Sonntag, 10. Mai": a weekday before the end's date
    r"(?:(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|montag|dienstag"
    r"|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|mi[ée]rcoles|jueves|viernes"
    r"|s[áa]bado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche),?\s+)?"
    # "14:10 – ok. 16:15": an approximate end
    r"(?:(?:ok|ca|approx|około|около|близько|env|etwa|約|约)\.?\s*)?$",
    re.IGNORECASE,
)
END_FIELD_RE = re.compile(
    r"resol|\bend(?:ed)?\b|restor|recover|mitigat"
    # es/pt/it/fr "Fin/Fim/Fine", de "Ende", nl "Einde", ru, zh, ja, ko, vi
    r"|\bfin\b|\bfim\b|\bfine\b|\bt[ée]rmino\b|finalizaci|\bende\b|(?:störungs|ausfall|vorfall)ende"
    r"|\beinde\b|behoben|behebung|wiederhergestellt|rétabli|retabli|restablec|ripristin|herstel"
    r"|окончани|конец|восстановлен|устранен|结束|恢复|解决|終了|復旧|収束|解消|종료|복구|해결"
    r"|kết thúc|khôi phục",
    re.IGNORECASE,
)
START_FIELD_RE = re.compile(
    r"date of (?:the )?incident|incident (?:date|start)|^start(?:ed)?(?: at| time)?$|began"
    r"|^(?:incident |outage |impact |downtime )?start(?:ed)?(?: at| time| of (?:the )?"
    r"(?:incident|impact|outage))?\s*[(（]|^(?:outage|impact|downtime) start"
    r"|\binicio\b|\bin[íi]cio\b|\binizio\b|\bcomienzo\b|\bcome[çc]o\b|beginn\b|^begin\b"
    r"|\bd[ée]but\b|^aanvang|^starttijd|начал|开始|開始|発生|发生|발생|시작|bắt đầu"
    r"|^ocorr[eê]ncia|^occurred",
    re.IGNORECASE,
)
DATE_FIELD_RE = re.compile(
    r"^(?:date|incident date|date of (?:the )?incident|fecha|data|datum|date de l'incident"
    r"|日付|発生日|日期|날짜|дата|ng[àa]y)$",
    re.IGNORECASE,
)
PROBLEM_RE = re.compile(
    r"\bstop(?:s|ped|ping)?\b|\bfail|\berror|\bdown\b|outage|degrad|unavailab|\bhalt|crash|broken|out of memory"
    r"|spike|\bslow|time ?out|not respond|saturat|\blost\b|unauthori|compromis|breach|leak"
    r"|expired|\bbug\b|backlog|backed up|fall(?:s|ing)? behind|\bhang(?:s|ing)?\b|\bhung\b"
    r"|unreachable|nicht erreichbar"
    r"|(?<!#)\b5\d\d(?:s\b|\b)|5xx|ошибк|errores|erreurs|fehler|errori|fouten|erros|错误|报错|エラー|오류|lỗi"
    # the same words in the European languages (障害, 故障 are left out: they name the whole
    # incident, so a timeline mentions them in entries about anything)
    r"|\berror|\berrore|\berreur|foutmelding|\bstoring|błęd|błąd|awari|помилк|збо[їй]|сбо[йи]"
    r"|\bfalh|\bfall[óo]|\bfallo|\bca[íi]da|\bpanne|ausfall|störung|\bguasto"
    r"|sự cố|gangguan|\bgagal|hata",
    re.IGNORECASE,
)
RESOLVED_RE = re.compile(
    r"resolved|restored|recovered|back to normal|returned to normal|fully|normal operation"
    r"|all clear|mitigated|is back|are back|working again|service (?:is )?(?:up|healthy)",
    re.IGNORECASE,
)
WHEN_FIELD_RE = re.compile(r"date|time|duration|window|when|period|outage|start", re.I)
IMPACT_RE = re.compile(r"\bimpact|consequences|customer effect|user effect", re.IGNORECASE)
CAUSE_RE = re.compile(r"root cause|\bcauses?\b|what caused|why it happened", re.IGNORECASE)


META_START_KEYS = ("started", "start", "started_at", "startdate", "date")
META_END_KEYS = ("resolvedwhen", "resolved_at", "resolvedat", "ended", "end", "ended_at", "enddate")


@dataclass(slots=True)
class Window:
    """Start, end and duration as finally decided."""

    started_at: datetime | None = None
    ended_at: datetime | None = None
    duration_minutes: int | None = None
    started_on: date | None = None
    ended_on: date | None = None


def sentence_case(text: str) -> str:
    """'OUTAGE OF THE SHOP' -> 'Outage of the shop'; mixed-case text is left as written."""
    letters = [ch for ch in text if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        lowered = text.lower()
        return lowered[:1].upper() + lowered[1:]
    return text


def _generic(title: str) -> bool:
    key = re.sub(r"[^a-z ]+", " ", title.lower().replace("-", " ")).split()
    # "Acme Status", "Status page": the name of a status site above its incidents
    status_site = 0 < len(key) <= 3 and key[-1] in {"status", "page"} and "status" in key
    return " ".join(key) in GENERIC_TITLES or status_site


def find_title(sections: list[Section], meta: dict[str, str], name: str) -> str:
    """Front-matter title, else the first descriptive heading, else the first line."""
    if meta.get("title"):
        return meta["title"].strip()
    subject = _mail_subject(sections)
    if subject:
        return subject
    headings = [s for s in sections if s.level > 0 and s.title and s.level < LEVEL_BOLD]
    preamble = _preamble_title(sections)
    # Once a heading names a section ('## Summary'), the headings at its level are sections
    # too ('## How was it fixed'): a document that opens that way has no title heading.
    section_level = LEVEL_BOLD
    for section in headings:
        plain = re.sub(r"^\d{1,2}[.)]\s+", "", strip_markup(section.title))
        if section.level == section_level:
            continue
        if not plain or _generic(plain) or _date_only(plain):
            continue
        if preamble and _section_word(plain):
            return preamble  # 'COOL-465: FIPS failures' above bare 'CAUSE', 'Timeline'
        if _section_word(plain):
            section_level = section_level if section_level < LEVEL_BOLD else section.level
            continue
        return sentence_case(plain)
    if preamble:
        return preamble
    opening = _opening_bold_title(sections)
    if opening:
        return opening
    for line in sections[0].lines if sections else []:
        plain = strip_markup(line)
        if plain and not _generic(plain):
            return sentence_case(plain)[:200]
    return _file_title(name)


def _file_title(name: str) -> str:
    """'2017-02-28 -- AWS S3 US offline.md' -> 'AWS S3 US offline': the name less its date
    or sequence number."""
    stem = re.sub(r"\.[a-z0-9]+$", "", name.rsplit("/", 1)[-1])
    words = re.sub(r"[-_]+", " ", stem).strip()
    rest = re.sub(r"^(?:\d{4}\s+\d{1,2}\s+\d{1,2}|\d{1,5})\b\s*", "", words)
    return sentence_case(rest) if rest else words or "Untitled incident"


_MAIL_HEADER_RE = re.compile(
    r"^(?:from|to|cc|date|sent|subject|von|an|de|à|para|da|a|od|do)\s*:", re.I
)
_SUBJECT_RE = re.compile(
    r"^(?:subject|betreff|objet|asunto|assunto|oggetto|temat|onderwerp)\s*:\s*(.+)$", re.I
)
# "Re:", "Fwd:", "[Resolved]", "[EXTERNAL]" in front of a subject say nothing of the incident.
_SUBJECT_PREFIX_RE = re.compile(r"^(?:(?:re|fwd?|aw|wg|tr|rv|r)\s*:\s*|\[[^\]]{1,24}\]\s*)+", re.I)


def _mail_subject(sections: list[Section]) -> str | None:
    """An e-mail's Subject line, when the document opens with mail headers."""
    if not sections or sections[0].level != 0:
        return None
    head = [line.strip() for line in sections[0].lines[:12] if line.strip()]
    if sum(1 for line in head if _MAIL_HEADER_RE.match(line)) < 2:
        return None
    for line in head:
        m = _SUBJECT_RE.match(line)
        if m:
            subject = _SUBJECT_PREFIX_RE.sub("", strip_markup(m[1])).strip()
            return subject or None
    return None


def _date_only(title: str) -> bool:
    """'22/Mar/2022', '2019-03-13': a heading that only dates an entry."""
    rest = re.sub(r"[\d\s/.,:-]+", " ", title).split()
    return any(ch.isdigit() for ch in title) and all(
        word[:3].lower() in MONTH_ABBREVIATIONS for word in rest
    )


@lru_cache(maxsize=1024)
def _section_word(title: str) -> bool:
    """A heading that names a part of a report ('Timeline', 'What happened?'), not an incident."""
    if re.search(
        r"post-?mortem|incident|outage|failure|st[öo]rung|障害|事故|장애|sự cố", title, re.I
    ):
        return False
    return (
        title.rstrip().endswith("?")
        or bool(DISTRACTOR_LABEL_RE.search(title) and len(title.split()) <= 3)
        or is_action_label(title)
    )


def _opening_bold_title(sections: list[Section]) -> str | None:
    """A bold line that opens a document without headings: '**Incident report: …**'."""
    for section in sections:
        if section.level == 0 and not any(line.strip() for line in section.lines):
            continue
        plain = strip_markup(section.title) if section.level == LEVEL_BOLD else ""
        if plain and not _generic(plain) and not _section_word(plain):
            return sentence_case(plain)
        return None
    return None


def _preamble_title(sections: list[Section]) -> str | None:
    """A short first line before any heading, written like a title (no full stop)."""
    if not sections or sections[0].level != 0:
        return None
    for line in sections[0].lines:
        plain = strip_markup(line)
        if not plain:
            continue
        if len(plain.split()) <= 14 and not plain.endswith((".", ":", ",")) and plain[0].isalnum():
            return sentence_case(plain)
        return None
    return None


def fields(sections: list[Section]) -> dict[str, str]:
    """`Label: value` lines (the value may be the lines right under an empty label)."""
    found: dict[str, str] = {}
    for section in sections:
        lines = section.lines
        for i, line in enumerate(lines):
            if line.startswith("|"):
                _table_fact(line, found)
                continue
            m = FIELD_RE.match(line)
            if m is None or len((m[1] or m["label"]).split()) > 5:
                continue
            label = (m[1] or m["label"]).strip().lower()
            value = (m[2] if m[1] else m["value"]).strip().strip("*").strip()
            if not value:
                value = _following_text(lines, i + 1)
            if value and label not in found:
                found[label] = strip_markup(value)
    return found


_FACT_ROW_RE = re.compile(r"^\|\s*\**([^|*]{2,40}?)\**\s*[:：]?\s*\|\s*([^|]+?)\s*\|?\s*$")


def _table_fact(line: str, found: dict[str, str]) -> None:
    """A two-column table row `| Incident start | 2026-09-14 10:05 UTC |` is a labelled fact."""
    m = _FACT_ROW_RE.match(line)
    if m is None or set(m[2]) <= set("-: "):
        return
    label = m[1].strip().lower()
    if label and len(label.split()) <= 5 and label not in found:
        found[label] = strip_markup(m[2])


def _following_text(lines: list[str], start: int) -> str:
    out: list[str] = []
    for line in lines[start:]:
        if not line.strip():
            if out:
                break
            continue
        if FIELD_RE.match(line) and not line.lstrip().startswith(("-", "*")):
            break
        out.append(line.strip().lstrip("-* "))
    return " ".join(out)


def incident_date(
    sections: list[Section],
    facts: dict[str, str],
    meta: dict[str, str],
    name: str,
    ctx: DateContext,
) -> date | None:
    """The day of the incident: a date field, the title, front matter, the file name, prose."""
    titles = [meta.get("title", ""), facts.get("subject", "")]
    titles += [s.title for s in sections if s.level > 0][:2]
    candidates = [v for k, v in facts.items() if START_FIELD_RE.search(k) or DATE_FIELD_RE.match(k)]
    candidates += [v for k, v in facts.items() if WHEN_FIELD_RE.search(k)]
    candidates += [s.title for s in sections if s.level > 0][:2]
    for text in candidates:
        dates = [d for d in find_dates(text, ctx) if d.has_year]
        if dates and text == facts.get("date"):
            # A mail's "Date:" is when it was sent: "... on Saturday" in the subject is earlier.
            return _titled_day(titles, dates[0].value, ctx) or dates[0].value
        if dates:
            return dates[0].value
    # "On 5 November we had …" in the text beats a publication date in front matter.
    stated = on_date(sections, ctx, _published(meta, name, ctx))
    if stated is not None:
        return stated
    # Else when it was published (front matter, file name, else the first full date written),
    # unless a title or the opening names an earlier day: "on Saturday", "Saturday the 4th".
    published = _published(meta, name, ctx) or next(
        (d.value for s in sections for d in find_dates(" ".join(s.lines[:40]), ctx) if d.has_year),
        None,
    )
    if published is None:
        return _titled_day_of_year(titles, meta, name, ctx)
    opening = " ".join(line for s in sections[:3] for line in s.lines[:30])
    return (
        _titled_day(titles, published, ctx)
        or _weekday_the_nth(opening, published)
        or _opening_weekday(opening, published)
        or _since_yesterday(opening[:600], published)
        or published
    )


def _titled_day_of_year(
    titles: list[str], meta: dict[str, str], name: str, ctx: DateContext
) -> date | None:
    """'... on April 11' in a title, the year from a slug or file name ('2026-04-outage')."""
    m = re.search(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)", " ".join([*meta.values(), name]))
    if m is None:
        return None
    hinted = DateContext(
        ctx.date_order,
        order_from_document=True,
        default_year=int(m[1]),
        local_dates=ctx.local_dates,
    )
    for title in titles:
        dates = [d.value for d in find_dates(title, hinted) if not d.has_year]
        if dates:
            return dates[0]
    return None


# "... on Saturday" in a post's title: the last such weekday up to the day it was published.
_TITLE_WEEKDAY_RE = re.compile(
    r"\b(?:on|last|this)\s+(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b", re.IGNORECASE
)


def _titled_day(titles: list[str], published: date, ctx: DateContext) -> date | None:
    """The incident day a title names without a year ('outage on 3 March', 'on Saturday')."""
    hinted = DateContext(
        ctx.date_order,
        order_from_document=True,
        default_year=published.year,
        local_dates=ctx.local_dates,
    )
    for title in titles:
        dates = [d.value for d in find_dates(title, hinted) if not d.has_year]
        if dates:
            day = dates[0]
            return (_safe_day(day.year - 1, day) or day) if day > published else day
        m = _TITLE_WEEKDAY_RE.search(title)
        number = weekday_number(m["wd"]) if m else None
        if number is not None:
            return published - timedelta(days=(published.weekday() - number) % 7)
    return None


# "Saturday the 4th at about 2:30pm": a day of the month the post's reader knows by its weekday.
_WEEKDAY_THE_NTH_RE = re.compile(
    r"\b(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day),?\s+the\s+(?P<d>[123]?\d)(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)


def _weekday_the_nth(text: str, published: date) -> date | None:
    """The latest day up to publication with that day of the month and that weekday."""
    m = _WEEKDAY_THE_NTH_RE.search(text)
    if m is None:
        return None
    weekday, day = weekday_number(m["wd"]), int(m["d"])
    for back in range(62):
        candidate = published - timedelta(days=back)
        if candidate.day == day and candidate.weekday() == weekday:
            return candidate
    return None


# "Thursday evening, around 9:15 pm ..." opening a sentence of a post: the Thursday before.
_OPENING_WEEKDAY_RE = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:On|Last)\s+)?(?P<wd>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
    r"(?:\s+(?:morning|afternoon|evening|night))?,"
)


def _opening_weekday(text: str, published: date) -> date | None:
    """The latest such weekday before the day the post was published."""
    m = _OPENING_WEEKDAY_RE.search(text)
    number = weekday_number(m["wd"]) if m else None
    if number is None:
        return None
    return published - timedelta(days=(published.weekday() - number - 1) % 7 + 1)


# "Since yesterday the gateway is down", "从昨天起", "depuis hier": the day before the post.
_YESTERDAY_RE = re.compile(
    r"\b(?:yesterday|last night|gestern|ayer|ontem|ieri|gisteren|wczoraj|вчера|hôm qua"
    r"|depuis hier|hier (?:soir|matin|après-midi))\b|昨天|昨日|昨晚|昨夜|어제",
    re.IGNORECASE,
)


def _since_yesterday(text: str, published: date) -> date | None:
    return published - timedelta(days=1) if _YESTERDAY_RE.search(text) else None


# "On 3 May", and the same opening in German, Spanish, French, Italian, Portuguese, Dutch.
_ON_OPENING_RE = re.compile(r"(?:^|[.!?]\s+|-\s+)(?:On|Am|El|Le|Il|Em|Op)\s+")
# "... in the Oregon Region on October 20, 2026, ...": a dated "on" inside a sentence.
_ON_INSIDE_RE = re.compile(
    r"\b[Oo]n\s+(?=\d|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))"
)


def _published(meta: dict[str, str], name: str, ctx: DateContext) -> date | None:
    """The front matter's date or the file name's: when the post was published."""
    for text in (meta.get("date", ""), name):
        dates = [d for d in find_dates(text, ctx) if d.has_year]
        if dates:
            return dates[0].value
    return None


def on_date(
    sections: list[Section], ctx: DateContext, published: date | None = None
) -> date | None:
    """'On 31st July 2018, ...' opening a paragraph (else 'on <date>' inside one): the day."""
    paragraphs = [
        strip_markup(block.text)
        for section in sections
        for block in section_blocks(section.lines)
        if block.kind == "para"
    ]
    for pattern in (_ON_OPENING_RE, _ON_INSIDE_RE):
        for text in paragraphs:
            for m in pattern.finditer(text):
                dates = find_dates(text[m.end() : m.end() + 40], ctx)
                if dates and dates[0].start == 0 and dates[0].has_year:
                    return dates[0].value
    return _on_date_without_year(paragraphs, sections, ctx, published)


def _on_date_without_year(
    paragraphs: list[str], sections: list[Section], ctx: DateContext, published: date | None
) -> date | None:
    """'On Sunday, July 19, we were down': the year is the one the document dates itself by."""
    openings = [(text, m.end()) for text in paragraphs for m in _ON_OPENING_RE.finditer(text)]
    if not openings:
        return None
    # The body's own year first; else the publication year of the front matter or file name.
    year = _document_year(sections, ctx) or (published.year if published else None)
    if year is None:
        return None
    hinted = DateContext(
        ctx.date_order, order_from_document=True, default_year=year, local_dates=ctx.local_dates
    )
    for text, end in openings:
        dates = find_dates(text[end : end + 40], hinted)
        if dates and dates[0].start == 0:
            day = dates[0].value
            if published is not None and day > published and day.year == published.year:
                day = _safe_day(day.year - 1, day) or day  # "On December 30" posted in January
            return day
    return None


def _safe_day(year: int, day: date) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:
        return None


def _document_year(sections: list[Section], ctx: DateContext) -> int | None:
    """The year of the first full date written anywhere (a byline, a header, a heading)."""
    for section in sections:
        for line in [section.title, *section.lines]:
            dated = [d for d in find_dates(line, ctx) if d.has_year]
            if dated:
                return dated[0].value.year
    return None


def document_zone(facts: dict[str, str], prose: str, on: date | None) -> tzinfo | None:
    """The zone the header fields or the stated window use, applied to zone-less times."""
    for label, value in facts.items():
        when = re.search(r"date|time|duration|window|start|incident", label) or (
            START_FIELD_RE.search(label) or END_FIELD_RE.search(label) or DATE_FIELD_RE.match(label)
        )
        if when and find_moments(value, DateContext()):
            zone = find_zone(value, on) or _label_zone(label, on)
            if zone is not None:
                return zone
    window = explicit_window(prose, DateContext(default_date=on))
    if window is not None and window[1].tzinfo is not None:
        return window[1].tzinfo
    return announced_zone(prose, on)


# "All times in CET", "Alle tijden in CET", "Todas las horas en hora de Madrid", "時刻はJST".
ZONE_STATEMENT_RE = re.compile(
    r"\btimes?\b|tijden|zeit|horas|horarios|horaires|heures|orari|\bore\b|godzin|czas"
    r"|время|часу|часом|時刻|时间|時間|시간|\bgiờ\b|waktu|saatler",
    re.IGNORECASE,
)


def announced_zone(prose: str, on: date | None) -> tzinfo | None:
    """The zone a short line announces for every time of the document, without a clock."""
    seen: set[int] = set()
    for m in ZONE_STATEMENT_RE.finditer(prose):
        begin = prose.rfind("\n", 0, m.start()) + 1
        if begin in seen:
            continue
        seen.add(begin)
        end = prose.find("\n", m.end())
        line = prose[begin : end if end != -1 else len(prose)]
        if len(line) > 100 or find_times(line):
            continue
        zone = find_zone(line, on)
        if zone is not None:
            return zone
    return None


def in_assumed_zone(at: datetime, assumed: tzinfo | None) -> bool:
    """Whether `at` carries the configured zone (read as a fixed offset), not a stated one."""
    if at.tzinfo is None:
        return True
    return assumed is not None and at.utcoffset() == at.replace(tzinfo=assumed).utcoffset()


def stated_zone(
    prose: str, window: Window, ctx: DateContext, assumed: tzinfo | None = None
) -> tzinfo | None:
    """The zone prose gives the window's own start or end ("at 4:05pm PDT", "（JST）").

    A zone-less timeline then lies in it (rather than in `assumed`, the configured zone it
    was given). Only a time that matches the window counts: a zone on some other time (a log
    line, one event) says nothing about the rest.
    """
    times = [t for t in (window.started_at, window.ended_at) if t is not None]
    if not times or any(t.tzinfo is not None and not in_assumed_zone(t, assumed) for t in times):
        return None
    ends = {t.time() for t in times}
    for paragraph in prose.split("\n\n"):
        if not _DIGIT_IN.search(paragraph):
            continue
        for moment in find_moments(" ".join(paragraph.split()), ctx):  # a zone wraps lines
            if moment.tz is not None and moment.at in ends:
                return moment.tz
    return None


def _label_zone(label: str, on: date | None) -> tzinfo | None:
    """A zone named in the label's parentheses: 'Start time (UTC)', 'Beginn (MEZ)'."""
    inner = re.search(r"[(（]([^)）]{1,20})[)）]", label)
    return find_zone(inner[1].upper(), on) if inner is not None else None


def explicit_window(text: str, ctx: DateContext) -> tuple[datetime, datetime] | None:
    """The first 'A to B' / 'between A and B' pair of times in prose or header fields."""
    found = _explicit_window_at(text, ctx)
    return found[1] if found is not None else None


def _explicit_window_at(
    text: str, ctx: DateContext
) -> tuple[int, tuple[datetime, datetime]] | None:
    """The first stated window and where it is written."""
    offset = 0
    for line in text.split("\n"):
        at, offset = offset, offset + len(line) + 1
        moments = find_moments(line, ctx)
        day = None  # 'on 2026-04-20 between 10:00 and 11:30 UTC': the date before the times
        for first, second in zip(moments, moments[1:], strict=False):
            if first.at is None:
                day = first.day or day
                continue
            if second.at is None:
                continue
            if not RANGE_JOIN_RE.match(line[first.end : second.start]):
                continue
            if first.day is None and day is not None:
                first = replace(first, day=day)
            first, second = _weekday_days(line, first, second, ctx)
            if first.tz is None and second.tz is None:
                second = replace(second, tz=_zone_in_brackets(line[second.end :], ctx))
            pair = _pair(_shared_meridiem(line, first, second), second, ctx)
            return (at, pair) if pair is not None else None
    return None


# "Saturday ~02:00 until Sunday 11:30": a weekday right before a time names its day.
_WEEKDAY_BEFORE_RE = re.compile(
    r"\b(?P<wd>(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|montag|dienstag"
    r"|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|mi[ée]rcoles|jueves|viernes"
    r"|s[áa]bado|domingo)\.?,?\s*"
    r"(?:(?:~|ca\.|about|around)\s*)?$",
    re.IGNORECASE,
)


def _weekday_days(
    line: str, first: Moment, second: Moment, ctx: DateContext
) -> tuple[Moment, Moment]:
    """Days for times led by weekdays, counted from the incident day."""
    base = first.day or ctx.default_date
    if base is None or second.day is not None:
        return first, second
    if first.day is None:
        m = _WEEKDAY_BEFORE_RE.search(line[max(0, first.start - 16) : first.start])
        number = weekday_number(m["wd"]) if m else None
        if number is not None:
            base = on_or_after(base, number)
            first = replace(first, day=base)
    m = _WEEKDAY_BEFORE_RE.search(line[first.end : second.start])
    number = weekday_number(m["wd"]) if m else None
    if number is not None and first.day is not None:
        second = replace(second, day=on_or_after(first.day, number))
    return first, second


_BRACKETED_RE = re.compile(r"[(（]([^()（）]{1,30})[)）]")


def _zone_in_brackets(rest: str, ctx: DateContext) -> tzinfo | None:
    """'10:15 ile 11:45 arasında (TSİ)': a zone in brackets a few words after the range."""
    m = _BRACKETED_RE.search(rest[:40])
    return find_zone(m[1], ctx.default_date) if m is not None else None


_MERIDIEM_RE = re.compile(r"\d\s?[ap]\.?m\b|[ap]\.m\.|午後|下午|오후", re.IGNORECASE)


def _shared_meridiem(line: str, first: Moment, second: Moment) -> Moment:
    """'between 6:15 and 7:49 PM': the second time's PM also holds for the first."""
    if first.at is None or second.at is None or first.at.hour >= 12:
        return first
    if _MERIDIEM_RE.search(line[first.start : first.end]) or not _MERIDIEM_RE.search(
        line[second.start : second.end]
    ):
        return first  # each has its own, or neither does (a 24-hour clock: "6:15 to 19:49")
    if second.at.hour >= 12 and first.at.hour + 12 <= second.at.hour:
        return replace(first, at=first.at.replace(hour=first.at.hour + 12))
    return first


IMPACT_START_RE = re.compile(
    r"\b(?:start(?:ed|ing)?|began|begin(?:ning)?|outage (?:at|from)|down (?:at|from)|since"
    r"|stopped|went down|became unavailable)\b"
    r"[^.;\n]{0,80}$",
    re.IGNORECASE,
)
IMPACT_END_RE = re.compile(
    r"\b(?:resolved|restored|recovered|mitigated|fixed|ended|back (?:to normal|up|online)"
    r"|fully operational|until|(?:was|were|came) back)\b[^.;\n]{0,40}$",
    re.IGNORECASE,
)

# "At 3:05pm UTC search stopped answering": the English cue just after the time.
IMPACT_START_AFTER_RE = re.compile(
    r"[^.;\n]{0,40}?\b(?:stopped|went down|went offline|failed|became unavailable|began|started"
    r"|expired|broke|crashed|degraded|ran out)\b",
    re.IGNORECASE,
)

# The same cues in the other languages; in Japanese, Chinese and Korean the verb follows the
# time ("10時05分に発生し、11時35分に復旧"), so these are also looked for just after it.
IMPACT_START_OTHER_RE = re.compile(
    r"発生|開始|始ま|停止|发生|开始|出现|中断|발생|시작|중단|bắt đầu|xảy ra|comenz|empez|inici[oó]"
    r"|començ|commenc|débuté|begann|begonnen|iniziat|начал|произош|宕机|ngừng|gián đoạn"
    r"|detuvo|cayó|ca[ií]da|parou|queda|tomb[ée]|panne|ausgefallen|ausfall|interrott|остановил"
    r"|упал|сбой|rozpocz|zaczęł|begon|startte|mulai|başladı|почав|почала|почалася|почався|začal"
    r"|beginn|begann",
    re.IGNORECASE,
)
IMPACT_END_OTHER_RE = re.compile(
    r"復旧|解決|回復|収束|解消|恢复|解决|结束|修复|복구|해결|종료|정상화|khôi phục|kết thúc|khắc phục"
    r"|resuel|restablec|resolvid|restabelec|résolu|rétabli|behoben|wiederhergestellt"
    r"|risolt|ripristin|восстановл|устранен|resolvi|solucion|normaliz|usunię|przywróc|naprawi"
    r"|hersteld|opgelost|pulih|teratasi|selesai|düzeldi|çözüldü|відновлен|усунен|obnoven|vyřešen",
    re.IGNORECASE,
)


def _cue_around(
    paragraph: str, moment: Moment, before: re.Pattern[str], other: re.Pattern[str]
) -> bool:
    """The English cue before a time, or a cue in another language just before or after it."""
    ahead = paragraph[max(0, moment.start - 120) : moment.start]
    if before.search(ahead):
        return True
    near = (
        paragraph[max(0, moment.start - 30) : moment.start]
        + " "
        + paragraph[moment.end : moment.end + 12]
    )
    return other.search(near) is not None


def impact_window(
    prose: str, ctx: DateContext, doc_tz: tzinfo | None
) -> tuple[datetime, datetime] | None:
    """'… started … around 11:00 GMT … resolved at 23:01 GMT' in one paragraph of prose."""
    found = _impact_window_at(prose, ctx)
    return found[1] if found is not None else None


def _impact_window_at(prose: str, ctx: DateContext) -> tuple[int, tuple[datetime, datetime]] | None:
    offset = 0
    for paragraph in prose.split("\n\n"):
        at, offset = offset, offset + len(paragraph) + 2
        if not _DIGIT_IN.search(paragraph):
            continue
        found = find_moments(paragraph, ctx)
        moments = [m for m in found if m.at is not None]
        start = next(
            (
                m
                for m in moments
                if _cue_around(paragraph, m, IMPACT_START_RE, IMPACT_START_OTHER_RE)
                or IMPACT_START_AFTER_RE.match(paragraph, m.end)
            ),
            None,
        )
        if start is None:
            continue
        for moment in moments:
            if moment.start <= start.start:
                continue
            if (
                IMPACT_END_RE.search(paragraph[max(0, moment.start - 60) : moment.start])
                or IMPACT_END_AFTER_RE.match(paragraph, moment.end)
                or _cue_around(paragraph, moment, _NEVER_RE, IMPACT_END_OTHER_RE)
            ):
                # "Il 12 marzo 2027 il problema è iniziato alle 10:15": the date written before
                day = next(
                    (
                        m.day
                        for m in reversed(found)
                        if m.day
                        and m.end <= start.start
                        and "\n" not in paragraph[m.end : start.start]  # the same line
                    ),
                    None,
                )
                first = replace(start, day=start.day or day)
                pair = _pair(first, moment, ctx)
                if pair is not None and pair[1] > pair[0]:
                    return at + start.start, pair
    return None


# "… by 17:06 UTC every system was back to normal": the English cue just after the time,
# not reaching past another number.
IMPACT_END_AFTER_RE = re.compile(
    r"[^.;\n\d]{0,50}?\b(?:(?:was|were|is|are)\s+(?:back|restored|resolved|recovered)"
    r"|back to normal|returned to normal|fully (?:restored|recovered))\b",
    re.IGNORECASE,
)


_DIGIT_IN = re.compile(r"\d{1,2}:\d{2}|\d{1,2}\s?[時时시点點]")
_NEVER_RE = re.compile(r"(?!)")


def _in_zone(at: datetime, zone: tzinfo | None) -> datetime:
    """A time the prose gave without a zone, read in the zone the document announces."""
    if at.tzinfo is not None or zone is None:
        return at
    return Moment(at.date(), at.time(), zone, 0, 0).to_datetime(zone) or at


def _pair(first: Moment, second: Moment, ctx: DateContext) -> tuple[datetime, datetime] | None:
    tz = second.tz or first.tz or ctx.default_tz
    day1 = first.day or second.day or ctx.default_date  # "between 14:02 and 14:40 on June 30th"
    day2 = second.day or day1
    start = Moment(day1, first.at, first.tz or tz, 0, 0).to_datetime(tz)
    end = Moment(day2, second.at, second.tz or tz, 0, 0).to_datetime(tz)
    if start is None or end is None:
        return None
    if end < start and second.day is None:
        end += timedelta(days=1)
    elif end < start and first.day is None and first.day != second.day:
        start -= timedelta(days=1)  # "21.15 – 00.35 (6 January)": the start is the day before
    return start, end


def decide_window(
    facts: dict[str, str],
    prose: str,
    entries: list[RawEntry],
    ctx: DateContext,
    doc_tz: tzinfo | None,
    named_day: date | None = None,
    meta_window: tuple[datetime | None, datetime | None] = (None, None),
) -> Window:
    """Start/end from a stated window, a start field, the timeline, then front matter."""
    window = Window()
    prose = _without_examples(prose)
    stated = stated_duration(prose)
    if stated is None:
        stated = _total_after_timeline(entries)
    # The window stated first in the text: a summary comes before the details, where a
    # "between 14:30 and 17:06" may describe one part of the response.
    written = _explicit_window_at(prose, ctx)
    cued = _impact_window_at(prose[: written[0]] if written else prose, ctx)
    first = cued or written
    explicit = first[1] if first is not None else None
    timed = [e for e in entries if e.entry.at is not None]
    if explicit is None and not timed:
        explicit = status_updates_window(prose, ctx)
    if explicit is not None:
        window.started_at, window.ended_at = (_in_zone(at, doc_tz) for at in explicit)
    else:
        window.started_at = _start_field(facts, ctx, doc_tz)
        if window.started_at is None and timed:
            window.started_at = _timeline_start(timed)
        window.ended_at = _end_field(facts, ctx, doc_tz) or _timeline_end(
            timed, window.started_at, stated
        )
    if window.started_at is None and meta_window[0] is not None:
        window.started_at = meta_window[0]
    if window.ended_at is None and meta_window[1] is not None and window.started_at is not None:
        window.ended_at = meta_window[1] if _after(meta_window[1], window.started_at) else None
    if window.started_at is None:
        window.started_on = on_date_in(prose, ctx) or named_day
        days = [e.day for e in entries if e.day is not None and e.entry.at is None]
        if window.started_on is None and len(days) >= 2 and not any(e.entry.at for e in entries):
            # A timeline of dates only ("**2023-03-20**: tests degrade"): its first and last day.
            window.started_on, window.ended_on = days[0], max(days)
    window.duration_minutes = stated if stated is not None else _minutes(window)
    return window


# "In total the mirror was stale for roughly 41 hours." closing a timeline: its sum.
_TOTAL_RE = re.compile(
    r"(?:\bin total\b|\ball in all\b|\baltogether\b|\binsgesamt\b|\ben total\b|\bau total\b"
    r"|共计|总计|合计|合計|全体で)(?:[^.。!\n]|\.(?=\d))*",
    re.IGNORECASE,
)


def _total_after_timeline(entries: list[RawEntry]) -> int | None:
    """A duration stated in a totals sentence that follows the timeline's entries."""
    for raw in reversed(entries[-3:]):
        m = _TOTAL_RE.search(raw.detail)
        if m is not None:
            return stated_duration(m.group(0))
    return None


# "EXAMPLE: Between 16:00 and 18:30 UTC ..." in a template illustrates, it states nothing.
_EXAMPLE_LINE_RE = re.compile(
    r"^[\W_]*(?:e\.\s?g\.|example|for example|for instance|beispiel|ejemplo|exemple|esempio"
    r"|exemplo|voorbeeld|przykład|пример|приклад|例)(?![^\W\d_])",
    re.IGNORECASE,
)


def _without_examples(prose: str) -> str:
    return "\n".join(line for line in prose.split("\n") if not _EXAMPLE_LINE_RE.match(line))


# A status page's updates: "**Resolved** - All good. *Posted Mar 09, 2027 - 12:14 PST*",
# newest first, each paragraph naming its state and when it was posted.
_STATUS_STATE_RE = re.compile(
    r"^[\W_]*(investigating|identified|monitoring|update|resolved|completed|postmortem)\b",
    re.IGNORECASE,
)
_POSTED_RE = re.compile(r"\b(?:posted|updated|published)\b[\s:*_]*(?:on\s+|at\s+)?", re.I)


def status_updates_window(prose: str, ctx: DateContext) -> tuple[datetime, datetime] | None:
    """From the first update posted to the one that says 'Resolved'."""
    if "osted" not in prose and "pdated" not in prose:
        return None
    updates: list[tuple[str, datetime]] = []
    for paragraph in prose.split("\n\n"):
        state = _STATUS_STATE_RE.match(paragraph)
        posted = _POSTED_RE.search(paragraph)
        if state is None or posted is None:
            continue
        found = find_moments(paragraph[posted.end() : posted.end() + 60], ctx)
        day = next((m.day for m in found if m.day), ctx.default_date)  # "Mar 09, 2027 - 12:14"
        clock = next((m for m in found if m.at), None)
        at = None
        if clock is not None:
            at = replace(clock, day=clock.day or day).to_datetime(ctx.default_tz)
        if at is not None and state[1].lower() != "postmortem":
            updates.append((state[1].lower(), at))
    resolved = [at for state, at in updates if state in {"resolved", "completed"}]
    if len(updates) < 2 or not resolved:
        return None
    times = [at for _, at in updates]
    if any((at.tzinfo is None) != (times[0].tzinfo is None) for at in times):
        return None
    start, end = min(times), max(resolved)
    return (start, end) if end > start else None


def meta_moments(
    meta: dict[str, str], ctx: DateContext, doc_tz: tzinfo | None
) -> tuple[datetime | None, datetime | None]:
    """Start and end from front matter (status-page posts: `date:` and `resolvedWhen:`)."""
    found: list[datetime | None] = []
    if not any(meta.get(k) for k in META_END_KEYS + META_START_KEYS[:-1]):
        return None, None  # a lone `date:` is when the post was published, not the outage
    for keys in (META_START_KEYS, META_END_KEYS):
        value = next((meta[k] for k in keys if meta.get(k)), "")
        value = value.split(" #", 1)[0]
        moment = next((m for m in find_moments(value, ctx) if m.at is not None), None)
        found.append(moment.to_datetime(doc_tz) if moment is not None else None)
    return found[0], found[1]


def on_date_in(prose: str, ctx: DateContext) -> date | None:
    """Date-only start from a sentence opening 'On <date>'."""
    for m in re.finditer(r"(?:^|[.!?]\s+|\n\s*(?:[-*]\s+)?)On\s+", prose):
        dates = find_dates(prose[m.end() : m.end() + 40], ctx)
        if dates and dates[0].start == 0 and dates[0].has_year:
            return dates[0].value
    return None


def _end_field(facts: dict[str, str], ctx: DateContext, doc_tz: tzinfo | None) -> datetime | None:
    return _start_field(facts, ctx, doc_tz, END_FIELD_RE)


def _start_field(
    facts: dict[str, str],
    ctx: DateContext,
    doc_tz: tzinfo | None,
    pattern: re.Pattern[str] = START_FIELD_RE,
) -> datetime | None:
    for label, value in facts.items():
        if pattern.search(label):
            for moment in find_moments(value, ctx):
                if moment.at is not None:
                    return Moment(
                        moment.day or ctx.default_date, moment.at, moment.tz, 0, 0
                    ).to_datetime(doc_tz)
    return None


# Templates mark the window in the timeline itself: "18:15 Rebalances begin (impact start)".
IMPACT_MARK_START_RE = re.compile(
    r"\b(?:impact (?:start|begins?|began)|start of (?:the )?impact)\b", re.I
)
IMPACT_MARK_END_RE = re.compile(
    r"\b(?:impact (?:end(?:s|ed)?|mitigated|over)|end of (?:the )?impact)\b", re.I
)


def _marked(timed: list[RawEntry], mark: re.Pattern[str]) -> datetime | None:
    return next((raw.entry.at for raw in timed if mark.search(raw.entry.text)), None)


def _timeline_start(timed: list[RawEntry]) -> datetime | None:
    """The entry marked as the impact's start, else the first that tells of the problem."""
    marked = _marked(timed, IMPACT_MARK_START_RE)
    if marked is not None:
        return marked
    for raw in timed:
        if RESOLVED_RE.search(raw.entry.text):
            continue  # "Error rate back to normal" tells of the end, not the problem
        if PROBLEM_RE.search(raw.entry.text + " " + raw.detail[:300]):
            return raw.entry.at
    return timed[0].entry.at


def _timeline_end(
    timed: list[RawEntry], start: datetime | None, stated: int | None
) -> datetime | None:
    later = [e.entry.at for e in timed if e.entry.at is not None and _after(e.entry.at, start)]
    if not later:
        return None
    marked = _marked(timed, IMPACT_MARK_END_RE)
    if marked is not None and marked in later:
        return marked
    if stated is not None and start is not None:
        target = start + timedelta(minutes=stated)
        return min(later, key=lambda at: abs((at - target).total_seconds()))
    resolved = [
        e.entry.at
        for e in timed
        if e.entry.at is not None
        and _after(e.entry.at, start)
        and (RESOLVED_RE.search(e.entry.text) or IMPACT_END_OTHER_RE.search(e.entry.text))
    ]
    return resolved[-1] if resolved else later[-1]


def _after(at: datetime, start: datetime | None) -> bool:
    if start is None:
        return True
    if (at.tzinfo is None) != (start.tzinfo is None):
        return False
    return at > start


def _minutes(window: Window) -> int | None:
    start, end = window.started_at, window.ended_at
    if start is None or end is None or (start.tzinfo is None) != (end.tzinfo is None):
        return None
    return round((end - start).total_seconds() / 60)


def section_text(
    sections: list[Section], facts: dict[str, str], pattern: re.Pattern[str]
) -> str | None:
    """First paragraph of the matching section, or the matching `Label:` field."""
    for label, value in facts.items():
        if pattern.search(label) and len(value) > 15:
            return value[:600]
    for section in sections:
        if section.level == 0 or not pattern.search(section.title):
            continue
        for block in section_blocks(section.lines):
            text = _block_text(block.kind, block.text, [i.text for i in block.items])
            if text:
                return text[:600]
    return None


def _block_text(kind: str, text: str, items: list[str]) -> str:
    if kind == "list":
        text = "; ".join(strip_markup(i.split("\n")[0]) for i in items)
    elif kind == "para":
        text = strip_markup(text)
    else:
        return ""
    # Template prompts ("What caused this situation?") are not the answer.
    text = re.sub(r"^(?:What|How|Why|When|Who)[^?]{3,80}\?\s*", "", text)
    return text if len(text) >= 15 else ""
